use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use aftercare_edge::resource::{
    check_etag, expect_one, meta_from_row, new_meta, next_meta, on_write_error,
};

use super::{
    Caller, Store, begin, check_change, check_read,
    published::{LABOUR, in_force, in_force_of},
};
use crate::{
    domain::{
        catalogue::DisplayName,
        labour::{
            CertificationCode, LabourFields, LabourOperation, LabourPatch, LabourPriceChange,
            OperationCode, StandardHours,
        },
        published::PublishedPrice,
    },
    error::{Error, Result},
};

const OPERATION: &str = "labour operation";

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

#[derive(sqlx::FromRow)]
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
async fn existing(
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
pub(super) async fn exists(conn: &mut AnyConnection, code: &OperationCode) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM labour_operations WHERE operation_code = $1")
            .bind(code.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

impl Store {
    pub async fn get_labour_operation(
        &self,
        caller: &Principal,
        id: &OperationCode,
    ) -> Result<LabourOperation> {
        check_read(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        existing(&mut conn, id, self.clock.now_micros()).await
    }

    pub async fn list_labour_operations(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<LabourOperation>> {
        check_read(caller)?;
        let query = ListQuery::new(select!(), vec![Arg::Int(self.clock.now_micros())]);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "o.operation_code",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter().map(LabourOperation::try_from).collect()
    }

    /// Creates a labour operation with its first price, in force from its
    /// creation.
    pub async fn create_labour_operation(
        &self,
        caller: &Caller,
        operation_code: OperationCode,
        fields: LabourFields,
        price: PublishedPrice,
    ) -> Result<LabourOperation> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let id = operation_code.as_str();
        sqlx::query(
            "INSERT INTO labour_operations (operation_code, display_name, standard_centihours, \
             required_certification, version, create_time, update_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(fields.display_name.as_str())
        .bind(fields.standard_hours.centihours())
        .bind(
            fields
                .required_certification
                .as_ref()
                .map(CertificationCode::as_str),
        )
        .bind(1_i64)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
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
        LABOUR
            .insert(&mut tx, &operation_code, now, price, now)
            .await?;
        let operation = LabourOperation {
            operation_code,
            fields,
            price,
            meta: new_meta(now),
        };
        Self::commit(tx, caller, operation).await
    }

    pub async fn update_labour_operation(
        &self,
        caller: &Caller,
        id: &OperationCode,
        etag: Option<i64>,
        patch: LabourPatch,
    ) -> Result<LabourOperation> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let old = existing(&mut tx, id, now).await?;
        check_etag(&old.meta, etag, OPERATION, id.as_str())?;
        let mut new = LabourOperation {
            meta: next_meta(&old.meta, now),
            ..old.clone()
        };
        new.fields.apply(patch);
        let rows = sqlx::query(
            "UPDATE labour_operations SET display_name = $1, standard_centihours = $2, \
             required_certification = $3, version = $4, update_time = $5 \
             WHERE operation_code = $6 AND version = $7",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.fields.standard_hours.centihours())
        .bind(
            new.fields
                .required_certification
                .as_ref()
                .map(CertificationCode::as_str),
        )
        .bind(new.meta.version)
        .bind(now)
        .bind(id.as_str())
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, OPERATION, id.as_str())?;
        Self::commit(tx, caller, new).await
    }

    /// Schedules a price of operation `id`, in force from `effective_time`
    /// (micros). The operation's version moves on, since what it answers
    /// changes.
    pub async fn schedule_labour_price_change(
        &self,
        caller: &Caller,
        id: &OperationCode,
        effective_time: i64,
        price: PublishedPrice,
    ) -> Result<LabourPriceChange> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let operation = existing(&mut tx, id, now).await?;
        let change = LABOUR
            .insert(&mut tx, id, effective_time, price, now)
            .await?;
        LABOUR
            .bump(&mut tx, id.as_str(), operation.meta.version, now)
            .await?;
        Self::commit(tx, caller, change).await
    }

    /// The price change of operation `id` in force at `at` (micros).
    pub async fn get_labour_price(
        &self,
        caller: &Principal,
        id: &OperationCode,
        at: i64,
    ) -> Result<LabourPriceChange> {
        check_read(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        existing(&mut conn, id, at).await?;
        LABOUR.at(&mut conn, id, at).await
    }
}
