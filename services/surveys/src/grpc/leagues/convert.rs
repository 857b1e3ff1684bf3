//! League tables: proto → the table a request names, and a table's
//! standings → entries as the caller may see them.

use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1 as pb;
use aftercare_values::FieldViolation;
use tonic::Status;

use crate::{
    domain::{
        access::LeagueViewer,
        league::{
            Metric,
            moves::{Placed, moves},
        },
    },
    error::Error,
    grpc::{id, period},
    leagues::{
        Group, Payload, Read, Source, assessment,
        boards::{BoardKey, Level, Page, Scope, Standing},
    },
};

/// The table a request names (no region: national).
pub(super) fn table(t: Option<pb::LeagueTableKey>) -> Result<BoardKey, Status> {
    let t = aftercare_edge::required(t, "table")?;
    let metric = match pb::LeagueMetric::try_from(t.metric) {
        Ok(pb::LeagueMetric::Assessment) => None,
        Ok(pb::LeagueMetric::SatisfactionRate) => Some(Metric::SatisfactionRate),
        Ok(pb::LeagueMetric::Nps) => Some(Metric::Nps),
        Ok(pb::LeagueMetric::ServiceIndex) => Some(Metric::ServiceIndex),
        Ok(pb::LeagueMetric::WeightedGap) => Some(Metric::WeightedGap),
        _ => {
            return Err(invalid(FieldViolation::new(
                "table.metric",
                "must be a league metric",
            )));
        }
    };
    let level = match pb::LeagueLevel::try_from(t.level) {
        Ok(pb::LeagueLevel::Dealer) => Level::Dealer,
        Ok(pb::LeagueLevel::Station) => Level::Station,
        _ => {
            return Err(invalid(FieldViolation::new(
                "table.level",
                "must be dealer or station",
            )));
        }
    };
    let scope = if t.region_id.is_empty() {
        Scope::National
    } else {
        Scope::Region(id(&t.region_id, "table.region_id")?)
    };
    let period = period(t.period, "table.period")?;
    let Some(metric) = metric else {
        if level != Level::Dealer {
            return Err(invalid(FieldViolation::new(
                "table.level",
                "the assessment league ranks dealers",
            )));
        }
        return Ok(assessment::board(scope, period)?);
    };
    let group = Group {
        scope,
        level,
        period,
    };
    Ok(group.board(metric)?)
}

/// An entry as `viewer` may see it.
fn entry(s: &Standing, viewer: &LeagueViewer) -> Result<pb::LeagueEntry, Error> {
    let p = Payload::decode(s.row.payload())?;
    let rank = s.rank.and_then(|r| u32::try_from(r).ok());
    let movement = crate::domain::league::movement(rank, p.previous_rank);
    let shown = viewer.sees_figures(&p.dealer_id, &p.region_id);
    Ok(pb::LeagueEntry {
        position: s.position as i64,
        rank: s.rank.map(|r| r as i64),
        member_id: s.row.member().to_owned(),
        raw_value: p.raw.filter(|_| shown),
        sample_size: shown.then_some(p.sample as i64),
        estimate: shown.then(|| p.estimate()),
        movement,
        member_name: p.name,
        interval_low: p.interval.filter(|_| shown).map(|i| i.low),
        interval_high: p.interval.filter(|_| shown).map(|i| i.high),
    })
}

pub(super) fn entries(page: &Page, viewer: &LeagueViewer) -> Result<Vec<pb::LeagueEntry>, Error> {
    page.standings.iter().map(|s| entry(s, viewer)).collect()
}

/// A page of `read` with `entries` of it as the caller sees them.
pub(super) fn table_page(
    read: &Read,
    entries: Vec<pb::LeagueEntry>,
    next_page_token: String,
) -> pb::LeagueTable {
    let counts = read.page.counts;
    pb::LeagueTable {
        entries,
        next_page_token,
        ranked_count: counts.ranked as i64,
        unranked_count: counts.unranked as i64,
        served_from_database: read.source == Source::Database,
    }
}

/// The update of a watched table read `now` after `last` was sent; none
/// when nothing the caller sees changed.
pub(super) fn update(
    last: Option<&pb::LeagueTable>,
    now: &pb::LeagueTable,
) -> Option<pb::LeagueTableUpdate> {
    if last == Some(now) {
        return None;
    }
    let placed = |t: &pb::LeagueTable| -> Vec<Placed> {
        t.entries
            .iter()
            .map(|e| Placed {
                member: e.member_id.clone(),
                position: e.position as u64,
                rank: e.rank.map(|r| r as u64),
            })
            .collect()
    };
    let moved = last.map_or_else(Vec::new, |last| moves(&placed(last), &placed(now)));
    let at = |p: &Option<Placed>| {
        p.as_ref()
            .map(|p| (p.position as i64, p.rank.map(|r| r as i64)))
    };
    Some(pb::LeagueTableUpdate {
        table: Some(now.clone()),
        moves: moved
            .into_iter()
            .map(|m| {
                let (from, to) = (at(&m.from), at(&m.to));
                pb::LeagueMove {
                    member_id: m.member,
                    from_position: from.map(|f| f.0),
                    to_position: to.map(|t| t.0),
                    from_rank: from.and_then(|f| f.1),
                    to_rank: to.and_then(|t| t.1),
                }
            })
            .collect(),
    })
}
