//! Values and requests of the LabourService tests (`use
//! crate::labour_fixture::*` beside `crate::fixture::*`).

pub(crate) use crate::support::{LabourClient, who};
use crate::{fixture::*, support::Harness};

/// An operation of `centihours` hundredths of an hour at 45.00 EUR, needing
/// no certification.
pub(crate) fn operation(code: &str, centihours: i32) -> pb::LabourOperation {
    pb::LabourOperation {
        operation_code: code.into(),
        display_name: format!("Operation {code}"),
        standard_centihours: centihours,
        price: eur(4500),
        ..Default::default()
    }
}

pub(crate) fn create_op(o: pb::LabourOperation) -> pb::CreateLabourOperationRequest {
    pb::CreateLabourOperationRequest {
        labour_operation: Some(o),
        request_id: rid(),
    }
}

pub(crate) fn get_op(code: &str) -> pb::GetLabourOperationRequest {
    pb::GetLabourOperationRequest {
        operation_code: code.into(),
    }
}

pub(crate) fn list_ops(page_size: i32, page_token: &str) -> pb::ListLabourOperationsRequest {
    pb::ListLabourOperationsRequest {
        page_size,
        page_token: page_token.into(),
    }
}

pub(crate) fn update_op(
    o: pb::LabourOperation,
    paths: &[&str],
) -> pb::UpdateLabourOperationRequest {
    pb::UpdateLabourOperationRequest {
        labour_operation: Some(o),
        update_mask: Some(mask(paths)),
        request_id: rid(),
    }
}

pub(crate) fn schedule_op(
    code: &str,
    seconds: i64,
    minor: i64,
) -> pb::ScheduleLabourPriceChangeRequest {
    pb::ScheduleLabourPriceChangeRequest {
        operation_code: code.into(),
        effective_time: at(seconds),
        price: eur(minor),
        request_id: rid(),
    }
}

pub(crate) fn op_price_at(code: &str, seconds: Option<i64>) -> pb::GetLabourPriceRequest {
    pb::GetLabourPriceRequest {
        operation_code: code.into(),
        at_time: seconds.and_then(at),
    }
}

/// A package of `model` every `months` / `km` with the operations `ops` and
/// the parts `parts` (part number, quantity), at 199.00 EUR.
pub(crate) fn package(
    id: &str,
    model: &str,
    (months, km): (i32, i32),
    ops: &[&str],
    parts: &[(&str, i64)],
) -> pb::MaintenancePackage {
    pb::MaintenancePackage {
        package_id: id.into(),
        model_code: model.into(),
        interval: Some(pb::ServiceInterval {
            months,
            kilometres: km,
        }),
        display_name: format!("Service {id}"),
        operations: operations(ops),
        parts: parts
            .iter()
            .map(|(part_number, quantity)| pb::PackagePart {
                part_number: (*part_number).into(),
                quantity: *quantity,
            })
            .collect(),
        price: eur(19900),
        ..Default::default()
    }
}

pub(crate) fn operations(codes: &[&str]) -> Vec<pb::PackageOperation> {
    codes
        .iter()
        .map(|c| pb::PackageOperation {
            operation_code: (*c).into(),
        })
        .collect()
}

/// The usual package: CITY-E every 12 months / 15,000 km, an oil change and
/// an inspection, a filter and 4 litres of oil.
pub(crate) fn city_12(id: &str) -> pb::MaintenancePackage {
    package(
        id,
        "CITY-E",
        (12, 15_000),
        &["OIL-CHANGE", "INSPECT"],
        &[("OF-1", 1), ("OIL-5W30", 4)],
    )
}

pub(crate) fn create_pkg(p: pb::MaintenancePackage) -> pb::CreateMaintenancePackageRequest {
    pb::CreateMaintenancePackageRequest {
        maintenance_package: Some(p),
        request_id: rid(),
    }
}

pub(crate) fn get_pkg(id: &str) -> pb::GetMaintenancePackageRequest {
    pb::GetMaintenancePackageRequest {
        package_id: id.into(),
    }
}

pub(crate) fn list_pkgs(
    model: &str,
    page_size: i32,
    page_token: &str,
) -> pb::ListMaintenancePackagesRequest {
    pb::ListMaintenancePackagesRequest {
        model_code: model.into(),
        page_size,
        page_token: page_token.into(),
    }
}

pub(crate) fn update_pkg(
    p: pb::MaintenancePackage,
    paths: &[&str],
) -> pb::UpdateMaintenancePackageRequest {
    pb::UpdateMaintenancePackageRequest {
        maintenance_package: Some(p),
        update_mask: Some(mask(paths)),
        request_id: rid(),
    }
}

pub(crate) fn schedule_pkg(
    id: &str,
    seconds: i64,
    minor: i64,
) -> pb::SchedulePackagePriceChangeRequest {
    pb::SchedulePackagePriceChangeRequest {
        package_id: id.into(),
        effective_time: at(seconds),
        price: eur(minor),
        request_id: rid(),
    }
}

pub(crate) fn pkg_price_at(id: &str, seconds: Option<i64>) -> pb::GetPackagePriceRequest {
    pb::GetPackagePriceRequest {
        package_id: id.into(),
        at_time: seconds.and_then(at),
    }
}

fn mask(paths: &[&str]) -> FieldMask {
    FieldMask {
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
    }
}

pub(crate) async fn create_operation(
    c: &mut LabourClient,
    o: pb::LabourOperation,
) -> pb::LabourOperation {
    c.create_labour_operation(create_op(o)).await.answer()
}

pub(crate) async fn create_package(
    c: &mut LabourClient,
    p: pb::MaintenancePackage,
) -> pb::MaintenancePackage {
    c.create_maintenance_package(create_pkg(p)).await.answer()
}

/// What the usual package refers to, made by head office: the parts OF-1
/// and OIL-5W30, the operations OIL-CHANGE (0.5 h) and INSPECT (1 h, HV-2).
/// Returns a LabourService client of head office.
pub(crate) async fn catalogue(h: &Harness) -> LabourClient {
    let parts = &mut h.oem();
    create_part(parts, part("OF-1", "FILTER")).await;
    create_part(parts, part("OIL-5W30", "OIL")).await;
    let mut c = h.labour(who::oem());
    create_operation(&mut c, operation("OIL-CHANGE", 50)).await;
    let mut inspect = operation("INSPECT", 100);
    inspect.required_certification = "HV-2".into();
    create_operation(&mut c, inspect).await;
    c
}
