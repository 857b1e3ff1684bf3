//! Invitations: one per delivered RO, from the dealers service's event;
//! link tokens kept only as their SHA-256; response rates.

use aftercare_auth::Principal;
use aftercare_db::{
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::{PageRequest, Period};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use super::{MemberKind, Store, templates::latest_number};
use crate::{
    domain::access::{self, ListScope, Place},
    error::{Error, Result, denied},
};

pub(super) const INVITATION: &str = "survey invitation";

/// A delivered RO, as the event tells it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub event_id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub technician_ids: Vec<String>,
    pub delivery_time: i64,
    /// The dealer's and the station's display names; empty when the event
    /// does not tell them.
    pub dealer_name: String,
    pub station_name: String,
}

/// A stored invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub technician_ids: Vec<String>,
    pub delivery_time: i64,
    pub template_code: Option<String>,
    pub version_number: Option<i64>,
    pub link_expire_time: Option<i64>,
    pub link_used_time: Option<i64>,
    pub response_id: Option<String>,
    pub create_time: i64,
}

impl Invitation {
    pub(super) fn place(&self) -> Place<'_> {
        Place {
            station_id: &self.station_id,
            dealer_id: &self.dealer_id,
            region_id: &self.region_id,
        }
    }
}

/// A freshly minted link token: the only time it is seen in clear.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    pub token: String,
    pub expire_time: i64,
    pub invitation: Invitation,
}

#[derive(sqlx::FromRow)]
pub(super) struct InvitationRow {
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
}

impl InvitationRow {
    pub(super) fn parse(self) -> Result<Invitation> {
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
        })
    }
}

macro_rules! invitations {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, repair_order_id, station_id, dealer_id, region_id, advisor_id, \
             technician_ids, delivery_time, template_code, version_number, link_expire_time, \
             link_used_time, response_id, create_time FROM survey_invitations"
            $(, $rest)?
        )
    };
}
pub(super) use invitations;

pub(super) async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Invitation>> {
    let row: Option<InvitationRow> = sqlx::query_as(invitations!(" WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(InvitationRow::parse).transpose()
}

async fn find_by_repair_order(conn: &mut AnyConnection, ro: &str) -> Result<Option<Invitation>> {
    let row: Option<InvitationRow> = sqlx::query_as(invitations!(" WHERE repair_order_id = $1"))
        .bind(ro)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(InvitationRow::parse).transpose()
}

/// The SHA-256 of a link token, in hex: what the store keeps.
/// Keeps `name` as the member's display name unless a later delivery named
/// it already; an empty name (an event that tells none) changes nothing.
async fn name(
    conn: &mut AnyConnection,
    kind: MemberKind,
    id: &str,
    name: &str,
    delivery_time: i64,
) -> Result<()> {
    if name.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO survey_members (kind, id, display_name, named_time) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, id) DO UPDATE SET display_name = excluded.display_name, \
         named_time = excluded.named_time WHERE survey_members.named_time <= excluded.named_time",
    )
    .bind(kind.as_str())
    .bind(id)
    .bind(name)
    .bind(delivery_time)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 256 random bits from the thread's cryptographically secure generator
/// (ChaCha, seeded and reseeded from the operating system), URL-safe.
fn mint_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
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

pub(super) fn list_scope(caller: &Principal) -> Result<ListScope> {
    access::list_scope(caller).map_err(|d| denied(d, INVITATION, ""))
}

/// Which invitations a response rate counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateScope {
    /// Everything the caller sees.
    Visible,
    Station(String),
    Dealer(String),
    Region(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseRate {
    pub invited: i64,
    pub answered: i64,
}

impl Store {
    /// Creates the invitation of a delivered RO, once per event and once per
    /// RO; called by the dealers relay on behalf of the RO's dealer only.
    pub async fn receive_delivered(&self, caller: &Principal, d: Delivered) -> Result<Invitation> {
        if !access::is_dealers_relay(caller, &d.dealer_id) {
            return Err(Error::PermissionDenied(
                "only the dealers service delivers its events".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        let first = aftercare_outbox::apply_once(&mut tx, &d.event_id).await?;
        if let Some(existing) = find_by_repair_order(&mut tx, &d.repair_order_id).await? {
            // A redelivered event, or another event of the same RO.
            tx.commit().await?;
            return Ok(existing);
        }
        if !first {
            return Err(Error::Internal(
                format!("event {} was applied but left no invitation", d.event_id).into(),
            ));
        }
        name(
            &mut tx,
            MemberKind::Dealer,
            &d.dealer_id,
            &d.dealer_name,
            d.delivery_time,
        )
        .await?;
        name(
            &mut tx,
            MemberKind::Station,
            &d.station_id,
            &d.station_name,
            d.delivery_time,
        )
        .await?;
        let code = &self.rules.invitation_template;
        let version = latest_number(&mut tx, code).await?;
        let now = timestamp::now_micros();
        let invitation = Invitation {
            id: uuid::Uuid::now_v7().to_string(),
            repair_order_id: d.repair_order_id,
            station_id: d.station_id,
            dealer_id: d.dealer_id,
            region_id: d.region_id,
            advisor_id: d.advisor_id,
            technician_ids: d.technician_ids,
            delivery_time: d.delivery_time,
            template_code: version.map(|_| code.clone()),
            version_number: version,
            link_expire_time: None,
            link_used_time: None,
            response_id: None,
            create_time: now,
        };
        let technicians = serde_json::to_string(&invitation.technician_ids)
            .map_err(|e| Error::Internal(Box::new(e)))?;
        sqlx::query(
            "INSERT INTO survey_invitations (id, event_id, repair_order_id, station_id, \
             dealer_id, region_id, advisor_id, technician_ids, delivery_time, template_code, \
             version_number, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&invitation.id)
        .bind(&d.event_id)
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
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if aftercare_db::errors::is_unique_violation(&e) {
                // Another event of the same RO, at the same moment
                // (PostgreSQL): the relay retries and finds it.
                Error::Aborted(format!(
                    "RO {} was invited at the same time; retry",
                    invitation.repair_order_id
                ))
            } else {
                e.into()
            }
        })?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Mints a fresh link token for an unanswered invitation, replacing the
    /// previous one.
    pub async fn issue_link(&self, caller: &Principal, id: &str) -> Result<IssuedLink> {
        let mut tx = self.db.begin().await?;
        let mut invitation = find(&mut tx, id)
            .await?
            .ok_or_else(|| Error::not_found(INVITATION, id))?;
        access::check_contact(caller, invitation.place()).map_err(|d| denied(d, INVITATION, id))?;
        check_answerable(&invitation)?;
        let token = mint_token();
        let expire_time = timestamp::now_micros()
            .saturating_add(self.rules.link_lifetime_secs.saturating_mul(1_000_000));
        sqlx::query(
            "UPDATE survey_invitations SET link_hash = $1, link_expire_time = $2 \
             WHERE id = $3 AND response_id IS NULL",
        )
        .bind(token_hash(&token))
        .bind(expire_time)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        invitation.link_expire_time = Some(expire_time);
        Ok(IssuedLink {
            token,
            expire_time,
            invitation,
        })
    }

    pub async fn get_invitation(&self, caller: &Principal, id: &str) -> Result<Invitation> {
        let mut conn = self.db.pool().acquire().await?;
        find(&mut conn, id)
            .await?
            .filter(|i| access::sees(caller, i.place()))
            .ok_or_else(|| Error::not_found(INVITATION, id))
    }

    /// Invitations by id, after the page's key.
    pub async fn list_invitations(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Invitation>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        let mut query = ListQuery::new(
            "SELECT i.id, i.repair_order_id, i.station_id, i.dealer_id, i.region_id, \
             i.advisor_id, i.technician_ids, i.delivery_time, i.template_code, i.version_number, \
             i.link_expire_time, i.link_used_time, i.response_id, i.create_time \
             FROM survey_invitations i",
            vec![],
        );
        scoped(&mut query, &scope);
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

    /// Invitations of ROs delivered in `period` (in the OEM's time zone)
    /// and how many of them were answered, within what the caller sees.
    pub async fn response_rate(
        &self,
        caller: &Principal,
        scope: RateScope,
        period: Period,
    ) -> Result<ResponseRate> {
        let visible = list_scope(caller)?;
        let refuse = || Error::NotFound {
            what: "scope",
            id: "of the request".into(),
        };
        // A dealer or region named outside the caller's scope is not seen.
        match (&visible, &scope) {
            (ListScope::Dealer { .. }, RateScope::Region(_)) => return Err(refuse()),
            (ListScope::Dealer { dealer_id, .. }, RateScope::Dealer(d)) if d != dealer_id => {
                return Err(refuse());
            }
            (ListScope::Region(own), RateScope::Region(r)) if r != own => return Err(refuse()),
            _ => {}
        }
        let (start, end) = self.rules.zone.period_bounds(&period);
        let (start, end) = (timestamp::to_micros(start), timestamp::to_micros(end));
        let mut query = ListQuery::new(
            "SELECT CAST(COUNT(*) AS BIGINT) AS invited, \
             CAST(COALESCE(SUM(CASE WHEN i.response_id IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) \
             AS answered FROM survey_invitations i",
            vec![],
        );
        scoped(&mut query, &visible);
        match &scope {
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
        let mut conn = self.db.pool().acquire().await?;
        let rows: Vec<(i64, i64)> = query.fetch(&mut *conn, "1", None).await?;
        let (invited, answered) = rows.first().copied().unwrap_or((0, 0));
        Ok(ResponseRate { invited, answered })
    }
}

/// An invitation may still be answered: not answered yet, and asking a
/// version.
pub(super) fn check_answerable(invitation: &Invitation) -> Result<()> {
    if invitation.response_id.is_some() {
        return Err(Error::FailedPrecondition(
            "this survey was already answered".into(),
        ));
    }
    if invitation.version_number.is_none() {
        return Err(Error::FailedPrecondition(
            "no survey version was published when this RO was delivered".into(),
        ));
    }
    Ok(())
}
