//! Maintenance packages: one row each with their contents (see
//! `package_contents`), read with the price in force at a time (their
//! prices: `published::PACKAGE`).

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_edge::resource::{expect_one, meta_from_row, on_write_error};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{
    corrupt,
    package_contents::{Contents, contents, insert_operations, insert_parts},
    published::{in_force, in_force_of},
};
use crate::{
    domain::{
        catalogue::DisplayName,
        packages::{
            MaintenancePackage, ModelCode, PackageFields, PackageId, PackageOperations,
            PackageParts, ServiceInterval,
        },
    },
    error::{Error, Result},
};

pub(crate) const PACKAGE_WHAT: &str = "maintenance package";

/// The packages with the price in force at `$1`.
macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT p.package_id, p.model_code, p.interval_months, p.interval_km, p.display_name, \
             p.version, p.create_time, p.update_time, c.currency_code, c.price_minor \
             FROM maintenance_packages p",
            in_force!("package_price_changes", "package_id", "p")
            $(, $rest)?
        )
    };
}

#[derive(aftercare_db::FromRow)]
struct Row {
    package_id: String,
    model_code: String,
    interval_months: i64,
    interval_km: i64,
    display_name: String,
    version: i64,
    create_time: i64,
    update_time: i64,
    currency_code: Option<String>,
    price_minor: Option<i64>,
}

impl Contents {
    fn package(&mut self, r: Row) -> Result<MaintenancePackage> {
        let price = in_force_of(r.currency_code, r.price_minor, PACKAGE_WHAT, &r.package_id)?;
        let interval = ServiceInterval::new(r.interval_months, r.interval_km)
            .map_err(|e| corrupt(format!("stored interval of package {}: {e}", r.package_id)))?;
        let operations = self.operations.remove(&r.package_id).unwrap_or_default();
        let parts = self.parts.remove(&r.package_id).unwrap_or_default();
        Ok(MaintenancePackage {
            package_id: PackageId::from_store(r.package_id),
            model_code: ModelCode::from_store(r.model_code),
            interval,
            fields: PackageFields {
                display_name: DisplayName::from_store(r.display_name),
                operations: PackageOperations::from_store(operations),
                parts: PackageParts::from_store(parts),
            },
            price,
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }
}

/// The packages of `rows` (ordered by id) with their contents.
async fn assemble(conn: &mut AnyConnection, rows: Vec<Row>) -> Result<Vec<MaintenancePackage>> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(vec![]);
    };
    let mut contents = contents(conn, &first.package_id, &last.package_id).await?;
    rows.into_iter().map(|r| contents.package(r)).collect()
}

/// The package `id` with the price in force at `at` (micros), or NOT_FOUND.
pub(crate) async fn existing(
    conn: &mut AnyConnection,
    id: &PackageId,
    at: i64,
) -> Result<MaintenancePackage> {
    let row: Option<Row> = sqlx::query_as(select!(" WHERE p.package_id = $2"))
        .bind(at)
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let row = row.ok_or_else(|| Error::not_found(PACKAGE_WHAT, id.as_str()))?;
    let mut packages = assemble(conn, vec![row]).await?;
    packages
        .pop()
        .ok_or_else(|| corrupt(format!("package {id} vanished")))
}

/// A taken model and interval, or a taken id. PostgreSQL names the
/// constraint, SQLite the columns.
fn on_insert_error(e: sqlx::Error, p: &MaintenancePackage) -> Error {
    let model = format!(
        "model {} already has a package for {} months / {} km",
        p.model_code,
        p.interval.months(),
        p.interval.kilometres()
    );
    let id = format!("{PACKAGE_WHAT} {} already exists", p.package_id);
    on_write_error(e, &[("model_", model), ("maintenance_packages", id)])
}

/// A page of the packages, of `model_code` when not empty, with the prices
/// in force at `at` (micros) and their contents: in a snapshot, so that the
/// packages and their contents agree.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    model_code: &str,
    at: i64,
    page: &PageRequest,
) -> Result<Vec<MaintenancePackage>> {
    let mut query = ListQuery::new(select!(), vec![Arg::Int(at)]);
    query.filter("p.model_code", model_code);
    let rows: Vec<Row> = query
        .page(
            &mut *conn,
            "p.package_id",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    assemble(conn, rows).await
}

/// Whether the package `id` exists.
pub(crate) async fn exists(conn: &mut AnyConnection, id: &PackageId) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM maintenance_packages WHERE package_id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// Stores a new package and its contents (its price goes in with
/// `published::PACKAGE`).
pub(crate) async fn insert(tx: &mut Tx, package: &MaintenancePackage) -> Result<()> {
    let id = &package.package_id;
    let created = timestamp::to_micros(package.meta.create_time);
    sqlx::query(
        "INSERT INTO maintenance_packages (package_id, model_code, interval_months, interval_km, \
         display_name, version, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.as_str())
    .bind(package.model_code.as_str())
    .bind(package.interval.months())
    .bind(package.interval.kilometres())
    .bind(package.fields.display_name.as_str())
    .bind(package.meta.version)
    .bind(created)
    .bind(created)
    .execute(&mut **tx)
    .await
    .map_err(|e| on_insert_error(e, package))?;
    insert_operations(tx, id, &package.fields.operations).await?;
    insert_parts(tx, id, &package.fields.parts).await
}

/// Stores the row of `new` over the package at `old_version` (ABORTED when
/// it moved on); the contents change with `package_contents::replace_*`.
/// The row goes first: it queues a concurrent update behind this one.
pub(crate) async fn update(tx: &mut Tx, old_version: i64, new: &MaintenancePackage) -> Result<()> {
    let id = new.package_id.as_str();
    let rows = sqlx::query(
        "UPDATE maintenance_packages SET display_name = $1, version = $2, update_time = $3 \
         WHERE package_id = $4 AND version = $5",
    )
    .bind(new.fields.display_name.as_str())
    .bind(new.meta.version)
    .bind(timestamp::to_micros(new.meta.update_time))
    .bind(id)
    .bind(old_version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    expect_one(rows, PACKAGE_WHAT, id)
}
