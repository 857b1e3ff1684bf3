//! The `PriceBoardService` messages: the sections asked for, and the board's
//! entries as proto.

use aftercare_proto::parts::v1 as pb;
use aftercare_values::FieldViolation;

use crate::{
    domain::price_board::{Details, Entry, Section},
    grpc::fields::{pb_money, pb_time},
};

/// The sections asked for: one, or the whole board.
pub(super) fn sections(v: i32) -> Result<Vec<Section>, FieldViolation> {
    match pb::PriceBoardSection::try_from(v) {
        Ok(pb::PriceBoardSection::Unspecified) => Ok(Section::ALL.to_vec()),
        Ok(pb::PriceBoardSection::Parts) => Ok(vec![Section::Parts]),
        Ok(pb::PriceBoardSection::LabourOperations) => Ok(vec![Section::LabourOperations]),
        Ok(pb::PriceBoardSection::MaintenancePackages) => Ok(vec![Section::MaintenancePackages]),
        Err(_) => Err(FieldViolation::new("section", "unknown section")),
    }
}

fn pb_section(s: Section) -> pb::PriceBoardSection {
    match s {
        Section::Parts => pb::PriceBoardSection::Parts,
        Section::LabourOperations => pb::PriceBoardSection::LabourOperations,
        Section::MaintenancePackages => pb::PriceBoardSection::MaintenancePackages,
    }
}

impl From<Entry> for pb::PriceBoardEntry {
    fn from(e: Entry) -> Self {
        use pb::price_board_entry::Details as Pb;
        let section = pb_section(e.section()) as i32;
        let details = match e.details {
            Details::Part {
                unit,
                superseded_by,
            } => Pb::Part(pb::PartDetails {
                unit: unit.as_str().to_owned(),
                superseded_by: superseded_by
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
            }),
            Details::LabourOperation {
                standard_centihours,
            } => Pb::LabourOperation(pb::LabourOperationDetails {
                standard_centihours: standard_centihours as i32,
            }),
            Details::MaintenancePackage {
                model_code,
                interval_months,
                interval_km,
            } => Pb::MaintenancePackage(pb::MaintenancePackageDetails {
                model_code,
                interval_months: interval_months as i32,
                interval_km: interval_km as i32,
            }),
        };
        pb::PriceBoardEntry {
            section,
            code: e.code,
            display_name: e.display_name,
            price: pb_money(e.price),
            effective_time: pb_time(e.effective_time),
            details: Some(details),
        }
    }
}
