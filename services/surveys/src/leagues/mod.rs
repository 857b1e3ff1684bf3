//! The live league tables: computed from the database ([`compute`]), kept
//! in a [`LeagueBoards`] store, moved as each response is scored, read with
//! the database as the fallback, and rebuilt — on request, and by a
//! background task once a store that missed updates answers again.

mod compute;
mod read;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use aftercare_values::{Period, period::PeriodKind};

pub use self::{
    compute::{Computed, Group, Payload, Priors, compute, compute_with, metric_id, metric_of},
    read::{Read, Source},
};
use crate::{
    boards::{BoardError, LeagueBoards, Level, Scope},
    domain::league::{LeagueSettings, Metric},
    error::{Error, Result},
    store::{Response, Store},
};

/// How the league tables run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeagueOptions {
    pub settings: LeagueSettings,
    /// How often the background task tries again to rebuild the tables that
    /// missed updates.
    pub repair_every: Duration,
}

impl Default for LeagueOptions {
    fn default() -> Self {
        Self {
            settings: LeagueSettings::default(),
            repair_every: Duration::from_secs(5),
        }
    }
}

/// The league tables of the service. Shared (`Arc`) by the response RPCs,
/// the league RPCs and the repair task.
#[derive(Debug)]
pub struct Leagues {
    store: Store,
    boards: Arc<dyn LeagueBoards>,
    options: LeagueOptions,
    /// Periods whose tables missed an update (or were never built): read
    /// from the database and rebuilt as soon as the store answers. Kept in
    /// memory: a restart of a replica forgets them (see the docs). Each
    /// with the mark's number, so that a rebuild clears only the marks made
    /// before it started.
    stale: Mutex<Stale>,
    /// One live update at a time in this process: each computes after the
    /// previous one wrote, so an older row never lands over a newer one.
    /// (Replicas may still interleave; the next update of the member, or a
    /// rebuild, puts it right.)
    updating: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Stale {
    periods: BTreeMap<Period, u64>,
    marks: u64,
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub tables: u64,
    pub deleted: u64,
}

fn board_error(e: BoardError) -> Error {
    match e {
        BoardError::Unavailable(_) => {
            Error::Unavailable("the league tables are unavailable".into())
        }
        other => Error::Internal(Box::new(other)),
    }
}

impl Leagues {
    pub fn new(store: Store, boards: Arc<dyn LeagueBoards>, options: LeagueOptions) -> Self {
        Self {
            store,
            boards,
            options,
            stale: Mutex::default(),
            updating: tokio::sync::Mutex::new(()),
        }
    }

    /// The table store (tests flush it; the CLI reports on it).
    pub fn boards(&self) -> &Arc<dyn LeagueBoards> {
        &self.boards
    }

    pub fn settings(&self) -> &LeagueSettings {
        &self.options.settings
    }

    fn stale(&self) -> std::sync::MutexGuard<'_, Stale> {
        self.stale.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `period`'s tables missed an update.
    pub fn is_stale(&self, period: Period) -> bool {
        self.stale().periods.contains_key(&period)
    }

    /// Marks periods stale: their tables are read from the database until
    /// rebuilt.
    pub fn mark_stale(&self, periods: impl IntoIterator<Item = Period>) {
        let mut stale = self.stale();
        for period in periods {
            stale.marks += 1;
            let mark = stale.marks;
            stale.periods.insert(period, mark);
        }
    }

    /// Every period with responses: their months, quarters and years (for a
    /// store that starts empty, as the in-process one does).
    pub async fn mark_all_stale(&self) -> Result<()> {
        let mut periods = BTreeSet::new();
        for month in self.store.league_months().await? {
            let Ok(month) = month.parse::<Period>() else {
                continue;
            };
            let day = month.first_day();
            for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
                periods.insert(Period::containing(kind, day));
            }
        }
        self.mark_stale(periods);
        Ok(())
    }

    /// The groups of tables a response of `region` moves in a period.
    fn groups_of(region: &str, period: Period) -> Vec<Group> {
        let mut scopes = vec![Scope::National];
        if !region.is_empty() {
            scopes.push(Scope::Region(region.to_owned()));
        }
        scopes
            .into_iter()
            .flat_map(|scope| {
                [Level::Dealer, Level::Station].map(|level| Group {
                    scope: scope.clone(),
                    level,
                    period,
                })
            })
            .collect()
    }

    /// Moves the tables after `response` was stored (committed): its dealer's
    /// and station's rows in the national and regional tables of the month,
    /// quarter and year of its delivery day, for every metric; and, when the
    /// next period's tables exist already (a late answer), those whole, as
    /// their prior and previous ranks moved. Never fails: a store that does
    /// not answer leaves the periods stale, for the repair task.
    #[tracing::instrument(skip_all, fields(response_id = %response.id))]
    pub async fn record(&self, response: &Response) {
        let day = self.store.delivery_day(response.delivery_time);
        let _one_at_a_time = self.updating.lock().await;
        let periods = [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year]
            .map(|kind| Period::containing(kind, day));
        for (i, period) in periods.iter().enumerate() {
            if let Err(e) = self.record_in(response, *period).await {
                // Once the store fails, the remaining periods are not tried:
                // a store that hangs would hold the response that long again.
                tracing::warn!(error = %e, %period, "league tables missed an update; they are stale");
                self.mark_stale(periods[i..].iter().flat_map(|p| [*p, p.next()]));
                return;
            }
        }
    }

    async fn record_in(&self, response: &Response, period: Period) -> Result<()> {
        if self.is_stale(period) {
            // The repair task rebuilds it whole.
            return Ok(());
        }
        let priors = Priors::of(&self.store, period).await?;
        for group in Self::groups_of(&response.region_id, period) {
            let member = match group.level {
                Level::Dealer => &response.dealer_id,
                Level::Station => &response.station_id,
            };
            let computed = compute_with(&self.store, &group, &priors, self.settings()).await?;
            for metric in Metric::ALL {
                let rows: Vec<_> = computed
                    .rows(metric)
                    .iter()
                    .filter(|r| r.member() == member)
                    .cloned()
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                self.boards
                    .upsert(&group.board(metric)?, &rows)
                    .await
                    .map_err(board_error)?;
            }
        }
        // The next period's prior is this period's whole network, so every
        // one of its groups moves, in every region.
        let next = period.next();
        // A period that has not begun has no tables: no need to list them
        // (a scan of the store) for the usual answer of the current period.
        let today = self
            .store
            .delivery_day(aftercare_db::timestamp::now_micros());
        if next.first_day() > today {
            return Ok(());
        }
        let existing = self.boards.boards(next).await.map_err(board_error)?;
        if !existing.is_empty() && !self.is_stale(next) {
            let groups: BTreeSet<Group> = existing.iter().map(Group::of).collect();
            let priors = Priors::of(&self.store, next).await?;
            for group in &groups {
                self.replace_group(group, &priors).await?;
            }
        }
        Ok(())
    }

    /// Recomputes a group and replaces its tables.
    async fn replace_group(&self, group: &Group, priors: &Priors) -> Result<u64> {
        let computed = compute_with(&self.store, group, priors, self.settings()).await?;
        let mut written = 0;
        for (metric, rows) in &computed.tables {
            self.boards
                .replace(&group.board(*metric)?, rows)
                .await
                .map_err(board_error)?;
            written += u64::from(!rows.is_empty());
        }
        Ok(written)
    }

    /// Rebuilds every table of `period` from the database and deletes the
    /// period's tables left without members; `progress(done, total)` after
    /// each group of tables.
    pub async fn rebuild(
        &self,
        period: Period,
        progress: impl Fn(usize, usize),
    ) -> Result<Rebuilt> {
        let regions = self.store.league_regions(period).await?;
        let mut groups = Self::groups_of("", period);
        for region in &regions {
            groups.extend(
                Self::groups_of(region, period)
                    .into_iter()
                    .filter(|g| g.scope != Scope::National),
            );
        }
        // Stale until rebuilt, unless marked again meanwhile (an update
        // that failed while the rebuild ran).
        let mark = self.stale().periods.get(&period).copied();
        let done = self.rebuild_groups(period, &groups, progress).await?;
        let mut stale = self.stale();
        if stale.periods.get(&period).copied() == mark {
            stale.periods.remove(&period);
        }
        drop(stale);
        tracing::info!(%period, tables = done.tables, deleted = done.deleted, "league tables rebuilt");
        Ok(done)
    }

    async fn rebuild_groups(
        &self,
        period: Period,
        groups: &[Group],
        progress: impl Fn(usize, usize),
    ) -> Result<Rebuilt> {
        let existing = self.boards.boards(period).await.map_err(board_error)?;
        let priors = Priors::of(&self.store, period).await?;
        let mut done = Rebuilt::default();
        for (i, group) in groups.iter().enumerate() {
            done.tables += self.replace_group(group, &priors).await?;
            progress(i + 1, groups.len());
        }
        let mut kept = BTreeSet::new();
        for group in groups {
            for metric in Metric::ALL {
                kept.insert(group.board(metric)?);
            }
        }
        for board in existing.iter().filter(|b| !kept.contains(*b)) {
            self.boards.delete(board).await.map_err(board_error)?;
            done.deleted += 1;
        }
        Ok(done)
    }

    /// Rebuilds the stale periods, oldest first, until the store fails.
    pub async fn repair(&self) -> Result<()> {
        let stale: Vec<Period> = self.stale().periods.keys().copied().collect();
        for period in stale {
            self.rebuild(period, |_, _| {}).await?;
        }
        Ok(())
    }

    /// Runs [`Leagues::repair`] every `repair_every` while periods are stale,
    /// until the returned handle is aborted.
    pub fn spawn_repair(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let leagues = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(leagues.options.repair_every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if leagues.stale().periods.is_empty() {
                    continue;
                }
                if let Err(e) = leagues.repair().await {
                    tracing::debug!(error = %e, "league tables not repaired yet");
                }
            }
        })
    }
}
