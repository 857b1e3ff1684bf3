//! The price board: each section read with the price in force at a time.

use aftercare_db::timestamp;
use sqlx::AnyConnection;

use super::published::stored;
use crate::{
    domain::{
        catalogue::{PartNumber, Unit},
        price_board::{Details, Entry, Section},
    },
    error::{Error, Result},
};

/// The columns every section selects: its code, name and price in force at
/// `$1`, after code `$2`, at most `$3` rows. Items with no price in force
/// at `$1` are left out.
macro_rules! section {
    ($columns:literal, $owner:literal, $prices:literal, $key:literal, $price:literal) => {
        concat!(
            "SELECT o.",
            $key,
            " AS code, o.display_name, c.effective_time, c.currency_code, c.",
            $price,
            " AS price_minor, ",
            $columns,
            " FROM ",
            $owner,
            " o JOIN ",
            $prices,
            " c ON c.",
            $key,
            " = o.",
            $key,
            " AND c.effective_time = (SELECT MAX(x.effective_time) FROM ",
            $prices,
            " x WHERE x.",
            $key,
            " = o.",
            $key,
            " AND x.effective_time <= $1)",
            " WHERE o.",
            $key,
            " > $2 ORDER BY o.",
            $key,
            " LIMIT $3"
        )
    };
}

const PARTS: &str = section!(
    "o.unit, o.superseded_by",
    "parts",
    "price_changes",
    "part_number",
    "list_price_minor"
);
const LABOUR: &str = section!(
    "o.standard_centihours",
    "labour_operations",
    "labour_price_changes",
    "operation_code",
    "price_minor"
);
const PACKAGES: &str = section!(
    "o.model_code, o.interval_months, o.interval_km",
    "maintenance_packages",
    "package_price_changes",
    "package_id",
    "price_minor"
);

#[derive(aftercare_db::FromRow)]
struct Line<D> {
    code: String,
    display_name: String,
    effective_time: i64,
    currency_code: String,
    price_minor: i64,
    #[sqlx(flatten)]
    details: D,
}

#[derive(aftercare_db::FromRow)]
struct PartColumns {
    unit: String,
    superseded_by: Option<String>,
}

#[derive(aftercare_db::FromRow)]
struct LabourColumns {
    standard_centihours: i64,
}

#[derive(aftercare_db::FromRow)]
struct PackageColumns {
    model_code: String,
    interval_months: i64,
    interval_km: i64,
}

impl<D> Line<D> {
    fn entry(self, details: impl FnOnce(D) -> Result<Details>) -> Result<Entry> {
        Ok(Entry {
            price: stored(&self.currency_code, self.price_minor)?.amount(),
            code: self.code,
            display_name: self.display_name,
            effective_time: timestamp::from_micros(self.effective_time),
            details: details(self.details)?,
        })
    }
}

/// Up to `limit` lines of `section` at `at` (micros), after `code`.
pub(crate) async fn read(
    conn: &mut AnyConnection,
    section: Section,
    at: i64,
    after: &str,
    limit: i64,
) -> Result<Vec<Entry>> {
    macro_rules! fetch {
        ($sql:expr, $columns:ty, $details:expr) => {{
            let rows: Vec<Line<$columns>> = sqlx::query_as($sql)
                .bind(at)
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?;
            rows.into_iter().map(|r| r.entry($details)).collect()
        }};
    }
    match section {
        Section::Parts => fetch!(PARTS, PartColumns, |c: PartColumns| {
            Ok(Details::Part {
                unit: Unit::parse(&c.unit)
                    .map_err(|_| Error::Internal(format!("stored unit {:?}", c.unit).into()))?,
                superseded_by: c.superseded_by.map(PartNumber::from_store),
            })
        }),
        Section::LabourOperations => fetch!(LABOUR, LabourColumns, |c: LabourColumns| {
            Ok(Details::LabourOperation {
                standard_centihours: c.standard_centihours,
            })
        }),
        Section::MaintenancePackages => fetch!(PACKAGES, PackageColumns, |c: PackageColumns| {
            Ok(Details::MaintenancePackage {
                model_code: c.model_code,
                interval_months: c.interval_months,
                interval_km: c.interval_km,
            })
        }),
    }
}
