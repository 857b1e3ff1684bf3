//! Warranty claims: drafted from the delivered warranty RO's event
//! ([`receive`]), read and listed, their checks re-run, submitted, approved
//! within the warranty budget left, rejected, resubmitted and paid. The
//! peers a check reads are read before the transaction opens
//! ([`evidence`]); the claim is then read again in the transaction and
//! written over the version it was read at.

mod approve;
mod evidence;
mod receive;

use aftercare_auth::{Principal, Scope as Caller};
use aftercare_db::Tx;
use sqlx::AnyConnection;

use self::evidence::gather;
use super::{Caller as MutationCaller, commit};
pub(crate) use crate::store::claims::ClaimFilter;
use crate::{
    domain::{
        access::Denied,
        claims::{
            Claim, ClaimError, ClaimState,
            authority::{self, Limits},
            checks::{self, Evidence, Read},
        },
    },
    error::{Error, Result},
    store,
};

const CLAIM: &str = "warranty claim";

area!(
    /// Warranty claims.
    WarrantyClaims
);

/// A claim's refusal, as the caller reads it.
fn refused(e: ClaimError) -> Error {
    match e {
        ClaimError::NoLine(_)
        | ClaimError::DecidedTwice(_)
        | ClaimError::AboveClaimed { .. }
        | ClaimError::NoReason(_)
        | ClaimError::Overflow => Error::invalid("line_decisions", e.to_string()),
        _ => Error::FailedPrecondition(e.to_string()),
    }
}

/// The claim `id` if `principal` sees it, else NOT_FOUND.
async fn visible(conn: &mut AnyConnection, principal: &Principal, id: &str) -> Result<Claim> {
    store::claims::get(conn, id)
        .await?
        .filter(|c| authority::check_read(principal, c).is_ok())
        .ok_or_else(|| Error::not_found(CLAIM, id))
}

/// The claim `id` read in `tx` for a change `check` allows, at the version
/// `etag` names (if any).
async fn for_change(
    tx: &mut Tx,
    principal: &Principal,
    id: &str,
    etag: Option<i64>,
    check: fn(&Principal, &Claim) -> Result<(), Denied>,
) -> Result<Claim> {
    let claim = visible(tx, principal, id).await?;
    check(principal, &claim).map_err(|d| Error::denied(d, CLAIM, id))?;
    if etag.is_some_and(|v| v != claim.version) {
        return Err(Error::stale(CLAIM, id));
    }
    Ok(claim)
}

/// Writes `claim`, changed at `now`, over the version it was read at.
async fn save(tx: &mut Tx, claim: &mut Claim, now: i64) -> Result<()> {
    let read_version = claim.version;
    claim.version += 1;
    claim.update_time = now;
    if store::claims::update(tx, claim, read_version).await? {
        Ok(())
    } else {
        Err(Error::stale(CLAIM, &claim.id))
    }
}

/// Prices what can now be priced, and runs every check on what was read.
fn apply(claim: &mut Claim, e: &Evidence, limits: Limits, now: i64) -> Result<()> {
    if claim.vin.is_empty()
        && let Read::Got(v) = &e.vehicle
    {
        claim.vin = v.vin.clone();
        claim.model = v.model.clone();
        claim.warranty_start = v.warranty_start;
    }
    checks::price_lines(&mut claim.lines, e);
    claim.claimed =
        Claim::claimed_total(&claim.lines).map_err(|e| Error::FailedPrecondition(e.to_string()))?;
    claim.approval_level = authority::level_for(claim.claimed, limits);
    claim.checks = checks::run_all(claim, e, now);
    Ok(())
}

impl WarrantyClaims {
    fn limits(&self) -> Limits {
        Limits {
            station: self.cx.settings.station_limit,
            region: self.cx.settings.region_limit,
        }
    }

    pub(crate) async fn get(&self, principal: &Principal, id: &str) -> Result<Claim> {
        let mut conn = self.cx.db.pool().acquire().await?;
        visible(&mut conn, principal, id).await
    }

    /// Claims `filter` asks for among those `principal` sees, newest first.
    pub(crate) async fn list(
        &self,
        principal: &Principal,
        mut filter: ClaimFilter,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<Claim>> {
        match &principal.scope {
            Caller::Oem => {}
            Caller::Region { region_id } => filter.region_ids.push(region_id.clone()),
            Caller::Dealer {
                dealer_id,
                station_ids,
            } => {
                filter.dealer_ids.push(dealer_id.clone());
                if !station_ids.is_empty() {
                    filter.station_ids = Some(station_ids.clone());
                }
            }
            Caller::Dms { dealer_id } => filter.dealer_ids.push(dealer_id.clone()),
            Caller::SurveyLink { .. } => {
                return Err(Error::PermissionDenied(
                    "a survey link reads no claims".into(),
                ));
            }
        }
        let mut conn = self.cx.db.pool().acquire().await?;
        store::claims::list(&mut conn, &filter, after, limit).await
    }

    /// Runs the checks of claim `id` again (after `change`, if any),
    /// reading the peers first.
    async fn recheck(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
        allowed: fn(&Principal, &Claim) -> Result<(), Denied>,
        change: impl Fn(&mut Claim) -> Result<()>,
    ) -> Result<Claim> {
        let principal = &caller.principal;
        let mut claim = self.get(principal, id).await?;
        allowed(principal, &claim).map_err(|d| Error::denied(d, CLAIM, id))?;
        change(&mut claim)?;
        let evidence = gather(&self.cx, principal, &claim).await?;
        let mut tx = begin!(self.cx, caller);
        let mut fresh = for_change(&mut tx, principal, id, etag, allowed).await?;
        change(&mut fresh)?;
        if fresh.causal_part_number != claim.causal_part_number {
            // Changed meanwhile: what was read may not fit it.
            return Err(Error::stale(CLAIM, id));
        }
        let now = self.cx.clock.now_micros();
        apply(&mut fresh, &evidence, self.limits(), now)?;
        save(&mut tx, &mut fresh, now).await?;
        commit(tx, caller, fresh).await
    }

    /// Runs every check of a draft, submitted or rejected claim again.
    pub(crate) async fn rerun(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
    ) -> Result<Claim> {
        // Anyone who sees the claim may have its checks run again.
        self.recheck(caller, id, etag, authority::check_read, |c| {
            c.check_open("re-checked").map_err(refused)
        })
        .await
    }

    /// Names another causal part (one of the claim's parts) on a draft or
    /// rejected claim, and runs the checks again.
    pub(crate) async fn set_causal_part(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
        part_number: String,
    ) -> Result<Claim> {
        self.recheck(caller, id, etag, authority::check_dealer_side, move |c| {
            if !matches!(c.state, ClaimState::Draft | ClaimState::Rejected) {
                return Err(refused(ClaimError::State(c.state, "changed")));
            }
            if !c.lines.iter().any(|l| l.part_number == part_number) {
                return Err(Error::invalid(
                    "claim.causal_part_number",
                    format!("{part_number} is no part of the claim"),
                ));
            }
            c.causal_part_number = part_number.clone();
            Ok(())
        })
        .await
    }

    /// Moves claim `id` as `step` does, in one transaction, for a caller
    /// `allowed` lets.
    async fn step(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
        allowed: fn(&Principal, &Claim) -> Result<(), Denied>,
        step: impl FnOnce(&mut Claim, &str, i64) -> Result<(), ClaimError>,
    ) -> Result<Claim> {
        let mut tx = begin!(self.cx, caller);
        let mut claim = for_change(&mut tx, &caller.principal, id, etag, allowed).await?;
        let now = self.cx.clock.now_micros();
        step(&mut claim, &caller.principal.subject, now).map_err(refused)?;
        save(&mut tx, &mut claim, now).await?;
        commit(tx, caller, claim).await
    }

    /// draft → submitted, while no check is unavailable.
    pub(crate) async fn submit(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
    ) -> Result<Claim> {
        self.step(
            caller,
            id,
            etag,
            authority::check_dealer_side,
            |c, who, now| {
                c.expect(ClaimState::Draft, "submitted")?;
                c.check_submittable()?;
                c.moved(ClaimState::Submitted, who, now, "");
                Ok(())
            },
        )
        .await
    }

    /// rejected → submitted, with the reason for asking again.
    pub(crate) async fn resubmit(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
        reason: &str,
    ) -> Result<Claim> {
        self.step(
            caller,
            id,
            etag,
            authority::check_dealer_side,
            |c, who, now| {
                c.expect(ClaimState::Rejected, "resubmitted")?;
                c.check_submittable()?;
                for line in &mut c.lines {
                    line.approved = None;
                    line.decision_reason.clear();
                }
                c.approved = None;
                c.moved(ClaimState::Submitted, who, now, reason);
                Ok(())
            },
        )
        .await
    }

    /// submitted → rejected, with the reason.
    pub(crate) async fn reject(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
        reason: &str,
    ) -> Result<Claim> {
        self.step(
            caller,
            id,
            etag,
            authority::check_approver,
            |c, who, now| {
                c.expect(ClaimState::Submitted, "rejected")?;
                c.moved(ClaimState::Rejected, who, now, reason);
                Ok(())
            },
        )
        .await
    }

    /// approved or partly approved → paid, with the payment's reference.
    pub(crate) async fn pay(
        &self,
        caller: &MutationCaller,
        id: &str,
        etag: Option<i64>,
        reference: &str,
    ) -> Result<Claim> {
        self.step(caller, id, etag, authority::check_payer, |c, who, now| {
            if !matches!(c.state, ClaimState::Approved | ClaimState::PartlyApproved) {
                return Err(ClaimError::State(c.state, "paid"));
            }
            c.payment_reference = reference.to_owned();
            c.moved(ClaimState::Paid, who, now, "");
            Ok(())
        })
        .await
    }
}
