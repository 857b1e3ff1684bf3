//! The claim the worked examples of `docs/claims.md` start from.

use time::macros::date;

use super::{ApprovalLevel, Claim, ClaimState, checks::*, draft};
use crate::domain::{
    delivered::{Delivered, LabourLine, OrderType, PartsLine, Vehicle},
    scope::Place,
};

/// RO ro-1 of station s1 (dealer d1, region north), arrived 2026-11-10 at
/// 42,000 km: two brake pads PAD-1 (line 1), a disc DISC-1 (line 2), and
/// 1.5 h of BRAKE-REPLACE by technician t1 who worked 1.4 h.
pub(crate) fn ro() -> Delivered {
    Delivered {
        repair_order_id: "ro-1".into(),
        place: Place {
            station_id: "s1".into(),
            dealer_id: "d1".into(),
            region_id: "north".into(),
        },
        order_type: OrderType::Warranty,
        comeback: false,
        vehicle: Vehicle {
            id: "v1".into(),
            vin: "WVWZZZ1JZXW000001".into(),
            model: "VAN-E1".into(),
            warranty_start: None,
        },
        mileage_km: 42_000,
        arrival_time: 0,
        delivery_time: 0,
        labour: vec![LabourLine {
            line_number: 1,
            operation_code: "BRAKE-REPLACE".into(),
            technician_id: "t1".into(),
            standard_centihours: 150,
            actual_centihours: 140,
        }],
        parts: vec![
            PartsLine {
                line_number: 1,
                part_number: "PAD-1".into(),
                quantity: 2,
            },
            PartsLine {
                line_number: 2,
                part_number: "DISC-1".into(),
                quantity: 1,
            },
        ],
        bill: 0,
        currency: "EUR".into(),
    }
}

/// The claim drafted from [`ro`], priced (pads 45.50, disc 120.00, labour
/// 80.00 an hour: 331.00 in all), submitted, unchecked.
pub(crate) fn claim() -> Claim {
    let ro = ro();
    let mut lines = draft::lines(&ro);
    for (line, price) in lines.iter_mut().zip([4_550, 12_000, 8_000]) {
        draft::price(line, price);
    }
    Claim {
        id: "WC-ro-1".into(),
        repair_order_id: ro.repair_order_id,
        place: ro.place,
        vehicle_id: ro.vehicle.id,
        vin: ro.vehicle.vin,
        model: ro.vehicle.model,
        mileage_km: ro.mileage_km,
        warranty_start: Some(date!(2025 - 03 - 01)),
        arrival_time: 0,
        delivery_time: 0,
        causal_part_number: draft::causal_part(&lines),
        claimed: Claim::claimed_total(&lines).unwrap(),
        lines,
        checks: vec![],
        state: ClaimState::Submitted,
        approved: None,
        approval_level: ApprovalLevel::Station,
        history: vec![],
        payment_reference: String::new(),
        version: 1,
        create_time: 0,
        update_time: 0,
    }
}

/// Everything read for [`claim`], all of it passing: a VAN-E1 from
/// 2025-03-01 with 36 months / 100,000 km, eligible parts issued as
/// claimed, BRAKE-REPLACE needing HV-2 which t1 holds until 2027-01-31.
pub(crate) fn evidence() -> Evidence {
    let got = |v| Read::Got(Some(v));
    Evidence {
        arrival_day: date!(2026 - 11 - 10),
        vehicle: Read::Got(VehicleFacts {
            vin: "WVWZZZ1JZXW000001".into(),
            model: "VAN-E1".into(),
            warranty_start: Some(date!(2025 - 03 - 01)),
        }),
        terms: Some(Terms {
            months: 36,
            kilometres: 100_000,
        }),
        parts: [("PAD-1".into(), got(true)), ("DISC-1".into(), got(true))].into(),
        prices: [
            ("PAD-1".into(), Read::Got(Some(4_550))),
            ("DISC-1".into(), Read::Got(Some(12_000))),
        ]
        .into(),
        labour_rate: Some(8_000),
        issues: Read::Got(vec![
            Issue {
                line_number: 1,
                part_number: "PAD-1".into(),
                quantity: 2,
            },
            Issue {
                line_number: 2,
                part_number: "DISC-1".into(),
                quantity: 1,
            },
        ]),
        operations: [("BRAKE-REPLACE".into(), Read::Got(Some("HV-2".into())))].into(),
        technicians: [(
            "t1".into(),
            Read::Got(Some(vec![Certification {
                kind: "HV-2".into(),
                expire_date: Some(date!(2027 - 01 - 31)),
            }])),
        )]
        .into(),
        duplicates: vec![],
        duplicate_days: 30,
    }
}
