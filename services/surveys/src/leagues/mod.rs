//! The live league tables: made from the database ([`compute`]), kept in a
//! [`LeagueBoards`] store, moved as each response is scored, read with the
//! database as the fallback, and rebuilt — on request, and by a background
//! task once a store that missed updates answers again, once a store found
//! to have lost its tables (restarted empty) answers again, or once a late
//! answer moved the next period's prior and previous ranks.

mod compute;
mod read;

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use aftercare_values::{Period, period::PeriodKind};

use self::compute::{Members, Priors, board_row, compute, kind, table};
pub use self::{
    compute::{Group, Payload, metric_id, metric_of},
    read::{Read, Source},
};
use crate::{
    boards::{BoardError, BoardKey, LeagueBoards, Level, Scope},
    domain::{
        aggregate::Aggregate,
        league::{LeagueSettings, Metric},
    },
    error::{Error, Result},
    store::{MemberSums, MonthSums, Response, Store},
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
    /// The periods whose tables are to be rebuilt. Kept in memory: a restart
    /// of a replica forgets them (see the docs).
    marks: Mutex<Marks>,
    /// Each period's network as last read, for the next period's prior.
    networks: Mutex<HashMap<Period, (Instant, Aggregate)>>,
}

/// Periods to rebuild, each with the number of its latest mark, so that a
/// rebuild clears only the marks made before it started.
#[derive(Debug, Default)]
struct Marks {
    /// Tables that missed an update (or were never built): read from the
    /// database until rebuilt.
    stale: BTreeMap<Period, u64>,
    /// Tables whose prior and previous ranks a late answer moved: still read
    /// from the store, and rebuilt by the background task.
    outdated: BTreeMap<Period, u64>,
    /// The store lost every table: all are read from the database until
    /// the background task marked every period with responses stale.
    lost: Option<u64>,
    count: u64,
}

impl Marks {
    fn mark_lost(&mut self) {
        self.count += 1;
        self.lost = Some(self.count);
    }

    /// Clears the loss, unless another came since `seen`.
    fn clear_lost(&mut self, seen: Option<u64>) {
        if self.lost == seen {
            self.lost = None;
        }
    }

    fn mark(&mut self, outdated: bool, period: Period) {
        self.count += 1;
        let set = if outdated {
            &mut self.outdated
        } else {
            &mut self.stale
        };
        set.insert(period, self.count);
    }

    /// Both marks of `period` as they are now.
    fn of(&self, period: Period) -> (Option<u64>, Option<u64>) {
        (
            self.stale.get(&period).copied(),
            self.outdated.get(&period).copied(),
        )
    }

    /// Clears the marks of `period` still as they were in `seen`.
    fn clear(&mut self, period: Period, seen: (Option<u64>, Option<u64>)) {
        let (stale, outdated) = self.of(period);
        if stale == seen.0 {
            self.stale.remove(&period);
        }
        if outdated == seen.1 {
            self.outdated.remove(&period);
        }
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub tables: u64,
    pub deleted: u64,
}

impl Leagues {
    pub fn new(store: Store, boards: Arc<dyn LeagueBoards>, options: LeagueOptions) -> Self {
        Self {
            store,
            boards,
            options,
            marks: Mutex::default(),
            networks: Mutex::default(),
        }
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
        let marks = self.marks();
        marks.lost.is_none() && marks.stale.is_empty() && marks.outdated.is_empty()
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
        let mut periods = BTreeSet::new();
        for month in self.store.league_months().await? {
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
        let network = self.store.league_network(period).await?;
        cache().insert(period, (Instant::now(), network.clone()));
        Ok(network)
    }

    /// Moves the tables after `response` was stored (committed): its
    /// dealer's and station's rows in the national and regional tables of
    /// the month, quarter and year of its delivery day, for every metric, in
    /// one write. A late answer (to a period whose next one has begun and
    /// has responses) moved the next period's prior and previous ranks:
    /// those tables are left to the background task. Never fails: a store
    /// that does not answer leaves the periods stale, for the background
    /// task.
    #[tracing::instrument(skip_all, fields(response_id = %response.id))]
    pub async fn record(&self, response: &Response) {
        let day = self.store.delivery_day(response.delivery_time);
        let periods = periods_of(day);
        let today = self
            .store
            .delivery_day(aftercare_db::timestamp::now_micros());
        for period in periods {
            // This period's network is the next one's prior.
            self.networks
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&period);
            let next = period.next();
            if next.first_day() <= today && self.has_responses(next).await {
                self.marks().mark(true, next);
            }
        }
        let live: Vec<Period> = periods.into_iter().filter(|p| !self.is_stale(*p)).collect();
        // The year holds the month and the quarter.
        if let Err(e) = self.record_in(response, periods[2], &live).await {
            tracing::warn!(error = %e, "league tables missed an update; they are stale");
            self.mark_stale(periods.iter().flat_map(|p| [*p, p.next()]));
        }
    }

    /// Whether `period` has tables that a late answer to the period before
    /// moves: none when it has no responses yet, and then its first
    /// response reads the prior and previous ranks as they are. When the
    /// database does not say, it may have.
    async fn has_responses(&self, period: Period) -> bool {
        self.store
            .league_has_responses(period)
            .await
            .unwrap_or(true)
    }

    /// Moves the tables of `live` (periods within `year`).
    async fn record_in(&self, response: &Response, year: Period, live: &[Period]) -> Result<()> {
        if live.is_empty() {
            // Whatever is stale is rebuilt whole by the background task.
            return Ok(());
        }
        let months = self
            .store
            .league_member_months(&response.dealer_id, &response.station_id, year)
            .await?;
        let mut scopes = vec![Scope::National];
        if !response.region_id.is_empty() {
            scopes.push(Scope::Region(response.region_id.clone()));
        }
        let mut moves = Vec::new();
        for period in live {
            let prior = self.network(period.previous()).await?;
            for level in [Level::Dealer, Level::Station] {
                let members = Members::new(months_of(&months, level, *period));
                for scope in &scopes {
                    let Some(member) = members.of(scope).pop() else {
                        continue;
                    };
                    let group = Group {
                        scope: scope.clone(),
                        level,
                        period: *period,
                    };
                    for metric in Metric::ALL {
                        moves.push(Move {
                            board: group.board(metric)?,
                            metric,
                            member: member.clone(),
                            prior: prior.clone(),
                        });
                    }
                }
            }
        }
        let previous_ranks = self.previous_ranks(&moves).await?;
        let mut rows = Vec::with_capacity(moves.len());
        for (m, previous_rank) in moves.into_iter().zip(previous_ranks) {
            if let Some(row) = board_row(
                m.metric,
                &m.member,
                &m.prior,
                previous_rank,
                self.settings(),
            )? {
                rows.push((m.board, row));
            }
        }
        self.boards
            .upsert(&rows)
            .await
            .map_err(|e| self.board_error(e))
    }

    /// Each moved member's rank on the previous period's table: as its row
    /// on the table carries it, or, for a member new to the table, as the
    /// previous period's table gives it.
    async fn previous_ranks(&self, moves: &[Move]) -> Result<Vec<Option<u32>>> {
        let at: Vec<(BoardKey, String)> = moves
            .iter()
            .map(|m| (m.board.clone(), m.member.member.clone()))
            .collect();
        let rows = self
            .boards
            .rows(&at)
            .await
            .map_err(|e| self.board_error(e))?;
        let mut ranks = Vec::with_capacity(at.len());
        let mut new = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            match row {
                Some(row) => ranks.push(Payload::decode(row.payload())?.previous_rank),
                None => {
                    ranks.push(None);
                    new.push(i);
                }
            }
        }
        if new.is_empty() {
            return Ok(ranks);
        }
        let mut before = Vec::with_capacity(new.len());
        for &i in &new {
            let (board, member) = &at[i];
            let previous = board.period().previous();
            if self.is_stale(previous) {
                // Its table is not to be trusted: rebuild this one once it
                // is.
                self.mark_stale([board.period()]);
            }
            before.push((board.in_period(previous), member.clone()));
        }
        let standings = self
            .boards
            .standings(&before)
            .await
            .map_err(|e| self.board_error(e))?;
        for (i, standing) in new.into_iter().zip(standings) {
            ranks[i] = standing.and_then(|s| u32::try_from(s.rank?).ok());
        }
        Ok(ranks)
    }

    /// Rebuilds every table of `period` from the database and deletes the
    /// period's tables left without members; `progress(done, total)` after
    /// each group of tables.
    pub async fn rebuild(
        &self,
        period: Period,
        progress: impl Fn(usize, usize),
    ) -> Result<Rebuilt> {
        // Marked until rebuilt, unless marked again meanwhile (an update
        // that failed, or a late answer, while the rebuild ran).
        let seen = self.marks().of(period);
        let done = self.rebuild_tables(period, progress).await?;
        self.marks().clear(period, seen);
        tracing::info!(%period, tables = done.tables, deleted = done.deleted, "league tables rebuilt");
        Ok(done)
    }

    async fn rebuild_tables(
        &self,
        period: Period,
        progress: impl Fn(usize, usize),
    ) -> Result<Rebuilt> {
        let existing = self
            .boards
            .boards(period)
            .await
            .map_err(|e| self.board_error(e))?;
        // The reads sum every member's days of two periods: at once, each
        // on a connection of its own, so that the database works them on
        // every core it has.
        let read = |level, period| Members::read(&self.store, level, None, period);
        let (priors, dealers, dealers_before, stations, stations_before) = tokio::try_join!(
            Priors::read(&self.store, period),
            read(Level::Dealer, period),
            read(Level::Dealer, period.previous()),
            read(Level::Station, period),
            read(Level::Station, period.previous()),
        )?;
        let levels = [
            (Level::Dealer, dealers, dealers_before),
            (Level::Station, stations, stations_before),
        ];
        let mut groups = Vec::new();
        for (level, members, before) in &levels {
            let regions = members
                .regions()
                .into_iter()
                .map(|r| Scope::Region(r.to_owned()));
            for scope in std::iter::once(Scope::National).chain(regions) {
                groups.push((
                    Group {
                        scope,
                        level: *level,
                        period,
                    },
                    members,
                    before,
                ));
            }
        }
        let mut done = Rebuilt::default();
        let mut kept = BTreeSet::new();
        for (i, (group, members, before)) in groups.iter().enumerate() {
            let (members, before) = (members.of(&group.scope), before.of(&group.scope));
            for metric in Metric::ALL {
                let board = group.board(metric)?;
                let rows = table(metric, &members, &before, &priors, self.settings())?;
                self.boards
                    .replace(&board, &rows)
                    .await
                    .map_err(|e| self.board_error(e))?;
                done.tables += u64::from(!rows.is_empty());
                kept.insert(board);
            }
            progress(i + 1, groups.len());
        }
        for board in existing.iter().filter(|b| !kept.contains(*b)) {
            self.boards
                .delete(board)
                .await
                .map_err(|e| self.board_error(e))?;
            done.deleted += 1;
        }
        Ok(done)
    }

    /// Rebuilds the periods marked stale or outdated, oldest first, until
    /// the store fails; every period with responses after the store lost
    /// its tables.
    pub async fn repair(&self) -> Result<()> {
        let lost = self.marks().lost;
        if lost.is_some() {
            let periods = self.periods_with_responses().await?;
            let mut marks = self.marks();
            for period in periods {
                marks.mark(false, period);
            }
            marks.clear_lost(lost);
        }
        let marked: BTreeSet<Period> = {
            let marks = self.marks();
            marks
                .stale
                .keys()
                .chain(marks.outdated.keys())
                .copied()
                .collect()
        };
        for period in marked {
            self.rebuild(period, |_, _| {}).await?;
        }
        Ok(())
    }

    /// Every `repair_every`, until the returned handle is aborted: looks
    /// whether the store lost its tables (so that they are rebuilt before
    /// anyone asks), and runs [`Leagues::repair`] while periods are marked.
    pub fn spawn_repair(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let leagues = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(leagues.options.repair_every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = leagues.boards.verify().await {
                    leagues.noticed(&e);
                }
                if leagues.is_settled() {
                    continue;
                }
                if let Err(e) = leagues.repair().await {
                    tracing::debug!(error = %e, "league tables not repaired yet");
                }
            }
        })
    }
}

/// A member's row to write on a table, as a response moved it.
struct Move {
    board: BoardKey,
    metric: Metric,
    member: MemberSums,
    /// The table's prior.
    prior: Aggregate,
}

/// The periods with tables that hold `day`: its month, quarter and year
/// (the year last).
fn periods_of(day: time::Date) -> [Period; 3] {
    [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year]
        .map(|kind| Period::containing(kind, day))
}

/// The rows of `level`'s member in `months` that fall in `period`, summed
/// per region.
fn months_of(months: &[MonthSums], level: Level, period: Period) -> Vec<MemberSums> {
    let kind = kind(level);
    let (from, to) = (period.first_day(), period.end_day());
    months
        .iter()
        .filter(|m| m.kind == kind)
        .filter(|m| {
            m.month
                .parse::<Period>()
                .is_ok_and(|month| month.first_day() >= from && month.first_day() < to)
        })
        .map(|m| m.sums.clone())
        .collect()
}
