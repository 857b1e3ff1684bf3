//! A dealer's cost of poor quality: its comebacks, its warranty rework, and
//! the compensation and goodwill its complaints cost, each counted once.

use aftercare_proto::{costs::v1 as pb, dealers::v1::RepairOrderType};
use aftercare_test_support::{Outcome, once};
use time::macros::datetime;
use tonic::Code;

use super::*;
use crate::{ro_fixture::*, support::who};

fn compensation(
    complaint: &str,
    dealer: &str,
    region: &str,
    kind: pb::CompensationKind,
    amount: i64,
) -> pb::ComplaintCompensation {
    pb::ComplaintCompensation {
        complaint_id: complaint.into(),
        dealer_id: dealer.into(),
        region_id: region.into(),
        station_id: "s1".into(),
        repair_order_id: String::new(),
        kind: kind as i32,
        amount: eur(amount),
        approve_time: ts(datetime!(2026-03-20 10:00 UTC)),
        approved_by: "Claire Head".into(),
    }
}

fn receive(event: pb::ComplaintCompensation, id: &str) -> pb::ReceiveComplaintCompensationRequest {
    pb::ReceiveComplaintCompensationRequest {
        event: Some(event),
        request_id: id.into(),
    }
}

fn poor_quality(
    dealer: &str,
    period: Option<aftercare_proto::common::v1::Period>,
) -> pb::GetPoorQualityCostRequest {
    pb::GetPoorQualityCostRequest {
        dealer_id: dealer.into(),
        period,
    }
}

both!(
    comebacks_rework_compensation_and_goodwill_add_up_per_dealer,
    |h: support::Harness| async move {
        use pb::CompensationKind::*;
        network(&h).await;
        part(&h, "PAD-1", &[(JAN_1, 4_000)]).await;
        rate(&h, "", JAN_1, 3_000).await;
        let mut comeback = Ro::new("c1", datetime!(2026-03-03 09:00 UTC));
        comeback.comeback = true;
        let mut rework = Ro::new("c2", datetime!(2026-03-04 09:00 UTC));
        rework.comeback = true;
        rework.order_type = RepairOrderType::Warranty;
        rework.bill = 0;
        let mut plain = Ro::new("c3", datetime!(2026-03-05 09:00 UTC));
        plain.at = S2;
        for ro in [comeback, rework, plain] {
            ro.deliver(&h).await;
        }
        // The complaints process tells of compensation (delivered again and
        // raced, applied once), head office of goodwill.
        let relay = h.events(who::surveys_relay("d1"));
        let event = compensation("CP-202603-0001", "d1", "r1", Compensation, 5_000);
        let answer = once(
            true,
            &relay,
            receive(event.clone(), "cp-ev-1"),
            |mut c, r| async move { c.receive_complaint_compensation(r).await },
        )
        .await;
        assert_eq!(answer, event);
        h.events(who::oem())
            .receive_complaint_compensation(receive(
                compensation("CP-202603-0001", "d1", "r1", Goodwill, 2_500),
                "cp-ev-3",
            ))
            .await
            .answer();

        let mut oem = h.ro_costs(who::oem());
        for period in [month(2026, 3), quarter(2026, 1), year(2026)] {
            let q = oem
                .get_poor_quality_cost(poor_quality("d1", period))
                .await
                .answer();
            assert_eq!((units(&q.comebacks), q.comeback_count), (13_250, 1));
            assert_eq!(
                (units(&q.warranty_rework), q.warranty_rework_count),
                (13_250, 1)
            );
            assert_eq!(units(&q.compensation), 5_000);
            assert_eq!(units(&q.goodwill), 2_500);
            assert_eq!(units(&q.total), 34_000);
        }
        let april = oem
            .get_poor_quality_cost(poor_quality("d1", month(2026, 4)))
            .await
            .answer();
        assert_eq!(units(&april.total), 0);
        // The dealer and its region's manager read it too.
        for principal in [who::dealer("d1"), who::region("r1")] {
            let q = h
                .ro_costs(principal)
                .get_poor_quality_cost(poor_quality("d1", month(2026, 3)))
                .await
                .answer();
            assert_eq!(units(&q.total), 34_000);
        }
    }
);

both!(
    only_head_office_or_the_complaints_relay_of_the_dealer_tells_of_compensation,
    |h: support::Harness| async move {
        let event = compensation("CP-1", "d1", "r1", pb::CompensationKind::Goodwill, 100);
        for caller in [
            who::surveys_relay("d2"),
            who::dealers_relay("d1"),
            who::dealer("d1"),
            who::region("r1"),
        ] {
            let code = h
                .events(caller.clone())
                .receive_complaint_compensation(receive(event.clone(), "ev-1"))
                .await
                .code();
            assert_eq!(code, Code::PermissionDenied, "{caller:?}");
        }
    }
);

both!(
    a_bad_compensation_names_its_field,
    |h: support::Harness| async move {
        let mut relay = h.events(who::surveys_relay("d1"));
        let good = || compensation("CP-1", "d1", "r1", pb::CompensationKind::Compensation, 100);
        let cases: Vec<(pb::ReceiveComplaintCompensationRequest, &str)> = vec![
            (receive(good(), ""), "request_id"),
            (
                pb::ReceiveComplaintCompensationRequest {
                    event: None,
                    request_id: "ev".into(),
                },
                "event",
            ),
            (
                receive(pb::ComplaintCompensation { kind: 0, ..good() }, "ev"),
                "event.kind",
            ),
            (
                receive(
                    pb::ComplaintCompensation {
                        amount: None,
                        ..good()
                    },
                    "ev",
                ),
                "event.amount",
            ),
            (
                receive(
                    pb::ComplaintCompensation {
                        amount: eur(-5),
                        ..good()
                    },
                    "ev",
                ),
                "event.amount.minor_units",
            ),
            (
                receive(
                    pb::ComplaintCompensation {
                        dealer_id: String::new(),
                        ..good()
                    },
                    "ev",
                ),
                "event.dealer_id",
            ),
            (
                receive(
                    pb::ComplaintCompensation {
                        approve_time: None,
                        ..good()
                    },
                    "ev",
                ),
                "event.approve_time",
            ),
            (
                receive(
                    pb::ComplaintCompensation {
                        complaint_id: String::new(),
                        ..good()
                    },
                    "ev",
                ),
                "event.complaint_id",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(
                relay
                    .receive_complaint_compensation(request)
                    .await
                    .bad_field(),
                field
            );
        }
    }
);
