//! Invitations: one per delivered RO, from the dealers service's event;
//! link tokens kept only as their SHA-256; response rates.

use aftercare_db::{
    Db, Tx,
    list::{Arg, ListQuery},
};
use aftercare_values::PageRequest;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::{
    domain::{
        access::ListScope,
        invitation::{Invitation, RateScope, ResponseRate},
    },
    error::{Error, Result},
};

pub const INVITATION: &str = "survey invitation";

#[derive(aftercare_db::FromRow)]
struct InvitationRow {
    id: String,
    repair_order_id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    advisor_id: String,
    technician_ids: String,
    delivery_time: i64,
    template_code: Option<String>,
    version_number: Option<i64>,
    link_expire_time: Option<i64>,
    link_used_time: Option<i64>,
    response_id: Option<String>,
    create_time: i64,
    locale: Option<String>,
    station_name: Option<String>,
}

impl InvitationRow {
    fn parse(self) -> Result<Invitation> {
        let technician_ids = serde_json::from_str(&self.technician_ids)
            .map_err(|e| Error::Internal(format!("stored technicians unreadable: {e}").into()))?;
        Ok(Invitation {
            id: self.id,
            repair_order_id: self.repair_order_id,
            station_id: self.station_id,
            dealer_id: self.dealer_id,
            region_id: self.region_id,
            advisor_id: self.advisor_id,
            technician_ids,
            delivery_time: self.delivery_time,
            template_code: self.template_code,
            version_number: self.version_number,
            link_expire_time: self.link_expire_time,
            link_used_time: self.link_used_time,
            response_id: self.response_id,
            create_time: self.create_time,
            locale: self.locale,
            station_name: self.station_name,
        })
    }
}

macro_rules! invitations {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, repair_order_id, station_id, dealer_id, region_id, advisor_id, \
             technician_ids, delivery_time, template_code, version_number, link_expire_time, \
             link_used_time, response_id, create_time, locale, station_name \
             FROM survey_invitations"
            $(, $rest)?
        )
    };
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Invitation>> {
    let row: Option<InvitationRow> = sqlx::query_as(invitations!(" WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(InvitationRow::parse).transpose()
}

pub async fn find_by_repair_order(
    conn: &mut AnyConnection,
    ro: &str,
) -> Result<Option<Invitation>> {
    let row: Option<InvitationRow> = sqlx::query_as(invitations!(" WHERE repair_order_id = $1"))
        .bind(ro)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(InvitationRow::parse).transpose()
}

/// The invitation whose current link token is `token`.
pub async fn find_by_link(conn: &mut AnyConnection, token: &str) -> Result<Option<Invitation>> {
    let row: Option<InvitationRow> = sqlx::query_as(invitations!(" WHERE link_hash = $1"))
        .bind(token_hash(token))
        .fetch_optional(&mut *conn)
        .await?;
    row.map(InvitationRow::parse).transpose()
}

/// The SHA-256 of a link token, in hex: what the store keeps.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Inserts the invitation made from event `event_id`. Another event of the
/// same RO, inserted at the same moment (PostgreSQL), makes the relay retry
/// (and find it).
pub async fn insert(
    conn: &mut AnyConnection,
    invitation: &Invitation,
    event_id: &str,
) -> Result<()> {
    let technicians = serde_json::to_string(&invitation.technician_ids)
        .map_err(|e| Error::Internal(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO survey_invitations (id, event_id, repair_order_id, station_id, \
         dealer_id, region_id, advisor_id, technician_ids, delivery_time, template_code, \
         version_number, create_time, locale, station_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&invitation.id)
    .bind(event_id)
    .bind(&invitation.repair_order_id)
    .bind(&invitation.station_id)
    .bind(&invitation.dealer_id)
    .bind(&invitation.region_id)
    .bind(&invitation.advisor_id)
    .bind(technicians)
    .bind(invitation.delivery_time)
    .bind(invitation.template_code.clone())
    .bind(invitation.version_number)
    .bind(invitation.create_time)
    .bind(invitation.locale.clone())
    .bind(invitation.station_name.clone())
    .execute(conn)
    .await
    .map_err(|e| {
        if aftercare_db::errors::is_unique_violation(&e) {
            Error::Aborted(format!(
                "RO {} was invited at the same time; retry",
                invitation.repair_order_id
            ))
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Makes `token` the link of unanswered invitation `id`, in place of the
/// previous one.
pub async fn set_link(
    conn: &mut AnyConnection,
    id: &str,
    token: &str,
    expire_time: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE survey_invitations SET link_hash = $1, link_expire_time = $2 \
         WHERE id = $3 AND response_id IS NULL",
    )
    .bind(token_hash(token))
    .bind(expire_time)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims invitation `id` for response `response_id` at `now`: whether it
/// was still unanswered — and, for an answer by link, whether `token` was
/// still its current, unexpired link. Of two concurrent claims one wins
/// (PostgreSQL re-reads the row after the first commits; SQLite write
/// transactions queue).
pub async fn claim(
    tx: &mut Tx,
    id: &str,
    response_id: &str,
    now: i64,
    token: Option<&str>,
) -> Result<bool> {
    let claimed = match token {
        None => {
            sqlx::query(
                "UPDATE survey_invitations SET response_id = $1, link_used_time = $2 \
                 WHERE id = $3 AND response_id IS NULL",
            )
            .bind(response_id)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?
        }
        Some(token) => {
            sqlx::query(
                "UPDATE survey_invitations SET response_id = $1, link_used_time = $2 \
                 WHERE id = $3 AND response_id IS NULL AND link_hash = $4 \
                 AND link_expire_time > $2",
            )
            .bind(response_id)
            .bind(now)
            .bind(id)
            .bind(token_hash(token))
            .execute(&mut **tx)
            .await?
        }
    }
    .rows_affected();
    Ok(claimed == 1)
}

/// Adds the caller's scope to a list of invitations (`i.`).
pub(super) fn scoped(query: &mut ListQuery, scope: &ListScope) {
    match scope {
        ListScope::All => {}
        ListScope::Region(region_id) => {
            query.eq("i.region_id", region_id.as_str());
        }
        ListScope::Dealer {
            dealer_id,
            station_ids,
        } => {
            query.eq("i.dealer_id", dealer_id.as_str());
            if !station_ids.is_empty() {
                query.any_of("i.station_id", station_ids);
            }
        }
    }
}

/// Invitations within `scope` by id, after the page's key; of one station
/// or dealer when given (not empty).
pub async fn list(
    db: &Db,
    scope: &ListScope,
    station_id: &str,
    dealer_id: &str,
    page: &PageRequest,
) -> Result<Vec<Invitation>> {
    let mut conn = db.pool().acquire().await?;
    let mut query = ListQuery::new(
        "SELECT i.id, i.repair_order_id, i.station_id, i.dealer_id, i.region_id, \
         i.advisor_id, i.technician_ids, i.delivery_time, i.template_code, i.version_number, \
         i.link_expire_time, i.link_used_time, i.response_id, i.create_time, i.locale, \
         i.station_name FROM survey_invitations i",
        vec![],
    );
    scoped(&mut query, scope);
    query
        .filter("i.station_id", station_id)
        .filter("i.dealer_id", dealer_id);
    let rows: Vec<InvitationRow> = query
        .page(
            &mut *conn,
            "i.id",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    rows.into_iter().map(InvitationRow::parse).collect()
}

/// Invitations of ROs delivered in `[start, end)` (µs) and how many of them
/// were answered, of `rate` within `visible`.
pub async fn response_rate(
    db: &Db,
    visible: &ListScope,
    rate: &RateScope,
    (start, end): (i64, i64),
) -> Result<ResponseRate> {
    let mut query = ListQuery::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS invited, \
         CAST(COALESCE(SUM(CASE WHEN i.response_id IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) \
         AS answered FROM survey_invitations i",
        vec![],
    );
    scoped(&mut query, visible);
    match rate {
        RateScope::Visible => {}
        RateScope::Station(id) => {
            query.eq("i.station_id", id.as_str());
        }
        RateScope::Dealer(id) => {
            query.eq("i.dealer_id", id.as_str());
        }
        RateScope::Region(id) => {
            query.eq("i.region_id", id.as_str());
        }
    }
    query.and(
        "i.delivery_time >= ? AND i.delivery_time < ?",
        vec![Arg::Int(start), Arg::Int(end)],
    );
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<(i64, i64)> = query.fetch(&mut *conn, "1", None).await?;
    let (invited, answered) = rows.first().copied().unwrap_or((0, 0));
    Ok(ResponseRate { invited, answered })
}
