//! The rows maintenance reminders are made of: the vehicles of a
//! station's advisors' customers and their last maintenance RO.

use sqlx::AnyConnection;

use crate::error::Result;

#[derive(aftercare_db::FromRow)]
pub(crate) struct VehicleRow {
    pub(crate) id: String,
    pub(crate) customer_id: String,
    pub(crate) advisor_id: String,
    pub(crate) model: String,
    pub(crate) sale_date: Option<String>,
    pub(crate) warranty_start_date: Option<String>,
    pub(crate) mileage_km: i64,
    pub(crate) create_time: i64,
    pub(crate) update_time: i64,
}

/// The vehicles of the customers of the station's advisors (one advisor's
/// when `advisor_id` is set), by id.
pub(crate) async fn vehicles(
    conn: &mut AnyConnection,
    station_id: &str,
    advisor_id: &str,
) -> Result<Vec<VehicleRow>> {
    Ok(sqlx::query_as(
        "SELECT v.id, v.customer_id, c.advisor_id, v.model, v.sale_date, v.warranty_start_date, \
             v.mileage_km, v.create_time, v.update_time FROM vehicles v \
             JOIN customers c ON c.id = v.customer_id JOIN staff_members m ON m.id = c.advisor_id \
             WHERE m.station_id = $1 AND ($2 = '' OR c.advisor_id = $2) ORDER BY v.id",
    )
    .bind(station_id)
    .bind(advisor_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// (vehicle, delivery time, mileage) of each maintenance delivered to the
/// vehicles of the station's advisors' customers.
pub(crate) async fn maintenance_deliveries(
    conn: &mut AnyConnection,
    station_id: &str,
) -> Result<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
            "SELECT r.vehicle_id, r.delivery_time, r.mileage_km FROM repair_orders r \
             JOIN customers c ON c.id = (SELECT customer_id FROM vehicles WHERE id = r.vehicle_id) \
             JOIN staff_members m ON m.id = c.advisor_id \
             WHERE m.station_id = $1 AND r.order_type = 'maintenance' AND r.delivery_time IS NOT NULL",
        )
        .bind(station_id)
        .fetch_all(&mut *conn)
        .await?)
}
