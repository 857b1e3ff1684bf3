//! Required stock lists per station class and each station's compliance.

use super::*;
use crate::support::RequiredStockClient;

fn set(class: pb::StationClass, part: &str, quantity: i64) -> pb::SetRequiredStockItemRequest {
    pb::SetRequiredStockItemRequest {
        item: Some(pb::RequiredStockItem {
            station_class: class as i32,
            part_number: part.into(),
            quantity,
            ..Default::default()
        }),
        request_id: rid(),
    }
}

fn compliance_of(warehouse: &str) -> pb::GetStationComplianceRequest {
    pb::GetStationComplianceRequest {
        warehouse_id: warehouse.into(),
    }
}

/// The network with its stations, and a service-station list of 4 P-1 and
/// 2 P-2 set by head office.
async fn service_list(h: &Harness) -> RequiredStockClient {
    network(h).await;
    stations(h).await;
    let oem = h.required_stock(who::oem());
    for (part, quantity) in [("P-1", 4), ("P-2", 2)] {
        oem.clone()
            .set_required_stock_item(set(pb::StationClass::Service, part, quantity))
            .await
            .answer();
    }
    oem
}

both!(a_station_is_checked_item_by_item, |h: Harness| async move {
    let oem = service_list(&h).await;
    let d1 = h.stock(who::dealer("d1"));
    receive(&d1, "s1-wh", "P-1", 5).await;
    receive(&d1, "s1-wh", "P-2", 1).await;
    // Reserved stock is still on the shelf: it counts as held.
    d1.clone()
        .reserve_stock(reserve("s1-wh", "P-1", 3, "ro-1", 1))
        .await
        .answer();

    let c = oem
        .clone()
        .get_station_compliance(compliance_of("s1-wh"))
        .await
        .answer();
    assert_eq!(
        (
            c.station_id.as_str(),
            c.dealer_id.as_str(),
            c.region_id.as_str()
        ),
        ("s1", "d1", "north")
    );
    assert_eq!(c.station_class, pb::StationClass::Service as i32);
    let items: Vec<_> = c
        .items
        .iter()
        .map(|i| {
            (
                i.part_number.as_str(),
                i.required_quantity,
                i.held_quantity,
                i.met,
                i.shortfall,
            )
        })
        .collect();
    assert_eq!(items, [("P-1", 4, 5, true, 0), ("P-2", 2, 1, false, 1)]);
    assert_eq!((c.items_required, c.items_met), (2, 1));
    assert_eq!(c.rate_basis_points, 5000);

    // Issued goods have left the shelf.
    d1.clone()
        .issue_reservation(issue("s1-wh", "ro-1", 1))
        .await
        .answer();
    let c = oem
        .clone()
        .get_station_compliance(compliance_of("s1-wh"))
        .await
        .answer();
    assert_eq!((c.items[0].held_quantity, c.items[0].shortfall), (2, 2));
    assert_eq!((c.items_met, c.rate_basis_points), (0, 0));
});

both!(
    stock_of_a_superseding_part_holds_the_old_number,
    |h: Harness| async move {
        let oem = service_list(&h).await;
        h.oem()
            .create_part(create(part("P-3", "BRAKES")))
            .await
            .answer();
        h.oem().update_part(supersede("P-1", "P-3")).await.answer();
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "s1-wh", "P-1", 1).await;
        receive(&d1, "s1-wh", "P-3", 3).await;
        let c = oem
            .clone()
            .get_station_compliance(compliance_of("s1-wh"))
            .await
            .answer();
        assert_eq!(c.items[0].part_number, "P-1");
        assert_eq!((c.items[0].held_quantity, c.items[0].met), (4, true));
    }
);

both!(each_class_has_its_own_list, |h: Harness| async move {
    let oem = service_list(&h).await;
    // s2 is a quick-service point: nothing asked of it yet.
    let c = oem
        .clone()
        .get_station_compliance(compliance_of("s2-wh"))
        .await
        .answer();
    assert_eq!((c.items_required, c.rate_basis_points), (0, 10_000));
    oem.clone()
        .set_required_stock_item(set(pb::StationClass::Quick, "P-2", 1))
        .await
        .answer();
    let c = oem
        .clone()
        .get_station_compliance(compliance_of("s2-wh"))
        .await
        .answer();
    assert_eq!(ids(&c.items, |i| &i.part_number), ["P-2"]);
    assert_eq!((c.items_met, c.rate_basis_points), (0, 0));
});

both!(
    the_list_is_set_replaced_and_shortened,
    |h: Harness| async move {
        let oem = service_list(&h).await;
        let list = |page_size, page_token: &str| pb::ListRequiredStockItemsRequest {
            station_class: pb::StationClass::Service as i32,
            page_size,
            page_token: page_token.into(),
        };
        let item = oem
            .clone()
            .set_required_stock_item(set(pb::StationClass::Service, "P-1", 7))
            .await
            .answer();
        assert_eq!(item.quantity, 7);

        // Dealers read the list their stations are held to, page by page.
        let d1 = h.required_stock(who::dealer("d1"));
        let first = d1
            .clone()
            .list_required_stock_items(list(1, ""))
            .await
            .answer();
        assert_eq!(ids(&first.items, |i| &i.part_number), ["P-1"]);
        assert_eq!(first.items[0].quantity, 7);
        let second = d1
            .clone()
            .list_required_stock_items(list(1, &first.next_page_token))
            .await
            .answer();
        assert_eq!(ids(&second.items, |i| &i.part_number), ["P-2"]);
        assert_eq!(second.next_page_token, "");

        oem.clone()
            .delete_required_stock_item(pb::DeleteRequiredStockItemRequest {
                station_class: pb::StationClass::Service as i32,
                part_number: "P-1".into(),
                request_id: rid(),
            })
            .await
            .answer();
        let left = d1
            .clone()
            .list_required_stock_items(list(0, ""))
            .await
            .answer();
        assert_eq!(ids(&left.items, |i| &i.part_number), ["P-2"]);
        oem.clone()
            .delete_required_stock_item(pb::DeleteRequiredStockItemRequest {
                station_class: pb::StationClass::Service as i32,
                part_number: "P-1".into(),
                request_id: rid(),
            })
            .await
            .refused(Code::NotFound);
    }
);

both!(a_retried_set_applies_once, |h: Harness| async move {
    let oem = service_list(&h).await;
    let first = set(pb::StationClass::Service, "P-1", 9);
    oem.clone()
        .set_required_stock_item(first.clone())
        .await
        .answer();
    oem.clone()
        .set_required_stock_item(set(pb::StationClass::Service, "P-1", 5))
        .await
        .answer();
    // The first request again: its first answer, and no change.
    let replay = oem.clone().set_required_stock_item(first).await.answer();
    assert_eq!(replay.quantity, 9);
    let c = oem
        .clone()
        .get_station_compliance(compliance_of("s1-wh"))
        .await
        .answer();
    assert_eq!(c.items[0].required_quantity, 5);
});

/// The station warehouses `c` lists with these filters, with their rates;
/// a listing carries no items.
async fn list(c: RequiredStockClient, region: &str, dealer: &str) -> Vec<(String, i32)> {
    let r = c
        .clone()
        .list_station_compliance(pb::ListStationComplianceRequest {
            region_id: region.into(),
            dealer_id: dealer.into(),
            ..Default::default()
        })
        .await
        .answer();
    assert!(r.stations.iter().all(|s| s.items.is_empty()));
    r.stations
        .iter()
        .map(|s| (s.warehouse_id.clone(), s.rate_basis_points))
        .collect()
}

both!(
    compliance_is_listed_for_the_stations_the_caller_sees,
    |h: Harness| async move {
        service_list(&h).await;
        let d9 = h.stock(who::dealer("d9"));
        receive(&d9, "s9-wh", "P-1", 4).await;
        receive(&d9, "s9-wh", "P-2", 2).await;
        let oem = h.required_stock(who::oem());
        let all = list(oem.clone(), "", "").await;
        let all: Vec<_> = all.iter().map(|(w, r)| (w.as_str(), *r)).collect();
        // Warehouses that serve no station are not listed.
        assert_eq!(all, [("s1-wh", 0), ("s2-wh", 10_000), ("s9-wh", 10_000)]);
        let ids = |v: Vec<(String, i32)>| v.into_iter().map(|(w, _)| w).collect::<Vec<_>>();
        assert_eq!(ids(list(oem.clone(), "south", "").await), ["s9-wh"]);
        assert_eq!(ids(list(oem, "", "d2").await), ["s2-wh"]);
        let north = h.required_stock(who::region("north"));
        assert_eq!(ids(list(north, "", "").await), ["s1-wh", "s2-wh"]);
        let d1 = h.required_stock(who::dms("d1"));
        assert_eq!(ids(list(d1.clone(), "", "").await), ["s1-wh"]);
        // A filter on another dealer finds nothing of theirs.
        assert!(list(d1, "", "d2").await.is_empty());
    }
);

both!(
    only_head_office_keeps_the_lists_and_stations_stay_private,
    |h: Harness| async move {
        service_list(&h).await;
        for who in [
            who::region("north"),
            who::dealer("d1"),
            who::dms("d1"),
            who::survey(),
        ] {
            h.required_stock(who.clone())
                .set_required_stock_item(set(pb::StationClass::Service, "P-1", 1))
                .await
                .refused(Code::PermissionDenied);
            h.required_stock(who)
                .delete_required_stock_item(pb::DeleteRequiredStockItemRequest {
                    station_class: pb::StationClass::Service as i32,
                    part_number: "P-1".into(),
                    request_id: rid(),
                })
                .await
                .refused(Code::PermissionDenied);
        }
        let list = pb::ListRequiredStockItemsRequest {
            station_class: pb::StationClass::Service as i32,
            ..Default::default()
        };
        h.required_stock(who::survey())
            .list_required_stock_items(list.clone())
            .await
            .refused(Code::PermissionDenied);
        h.required_stock(who::survey())
            .list_station_compliance(pb::ListStationComplianceRequest::default())
            .await
            .refused(Code::PermissionDenied);

        // s1 is d1's, in the north: others do not learn it exists.
        for (who, code) in [
            (who::oem(), Code::Ok),
            (who::region("north"), Code::Ok),
            (who::dealer("d1"), Code::Ok),
            (who::dms("d1"), Code::Ok),
            (who::dealer("d2"), Code::NotFound),
            (who::dms("d2"), Code::NotFound),
            (who::region("south"), Code::NotFound),
            (who::survey(), Code::NotFound),
        ] {
            let got = h
                .required_stock(who.clone())
                .get_station_compliance(compliance_of("s1-wh"))
                .await
                .map_or_else(|s| s.code(), |_| Code::Ok);
            assert_eq!(got, code, "{who:?}");
        }

        let forger = h.required_stock_forger();
        forger
            .clone()
            .list_required_stock_items(list)
            .await
            .refused(Code::Unauthenticated);
        forger
            .clone()
            .get_station_compliance(compliance_of("s1-wh"))
            .await
            .refused(Code::Unauthenticated);
        forger
            .clone()
            .set_required_stock_item(set(pb::StationClass::Service, "P-1", 1))
            .await
            .refused(Code::Unauthenticated);
    }
);

both!(bad_input_names_its_field, |h: Harness| async move {
    let oem = service_list(&h).await;
    let bad_set = |req: pb::SetRequiredStockItemRequest| {
        let oem = oem.clone();
        async move { oem.clone().set_required_stock_item(req).await.bad_field() }
    };
    assert_eq!(
        bad_set(set(pb::StationClass::Unspecified, "P-1", 1)).await,
        "item.station_class"
    );
    assert_eq!(
        bad_set(set(pb::StationClass::Service, "P-1", 0)).await,
        "item.quantity"
    );
    assert_eq!(
        bad_set(set(pb::StationClass::Service, "P-1", -3)).await,
        "item.quantity"
    );
    assert_eq!(
        bad_set(set(pb::StationClass::Service, "NO-SUCH", 1)).await,
        "item.part_number"
    );
    assert_eq!(
        bad_set(set(pb::StationClass::Service, "lower", 1)).await,
        "item.part_number"
    );
    assert_eq!(
        bad_set(pb::SetRequiredStockItemRequest {
            item: None,
            request_id: rid(),
        })
        .await,
        "item"
    );
    // A warehouse that serves no station has no list to meet.
    assert_eq!(
        oem.clone()
            .get_station_compliance(compliance_of("d1-wh"))
            .await
            .bad_field(),
        "warehouse_id"
    );
    assert_eq!(
        oem.clone()
            .list_required_stock_items(pb::ListRequiredStockItemsRequest::default())
            .await
            .bad_field(),
        "station_class"
    );
    // Nothing was stored by the refused calls.
    let items = oem
        .clone()
        .list_required_stock_items(pb::ListRequiredStockItemsRequest {
            station_class: pb::StationClass::Service as i32,
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        items
            .items
            .iter()
            .map(|i| (i.part_number.as_str(), i.quantity))
            .collect::<Vec<_>>(),
        [("P-1", 4), ("P-2", 2)]
    );

    // A station warehouse names its class, and only a station warehouse.
    let stock = h.stock(who::oem());
    let mut unclassed = warehouse(
        "s5-wh",
        pb::WarehouseKind::Dealer,
        "north",
        "d1",
        "north-wh",
        1,
    );
    unclassed.station_id = "s5".into();
    let mut classed = warehouse(
        "x-wh",
        pb::WarehouseKind::Dealer,
        "north",
        "d1",
        "north-wh",
        1,
    );
    classed.station_class = pb::StationClass::Full as i32;
    for w in [unclassed, classed] {
        assert_eq!(
            stock
                .clone()
                .create_warehouse(pb::CreateWarehouseRequest {
                    warehouse: Some(w),
                    request_id: rid(),
                })
                .await
                .bad_field(),
            "warehouse.station_class"
        );
    }
});
