use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::{Outcome, eventually, metric, record_metrics, who};
use time::Duration;
use tonic::Code;

use super::support::{Net, T0, opening};
use crate::both;

both!(
    a_late_first_response_escalates_once_to_the_region_then_head_office,
    crate::complaints::support::start,
    |net: Net| async move {
        let opened = net
            .client(who::dealer("d1"))
            .open_complaint(opening("s1", pb::ComplaintSeverity::High))
            .await
            .answer();
        assert_eq!(opened.owner_level(), pb::OwnerLevel::Dealer);
        assert_eq!(net.sweep(T0 + Duration::hours(23)).await, 0);

        let late = T0 + Duration::hours(25);
        net.set_clock(late);
        let (a, b) = tokio::join!(net.sweep(late), net.sweep(late));
        assert_eq!(a + b, 1, "two sweeps at once escalate once");
        let got = net
            .client(who::region("r1"))
            .get_complaint(pb::GetComplaintRequest {
                id: opened.id.clone(),
            })
            .await
            .answer();
        assert_eq!(got.owner_level(), pb::OwnerLevel::Region);
        let last = got.history.last().unwrap();
        assert_eq!(last.action(), pb::ComplaintAction::Escalated);
        // The region's fresh day to respond, from the escalation.
        let due = got.response_due_time.unwrap().seconds;
        assert_eq!(due, (late + Duration::hours(24)).unix_timestamp());

        let notes = net
            .client(who::region("r1"))
            .list_complaint_notifications(pb::ListComplaintNotificationsRequest::default())
            .await
            .answer()
            .notifications;
        let kinds: Vec<_> = notes.iter().map(|n| n.kind()).collect();
        assert_eq!(
            kinds,
            [
                pb::ComplaintNotificationKind::Opened,
                pb::ComplaintNotificationKind::Escalated
            ]
        );
        let other = net
            .client(who::region("r2"))
            .list_complaint_notifications(pb::ListComplaintNotificationsRequest::default())
            .await
            .answer();
        assert!(other.notifications.is_empty());

        let respond = |id: &str| pb::RespondToComplaintRequest {
            id: id.into(),
            response: "we called the customer".into(),
            request_id: uuid::Uuid::new_v4().to_string(),
            ..Default::default()
        };
        net.client(who::dealer("d1"))
            .respond_to_complaint(respond(&opened.id))
            .await
            .refused(Code::PermissionDenied);
        let responded = net
            .client(who::region("r1"))
            .respond_to_complaint(respond(&opened.id))
            .await
            .answer();
        assert_eq!(responded.state(), pb::ComplaintState::Responded);

        // The resolution is due 72 h after the escalation; then head office.
        let later = late + Duration::hours(73);
        assert_eq!(net.sweep(later).await, 1);
        let got = net
            .client(who::oem())
            .get_complaint(pb::GetComplaintRequest { id: opened.id })
            .await
            .answer();
        assert_eq!(got.owner_level(), pb::OwnerLevel::HeadOffice);
        assert_eq!(net.sweep(later + Duration::days(30)).await, 0);
    }
);

both!(
    deadlines_and_escalations_are_exported_per_owner,
    crate::complaints::support::start,
    |net: Net| async move {
        record_metrics();
        let gauge =
            |name: &str, owner: &str| metric(name, &[("deadline", "response"), ("owner", owner)]);
        let escalations = |owner: &str| metric("complaints_escalations_total", &[("owner", owner)]);
        net.client(who::dealer("d1"))
            .open_complaint(opening("s1", pb::ComplaintSeverity::High))
            .await
            .answer();
        eventually(
            "one complaint waits on the dealer's first response",
            || async {
                gauge("complaints_waiting", "dealer") == Some(1.0)
                    && gauge("complaints_due_soon", "dealer") == Some(0.0)
                    && gauge("complaints_overdue", "dealer") == Some(0.0)
                    && escalations("region") == Some(0.0)
            },
        )
        .await;

        // Due in 24 h: within the hour at 23.5 h, past it at 25 h.
        net.set_clock(T0 + Duration::minutes(23 * 60 + 30));
        eventually("due soon", || async {
            gauge("complaints_due_soon", "dealer") == Some(1.0)
        })
        .await;
        let late = T0 + Duration::hours(25);
        net.set_clock(late);
        eventually("overdue", || async {
            gauge("complaints_overdue", "dealer") == Some(1.0)
                && gauge("complaints_due_soon", "dealer") == Some(0.0)
        })
        .await;

        // The sweep hands it to the region, with a fresh day.
        assert_eq!(net.sweep(late).await, 1);
        eventually("escalated to the region", || async {
            escalations("region") == Some(1.0)
                && gauge("complaints_overdue", "dealer") == Some(0.0)
                && gauge("complaints_waiting", "dealer") == Some(0.0)
                && gauge("complaints_waiting", "region") == Some(1.0)
                && gauge("complaints_overdue", "region") == Some(0.0)
        })
        .await;
    }
);
