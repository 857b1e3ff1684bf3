//! Availability across the network, replenishment suggestions and the
//! first-time fill rate.

use aftercare_proto::common::v1::{Period, PeriodKind};

use super::*;

fn this_month() -> Option<Period> {
    let today = time::OffsetDateTime::now_utc();
    Some(Period {
        kind: PeriodKind::Month as i32,
        year: today.year(),
        number: today.month() as i32,
    })
}

fn fill_rate(dealer: &str, region: &str) -> pb::GetFillRateRequest {
    pb::GetFillRateRequest {
        dealer_id: dealer.into(),
        region_id: region.into(),
        period: this_month(),
    }
}

both!(
    the_fill_rate_counts_lines_served_at_once,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        let d2 = h.stock(who::dealer("d2"));
        receive(&d1, "d1-wh", "P-1", 3).await;
        // d1: 3 lines, 2 at once, 1 backordered; d2: 1 line backordered.
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 1, "ro-1", 1))
            .await
            .answer();
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 2, "ro-1", 2))
            .await
            .answer();
        d1.clone()
            .reserve_stock(pb::ReserveStockRequest {
                allow_backorder: true,
                ..reserve("d1-wh", "P-1", 1, "ro-2", 1)
            })
            .await
            .answer();
        d2.clone()
            .reserve_stock(pb::ReserveStockRequest {
                allow_backorder: true,
                ..reserve("d2-wh", "P-1", 1, "ro-9", 1)
            })
            .await
            .answer();
        // A refused line was never asked.
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 5, "ro-3", 1))
            .await
            .refused(Code::FailedPrecondition);

        let rate = d1.clone().get_fill_rate(fill_rate("d1", "")).await.answer();
        assert_eq!(
            (
                rate.lines_asked,
                rate.lines_served_at_once,
                rate.rate_basis_points
            ),
            (3, 2, 6667)
        );
        let region = h
            .stock(who::region("north"))
            .get_fill_rate(fill_rate("", "north"))
            .await
            .answer();
        assert_eq!(
            (
                region.lines_asked,
                region.lines_served_at_once,
                region.rate_basis_points
            ),
            (4, 2, 5000)
        );
        let network = h
            .stock(who::oem())
            .get_fill_rate(fill_rate("", ""))
            .await
            .answer();
        assert_eq!(network.lines_asked, 4);
        // Another region's manager reads none of north's lines through a dealer.
        let south = h
            .stock(who::region("south"))
            .get_fill_rate(fill_rate("d1", ""))
            .await
            .answer();
        assert_eq!(south.lines_asked, 0);
        let last_year = pb::GetFillRateRequest {
            period: Some(Period {
                kind: PeriodKind::Year as i32,
                year: 2020,
                number: 0,
            }),
            ..fill_rate("d1", "")
        };
        assert_eq!(
            d1.clone()
                .get_fill_rate(last_year)
                .await
                .answer()
                .lines_asked,
            0
        );
    }
);

both!(
    replenishment_orders_up_to_max_from_the_parent,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 2).await;
        receive(&d1, "d1-wh", "P-2", 9).await;
        for part in ["P-1", "P-2"] {
            d1.clone()
                .update_stock_level(pb::UpdateStockLevelRequest {
                    stock_level: Some(pb::StockLevel {
                        warehouse_id: "d1-wh".into(),
                        part_number: part.into(),
                        reorder_point: 4,
                        max_quantity: 20,
                        ..Default::default()
                    }),
                    update_mask: Some(FieldMask {
                        paths: vec!["reorder_point".into(), "max_quantity".into()],
                    }),
                    request_id: rid(),
                })
                .await
                .answer();
        }
        let s = d1
            .clone()
            .list_replenishment_suggestions(pb::ListReplenishmentSuggestionsRequest {
                warehouse_id: "d1-wh".into(),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(s.suggestions.len(), 1, "P-2 is above its reorder point");
        let p1 = &s.suggestions[0];
        assert_eq!(
            (
                p1.part_number.as_str(),
                p1.quantity,
                p1.position,
                p1.from_warehouse_id.as_str()
            ),
            ("P-1", 18, 2, "north-wh")
        );
    }
);

/// P-1 available at d1 (5), d9 (2) and the central warehouse (7).
async fn three_hold_p1(h: &Harness) {
    network(h).await;
    receive(&h.stock(who::dealer("d1")), "d1-wh", "P-1", 5).await;
    receive(&h.stock(who::dealer("d9")), "d9-wh", "P-1", 2).await;
    receive(&h.stock(who::oem()), "central", "P-1", 7).await;
}

both!(
    dealers_see_how_many_others_hold_not_who,
    |h: Harness| async move {
        three_hold_p1(&h).await;
        let ask = || pb::GetPartAvailabilityRequest {
            part_number: "P-1".into(),
            ..Default::default()
        };
        let seen_by_d2 = h
            .stock(who::dealer("d2"))
            .get_part_availability(ask())
            .await
            .answer();
        assert_eq!(seen_by_d2.total_available, 14);
        assert_eq!(seen_by_d2.warehouses_holding, 3);
        let shown: Vec<(&str, &str, i64)> = seen_by_d2
            .warehouses
            .iter()
            .map(|w| (w.warehouse_id.as_str(), w.dealer_id.as_str(), w.available))
            .collect();
        assert_eq!(shown, [("central", "", 7), ("", "", 5), ("", "", 2)]);
        let seen_by_d1 = h
            .stock(who::dealer("d1"))
            .get_part_availability(ask())
            .await
            .answer();
        assert_eq!(
            seen_by_d1.warehouses[1].warehouse_id, "d1-wh",
            "its own warehouse by name"
        );
        let seen_by_oem = h
            .stock(who::oem())
            .get_part_availability(ask())
            .await
            .answer();
        assert_eq!(seen_by_oem.warehouses[2].dealer_id, "d9");
        h.stock(who::survey())
            .get_part_availability(ask())
            .await
            .refused(Code::PermissionDenied);
        h.stock(who::dealer("d2"))
            .get_part_availability(pb::GetPartAvailabilityRequest {
                part_number: "NOPE".into(),
                ..Default::default()
            })
            .await
            .refused(Code::NotFound);
    }
);

both!(
    availability_lists_the_first_warehouses_and_counts_them_all,
    |h: Harness| async move {
        three_hold_p1(&h).await;
        let first_two = h
            .stock(who::oem())
            .get_part_availability(pb::GetPartAvailabilityRequest {
                part_number: "P-1".into(),
                max_warehouses: 2,
            })
            .await
            .answer();
        let listed: Vec<i64> = first_two.warehouses.iter().map(|w| w.available).collect();
        assert_eq!(listed, [7, 5], "the two holding the most");
        assert_eq!(first_two.warehouses_holding, 3);
        assert_eq!(first_two.total_available, 14, "all three");
        let status = h
            .stock(who::oem())
            .get_part_availability(pb::GetPartAvailabilityRequest {
                part_number: "P-1".into(),
                max_warehouses: -1,
            })
            .await
            .refused(Code::InvalidArgument);
        assert!(status.message().contains("max_warehouses"), "{status:?}");
        let none = h
            .stock(who::oem())
            .get_part_availability(pb::GetPartAvailabilityRequest {
                part_number: "P-2".into(),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(
            (
                none.warehouses.len(),
                none.warehouses_holding,
                none.total_available
            ),
            (0, 0, 0)
        );
    }
);
