//! The tables rebuilt from the database: on request, and by the repair
//! task for the periods marked.

use std::{collections::BTreeSet, sync::Arc};

use aftercare_values::Period;

use super::{
    Leagues,
    boards::{Level, Scope},
    compute::{Group, Members, Priors, table},
};
use crate::{domain::league::Metric, error::Result};

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub tables: u64,
    pub deleted: u64,
}

impl Leagues {
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
        self.changes.notify();
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
        let read = |level, period| Members::read(&self.db, level, None, period);
        let (priors, dealers, dealers_before, stations, stations_before) = tokio::try_join!(
            Priors::read(&self.db, period),
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
        // The assessment tables, from their snapshots.
        let assessed = self.rebuild_assessments(period).await?;
        done.tables += assessed.len() as u64;
        kept.extend(assessed);
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
        aftercare_db::periodic::every(self.options.repair_every, move || {
            let leagues = Arc::clone(&leagues);
            async move {
                if let Err(e) = leagues.boards.verify().await {
                    leagues.noticed(&e);
                }
                if leagues.is_settled() {
                    return;
                }
                if let Err(e) = leagues.repair().await {
                    tracing::debug!(error = %e, "league tables not repaired yet");
                }
            }
        })
    }
}
