//! Labour operations: one row each, read with the price in force at a time
//! (their prices: `published::LABOUR`).

use aftercare_db::{
    Db, Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_edge::resource::{expect_one, meta_from_row, on_write_error};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::published::{in_force, in_force_of};
use crate::{
    domain::{
        catalogue::DisplayName,
        labour::{CertificationCode, LabourFields, LabourOperation, OperationCode, StandardHours},
    },
    error::{Error, Result},
};

pub(crate) const OPERATION: &str = "labour operation";

/// The labour operations with the price in force at `$1`.
macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT o.operation_code, o.display_name, o.standard_centihours, o.required_certification, \
             o.version, o.create_time, o.update_time, c.currency_code, c.price_minor \
             FROM labour_operations o",
            in_force!("labour_price_changes", "operation_code", "o")
            $(, $rest)?
        )
    };
}

#[derive(aftercare_db::FromRow)]
struct Row {
    operation_code: String,
    display_name: String,
    standard_centihours: i64,
    required_certification: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
    currency_code: Option<String>,
    price_minor: Option<i64>,
}

impl TryFrom<Row> for LabourOperation {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let price = in_force_of(r.currency_code, r.price_minor, OPERATION, &r.operation_code)?;
        let standard_hours = StandardHours::from_centihours(r.standard_centihours)
            .map_err(|e| Error::Internal(format!("stored standard hours: {e}").into()))?;
        Ok(LabourOperation {
            operation_code: OperationCode::from_store(r.operation_code),
            fields: LabourFields {
                display_name: DisplayName::from_store(r.display_name),
                standard_hours,
                required_certification: r.required_certification.map(CertificationCode::from_store),
            },
            price,
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }
}

/// The operation `id` with the price in force at `at` (micros), or
/// NOT_FOUND.
pub(crate) async fn existing(
    conn: &mut AnyConnection,
    id: &OperationCode,
    at: i64,
) -> Result<LabourOperation> {
    let row: Option<Row> = sqlx::query_as(select!(" WHERE o.operation_code = $2"))
        .bind(at)
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(LabourOperation::try_from)
        .transpose()?
        .ok_or_else(|| Error::not_found(OPERATION, id.as_str()))
}

/// Whether the operation `code` exists.
pub(crate) async fn exists(conn: &mut AnyConnection, code: &OperationCode) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM labour_operations WHERE operation_code = $1")
            .bind(code.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// A page of the operations with the prices in force at `at` (micros).
pub(crate) async fn list(db: &Db, at: i64, page: &PageRequest) -> Result<Vec<LabourOperation>> {
    let query = ListQuery::new(select!(), vec![Arg::Int(at)]);
    let rows: Vec<Row> = query
        .page(
            db.pool(),
            "o.operation_code",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    rows.into_iter().map(LabourOperation::try_from).collect()
}

fn certification(f: &LabourFields) -> Option<&str> {
    f.required_certification
        .as_ref()
        .map(CertificationCode::as_str)
}

/// Stores a new operation (its price goes in with `published::LABOUR`).
pub(crate) async fn insert(tx: &mut Tx, o: &LabourOperation) -> Result<()> {
    let id = o.operation_code.as_str();
    let created = timestamp::to_micros(o.meta.create_time);
    sqlx::query(
        "INSERT INTO labour_operations (operation_code, display_name, standard_centihours, \
         required_certification, version, create_time, update_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(o.fields.display_name.as_str())
    .bind(o.fields.standard_hours.centihours())
    .bind(certification(&o.fields))
    .bind(o.meta.version)
    .bind(created)
    .bind(created)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        on_write_error(
            e,
            &[(
                "labour_operations",
                format!("{OPERATION} {id} already exists"),
            )],
        )
    })?;
    Ok(())
}

/// Stores `new` over the operation at `old_version`; ABORTED when it moved
/// on.
pub(crate) async fn update(tx: &mut Tx, old_version: i64, new: &LabourOperation) -> Result<()> {
    let id = new.operation_code.as_str();
    let rows = sqlx::query(
        "UPDATE labour_operations SET display_name = $1, standard_centihours = $2, \
         required_certification = $3, version = $4, update_time = $5 \
         WHERE operation_code = $6 AND version = $7",
    )
    .bind(new.fields.display_name.as_str())
    .bind(new.fields.standard_hours.centihours())
    .bind(certification(&new.fields))
    .bind(new.meta.version)
    .bind(timestamp::to_micros(new.meta.update_time))
    .bind(id)
    .bind(old_version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    expect_one(rows, OPERATION, id)
}
