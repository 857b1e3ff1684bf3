//! Maintenance reminders: the vehicles of a station's advisors' customers,
//! their last maintenance RO, and their model's schedule from parts.

use std::collections::{BTreeMap, HashMap};

use aftercare_auth::Principal;
use aftercare_db::timestamp;
use time::{Date, Duration, OffsetDateTime};

use super::{Store, referenced};
use crate::{
    domain::{
        network::Station,
        reminders::{Due, Interval, ServiceLife, next_due_of},
    },
    error::Result,
    peers::parts::refusal,
};

/// A vehicle due for maintenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub vehicle_id: String,
    pub customer_id: String,
    pub advisor_id: String,
    pub model: String,
    pub due: Due,
    pub mileage_km: i64,
    pub last_service: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct VehicleRow {
    id: String,
    customer_id: String,
    advisor_id: String,
    model: String,
    sale_date: Option<String>,
    warranty_start_date: Option<String>,
    mileage_km: i64,
    create_time: i64,
    update_time: i64,
}

impl Store {
    pub async fn maintenance_reminders(
        &self,
        caller: &Principal,
        station_id: &str,
        advisor_id: &str,
        within_days: i64,
        now: OffsetDateTime,
    ) -> Result<Vec<Reminder>> {
        // Days are the OEM's.
        let today = self.zone.local_day(now);
        let mut conn = self.db.pool().acquire().await?;
        let _: Station = referenced(&mut conn, caller, station_id).await?;
        let vehicles: Vec<VehicleRow> = sqlx::query_as(
            "SELECT v.id, v.customer_id, c.advisor_id, v.model, v.sale_date, v.warranty_start_date, \
             v.mileage_km, v.create_time, v.update_time FROM vehicles v \
             JOIN customers c ON c.id = v.customer_id JOIN staff_members m ON m.id = c.advisor_id \
             WHERE m.station_id = $1 AND ($2 = '' OR c.advisor_id = $2) ORDER BY v.id",
        )
        .bind(station_id)
        .bind(advisor_id)
        .fetch_all(&mut *conn)
        .await?;
        // The last maintenance delivered to each, and the mileage then.
        let services: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT r.vehicle_id, r.delivery_time, r.mileage_km FROM repair_orders r \
             JOIN customers c ON c.id = (SELECT customer_id FROM vehicles WHERE id = r.vehicle_id) \
             JOIN staff_members m ON m.id = c.advisor_id \
             WHERE m.station_id = $1 AND r.order_type = 'maintenance' AND r.delivery_time IS NOT NULL",
        )
        .bind(station_id)
        .fetch_all(&mut *conn)
        .await?;
        drop(conn);
        let mut last: HashMap<String, (i64, i64)> = HashMap::new();
        for (vehicle, delivered, km) in services {
            let entry = last.entry(vehicle).or_insert((delivered, km));
            if delivered > entry.0 {
                *entry = (delivered, km);
            }
        }
        let mut schedules: BTreeMap<String, Vec<Interval>> = BTreeMap::new();
        for v in &vehicles {
            if !schedules.contains_key(&v.model) {
                let intervals = self
                    .parts()?
                    .schedule(caller, &v.model)
                    .await
                    .map_err(|s| refusal(s, "station_id"))?;
                let intervals = intervals
                    .into_iter()
                    .map(|i| Interval {
                        months: i.months.max(0) as u32,
                        kilometres: i64::from(i.kilometres.max(0)),
                    })
                    .collect();
                schedules.insert(v.model.clone(), intervals);
            }
        }
        let horizon = today + Duration::days(within_days);
        let day = |micros: i64| self.zone.local_day(timestamp::from_micros(micros));
        let mut reminders: Vec<Reminder> = vehicles
            .into_iter()
            .filter_map(|v| {
                let text = |d: &Option<String>| d.as_deref().and_then(timestamp::date_from_text);
                let start = text(&v.sale_date)
                    .or_else(|| text(&v.warranty_start_date))
                    .unwrap_or_else(|| day(v.create_time));
                let last_service = last.get(&v.id).map(|(t, km)| (day(*t), *km));
                let life = ServiceLife {
                    start,
                    last_service,
                    mileage: (day(v.update_time), v.mileage_km),
                };
                let due = next_due_of(&schedules[&v.model], life)?;
                (due.date <= horizon).then(|| Reminder {
                    vehicle_id: v.id,
                    customer_id: v.customer_id,
                    advisor_id: v.advisor_id,
                    model: v.model,
                    due,
                    mileage_km: v.mileage_km,
                    last_service: last_service.map(|(d, _)| d),
                })
            })
            .collect();
        reminders.sort_by(|a, b| (a.due.date, &a.vehicle_id).cmp(&(b.due.date, &b.vehicle_id)));
        Ok(reminders)
    }
}
