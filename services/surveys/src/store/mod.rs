//! Storage of templates, invitations and responses, on PostgreSQL or SQLite
//! through one implementation (see `aftercare-db`). Each mutation is one
//! transaction: the idempotency claim, the access check against the stored
//! object, the change, its outbox event and the stored answer commit
//! together or not at all.

mod aggregates;
mod invitations;
mod leagues;
mod responses;
mod templates;

pub use aggregates::ScoreSubject;
pub use invitations::{Delivered, Invitation, IssuedLink, RateScope, ResponseRate};
pub use leagues::{MemberKind, MemberSums, MonthSums};
pub use responses::{COMPLAINTS, Channel, LOW_SCORE, Response, SurveyByLink};
pub use templates::{PublishedVersion, SurveyTemplate};

use aftercare_db::{Db, Tx, idempotency};
pub use aftercare_edge::Caller;
use serde::Serialize;

use crate::error::Result;

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// What the store needs to know beyond its database.
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

/// The surveys store.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    rules: Rules,
}

impl Store {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            rules: Rules::default(),
        }
    }

    pub fn with_rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// Brings the schema up to date: the service's tables and its outbox.
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&MIGRATOR).await?;
        aftercare_outbox::migrate(db).await?;
        Ok(())
    }

    /// Stores the answer with the change and commits both.
    async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
        Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
    }
}

/// Starts a mutation or returns the replayed answer from the enclosing
/// function.
macro_rules! begin {
    ($store:expr, $caller:expr) => {
        aftercare_db::begin_write!(&$store.db, $caller.key.as_ref())
    };
}
use begin;
