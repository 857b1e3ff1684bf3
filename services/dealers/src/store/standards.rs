//! The rows of service standards and their versions. A version row is
//! inserted once and never updated or deleted, so that a past period's
//! compliance can always be computed again to the same figures.

use aftercare_edge::resource::on_write_error;
use std::collections::{HashMap, HashSet};

use aftercare_db::{Tx, timestamp};
use sqlx::{AnyConnection, AssertSqlSafe};
use time::{Duration, OffsetDateTime};

use crate::{
    domain::{
        standard_terms::{self, Description, ServiceStandard},
        standards::{Moment, OrderType, Standard, Version},
        text::DisplayName,
    },
    error::{Error, Result},
};

pub(crate) const WHAT: &str = "service standard";

/// Which standards to load.
#[derive(Clone, Copy)]
pub(crate) enum Which<'a> {
    One(&'a str),
    /// A page by code: after this code (empty: from the first), at most
    /// this many.
    Page(&'a str, i64),
}

/// The same selection for the standards and each kind of child row.
macro_rules! of_standards {
    ($which:expr, $select:literal, $key:literal, $order:literal) => {
        match $which {
            Which::One(_) => concat!($select, " WHERE ", $key, " = $1 ORDER BY ", $order),
            Which::Page(..) => concat!(
                $select,
                " WHERE ",
                $key,
                " IN (SELECT code FROM service_standards WHERE code > $1 ORDER BY code LIMIT $2) \
                 ORDER BY ",
                $order
            ),
        }
    };
}

#[derive(aftercare_db::FromRow)]
struct StandardRow {
    code: String,
    display_name: String,
    description: String,
    from_moment: String,
    to_moment: String,
    fast_lane_only: i64,
    create_time: i64,
    update_time: i64,
}

#[derive(aftercare_db::FromRow)]
struct TypeRow {
    standard_code: String,
    order_type: String,
}

#[derive(aftercare_db::FromRow)]
struct VersionRow {
    standard_code: String,
    version: i64,
    effective_time: i64,
    threshold_micros: i64,
    target_basis_points: i64,
    is_key: i64,
}

#[derive(aftercare_db::FromRow)]
pub(crate) struct PilotRow {
    standard_code: String,
    version: i64,
    pub(crate) station_id: String,
    pub(crate) dealer_id: String,
    pub(crate) region_id: String,
}

/// A standard and where each of its pilot stations sits.
pub(crate) struct Loaded {
    pub(crate) standard: ServiceStandard,
    pub(crate) pilots: Vec<PilotRow>,
}

fn corrupt(code: &str, what: &str) -> Error {
    Error::Internal(format!("service standard {code} has an unknown {what}").into())
}

fn moment(code: &str, v: &str) -> Result<Moment> {
    Moment::parse(v).ok_or_else(|| corrupt(code, "moment"))
}

/// Loads the standards `which` selects, in code order, with their order
/// types, versions and pilot stations: four queries however many there are.
pub(crate) async fn load(conn: &mut AnyConnection, which: Which<'_>) -> Result<Vec<Loaded>> {
    macro_rules! fetch {
        ($Row:ty, $sql:expr) => {{
            let query = sqlx::query_as::<_, $Row>($sql);
            let query = match which {
                Which::One(code) => query.bind(code),
                Which::Page(after, limit) => query.bind(after).bind(limit),
            };
            query.fetch_all(&mut *conn).await?
        }};
    }
    let rows = fetch!(
        StandardRow,
        match which {
            Which::One(_) =>
                "SELECT code, display_name, description, from_moment, to_moment, fast_lane_only, \
                 create_time, update_time FROM service_standards WHERE code = $1",
            Which::Page(..) =>
                "SELECT code, display_name, description, from_moment, to_moment, fast_lane_only, \
                 create_time, update_time FROM service_standards WHERE code > $1 ORDER BY code LIMIT $2",
        }
    );
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let types = fetch!(
        TypeRow,
        of_standards!(
            which,
            "SELECT standard_code, order_type FROM service_standard_order_types",
            "standard_code",
            "standard_code"
        )
    );
    let versions = fetch!(
        VersionRow,
        of_standards!(
            which,
            "SELECT standard_code, version, effective_time, threshold_micros, target_basis_points, \
             is_key FROM service_standard_versions",
            "standard_code",
            "standard_code, version"
        )
    );
    let pilots = fetch!(
        PilotRow,
        of_standards!(
            which,
            "SELECT p.standard_code, p.version, p.station_id, s.dealer_id, d.region_id \
             FROM service_standard_pilots p JOIN stations s ON s.id = p.station_id \
             JOIN dealers d ON d.id = s.dealer_id",
            "p.standard_code",
            "p.standard_code, p.version, p.station_id"
        )
    );

    let mut types = group(types, |t| &t.standard_code);
    let mut versions = group(versions, |v| &v.standard_code);
    let mut pilots = group(pilots, |p| &p.standard_code);
    let mut loaded = Vec::with_capacity(rows.len());
    for r in rows {
        let code = r.code.as_str();
        let order_types = types
            .remove(code)
            .unwrap_or_default()
            .iter()
            .map(|t| OrderType::parse(&t.order_type).ok_or_else(|| corrupt(code, "order type")))
            .collect::<Result<Vec<_>>>()?;
        let pilots = pilots.remove(code).unwrap_or_default();
        let versions = versions
            .remove(code)
            .unwrap_or_default()
            .iter()
            .map(|v| version(v, &pilots))
            .collect::<Result<Vec<_>>>()?;
        let rule = Standard {
            order_types: standard_terms::order_types(order_types)
                .map_err(|_| corrupt(code, "order type list"))?,
            fast_lane_only: r.fast_lane_only == 1,
            from: moment(code, &r.from_moment)?,
            to: moment(code, &r.to_moment)?,
            versions,
            code: r.code.clone(),
        };
        loaded.push(Loaded {
            standard: ServiceStandard {
                rule,
                display_name: DisplayName::from_store(r.display_name),
                description: Description::from_store(r.description),
                create_time: timestamp::from_micros(r.create_time),
                update_time: timestamp::from_micros(r.update_time),
            },
            pilots,
        });
    }
    Ok(loaded)
}

/// Rows by the standard they belong to, in their order.
fn group<R>(rows: Vec<R>, key: impl Fn(&R) -> &String) -> HashMap<String, Vec<R>> {
    let mut groups: HashMap<String, Vec<R>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row).clone()).or_default().push(row);
    }
    groups
}

fn version(v: &VersionRow, pilots: &[PilotRow]) -> Result<Version> {
    Ok(Version {
        version: u32::try_from(v.version).map_err(|_| corrupt(&v.standard_code, "version"))?,
        effective_from: timestamp::from_micros(v.effective_time),
        threshold: Duration::microseconds(v.threshold_micros),
        target_basis_points: u32::try_from(v.target_basis_points)
            .map_err(|_| corrupt(&v.standard_code, "target"))?,
        key: v.is_key == 1,
        pilot_stations: pilots
            .iter()
            .filter(|p| p.version == v.version)
            .map(|p| p.station_id.clone())
            .collect(),
    })
}

/// Every standard (or the one `code` names), for computing compliance.
pub(crate) async fn rules(
    conn: &mut AnyConnection,
    code: Option<&str>,
) -> Result<Vec<ServiceStandard>> {
    let which = match code {
        Some(code) => Which::One(code),
        None => Which::Page("", i64::MAX),
    };
    let loaded = load(conn, which).await?;
    if let Some(code) = code
        && loaded.is_empty()
    {
        return Err(Error::not_found(WHAT, code));
    }
    Ok(loaded.into_iter().map(|l| l.standard).collect())
}

/// NOT_FOUND for the first of `ids` that is not a station.
pub(crate) async fn check_stations(conn: &mut AnyConnection, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    // Only placeholders go into the text; the ids are bound.
    let sql = format!(
        "SELECT id FROM stations WHERE id IN ({})",
        params.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(id.as_str());
    }
    let found: HashSet<String> = query.fetch_all(&mut *conn).await?.into_iter().collect();
    match ids.iter().find(|id| !found.contains(*id)) {
        Some(missing) => Err(Error::not_found("station", missing)),
        None => Ok(()),
    }
}

pub(crate) async fn insert_version(
    conn: &mut AnyConnection,
    code: &str,
    v: &Version,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO service_standard_versions (standard_code, version, effective_time, threshold_micros, \
         target_basis_points, is_key, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(code)
    .bind(i64::from(v.version))
    .bind(timestamp::to_micros(v.effective_from))
    .bind(v.threshold.whole_microseconds() as i64)
    .bind(i64::from(v.target_basis_points))
    .bind(i64::from(v.key))
    .bind(now)
    .execute(&mut *conn)
    .await
    // Two versions added at once on PostgreSQL: the second finds the number
    // taken.
    .map_err(|e| {
        if aftercare_db::errors::is_unique_violation(&e) {
            Error::stale(WHAT, code)
        } else {
            e.into()
        }
    })?;
    for station in &v.pilot_stations {
        sqlx::query(
            "INSERT INTO service_standard_pilots (standard_code, version, station_id) VALUES ($1, $2, $3)",
        )
        .bind(code)
        .bind(i64::from(v.version))
        .bind(station.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A time as the store keeps it (microseconds), so that an answer is what
/// a later read returns.
pub(crate) fn stored(t: OffsetDateTime) -> OffsetDateTime {
    timestamp::from_micros(timestamp::to_micros(t))
}

/// Writes a new standard with its order types and versions, made `now`.
pub(crate) async fn insert(tx: &mut Tx, standard: &ServiceStandard, now: i64) -> Result<()> {
    let rule = &standard.rule;
    let taken = [(
        "service_standards",
        format!("service standard {} already exists", rule.code),
    )];
    sqlx::query(
        "INSERT INTO service_standards (code, display_name, description, from_moment, to_moment, \
         fast_lane_only, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(rule.code.as_str())
    .bind(standard.display_name.as_str())
    .bind(standard.description.as_str())
    .bind(rule.from.as_str())
    .bind(rule.to.as_str())
    .bind(i64::from(rule.fast_lane_only))
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(|e| on_write_error(e, &taken))?;
    for t in &rule.order_types {
        sqlx::query(
            "INSERT INTO service_standard_order_types (standard_code, order_type) VALUES ($1, $2)",
        )
        .bind(rule.code.as_str())
        .bind(t.as_str())
        .execute(&mut **tx)
        .await?;
    }
    for v in &rule.versions {
        insert_version(tx, &rule.code, v, now).await?;
    }
    Ok(())
}

/// Marks the standard `code` changed `now`; false when there is none. On
/// PostgreSQL the row lock makes a second change at the same time wait and
/// then see this one.
pub(crate) async fn touch(tx: &mut Tx, code: &str, now: i64) -> Result<bool> {
    let rows = sqlx::query("UPDATE service_standards SET update_time = $1 WHERE code = $2")
        .bind(now)
        .bind(code)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(rows > 0)
}
