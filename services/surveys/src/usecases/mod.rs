//! What the service does, one function per mutation and per read, each in
//! the same order: begin the write transaction (a replayed `request_id`
//! returns its stored answer) → check access → run the domain → write the
//! rows (`crate::store`) → enqueue the outbox events → commit with the
//! answer → after-commit effects (the league tables move once a response
//! is committed). A read checks access and reads the rows.
//!
//! One type per area, each holding what its functions need: the database,
//! the [`Rules`], the league tables.

mod complaint_followups;
mod complaints;
mod improvement_plans;
mod invitations;
mod leagues;
mod responses;
mod scorecards;
mod scores;
mod templates;

pub use self::improvement_plans::{ImprovementPlans, NewPlan, PlanChanges, PlanFilter};
pub use self::{
    complaint_followups::{CustomerOpening, Proposal},
    complaints::{Change, ComplaintRules, Complaints, Filter, LowScore, Opening},
    invitations::Invitations,
    leagues::LeagueTables,
    responses::Responses,
    scorecards::{Scorecard, Scorecards},
    scores::Scores,
    templates::Templates,
};

use std::sync::Arc;

use aftercare_db::{Db, Tx, idempotency, timestamp::Clock};
pub use aftercare_edge::Caller;
use serde::Serialize;

use crate::{error::Result, leagues::Leagues, peers::Peers};

/// What the use cases need to know beyond the database.
#[derive(Debug, Clone)]
pub struct Rules {
    /// How long a link token is good for after it is issued, in seconds.
    pub link_lifetime_secs: i64,
    /// The template whose latest version new invitations ask.
    pub invitation_template: String,
    /// A response whose service index is below this raises a low-score
    /// alert (`scoring::is_below_threshold`).
    pub alert_below: u32,
    /// The OEM's time zone: days and periods are bucketed in it.
    pub zone: aftercare_values::OemZone,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            link_lifetime_secs: 30 * 24 * 3600,
            invitation_template: "after-sales".into(),
            alert_below: crate::domain::scoring::DEFAULT_ALERT_BELOW,
            zone: aftercare_values::OemZone::utc(),
        }
    }
}

/// What the use cases that read the clock or call other services run on
/// (complaints, the scorecard, improvement plans).
#[derive(Debug, Clone)]
pub struct Context {
    pub(crate) db: Db,
    pub(crate) rules: Rules,
    /// The time every change is stamped with and every deadline judged by.
    pub(crate) clock: Clock,
    /// Dealers, parts and costs.
    pub(crate) peers: Peers,
    pub(crate) leagues: Arc<Leagues>,
}

/// Stores the answer with the change and commits both.
async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
    Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
}
