//! A league table computed from the database — the one way a table is
//! made, whether a response moves it, the table store is down, or it is
//! rebuilt: the period's sums per member, ranked by `league::rank` toward
//! the previous period's network (the prior, fixed for the period), with
//! each member's rank in the previous period's table computed the same way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aftercare_values::Period;
use serde::{Deserialize, Serialize};

use aftercare_db::Db;

use super::{
    boards::{self, BoardKey, Level, Scope},
    queries::{self, MemberSums},
};
use crate::{
    domain::aggregate::Aggregate,
    domain::league::{self, Entry, LeagueSettings, Metric, interval::Interval},
    error::{Error, Result},
    store::members::MemberKind,
};

/// What a board row carries beside its sort key. Movement is not stored: it
/// is the previous rank less the rank the board gives now, which moves when
/// another member passes this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The plain mean, in the metric's display unit.
    pub raw: Option<f64>,
    pub sample: u64,
    /// The sort key (the estimate in millionths), for unranked rows too.
    pub key: i64,
    /// The member's rank in the previous period's table of the same scope.
    pub previous_rank: Option<u32>,
    /// Whose the member is, to decide what a caller sees of it.
    pub dealer_id: String,
    pub region_id: String,
    /// The member's display name; empty when unknown (and in rows written
    /// before names were kept).
    #[serde(default)]
    pub name: String,
    /// The 95 % interval of the estimate; none in rows written before
    /// intervals were kept (until their table is rebuilt).
    #[serde(default)]
    pub interval: Option<Interval>,
}

impl Payload {
    /// The table row of `member`: placed by the sort key when `ranked`,
    /// listed after the ranked ones when not.
    pub(crate) fn row(&self, member: &str, ranked: bool) -> Result<boards::Row> {
        let bytes = serde_json::to_vec(self).map_err(|e| Error::Internal(Box::new(e)))?;
        let row = if ranked {
            boards::Row::ranked(member, self.key, bytes)
        } else {
            boards::Row::unranked(member, bytes)
        };
        row.map_err(|e| Error::Internal(Box::new(e)))
    }

    pub fn estimate(&self) -> f64 {
        self.key as f64 / league::KEY_SCALE as f64
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        serde_json::from_slice(bytes).map_err(|e| Error::Internal(Box::new(e)))
    }
}

/// The id a metric's boards are named by (board ids take no underscore).
pub fn metric_id(metric: Metric) -> &'static str {
    match metric {
        Metric::SatisfactionRate => "satisfaction-rate",
        Metric::Nps => "nps",
        Metric::ServiceIndex => "service-index",
        Metric::WeightedGap => "weighted-gap",
    }
}

pub fn metric_of(key: &BoardKey) -> Option<Metric> {
    Metric::ALL
        .into_iter()
        .find(|m| metric_id(*m) == key.metric())
}

/// The tables of one scope, level and period: one per metric.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Group {
    pub scope: Scope,
    pub level: Level,
    pub period: Period,
}

impl Group {
    pub fn board(&self, metric: Metric) -> Result<BoardKey> {
        BoardKey::new(
            metric_id(metric),
            self.scope.clone(),
            self.level,
            self.period,
        )
        .map_err(|e| Error::invalid("table.region_id", e.to_string()))
    }
}

/// One level's members over a period, each with its sums per region, from
/// one read: the national table merges a member's regions, a regional one
/// takes that region's rows.
#[derive(Debug, Clone, Default)]
pub(super) struct Members(Vec<MemberSums>);

impl Members {
    /// The members of `level` in `period`; only `region`'s rows when given.
    pub(super) async fn read(
        db: &Db,
        level: Level,
        region: Option<&str>,
        period: Period,
    ) -> Result<Self> {
        Ok(Self(
            queries::members(db, kind(level), region, period).await?,
        ))
    }

    /// From rows per member and region (in any order).
    pub(super) fn new(rows: Vec<MemberSums>) -> Self {
        Self(rows)
    }

    /// The members listed in `scope`'s table, by member id.
    pub(super) fn of(&self, scope: &Scope) -> Vec<MemberSums> {
        let mut merged: BTreeMap<&str, MemberSums> = BTreeMap::new();
        for row in &self.0 {
            if let Scope::Region(region) = scope
                && row.region_id != *region
            {
                continue;
            }
            match merged.get_mut(row.member.as_str()) {
                None => {
                    merged.insert(&row.member, row.clone());
                }
                // The least dealer and region, as for a table's rows.
                Some(m) => {
                    m.sums.merge(&row.sums);
                    m.dealer_id = m.dealer_id.clone().min(row.dealer_id.clone());
                    m.region_id = m.region_id.clone().min(row.region_id.clone());
                }
            }
        }
        merged.into_values().collect()
    }

    /// The regions with members, ascending.
    pub(super) fn regions(&self) -> BTreeSet<&str> {
        self.0
            .iter()
            .map(|m| m.region_id.as_str())
            .filter(|r| !r.is_empty())
            .collect()
    }
}

/// The store's name for a level's members.
pub(super) fn kind(level: Level) -> MemberKind {
    match level {
        Level::Dealer => MemberKind::Dealer,
        Level::Station => MemberKind::Station,
    }
}

/// The priors of a period's tables and of the previous period's: the
/// networks of the two periods before it. The same for every table of the
/// period, so read once for all of them.
#[derive(Debug, Clone)]
pub(super) struct Priors {
    pub(super) prior: Aggregate,
    pub(super) prior_before: Aggregate,
}

impl Priors {
    pub(super) async fn read(db: &Db, period: Period) -> Result<Self> {
        let previous = period.previous();
        Ok(Self {
            prior: queries::network(db, previous).await?,
            prior_before: queries::network(db, previous.previous()).await?,
        })
    }
}

/// `member`'s row on `metric`'s table ranked toward `prior`, with its rank
/// in the previous period's table; none without an answer to the metric.
/// Numbered by the member's responses, which only grow.
pub(super) fn board_row(
    metric: Metric,
    member: &MemberSums,
    prior: &Aggregate,
    previous_rank: Option<u32>,
    settings: &LeagueSettings,
) -> Result<Option<boards::Row>> {
    let tally = metric.tally(&member.sums);
    if tally.n == 0 {
        return Ok(None);
    }
    let key = league::sort_key(metric, tally, metric.tally(prior), settings);
    let payload = Payload {
        raw: metric.raw(tally),
        sample: tally.n,
        key,
        previous_rank,
        dealer_id: member.dealer_id.clone(),
        region_id: member.region_id.clone(),
        name: member.name.clone(),
        interval: Some(league::interval::interval(metric, tally, key, settings)),
    };
    let row = payload.row(&member.member, settings.is_ranked(tally.n))?;
    Ok(Some(row.at_version(member.sums.responses)))
}

/// The ranks in `metric`'s table of `members` toward `prior`.
fn ranks(
    metric: Metric,
    members: &[MemberSums],
    prior: &Aggregate,
    settings: &LeagueSettings,
) -> HashMap<String, u32> {
    let entries: Vec<Entry> = members
        .iter()
        .map(|m| Entry {
            member: m.member.clone(),
            tally: metric.tally(&m.sums),
        })
        .filter(|e| e.tally.n > 0)
        .collect();
    league::rank(metric, &entries, metric.tally(prior), settings)
        .into_iter()
        .filter_map(|r| Some((r.member, r.rank?)))
        .collect()
}

/// `metric`'s table of `members`, with their ranks among `before` (the
/// previous period's members of the same scope).
pub(super) fn table(
    metric: Metric,
    members: &[MemberSums],
    before: &[MemberSums],
    priors: &Priors,
    settings: &LeagueSettings,
) -> Result<Vec<boards::Row>> {
    let previous = ranks(metric, before, &priors.prior_before, settings);
    let mut rows = Vec::with_capacity(members.len());
    for member in members {
        let previous_rank = previous.get(&member.member).copied();
        rows.extend(board_row(
            metric,
            member,
            &priors.prior,
            previous_rank,
            settings,
        )?);
    }
    Ok(rows)
}

/// The table `key` computed from the database.
pub(super) async fn compute(
    db: &Db,
    key: &BoardKey,
    settings: &LeagueSettings,
) -> Result<Vec<boards::Row>> {
    if key.metric() == super::assessment::ASSESSMENT {
        return super::assessment::compute(db, key, settings).await;
    }
    let metric = metric_of(key)
        .ok_or_else(|| Error::Internal(format!("no metric is named {}", key.metric()).into()))?;
    let region = match key.scope() {
        Scope::National => None,
        Scope::Region(r) => Some(r.as_str()),
    };
    let period = key.period();
    let members = Members::read(db, key.level(), region, period).await?;
    let before = Members::read(db, key.level(), region, period.previous()).await?;
    let priors = Priors::read(db, period).await?;
    table(
        metric,
        &members.of(key.scope()),
        &before.of(key.scope()),
        &priors,
        settings,
    )
}

#[cfg(test)]
mod tests {
    use super::Payload;

    #[test]
    fn a_row_written_before_names_were_kept_decodes_without_one() {
        let old = br#"{"raw":50.0,"sample":3,"key":420000,"previous_rank":null,"dealer_id":"d1","region_id":"r1"}"#;
        let payload = Payload::decode(old).expect("decodes");
        assert_eq!(payload.name, "");
        assert_eq!(payload.sample, 3);
    }
}
