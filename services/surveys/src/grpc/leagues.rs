//! The `aftercare.surveys.v1.LeagueService` contract.

use std::sync::Arc;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{self as pb, league_service_server::LeagueServiceServer};
use aftercare_values::{FieldViolation, Period};
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::{Reply, convert};
use crate::{
    boards::{BoardKey, Level, Page, Scope, Standing},
    domain::{
        access::{self, LeagueViewer},
        league::Metric,
    },
    error::{Error, denied},
    leagues::{Group, Leagues, Payload, Source},
};

const TABLE: &str = "league table";

/// The gRPC face of the league tables.
#[derive(Debug, Clone)]
pub struct LeagueApi {
    leagues: Arc<Leagues>,
}

impl LeagueApi {
    pub fn new(leagues: Arc<Leagues>) -> Self {
        Self { leagues }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<LeagueServiceServer<Self>, ServiceAuth> {
        LeagueServiceServer::with_interceptor(self, auth)
    }
}

fn period(p: Option<aftercare_proto::common::v1::Period>, field: &str) -> Result<Period, Status> {
    let p = aftercare_edge::required(p, field)?;
    Period::from_parts(p.kind, p.year, p.number)
        .map_err(|e| invalid(FieldViolation::new(field, e.to_string())))
}

/// The table a request names, and its region (none: national).
fn table(t: Option<pb::LeagueTableKey>) -> Result<(Metric, BoardKey), Status> {
    let t = aftercare_edge::required(t, "table")?;
    let metric = match pb::LeagueMetric::try_from(t.metric) {
        Ok(pb::LeagueMetric::SatisfactionRate) => Metric::SatisfactionRate,
        Ok(pb::LeagueMetric::Nps) => Metric::Nps,
        Ok(pb::LeagueMetric::ServiceIndex) => Metric::ServiceIndex,
        Ok(pb::LeagueMetric::WeightedGap) => Metric::WeightedGap,
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
        Scope::Region(convert::id(&t.region_id, "table.region_id")?)
    };
    let period = period(t.period, "table.period")?;
    let group = Group {
        scope,
        level,
        period,
    };
    Ok((metric, group.board(metric)?))
}

fn region(key: &BoardKey) -> Option<&str> {
    match key.scope() {
        Scope::National => None,
        Scope::Region(r) => Some(r),
    }
}

fn viewer(
    request_principal: &aftercare_auth::Principal,
    key: &BoardKey,
) -> Result<LeagueViewer, Status> {
    access::check_read_league(request_principal, region(key))
        .map_err(|d| denied(d, TABLE, &key.to_string()).into())
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

fn entries(page: &Page, viewer: &LeagueViewer) -> Result<Vec<pb::LeagueEntry>, Error> {
    page.standings.iter().map(|s| entry(s, viewer)).collect()
}

#[tonic::async_trait]
impl pb::league_service_server::LeagueService for LeagueApi {
    #[tracing::instrument(skip_all)]
    async fn get_league_table(
        &self,
        request: Request<pb::GetLeagueTableRequest>,
    ) -> Reply<pb::LeagueTable> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let (_, key) = table(r.table)?;
        let viewer = viewer(&principal, &key)?;
        let name = key.to_string();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &[&name])?;
        let offset = aftercare_edge::page_key(&page, |k| k.parse::<u64>().ok())?.unwrap_or(0);
        let read = self
            .leagues
            .page(&key, offset, page.fetch_limit() as usize)
            .await?;
        let counts = read.page.counts;
        let listed = entries(&read.page, &viewer)?;
        let (listed, next_page_token) = page.finish(
            listed
                .into_iter()
                .map(|e| (e.position.to_string(), e))
                .collect(),
            |(k, _)| k,
            &[&name],
        );
        Ok(Response::new(pb::LeagueTable {
            entries: listed.into_iter().map(|(_, e)| e).collect(),
            next_page_token,
            ranked_count: counts.ranked as i64,
            unranked_count: counts.unranked as i64,
            served_from_database: read.source == Source::Database,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_league_standing(
        &self,
        request: Request<pb::GetLeagueStandingRequest>,
    ) -> Reply<pb::LeagueStanding> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let (_, key) = table(r.table)?;
        let member = convert::id(&r.member_id, "member_id")?;
        if !(0..=499).contains(&r.neighbours) {
            return Err(invalid(FieldViolation::new(
                "neighbours",
                "must be between 0 and 499",
            )));
        }
        let viewer = viewer(&principal, &key)?;
        let read = self
            .leagues
            .around(&key, &member, r.neighbours as usize)
            .await?
            .ok_or_else(|| Error::not_found("league member", &member))?;
        let listed = entries(&read.page, &viewer)?;
        let own = listed.iter().find(|e| e.member_id == member).cloned();
        Ok(Response::new(pb::LeagueStanding {
            entry: own,
            entries: listed,
            ranked_count: read.page.counts.ranked as i64,
            unranked_count: read.page.counts.unranked as i64,
            served_from_database: read.source == Source::Database,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn rebuild_league_tables(
        &self,
        request: Request<pb::RebuildLeagueTablesRequest>,
    ) -> Reply<pb::RebuildLeagueTablesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        access::check_rebuild_leagues(&principal).map_err(|d| denied(d, TABLE, ""))?;
        let period = period(request.into_inner().period, "period")?;
        let done = self.leagues.rebuild(period, |_, _| {}).await?;
        Ok(Response::new(pb::RebuildLeagueTablesResponse {
            tables_rebuilt: done.tables as i64,
            tables_deleted: done.deleted as i64,
        }))
    }
}
