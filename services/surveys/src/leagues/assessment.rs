//! The dealer assessment tables: dealers ranked by their scorecard
//! composites (`crate::domain::assessment`), computed from the snapshots
//! `RefreshDealerAssessments` stores — the one way they are made, whether
//! refreshed, rebuilt, or read from the database while the table store is
//! down. Dealer level only; national and per region.

use std::collections::BTreeSet;

use aftercare_db::Db;
use aftercare_values::Period;

use super::{
    Leagues,
    boards::{self, BoardKey, Level, Scope},
    compute::Payload,
};
use crate::{
    domain::{
        assessment::{self, Assessed},
        league::LeagueSettings,
    },
    error::{Error, Result},
    store::scorecards::{self, Assessment},
};

/// The metric id of the assessment boards.
pub const ASSESSMENT: &str = "assessment";

/// The assessment board of `scope` in `period`.
pub fn board(scope: Scope, period: Period) -> Result<BoardKey> {
    BoardKey::new(ASSESSMENT, scope, Level::Dealer, period)
        .map_err(|e| Error::invalid("table.region_id", e.to_string()))
}

fn assessed(a: &Assessment) -> Assessed {
    Assessed {
        dealer_id: a.dealer_id.clone(),
        composite: a.composite.and_then(|c| u32::try_from(c).ok()),
        sample: a.sample.max(0) as u64,
    }
}

/// The rows of the table of `snapshots`, with each dealer's rank among
/// `before` (the previous period's snapshots of the same scope).
fn rows(
    snapshots: &[Assessment],
    before: &[Assessment],
    settings: &LeagueSettings,
) -> Result<Vec<boards::Row>> {
    let dealers: Vec<Assessed> = snapshots.iter().map(assessed).collect();
    let previous = assessment::ranks(&before.iter().map(assessed).collect::<Vec<_>>(), settings);
    let prior = assessment::network(&dealers);
    let mut rows = Vec::with_capacity(snapshots.len());
    for (snapshot, dealer) in snapshots.iter().zip(&dealers) {
        let Some(key) = assessment::sort_key(dealer, prior, settings) else {
            continue;
        };
        let payload = Payload {
            raw: dealer.composite.map(f64::from),
            sample: dealer.sample,
            key,
            previous_rank: previous.get(&dealer.dealer_id).copied(),
            dealer_id: dealer.dealer_id.clone(),
            region_id: snapshot.region_id.clone(),
            name: snapshot.name.clone(),
            interval: Some(assessment::interval(key, dealer.sample, settings)),
        };
        rows.push(payload.row(&dealer.dealer_id, settings.is_ranked(dealer.sample))?);
    }
    Ok(rows)
}

/// The assessment table `key` computed from the snapshots.
pub(super) async fn compute(
    db: &Db,
    key: &BoardKey,
    settings: &LeagueSettings,
) -> Result<Vec<boards::Row>> {
    let region = match key.scope() {
        Scope::National => None,
        Scope::Region(r) => Some(r.as_str()),
    };
    let period = key.period();
    let snapshots = scorecards::assessments(db, period, region).await?;
    let before = scorecards::assessments(db, period.previous(), region).await?;
    rows(&snapshots, &before, settings)
}

impl Leagues {
    /// Replaces `period`'s assessment tables (national and per region) with
    /// those its snapshots give; deletes the period's assessment tables of
    /// regions without snapshots. Answers the boards written.
    pub async fn rebuild_assessments(&self, period: Period) -> Result<BTreeSet<BoardKey>> {
        let snapshots = scorecards::assessments(&self.db, period, None).await?;
        let before = scorecards::assessments(&self.db, period.previous(), None).await?;
        let regions: BTreeSet<&str> = snapshots.iter().map(|s| s.region_id.as_str()).collect();
        let mut kept = BTreeSet::new();
        let scopes = std::iter::once(Scope::National).chain(
            regions
                .into_iter()
                .filter(|r| !r.is_empty())
                .map(|r| Scope::Region(r.to_owned())),
        );
        for scope in scopes {
            let of = |all: &[Assessment]| -> Vec<Assessment> {
                all.iter()
                    .filter(|s| match &scope {
                        Scope::National => true,
                        Scope::Region(r) => *r == s.region_id,
                    })
                    .cloned()
                    .collect()
            };
            let rows = rows(&of(&snapshots), &of(&before), self.settings())?;
            let key = board(scope.clone(), period)?;
            self.boards
                .replace(&key, &rows)
                .await
                .map_err(|e| self.board_error(e))?;
            if !rows.is_empty() {
                kept.insert(key);
            }
        }
        let existing = self
            .boards
            .boards(period)
            .await
            .map_err(|e| self.board_error(e))?;
        for stale in existing
            .iter()
            .filter(|b| b.metric() == ASSESSMENT && !kept.contains(*b))
        {
            self.boards
                .delete(stale)
                .await
                .map_err(|e| self.board_error(e))?;
        }
        self.changes.notify();
        Ok(kept)
    }
}
