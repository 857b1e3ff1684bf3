//! The `PartsService` messages: parts and prices parsed at the edge (a
//! create request's every field, an update request's the mask names), and
//! domain → proto on the way out.

use aftercare_db::timestamp;
use aftercare_edge::Mask;
use aftercare_proto::{common::v1::Money as PbMoney, parts::v1 as pb};
use aftercare_values::{AtField, FieldViolation};
use prost_types::FieldMask;

use crate::{
    domain::catalogue::{
        Category, Part, PartFields, PartNumber, PartPatch, Price, PriceChange, PriceField,
    },
    grpc::fields::{meta, money, name, optional_part_number, pb_money, pb_time},
};

type Result<T> = std::result::Result<T, FieldViolation>;

pub(super) fn part_fields(p: &pb::Part) -> Result<PartFields> {
    Ok(PartFields {
        display_name: name(&p.display_name, "part.display_name")?,
        category: category(&p.category, "part.category")?,
        warranty_eligible: p.warranty_eligible,
        superseded_by: optional_part_number(&p.superseded_by, "part.superseded_by")?,
    })
}

pub(super) fn part_price(p: &pb::Part) -> Result<Price> {
    price(
        p.list_price.as_ref(),
        p.cost.as_ref(),
        "part.list_price",
        "part.cost",
    )
}

pub(super) fn part_patch(p: &pb::Part, mask: Option<FieldMask>) -> Result<PartPatch> {
    let m = Mask::new(
        mask,
        &[
            "display_name",
            "category",
            "warranty_eligible",
            "superseded_by",
        ],
    )?;
    Ok(PartPatch {
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, "part.display_name")
        })?,
        category: m.take("category", !p.category.is_empty(), || {
            category(&p.category, "part.category")
        })?,
        warranty_eligible: m.take("warranty_eligible", p.warranty_eligible, || {
            Ok(p.warranty_eligible)
        })?,
        superseded_by: m.take("superseded_by", !p.superseded_by.is_empty(), || {
            optional_part_number(&p.superseded_by, "part.superseded_by")
        })?,
    })
}

pub(super) fn category(v: &str, field: &str) -> Result<Category> {
    Category::parse(v).at(field)
}

/// A list price and a cost, at `list_field` and `cost_field`.
pub(super) fn price(
    list_price: Option<&PbMoney>,
    cost: Option<&PbMoney>,
    list_field: &str,
    cost_field: &str,
) -> Result<Price> {
    let list_price = money(list_price, list_field)?;
    let cost = money(cost, cost_field)?;
    Price::new(list_price, cost).map_err(|(which, e)| {
        let field = match which {
            PriceField::ListPrice => list_field,
            PriceField::Cost => cost_field,
        };
        FieldViolation::new(field, e.to_string())
    })
}

/// The key a list of price changes is paged by.
pub(super) fn price_change_key(c: &PriceChange) -> String {
    timestamp::to_micros(c.effective_time).to_string()
}

impl From<Part> for pb::Part {
    fn from(p: Part) -> Self {
        let (etag, create_time, update_time) = meta(&p.meta);
        pb::Part {
            part_number: p.part_number.into_string(),
            unit: p.unit.as_str().to_owned(),
            display_name: p.fields.display_name.into_string(),
            category: p.fields.category.into_string(),
            list_price: pb_money(p.price.list_price()),
            cost: pb_money(p.price.cost()),
            warranty_eligible: p.fields.warranty_eligible,
            superseded_by: p
                .fields
                .superseded_by
                .map(PartNumber::into_string)
                .unwrap_or_default(),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<PriceChange> for pb::PriceChange {
    fn from(c: PriceChange) -> Self {
        pb::PriceChange {
            part_number: c.part_number.into_string(),
            effective_time: pb_time(c.effective_time),
            list_price: pb_money(c.price.list_price()),
            cost: pb_money(c.price.cost()),
            create_time: pb_time(c.create_time),
        }
    }
}
