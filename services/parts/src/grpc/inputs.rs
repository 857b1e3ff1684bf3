//! The editable fields of a part, parsed from a create request (every
//! field) or an update request (the fields the mask names).

use aftercare_edge::Mask;
use aftercare_proto::parts::v1 as pb;
use aftercare_values::FieldViolation;
use prost_types::FieldMask;

use super::convert::{category, name, optional_part_number, price};
use crate::domain::catalogue::{PartFields, PartPatch, Price};

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
