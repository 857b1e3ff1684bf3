//! The effective-dated rates: a station's labour cost, the warranty labour
//! rate, a model's warranty terms. Each reader answers the one in force at a
//! moment (or, for terms, for a warranty start day).

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
    timestamp::{date_from_text, date_to_text},
};
use aftercare_edge::resource::on_write_error;
use sqlx::AnyConnection;

use super::corrupt;
use crate::{
    domain::rates::{LabourCostRate, WarrantyLabourRate, WarrantyTerms},
    error::Result,
};

/// The labour cost per hour of `station_id` in force at `at` (micros): its
/// own rate, else the network default's; `None` when neither is set.
pub(crate) async fn labour_cost_at(
    conn: &mut AnyConnection,
    station_id: &str,
    at: i64,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT hourly_cost FROM labour_cost_rates \
         WHERE station_id IN ($1, '') AND effective_time <= $2 \
         ORDER BY CASE WHEN station_id = '' THEN 1 ELSE 0 END, effective_time DESC LIMIT 1",
    )
    .bind(station_id)
    .bind(at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(r,)| r))
}

/// The warranty labour rate per hour in force at `at` (micros).
pub(crate) async fn warranty_labour_at(conn: &mut AnyConnection, at: i64) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT hourly_rate FROM warranty_labour_rates WHERE effective_time <= $1 \
         ORDER BY effective_time DESC LIMIT 1",
    )
    .bind(at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(r,)| r))
}

/// The warranty terms (months, kilometres) of `model` for a vehicle whose
/// warranty starts on `start` ('YYYY-MM-DD').
pub(crate) async fn warranty_terms_for(
    conn: &mut AnyConnection,
    model: &str,
    start: &str,
) -> Result<Option<(i32, i64)>> {
    let row: Option<(i32, i64)> = sqlx::query_as(
        "SELECT months, kilometres FROM warranty_terms \
         WHERE model = $1 AND effective_date <= $2 \
         ORDER BY effective_date DESC LIMIT 1",
    )
    .bind(model)
    .bind(start)
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Records a labour cost rate; ALREADY_EXISTS when the station has one from
/// that very time.
pub(crate) async fn insert_labour_cost(tx: &mut Tx, r: &LabourCostRate) -> Result<()> {
    sqlx::query(
        "INSERT INTO labour_cost_rates (station_id, effective_time, hourly_cost, create_time) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(&r.station_id)
    .bind(r.effective_time)
    .bind(r.hourly_cost)
    .bind(r.create_time)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        let taken = "a labour cost rate of this station from this effective time already exists";
        on_write_error(e, &[("labour_cost_rates", taken.into())])
    })?;
    Ok(())
}

/// The rates of `station_id` ('' for the network default), newest
/// effective first, after the effective time `after`.
pub(crate) async fn list_labour_cost(
    conn: &mut AnyConnection,
    station_id: &str,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<LabourCostRate>> {
    let mut q = ListQuery::new(
        "SELECT station_id, effective_time, hourly_cost, create_time FROM labour_cost_rates",
        vec![],
    );
    q.eq("station_id", station_id);
    if let Some(after) = after {
        q.and("effective_time < ?", vec![Arg::Int(after)]);
    }
    let rows: Vec<(String, i64, i64, i64)> =
        q.fetch(conn, "effective_time DESC", Some(limit)).await?;
    Ok(rows
        .into_iter()
        .map(
            |(station_id, effective_time, hourly_cost, create_time)| LabourCostRate {
                station_id,
                effective_time,
                hourly_cost,
                create_time,
            },
        )
        .collect())
}

/// Records a warranty labour rate; ALREADY_EXISTS when one starts at that
/// very time.
pub(crate) async fn insert_warranty_labour(tx: &mut Tx, r: &WarrantyLabourRate) -> Result<()> {
    sqlx::query(
        "INSERT INTO warranty_labour_rates (effective_time, hourly_rate, create_time) \
         VALUES ($1, $2, $3)",
    )
    .bind(r.effective_time)
    .bind(r.hourly_rate)
    .bind(r.create_time)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        let taken = "a warranty labour rate from this effective time already exists";
        on_write_error(e, &[("warranty_labour_rates", taken.into())])
    })?;
    Ok(())
}

/// Warranty labour rates, newest effective first, after `after`.
pub(crate) async fn list_warranty_labour(
    conn: &mut AnyConnection,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<WarrantyLabourRate>> {
    let mut q = ListQuery::new(
        "SELECT effective_time, hourly_rate, create_time FROM warranty_labour_rates",
        vec![],
    );
    if let Some(after) = after {
        q.and("effective_time < ?", vec![Arg::Int(after)]);
    }
    let rows: Vec<(i64, i64, i64)> = q.fetch(conn, "effective_time DESC", Some(limit)).await?;
    Ok(rows
        .into_iter()
        .map(
            |(effective_time, hourly_rate, create_time)| WarrantyLabourRate {
                effective_time,
                hourly_rate,
                create_time,
            },
        )
        .collect())
}

/// Records a model's warranty terms; ALREADY_EXISTS when the model has
/// terms from that very day.
pub(crate) async fn insert_warranty_terms(tx: &mut Tx, t: &WarrantyTerms) -> Result<()> {
    sqlx::query(
        "INSERT INTO warranty_terms (model, effective_date, months, kilometres, create_time) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&t.model)
    .bind(date_to_text(t.effective_date))
    .bind(t.months)
    .bind(t.kilometres)
    .bind(t.create_time)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        let taken = "warranty terms of this model from this effective date already exist";
        on_write_error(e, &[("warranty_terms", taken.into())])
    })?;
    Ok(())
}

/// Warranty terms by model, then newest effective first; only `model`'s
/// when given; after the (model, effective date) `after`.
pub(crate) async fn list_warranty_terms(
    conn: &mut AnyConnection,
    model: &str,
    after: Option<(String, String)>,
    limit: i64,
) -> Result<Vec<WarrantyTerms>> {
    let mut q = ListQuery::new(
        "SELECT model, effective_date, months, kilometres, create_time FROM warranty_terms",
        vec![],
    );
    q.filter("model", model);
    if let Some((m, day)) = after {
        q.and(
            "model > ? OR (model = ? AND effective_date < ?)",
            vec![Arg::Text(m.clone()), Arg::Text(m), Arg::Text(day)],
        );
    }
    let rows: Vec<(String, String, i32, i64, i64)> = q
        .fetch(conn, "model, effective_date DESC", Some(limit))
        .await?;
    rows.into_iter()
        .map(|(model, day, months, kilometres, create_time)| {
            Ok(WarrantyTerms {
                effective_date: date_from_text(&day)
                    .ok_or_else(|| corrupt(format!("warranty terms {model}: day {day}")))?,
                model,
                months,
                kilometres,
                create_time,
            })
        })
        .collect()
}
