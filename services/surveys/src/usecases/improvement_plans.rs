//! Improvement plans: the focus from a dealer's scores, plans with their
//! baselines, and the check at the end of the check period — on request or
//! by the background task ([`ImprovementPlans::spawn_checks`]), once per
//! plan whatever the number of replicas: the check's write is conditional
//! on the plan still being open at the version it read.

use std::time::Duration;

use aftercare_auth::Principal;
use aftercare_db::{Tx, begin_write, timestamp};
use aftercare_edge::{
    Caller,
    resource::{check_etag, expect_one, new_meta, next_meta},
};
use aftercare_values::{PageRequest, Period};

use super::{Context, commit};
use crate::{
    domain::{
        access::{ListScope, list_scope},
        improvement::{self, Focus},
        plan::{self, Goal, Plan, PlanAttribute, PlanState},
    },
    error::{Error, Result},
    store::improvement_plans as store,
};

const PLAN: &str = "improvement plan";
const DEALER: &str = "dealer";

/// Who checked a plan when the background task did.
const AUTOMATIC: &str = "automatic";

/// A new plan as the caller asks for it.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub dealer_id: String,
    pub goals: Vec<Goal>,
    pub baseline_period: Period,
    pub check_period: Option<Period>,
    pub owner: String,
    pub deadline: i64,
}

/// What an update changes (each when set).
#[derive(Debug, Clone, Default)]
pub struct PlanChanges {
    pub goals: Option<Vec<Goal>>,
    pub owner: Option<String>,
    pub deadline: Option<i64>,
}

/// The list's filters.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub dealer_id: String,
    pub region_id: String,
    pub state: Option<PlanState>,
}

#[derive(Debug, Clone)]
pub struct ImprovementPlans {
    cx: Context,
}

fn refused((field, reason): plan::Refusal) -> Error {
    Error::invalid(field, reason)
}

impl ImprovementPlans {
    pub fn new(cx: Context) -> Self {
        Self { cx }
    }

    /// The region of a dealer the caller sees: NOT_FOUND for a dealer it
    /// does not, or one surveys has never had an RO of.
    async fn region_of(
        &self,
        conn: &mut sqlx::AnyConnection,
        caller: &Principal,
        dealer_id: &str,
    ) -> Result<String> {
        store::dealer_region(conn, dealer_id)
            .await?
            .filter(|region| plan::sees(caller, dealer_id, region))
            .ok_or_else(|| Error::not_found(DEALER, dealer_id))
    }

    /// The weakest `limit` items, dimensions and factors of `dealer_id` in
    /// `period`, beside the network's, read in one snapshot.
    pub async fn focus(
        &self,
        caller: &Principal,
        dealer_id: &str,
        period: Period,
        limit: usize,
    ) -> Result<Focus> {
        let mut tx = self.cx.db.begin_snapshot().await?;
        self.region_of(&mut tx, caller, dealer_id).await?;
        let dealer = store::sums(&mut tx, Some(dealer_id), period).await?;
        let network = store::sums(&mut tx, None, period).await?;
        tx.commit().await?;
        Ok(improvement::focus(&dealer, &network, limit))
    }

    pub async fn create(&self, caller: &Caller, new: NewPlan) -> Result<Plan> {
        plan::check_goals(&new.goals).map_err(refused)?;
        let check_period =
            plan::check_period(new.baseline_period, new.check_period).map_err(refused)?;
        let now = self.cx.clock.now_micros();
        if new.deadline <= now {
            return Err(Error::invalid("deadline", "must be in the future"));
        }
        let mut tx: Tx = begin_write!(&self.cx.db, caller.key.as_ref());
        let region_id = self
            .region_of(&mut tx, &caller.principal, &new.dealer_id)
            .await?;
        plan::check_change(&caller.principal, &new.dealer_id, &region_id)
            .map_err(|d| Error::denied(d, DEALER, &new.dealer_id))?;
        let baseline = store::sums(&mut tx, Some(&new.dealer_id), new.baseline_period).await?;
        let attributes = new
            .goals
            .into_iter()
            .map(|g| {
                let m = baseline.get(&g.attribute).copied().unwrap_or_default();
                PlanAttribute {
                    baseline_value: improvement::value_of(&g.attribute, m),
                    baseline_sample_size: m.n,
                    baseline: m,
                    attribute: g.attribute,
                    target: g.target,
                    check: None,
                }
            })
            .collect();
        let (_, check_end) = self.cx.rules.zone.period_bounds(&check_period);
        let plan = Plan {
            id: uuid::Uuid::now_v7().to_string(),
            dealer_id: new.dealer_id,
            region_id,
            state: PlanState::Open,
            attributes,
            baseline_period: new.baseline_period,
            check_period,
            owner: new.owner,
            deadline: new.deadline,
            check_due_time: timestamp::to_micros(check_end),
            met: None,
            check_time: None,
            checked_by: None,
            meta: new_meta(now),
        };
        store::insert(&mut tx, &plan).await?;
        commit(tx, caller, plan).await
    }

    pub async fn get(&self, caller: &Principal, id: &str) -> Result<Plan> {
        let mut conn = self.cx.db.pool().acquire().await?;
        store::find(&mut conn, id)
            .await?
            .filter(|p| plan::sees(caller, &p.dealer_id, &p.region_id))
            .ok_or_else(|| Error::not_found(PLAN, id))
    }

    /// A page of the plans the caller sees, newest first.
    pub async fn list(
        &self,
        caller: &Principal,
        filter: &PlanFilter,
        page: &PageRequest,
    ) -> Result<Vec<Plan>> {
        let scope: ListScope = list_scope(caller).map_err(|d| Error::denied(d, PLAN, ""))?;
        store::list(
            &self.cx.db,
            &scope,
            &filter.dealer_id,
            &filter.region_id,
            filter.state,
            page.after.as_deref(),
            page.fetch_limit(),
        )
        .await
    }

    /// Reads plan `id` in `tx` for a change by `caller` at `etag`: it must
    /// be seen, changeable by the caller, current, and open.
    async fn for_change(
        &self,
        tx: &mut Tx,
        caller: &Principal,
        id: &str,
        etag: Option<i64>,
    ) -> Result<Plan> {
        let plan = store::find(tx, id)
            .await?
            .filter(|p| plan::sees(caller, &p.dealer_id, &p.region_id))
            .ok_or_else(|| Error::not_found(PLAN, id))?;
        plan::check_change(caller, &plan.dealer_id, &plan.region_id)
            .map_err(|d| Error::denied(d, PLAN, id))?;
        check_etag(&plan.meta, etag, PLAN, id)?;
        if !plan.is_open() {
            return Err(Error::FailedPrecondition(format!(
                "improvement plan {id} is {}",
                plan.state.as_str()
            )));
        }
        Ok(plan)
    }

    /// Writes the changed `plan` (read at `version`) as its next version.
    async fn write(&self, tx: &mut Tx, mut plan: Plan, now: i64) -> Result<Plan> {
        let version = plan.meta.version;
        plan.meta = next_meta(&plan.meta, now);
        let id = plan.id.clone();
        expect_one(
            u64::from(store::update(tx, &plan, version).await?),
            PLAN,
            &id,
        )?;
        Ok(plan)
    }

    pub async fn update(
        &self,
        caller: &Caller,
        id: &str,
        changes: PlanChanges,
        etag: Option<i64>,
    ) -> Result<Plan> {
        let now = self.cx.clock.now_micros();
        if changes.deadline.is_some_and(|d| d <= now) {
            return Err(Error::invalid("deadline", "must be in the future"));
        }
        let mut tx: Tx = begin_write!(&self.cx.db, caller.key.as_ref());
        let mut plan = self
            .for_change(&mut tx, &caller.principal, id, etag)
            .await?;
        if let Some(goals) = &changes.goals {
            plan.retarget(goals).map_err(refused)?;
        }
        if let Some(owner) = changes.owner {
            plan.owner = owner;
        }
        if let Some(deadline) = changes.deadline {
            plan.deadline = deadline;
        }
        let plan = self.write(&mut tx, plan, now).await?;
        commit(tx, caller, plan).await
    }

    pub async fn cancel(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<Plan> {
        let now = self.cx.clock.now_micros();
        let mut tx: Tx = begin_write!(&self.cx.db, caller.key.as_ref());
        let mut plan = self
            .for_change(&mut tx, &caller.principal, id, etag)
            .await?;
        plan.state = PlanState::Cancelled;
        let plan = self.write(&mut tx, plan, now).await?;
        commit(tx, caller, plan).await
    }

    /// The check on request: a checked plan answers its check again.
    pub async fn check(&self, caller: &Caller, id: &str) -> Result<Plan> {
        let now = self.cx.clock.now_micros();
        let mut tx: Tx = begin_write!(&self.cx.db, caller.key.as_ref());
        let plan = store::find(&mut tx, id)
            .await?
            .filter(|p| plan::sees(&caller.principal, &p.dealer_id, &p.region_id))
            .ok_or_else(|| Error::not_found(PLAN, id))?;
        plan::check_change(&caller.principal, &plan.dealer_id, &plan.region_id)
            .map_err(|d| Error::denied(d, PLAN, id))?;
        let plan = match plan.state {
            PlanState::Checked => plan,
            PlanState::Cancelled => {
                return Err(Error::FailedPrecondition(format!(
                    "improvement plan {id} is cancelled"
                )));
            }
            PlanState::Open if now < plan.check_due_time => {
                return Err(Error::FailedPrecondition(format!(
                    "the check period {} of improvement plan {id} is not over",
                    plan.check_period
                )));
            }
            PlanState::Open => match self
                .checked(&mut tx, plan, now, &caller.principal.subject)
                .await?
            {
                Some(plan) => plan,
                // Checked meanwhile by another replica: its check stands.
                None => {
                    tx.rollback().await?;
                    return self.get(&caller.principal, id).await;
                }
            },
        };
        commit(tx, caller, plan).await
    }

    /// Checks open `plan` in `tx` at `now`: the check period's moments
    /// against the baselines. None when another writer checked or changed
    /// it first (nothing written).
    async fn checked(
        &self,
        tx: &mut Tx,
        mut plan: Plan,
        now: i64,
        by: &str,
    ) -> Result<Option<Plan>> {
        let sums = store::sums(tx, Some(&plan.dealer_id), plan.check_period).await?;
        let min_sample = self.cx.leagues.settings().min_sample;
        let checks = plan
            .attributes
            .iter()
            .map(|a| {
                let m = sums.get(&a.attribute).copied().unwrap_or_default();
                improvement::check(&a.attribute, a.baseline, m, a.target, min_sample)
            })
            .collect();
        plan.record_check(checks, now, by);
        let version = plan.meta.version;
        plan.meta = next_meta(&plan.meta, now);
        Ok(store::update(tx, &plan, version).await?.then_some(plan))
    }

    /// Checks every open plan whose check period is over by the clock;
    /// answers how many this call checked. Replicas running it at once
    /// check each plan once: the write is conditional on the plan being
    /// still open at the version read.
    pub async fn check_due(&self) -> Result<usize> {
        const BATCH: i64 = 100;
        let mut checked = 0;
        loop {
            let now = self.cx.clock.now_micros();
            let due = store::due(&self.cx.db, now, BATCH).await?;
            let mut moved = false;
            for id in &due {
                let mut tx = self.cx.db.begin().await?;
                let Some(plan) = store::find(&mut tx, id).await?.filter(Plan::is_open) else {
                    continue;
                };
                if let Some(_plan) = self.checked(&mut tx, plan, now, AUTOMATIC).await? {
                    tx.commit().await?;
                    checked += 1;
                    moved = true;
                }
            }
            if (due.len() as i64) < BATCH || !moved {
                return Ok(checked);
            }
        }
    }

    /// The background task: [`Self::check_due`] every `every`.
    pub fn spawn_checks(self, every: Duration) -> tokio::task::JoinHandle<()> {
        aftercare_db::periodic::every(every, move || {
            let this = self.clone();
            async move {
                if let Err(e) = this.check_due().await {
                    tracing::warn!(error = %e, "improvement plans not checked yet");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests;
