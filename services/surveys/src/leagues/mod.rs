//! The league tables. Everything of them lives in this folder but two
//! parts: the ranking rules, pure (`crate::domain::league`, written down in
//! `docs/scoring.md` §4), and the contract (`crate::grpc::leagues`); the
//! access checks of a read or a rebuild are the use case's
//! (`crate::usecases::LeagueTables`).
//!
//! - here, [`Leagues`]: the live tables of the service, kept in a table
//!   store and shared by the response use case, the league RPCs and the
//!   repair task;
//! - `record`: the tables moved as each response is committed;
//! - `read`: a page or a standing, with the database as the fallback;
//! - `rebuild`: the tables rebuilt from the database — on request, and by
//!   a background task once a store that missed updates answers again,
//!   once a store found to have lost its tables (restarted empty) answers
//!   again, or once a late answer moved the next period's prior and
//!   previous ranks; `marks`: which periods wait for it;
//! - `compute`: a table computed from the database, the one way a table is
//!   made; `queries`: the SQL it is computed from;
//! - [`boards`]: the table stores, on Redis ([`boards::RedisBoards`]) and
//!   in process ([`boards::MemoryBoards`]).

pub mod assessment;
pub mod boards;
mod compute;
mod marks;
mod queries;
mod read;
mod rebuild;
mod record;

use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use aftercare_db::Db;
use aftercare_serving::watch::Changes;
use aftercare_values::{OemZone, Period, period::PeriodKind};

use self::{
    boards::{BoardError, LeagueBoards},
    marks::Marks,
};
pub use self::{
    compute::{Group, Payload, metric_id, metric_of},
    queries::{MemberSums, MonthSums},
    read::{Read, Source},
    rebuild::Rebuilt,
};
use crate::{
    domain::{aggregate::Aggregate, league::LeagueSettings},
    error::{Error, Result},
};

/// How long a period's network, read for the prior of the next period's
/// tables, is reused. A late answer recorded in this process refreshes it at
/// once; one recorded by another replica, after this long.
const NETWORK_REUSE: Duration = Duration::from_secs(60);

/// How the league tables run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeagueOptions {
    pub settings: LeagueSettings,
    /// How often the background task rebuilds the tables that missed
    /// updates or whose prior moved.
    pub repair_every: Duration,
    /// How often a watched table is read again: for the writes of other
    /// replicas (this process's own wake its watches at once).
    pub watch_every: Duration,
}

impl Default for LeagueOptions {
    fn default() -> Self {
        Self {
            settings: LeagueSettings::default(),
            repair_every: Duration::from_secs(5),
            watch_every: Duration::from_secs(10),
        }
    }
}

/// How far the tables of this process are behind the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Periods whose tables wait for the background task's rebuild (a
    /// missed update, or a late answer's move).
    pub waiting_periods: usize,
    /// Whether the store was found to have lost its tables and every
    /// period is yet to be marked for a rebuild.
    pub lost: bool,
    /// How long something has waited for a rebuild without a pause; none
    /// when every table is as the database says.
    pub behind: Option<Duration>,
    /// How many times this process found the store had lost its tables.
    pub losses: u64,
}

/// The league tables of the service. Shared (`Arc`) by the response use
/// case, the league use case and the repair task.
#[derive(Debug)]
pub struct Leagues {
    db: Db,
    /// The OEM's time zone: a response's delivery day places it in periods.
    zone: OemZone,
    boards: Arc<dyn LeagueBoards>,
    options: LeagueOptions,
    /// The periods whose tables are to be rebuilt. Kept in memory: a restart
    /// of a replica forgets them (see the docs).
    marks: Mutex<Marks>,
    /// Each period's network as last read, for the next period's prior.
    networks: Mutex<HashMap<Period, (Instant, Aggregate)>>,
    /// Wakes the watches of tables after each write of this process.
    changes: Changes,
}

impl Leagues {
    /// The tables of the responses in `db`, their periods by the days of
    /// `zone`, kept in `boards`.
    pub fn new(
        db: Db,
        zone: OemZone,
        boards: Arc<dyn LeagueBoards>,
        options: LeagueOptions,
    ) -> Self {
        Self {
            db,
            zone,
            boards,
            options,
            marks: Mutex::default(),
            networks: Mutex::default(),
            changes: Changes::default(),
        }
    }

    /// What the writes of the tables tell their watches.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    pub fn options(&self) -> &LeagueOptions {
        &self.options
    }

    /// The table store (tests flush it; the CLI reports on it).
    pub fn boards(&self) -> &Arc<dyn LeagueBoards> {
        &self.boards
    }

    pub fn settings(&self) -> &LeagueSettings {
        &self.options.settings
    }

    fn marks(&self) -> std::sync::MutexGuard<'_, Marks> {
        self.marks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `period`'s tables are not to be read from the store: they
    /// missed an update, or the store lost its tables.
    pub fn is_stale(&self, period: Period) -> bool {
        let marks = self.marks();
        marks.lost.is_some() || marks.stale.contains_key(&period)
    }

    /// Whether every table is as the database says, with nothing left for
    /// the background task to rebuild.
    pub fn is_settled(&self) -> bool {
        self.marks().is_settled()
    }

    /// How far this process's tables are behind the database, for the
    /// metrics.
    pub fn freshness(&self) -> Freshness {
        let marks = self.marks();
        let mut periods: BTreeSet<&Period> = marks.stale.keys().collect();
        periods.extend(marks.outdated.keys());
        Freshness {
            waiting_periods: periods.len(),
            lost: marks.lost.is_some(),
            behind: marks.since.map(|t| t.elapsed()),
            losses: marks.losses,
        }
    }

    /// A failed call to the store, as the service answers it.
    fn board_error(&self, e: BoardError) -> Error {
        self.noticed(&e);
        match e {
            BoardError::Unavailable(_) => {
                Error::Unavailable("the league tables are unavailable".into())
            }
            BoardError::Lost => Error::Unavailable("the league tables are being rebuilt".into()),
            other => Error::Internal(Box::new(other)),
        }
    }

    /// A store found to have lost its tables is trusted for none of them
    /// until the background task marked every period to rebuild.
    fn noticed(&self, e: &BoardError) {
        if matches!(e, BoardError::Lost) {
            tracing::warn!(
                "the league table store lost its tables (restarted empty or flushed): \
                 serving them from the database until rebuilt"
            );
            self.marks().mark_lost();
        }
    }

    /// Marks periods stale: their tables are read from the database until
    /// rebuilt.
    pub fn mark_stale(&self, periods: impl IntoIterator<Item = Period>) {
        let mut marks = self.marks();
        for period in periods {
            marks.mark(false, period);
        }
    }

    /// Marks stale every period with responses (its months, quarters and
    /// years) that has no table in the store: all of them for the in-process
    /// store, which starts empty; on Redis, those flushed or written by an
    /// older layout. All of them when the store does not answer. Called at
    /// start-up: from then on, a store that loses its tables is noticed.
    pub async fn mark_unbuilt(&self) -> Result<()> {
        // First look at the store: a loss from now on is noticed.
        if let Err(e) = self.boards.verify().await {
            self.noticed(&e);
        }
        for period in self.periods_with_responses().await? {
            if self
                .boards
                .boards(period)
                .await
                .map_or(true, |b| b.is_empty())
            {
                self.mark_stale([period]);
            }
        }
        Ok(())
    }

    /// The months, quarters and years that have responses.
    async fn periods_with_responses(&self) -> Result<BTreeSet<Period>> {
        // With the periods of the assessment snapshots: their tables are
        // rebuilt with the others.
        let mut periods: BTreeSet<Period> = crate::store::scorecards::assessed_periods(&self.db)
            .await?
            .into_iter()
            .collect();
        for month in queries::months(&self.db).await? {
            let Ok(month) = month.parse::<Period>() else {
                continue;
            };
            periods.extend(periods_of(month.first_day()));
        }
        Ok(periods)
    }

    /// The network's sums over `period`: the prior of the next period's
    /// tables, fixed for it but for late answers.
    async fn network(&self, period: Period) -> Result<Aggregate> {
        let cache = || self.networks.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((read, network)) = cache().get(&period)
            && read.elapsed() < NETWORK_REUSE
        {
            return Ok(network.clone());
        }
        let network = queries::network(&self.db, period).await?;
        cache().insert(period, (Instant::now(), network.clone()));
        Ok(network)
    }
}

/// The periods with tables that hold `day`: its month, quarter and year
/// (the year last).
fn periods_of(day: time::Date) -> [Period; 3] {
    [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year]
        .map(|kind| Period::containing(kind, day))
}
