//! The `RequiredStockService` messages: domain → proto.

use aftercare_proto::parts::v1 as pb;

use crate::{
    domain::{
        required_stock::{Compliance, RequiredItem},
        warehouse::Warehouse,
    },
    grpc::fields::{pb_station_class, pb_time, text},
};

impl From<RequiredItem> for pb::RequiredStockItem {
    fn from(i: RequiredItem) -> Self {
        pb::RequiredStockItem {
            station_class: pb_station_class(Some(i.station_class)) as i32,
            part_number: i.part_number.as_str().to_owned(),
            quantity: i.quantity.get(),
            update_time: pb_time(i.update_time),
        }
    }
}

/// A station's compliance; item by item when `with_items`.
pub(super) fn pb_compliance(
    w: Warehouse,
    c: Compliance,
    with_items: bool,
) -> pb::StationCompliance {
    pb::StationCompliance {
        warehouse_id: w.id.as_str().to_owned(),
        station_id: text(w.station_id),
        dealer_id: text(w.dealer_id),
        region_id: text(w.region_id),
        station_class: pb_station_class(w.station_class) as i32,
        items_required: c.items_required() as i32,
        items_met: c.items_met() as i32,
        rate_basis_points: c.basis_points() as i32,
        items: if with_items {
            c.items
                .iter()
                .map(|i| pb::ItemCompliance {
                    part_number: i.part_number.as_str().to_owned(),
                    required_quantity: i.required,
                    held_quantity: i.held,
                    met: i.met(),
                    shortfall: i.shortfall(),
                })
                .collect()
        } else {
            vec![]
        },
    }
}
