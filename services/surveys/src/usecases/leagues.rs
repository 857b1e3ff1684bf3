//! The league tables as callers see them: a page of a table, a member's
//! standing, a rebuild — each behind its access check. The tables
//! themselves are `crate::leagues`.

use std::{sync::Arc, time::Duration};

use aftercare_auth::Principal;
use aftercare_serving::watch::Changes;
use aftercare_values::Period;

use crate::{
    domain::access::{self, LeagueViewer},
    error::{Error, Result},
    leagues::{
        Leagues, Read, Rebuilt,
        boards::{BoardKey, Scope},
    },
};

const TABLE: &str = "league table";

#[derive(Debug, Clone)]
pub struct LeagueTables {
    leagues: Arc<Leagues>,
}

impl LeagueTables {
    pub fn new(leagues: Arc<Leagues>) -> Self {
        Self { leagues }
    }

    /// What wakes a watch of the tables (the writes of this process), and
    /// how often it reads again without a wake-up.
    pub fn watched(&self) -> (&Changes, Duration) {
        (self.leagues.changes(), self.leagues.options().watch_every)
    }

    /// Up to `limit` standings of table `key` from position `offset + 1`,
    /// and what the caller may see of them.
    pub async fn page(
        &self,
        caller: &Principal,
        key: &BoardKey,
        offset: u64,
        limit: usize,
    ) -> Result<(Read, LeagueViewer)> {
        let viewer = viewer(caller, key)?;
        let read = self.leagues.page(key, offset, limit).await?;
        Ok((read, viewer))
    }

    /// `member`'s standing on table `key` with up to `k` neighbours each
    /// side, and what the caller may see of them.
    pub async fn standing(
        &self,
        caller: &Principal,
        key: &BoardKey,
        member: &str,
        k: usize,
    ) -> Result<(Read, LeagueViewer)> {
        let viewer = viewer(caller, key)?;
        let read = self
            .leagues
            .around(key, member, k)
            .await?
            .ok_or_else(|| Error::not_found("league member", member))?;
        Ok((read, viewer))
    }

    /// Rebuilds every table of `period` from the database.
    pub async fn rebuild(&self, caller: &Principal, period: Period) -> Result<Rebuilt> {
        access::check_rebuild_leagues(caller).map_err(|d| Error::denied(d, TABLE, ""))?;
        self.leagues.rebuild(period, |_, _| {}).await
    }
}

fn viewer(caller: &Principal, key: &BoardKey) -> Result<LeagueViewer> {
    let region = match key.scope() {
        Scope::National => None,
        Scope::Region(r) => Some(r.as_str()),
    };
    access::check_read_league(caller, region).map_err(|d| Error::denied(d, TABLE, &key.to_string()))
}
