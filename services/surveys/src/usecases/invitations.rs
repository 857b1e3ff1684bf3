//! Invitations: made from the dealers service's delivered-RO events, their
//! link tokens issued, read, and counted as response rates.

use aftercare_auth::Principal;
use aftercare_db::{Db, timestamp};
use aftercare_values::{PageRequest, Period};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;

use super::Rules;
use crate::{
    domain::{
        access::{self, ListScope},
        invitation::{Delivered, Invitation, IssuedLink, RateScope, ResponseRate},
    },
    error::{Error, Result},
    store::{
        self,
        invitations::INVITATION,
        members::{self, MemberKind},
    },
};

#[derive(Debug, Clone)]
pub struct Invitations {
    db: Db,
    rules: Rules,
}

impl Invitations {
    pub fn new(db: Db, rules: Rules) -> Self {
        Self { db, rules }
    }

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
        if let Some(existing) =
            store::invitations::find_by_repair_order(&mut tx, &d.repair_order_id).await?
        {
            // A redelivered event, or another event of the same RO.
            tx.commit().await?;
            return Ok(existing);
        }
        if !first {
            return Err(Error::Internal(
                format!("event {} was applied but left no invitation", d.event_id).into(),
            ));
        }
        let station_name = (!d.station_name.is_empty()).then(|| d.station_name.clone());
        let named = [
            (MemberKind::Dealer, &d.dealer_id, &d.dealer_name),
            (MemberKind::Station, &d.station_id, &d.station_name),
        ];
        for (kind, id, name) in named {
            members::name(&mut tx, kind, id, name, d.delivery_time).await?;
        }
        let code = &self.rules.invitation_template;
        let version = store::templates::latest_number(&mut tx, code).await?;
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
            create_time: timestamp::now_micros(),
            locale: d.locale,
            station_name,
        };
        store::invitations::insert(&mut tx, &invitation, &d.event_id).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Mints a fresh link token for an unanswered invitation, replacing the
    /// previous one.
    pub async fn issue_link(&self, caller: &Principal, id: &str) -> Result<IssuedLink> {
        let mut tx = self.db.begin().await?;
        let mut invitation = store::invitations::find(&mut tx, id)
            .await?
            .ok_or_else(|| Error::not_found(INVITATION, id))?;
        access::check_contact(caller, invitation.place())
            .map_err(|d| Error::denied(d, INVITATION, id))?;
        check_answerable(&invitation)?;
        let token = mint_token();
        let expire_time = timestamp::now_micros()
            .saturating_add(self.rules.link_lifetime_secs.saturating_mul(1_000_000));
        store::invitations::set_link(&mut tx, id, &token, expire_time).await?;
        tx.commit().await?;
        invitation.link_expire_time = Some(expire_time);
        Ok(IssuedLink {
            token,
            expire_time,
            invitation,
        })
    }

    pub async fn get(&self, caller: &Principal, id: &str) -> Result<Invitation> {
        let mut conn = self.db.pool().acquire().await?;
        store::invitations::find(&mut conn, id)
            .await?
            .filter(|i| access::sees(caller, i.place()))
            .ok_or_else(|| Error::not_found(INVITATION, id))
    }

    /// Invitations by id, after the page's key.
    pub async fn list(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Invitation>> {
        let scope = list_scope(caller)?;
        store::invitations::list(&self.db, &scope, station_id, dealer_id, page).await
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
        let (dealer, region) = match &scope {
            RateScope::Dealer(d) => (Some(d.as_str()), None),
            RateScope::Region(r) => (None, Some(r.as_str())),
            RateScope::Visible | RateScope::Station(_) => (None, None),
        };
        check_named(&visible, dealer, region)?;
        let (start, end) = self.rules.zone.period_bounds(&period);
        let bounds = (timestamp::to_micros(start), timestamp::to_micros(end));
        store::invitations::response_rate(&self.db, &visible, &scope, bounds).await
    }
}

/// What of the invitations and responses `caller` sees in a list.
pub(super) fn list_scope(caller: &Principal) -> Result<ListScope> {
    access::list_scope(caller).map_err(|d| Error::denied(d, INVITATION, ""))
}

/// A dealer or region named outside the caller's scope is not seen.
pub(super) fn check_named(
    scope: &ListScope,
    dealer: Option<&str>,
    region: Option<&str>,
) -> Result<()> {
    access::check_named(scope, dealer, region)
        .map_err(|d| Error::denied(d, "scope", "of the request"))
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

/// 256 random bits from the thread's cryptographically secure generator
/// (ChaCha, seeded and reseeded from the operating system), URL-safe.
pub(super) fn mint_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}
