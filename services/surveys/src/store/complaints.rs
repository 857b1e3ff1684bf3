//! Complaints, their steps, the counters that number them and the
//! notification feed.

use aftercare_db::{
    Backend, Db, Tx,
    list::{Arg, ListQuery},
};
use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::{
    domain::{
        access::ListScope,
        complaint::{
            Action, Actor, Class, Complaint, Confirmation, Due, Grievance, Notification,
            NotificationKind, Owner, Severity, Source, State, Step, Subject, SubjectKind,
            escalate_time,
        },
    },
    error::{Error, Result},
};

pub const COMPLAINT: &str = "complaint";

/// The counter of notifications, beside the months'.
const NOTIFICATIONS: &str = "notifications";

/// The next value of counter `name`, counted in `tx`: the row stays locked
/// (PostgreSQL) or the database written (SQLite) until `tx` ends, so two
/// transactions never draw the same value, and a rollback returns it.
pub async fn next(tx: &mut Tx, name: &str) -> Result<i64> {
    take(tx, name, 1).await
}

/// Takes `n` values of counter `name` in `tx` (as [`next`]); answers the
/// last, the first being `last - n + 1`.
async fn take(tx: &mut Tx, name: &str, n: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO complaint_counters (name, last) VALUES ($1, 0) ON CONFLICT DO NOTHING",
    )
    .bind(name)
    .execute(&mut **tx)
    .await?;
    let (last,): (i64,) = sqlx::query_as(
        "UPDATE complaint_counters SET last = last + $2 WHERE name = $1 RETURNING last",
    )
    .bind(name)
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    Ok(last)
}

fn bad(what: &str, v: &str) -> Error {
    Error::Internal(format!("stored complaint {what} unreadable: {v}").into())
}

fn parse<T>(what: &str, v: &str, f: impl Fn(&str) -> Option<T>) -> Result<T> {
    f(v).ok_or_else(|| bad(what, v))
}

fn json(v: &[String]) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(Box::new(e)))
}

/// A stored JSON list of ids.
pub(super) fn ids(v: &str) -> Result<Vec<String>> {
    serde_json::from_str(v).map_err(|_| bad("list", v))
}

#[derive(aftercare_db::FromRow)]
struct Row {
    id: String,
    dealer_id: String,
    region_id: String,
    station_id: String,
    repair_order_id: Option<String>,
    advisor_id: Option<String>,
    technician_ids: String,
    part_numbers: String,
    description: String,
    class: String,
    cause: String,
    severity: String,
    source: String,
    state: String,
    owner_level: String,
    survey_response_id: Option<String>,
    response_due_time: Option<i64>,
    resolution_due_time: Option<i64>,
    first_response: Option<String>,
    root_cause: Option<String>,
    corrective_action: Option<String>,
    confirmation: Option<String>,
    open_time: i64,
    first_response_time: Option<i64>,
    resolve_time: Option<i64>,
    close_time: Option<i64>,
    update_time: i64,
    revision: i64,
}

const COLUMNS: &str = "id, dealer_id, region_id, station_id, repair_order_id, advisor_id, \
     technician_ids, part_numbers, description, class, cause, severity, source, state, \
     owner_level, survey_response_id, response_due_time, resolution_due_time, first_response, \
     root_cause, corrective_action, confirmation, open_time, first_response_time, resolve_time, \
     close_time, update_time, revision";

impl Row {
    fn parse(self) -> Result<Complaint> {
        Ok(Complaint {
            subject: Subject {
                repair_order_id: self.repair_order_id,
                station_id: self.station_id,
                dealer_id: self.dealer_id,
                region_id: self.region_id,
                advisor_id: self.advisor_id,
                technician_ids: ids(&self.technician_ids)?,
                part_numbers: ids(&self.part_numbers)?,
            },
            grievance: Grievance {
                description: self.description,
                class: parse("class", &self.class, Class::parse)?,
                cause: self.cause,
                severity: parse("severity", &self.severity, Severity::parse)?,
                source: parse("source", &self.source, Source::parse)?,
            },
            state: parse("state", &self.state, State::parse)?,
            owner: parse("owner", &self.owner_level, Owner::parse)?,
            due: Due {
                response: self.response_due_time,
                resolution: self.resolution_due_time,
            },
            survey_response_id: self.survey_response_id,
            first_response: self.first_response,
            root_cause: self.root_cause,
            corrective_action: self.corrective_action,
            confirmation: self
                .confirmation
                .map(|c| parse("confirmation", &c, Confirmation::parse))
                .transpose()?,
            open_time: self.open_time,
            first_response_time: self.first_response_time,
            resolve_time: self.resolve_time,
            close_time: self.close_time,
            update_time: self.update_time,
            revision: self.revision,
            history: vec![],
            compensations: vec![],
            link_token: None,
            id: self.id,
        })
    }
}

/// Inserts a new complaint (its steps apart). A second complaint of the
/// same survey response is ALREADY_EXISTS.
pub async fn insert(tx: &mut Tx, c: &Complaint) -> Result<()> {
    let s = &c.subject;
    let g = &c.grievance;
    sqlx::query(
        "INSERT INTO complaints (id, dealer_id, region_id, station_id, repair_order_id, \
         advisor_id, technician_ids, part_numbers, description, class, cause, severity, source, \
         state, owner_level, survey_response_id, response_due_time, resolution_due_time, \
         due_time, escalate_time, open_time, update_time, revision, link_hash) VALUES ($1, $2, \
         $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
         $22, $23, $24)",
    )
    .bind(&c.id)
    .bind(&s.dealer_id)
    .bind(&s.region_id)
    .bind(&s.station_id)
    .bind(s.repair_order_id.clone())
    .bind(s.advisor_id.clone())
    .bind(json(&s.technician_ids)?)
    .bind(json(&s.part_numbers)?)
    .bind(&g.description)
    .bind(g.class.as_str())
    .bind(&g.cause)
    .bind(g.severity.as_str())
    .bind(g.source.as_str())
    .bind(c.state.as_str())
    .bind(c.owner.as_str())
    .bind(c.survey_response_id.clone())
    .bind(c.due.response)
    .bind(c.due.resolution)
    .bind(c.due.pending(c.state))
    .bind(escalate_time(c.state, c.owner, c.due))
    .bind(c.open_time)
    .bind(c.update_time)
    .bind(c.revision)
    .bind(c.link_token.as_deref().map(super::invitations::token_hash))
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if aftercare_db::errors::is_unique_violation(&e) {
            Error::Aborted(format!(
                "complaint {} was opened at the same time; retry",
                c.id
            ))
        } else {
            e.into()
        }
    })?;
    let tied: Vec<Vec<Arg>> = s
        .tied()
        .into_iter()
        .map(|(kind, id)| vec![c.id.as_str().into(), kind.as_str().into(), id.into()])
        .collect();
    if !tied.is_empty() {
        aftercare_db::insert::insert_all(
            tx,
            "INSERT INTO complaint_subjects (complaint_id, kind, subject_id)",
            "",
            &tied,
        )
        .await?;
    }
    Ok(())
}

/// Writes the changeable fields of `c`, whose stored revision was
/// `c.revision - 1`; false when another change came first.
pub async fn update(tx: &mut Tx, c: &Complaint) -> Result<bool> {
    let g = &c.grievance;
    let done = sqlx::query(
        "UPDATE complaints SET class = $1, cause = $2, state = $3, owner_level = $4, \
         response_due_time = $5, resolution_due_time = $6, due_time = $7, escalate_time = $8, \
         first_response = $9, root_cause = $10, corrective_action = $11, confirmation = $12, \
         first_response_time = $13, resolve_time = $14, close_time = $15, update_time = $16, \
         revision = $17 WHERE id = $18 AND revision = $19",
    )
    .bind(g.class.as_str())
    .bind(&g.cause)
    .bind(c.state.as_str())
    .bind(c.owner.as_str())
    .bind(c.due.response)
    .bind(c.due.resolution)
    .bind(c.due.pending(c.state))
    .bind(escalate_time(c.state, c.owner, c.due))
    .bind(c.first_response.clone())
    .bind(c.root_cause.clone())
    .bind(c.corrective_action.clone())
    .bind(c.confirmation.map(Confirmation::as_str))
    .bind(c.first_response_time)
    .bind(c.resolve_time)
    .bind(c.close_time)
    .bind(c.update_time)
    .bind(c.revision)
    .bind(&c.id)
    .bind(c.revision - 1)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends step `number` (from 1) of complaint `id`.
pub async fn add_step(tx: &mut Tx, id: &str, number: usize, step: &Step) -> Result<()> {
    sqlx::query(
        "INSERT INTO complaint_steps (complaint_id, number, action, actor, actor_role, time, \
         note, owner_level) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(number as i64)
    .bind(step.action.as_str())
    .bind(&step.actor.subject)
    .bind(&step.actor.role)
    .bind(step.time)
    .bind(&step.note)
    .bind(step.owner.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(aftercare_db::FromRow)]
struct StepRow {
    complaint_id: String,
    action: String,
    actor: String,
    actor_role: String,
    time: i64,
    note: String,
    owner_level: String,
}

impl StepRow {
    fn parse(self) -> Result<Step> {
        Ok(Step {
            action: parse("action", &self.action, Action::parse)?,
            actor: Actor {
                subject: self.actor,
                role: self.actor_role,
            },
            time: self.time,
            note: self.note,
            owner: parse("owner", &self.owner_level, Owner::parse)?,
        })
    }
}

/// Fills in the history and the payments of each of `complaints`.
async fn with_history(
    conn: &mut AnyConnection,
    mut complaints: Vec<Complaint>,
) -> Result<Vec<Complaint>> {
    if complaints.is_empty() {
        return Ok(complaints);
    }
    let ids: Vec<String> = complaints.iter().map(|c| c.id.clone()).collect();
    let mut q = ListQuery::new(
        "SELECT complaint_id, action, actor, actor_role, time, note, owner_level \
         FROM complaint_steps",
        vec![],
    );
    q.any_of("complaint_id", &ids);
    let rows: Vec<StepRow> = q.fetch(&mut *conn, "complaint_id, number", None).await?;
    for row in rows {
        let id = row.complaint_id.clone();
        let step = row.parse()?;
        if let Some(c) = complaints.iter_mut().find(|c| c.id == id) {
            c.history.push(step);
        }
    }
    for (id, paid) in super::complaint_followups::compensations(conn, &ids).await? {
        if let Some(c) = complaints.iter_mut().find(|c| c.id == id) {
            c.compensations.push(paid);
        }
    }
    Ok(complaints)
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Complaint>> {
    let sql = format!("SELECT {COLUMNS} FROM complaints WHERE id = $1");
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(c) = row.map(Row::parse).transpose()? else {
        return Ok(None);
    };
    Ok(with_history(conn, vec![c]).await?.pop())
}

/// The complaint opened by survey response `response_id`.
pub async fn find_by_response(
    conn: &mut AnyConnection,
    response_id: &str,
) -> Result<Option<Complaint>> {
    let id: Option<(String,)> =
        sqlx::query_as("SELECT id FROM complaints WHERE survey_response_id = $1")
            .bind(response_id)
            .fetch_optional(&mut *conn)
            .await?;
    match id {
        Some((id,)) => find(conn, &id).await,
        None => Ok(None),
    }
}

/// What a list asks for besides the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub dealer_id: String,
    pub region_id: String,
    pub station_id: String,
    pub state: Option<State>,
    pub owner: Option<Owner>,
    /// Only those whose pending deadline passed by this time.
    pub overdue_at: Option<i64>,
    /// Only those opened in [start, end).
    pub opened: Option<(i64, i64)>,
    /// Only those tied to this technician, part or advisor (empty: any).
    pub technician_id: String,
    pub part_number: String,
    pub advisor_id: String,
}

fn scoped(q: &mut ListQuery, scope: &ListScope) {
    match scope {
        ListScope::All => {}
        ListScope::Region(r) => {
            q.eq("region_id", r.as_str());
        }
        ListScope::Dealer {
            dealer_id,
            station_ids,
        } => {
            q.eq("dealer_id", dealer_id.as_str());
            if !station_ids.is_empty() {
                q.any_of("station_id", station_ids);
            }
        }
    }
}

/// Complaints newest first (open time, then id, descending), after the
/// page's key `(open_time, id)`.
pub async fn list(
    db: &Db,
    scope: &ListScope,
    f: &Filter,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<Complaint>> {
    let mut q = ListQuery::new(&format!("SELECT {COLUMNS} FROM complaints"), vec![]);
    scoped(&mut q, scope);
    q.filter("dealer_id", &f.dealer_id)
        .filter("region_id", &f.region_id)
        .filter("station_id", &f.station_id);
    if let Some(s) = f.state {
        q.eq("state", s.as_str());
    }
    if let Some(o) = f.owner {
        q.eq("owner_level", o.as_str());
    }
    if let Some(now) = f.overdue_at {
        q.and("due_time <= ?", vec![Arg::Int(now)]);
    }
    if let Some((start, end)) = f.opened {
        q.and(
            "open_time >= ? AND open_time < ?",
            vec![Arg::Int(start), Arg::Int(end)],
        );
    }
    for (kind, id) in [
        (SubjectKind::Technician, &f.technician_id),
        (SubjectKind::Part, &f.part_number),
        (SubjectKind::Advisor, &f.advisor_id),
    ] {
        if !id.is_empty() {
            q.and(
                "id IN (SELECT complaint_id FROM complaint_subjects \
                 WHERE kind = ? AND subject_id = ?)",
                vec![kind.as_str().into(), id.as_str().into()],
            );
        }
    }
    if let Some((t, id)) = after {
        q.and(
            "open_time < ? OR (open_time = ? AND id < ?)",
            vec![Arg::Int(t), Arg::Int(t), Arg::Text(id)],
        );
    }
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<Row> = q
        .fetch(&mut *conn, "open_time DESC, id DESC", Some(limit))
        .await?;
    let complaints = rows.into_iter().map(Row::parse).collect::<Result<_>>()?;
    with_history(&mut conn, complaints).await
}

/// Writes the new owner and deadlines of each of `escalated` (their
/// revision already bumped) in one statement per few hundred, each only if
/// its stored revision is still the one before; answers the ids written.
pub async fn write_escalations(tx: &mut Tx, escalated: &[Complaint]) -> Result<Vec<String>> {
    let mut written = vec![];
    for chunk in escalated.chunks(500) {
        const WIDTH: usize = 8;
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let row: Vec<String> = (1..=WIDTH).map(|c| format!("${}", r * WIDTH + c)).collect();
                format!("({})", row.join(", "))
            })
            .collect();
        // Only placeholders go into the text; the values are bound.
        let sql = format!(
            "WITH v (id, owner_level, response_due_time, resolution_due_time, due_time, \
             escalate_time, update_time, revision) AS (VALUES {}) \
             UPDATE complaints SET owner_level = v.owner_level, \
             response_due_time = v.response_due_time, \
             resolution_due_time = v.resolution_due_time, due_time = v.due_time, \
             escalate_time = v.escalate_time, update_time = v.update_time, \
             revision = v.revision FROM v \
             WHERE complaints.id = v.id AND complaints.revision = v.revision - 1 \
             RETURNING complaints.id",
            values.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
        for c in chunk {
            q = q
                .bind(c.id.clone())
                .bind(c.owner.as_str())
                .bind(c.due.response)
                .bind(c.due.resolution)
                .bind(c.due.pending(c.state))
                .bind(escalate_time(c.state, c.owner, c.due))
                .bind(c.update_time)
                .bind(c.revision);
        }
        written.extend(q.fetch_all(&mut **tx).await?.into_iter().map(|(id,)| id));
    }
    Ok(written)
}

/// Up to `limit` complaints whose escalation is due at `now`, each locked
/// for `tx` on PostgreSQL and skipped by a concurrent sweep (SQLite's
/// write transaction has the database to itself).
pub async fn claim_due(
    tx: &mut Tx,
    backend: Backend,
    now: i64,
    limit: i64,
) -> Result<Vec<Complaint>> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM complaints WHERE escalate_time <= $1 \
         ORDER BY escalate_time LIMIT $2{lock}"
    );
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
    rows.into_iter().map(Row::parse).collect()
}

/// The number of steps each of `ids` has.
pub async fn step_counts(tx: &mut Tx, ids: &[String]) -> Result<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    // Only placeholders go into the text; the ids are bound.
    let sql = format!(
        "SELECT complaint_id, CAST(MAX(number) AS BIGINT) FROM complaint_steps \
         WHERE complaint_id IN ({}) GROUP BY complaint_id",
        params.join(", ")
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&mut **tx).await?.into_iter().collect())
}

/// Appends each `(complaint, number, step)`, in few statements.
pub async fn add_steps(tx: &mut Tx, steps: &[(&str, i64, Step)]) -> Result<()> {
    if steps.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Arg>> = steps
        .iter()
        .map(|(id, number, s)| {
            vec![
                (*id).into(),
                Arg::Int(*number),
                s.action.as_str().into(),
                s.actor.subject.as_str().into(),
                s.actor.role.as_str().into(),
                Arg::Int(s.time),
                s.note.as_str().into(),
                s.owner.as_str().into(),
            ]
        })
        .collect();
    aftercare_db::insert::insert_all(
        tx,
        "INSERT INTO complaint_steps (complaint_id, number, action, actor, actor_role, time, \
         note, owner_level)",
        "",
        &rows,
    )
    .await?;
    Ok(())
}

/// Adds a notification of `c` to the feed, numbered in `tx`.
pub async fn notify(tx: &mut Tx, kind: NotificationKind, c: &Complaint, time: i64) -> Result<()> {
    notify_all(tx, kind, std::slice::from_ref(c), time).await
}

/// Adds a notification of each of `complaints`, numbered in `tx` in their
/// order.
pub async fn notify_all(
    tx: &mut Tx,
    kind: NotificationKind,
    complaints: &[Complaint],
    time: i64,
) -> Result<()> {
    if complaints.is_empty() {
        return Ok(());
    }
    let n = complaints.len() as i64;
    let first = take(tx, NOTIFICATIONS, n).await? - n + 1;
    let rows: Vec<Vec<Arg>> = complaints
        .iter()
        .zip(first..)
        .map(|(c, sequence)| {
            vec![
                Arg::Int(sequence),
                kind.as_str().into(),
                c.id.as_str().into(),
                c.subject.dealer_id.as_str().into(),
                c.subject.region_id.as_str().into(),
                c.subject.station_id.as_str().into(),
                c.grievance.severity.as_str().into(),
                c.owner.as_str().into(),
                Arg::Int(time),
            ]
        })
        .collect();
    aftercare_db::insert::insert_all(
        tx,
        "INSERT INTO complaint_notifications (sequence, kind, complaint_id, dealer_id, \
         region_id, station_id, severity, owner_level, time)",
        "",
        &rows,
    )
    .await?;
    Ok(())
}

#[derive(aftercare_db::FromRow)]
struct NotificationRow {
    sequence: i64,
    kind: String,
    complaint_id: String,
    dealer_id: String,
    region_id: String,
    station_id: String,
    severity: String,
    owner_level: String,
    time: i64,
}

/// Notifications in `scope` after sequence `after`, oldest first.
pub async fn notifications(
    db: &Db,
    scope: &ListScope,
    after: i64,
    limit: i64,
) -> Result<Vec<Notification>> {
    let mut q = ListQuery::new(
        "SELECT sequence, kind, complaint_id, dealer_id, region_id, station_id, severity, \
         owner_level, time FROM complaint_notifications",
        vec![],
    );
    scoped(&mut q, scope);
    let rows: Vec<NotificationRow> = q
        .page(db.pool(), "sequence", Some(Arg::Int(after)), limit)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Notification {
                sequence: r.sequence,
                kind: parse("kind", &r.kind, NotificationKind::parse)?,
                complaint_id: r.complaint_id,
                dealer_id: r.dealer_id,
                region_id: r.region_id,
                station_id: r.station_id,
                severity: parse("severity", &r.severity, Severity::parse)?,
                owner: parse("owner", &r.owner_level, Owner::parse)?,
                time: r.time,
            })
        })
        .collect()
}

/// The complaints waiting on a deadline, by state and owner: how many, how
/// many of them past it at `now`, and how many due by `soon` (micros).
/// Reads the partial index `complaints_due` (migration 0012), whose
/// condition it repeats.
pub async fn deadlines(db: &Db, now: i64, soon: i64) -> Result<Vec<(State, Owner, i64, i64, i64)>> {
    let rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT state, owner_level, COUNT(*), \
                CAST(COALESCE(SUM(CASE WHEN due_time <= $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN due_time > $1 AND due_time <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM complaints WHERE due_time IS NOT NULL GROUP BY state, owner_level",
    )
    .bind(now)
    .bind(soon)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(state, owner, waiting, overdue, due_soon)| {
            let state = parse("state", &state, State::parse)?;
            let owner = parse("owner_level", &owner, Owner::parse)?;
            Ok((state, owner, waiting, overdue, due_soon))
        })
        .collect()
}
