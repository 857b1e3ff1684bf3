//! Responses: answers checked against the invitation's version, scored, and
//! stored once — in the transaction that claims the invitation (and so
//! consumes its link token) — with their day aggregates and, below the
//! alert threshold, a low-score alert in the outbox; once committed, the
//! league tables move.

use std::sync::Arc;

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx, begin_write, timestamp};
use aftercare_edge::Caller;
use aftercare_outbox::Event;
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{
    Rules, commit,
    invitations::{check_answerable, list_scope},
};
use crate::{
    domain::{
        access, improvement,
        invitation::Invitation,
        response::{Channel, Response, SurveyByLink},
        scoring,
        template::PublishedVersion,
    },
    error::{Error, Result},
    events::LowScore,
    leagues::Leagues,
    store::{self, invitations::INVITATION, responses::RESPONSE},
};

#[derive(Debug, Clone)]
pub struct Responses {
    db: Db,
    rules: Rules,
    /// Moved as each response is committed.
    leagues: Arc<Leagues>,
}

impl Responses {
    pub fn new(db: Db, rules: Rules, leagues: Arc<Leagues>) -> Self {
        Self { db, rules, leagues }
    }

    /// The questions a link asks.
    pub async fn survey_by_link(&self, token: &str) -> Result<SurveyByLink> {
        let mut conn = self.db.pool().acquire().await?;
        let invitation = open_link(&mut conn, token).await?;
        let version = version_of(&mut conn, &invitation).await?;
        Ok(SurveyByLink {
            version,
            expire_time: invitation.link_expire_time.unwrap_or_default(),
            delivery_time: invitation.delivery_time,
            locale: invitation.locale,
            station_name: invitation.station_name,
        })
    }

    /// Stores the answers of a link and consumes its token, at once.
    pub async fn submit_by_link(
        &self,
        token: &str,
        answers: Vec<(String, i64)>,
    ) -> Result<Response> {
        let mut tx = self.db.begin().await?;
        let invitation = open_link(&mut tx, token).await?;
        let response = self
            .answer(
                &mut tx,
                &invitation,
                answers,
                Channel::Link,
                None,
                Some(token),
            )
            .await?;
        tx.commit().await?;
        Ok(self.committed(response).await)
    }

    /// A callback agent stores the answers given by phone.
    pub async fn take_by_phone(
        &self,
        caller: &Caller,
        invitation_id: &str,
        answers: Vec<(String, i64)>,
    ) -> Result<Response> {
        let response = self.answer_by_phone(caller, invitation_id, answers).await?;
        // A replayed call moves the tables again: harmless, the rows are
        // recomputed from the database.
        Ok(self.committed(response).await)
    }

    async fn answer_by_phone(
        &self,
        caller: &Caller,
        invitation_id: &str,
        answers: Vec<(String, i64)>,
    ) -> Result<Response> {
        let mut tx = begin_write!(&self.db, caller.key.as_ref());
        let invitation = store::invitations::find(&mut tx, invitation_id)
            .await?
            .ok_or_else(|| Error::not_found(INVITATION, invitation_id))?;
        access::check_contact(&caller.principal, invitation.place())
            .map_err(|d| Error::denied(d, INVITATION, invitation_id))?;
        check_answerable(&invitation)?;
        let agent = caller.principal.subject.clone();
        let response = self
            .answer(
                &mut tx,
                &invitation,
                answers,
                Channel::Phone,
                Some(agent),
                None,
            )
            .await?;
        commit(tx, caller, response).await
    }

    /// After a response committed: the league tables move (never fails).
    async fn committed(&self, response: Response) -> Response {
        self.leagues.record(&response).await;
        response
    }

    /// Checks, scores and stores `answers` to `invitation` in `tx`, after
    /// claiming the invitation: of two concurrent answers one claims it and
    /// the other stores nothing. An answer by link claims it only while
    /// `token` is still its current, unexpired one (a link reissued
    /// meanwhile replaced it).
    async fn answer(
        &self,
        tx: &mut Tx,
        invitation: &Invitation,
        answers: Vec<(String, i64)>,
        channel: Channel,
        agent: Option<String>,
        token: Option<&str>,
    ) -> Result<Response> {
        let published = version_of(tx, invitation).await?;
        let version = published.version().map_err(|e| {
            Error::Internal(
                format!("stored version {} fails its checks: {e}", published.number).into(),
            )
        })?;
        let checked = version
            .check_answers(answers)
            .map_err(|e| Error::invalid(&e.field(), e.to_string()))?;
        let score = scoring::score(&version, &checked);
        let factors = scoring::factor_scores(&version, &checked);
        let low_score = scoring::is_below_threshold(&score, self.rules.alert_below);
        let now = timestamp::now_micros();
        let id = uuid::Uuid::now_v7().to_string();
        if !store::invitations::claim(tx, &invitation.id, &id, now, token).await? {
            return Err(match token {
                None => Error::FailedPrecondition("this survey was already answered".into()),
                Some(_) => link_refused(LINK_USED),
            });
        }
        let response = Response {
            id,
            invitation_id: invitation.id.clone(),
            repair_order_id: invitation.repair_order_id.clone(),
            station_id: invitation.station_id.clone(),
            dealer_id: invitation.dealer_id.clone(),
            region_id: invitation.region_id.clone(),
            advisor_id: invitation.advisor_id.clone(),
            template_code: version.template().to_owned(),
            version_number: version.number().into(),
            channel,
            agent,
            answers: checked
                .iter()
                .map(|(q, v)| (q.to_owned(), i64::from(v)))
                .collect(),
            score,
            low_score,
            submit_time: now,
            delivery_time: invitation.delivery_time,
        };
        store::responses::insert(tx, &response).await?;
        let day = store::aggregates::local_day(invitation.delivery_time, &self.rules.zone);
        store::aggregates::add(tx, invitation, &response, day).await?;
        let values = improvement::response_values(&response.score, &factors);
        store::improvement_plans::add_response(tx, invitation, &values, day).await?;
        if low_score {
            aftercare_outbox::enqueue(tx, &Event::from(LowScore(&response))).await?;
        }
        Ok(response)
    }

    pub async fn get(&self, caller: &Principal, id: &str) -> Result<Response> {
        store::responses::find(&self.db, id)
            .await?
            .filter(|r| access::sees(caller, r.place()))
            .ok_or_else(|| Error::not_found(RESPONSE, id))
    }

    pub async fn list(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Response>> {
        let scope = list_scope(caller)?;
        store::responses::list(&self.db, &scope, station_id, dealer_id, page).await
    }
}

/// The invitation a link token names, if it may still be answered; the
/// refusals do not tell which invitation it was.
async fn open_link(conn: &mut AnyConnection, token: &str) -> Result<Invitation> {
    let invitation = store::invitations::find_by_link(conn, token)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: "survey",
            id: "for this link".into(),
        })?;
    if invitation.response_id.is_some() {
        return Err(link_refused(LINK_USED));
    }
    if invitation
        .link_expire_time
        .is_none_or(|t| t <= timestamp::now_micros())
    {
        return Err(link_refused(LINK_EXPIRED));
    }
    Ok(invitation)
}

/// The two ways a known link is refused, as the contract names them in the
/// answer's `google.rpc.PreconditionFailure`, so that the page can tell the
/// customer which: (type, why).
const LINK_USED: (&str, &str) = ("LINK_USED", "this survey link was already used");
const LINK_EXPIRED: (&str, &str) = ("LINK_EXPIRED", "this survey link has expired");

fn link_refused((kind, reason): (&'static str, &str)) -> Error {
    Error::PreconditionFailure {
        kind,
        subject: "link_token".into(),
        reason: reason.into(),
    }
}

/// The version `invitation` asks.
async fn version_of(conn: &mut AnyConnection, invitation: &Invitation) -> Result<PublishedVersion> {
    let (Some(code), Some(number)) = (&invitation.template_code, invitation.version_number) else {
        return Err(Error::FailedPrecondition(
            "no survey version was published when this RO was delivered".into(),
        ));
    };
    store::templates::find_version(conn, code, number)
        .await?
        .ok_or_else(|| Error::Internal(format!("version {number} of {code} is missing").into()))
}
