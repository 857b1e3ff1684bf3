//! What a claim's checks read, gathered before any transaction opens: the
//! vehicle (from the event, else dealers), the parts catalogue, prices and
//! ledger and the labour operations (parts), the technicians (dealers), the
//! warranty terms and labour rate and other claims (this service's tables).
//! A peer that does not answer within the deadline is unavailable, which
//! no check takes for a pass.

use std::collections::{BTreeMap, BTreeSet};

use aftercare_auth::Principal;
use aftercare_db::timestamp::{date_to_text, from_micros};
use aftercare_proto::{dealers::v1 as dealers_pb, parts::v1 as parts_pb};
use futures::future::join_all;
use tonic::{Code, Status};

use crate::{
    domain::{
        claims::{
            Claim, LineKind,
            checks::{Certification, Evidence, Issue, Read, Terms, VehicleFacts},
        },
        delivered::Vehicle,
    },
    error::Result,
    peers::{date_of, timestamp_of},
    store,
    usecases::Context,
};

const DAY: i64 = 86_400_000_000;

/// A peer's answer as a check reads it: the thing, none (NOT_FOUND), or
/// unavailable with the reason.
fn read<T>(answer: Result<T, Status>) -> Read<Option<T>> {
    match answer {
        Ok(v) => Read::Got(Some(v)),
        Err(s) if s.code() == Code::NotFound => Read::Got(None),
        Err(s) => Read::Unavailable(format!("{:?}: {}", s.code(), s.message())),
    }
}

/// Reads `fetch` for each distinct key, side by side.
async fn each<T, F, Fut>(keys: BTreeSet<String>, fetch: F) -> BTreeMap<String, Read<Option<T>>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, Status>>,
{
    let reads = join_all(keys.iter().map(|k| fetch(k.clone()))).await;
    keys.into_iter().zip(reads.into_iter().map(read)).collect()
}

/// The vehicle the claim carries, else the dealers service's.
async fn vehicle(cx: &Context, principal: &Principal, claim: &Claim) -> Read<VehicleFacts> {
    if !claim.vin.is_empty() {
        return Read::Got(VehicleFacts {
            vin: claim.vin.clone(),
            model: claim.model.clone(),
            warranty_start: claim.warranty_start,
        });
    }
    match read(cx.peers.vehicle(principal, &claim.vehicle_id).await) {
        Read::Got(Some(v)) => Read::Got(VehicleFacts {
            vin: v.vin,
            model: v.model,
            warranty_start: v.warranty_start_date.as_ref().and_then(date_of),
        }),
        Read::Got(None) => Read::Unavailable(format!(
            "the dealers service has no vehicle {}",
            claim.vehicle_id
        )),
        Read::Unavailable(why) => Read::Unavailable(why),
    }
}

/// The vehicle of a delivered RO as the claim keeps it (empty when the
/// event carried none).
pub(super) fn facts_of(v: &Vehicle) -> VehicleFacts {
    VehicleFacts {
        vin: v.vin.clone(),
        model: v.model.clone(),
        warranty_start: v.warranty_start,
    }
}

fn issues(movements: Vec<parts_pb::StockMovement>) -> Vec<Issue> {
    movements
        .into_iter()
        .filter(|m| m.kind == parts_pb::MovementKind::Issue as i32)
        .map(|m| Issue {
            line_number: m.line_number,
            part_number: m.part_number,
            quantity: m.quantity,
        })
        .collect()
}

fn certifications(staff: dealers_pb::StaffMember) -> Vec<Certification> {
    staff
        .certifications
        .into_iter()
        .map(|c| Certification {
            kind: c.kind,
            expire_date: c.expire_date.as_ref().and_then(date_of),
        })
        .collect()
}

/// Everything `claim`'s checks read, as `principal` may read it.
pub(super) async fn gather(cx: &Context, principal: &Principal, claim: &Claim) -> Result<Evidence> {
    let keys = |kind: LineKind, key: fn(&crate::domain::claims::ClaimLine) -> &String| {
        claim
            .lines
            .iter()
            .filter(|l| l.kind == kind)
            .map(key)
            .filter(|k| !k.is_empty())
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    let part_numbers = keys(LineKind::Part, |l| &l.part_number);
    let operations = keys(LineKind::Labour, |l| &l.operation_code);
    let technicians = keys(LineKind::Labour, |l| &l.technician_id);
    let at = timestamp_of(claim.arrival_time);
    let (vehicle, parts, prices, ledger, operations, technicians) = tokio::join!(
        vehicle(cx, principal, claim),
        each(part_numbers.clone(), |p| async move {
            cx.peers
                .part(principal, &p)
                .await
                .map(|p| p.warranty_eligible)
        }),
        each(part_numbers, |p| async move {
            let price = cx.peers.part_price(principal, &p, at).await?;
            Ok(price.list_price.map(|m| m.minor_units))
        }),
        cx.peers
            .repair_order_movements(principal, &claim.repair_order_id),
        each(operations, |o| async move {
            cx.peers
                .labour_operation(principal, &o)
                .await
                .map(|o| o.required_certification)
        }),
        each(technicians, |t| async move {
            cx.peers
                .staff_member(principal, &t)
                .await
                .map(certifications)
        }),
    );
    let prices = prices
        .into_iter()
        .map(|(p, r)| {
            let r = match r {
                Read::Got(price) => Read::Got(price.flatten()),
                Read::Unavailable(why) => Read::Unavailable(why),
            };
            (p, r)
        })
        .collect();
    let issues = match read(ledger) {
        Read::Got(movements) => Read::Got(issues(movements.unwrap_or_default())),
        Read::Unavailable(why) => Read::Unavailable(why),
    };
    let mut conn = cx.db.pool().acquire().await?;
    let terms = match &vehicle {
        Read::Got(VehicleFacts {
            model,
            warranty_start: Some(start),
            ..
        }) => store::rates::warranty_terms_for(&mut conn, model, &date_to_text(*start))
            .await?
            .map(|(months, kilometres)| Terms { months, kilometres }),
        _ => None,
    };
    let labour_rate = store::rates::warranty_labour_at(&mut conn, claim.arrival_time).await?;
    let days = cx.settings.duplicate_claim_days;
    let vin = match &vehicle {
        Read::Got(v) => v.vin.clone(),
        Read::Unavailable(_) => String::new(),
    };
    let duplicates = if vin.is_empty() || claim.causal_part_number.is_empty() {
        vec![]
    } else {
        let window = days.saturating_mul(DAY);
        let around = (
            claim.arrival_time.saturating_sub(window),
            claim.arrival_time.saturating_add(window),
        );
        store::claims::duplicates(
            &mut conn,
            &vin,
            &claim.causal_part_number,
            around,
            &claim.id,
        )
        .await?
    };
    Ok(Evidence {
        arrival_day: cx.zone.local_day(from_micros(claim.arrival_time)),
        vehicle,
        terms,
        parts,
        prices,
        labour_rate,
        issues,
        operations,
        technicians,
        duplicates,
        duplicate_days: days,
    })
}
