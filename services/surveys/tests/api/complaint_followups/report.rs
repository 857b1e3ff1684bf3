//! The report of a period from a worked set of complaints (docs/complaints.md,
//! "The monthly report"): by class and cause, overdue, the standard's met /
//! missed / pending, times to the first response and the resolution, and
//! the compensation approved.

use aftercare_proto::{costs::v1 as costs_pb, surveys::v1 as pb};
use aftercare_test_support::Outcome;
use time::Duration;
use tonic::Code;

use crate::{
    both,
    complaints::support::{Net, T0, opening, start},
    leagues::month,
    support::{code_of, field_of, who},
};

fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn open(
    net: &Net,
    station: &str,
    class: pb::ComplaintClass,
    cause: &str,
    severity: pb::ComplaintSeverity,
) -> String {
    let mut o = opening(station, severity);
    let c = o.complaint.as_mut().expect("complaint");
    c.class = class.into();
    c.cause = cause.into();
    net.client(who::oem()).open_complaint(o).await.answer().id
}

async fn respond(net: &Net, id: &str) {
    net.client(who::oem())
        .respond_to_complaint(pb::RespondToComplaintRequest {
            id: id.into(),
            response: "we are on it".into(),
            etag: String::new(),
            request_id: rid(),
        })
        .await
        .answer();
}

/// c1 (s1, QUALITY) answered at 10 h, resolved at 20 h, closed at 21 h;
/// c2 (s1, facility) answered at 30 h, with goodwill of 10 000 approved;
/// c3 (s2/d2, facility, HIGH) never answered; c4 (s1, communication, LOW)
/// opened at 40 h. The report is read at 48 h.
pub(crate) async fn worked(net: &Net) -> [String; 4] {
    use pb::{ComplaintClass as C, ComplaintSeverity as S};
    let at = |h: i64| net.set_clock(T0 + Duration::hours(h));
    at(0);
    let c1 = open(net, "s1", C::Quality, "repair-not-fixed", S::Medium).await;
    let c2 = open(net, "s1", C::NonQualityProcess, "facility", S::Medium).await;
    let c3 = open(net, "s2", C::NonQualityProcess, "facility", S::High).await;
    at(10);
    respond(net, &c1).await;
    at(20);
    let mut oem = net.client(who::oem());
    oem.resolve_complaint(pb::ResolveComplaintRequest {
        id: c1.clone(),
        root_cause: "a loose clamp".into(),
        corrective_action: "clamps checked at every service".into(),
        request_id: rid(),
        ..Default::default()
    })
    .await
    .answer();
    at(21);
    oem.close_complaint(pb::CloseComplaintRequest {
        id: c1.clone(),
        confirmation: pb::CustomerConfirmation::Satisfied.into(),
        request_id: rid(),
        ..Default::default()
    })
    .await
    .answer();
    at(30);
    respond(net, &c2).await;
    at(40);
    let c4 = open(net, "s1", C::NonQualityPeople, "communication", S::Low).await;
    at(41);
    let mut dealer = net.client(who::dealer("d1"));
    dealer
        .propose_complaint_compensation(pb::ProposeComplaintCompensationRequest {
            id: c2.clone(),
            compensation: Some(pb::ComplaintCompensation {
                kind: costs_pb::CompensationKind::Goodwill.into(),
                amount: Some(aftercare_proto::common::v1::Money {
                    currency_code: "EUR".into(),
                    minor_units: 10_000,
                }),
                reason: "a voucher".into(),
                ..Default::default()
            }),
            etag: String::new(),
            request_id: rid(),
        })
        .await
        .answer();
    dealer
        .approve_complaint_compensation(pb::ApproveComplaintCompensationRequest {
            id: c2.clone(),
            number: 1,
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
    at(48);
    [c1, c2, c3, c4]
}

fn report_request(dealer: &str, region: &str) -> pb::GetComplaintReportRequest {
    pb::GetComplaintReportRequest {
        dealer_id: dealer.into(),
        region_id: region.into(),
        period: month(3),
    }
}

/// Opened, closed, open, overdue, and the standard's met, missed, pending
/// and rate.
type Counts = (i64, i64, i64, i64, (i64, i64, i64, Option<i32>));

fn figures(f: &Option<pb::ComplaintFiguresOfPeriod>) -> Counts {
    let f = f.as_ref().expect("figures");
    let s = f.standard.as_ref().expect("standard");
    (
        f.opened,
        f.closed,
        f.open,
        f.overdue,
        (s.met, s.missed, s.pending, s.rate_basis_points),
    )
}

both!(the_report_of_a_worked_month, start, |net: Net| async move {
    let [c1, _c2, c3, _c4] = worked(&net).await;
    let r = net
        .client(who::oem())
        .get_complaint_report(report_request("", ""))
        .await
        .answer();
    assert_eq!(figures(&r.figures), (4, 1, 3, 1, (1, 2, 1, Some(3333))));
    let standard = r.figures.as_ref().unwrap().standard.as_ref().unwrap();
    assert_eq!(standard.target_basis_points, 9500);
    assert!(!standard.target_met);
    let causes: Vec<(pb::ComplaintClass, &str, i64)> = r
        .causes
        .iter()
        .map(|c| (c.class(), c.cause.as_str(), c.complaints))
        .collect();
    assert_eq!(
        causes,
        [
            (pb::ComplaintClass::NonQualityProcess, "facility", 2),
            (pb::ComplaintClass::Quality, "repair-not-fixed", 1),
            (pb::ComplaintClass::NonQualityPeople, "communication", 1),
        ]
    );
    let first = r.time_to_first_response.expect("durations");
    assert_eq!(
        (first.count, first.mean_seconds, first.p90_seconds),
        (2, Some(72_000), Some(108_000))
    );
    let resolution = r.time_to_resolution.expect("durations");
    assert_eq!(
        (resolution.count, resolution.mean_seconds),
        (1, Some(72_000))
    );
    assert_eq!(r.overdue_ids, [c3]);
    assert_eq!(r.compensation.len(), 1);
    assert_eq!(
        r.compensation[0].kind(),
        costs_pb::CompensationKind::Goodwill
    );
    assert_eq!(r.compensation[0].payments, 1);
    assert_eq!(
        r.compensation[0].amount.as_ref().unwrap().minor_units,
        10_000
    );
    let rows: Vec<(&str, _)> = r
        .rows
        .iter()
        .map(|r| (r.dealer_id.as_str(), figures(&r.figures)))
        .collect();
    assert_eq!(
        rows,
        [
            ("d1", (3, 1, 2, 0, (1, 1, 1, Some(5000)))),
            ("d2", (1, 0, 1, 1, (0, 1, 0, Some(0)))),
        ]
    );

    // The region's: its dealer only; the dealer's: by station.
    let r1 = net
        .client(who::region("r1"))
        .get_complaint_report(report_request("", "r1"))
        .await
        .answer();
    assert_eq!(figures(&r1.figures).0, 3);
    assert_eq!(
        r1.rows
            .iter()
            .map(|r| r.dealer_id.as_str())
            .collect::<Vec<_>>(),
        ["d1"]
    );
    let d1 = net
        .client(who::dealer("d1"))
        .get_complaint_report(report_request("d1", ""))
        .await
        .answer();
    assert_eq!(
        d1.rows
            .iter()
            .map(|r| r.station_id.as_str())
            .collect::<Vec<_>>(),
        ["s1"]
    );
    assert!(d1.overdue_ids.is_empty());
    let _ = c1;
});

both!(
    the_report_refuses_other_scopes_and_bad_input_by_field,
    start,
    |net: Net| async move {
        use pb::{ComplaintClass as C, ComplaintSeverity as S};
        open(&net, "s1", C::Quality, "workmanship", S::Low).await;
        for (principal, dealer, region) in [
            (who::dealer("d2"), "d1", ""),
            (who::dealer("d1"), "", "r1"),
            (who::region("r2"), "", "r1"),
            (who::region("r2"), "d1", ""),
            (who::dealer("d1"), "", ""),
        ] {
            let r = net
                .client(principal)
                .get_complaint_report(report_request(dealer, region))
                .await;
            assert!(
                matches!(code_of(r), Code::NotFound | Code::PermissionDenied),
                "{dealer} {region}"
            );
        }
        let mut oem = net.client(who::oem());
        let r = oem.get_complaint_report(report_request("d1", "r1")).await;
        assert_eq!(field_of(r), "region_id");
        let r = oem.get_complaint_report(report_request("D 1", "")).await;
        assert_eq!(field_of(r), "dealer_id");
        let r = oem
            .get_complaint_report(pb::GetComplaintReportRequest::default())
            .await;
        assert_eq!(field_of(r), "period");
    }
);
