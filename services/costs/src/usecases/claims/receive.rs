//! The claim of a delivered warranty RO, drafted once per event and once
//! per RO: its lines priced and every check run on what the peers answered
//! (a peer that did not answer leaves its checks UNAVAILABLE, and the draft
//! is kept all the same), counted in `claims.count` in the periods of the
//! delivery.

use aftercare_auth::Principal;
use aftercare_db::timestamp::from_micros;

use super::{
    WarrantyClaims, apply,
    evidence::{facts_of, gather},
};
use crate::{
    domain::{
        access,
        claims::{ApprovalLevel, Claim, ClaimState, claim_id, draft},
        delivered::{Delivered, OrderType},
        tally::{keys, periods_of},
    },
    error::{Error, Result},
    store,
};

/// The tally of claims drafted.
const CLAIMS_COUNT: &str = "claims.count";

impl WarrantyClaims {
    /// Drafts the claim of `ro`, delivered as event `event_id` by the
    /// dealers relay for the RO's dealer.
    pub(crate) async fn receive(
        &self,
        principal: &Principal,
        event_id: &str,
        ro: Delivered,
    ) -> Result<Claim> {
        if !access::is_dealers_relay(principal, &ro.place.dealer_id) {
            return Err(Error::PermissionDenied(
                "only the dealers service delivers its events".into(),
            ));
        }
        if ro.order_type != OrderType::Warranty {
            return Err(Error::invalid(
                "event.repair_order.type",
                "must be a warranty repair order",
            ));
        }
        let id = claim_id(&ro.repair_order_id);
        {
            // Another delivery of the RO: its claim as it is, no peer read.
            let mut conn = self.cx.db.pool().acquire().await?;
            if let Some(existing) = store::claims::get(&mut conn, &id).await? {
                return Ok(existing);
            }
        }
        let now = self.cx.clock.now_micros();
        let mut claim = drafted(id, &ro, &principal.subject, now);
        let evidence = gather(&self.cx, principal, &claim).await?;
        apply(&mut claim, &evidence, self.limits(), now)?;
        let mut tx = self.cx.db.begin().await?;
        let first = aftercare_outbox::apply_once(&mut tx, event_id).await?;
        if let Some(existing) = store::claims::get(&mut tx, &claim.id).await? {
            tx.commit().await?;
            return Ok(existing);
        }
        if !first {
            return Err(Error::Internal(
                format!("event {event_id} was applied but left no claim").into(),
            ));
        }
        store::places::remember(&mut tx, &ro.place).await?;
        store::claims::insert(&mut tx, &claim).await?;
        let periods = periods_of(&self.cx.zone, from_micros(ro.delivery_time));
        let counted: Vec<_> = keys(&ro.place.scopes(), &periods, CLAIMS_COUNT)
            .into_iter()
            .map(|k| (k, 1))
            .collect();
        store::tallies::add(&mut tx, &counted).await?;
        tx.commit().await?;
        Ok(claim)
    }
}

/// The draft of `ro`'s claim, unpriced and unchecked.
fn drafted(id: String, ro: &Delivered, actor: &str, now: i64) -> Claim {
    let lines = draft::lines(ro);
    let vehicle = facts_of(&ro.vehicle);
    let mut claim = Claim {
        id,
        repair_order_id: ro.repair_order_id.clone(),
        place: ro.place.clone(),
        vehicle_id: ro.vehicle.id.clone(),
        vin: vehicle.vin,
        model: vehicle.model,
        mileage_km: ro.mileage_km,
        warranty_start: vehicle.warranty_start,
        arrival_time: ro.arrival_time,
        delivery_time: ro.delivery_time,
        causal_part_number: draft::causal_part(&lines),
        lines,
        checks: vec![],
        state: ClaimState::Draft,
        claimed: 0,
        approved: None,
        approval_level: ApprovalLevel::Station,
        history: vec![],
        payment_reference: String::new(),
        version: 1,
        create_time: now,
        update_time: now,
    };
    claim.moved(ClaimState::Draft, actor, now, "");
    claim
}
