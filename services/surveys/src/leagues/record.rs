//! The tables moved as each response is committed.

use std::sync::PoisonError;

use aftercare_values::Period;

use super::{
    Leagues,
    boards::{BoardKey, Level, Scope},
    compute::{Group, Members, Payload, board_row, kind},
    periods_of,
    queries::{self, MemberSums, MonthSums},
};
use crate::{
    domain::{aggregate::Aggregate, league::Metric, response::Response},
    error::Result,
    store::aggregates::local_day,
};

impl Leagues {
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
        let day = local_day(response.delivery_time, &self.zone);
        let periods = periods_of(day);
        let today = local_day(aftercare_db::timestamp::now_micros(), &self.zone);
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
        self.changes.notify();
    }

    /// Whether `period` has tables that a late answer to the period before
    /// moves: none when it has no responses yet, and then its first
    /// response reads the prior and previous ranks as they are. When the
    /// database does not say, it may have.
    async fn has_responses(&self, period: Period) -> bool {
        queries::has_responses(&self.db, period)
            .await
            .unwrap_or(true)
    }

    /// Moves the tables of `live` (periods within `year`).
    async fn record_in(&self, response: &Response, year: Period, live: &[Period]) -> Result<()> {
        if live.is_empty() {
            // Whatever is stale is rebuilt whole by the background task.
            return Ok(());
        }
        let months =
            queries::member_months(&self.db, &response.dealer_id, &response.station_id, year)
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
}

/// A member's row to write on a table, as a response moved it.
struct Move {
    board: BoardKey,
    metric: Metric,
    member: MemberSums,
    /// The table's prior.
    prior: Aggregate,
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
