//! The scorecard's complaints part (count, per 100 ROs, the complaints'
//! standard) and its corrective actions, from surveys' own complaints.

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};
use aftercare_test_support::Outcome;

use crate::{
    both,
    scorecards::support::{Network, start},
    support::{delivered_at, who},
};

fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn this_month() -> common::Period {
    let now = time::OffsetDateTime::now_utc();
    common::Period {
        kind: common::PeriodKind::Month.into(),
        year: now.year(),
        number: i32::from(u8::from(now.month())),
    }
}

both!(
    the_scorecard_counts_complaints_with_their_standard_and_lists_corrective_actions,
    start,
    |n: Network| async move {
        n.dealers().await;
        n.station("s1", "d1").await;
        // One RO of d1 delivered this month, in costs.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut event = delivered_at("ev-ro", "ro-1", "d1", "r1", now)
            .event
            .expect("event");
        let ro = event.repair_order.as_mut().expect("ro");
        ro.station_id = "s1".into();
        ro.labour_lines.clear();
        ro.r#type = aftercare_proto::dealers::v1::RepairOrderType::Maintenance.into();
        ro.arrival_time = Some(prost_types::Timestamp {
            seconds: now - 3600,
            nanos: 0,
        });
        n.deliver_to_costs(event, "ev-ro").await;

        // A complaint answered at once, resolved and closed.
        let mut staff = pb::complaint_service_client::ComplaintServiceClient::new(
            n.surveys.served.signed(who::dealer("d1")),
        );
        let c = staff
            .open_complaint(pb::OpenComplaintRequest {
                complaint: Some(pb::Complaint {
                    station_id: "s1".into(),
                    description: "the brakes squeal".into(),
                    class: pb::ComplaintClass::Quality.into(),
                    cause: "workmanship".into(),
                    severity: pb::ComplaintSeverity::Medium.into(),
                    source: pb::ComplaintSource::Staff.into(),
                    ..Default::default()
                }),
                request_id: rid(),
            })
            .await
            .answer();
        staff
            .respond_to_complaint(pb::RespondToComplaintRequest {
                id: c.id.clone(),
                response: "we will look again".into(),
                etag: String::new(),
                request_id: rid(),
            })
            .await
            .answer();
        staff
            .resolve_complaint(pb::ResolveComplaintRequest {
                id: c.id.clone(),
                root_cause: "pads fitted dry".into(),
                corrective_action: "pads greased; fitters briefed".into(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
        staff
            .close_complaint(pb::CloseComplaintRequest {
                id: c.id.clone(),
                confirmation: pb::CustomerConfirmation::Satisfied.into(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();

        let card = n
            .scorecards(who::oem())
            .get_dealer_scorecard(pb::GetDealerScorecardRequest {
                dealer_id: "d1".into(),
                period: Some(this_month()),
            })
            .await
            .answer();
        let section = card
            .sections
            .iter()
            .find(|s| s.part() == pb::ScorecardPart::Complaints)
            .expect("the complaints part");
        assert_eq!(section.missing_reason, "");
        let Some(pb::scorecard_section::Figures::Complaints(f)) = &section.figures else {
            panic!("complaint figures: {section:?}");
        };
        assert_eq!((f.complaints, f.repair_orders), (1, 1));
        assert_eq!(f.per_100_repair_orders_centi, Some(10_000));
        let standard = f.standard.as_ref().expect("the standard");
        assert_eq!((standard.met, standard.missed, standard.pending), (1, 0, 0));
        assert_eq!(standard.rate_basis_points, Some(10_000));
        assert!(standard.target_met);

        assert_eq!(card.corrective_actions.len(), 1);
        let a = &card.corrective_actions[0];
        assert_eq!(
            (
                a.station_id.as_str(),
                a.complaint_id.as_str(),
                a.root_cause.as_str(),
                a.corrective_action.as_str()
            ),
            (
                "s1",
                c.id.as_str(),
                "pads fitted dry",
                "pads greased; fitters briefed"
            )
        );
        assert_eq!(a.class(), pb::ComplaintClass::Quality);
    }
);
