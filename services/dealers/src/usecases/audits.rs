//! Facility audits: checklists, kept as created, and audits, scored when
//! they are recorded, each setting its station's star level in the same
//! transaction when it is the station's latest.

use aftercare_auth::Principal;
use aftercare_db::{Db, timestamp};
use aftercare_edge::Caller;
use aftercare_values::PageRequest;

use super::access::{check_change, check_read, check_role, list_scope};
use super::commit;
use crate::{
    domain::{
        access::{Change, Place},
        audits::{
            AuditError, AuditFields, Checklist, ChecklistFields, FacilityAudit, Verdict, judge,
            supersedes,
        },
        network::{StarLevel, Station},
        text::Id,
    },
    error::{Error, Result},
    store::{
        Stored,
        audits::{self, AUDIT, CHECKLIST},
    },
};

/// Audit checklists and facility audits.
#[derive(Debug, Clone)]
pub struct Audits {
    db: Db,
}

impl Audits {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn create_audit_checklist(
        &self,
        caller: &Caller,
        id: Id,
        fields: ChecklistFields,
    ) -> Result<Checklist> {
        check_role(&caller.principal, Change::Standards, CHECKLIST)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        check_change(
            &caller.principal,
            Change::Standards,
            Place::Network,
            CHECKLIST,
            id.as_str(),
        )?;
        let latest = audits::latest_checklist_version(&mut tx, &fields.code).await?;
        let checklist = Checklist {
            id,
            version: latest + 1,
            fields,
            create_time: timestamp::from_micros(timestamp::now_micros()),
        };
        audits::insert_checklist(&mut tx, &checklist).await?;
        commit(tx, caller, checklist).await
    }

    pub async fn get_audit_checklist(&self, caller: &Principal, id: &str) -> Result<Checklist> {
        // Checklists are the network's: whoever is of it reads them.
        check_read(caller, Place::Network, CHECKLIST, id)?;
        let mut conn = self.db.pool().acquire().await?;
        audits::find_checklist(&mut conn, id)
            .await?
            .ok_or_else(|| Error::not_found(CHECKLIST, id))
    }

    pub async fn list_audit_checklists(
        &self,
        caller: &Principal,
        code: &str,
        page: &PageRequest,
    ) -> Result<Vec<Checklist>> {
        list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        audits::checklists(&mut conn, code, page).await
    }

    /// Records an audit, scored against its checklist, and sets the
    /// station's star level when the audit is its latest.
    pub async fn create_facility_audit(
        &self,
        caller: &Caller,
        id: Id,
        fields: AuditFields,
    ) -> Result<FacilityAudit> {
        // Recording an audit sets the station's star level, which only head
        // office and the station's region may set (UpdateStation).
        check_role(&caller.principal, Change::Network, AUDIT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let station_id = fields.station_id.as_str();
        let station = audits::lock_station(&mut tx, station_id).await?;
        let place = station.place();
        check_change(
            &caller.principal,
            Change::Network,
            place,
            Station::WHAT,
            station_id,
        )?;
        let checklist_id = fields.checklist_id.as_str();
        let checklist = audits::find_checklist(&mut tx, checklist_id)
            .await?
            .ok_or_else(|| Error::not_found(CHECKLIST, checklist_id))?;
        let (outcome, verdicts) = judge(&checklist, &fields.verdicts)
            .map_err(|e| verdict_error(e, &fields.verdicts, checklist_id))?;
        let latest = audits::latest_audit_time(&mut tx, &station.id).await?;
        let audit = FacilityAudit {
            id,
            station_id: station.id.clone(),
            dealer_id: station.dealer_id.clone(),
            region_id: station.region_id.clone(),
            checklist_id: checklist.id.clone(),
            audit_time: fields.audit_time,
            auditor: caller.principal.subject.clone(),
            verdicts,
            outcome,
            create_time: timestamp::from_micros(timestamp::now_micros()),
        };
        audits::insert_audit(&mut tx, &audit, &checklist).await?;
        let level = StarLevel::parse(outcome.star_level.into())
            .map_err(|_| Error::Internal(format!("star level {}", outcome.star_level).into()))?;
        let latest = latest.map(timestamp::from_micros);
        if supersedes(audit.audit_time, latest) && level != station.fields.star_level {
            audits::set_star_level(&mut tx, &station, level).await?;
        }
        commit(tx, caller, audit).await
    }

    pub async fn get_facility_audit(&self, caller: &Principal, id: &str) -> Result<FacilityAudit> {
        let mut conn = self.db.pool().acquire().await?;
        let audit = audits::find_audit(&mut conn, id)
            .await?
            .ok_or_else(|| Error::not_found(AUDIT, id))?;
        check_read(caller, place(&audit), AUDIT, id)?;
        Ok(audit)
    }

    /// Audits newest audit time first (then by id, descending), after the
    /// audit `after` names by its time in microseconds and id.
    pub async fn list_facility_audits(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<FacilityAudit>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        audits::audits(&mut conn, &scope, station_id, dealer_id, after, limit).await
    }
}

fn place(a: &FacilityAudit) -> Place<'_> {
    Place::Station {
        region_id: a.region_id.as_str(),
        dealer_id: a.dealer_id.as_str(),
        station_id: a.station_id.as_str(),
    }
}

/// The verdict a scoring refusal is about, named as the request names it.
fn verdict_error(e: AuditError, verdicts: &[Verdict], checklist_id: &str) -> Error {
    // The `nth` verdict (from 0) naming `code`.
    let field = |code: &str, nth: usize| {
        verdicts
            .iter()
            .enumerate()
            .filter(|(_, v)| v.item_code.as_str() == code)
            .nth(nth)
            .map_or_else(
                || "facility_audit.verdicts".to_owned(),
                |(i, _)| format!("facility_audit.verdicts[{i}].item_code"),
            )
    };
    match &e {
        AuditError::UnknownItem(code) => Error::invalid(&field(code, 0), e.to_string()),
        AuditError::JudgedTwice(code) => Error::invalid(&field(code, 1), e.to_string()),
        AuditError::Unjudged(_) => Error::invalid("facility_audit.verdicts", e.to_string()),
        AuditError::Empty => {
            Error::Internal(format!("{CHECKLIST} {checklist_id} has no points").into())
        }
    }
}
