//! What a maintenance package includes: its operations and parts, one row
//! each in the order given, read a page at a time and replaced as a whole.

use std::collections::HashMap;

use aftercare_db::Tx;
use sqlx::AnyConnection;

use crate::{
    domain::{
        catalogue::PartNumber,
        labour::OperationCode,
        packages::{PackageId, PackageOperations, PackagePart, PackageParts},
        quantity::Quantity,
    },
    error::{Error, Result},
};

/// The contents of the packages read, by package id, in their order.
#[derive(Default)]
pub(crate) struct Contents {
    pub(crate) operations: HashMap<String, Vec<OperationCode>>,
    pub(crate) parts: HashMap<String, Vec<PackagePart>>,
}

/// The contents of the packages with ids from `first` to `last`: two
/// queries for a whole page. Packages of the range that are not on the page
/// (other models) are read too, and ignored.
pub(crate) async fn contents(
    conn: &mut AnyConnection,
    first: &str,
    last: &str,
) -> Result<Contents> {
    let mut contents = Contents::default();
    let operations: Vec<(String, String)> = sqlx::query_as(
        "SELECT package_id, operation_code FROM package_operations \
         WHERE package_id >= $1 AND package_id <= $2 ORDER BY package_id, position",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    for (id, code) in operations {
        let codes = contents.operations.entry(id).or_default();
        codes.push(OperationCode::from_store(code));
    }
    let parts: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT package_id, part_number, quantity FROM package_parts \
         WHERE package_id >= $1 AND package_id <= $2 ORDER BY package_id, position",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    for (id, part_number, quantity) in parts {
        let quantity = Quantity::parse(quantity)
            .map_err(|e| Error::Internal(format!("stored quantity in package {id}: {e}").into()))?;
        contents.parts.entry(id).or_default().push(PackagePart {
            part_number: PartNumber::from_store(part_number),
            quantity,
        });
    }
    Ok(contents)
}

pub(crate) async fn insert_operations(
    tx: &mut Tx,
    id: &PackageId,
    ops: &PackageOperations,
) -> Result<()> {
    for (n, code) in ops.codes().iter().enumerate() {
        sqlx::query(
            "INSERT INTO package_operations (package_id, position, operation_code) VALUES ($1, $2, $3)",
        )
        .bind(id.as_str())
        .bind(n as i64)
        .bind(code.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(crate) async fn insert_parts(tx: &mut Tx, id: &PackageId, parts: &PackageParts) -> Result<()> {
    for (n, part) in parts.items().iter().enumerate() {
        sqlx::query(
            "INSERT INTO package_parts (package_id, position, part_number, quantity) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.as_str())
        .bind(n as i64)
        .bind(part.part_number.as_str())
        .bind(part.quantity.get())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces the operations of package `id`.
pub(crate) async fn replace_operations(
    tx: &mut Tx,
    id: &PackageId,
    ops: &PackageOperations,
) -> Result<()> {
    sqlx::query("DELETE FROM package_operations WHERE package_id = $1")
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    insert_operations(tx, id, ops).await
}

/// Replaces the parts of package `id`.
pub(crate) async fn replace_parts(tx: &mut Tx, id: &PackageId, parts: &PackageParts) -> Result<()> {
    sqlx::query("DELETE FROM package_parts WHERE package_id = $1")
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    insert_parts(tx, id, parts).await
}
