//! A league table computed from the database — the one way a table is
//! made, whether a response moves it, the table store is down, or it is
//! rebuilt: the period's sums per member, ranked by `league::rank` toward
//! the previous period's network (the prior, fixed for the period), with
//! each member's rank in the previous period's table computed the same way.

use std::collections::HashMap;

use aftercare_values::Period;
use serde::{Deserialize, Serialize};

use crate::{
    boards::{self, BoardKey, Level, Scope},
    domain::aggregate::Aggregate,
    domain::league::{self, Entry, LeagueSettings, Metric},
    error::{Error, Result},
    store::{MemberKind, MemberSums, Store},
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
}

impl Payload {
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
    pub fn of(key: &BoardKey) -> Self {
        Self {
            scope: key.scope().clone(),
            level: key.level(),
            period: key.period(),
        }
    }

    pub fn board(&self, metric: Metric) -> Result<BoardKey> {
        BoardKey::new(
            metric_id(metric),
            self.scope.clone(),
            self.level,
            self.period,
        )
        .map_err(|e| Error::invalid("table.region_id", e.to_string()))
    }

    fn kind(&self) -> MemberKind {
        match self.level {
            Level::Dealer => MemberKind::Dealer,
            Level::Station => MemberKind::Station,
        }
    }

    fn region(&self) -> Option<&str> {
        match &self.scope {
            Scope::National => None,
            Scope::Region(r) => Some(r),
        }
    }
}

/// The rows of every metric's table of a group.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    pub tables: Vec<(Metric, Vec<boards::Row>)>,
}

impl Computed {
    pub fn rows(&self, metric: Metric) -> &[boards::Row] {
        self.tables
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, rows)| rows.as_slice())
            .unwrap_or_default()
    }
}

/// Ranks `members` by `metric` toward `prior`: the members with at least
/// one answer to the metric.
fn ranked(
    metric: Metric,
    members: &[MemberSums],
    prior: &Aggregate,
    settings: &LeagueSettings,
) -> Vec<league::Row> {
    let entries: Vec<Entry> = members
        .iter()
        .map(|m| Entry {
            member: m.member.clone(),
            tally: metric.tally(&m.sums),
        })
        .filter(|e| e.tally.n > 0)
        .collect();
    league::rank(metric, &entries, metric.tally(prior), settings)
}

/// The priors of a period's tables and of the previous period's: the
/// networks of the two periods before it. The same for every group of the
/// period, so read once for all of them.
#[derive(Debug, Clone)]
pub struct Priors {
    period: Period,
    prior: Aggregate,
    prior_before: Aggregate,
}

impl Priors {
    pub async fn of(store: &Store, period: Period) -> Result<Self> {
        let previous = period.previous();
        Ok(Self {
            period,
            prior: store.league_network(previous).await?,
            prior_before: store.league_network(previous.previous()).await?,
        })
    }
}

/// Computes every metric's table of `group` from the database.
pub async fn compute(store: &Store, group: &Group, settings: &LeagueSettings) -> Result<Computed> {
    let priors = Priors::of(store, group.period).await?;
    compute_with(store, group, &priors, settings).await
}

/// [`compute`], with the period's priors read already.
pub async fn compute_with(
    store: &Store,
    group: &Group,
    priors: &Priors,
    settings: &LeagueSettings,
) -> Result<Computed> {
    if priors.period != group.period {
        return Err(Error::Internal(
            format!(
                "priors of {} for a table of {}",
                priors.period, group.period
            )
            .into(),
        ));
    }
    let previous = group.period.previous();
    let members = store
        .league_members(group.kind(), group.region(), group.period)
        .await?;
    let before = store
        .league_members(group.kind(), group.region(), previous)
        .await?;
    let names = store
        .member_names(group.kind(), group.region(), group.period)
        .await?;
    let (prior, prior_before) = (&priors.prior, &priors.prior_before);
    let places: HashMap<&str, &MemberSums> =
        members.iter().map(|m| (m.member.as_str(), m)).collect();
    let mut tables = Vec::with_capacity(Metric::ALL.len());
    for metric in Metric::ALL {
        let previous_ranks: HashMap<String, u32> = ranked(metric, &before, prior_before, settings)
            .into_iter()
            .filter_map(|r| Some((r.member, r.rank?)))
            .collect();
        let rows = ranked(metric, &members, prior, settings)
            .into_iter()
            .map(|r| {
                let place = places[r.member.as_str()];
                let payload = Payload {
                    raw: r.raw,
                    sample: r.sample,
                    key: r.sort_key,
                    previous_rank: previous_ranks.get(&r.member).copied(),
                    dealer_id: place.dealer_id.clone(),
                    region_id: place.region_id.clone(),
                    name: names.get(&r.member).cloned().unwrap_or_default(),
                };
                let bytes =
                    serde_json::to_vec(&payload).map_err(|e| Error::Internal(Box::new(e)))?;
                match r.rank {
                    Some(_) => boards::Row::ranked(&r.member, r.sort_key, bytes),
                    None => boards::Row::unranked(&r.member, bytes),
                }
                .map_err(|e| Error::Internal(Box::new(e)))
            })
            .collect::<Result<Vec<_>>>()?;
        tables.push((metric, rows));
    }
    Ok(Computed { tables })
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
