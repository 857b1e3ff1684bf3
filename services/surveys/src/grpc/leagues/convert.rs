//! League tables: proto → the table a request names, and a table's
//! standings → entries as the caller may see them.

use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1 as pb;
use aftercare_values::FieldViolation;
use tonic::Status;

use crate::{
    domain::{access::LeagueViewer, league::Metric},
    error::Error,
    grpc::{id, period},
    leagues::{
        Group, Payload, assessment,
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
    })
}

pub(super) fn entries(page: &Page, viewer: &LeagueViewer) -> Result<Vec<pb::LeagueEntry>, Error> {
    page.standings.iter().map(|s| entry(s, viewer)).collect()
}
