//! The pricing tools through gRPC: cost-plus quotes from parts' catalogue
//! at the rates and costs of a time, break-even volumes, a station's period
//! at another labour rate.

use aftercare_proto::{costs::v1 as pb, parts::v1 as parts_pb};
use aftercare_test_support::Outcome;
use time::macros::datetime;
use tonic::Code;
use tonic_types::StatusExt;

use super::*;
use crate::{
    ro_fixture::*,
    support::{Harness, who},
};

type Item = pb::quote_cost_plus_price_request::Item;

fn quote(
    station: &str,
    item: Item,
    markup_bp: i64,
    at: time::OffsetDateTime,
) -> pb::QuoteCostPlusPriceRequest {
    pb::QuoteCostPlusPriceRequest {
        station_id: station.into(),
        item: Some(item),
        markup_bp,
        at_time: ts(at),
    }
}

fn op(code: &str) -> Item {
    Item::OperationCode(code.into())
}

fn package(id: &str) -> Item {
    Item::PackageId(id.into())
}

/// s1 at 42.00 an hour from January, 45.00 from March; brake pads 1.5 h; a
/// 12-month package of an oil change (0.8 h) and an inspection (0.25 h)
/// with two filters (3.15) and a can of oil (12.40, 13.00 from March).
async fn catalogue(h: &Harness) {
    network(h).await;
    rate(h, "s1", JAN_1, 4_200).await;
    rate(h, "s1", MAR_1, 4_500).await;
    operation(h, "BRAKE-PADS", 150).await;
    operation(h, "OIL", 80).await;
    operation(h, "INSPECT", 25).await;
    part(h, "FILTER", &[(JAN_1, 315)]).await;
    part(h, "OIL-5L", &[(JAN_1, 1_240), (MAR_1, 1_300)]).await;
    h.parts_labour()
        .create_maintenance_package(parts_pb::CreateMaintenancePackageRequest {
            maintenance_package: Some(parts_pb::MaintenancePackage {
                package_id: "CITY-E-12M".into(),
                model_code: "CITY-E".into(),
                interval: Some(parts_pb::ServiceInterval {
                    months: 12,
                    kilometres: 15_000,
                }),
                display_name: "City E 12 months".into(),
                operations: ["OIL", "INSPECT"]
                    .iter()
                    .map(|c| parts_pb::PackageOperation {
                        operation_code: (*c).into(),
                    })
                    .collect(),
                parts: vec![
                    parts_pb::PackagePart {
                        part_number: "FILTER".into(),
                        quantity: 2,
                    },
                    parts_pb::PackagePart {
                        part_number: "OIL-5L".into(),
                        quantity: 1,
                    },
                ],
                price: eur(19_900),
                ..Default::default()
            }),
            request_id: rid(),
        })
        .await
        .answer();
}

/// (centihours, hourly, labour, parts, cost, price) of a quote.
fn quoted(q: &pb::CostPlusQuote) -> (i32, i64, i64, i64, i64, i64) {
    (
        q.standard_centihours,
        units(&q.hourly_cost),
        units(&q.labour_cost),
        units(&q.parts_cost),
        units(&q.cost),
        units(&q.price),
    )
}

both!(
    cost_plus_prices_use_the_rates_and_costs_in_force_at_their_time,
    |h: support::Harness| async move {
        catalogue(&h).await;
        let mut c = h.pricing(who::dealer("d1"));
        // docs/costing.md, example 2.1.
        let brakes = c
            .quote_cost_plus_price(quote("s1", op("BRAKE-PADS"), 2_500, FEB_10))
            .await
            .answer();
        assert_eq!(quoted(&brakes), (150, 4_200, 6_300, 0, 6_300, 7_875));
        assert_eq!(brakes.operation_code, "BRAKE-PADS");
        // docs/costing.md, example 2.2.
        let feb = c
            .quote_cost_plus_price(quote("s1", package("CITY-E-12M"), 3_333, FEB_10))
            .await
            .answer();
        assert_eq!(quoted(&feb), (105, 4_200, 4_410, 1_870, 6_280, 8_373));
        assert_eq!(feb.package_id, "CITY-E-12M");
        // March's rate and oil: 1.05 h × 45.00 + 2 × 3.15 + 13.00.
        let march = datetime!(2026-03-10 09:00 UTC);
        let mar = c
            .quote_cost_plus_price(quote("s1", package("CITY-E-12M"), 3_333, march))
            .await
            .answer();
        assert_eq!(quoted(&mar), (105, 4_500, 4_725, 1_930, 6_655, 8_873));
    }
);

both!(
    a_quote_needs_a_rate_and_a_known_item,
    |h: support::Harness| async move {
        catalogue(&h).await;
        let mut c = h.pricing(who::oem());
        let before_rates = datetime!(2025-12-01 09:00 UTC);
        assert_eq!(
            c.quote_cost_plus_price(quote("s1", op("BRAKE-PADS"), 0, before_rates))
                .await
                .code(),
            Code::FailedPrecondition
        );
        assert_eq!(
            c.quote_cost_plus_price(quote("s1", op("NO-SUCH-OP"), 0, FEB_10))
                .await
                .code(),
            Code::NotFound
        );
        assert_eq!(
            c.quote_cost_plus_price(quote("s1", package("NO-SUCH-PKG"), 0, FEB_10))
                .await
                .code(),
            Code::NotFound
        );
    }
);

fn break_even(fixed: i64, price: i64, variable: i64) -> pb::GetBreakEvenVolumeRequest {
    pb::GetBreakEvenVolumeRequest {
        fixed_costs: eur(fixed),
        unit_price: eur(price),
        unit_variable_cost: eur(variable),
    }
}

both!(
    break_even_rounds_up_and_refuses_a_price_below_its_variable_cost,
    |h: support::Harness| async move {
        let mut c = h.pricing(who::dms("d1"));
        // docs/costing.md, examples 2.3 and 2.4.
        let v = c
            .get_break_even_volume(break_even(1_000_000, 12_000, 7_500))
            .await
            .answer();
        assert_eq!((units(&v.unit_contribution), v.units), (4_500, 223));
        let refused = c
            .get_break_even_volume(break_even(1_000_000, 7_500, 7_500))
            .await
            .refused(Code::FailedPrecondition);
        let failure = refused
            .get_details_precondition_failure()
            .expect("a precondition failure");
        assert_eq!(failure.violations[0].subject, "unit_price");
        assert!(
            refused.message().contains("does not cover"),
            "{}",
            refused.message()
        );
    }
);

both!(
    what_if_recosts_a_stations_delivered_hours_at_another_rate,
    |h: support::Harness| async move {
        network(&h).await;
        part(&h, "PAD-1", &[(JAN_1, 4_000)]).await;
        rate(&h, "s1", JAN_1, 3_000).await;
        Ro::new("w1", datetime!(2026-03-02 09:00 UTC))
            .deliver(&h)
            .await;
        Ro::new("w2", datetime!(2026-03-03 09:00 UTC))
            .deliver(&h)
            .await;
        let w = h
            .pricing(who::dealer("d1"))
            .what_if_labour_rate(pb::WhatIfLabourRateRequest {
                station_id: "s1".into(),
                period: month(2026, 3),
                hourly_cost: eur(4_000),
            })
            .await
            .answer();
        assert_eq!((w.repair_orders, w.costed_centihours), (2, 350));
        assert_eq!(units(&w.labour_cost), 10_500);
        assert_eq!(units(&w.labour_cost_at_rate), 14_000);
        assert_eq!(units(&w.margin), 33_500);
        assert_eq!(units(&w.margin_at_rate), 30_000);
        assert_eq!(
            (w.margin_bp, w.margin_bp_at_rate),
            (Some(5_583), Some(5_000))
        );
    }
);

both!(
    another_dealers_station_is_not_found_to_the_pricing_tools,
    |h: support::Harness| async move {
        catalogue(&h).await;
        for principal in [
            who::dealer("d2"),
            who::region("r2"),
            who::station_staff("d1", "s2"),
        ] {
            let mut c = h.pricing(principal.clone());
            let q = c
                .quote_cost_plus_price(quote("s1", op("BRAKE-PADS"), 0, FEB_10))
                .await
                .code();
            let w = c
                .what_if_labour_rate(pb::WhatIfLabourRateRequest {
                    station_id: "s1".into(),
                    period: month(2026, 3),
                    hourly_cost: eur(1),
                })
                .await
                .code();
            assert_eq!((q, w), (Code::NotFound, Code::NotFound), "{principal:?}");
        }
        let mut link = h.pricing(who::survey());
        assert_eq!(
            link.get_break_even_volume(break_even(1, 2, 1)).await.code(),
            Code::PermissionDenied
        );
    }
);

both!(
    bad_pricing_input_names_its_field_on_every_rpc,
    |h: support::Harness| async move {
        let mut c = h.pricing(who::oem());
        let mut no_item = quote("s1", op("OIL"), 0, FEB_10);
        no_item.item = None;
        for (request, field) in [
            (quote("", op("OIL"), 0, FEB_10), "station_id"),
            (no_item, "operation_code"),
            (quote("s1", op("oil"), 0, FEB_10), "operation_code"),
            (quote("s1", package("city e"), 0, FEB_10), "package_id"),
            (quote("s1", op("OIL"), -1, FEB_10), "markup_bp"),
            (quote("s1", op("OIL"), 100_001, FEB_10), "markup_bp"),
        ] {
            assert_eq!(c.quote_cost_plus_price(request).await.bad_field(), field);
        }
        let mut no_variable = break_even(1, 2, 1);
        no_variable.unit_variable_cost = None;
        for (request, field) in [
            (break_even(-1, 2, 1), "fixed_costs.minor_units"),
            (break_even(1, 0, 0), "unit_price.minor_units"),
            (break_even(1, 2, -1), "unit_variable_cost.minor_units"),
            (no_variable, "unit_variable_cost"),
        ] {
            assert_eq!(c.get_break_even_volume(request).await.bad_field(), field);
        }
        let what_if = |station: &str, period, hourly| pb::WhatIfLabourRateRequest {
            station_id: station.into(),
            period,
            hourly_cost: eur(hourly),
        };
        for (request, field) in [
            (what_if("", month(2026, 3), 1), "station_id"),
            (what_if("s1", None, 1), "period"),
            (what_if("s1", month(2026, 3), -1), "hourly_cost.minor_units"),
        ] {
            assert_eq!(c.what_if_labour_rate(request).await.bad_field(), field);
        }
    }
);
