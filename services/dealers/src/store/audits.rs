//! Facility audits: checklists, kept as created, and audits, scored when
//! they are recorded, each setting its station's star level in the same
//! transaction when it is the station's latest.

use aftercare_edge::resource::{expect_one, next_meta, on_write_error};
use std::collections::HashMap;

use aftercare_auth::Principal;
use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{
    Caller, Store, Stored, begin, check_change, check_read, check_role,
    list::{ScopeColumns, Scoped},
    list_scope,
};
use crate::{
    domain::{
        access::{Change, Place},
        audits::{
            AuditError, AuditFields, Checklist, ChecklistFields, ChecklistItem, FacilityAudit,
            Item, Note, Outcome, Verdict, judge, supersedes,
        },
        network::{StarLevel, Station},
        text::{Code, DisplayName, Id},
    },
    error::{Error, Result},
};

const CHECKLIST: &str = "audit checklist";
const AUDIT: &str = "facility audit";

// Checklists ------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct ChecklistRow {
    id: String,
    code: String,
    version: i64,
    display_name: String,
    create_time: i64,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    checklist_id: String,
    code: String,
    description: String,
    points: i64,
    mandatory: i64,
}

macro_rules! checklists {
    ($($rest:literal)?) => {
        concat!("SELECT id, code, version, display_name, create_time FROM audit_checklists" $(, $rest)?)
    };
}

/// The child rows of a page of objects, by the id of their object.
fn by_parent<R>(rows: Vec<R>, parent: impl Fn(&R) -> &str) -> HashMap<String, Vec<R>> {
    let mut map: HashMap<String, Vec<R>> = HashMap::new();
    for row in rows {
        map.entry(parent(&row).to_owned()).or_default().push(row);
    }
    map
}

/// The checklists of `rows` with their items, in the order of `rows`.
async fn with_items(conn: &mut AnyConnection, rows: Vec<ChecklistRow>) -> Result<Vec<Checklist>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut query = ListQuery::new(
        "SELECT checklist_id, code, description, points, mandatory FROM audit_checklist_items",
        vec![],
    );
    query.any_of("checklist_id", &ids);
    let items: Vec<ItemRow> = query
        .fetch(&mut *conn, "checklist_id, position", None)
        .await?;
    let mut items = by_parent(items, |i| &i.checklist_id);
    let mut checklists = Vec::with_capacity(rows.len());
    for r in rows {
        let items = items
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                let points = u32::try_from(i.points).map_err(|_| {
                    Error::Internal(
                        format!("checklist {} has an item of {} points", r.id, i.points).into(),
                    )
                })?;
                Ok(ChecklistItem {
                    item: Item {
                        code: i.code,
                        points,
                        mandatory: i.mandatory != 0,
                    },
                    description: DisplayName::from_store(i.description),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        checklists.push(Checklist {
            id: Id::from_store(r.id),
            version: r.version,
            fields: ChecklistFields {
                code: Code::from_store(r.code),
                display_name: DisplayName::from_store(r.display_name),
                items,
            },
            create_time: timestamp::from_micros(r.create_time),
        });
    }
    Ok(checklists)
}

async fn find_checklist(conn: &mut AnyConnection, id: &str) -> Result<Option<Checklist>> {
    let row: Option<ChecklistRow> = sqlx::query_as(checklists!(" WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(row) => with_items(conn, vec![row]).await?.pop(),
        None => None,
    })
}

/// A failed checklist insert: its id taken, or another version of its code
/// created by a concurrent request (PostgreSQL; SQLite writes one at a
/// time) — the caller should retry.
fn on_checklist_error(e: sqlx::Error, checklist: &Checklist) -> Error {
    let code = &checklist.fields.code;
    if aftercare_db::errors::is_unique_violation(&e)
        && aftercare_db::errors::violation_mentions(&e, "code")
    {
        return Error::Aborted(format!(
            "another version of checklist {code} was created at the same time; retry"
        ));
    }
    let taken = format!("{CHECKLIST} {} already exists", checklist.id);
    on_write_error(e, &[("audit_checklists", taken)])
}

impl Store {
    pub async fn create_audit_checklist(
        &self,
        caller: &Caller,
        id: Id,
        fields: ChecklistFields,
    ) -> Result<Checklist> {
        check_role(&caller.principal, Change::Standards, CHECKLIST)?;
        let mut tx = begin!(self, caller);
        check_change(
            &caller.principal,
            Change::Standards,
            Place::Network,
            CHECKLIST,
            id.as_str(),
        )?;
        let latest: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM audit_checklists WHERE code = $1",
        )
        .bind(fields.code.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let checklist = Checklist {
            id,
            version: latest + 1,
            fields,
            create_time: timestamp::from_micros(timestamp::now_micros()),
        };
        sqlx::query(
            "INSERT INTO audit_checklists (id, code, version, display_name, create_time) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(checklist.id.as_str())
        .bind(checklist.fields.code.as_str())
        .bind(checklist.version)
        .bind(checklist.fields.display_name.as_str())
        .bind(timestamp::to_micros(checklist.create_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_checklist_error(e, &checklist))?;
        for (position, i) in checklist.fields.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO audit_checklist_items (checklist_id, position, code, description, \
                 points, mandatory) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(checklist.id.as_str())
            .bind(position as i64)
            .bind(i.item.code.as_str())
            .bind(i.description.as_str())
            .bind(i64::from(i.item.points))
            .bind(i64::from(i.item.mandatory))
            .execute(&mut *tx)
            .await?;
        }
        Self::commit(tx, caller, checklist).await
    }

    pub async fn get_audit_checklist(&self, caller: &Principal, id: &str) -> Result<Checklist> {
        // Checklists are the network's: whoever is of it reads them.
        check_read(caller, Place::Network, CHECKLIST, id)?;
        let mut conn = self.db.pool().acquire().await?;
        find_checklist(&mut conn, id)
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
        let mut query = ListQuery::new(checklists!(), vec![]);
        query.filter("code", code);
        let rows: Vec<ChecklistRow> = query
            .page(
                &mut *conn,
                "id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        with_items(&mut conn, rows).await
    }
}

// Audits ----------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    checklist_id: String,
    audit_time: i64,
    auditor: String,
    score_basis_points: i64,
    mandatory_failed: i64,
    star_level: i64,
    create_time: i64,
}

#[derive(sqlx::FromRow)]
struct VerdictRow {
    audit_id: String,
    item_code: String,
    passed: i64,
    note: Option<String>,
}

macro_rules! audits {
    ($($rest:literal)?) => {
        concat!(
            "SELECT a.id, a.station_id, s.dealer_id, d.region_id, a.checklist_id, a.audit_time, \
             a.auditor, a.score_basis_points, a.mandatory_failed, a.star_level, a.create_time \
             FROM facility_audits a JOIN stations s ON s.id = a.station_id \
             JOIN dealers d ON d.id = s.dealer_id"
            $(, $rest)?
        )
    };
}

/// The columns a caller's scope is checked against on an audit.
const AUDIT_SCOPE: ScopeColumns = ScopeColumns {
    region: "d.region_id",
    dealer: "s.dealer_id",
    station: Some("a.station_id"),
};

fn place(a: &FacilityAudit) -> Place<'_> {
    Place::Station {
        region_id: a.region_id.as_str(),
        dealer_id: a.dealer_id.as_str(),
        station_id: a.station_id.as_str(),
    }
}

/// The audits of `rows` with their verdicts, in the order of `rows`.
async fn with_verdicts(
    conn: &mut AnyConnection,
    rows: Vec<AuditRow>,
) -> Result<Vec<FacilityAudit>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut query = ListQuery::new(
        "SELECT audit_id, item_code, passed, note FROM facility_audit_verdicts",
        vec![],
    );
    query.any_of("audit_id", &ids);
    let verdicts: Vec<VerdictRow> = query.fetch(&mut *conn, "audit_id, position", None).await?;
    let mut verdicts = by_parent(verdicts, |v| &v.audit_id);
    rows.into_iter()
        .map(|r| {
            let own = verdicts.remove(&r.id).unwrap_or_default();
            audit(r, own)
        })
        .collect()
}

fn audit(r: AuditRow, verdicts: Vec<VerdictRow>) -> Result<FacilityAudit> {
    let corrupt = |what: &str| Error::Internal(format!("audit {} has a bad {what}", r.id).into());
    let outcome = Outcome {
        score_basis_points: u32::try_from(r.score_basis_points).map_err(|_| corrupt("score"))?,
        mandatory_failed: u32::try_from(r.mandatory_failed).map_err(|_| corrupt("count"))?,
        star_level: StarLevel::parse(r.star_level)
            .map_err(|_| corrupt("star level"))?
            .get(),
    };
    Ok(FacilityAudit {
        id: Id::from_store(r.id),
        station_id: Id::from_store(r.station_id),
        dealer_id: Id::from_store(r.dealer_id),
        region_id: Id::from_store(r.region_id),
        checklist_id: Id::from_store(r.checklist_id),
        audit_time: timestamp::from_micros(r.audit_time),
        auditor: r.auditor,
        verdicts: verdicts
            .into_iter()
            .map(|v| Verdict {
                item_code: Code::from_store(v.item_code),
                passed: v.passed != 0,
                note: v.note.map(Note::from_store),
            })
            .collect(),
        outcome,
        create_time: timestamp::from_micros(r.create_time),
    })
}

async fn find_audit(conn: &mut AnyConnection, id: &str) -> Result<Option<FacilityAudit>> {
    let row: Option<AuditRow> = sqlx::query_as(audits!(" WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(row) => with_verdicts(conn, vec![row]).await?.pop(),
        None => None,
    })
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

/// Locks the station `id` for the rest of the transaction, so that the
/// audits of one station are recorded one at a time and each sees the
/// others': an UPDATE that changes nothing takes the row lock on
/// PostgreSQL; on SQLite the write transaction already holds the database.
async fn lock_station(tx: &mut Tx, caller: &Principal, id: &str) -> Result<Station> {
    sqlx::query("UPDATE stations SET version = version WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let station = Station::find(tx, id)
        .await?
        .ok_or_else(|| Error::not_found(Station::WHAT, id))?;
    check_change(caller, Change::Network, station.place(), Station::WHAT, id)?;
    Ok(station)
}

/// Sets the star level of `station`, locked in `tx`, to `level`.
async fn set_star_level(tx: &mut Tx, station: &Station, level: StarLevel) -> Result<()> {
    let meta = next_meta(&station.meta, timestamp::now_micros());
    let rows = sqlx::query(
        "UPDATE stations SET star_level = $1, version = $2, update_time = $3 \
         WHERE id = $4 AND version = $5",
    )
    .bind(i64::from(level.get()))
    .bind(meta.version)
    .bind(timestamp::to_micros(meta.update_time))
    .bind(station.id.as_str())
    .bind(station.meta.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    expect_one(rows, Station::WHAT, station.id.as_str())
}

impl Store {
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
        let mut tx = begin!(self, caller);
        let station = lock_station(&mut tx, &caller.principal, fields.station_id.as_str()).await?;
        let checklist_id = fields.checklist_id.as_str();
        let checklist = find_checklist(&mut tx, checklist_id)
            .await?
            .ok_or_else(|| Error::not_found(CHECKLIST, checklist_id))?;
        let (outcome, verdicts) = judge(&checklist, &fields.verdicts)
            .map_err(|e| verdict_error(e, &fields.verdicts, checklist_id))?;
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(audit_time) FROM facility_audits WHERE station_id = $1")
                .bind(station.id.as_str())
                .fetch_one(&mut *tx)
                .await?;
        let audit = FacilityAudit {
            id,
            station_id: station.id.clone(),
            dealer_id: station.dealer_id.clone(),
            region_id: station.region_id.clone(),
            checklist_id: checklist.id,
            audit_time: fields.audit_time,
            auditor: caller.principal.subject.clone(),
            verdicts,
            outcome,
            create_time: timestamp::from_micros(timestamp::now_micros()),
        };
        sqlx::query(
            "INSERT INTO facility_audits (id, station_id, checklist_id, audit_time, auditor, \
             score_basis_points, mandatory_failed, star_level, create_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(audit.id.as_str())
        .bind(audit.station_id.as_str())
        .bind(audit.checklist_id.as_str())
        .bind(timestamp::to_micros(audit.audit_time))
        .bind(audit.auditor.as_str())
        .bind(i64::from(outcome.score_basis_points))
        .bind(i64::from(outcome.mandatory_failed))
        .bind(i64::from(outcome.star_level))
        .bind(timestamp::to_micros(audit.create_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            let taken = format!("{AUDIT} {} already exists", audit.id);
            on_write_error(e, &[("facility_audits", taken)])
        })?;
        for v in &audit.verdicts {
            let position = checklist
                .fields
                .items
                .iter()
                .position(|i| i.item.code == v.item_code.as_str())
                .unwrap_or_default();
            sqlx::query(
                "INSERT INTO facility_audit_verdicts (audit_id, checklist_id, item_code, position, \
                 passed, note) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(audit.id.as_str())
            .bind(audit.checklist_id.as_str())
            .bind(v.item_code.as_str())
            .bind(position as i64)
            .bind(i64::from(v.passed))
            .bind(v.note.as_ref().map(Note::as_str))
            .execute(&mut *tx)
            .await?;
        }
        let level = StarLevel::parse(outcome.star_level.into())
            .map_err(|_| Error::Internal(format!("star level {}", outcome.star_level).into()))?;
        let latest = latest.map(timestamp::from_micros);
        if supersedes(audit.audit_time, latest) && level != station.fields.star_level {
            set_star_level(&mut tx, &station, level).await?;
        }
        Self::commit(tx, caller, audit).await
    }

    pub async fn get_facility_audit(&self, caller: &Principal, id: &str) -> Result<FacilityAudit> {
        let mut conn = self.db.pool().acquire().await?;
        let audit = find_audit(&mut conn, id)
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
        let mut query = ListQuery::new(audits!(), vec![]);
        query
            .scope(&scope, AUDIT_SCOPE)
            .filter("a.station_id", station_id)
            .filter("s.dealer_id", dealer_id);
        if let Some((time, id)) = after {
            query.and(
                "a.audit_time < ? OR (a.audit_time = ? AND a.id < ?)",
                vec![Arg::Int(time), Arg::Int(time), Arg::Text(id)],
            );
        }
        let rows: Vec<AuditRow> = query
            .fetch(&mut *conn, "a.audit_time DESC, a.id DESC", Some(limit))
            .await?;
        with_verdicts(&mut conn, rows).await
    }
}
