//! Complaints' follow-ups: the payments proposed on them, the customer's
//! link, and what the monthly report and the scorecard read.

use aftercare_db::{
    Db, Tx,
    list::{Arg, ListQuery},
};
use sqlx::AnyConnection;

use crate::{
    domain::complaint::{
        Class, Complaint, Owner, State,
        compensation::{Compensation, Decision, Kind},
        report::{CorrectiveAction, Counted, ReportScope},
    },
    error::{Error, Result},
};

fn bad(what: &str, v: &str) -> Error {
    Error::Internal(format!("stored complaint {what} unreadable: {v}").into())
}

fn parse<T>(what: &str, v: &str, f: impl Fn(&str) -> Option<T>) -> Result<T> {
    f(v).ok_or_else(|| bad(what, v))
}

#[derive(aftercare_db::FromRow)]
struct PaymentRow {
    complaint_id: String,
    number: i64,
    kind: String,
    amount: i64,
    reason: String,
    state: String,
    approval_level: String,
    proposed_by: String,
    propose_time: i64,
    decided_by: Option<String>,
    decide_time: Option<i64>,
    decision_note: Option<String>,
}

impl PaymentRow {
    fn parse(self) -> Result<(String, Compensation)> {
        Ok((
            self.complaint_id,
            Compensation {
                number: self.number,
                kind: parse("payment kind", &self.kind, Kind::parse)?,
                amount: self.amount,
                reason: self.reason,
                state: parse("payment state", &self.state, Decision::parse)?,
                approval_level: parse("approval level", &self.approval_level, Owner::parse)?,
                proposed_by: self.proposed_by,
                propose_time: self.propose_time,
                decided_by: self.decided_by,
                decide_time: self.decide_time,
                decision_note: self.decision_note,
            },
        ))
    }
}

/// The payments of each of `ids`, by complaint then number.
pub async fn compensations(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(String, Compensation)>> {
    let mut q = ListQuery::new(
        "SELECT complaint_id, number, kind, amount, reason, state, approval_level, \
         proposed_by, propose_time, decided_by, decide_time, decision_note \
         FROM complaint_compensations",
        vec![],
    );
    q.any_of("complaint_id", ids);
    let rows: Vec<PaymentRow> = q.fetch(&mut *conn, "complaint_id, number", None).await?;
    rows.into_iter().map(PaymentRow::parse).collect()
}

/// Writes payment `p` of complaint `c`, new or decided.
pub async fn save_compensation(tx: &mut Tx, c: &Complaint, p: &Compensation) -> Result<()> {
    sqlx::query(
        "INSERT INTO complaint_compensations (complaint_id, number, dealer_id, region_id, kind, \
         amount, reason, state, approval_level, proposed_by, propose_time, decided_by, \
         decide_time, decision_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14) ON CONFLICT (complaint_id, number) DO UPDATE SET state = excluded.state, \
         decided_by = excluded.decided_by, decide_time = excluded.decide_time, \
         decision_note = excluded.decision_note",
    )
    .bind(&c.id)
    .bind(p.number)
    .bind(&c.subject.dealer_id)
    .bind(&c.subject.region_id)
    .bind(p.kind.as_str())
    .bind(p.amount)
    .bind(&p.reason)
    .bind(p.state.as_str())
    .bind(p.approval_level.as_str())
    .bind(&p.proposed_by)
    .bind(p.propose_time)
    .bind(p.decided_by.clone())
    .bind(p.decide_time)
    .bind(p.decision_note.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The complaint whose customer's link token is `token`.
pub async fn find_by_link(conn: &mut AnyConnection, token: &str) -> Result<Option<Complaint>> {
    let id: Option<(String,)> = sqlx::query_as("SELECT id FROM complaints WHERE link_hash = $1")
        .bind(super::invitations::token_hash(token))
        .fetch_optional(&mut *conn)
        .await?;
    match id {
        Some((id,)) => super::complaints::find(conn, &id).await,
        None => Ok(None),
    }
}

/// The region of `dealer`'s complaints, if it has any.
pub async fn dealer_region(db: &Db, dealer: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT region_id FROM complaints WHERE dealer_id = $1 LIMIT 1")
            .bind(dealer)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(r,)| r))
}

fn scoped(q: &mut ListQuery, scope: &ReportScope) {
    match scope {
        ReportScope::Dealer(d) => {
            q.eq("dealer_id", d.as_str());
        }
        ReportScope::Region(r) => {
            q.eq("region_id", r.as_str());
        }
        ReportScope::Network => {}
    }
}

#[derive(aftercare_db::FromRow)]
struct CountedRow {
    id: String,
    dealer_id: String,
    station_id: String,
    class: String,
    cause: String,
    state: String,
    open_time: i64,
    first_response_time: Option<i64>,
    resolve_time: Option<i64>,
    due_time: Option<i64>,
    advisor_id: Option<String>,
    technician_ids: String,
    part_numbers: String,
}

/// The complaints of `scope` opened in `[from, to)`.
pub async fn opened(db: &Db, scope: &ReportScope, from: i64, to: i64) -> Result<Vec<Counted>> {
    let mut q = ListQuery::new(
        "SELECT id, dealer_id, station_id, class, cause, state, open_time, \
         first_response_time, resolve_time, due_time, advisor_id, technician_ids, \
         part_numbers FROM complaints",
        vec![],
    );
    scoped(&mut q, scope);
    q.and(
        "open_time >= ? AND open_time < ?",
        vec![Arg::Int(from), Arg::Int(to)],
    );
    let rows: Vec<CountedRow> = q.fetch(db.pool(), "open_time, id", None).await?;
    rows.into_iter()
        .map(|r| {
            Ok(Counted {
                class: parse("class", &r.class, Class::parse)?,
                state: parse("state", &r.state, State::parse)?,
                id: r.id,
                dealer_id: r.dealer_id,
                station_id: r.station_id,
                cause: r.cause,
                open_time: r.open_time,
                first_response_time: r.first_response_time,
                resolve_time: r.resolve_time,
                pending_due: r.due_time,
                technician_ids: super::complaints::ids(&r.technician_ids)?,
                part_numbers: super::complaints::ids(&r.part_numbers)?,
                advisor_id: r.advisor_id,
            })
        })
        .collect()
}

/// The amounts of `scope`'s payments approved in `[from, to)`, by kind
/// (summed by the report).
pub async fn approved(
    db: &Db,
    scope: &ReportScope,
    from: i64,
    to: i64,
) -> Result<Vec<(Kind, i64)>> {
    let mut q = ListQuery::new("SELECT kind, amount FROM complaint_compensations", vec![]);
    scoped(&mut q, scope);
    q.eq("state", Decision::Approved.as_str());
    q.and(
        "decide_time >= ? AND decide_time < ?",
        vec![Arg::Int(from), Arg::Int(to)],
    );
    let rows: Vec<(String, i64)> = q.fetch(db.pool(), "kind", None).await?;
    rows.into_iter()
        .map(|(kind, amount)| Ok((parse("payment kind", &kind, Kind::parse)?, amount)))
        .collect()
}

#[derive(aftercare_db::FromRow)]
struct ClosedRow {
    station_id: String,
    id: String,
    repair_order_id: Option<String>,
    class: String,
    cause: String,
    root_cause: Option<String>,
    corrective_action: Option<String>,
    close_time: i64,
}

/// `dealer`'s complaints closed in `[from, to)`: by station, the latest
/// first, at most `limit`.
pub async fn closed(
    db: &Db,
    dealer: &str,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<CorrectiveAction>> {
    let rows: Vec<ClosedRow> = sqlx::query_as(
        "SELECT station_id, id, repair_order_id, class, cause, root_cause, corrective_action, \
         close_time FROM complaints WHERE dealer_id = $1 AND state = $2 AND close_time >= $3 \
         AND close_time < $4 ORDER BY station_id, close_time DESC, id LIMIT $5",
    )
    .bind(dealer)
    .bind(State::Closed.as_str())
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(CorrectiveAction {
                class: parse("class", &r.class, Class::parse)?,
                station_id: r.station_id,
                complaint_id: r.id,
                repair_order_id: r.repair_order_id,
                cause: r.cause,
                root_cause: r.root_cause.unwrap_or_default(),
                corrective_action: r.corrective_action.unwrap_or_default(),
                close_time: r.close_time,
            })
        })
        .collect()
}
