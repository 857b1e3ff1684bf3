//! Labour operations and maintenance packages, proto → domain at the edge
//! (naming the field of every error) and domain → proto on the way out.

use aftercare_edge::Mask;
use aftercare_proto::{common::v1::Money as PbMoney, parts::v1 as pb};
use aftercare_values::{AtField, FieldViolation};
use prost_types::FieldMask;

use crate::domain::{
    labour::{
        CertificationCode, LabourFields, LabourOperation, LabourPatch, OperationCode, StandardHours,
    },
    packages::{
        ContentsError, IntervalError, MaintenancePackage, ModelCode, PackageFields, PackageId,
        PackageOperations, PackagePart, PackageParts, PackagePatch, ServiceInterval,
    },
    published::{PublishedPrice, PublishedPriceChange},
    quantity::Quantity,
};
use crate::grpc::fields::{meta, money, name, part_number, pb_money, pb_time};

type Result<T> = std::result::Result<T, FieldViolation>;

const OPERATION: &str = "labour_operation";
const PACKAGE: &str = "maintenance_package";

// Field parsers -------------------------------------------------------------

pub(super) fn operation_code(v: &str, field: &str) -> Result<OperationCode> {
    OperationCode::parse(v).at(field)
}

pub(super) fn package_id(v: &str, field: &str) -> Result<PackageId> {
    PackageId::parse(v).at(field)
}

pub(super) fn model_code(v: &str, field: &str) -> Result<ModelCode> {
    ModelCode::parse(v).at(field)
}

/// One non-negative amount at `field`.
pub(super) fn published_price(v: Option<&PbMoney>, field: &str) -> Result<PublishedPrice> {
    PublishedPrice::new(money(v, field)?).at(field)
}

/// A certification code, or none when empty.
fn certification(v: &str, field: &str) -> Result<Option<CertificationCode>> {
    if v.is_empty() {
        Ok(None)
    } else {
        CertificationCode::parse(v).map(Some).at(field)
    }
}

fn standard_hours(v: i32, field: &str) -> Result<StandardHours> {
    StandardHours::from_centihours(i64::from(v)).at(field)
}

// Labour operations ----------------------------------------------------------

pub(super) fn labour_fields(o: &pb::LabourOperation) -> Result<LabourFields> {
    Ok(LabourFields {
        display_name: name(&o.display_name, &format!("{OPERATION}.display_name"))?,
        standard_hours: standard_hours(
            o.standard_centihours,
            &format!("{OPERATION}.standard_centihours"),
        )?,
        required_certification: certification(
            &o.required_certification,
            &format!("{OPERATION}.required_certification"),
        )?,
    })
}

pub(super) fn labour_patch(
    o: &pb::LabourOperation,
    mask: Option<FieldMask>,
) -> Result<LabourPatch> {
    let m = Mask::new(
        mask,
        &[
            "display_name",
            "standard_centihours",
            "required_certification",
        ],
    )?;
    Ok(LabourPatch {
        display_name: m.take("display_name", !o.display_name.is_empty(), || {
            name(&o.display_name, &format!("{OPERATION}.display_name"))
        })?,
        standard_hours: m.take("standard_centihours", o.standard_centihours != 0, || {
            standard_hours(
                o.standard_centihours,
                &format!("{OPERATION}.standard_centihours"),
            )
        })?,
        required_certification: m.take(
            "required_certification",
            !o.required_certification.is_empty(),
            || {
                certification(
                    &o.required_certification,
                    &format!("{OPERATION}.required_certification"),
                )
            },
        )?,
    })
}

// Maintenance packages -------------------------------------------------------

pub(super) fn interval(v: Option<&pb::ServiceInterval>) -> Result<ServiceInterval> {
    let field = format!("{PACKAGE}.interval");
    let i = v.ok_or_else(|| FieldViolation::new(&field, "must be set"))?;
    ServiceInterval::new(i64::from(i.months), i64::from(i.kilometres)).map_err(|e| {
        let at = match e {
            IntervalError::Months => format!("{field}.months"),
            IntervalError::Kilometres => format!("{field}.kilometres"),
            IntervalError::Neither => field.clone(),
        };
        FieldViolation::new(at, e.to_string())
    })
}

/// A contents error at the list `list` (`operations`), or at the item's
/// `item_field` when one item is at fault.
fn contents_error(e: ContentsError, list: &str, item_field: &str) -> FieldViolation {
    let field = match e.index() {
        Some(n) => format!("{PACKAGE}.{list}[{n}].{item_field}"),
        None => format!("{PACKAGE}.{list}"),
    };
    FieldViolation::new(field, e.to_string())
}

fn operations(v: &[pb::PackageOperation]) -> Result<PackageOperations> {
    let codes = v
        .iter()
        .enumerate()
        .map(|(n, o)| {
            operation_code(
                &o.operation_code,
                &format!("{PACKAGE}.operations[{n}].operation_code"),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    PackageOperations::new(codes).map_err(|e| contents_error(e, "operations", "operation_code"))
}

fn parts(v: &[pb::PackagePart]) -> Result<PackageParts> {
    let parts = v
        .iter()
        .enumerate()
        .map(|(n, p)| {
            Ok(PackagePart {
                part_number: part_number(
                    &p.part_number,
                    &format!("{PACKAGE}.parts[{n}].part_number"),
                )?,
                quantity: Quantity::parse(p.quantity)
                    .at(&format!("{PACKAGE}.parts[{n}].quantity"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    PackageParts::new(parts).map_err(|e| contents_error(e, "parts", "part_number"))
}

pub(super) fn package_fields(p: &pb::MaintenancePackage) -> Result<PackageFields> {
    Ok(PackageFields {
        display_name: name(&p.display_name, &format!("{PACKAGE}.display_name"))?,
        operations: operations(&p.operations)?,
        parts: parts(&p.parts)?,
    })
}

pub(super) fn package_patch(
    p: &pb::MaintenancePackage,
    mask: Option<FieldMask>,
) -> Result<PackagePatch> {
    let m = Mask::new(mask, &["display_name", "operations", "parts"])?;
    Ok(PackagePatch {
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, &format!("{PACKAGE}.display_name"))
        })?,
        operations: m.take("operations", !p.operations.is_empty(), || {
            operations(&p.operations)
        })?,
        parts: m.take("parts", !p.parts.is_empty(), || parts(&p.parts))?,
    })
}

// Domain → proto -------------------------------------------------------------

impl From<LabourOperation> for pb::LabourOperation {
    fn from(o: LabourOperation) -> Self {
        let (etag, create_time, update_time) = meta(&o.meta);
        pb::LabourOperation {
            operation_code: o.operation_code.into_string(),
            display_name: o.fields.display_name.into_string(),
            standard_centihours: o.fields.standard_hours.centihours() as i32,
            required_certification: o
                .fields
                .required_certification
                .map(CertificationCode::into_string)
                .unwrap_or_default(),
            price: pb_money(o.price.amount()),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<PublishedPriceChange<OperationCode>> for pb::LabourPriceChange {
    fn from(c: PublishedPriceChange<OperationCode>) -> Self {
        pb::LabourPriceChange {
            operation_code: c.key.into_string(),
            effective_time: pb_time(c.effective_time),
            price: pb_money(c.price.amount()),
            create_time: pb_time(c.create_time),
        }
    }
}

impl From<MaintenancePackage> for pb::MaintenancePackage {
    fn from(p: MaintenancePackage) -> Self {
        let (etag, create_time, update_time) = meta(&p.meta);
        pb::MaintenancePackage {
            package_id: p.package_id.into_string(),
            model_code: p.model_code.into_string(),
            interval: Some(pb::ServiceInterval {
                months: p.interval.months() as i32,
                kilometres: p.interval.kilometres() as i32,
            }),
            display_name: p.fields.display_name.into_string(),
            operations: p
                .fields
                .operations
                .codes()
                .iter()
                .map(|c| pb::PackageOperation {
                    operation_code: c.as_str().to_owned(),
                })
                .collect(),
            parts: p
                .fields
                .parts
                .items()
                .iter()
                .map(|x| pb::PackagePart {
                    part_number: x.part_number.as_str().to_owned(),
                    quantity: x.quantity.get(),
                })
                .collect(),
            price: pb_money(p.price.amount()),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<PublishedPriceChange<PackageId>> for pb::PackagePriceChange {
    fn from(c: PublishedPriceChange<PackageId>) -> Self {
        pb::PackagePriceChange {
            package_id: c.key.into_string(),
            effective_time: pb_time(c.effective_time),
            price: pb_money(c.price.amount()),
            create_time: pb_time(c.create_time),
        }
    }
}
