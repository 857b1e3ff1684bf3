//! Maintenance packages and their prices: read by the whole network,
//! changed by head office alone.

use aftercare_auth::Principal;
use aftercare_db::Tx;
use aftercare_edge::resource::{check_etag, new_meta, next_meta};
use aftercare_values::PageRequest;

use super::{Caller, area, begin, check_change, check_read, commit};
use crate::{
    domain::{
        packages::{
            MaintenancePackage, ModelCode, PackageFields, PackageId, PackageOperations,
            PackageParts, PackagePatch, PackagePriceChange, ServiceInterval,
        },
        published::PublishedPrice,
    },
    error::{Error, Result},
    store::{
        self,
        package_contents::{replace_operations, replace_parts},
        packages::{PACKAGE_WHAT, existing},
        published::PACKAGE,
    },
};

area!(
    /// Maintenance packages and their prices.
    Packages
);

impl Packages {
    pub(crate) async fn get_maintenance_package(
        &self,
        caller: &Principal,
        id: &PackageId,
    ) -> Result<MaintenancePackage> {
        check_read(caller)?;
        // The package and its contents from one snapshot.
        let mut tx = self.cx.db.begin_snapshot().await?;
        let package = existing(&mut tx, id, self.cx.clock.now_micros()).await?;
        tx.commit().await?;
        Ok(package)
    }

    /// The packages, of model `model_code` if not empty, ordered by id.
    pub(crate) async fn list_maintenance_packages(
        &self,
        caller: &Principal,
        model_code: &str,
        page: &PageRequest,
    ) -> Result<Vec<MaintenancePackage>> {
        check_read(caller)?;
        // The packages and their contents from one snapshot.
        let mut tx = self.cx.db.begin_snapshot().await?;
        let now = self.cx.clock.now_micros();
        let packages = store::packages::list(&mut tx, model_code, now, page).await?;
        tx.commit().await?;
        Ok(packages)
    }

    /// Creates a package with its first price, in force from its creation.
    pub(crate) async fn create_maintenance_package(
        &self,
        caller: &Caller,
        package_id: PackageId,
        model_code: ModelCode,
        interval: ServiceInterval,
        fields: PackageFields,
        price: PublishedPrice,
    ) -> Result<MaintenancePackage> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        check_references(&mut tx, Some(&fields.operations), Some(&fields.parts)).await?;
        let now = self.cx.clock.now_micros();
        let package = MaintenancePackage {
            package_id,
            model_code,
            interval,
            fields,
            price,
            meta: new_meta(now),
        };
        store::packages::insert(&mut tx, &package).await?;
        PACKAGE
            .insert(&mut tx, &package.package_id, now, price, now)
            .await?;
        commit(tx, caller, package).await
    }

    pub(crate) async fn update_maintenance_package(
        &self,
        caller: &Caller,
        id: &PackageId,
        etag: Option<i64>,
        patch: PackagePatch,
    ) -> Result<MaintenancePackage> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
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
        store::packages::update(&mut tx, old.meta.version, &new).await?;
        if operations_changed {
            replace_operations(&mut tx, id, &new.fields.operations).await?;
        }
        if parts_changed {
            replace_parts(&mut tx, id, &new.fields.parts).await?;
        }
        commit(tx, caller, new).await
    }

    /// Schedules a price of package `id`, in force from `effective_time`
    /// (micros). The package's version moves on, since what it answers
    /// changes.
    pub(crate) async fn schedule_package_price_change(
        &self,
        caller: &Caller,
        id: &PackageId,
        effective_time: i64,
        price: PublishedPrice,
    ) -> Result<PackagePriceChange> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
        let package = existing(&mut tx, id, now).await?;
        let change = PACKAGE
            .insert(&mut tx, id, effective_time, price, now)
            .await?;
        PACKAGE
            .bump(&mut tx, id.as_str(), package.meta.version, now)
            .await?;
        commit(tx, caller, change).await
    }

    /// The price change of package `id` in force at `at` (micros).
    pub(crate) async fn get_package_price(
        &self,
        caller: &Principal,
        id: &PackageId,
        at: i64,
    ) -> Result<PackagePriceChange> {
        check_read(caller)?;
        let mut conn = self.cx.db.pool().acquire().await?;
        if !store::packages::exists(&mut conn, id).await? {
            return Err(Error::not_found(PACKAGE_WHAT, id.as_str()));
        }
        PACKAGE.at(&mut conn, id, at).await
    }
}

/// Refuses an operation or part the catalogue does not hold: a reference in
/// the request, so INVALID_ARGUMENT naming the item.
async fn check_references(
    tx: &mut Tx,
    operations: Option<&PackageOperations>,
    parts: Option<&PackageParts>,
) -> Result<()> {
    const FIELD: &str = "maintenance_package";
    for (n, code) in operations.map_or(&[][..], |o| o.codes()).iter().enumerate() {
        if !store::labour::exists(tx, code).await? {
            return Err(Error::invalid(
                &format!("{FIELD}.operations[{n}].operation_code"),
                format!("no labour operation {code}"),
            ));
        }
    }
    for (n, part) in parts.map_or(&[][..], |p| p.items()).iter().enumerate() {
        if !store::parts::exists(tx, &part.part_number).await? {
            return Err(Error::invalid(
                &format!("{FIELD}.parts[{n}].part_number"),
                format!("no part {}", part.part_number),
            ));
        }
    }
    Ok(())
}
