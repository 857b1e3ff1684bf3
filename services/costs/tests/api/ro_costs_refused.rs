//! Repair-order costs refused: an event from anyone but the RO's dealer's
//! relay, another dealer's or region's figures (NOT_FOUND, as if they did
//! not exist), and bad input naming its field, on every RPC.

use aftercare_proto::costs::v1 as pb;
use aftercare_test_support::Outcome;
use tonic::Code;

use super::*;
use crate::{
    ro_costs::{flat_prices, four_ros, get, summary_of},
    ro_fixture::*,
    support::who,
};

both!(
    only_the_dealers_relay_of_the_ros_dealer_tells_of_a_delivery,
    |h: support::Harness| async move {
        flat_prices(&h).await;
        let ro = Ro::new("ro-1", FEB_10);
        for caller in [
            who::dealers_relay("d2"),
            who::dms("d1"),
            who::dealer("d1"),
            who::oem(),
            who::region("r1"),
        ] {
            let code = h
                .events(caller.clone())
                .receive_repair_order_delivered(ro.request("ev-1"))
                .await
                .code();
            assert_eq!(code, Code::PermissionDenied, "{caller:?}");
        }
    }
);

both!(
    another_dealers_or_regions_costs_are_not_found_on_every_rpc,
    |h: support::Harness| async move {
        use pb::ScopeLevel::*;
        four_ros(&h).await;
        let refused = async |principal: aftercare_auth::Principal, code: Code| {
            let mut c = h.ro_costs(principal.clone());
            assert_eq!(
                c.get_repair_order_cost(get("x1")).await.code(),
                code,
                "{principal:?}"
            );
            let list = pb::ListRepairOrderCostsRequest {
                scope: scope(Dealer, "d1"),
                ..Default::default()
            };
            assert_eq!(c.list_repair_order_costs(list).await.code(), code);
            let summary = summary_of(Dealer, "d1", month(2026, 3));
            assert_eq!(c.get_cost_summary(summary).await.code(), code);
            let station = summary_of(Station, "s1", month(2026, 3));
            assert_eq!(c.get_cost_summary(station).await.code(), code);
            let pq = pb::GetPoorQualityCostRequest {
                dealer_id: "d1".into(),
                period: month(2026, 3),
            };
            assert_eq!(c.get_poor_quality_cost(pq).await.code(), code);
        };
        refused(who::dealer("d2"), Code::NotFound).await;
        refused(who::dms("d3"), Code::NotFound).await;
        refused(who::region("r2"), Code::NotFound).await;

        // Staff of station s2 see neither s1's RO nor s1's figures.
        let mut s2 = h.ro_costs(who::station_staff("d1", "s2"));
        assert_eq!(
            s2.get_repair_order_cost(get("x1")).await.code(),
            Code::NotFound
        );
        let station = summary_of(Station, "s1", month(2026, 3));
        assert_eq!(s2.get_cost_summary(station).await.code(), Code::NotFound);
        // The network is head office's, a region its manager's.
        let mut d1 = h.ro_costs(who::dealer("d1"));
        let network = summary_of(Network, "", year(2026));
        assert_eq!(d1.get_cost_summary(network).await.code(), Code::NotFound);
        let region = summary_of(Region, "r1", year(2026));
        assert_eq!(
            d1.get_cost_summary(region.clone()).await.code(),
            Code::NotFound
        );
        let mut r2 = h.ro_costs(who::region("r2"));
        assert_eq!(r2.get_cost_summary(region).await.code(), Code::NotFound);
        // A survey link reads nothing.
        let mut link = h.ro_costs(who::survey());
        let list = pb::ListRepairOrderCostsRequest::default();
        assert_eq!(
            link.list_repair_order_costs(list).await.code(),
            Code::PermissionDenied
        );
    }
);

both!(
    bad_input_names_its_field_on_every_rpc,
    |h: support::Harness| async move {
        use pb::ScopeLevel::*;
        let mut relay = h.events(who::dealers_relay("d1"));
        let no_event = pb::ReceiveRepairOrderDeliveredRequest {
            event: None,
            request_id: "ev-1".into(),
        };
        assert_eq!(
            relay
                .receive_repair_order_delivered(no_event)
                .await
                .bad_field(),
            "event"
        );
        let mut dollars = Ro::new("ro-1", FEB_10).request("ev-1");
        let ro = dollars
            .event
            .as_mut()
            .unwrap()
            .repair_order
            .as_mut()
            .unwrap();
        ro.final_bill.as_mut().unwrap().currency_code = "USD".into();
        assert_eq!(
            relay
                .receive_repair_order_delivered(dollars)
                .await
                .bad_field(),
            "event.repair_order.final_bill.currency_code"
        );
        let mut no_arrival = Ro::new("ro-1", FEB_10).request("ev-1");
        let ro = no_arrival
            .event
            .as_mut()
            .unwrap()
            .repair_order
            .as_mut()
            .unwrap();
        ro.arrival_time = None;
        assert_eq!(
            relay
                .receive_repair_order_delivered(no_arrival)
                .await
                .bad_field(),
            "event.repair_order.arrival_time"
        );

        let mut c = h.ro_costs(who::oem());
        assert_eq!(
            c.get_repair_order_cost(get("")).await.bad_field(),
            "repair_order_id"
        );
        let bad_list = |f: fn(&mut pb::ListRepairOrderCostsRequest)| {
            let mut r = pb::ListRepairOrderCostsRequest::default();
            f(&mut r);
            r
        };
        for (request, field) in [
            (bad_list(|r| r.page_size = -1), "page_size"),
            (bad_list(|r| r.page_token = "junk".into()), "page_token"),
            (
                bad_list(|r| r.scope = scope(Unspecified, "d1")),
                "scope.level",
            ),
            (bad_list(|r| r.scope = scope(Dealer, "D 1")), "scope.id"),
            (bad_list(|r| r.period = month(2026, 13)), "period"),
        ] {
            assert_eq!(c.list_repair_order_costs(request).await.bad_field(), field);
        }
        for (request, field) in [
            (summary_of(Dealer, "d1", None), "period"),
            (summary_of(Network, "x", year(2026)), "scope.id"),
            (
                pb::GetCostSummaryRequest {
                    scope: None,
                    period: year(2026),
                },
                "scope",
            ),
        ] {
            assert_eq!(c.get_cost_summary(request).await.bad_field(), field);
        }
        for (request, field) in [
            (
                pb::GetPoorQualityCostRequest {
                    dealer_id: String::new(),
                    period: year(2026),
                },
                "dealer_id",
            ),
            (
                pb::GetPoorQualityCostRequest {
                    dealer_id: "d1".into(),
                    period: None,
                },
                "period",
            ),
        ] {
            assert_eq!(c.get_poor_quality_cost(request).await.bad_field(), field);
        }
    }
);
