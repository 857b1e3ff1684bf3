//! Values and requests the tests build, and the prelude they import
//! (`use crate::fixture::*`).

use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) use aftercare_proto::{common::v1::Money, parts::v1 as pb};
pub(crate) use prost_types::{FieldMask, Timestamp};
pub(crate) use tonic::Code;

pub(crate) use crate::{
    both,
    support::{Client, Harness},
};
pub(crate) use aftercare_test_support::{Outcome, ids};

/// A request id no other request of this test run uses.
pub(crate) fn rid() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "rid-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

pub(crate) fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

pub(crate) fn at(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos: 0 })
}

/// A microsecond after `t`: an effective time already past once anything
/// else has happened after `t`, so that a test need not wait for it.
pub(crate) fn just_after(t: Option<Timestamp>) -> Option<Timestamp> {
    let t = t.expect("a time");
    let nanos = i64::from(t.nanos) + 1_000;
    Some(Timestamp {
        seconds: t.seconds + nanos / 1_000_000_000,
        nanos: (nanos % 1_000_000_000) as i32,
    })
}

/// A part of category `category` at 10.00 EUR list, 6.00 EUR cost.
pub(crate) fn part(part_number: &str, category: &str) -> pb::Part {
    pb::Part {
        part_number: part_number.into(),
        display_name: format!("Part {part_number}"),
        category: category.into(),
        list_price: eur(1000),
        cost: eur(600),
        warranty_eligible: true,
        ..Default::default()
    }
}

pub(crate) fn create(p: pb::Part) -> pb::CreatePartRequest {
    pb::CreatePartRequest {
        part: Some(p),
        request_id: rid(),
    }
}

pub(crate) fn get(part_number: &str) -> pb::GetPartRequest {
    pb::GetPartRequest {
        part_number: part_number.into(),
        follow_supersession: false,
    }
}

pub(crate) fn update(p: pb::Part, paths: &[&str]) -> pb::UpdatePartRequest {
    pb::UpdatePartRequest {
        part: Some(p),
        update_mask: Some(FieldMask {
            paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        }),
        request_id: rid(),
    }
}

/// Sets `superseded_by` of `part_number` (empty: clears it).
pub(crate) fn supersede(part_number: &str, by: &str) -> pb::UpdatePartRequest {
    update(
        pb::Part {
            part_number: part_number.into(),
            superseded_by: by.into(),
            ..Default::default()
        },
        &["superseded_by"],
    )
}

/// A price change of `part_number` effective at `seconds`, list and cost in
/// EUR minor units.
pub(crate) fn schedule(
    part_number: &str,
    seconds: i64,
    list: i64,
    cost: i64,
) -> pb::SchedulePriceChangeRequest {
    pb::SchedulePriceChangeRequest {
        part_number: part_number.into(),
        effective_time: at(seconds),
        list_price: eur(list),
        cost: eur(cost),
        request_id: rid(),
    }
}

pub(crate) fn price_at(part_number: &str, seconds: Option<i64>) -> pb::GetPartPriceRequest {
    pb::GetPartPriceRequest {
        part_number: part_number.into(),
        at_time: seconds.and_then(at),
    }
}

pub(crate) fn list_changes(part_number: &str) -> pb::ListPriceChangesRequest {
    pb::ListPriceChangesRequest {
        part_number: part_number.into(),
        ..Default::default()
    }
}

pub(crate) fn by_category(
    category: &str,
    page_size: i32,
    page_token: &str,
) -> pb::ListPartsRequest {
    pb::ListPartsRequest {
        category: category.into(),
        page_size,
        page_token: page_token.into(),
    }
}

pub(crate) async fn create_part(c: &mut Client, p: pb::Part) -> pb::Part {
    c.create_part(create(p)).await.answer()
}

/// Seconds since the epoch now.
pub(crate) fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}
