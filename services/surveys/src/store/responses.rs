//! Responses: answers checked against the invitation's version, scored, and
//! stored once — in the transaction that claims the invitation (and so
//! consumes its link token) — with a low-score alert in the outbox when the
//! score is below the threshold.

use std::collections::BTreeMap;

use aftercare_auth::Principal;
use aftercare_db::{
    Tx,
    insert::insert_all,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_outbox::Event;
use aftercare_values::PageRequest;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::{
    Caller, Store, begin,
    invitations::{self, INVITATION, Invitation, check_answerable, invitations, token_hash},
    templates::{PublishedVersion, find_version},
};
use crate::{
    domain::{
        access::{self, Place},
        scoring::{self, ItemScore, NpsClass, ResponseScore},
        servqual::Dimension,
    },
    error::{Error, Result, denied},
};

const RESPONSE: &str = "survey response";

/// Where low-score alerts go, and what they are.
pub const COMPLAINTS: &str = "complaints";
pub const LOW_SCORE: &str = "survey.low_score";

/// How a response was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Link,
    Phone,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Link => "link",
            Channel::Phone => "phone",
        }
    }
}

/// A stored response with its scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: String,
    pub invitation_id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub template_code: String,
    pub version_number: i64,
    pub channel: Channel,
    pub agent: Option<String>,
    pub answers: BTreeMap<String, i64>,
    pub score: ResponseScore,
    pub low_score: bool,
    pub submit_time: i64,
    /// When the RO was delivered: its day places the response in periods.
    #[serde(default)]
    pub delivery_time: i64,
}

/// What a link asks.
#[derive(Debug, Clone)]
pub struct SurveyByLink {
    pub version: PublishedVersion,
    pub expire_time: i64,
    pub delivery_time: i64,
}

/// The invitation a link token names, if it may still be answered; the
/// refusals do not tell which invitation it was.
async fn by_token(conn: &mut AnyConnection, token: &str) -> Result<Invitation> {
    let row: Option<invitations::InvitationRow> =
        sqlx::query_as(invitations!(" WHERE link_hash = $1"))
            .bind(token_hash(token))
            .fetch_optional(&mut *conn)
            .await?;
    let invitation = row
        .map(invitations::InvitationRow::parse)
        .transpose()?
        .ok_or_else(|| Error::NotFound {
            what: "survey",
            id: "for this link".into(),
        })?;
    if invitation.response_id.is_some() {
        return Err(Error::FailedPrecondition(
            "this survey link was already used".into(),
        ));
    }
    if invitation
        .link_expire_time
        .is_none_or(|t| t <= timestamp::now_micros())
    {
        return Err(Error::FailedPrecondition(
            "this survey link has expired".into(),
        ));
    }
    Ok(invitation)
}

async fn version_of(conn: &mut AnyConnection, invitation: &Invitation) -> Result<PublishedVersion> {
    let (Some(code), Some(number)) = (&invitation.template_code, invitation.version_number) else {
        return Err(Error::FailedPrecondition(
            "no survey version was published when this RO was delivered".into(),
        ));
    };
    find_version(conn, code, number)
        .await?
        .ok_or_else(|| Error::Internal(format!("version {number} of {code} is missing").into()))
}

impl Store {
    /// The questions a link asks.
    pub async fn survey_by_link(&self, token: &str) -> Result<SurveyByLink> {
        let mut conn = self.db.pool().acquire().await?;
        let invitation = by_token(&mut conn, token).await?;
        let version = version_of(&mut conn, &invitation).await?;
        Ok(SurveyByLink {
            version,
            expire_time: invitation.link_expire_time.unwrap_or_default(),
            delivery_time: invitation.delivery_time,
        })
    }

    /// Stores the answers of a link and consumes its token, at once.
    pub async fn submit_by_link(
        &self,
        token: &str,
        answers: Vec<(String, i64)>,
    ) -> Result<Response> {
        let mut tx = self.db.begin().await?;
        let invitation = by_token(&mut tx, token).await?;
        let response = self
            .store_response(
                &mut tx,
                &invitation,
                answers,
                Channel::Link,
                None,
                Some(token),
            )
            .await?;
        tx.commit().await?;
        Ok(response)
    }

    /// A callback agent stores the answers given by phone.
    pub async fn take_by_phone(
        &self,
        caller: &Caller,
        invitation_id: &str,
        answers: Vec<(String, i64)>,
    ) -> Result<Response> {
        let mut tx = begin!(self, caller);
        let invitation = invitations::find(&mut tx, invitation_id)
            .await?
            .ok_or_else(|| Error::not_found(INVITATION, invitation_id))?;
        access::check_contact(&caller.principal, invitation.place())
            .map_err(|d| denied(d, INVITATION, invitation_id))?;
        check_answerable(&invitation)?;
        let agent = caller.principal.subject.clone();
        let response = self
            .store_response(
                &mut tx,
                &invitation,
                answers,
                Channel::Phone,
                Some(agent),
                None,
            )
            .await?;
        Self::commit(tx, caller, response).await
    }

    /// Checks, scores and stores `answers` to `invitation` in `tx`, after
    /// claiming the invitation: of two concurrent answers one claims it and
    /// the other stores nothing (PostgreSQL re-reads the row after the
    /// first commits; SQLite write transactions queue). An answer by link
    /// claims it only while `token` is still its current, unexpired one (a
    /// link reissued meanwhile replaced it).
    async fn store_response(
        &self,
        tx: &mut Tx,
        invitation: &Invitation,
        answers: Vec<(String, i64)>,
        channel: Channel,
        agent: Option<String>,
        token: Option<&str>,
    ) -> Result<Response> {
        let version = version_of(tx, invitation).await?.version()?;
        let checked = version
            .check_answers(answers)
            .map_err(|e| Error::invalid(&e.field(), e.to_string()))?;
        let score = scoring::score(&version, &checked);
        let low_score = scoring::is_below_threshold(&score, self.rules.alert_below);
        let now = timestamp::now_micros();
        let id = uuid::Uuid::now_v7().to_string();
        let claimed = match token {
            None => {
                sqlx::query(
                    "UPDATE survey_invitations SET response_id = $1, link_used_time = $2 \
                     WHERE id = $3 AND response_id IS NULL",
                )
                .bind(&id)
                .bind(now)
                .bind(&invitation.id)
                .execute(&mut **tx)
                .await?
            }
            Some(token) => {
                sqlx::query(
                    "UPDATE survey_invitations SET response_id = $1, link_used_time = $2 \
                     WHERE id = $3 AND response_id IS NULL AND link_hash = $4 \
                     AND link_expire_time > $2",
                )
                .bind(&id)
                .bind(now)
                .bind(&invitation.id)
                .bind(token_hash(token))
                .execute(&mut **tx)
                .await?
            }
        }
        .rows_affected();
        if claimed != 1 {
            return Err(Error::FailedPrecondition(match token {
                None => "this survey was already answered".into(),
                Some(_) => "this survey link was already used".into(),
            }));
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
        insert(tx, &response).await?;
        super::aggregates::add(tx, invitation, &response, &self.rules.zone).await?;
        if low_score {
            aftercare_outbox::enqueue(tx, &low_score_event(&response)).await?;
        }
        Ok(response)
    }

    pub async fn get_response(&self, caller: &Principal, id: &str) -> Result<Response> {
        let mut tx = self.db.begin_snapshot().await?;
        let mut query = ListQuery::new(RESPONSES, vec![]);
        query.eq("r.id", id);
        let rows: Vec<ResponseRow> = query.fetch(&mut *tx, "r.id", Some(1)).await?;
        let response = with_items(&mut tx, rows).await?.pop();
        tx.commit().await?;
        response
            .filter(|r| access::sees(caller, place(r)))
            .ok_or_else(|| Error::not_found(RESPONSE, id))
    }

    pub async fn list_responses(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Response>> {
        let scope = invitations::list_scope(caller)?;
        let mut tx = self.db.begin_snapshot().await?;
        let mut query = ListQuery::new(RESPONSES, vec![]);
        invitations::scoped(&mut query, &scope);
        query
            .filter("i.station_id", station_id)
            .filter("i.dealer_id", dealer_id);
        let rows: Vec<ResponseRow> = query
            .page(
                &mut *tx,
                "r.id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        let responses = with_items(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(responses)
    }
}

/// The alert to complaints: the response itself, as the contract has it.
fn low_score_event(response: &Response) -> Event {
    use prost::Message;
    let payload = aftercare_proto::surveys::v1::SurveyResponse::from(response.clone());
    Event::new(COMPLAINTS, LOW_SCORE, payload.encode_to_vec())
}

fn place(r: &Response) -> Place<'_> {
    Place {
        station_id: &r.station_id,
        dealer_id: &r.dealer_id,
        region_id: &r.region_id,
    }
}

fn nps_str(n: NpsClass) -> &'static str {
    match n {
        NpsClass::Promoter => "promoter",
        NpsClass::Passive => "passive",
        NpsClass::Detractor => "detractor",
    }
}

fn nps_parse(s: &str) -> Option<NpsClass> {
    [NpsClass::Promoter, NpsClass::Passive, NpsClass::Detractor]
        .into_iter()
        .find(|n| nps_str(*n) == s)
}

async fn insert(tx: &mut Tx, r: &Response) -> Result<()> {
    let answers = serde_json::to_string(&r.answers).map_err(|e| Error::Internal(Box::new(e)))?;
    let s = &r.score;
    sqlx::query(
        "INSERT INTO survey_responses (id, invitation_id, channel, agent, answers, submit_time, \
         service_index, unweighted_gap, weighted_gap, top_two_box, nps_class, low_score) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&r.id)
    .bind(&r.invitation_id)
    .bind(r.channel.as_str())
    .bind(r.agent.clone())
    .bind(answers)
    .bind(r.submit_time)
    .bind(s.service_index.map(i64::from))
    .bind(s.unweighted_gap)
    .bind(s.weighted_gap)
    .bind(s.top_two_box.map(i64::from))
    .bind(s.nps.map(nps_str))
    .bind(i64::from(r.low_score))
    .execute(&mut **tx)
    .await?;
    let items: Vec<Vec<Arg>> = s
        .items
        .iter()
        .enumerate()
        .map(|(position, item)| {
            vec![
                r.id.as_str().into(),
                (position as i64).into(),
                item.item.as_str().into(),
                item.dimension.as_str().into(),
                item.expectation.into(),
                item.perception.into(),
            ]
        })
        .collect();
    insert_all(
        tx,
        "INSERT INTO survey_response_items (response_id, position, item, dimension, \
         expectation, perception)",
        "",
        &items,
    )
    .await?;
    Ok(())
}

const RESPONSES: &str = "SELECT r.id, r.invitation_id, i.repair_order_id, i.station_id, \
     i.dealer_id, i.region_id, i.advisor_id, i.template_code, i.version_number, r.channel, \
     r.agent, r.answers, r.submit_time, r.service_index, r.unweighted_gap, r.weighted_gap, \
     r.top_two_box, r.nps_class, r.low_score, i.delivery_time \
     FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id";

#[derive(sqlx::FromRow)]
struct ResponseRow {
    id: String,
    invitation_id: String,
    repair_order_id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    advisor_id: String,
    template_code: Option<String>,
    version_number: Option<i64>,
    channel: String,
    agent: Option<String>,
    answers: String,
    submit_time: i64,
    service_index: Option<i64>,
    unweighted_gap: Option<i64>,
    weighted_gap: Option<i64>,
    top_two_box: Option<i64>,
    nps_class: Option<String>,
    low_score: i64,
    delivery_time: i64,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    response_id: String,
    item: String,
    dimension: String,
    expectation: i64,
    perception: i64,
}

async fn with_items(conn: &mut AnyConnection, rows: Vec<ResponseRow>) -> Result<Vec<Response>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut query = ListQuery::new(
        "SELECT response_id, item, dimension, expectation, perception FROM survey_response_items",
        vec![],
    );
    query.any_of("response_id", &ids);
    let items: Vec<ItemRow> = query
        .fetch(&mut *conn, "response_id, position", None)
        .await?;
    let corrupt = |what: &str| Error::Internal(format!("stored response has a bad {what}").into());
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let items = items
            .iter()
            .filter(|i| i.response_id == r.id)
            .map(|i| {
                Ok(ItemScore {
                    item: i.item.clone(),
                    dimension: Dimension::parse(&i.dimension)
                        .ok_or_else(|| corrupt("dimension"))?,
                    expectation: i.expectation,
                    perception: i.perception,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let answers = serde_json::from_str(&r.answers).map_err(|_| corrupt("answer"))?;
        let nps = match r.nps_class.as_deref() {
            Some(s) => Some(nps_parse(s).ok_or_else(|| corrupt("nps class"))?),
            None => None,
        };
        out.push(Response {
            id: r.id,
            invitation_id: r.invitation_id,
            repair_order_id: r.repair_order_id,
            station_id: r.station_id,
            dealer_id: r.dealer_id,
            region_id: r.region_id,
            advisor_id: r.advisor_id,
            template_code: r.template_code.unwrap_or_default(),
            version_number: r.version_number.unwrap_or_default(),
            channel: if r.channel == "phone" {
                Channel::Phone
            } else {
                Channel::Link
            },
            agent: r.agent,
            answers,
            score: ResponseScore {
                items,
                unweighted_gap: r.unweighted_gap,
                weighted_gap: r.weighted_gap,
                service_index: r.service_index.map(|v| v as u32),
                top_two_box: r.top_two_box.map(|v| v != 0),
                nps,
            },
            low_score: r.low_score != 0,
            submit_time: r.submit_time,
            delivery_time: r.delivery_time,
        });
    }
    Ok(out)
}
