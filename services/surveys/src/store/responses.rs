//! Responses and their SERVQUAL items, stored once — in the transaction
//! that claims the invitation (`invitations::claim`).

use aftercare_db::{
    Db, Tx,
    insert::insert_all,
    list::{Arg, ListQuery},
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::invitations::scoped;
use crate::{
    domain::{
        access::ListScope,
        response::{Channel, Response},
        scoring::{ItemScore, NpsClass, ResponseScore},
        servqual::Dimension,
    },
    error::{Error, Result},
};

pub const RESPONSE: &str = "survey response";

fn channel_str(c: Channel) -> &'static str {
    match c {
        Channel::Link => "link",
        Channel::Phone => "phone",
    }
}

/// Response `id`, read in one snapshot.
pub async fn find(db: &Db, id: &str) -> Result<Option<Response>> {
    let mut tx = db.begin_snapshot().await?;
    let mut query = ListQuery::new(RESPONSES, vec![]);
    query.eq("r.id", id);
    let rows: Vec<ResponseRow> = query.fetch(&mut *tx, "r.id", Some(1)).await?;
    let response = with_items(&mut tx, rows).await?.pop();
    tx.commit().await?;
    Ok(response)
}

/// Responses within `scope` by id, after the page's key; of one station or
/// dealer when given (not empty). Read in one snapshot.
pub async fn list(
    db: &Db,
    scope: &ListScope,
    station_id: &str,
    dealer_id: &str,
    page: &PageRequest,
) -> Result<Vec<Response>> {
    let mut tx = db.begin_snapshot().await?;
    let mut query = ListQuery::new(RESPONSES, vec![]);
    scoped(&mut query, scope);
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

/// Inserts a response and its items.
pub async fn insert(tx: &mut Tx, r: &Response) -> Result<()> {
    let answers = serde_json::to_string(&r.answers).map_err(|e| Error::Internal(Box::new(e)))?;
    let s = &r.score;
    sqlx::query(
        "INSERT INTO survey_responses (id, invitation_id, channel, agent, answers, submit_time, \
         service_index, unweighted_gap, weighted_gap, top_two_box, nps_class, low_score) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&r.id)
    .bind(&r.invitation_id)
    .bind(channel_str(r.channel))
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
     FROM all_survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id";

#[derive(aftercare_db::FromRow)]
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

#[derive(aftercare_db::FromRow)]
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
        "SELECT response_id, item, dimension, expectation, perception FROM all_survey_response_items",
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
