//! Payments on a complaint: each level approves up to its limit, the
//! approval reaches costs once (delivered twice; costs down, then up).

use aftercare_outbox::{Deliver, StoredEvent};
use aftercare_proto::{common::v1 as common, costs::v1 as costs_pb, surveys::v1 as pb};
use aftercare_surveys::events::{COMPENSATION_APPROVED, COSTS, Deliverer};
use aftercare_test_support::{Outcome, Signed, eventually};
use prost::Message;
use tonic::Code;

use crate::{
    both,
    scorecards::support::{Network, Peer, start},
    support::{code_of, field_of, who},
};

type Client = pb::complaint_service_client::ComplaintServiceClient<Signed>;

fn client(n: &Network, principal: aftercare_auth::Principal) -> Client {
    Client::new(n.surveys.served.signed(principal))
}

/// d1 (r1) with station s1, and a complaint opened there by its staff.
async fn opened(n: &Network) -> pb::Complaint {
    n.dealers().await;
    n.station("s1", "d1").await;
    client(n, who::dealer("d1"))
        .open_complaint(pb::OpenComplaintRequest {
            complaint: Some(pb::Complaint {
                station_id: "s1".into(),
                description: "the repair did not hold".into(),
                class: pb::ComplaintClass::Quality.into(),
                cause: "repair-not-fixed".into(),
                severity: pb::ComplaintSeverity::High.into(),
                source: pb::ComplaintSource::Staff.into(),
                ..Default::default()
            }),
            request_id: uuid::Uuid::new_v4().to_string(),
        })
        .await
        .answer()
}

fn eur(minor_units: i64) -> Option<common::Money> {
    Some(common::Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn proposal(
    id: &str,
    kind: costs_pb::CompensationKind,
    amount: i64,
) -> pb::ProposeComplaintCompensationRequest {
    pb::ProposeComplaintCompensationRequest {
        id: id.into(),
        compensation: Some(pb::ComplaintCompensation {
            kind: kind.into(),
            amount: eur(amount),
            reason: "a rental car for two days".into(),
            ..Default::default()
        }),
        etag: String::new(),
        request_id: uuid::Uuid::new_v4().to_string(),
    }
}

fn decision(id: &str, number: i32, request_id: &str) -> pb::ApproveComplaintCompensationRequest {
    pb::ApproveComplaintCompensationRequest {
        id: id.into(),
        number,
        note: String::new(),
        etag: String::new(),
        request_id: request_id.into(),
    }
}

fn rejection(id: &str, number: i32, request_id: &str) -> pb::RejectComplaintCompensationRequest {
    pb::RejectComplaintCompensationRequest {
        id: id.into(),
        number,
        note: "too much for a dirty car".into(),
        etag: String::new(),
        request_id: request_id.into(),
    }
}

/// The month now, as costs counts the approval in it.
fn this_month() -> common::Period {
    let now = time::OffsetDateTime::now_utc();
    common::Period {
        kind: common::PeriodKind::Month.into(),
        year: now.year(),
        number: i32::from(u8::from(now.month())),
    }
}

/// Costs' compensation and goodwill of d1 this month, once both equal
/// `expected` (minor units).
async fn costs_count(n: &Network, expected: (i64, i64)) {
    eventually("costs counts the approved payments", || async {
        let p = n.poor_quality("d1", this_month()).await.ok()?;
        let got = (
            p.compensation.map_or(0, |m| m.minor_units),
            p.goodwill.map_or(0, |m| m.minor_units),
        );
        (got == expected).then_some(())
    })
    .await;
}

both!(
    each_level_approves_up_to_its_limit_and_costs_counts_the_approvals_once,
    start,
    |n: Network| async move {
        use costs_pb::CompensationKind as K;
        let c = opened(&n).await;
        let id = c.id.as_str();
        let dealer = client(&n, who::dealer("d1"));
        // 20 000 is the dealer's own limit (inclusive); 50 000 the
        // region's; 300 000 head office's.
        let propose = |kind, amount| {
            let mut dealer = dealer.clone();
            async move {
                dealer
                    .propose_complaint_compensation(proposal(id, kind, amount))
                    .await
            }
        };
        let c = propose(K::Compensation, 20_000).await.answer();
        assert_eq!(c.compensations[0].approval_level(), pb::OwnerLevel::Dealer);
        let c = propose(K::Goodwill, 50_000).await.answer();
        assert_eq!(c.compensations[1].approval_level(), pb::OwnerLevel::Region);
        let c = propose(K::Goodwill, 300_000).await.answer();
        assert_eq!(
            c.compensations[2].approval_level(),
            pb::OwnerLevel::HeadOffice
        );

        // The dealer approves its own; a retry answers the same and sends
        // nothing more.
        let approved = dealer
            .clone()
            .approve_complaint_compensation(decision(id, 1, "approve-1"))
            .await
            .answer();
        let again = dealer
            .clone()
            .approve_complaint_compensation(decision(id, 1, "approve-1"))
            .await
            .answer();
        assert_eq!(approved, again);
        assert_eq!(
            approved.compensations[0].state(),
            pb::CompensationState::Approved
        );
        assert_eq!(approved.compensation_approved, eur(20_000));

        // Over its limit: the dealer is refused, the region approves.
        let over = dealer
            .clone()
            .approve_complaint_compensation(decision(id, 2, "approve-2"))
            .await;
        assert_eq!(code_of(over), Code::PermissionDenied);
        let region = client(&n, who::region("r1"));
        region
            .clone()
            .approve_complaint_compensation(decision(id, 2, "approve-2r"))
            .await
            .answer();
        // Over the region's: refused to the region; head office rejects it.
        let over = region
            .clone()
            .approve_complaint_compensation(decision(id, 3, "approve-3"))
            .await;
        assert_eq!(code_of(over), Code::PermissionDenied);
        let rejected = client(&n, who::oem())
            .reject_complaint_compensation(rejection(id, 3, "reject-3"))
            .await
            .answer();
        assert_eq!(
            rejected.compensations[2].state(),
            pb::CompensationState::Rejected
        );
        assert_eq!(rejected.compensation_approved, eur(70_000));
        // Decided once.
        let twice = client(&n, who::oem())
            .approve_complaint_compensation(decision(id, 3, "approve-3o"))
            .await;
        assert_eq!(code_of(twice), Code::FailedPrecondition);

        costs_count(&n, (20_000, 50_000)).await;

        // The relay's event delivered again: costs counts it once.
        let again = StoredEvent {
            id: "ev-again".into(),
            destination: COSTS.into(),
            kind: COMPENSATION_APPROVED.into(),
            payload: costs_pb::ComplaintCompensation {
                complaint_id: id.into(),
                dealer_id: "d1".into(),
                region_id: "r1".into(),
                station_id: "s1".into(),
                repair_order_id: String::new(),
                kind: K::Compensation.into(),
                amount: eur(1_000),
                approve_time: Some(prost_types::Timestamp::from(std::time::SystemTime::now())),
                approved_by: "someone".into(),
            }
            .encode_to_vec(),
            create_time: 0,
            attempts: 0,
        };
        let deliverer = Deliverer::new(n.complaints.clone());
        deliverer.deliver(&again).await.expect("delivered");
        deliverer.deliver(&again).await.expect("delivered again");
        costs_count(&n, (21_000, 50_000)).await;
    }
);

both!(
    an_approval_while_costs_is_down_is_counted_once_costs_is_back,
    start,
    |mut n: Network| async move {
        let c = opened(&n).await;
        let dealer = client(&n, who::dealer("d1"));
        dealer
            .clone()
            .propose_complaint_compensation(proposal(
                &c.id,
                costs_pb::CompensationKind::Compensation,
                5_000,
            ))
            .await
            .answer();
        n.stop(Peer::Costs).await;
        dealer
            .clone()
            .approve_complaint_compensation(decision(&c.id, 1, "approve"))
            .await
            .answer();
        n.start(Peer::Costs).await;
        costs_count(&n, (5_000, 0)).await;
    }
);

both!(
    payments_refuse_bad_input_by_field_and_other_dealers,
    start,
    |n: Network| async move {
        use costs_pb::CompensationKind as K;
        let c = opened(&n).await;
        let dealer = client(&n, who::dealer("d1"));
        let mut bad = proposal(&c.id, K::Compensation, 0);
        let r = dealer
            .clone()
            .propose_complaint_compensation(bad.clone())
            .await;
        assert_eq!(field_of(r), "compensation.amount.minor_units");
        bad.compensation.as_mut().unwrap().amount = Some(common::Money {
            currency_code: "USD".into(),
            minor_units: 100,
        });
        let r = dealer
            .clone()
            .propose_complaint_compensation(bad.clone())
            .await;
        assert_eq!(field_of(r), "compensation.amount.currency_code");
        let r = dealer
            .clone()
            .propose_complaint_compensation(proposal(&c.id, K::Unspecified, 100))
            .await;
        assert_eq!(field_of(r), "compensation.kind");
        let mut no_reason = proposal(&c.id, K::Goodwill, 100);
        no_reason.compensation.as_mut().unwrap().reason = String::new();
        let r = dealer
            .clone()
            .propose_complaint_compensation(no_reason)
            .await;
        assert_eq!(field_of(r), "compensation.reason");
        let r = dealer
            .clone()
            .approve_complaint_compensation(decision(&c.id, 0, "x"))
            .await;
        assert_eq!(field_of(r), "number");
        let r = dealer
            .clone()
            .approve_complaint_compensation(decision("nope", 1, "x"))
            .await;
        assert_eq!(field_of(r), "id");

        // Another dealer and another region do not see it; a DMS proposes
        // nothing.
        for other in [who::dealer("d2"), who::region("r2")] {
            let r = client(&n, other)
                .propose_complaint_compensation(proposal(&c.id, K::Goodwill, 100))
                .await;
            assert_eq!(code_of(r), Code::NotFound);
        }
        let r = client(&n, who::dms("d1"))
            .propose_complaint_compensation(proposal(&c.id, K::Goodwill, 100))
            .await;
        assert_eq!(code_of(r), Code::PermissionDenied);
        // A retried proposal adds one payment.
        let once = proposal(&c.id, K::Goodwill, 100);
        dealer
            .clone()
            .propose_complaint_compensation(once.clone())
            .await
            .answer();
        let again = dealer
            .clone()
            .propose_complaint_compensation(once)
            .await
            .answer();
        assert_eq!(again.compensations.len(), 1);
    }
);
