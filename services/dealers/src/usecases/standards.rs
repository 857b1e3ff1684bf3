//! Service standards and their versions, and compliance with them. Head
//! office writes them; every member of the network reads them, and the
//! compliance of the places it may read.

use std::collections::HashSet;

use aftercare_auth::{Principal, Scope as Role};
use aftercare_db::{Db, timestamp};
use aftercare_edge::Caller;
use aftercare_values::{OemZone, PageRequest, Period};
use time::OffsetDateTime;

use super::commit;
use crate::{
    domain::{
        access::{self, Denied, Place},
        compliance::{self, NETWORK_ONLY_HEAD_OFFICE, Report, Scope, ScopeRequest},
        standard_terms::{self, ServiceStandard},
        standards::Version,
    },
    error::{Error, Result},
    store::{
        compliance as tallies,
        standards::{self, Loaded, WHAT, Which},
    },
};

/// A standard as a caller is shown it: the pilot stations it may see.
#[derive(Debug, Clone)]
pub struct Shown {
    pub standard: ServiceStandard,
    pub visible_pilots: HashSet<String>,
}

/// One standard's compliance in the scope and period.
#[derive(Debug, Clone)]
pub struct StandardResult {
    pub standard: ServiceStandard,
    pub report: Report,
}

/// The service standards and the compliance with them.
#[derive(Debug, Clone)]
pub struct Standards {
    db: Db,
    /// The OEM's time zone: compliance is tallied per station and local
    /// day, and reported per local period.
    zone: OemZone,
}

impl Standards {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            zone: OemZone::utc(),
        }
    }

    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    pub async fn create_service_standard(
        &self,
        caller: &Caller,
        mut standard: ServiceStandard,
        now: OffsetDateTime,
    ) -> Result<ServiceStandard> {
        check_define(&caller.principal)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let now = standards::stored(now);
        (standard.create_time, standard.update_time) = (now, now);
        let rule = &standard.rule;
        for v in &rule.versions {
            standards::check_stations(&mut tx, &v.pilot_stations).await?;
        }
        standards::insert(&mut tx, &standard, timestamp::to_micros(now)).await?;
        // A first version may reach back: the ROs opened since are held to
        // it from now on.
        if let Some(first) = rule.versions.first() {
            tallies::hold_repair_orders(&self.db, &mut tx).await?;
            tallies::tally_all(
                &mut tx,
                std::slice::from_ref(rule),
                first.effective_from,
                &self.zone,
            )
            .await?;
        }
        commit(tx, caller, standard).await
    }

    pub async fn add_standard_version(
        &self,
        caller: &Caller,
        code: &str,
        version: Version,
        now: OffsetDateTime,
    ) -> Result<ServiceStandard> {
        check_define(&caller.principal)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let now = standards::stored(now);
        // Marks the change first, so that a second version added at the
        // same time waits and then sees this one.
        if !standards::touch(&mut tx, code, timestamp::to_micros(now)).await? {
            return Err(Error::not_found(WHAT, code));
        }
        let mut standard = standards::load(&mut tx, Which::One(code))
            .await?
            .pop()
            .ok_or_else(|| Error::not_found(WHAT, code))?
            .standard;
        standards::check_stations(&mut tx, &version.pilot_stations).await?;
        let added = standard
            .rule
            .add_version(version, now)
            .map_err(|e| Error::invalid("version.effective_time", e.to_string()))?
            .clone();
        standards::insert_version(&mut tx, code, &added, timestamp::to_micros(now)).await?;
        standard.update_time = now;
        commit(tx, caller, standard).await
    }

    pub async fn get_service_standard(&self, caller: &Principal, code: &str) -> Result<Shown> {
        if !standard_terms::may_read(caller) {
            return Err(Error::not_found(WHAT, code));
        }
        // The standard and its versions from one snapshot.
        let mut tx = self.db.begin_snapshot().await?;
        let loaded = standards::load(&mut tx, Which::One(code)).await?.pop();
        tx.commit().await?;
        loaded
            .map(|l| shown_to(l, caller))
            .ok_or_else(|| Error::not_found(WHAT, code))
    }

    pub async fn list_service_standards(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<Shown>> {
        if !standard_terms::may_read(caller) {
            let why = "a survey link may not list service standards";
            return Err(Error::PermissionDenied(why.into()));
        }
        let after = page.after.as_deref().unwrap_or("");
        let mut tx = self.db.begin_snapshot().await?;
        let loaded = standards::load(&mut tx, Which::Page(after, page.fetch_limit())).await?;
        tx.commit().await?;
        Ok(loaded.into_iter().map(|l| shown_to(l, caller)).collect())
    }

    /// The compliance of `scope` in `period` with the standard `code`, or
    /// with every standard, judged at `now`.
    pub async fn standard_compliance(
        &self,
        caller: &Principal,
        code: Option<&str>,
        period: &Period,
        scope: &ScopeRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<StandardResult>> {
        // Refused before anything is looked up, so that the answer says
        // nothing about what exists.
        let anyone_but_head_office = !matches!(caller.scope, Role::Oem);
        if matches!(caller.scope, Role::SurveyLink { .. })
            || (*scope == ScopeRequest::Network && anyone_but_head_office)
        {
            return Err(refused(
                Denied::NotAllowed(NETWORK_ONLY_HEAD_OFFICE),
                &Scope::Network,
            ));
        }
        // The scope, the standards and the tallies from one snapshot.
        let mut tx = self.db.begin_snapshot().await?;
        let scope = tallies::resolve(&mut tx, scope).await?;
        compliance::check_read(caller, &scope).map_err(|d| refused(d, &scope))?;
        let standards = standards::rules(&mut tx, code).await?;
        if standards.is_empty() {
            return Ok(vec![]);
        }
        let station = match &scope {
            Scope::Station { station_id, .. } => Some(station_id.as_str()),
            _ => None,
        };
        let mut counts = tallies::counts(&mut tx, &scope, period, now, &self.zone).await?;
        tx.commit().await?;
        Ok(standards
            .into_iter()
            .map(|standard| StandardResult {
                report: Report::of(
                    &standard.rule,
                    counts.remove(&standard.rule.code).unwrap_or_default(),
                    now,
                    self.zone.period_bounds(period).1,
                    station,
                ),
                standard,
            })
            .collect())
    }
}

/// Refuses what head office alone may do, before anything is looked up.
fn check_define(caller: &Principal) -> Result<()> {
    standard_terms::check_define(caller).map_err(|d| Error::denied(d, WHAT, ""))
}

/// The standard with the pilot stations `caller` sees.
fn shown_to(loaded: Loaded, caller: &Principal) -> Shown {
    let visible_pilots = loaded
        .pilots
        .iter()
        .filter(|p| {
            access::sees(
                caller,
                Place::Station {
                    region_id: &p.region_id,
                    dealer_id: &p.dealer_id,
                    station_id: &p.station_id,
                },
            )
        })
        .map(|p| p.station_id.clone())
        .collect();
    Shown {
        standard: loaded.standard,
        visible_pilots,
    }
}

/// A refusal worded for the scope.
fn refused(denied: Denied, scope: &Scope) -> Error {
    let (what, id) = match scope {
        Scope::Station { station_id, .. } => ("station", station_id.as_str()),
        Scope::Dealer { dealer_id, .. } => ("dealer", dealer_id.as_str()),
        Scope::Region { region_id } => ("region", region_id.as_str()),
        Scope::Network => ("network", ""),
    };
    Error::denied(denied, what, id)
}
