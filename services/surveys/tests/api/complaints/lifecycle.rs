use aftercare_proto::{common::v1 as common, dealers::v1 as dealers_pb, surveys::v1 as pb};
use aftercare_test_support::{Outcome, who};
use time::Duration;
use tonic::Code;

use super::support::{Net, T0, opening};
use crate::both;

fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

both!(
    a_complaint_is_answered_resolved_closed_and_reopened_each_step_recorded,
    crate::complaints::support::start,
    |net: Net| async move {
        let mut d1 = net.client(who::dealer("d1"));
        let c = d1
            .open_complaint(opening("s1", pb::ComplaintSeverity::Medium))
            .await
            .answer();
        let respond = pb::RespondToComplaintRequest {
            id: c.id.clone(),
            response: "we will clean it again".into(),
            etag: c.etag.clone(),
            request_id: rid(),
        };
        net.set_clock(T0 + Duration::hours(2));
        let responded = d1.respond_to_complaint(respond.clone()).await.answer();
        // A retry answers the same and records nothing more.
        let retried = d1.respond_to_complaint(respond).await.answer();
        assert_eq!(responded, retried);
        assert_eq!(responded.history.len(), 2);
        assert_eq!(responded.response_due_time, None);
        assert_eq!(
            responded.first_response_time.unwrap().seconds,
            (T0 + Duration::hours(2)).unix_timestamp()
        );

        let resolve = |etag: &str| pb::ResolveComplaintRequest {
            id: c.id.clone(),
            root_cause: "the wash bay was closed".into(),
            corrective_action: "a second wash bay".into(),
            etag: etag.into(),
            request_id: rid(),
            ..Default::default()
        };
        d1.resolve_complaint(resolve(&c.etag))
            .await
            .refused(Code::Aborted);
        let resolved = d1
            .resolve_complaint(resolve(&responded.etag))
            .await
            .answer();
        assert_eq!(resolved.state(), pb::ComplaintState::Resolved);
        assert_eq!(resolved.corrective_action, "a second wash bay");

        let close = |confirmation: pb::CustomerConfirmation| pb::CloseComplaintRequest {
            id: c.id.clone(),
            confirmation: confirmation.into(),
            request_id: rid(),
            ..Default::default()
        };
        d1.close_complaint(close(pb::CustomerConfirmation::Unreachable))
            .await
            .refused(Code::FailedPrecondition);
        net.set_clock(T0 + Duration::days(8));
        let closed = d1
            .close_complaint(close(pb::CustomerConfirmation::Unreachable))
            .await
            .answer();
        assert_eq!(closed.state(), pb::ComplaintState::Closed);
        assert_eq!(closed.confirmation(), pb::CustomerConfirmation::Unreachable);

        let reopened = d1
            .reopen_complaint(pb::ReopenComplaintRequest {
                id: c.id.clone(),
                reason: "the customer called back".into(),
                etag: String::new(),
                request_id: rid(),
            })
            .await
            .answer();
        assert_eq!(reopened.state(), pb::ComplaintState::Open);
        // Fresh deadlines from the reopening: MEDIUM answers within 24 h.
        assert_eq!(
            reopened.response_due_time.unwrap().seconds,
            (T0 + Duration::days(9)).unix_timestamp()
        );
        let actions: Vec<_> = reopened.history.iter().map(|s| s.action()).collect();
        use pb::ComplaintAction as A;
        assert_eq!(
            actions,
            [A::Opened, A::Responded, A::Resolved, A::Closed, A::Reopened]
        );
        assert_eq!(reopened.history[4].note, "the customer called back");
        d1.close_complaint(close(pb::CustomerConfirmation::Satisfied))
            .await
            .refused(Code::FailedPrecondition);
    }
);

both!(
    lists_filter_by_state_overdue_and_month_newest_first_in_pages,
    crate::complaints::support::start,
    |net: Net| async move {
        let mut oem = net.client(who::oem());
        let mut ids = vec![];
        for (hours, station) in [(0, "s1"), (1, "s2"), (2, "s1")] {
            net.set_clock(T0 + Duration::hours(hours));
            let c = oem
                .open_complaint(opening(station, pb::ComplaintSeverity::Critical))
                .await
                .answer();
            ids.push(c.id);
        }
        net.set_clock(T0 + Duration::hours(5));
        let list = |r: pb::ListComplaintsRequest| {
            let mut c = oem.clone();
            async move { c.list_complaints(r).await.answer() }
        };
        let overdue = list(pb::ListComplaintsRequest {
            overdue: true,
            ..Default::default()
        })
        .await;
        // CRITICAL answers within 4 h: the ones opened at 0 h and 1 h.
        let got: Vec<_> = overdue.complaints.iter().map(|c| c.id.clone()).collect();
        assert_eq!(got, [ids[1].clone(), ids[0].clone()]);
        assert!(overdue.complaints.iter().all(|c| c.overdue));

        let first = list(pb::ListComplaintsRequest {
            page_size: 2,
            ..Default::default()
        })
        .await;
        assert_eq!(first.complaints[0].id, ids[2]);
        let second = list(pb::ListComplaintsRequest {
            page_size: 2,
            page_token: first.next_page_token,
            ..Default::default()
        })
        .await;
        assert_eq!(second.complaints.len(), 1);
        assert_eq!(second.complaints[0].id, ids[0]);

        let month = |number| {
            Some(common::Period {
                kind: common::PeriodKind::Month.into(),
                year: 2026,
                number,
            })
        };
        let march = list(pb::ListComplaintsRequest {
            month: month(3),
            dealer_id: "d1".into(),
            ..Default::default()
        })
        .await;
        assert_eq!(march.complaints.len(), 2);
        let april = list(pb::ListComplaintsRequest {
            month: month(4),
            ..Default::default()
        })
        .await;
        assert!(april.complaints.is_empty());
        let bad = oem
            .list_complaints(pb::ListComplaintsRequest {
                month: Some(common::Period {
                    kind: common::PeriodKind::Year.into(),
                    year: 2026,
                    number: 0,
                }),
                ..Default::default()
            })
            .await;
        assert_eq!(bad.bad_field(), "month");
    }
);

both!(
    a_complaint_on_an_ro_takes_its_station_advisor_technicians_and_parts,
    crate::complaints::support::start_fake,
    |net: Net| async move {
        net.known.add_station("s-d1", "d1", "r1");
        net.known.add_ro(dealers_pb::RepairOrder {
            id: "ro-7".into(),
            station_id: "s-d1".into(),
            dealer_id: "d1".into(),
            advisor_id: "adv-7".into(),
            labour_lines: vec![dealers_pb::LabourLine {
                technician_id: "t7".into(),
                ..Default::default()
            }],
            parts_lines: vec![dealers_pb::PartsLine {
                part_number: "p-7".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let mut request = opening("", pb::ComplaintSeverity::High);
        let complaint = request.complaint.as_mut().unwrap();
        complaint.station_id.clear();
        complaint.repair_order_id = "ro-7".into();
        let c = net
            .client(who::dms("d1"))
            .open_complaint(request.clone())
            .await
            .answer();
        assert_eq!(
            (
                c.station_id.as_str(),
                c.region_id.as_str(),
                c.advisor_id.as_str()
            ),
            ("s-d1", "r1", "adv-7")
        );
        assert_eq!(
            (c.technician_ids, c.part_numbers),
            (vec!["t7".to_owned()], vec!["p-7".to_owned()])
        );
        // Another dealer's RO is not found.
        request.request_id = rid();
        net.client(who::dms("d2"))
            .open_complaint(request)
            .await
            .refused(Code::NotFound);
    }
);
