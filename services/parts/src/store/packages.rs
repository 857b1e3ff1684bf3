use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use aftercare_edge::resource::{
    check_etag, expect_one, meta_from_row, new_meta, next_meta, on_write_error,
};

use super::{
    Caller, Store, begin, check_change, check_read,
    package_contents::{
        Contents, check_references, contents, insert_operations, insert_parts, replace_operations,
        replace_parts,
    },
    published::{PACKAGE, in_force, in_force_of},
};
use crate::{
    domain::{
        catalogue::DisplayName,
        packages::{
            MaintenancePackage, ModelCode, PackageFields, PackageId, PackageOperations,
            PackageParts, PackagePatch, PackagePriceChange, ServiceInterval,
        },
        published::PublishedPrice,
    },
    error::{Error, Result},
};

const PACKAGE_WHAT: &str = "maintenance package";

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

#[derive(sqlx::FromRow)]
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

fn corrupt(what: String) -> Error {
    Error::Internal(what.into())
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
async fn existing(conn: &mut AnyConnection, id: &PackageId, at: i64) -> Result<MaintenancePackage> {
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

impl Store {
    pub async fn get_maintenance_package(
        &self,
        caller: &Principal,
        id: &PackageId,
    ) -> Result<MaintenancePackage> {
        check_read(caller)?;
        // The package and its contents from one snapshot.
        let mut tx = self.db.begin_snapshot().await?;
        let package = existing(&mut tx, id, self.clock.now_micros()).await?;
        tx.commit().await?;
        Ok(package)
    }

    /// The packages, of model `model_code` if not empty, ordered by id.
    pub async fn list_maintenance_packages(
        &self,
        caller: &Principal,
        model_code: &str,
        page: &PageRequest,
    ) -> Result<Vec<MaintenancePackage>> {
        check_read(caller)?;
        // The packages and their contents from one snapshot.
        let mut tx = self.db.begin_snapshot().await?;
        let mut query = ListQuery::new(select!(), vec![Arg::Int(self.clock.now_micros())]);
        query.filter("p.model_code", model_code);
        let rows: Vec<Row> = query
            .page(
                &mut *tx,
                "p.package_id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        let packages = assemble(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(packages)
    }

    /// Creates a package with its first price, in force from its creation.
    pub async fn create_maintenance_package(
        &self,
        caller: &Caller,
        package_id: PackageId,
        model_code: ModelCode,
        interval: ServiceInterval,
        fields: PackageFields,
        price: PublishedPrice,
    ) -> Result<MaintenancePackage> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        check_references(&mut tx, Some(&fields.operations), Some(&fields.parts)).await?;
        let now = self.clock.now_micros();
        let package = MaintenancePackage {
            package_id,
            model_code,
            interval,
            fields,
            price,
            meta: new_meta(now),
        };
        let id = &package.package_id;
        sqlx::query(
            "INSERT INTO maintenance_packages (package_id, model_code, interval_months, interval_km, \
             display_name, version, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.as_str())
        .bind(package.model_code.as_str())
        .bind(interval.months())
        .bind(interval.kilometres())
        .bind(package.fields.display_name.as_str())
        .bind(package.meta.version)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| on_insert_error(e, &package))?;
        insert_operations(&mut tx, id, &package.fields.operations).await?;
        insert_parts(&mut tx, id, &package.fields.parts).await?;
        PACKAGE.insert(&mut tx, id, now, price, now).await?;
        Self::commit(tx, caller, package).await
    }

    pub async fn update_maintenance_package(
        &self,
        caller: &Caller,
        id: &PackageId,
        etag: Option<i64>,
        patch: PackagePatch,
    ) -> Result<MaintenancePackage> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let old = existing(&mut tx, id, now).await?;
        check_etag(&old.meta, etag, PACKAGE_WHAT, id.as_str())?;
        check_references(&mut tx, patch.operations.as_ref(), patch.parts.as_ref()).await?;
        let (operations_changed, parts_changed) =
            (patch.operations.is_some(), patch.parts.is_some());
        let mut new = MaintenancePackage {
            meta: next_meta(&old.meta, now),
            ..old.clone()
        };
        new.fields.apply(patch);
        // The row first: it queues a concurrent update behind this one.
        let rows = sqlx::query(
            "UPDATE maintenance_packages SET display_name = $1, version = $2, update_time = $3 \
             WHERE package_id = $4 AND version = $5",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.meta.version)
        .bind(now)
        .bind(id.as_str())
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, PACKAGE_WHAT, id.as_str())?;
        if operations_changed {
            replace_operations(&mut tx, id, &new.fields.operations).await?;
        }
        if parts_changed {
            replace_parts(&mut tx, id, &new.fields.parts).await?;
        }
        Self::commit(tx, caller, new).await
    }

    /// Schedules a price of package `id`, in force from `effective_time`
    /// (micros). The package's version moves on, since what it answers
    /// changes.
    pub async fn schedule_package_price_change(
        &self,
        caller: &Caller,
        id: &PackageId,
        effective_time: i64,
        price: PublishedPrice,
    ) -> Result<PackagePriceChange> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let package = existing(&mut tx, id, now).await?;
        let change = PACKAGE
            .insert(&mut tx, id, effective_time, price, now)
            .await?;
        PACKAGE
            .bump(&mut tx, id.as_str(), package.meta.version, now)
            .await?;
        Self::commit(tx, caller, change).await
    }

    /// The price change of package `id` in force at `at` (micros).
    pub async fn get_package_price(
        &self,
        caller: &Principal,
        id: &PackageId,
        at: i64,
    ) -> Result<PackagePriceChange> {
        check_read(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM maintenance_packages WHERE package_id = $1")
                .bind(id.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if row.is_none() {
            return Err(Error::not_found(PACKAGE_WHAT, id.as_str()));
        }
        PACKAGE.at(&mut conn, id, at).await
    }
}
