//! The rows of facility audits: checklists with their items, and audits
//! with their verdicts.

use aftercare_edge::resource::{expect_one, next_meta, on_write_error};
use std::collections::HashMap;

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{
    Stored,
    list::{ScopeColumns, Scoped},
};
use crate::{
    domain::{
        access::ListScope,
        audits::{
            Checklist, ChecklistFields, ChecklistItem, FacilityAudit, Item, Note, Outcome, Verdict,
        },
        network::{StarLevel, Station},
        text::{Code, DisplayName, Id},
    },
    error::{Error, Result},
};

pub(crate) const CHECKLIST: &str = "audit checklist";
pub(crate) const AUDIT: &str = "facility audit";

// Checklists ------------------------------------------------------------------

#[derive(aftercare_db::FromRow)]
struct ChecklistRow {
    id: String,
    code: String,
    version: i64,
    display_name: String,
    create_time: i64,
}

#[derive(aftercare_db::FromRow)]
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

pub(crate) async fn find_checklist(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<Checklist>> {
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

// Audits ----------------------------------------------------------------------

#[derive(aftercare_db::FromRow)]
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

#[derive(aftercare_db::FromRow)]
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

pub(crate) async fn find_audit(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<FacilityAudit>> {
    let row: Option<AuditRow> = sqlx::query_as(audits!(" WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(row) => with_verdicts(conn, vec![row]).await?.pop(),
        None => None,
    })
}

/// Locks the station `id` for the rest of the transaction, so that the
/// audits of one station are recorded one at a time and each sees the
/// others': an UPDATE that changes nothing takes the row lock on
/// PostgreSQL; on SQLite the write transaction already holds the database.
pub(crate) async fn lock_station(tx: &mut Tx, id: &str) -> Result<Station> {
    sqlx::query("UPDATE stations SET version = version WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let station = Station::find(tx, id)
        .await?
        .ok_or_else(|| Error::not_found(Station::WHAT, id))?;
    Ok(station)
}

/// Sets the star level of `station`, locked in `tx`, to `level`.
pub(crate) async fn set_star_level(tx: &mut Tx, station: &Station, level: StarLevel) -> Result<()> {
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

/// The latest version of the checklist `code`; 0 for none.
pub(crate) async fn latest_checklist_version(tx: &mut Tx, code: &Code) -> Result<i64> {
    Ok(
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM audit_checklists WHERE code = $1",
        )
        .bind(code.as_str())
        .fetch_one(&mut **tx)
        .await?,
    )
}

/// Writes a new checklist with its items.
pub(crate) async fn insert_checklist(tx: &mut Tx, checklist: &Checklist) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_checklists (id, code, version, display_name, create_time) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(checklist.id.as_str())
    .bind(checklist.fields.code.as_str())
    .bind(checklist.version)
    .bind(checklist.fields.display_name.as_str())
    .bind(timestamp::to_micros(checklist.create_time))
    .execute(&mut **tx)
    .await
    .map_err(|e| on_checklist_error(e, checklist))?;
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
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A page of the checklists (of `code`, when set), by id.
pub(crate) async fn checklists(
    conn: &mut AnyConnection,
    code: &str,
    page: &PageRequest,
) -> Result<Vec<Checklist>> {
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
    with_items(conn, rows).await
}

/// The audit time of the station's latest audit.
pub(crate) async fn latest_audit_time(tx: &mut Tx, station_id: &Id) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MAX(audit_time) FROM facility_audits WHERE station_id = $1")
            .bind(station_id.as_str())
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Writes a new audit with its verdicts, each at its item's position in
/// `checklist`.
pub(crate) async fn insert_audit(
    tx: &mut Tx,
    audit: &FacilityAudit,
    checklist: &Checklist,
) -> Result<()> {
    let outcome = &audit.outcome;
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
    .execute(&mut **tx)
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
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Audits in `scope` newest audit time first (then by id, descending),
/// after the audit `after` names by its time in microseconds and id.
pub(crate) async fn audits(
    conn: &mut AnyConnection,
    scope: &ListScope,
    station_id: &str,
    dealer_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<FacilityAudit>> {
    let mut query = ListQuery::new(audits!(), vec![]);
    query
        .scope(scope, AUDIT_SCOPE)
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
    with_verdicts(conn, rows).await
}
