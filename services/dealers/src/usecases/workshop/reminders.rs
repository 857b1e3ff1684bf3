//! Maintenance reminders: the vehicles of a station's advisors' customers,
//! their last maintenance RO, and their model's schedule from parts (asked
//! with no connection held).

use std::collections::{BTreeMap, HashMap};

use aftercare_auth::Principal;
use aftercare_db::timestamp;
use time::{Duration, OffsetDateTime};

use super::Workshop;
use crate::usecases::access::referenced;
use crate::{
    domain::{
        network::Station,
        reminders::{Interval, Reminder, ServiceLife, next_due_of},
    },
    error::Result,
    peers::parts::refusal,
    store::reminders,
};

impl Workshop {
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
        let vehicles = reminders::vehicles(&mut conn, station_id, advisor_id).await?;
        // The last maintenance delivered to each, and the mileage then.
        let services = reminders::maintenance_deliveries(&mut conn, station_id).await?;
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
