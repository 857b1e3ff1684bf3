//! The `aftercare.surveys.v1.LeagueService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{self as pb, league_service_server::LeagueServiceServer};
use aftercare_serving::watch::Watch;
use aftercare_values::FieldViolation;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use self::convert::{entries, table, table_page, update};
use super::Reply;
use crate::{leagues::Source, usecases::LeagueTables};

/// The gRPC face of the league tables.
#[derive(Debug, Clone)]
pub struct LeagueApi {
    tables: LeagueTables,
}

impl LeagueApi {
    pub fn new(tables: LeagueTables) -> Self {
        Self { tables }
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

#[tonic::async_trait]
impl pb::league_service_server::LeagueService for LeagueApi {
    #[tracing::instrument(skip_all)]
    async fn get_league_table(
        &self,
        request: Request<pb::GetLeagueTableRequest>,
    ) -> Reply<pb::LeagueTable> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let key = table(r.table)?;
        let name = key.to_string();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &[&name])?;
        let offset = aftercare_edge::page_key(&page, |k| k.parse::<u64>().ok())?.unwrap_or(0);
        let (read, viewer) = self
            .tables
            .page(&principal, &key, offset, page.fetch_limit() as usize)
            .await?;
        let listed = entries(&read.page, &viewer)?;
        let (listed, next_page_token) = page.finish(
            listed
                .into_iter()
                .map(|e| (e.position.to_string(), e))
                .collect(),
            |(k, _)| k,
            &[&name],
        );
        let listed = listed.into_iter().map(|(_, e)| e).collect();
        Ok(Response::new(table_page(&read, listed, next_page_token)))
    }

    type WatchLeagueTableStream = ReceiverStream<Result<pb::LeagueTableUpdate, Status>>;

    #[tracing::instrument(skip_all)]
    async fn watch_league_table(
        &self,
        request: Request<pb::WatchLeagueTableRequest>,
    ) -> Reply<Self::WatchLeagueTableStream> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.get_ref();
        let key = table(r.table.clone())?;
        let limit = aftercare_edge::page(r.page_size, "", &[])?.size as usize;
        let (changes, every) = self.tables.watched();
        let watch = Watch::new(changes, every, &request);
        let tables = self.tables.clone();
        let read = move || {
            let (tables, principal, key) = (tables.clone(), principal.clone(), key.clone());
            async move {
                let (read, viewer) = tables.page(&principal, &key, 0, limit).await?;
                let listed = entries(&read.page, &viewer)?;
                Ok::<_, Status>(table_page(&read, listed, String::new()))
            }
        };
        Ok(Response::new(watch.follow(read, update).await?))
    }

    #[tracing::instrument(skip_all)]
    async fn get_league_standing(
        &self,
        request: Request<pb::GetLeagueStandingRequest>,
    ) -> Reply<pb::LeagueStanding> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let key = table(r.table)?;
        let member = super::id(&r.member_id, "member_id")?;
        if !(0..=499).contains(&r.neighbours) {
            return Err(invalid(FieldViolation::new(
                "neighbours",
                "must be between 0 and 499",
            )));
        }
        let (read, viewer) = self
            .tables
            .standing(&principal, &key, &member, r.neighbours as usize)
            .await?;
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
        let period = super::period(request.into_inner().period, "period")?;
        let done = self.tables.rebuild(&principal, period).await?;
        Ok(Response::new(pb::RebuildLeagueTablesResponse {
            tables_rebuilt: done.tables as i64,
            tables_deleted: done.deleted as i64,
        }))
    }
}
