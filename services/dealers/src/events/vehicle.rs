//! The vehicle as the dealers contract tells it: in the answers of the
//! `DealersService` and in the delivered-RO event.

use aftercare_proto::dealers::v1 as pb;

use super::repair_order::{pb_date, timestamp};
use crate::domain::network::Vehicle;

impl From<Vehicle> for pb::Vehicle {
    fn from(v: Vehicle) -> Self {
        pb::Vehicle {
            id: v.id.into_string(),
            vin: v.fields.vin.to_string(),
            customer_id: v.fields.customer_id.into_string(),
            dealer_id: v.dealer_id.into_string(),
            model: v.fields.model.into_string(),
            sale_date: pb_date(v.fields.sale_date),
            mileage_km: v.fields.mileage_km,
            warranty_start_date: pb_date(v.fields.warranty_start_date),
            etag: v.meta.etag(),
            create_time: timestamp(v.meta.create_time),
            update_time: timestamp(v.meta.update_time),
        }
    }
}
