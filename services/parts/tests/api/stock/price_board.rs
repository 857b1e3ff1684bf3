//! The price board of a station: every part, labour operation and
//! maintenance package at the price in force, section by section.

use super::*;
use crate::{
    labour_fixture::{catalogue, city_12, create_package, schedule_op, schedule_pkg},
    support::PriceBoardClient,
};

fn board(station: &str, at_seconds: Option<i64>) -> pb::ListPriceBoardEntriesRequest {
    pb::ListPriceBoardEntriesRequest {
        station_id: station.into(),
        at_time: at_seconds.and_then(at),
        ..Default::default()
    }
}

/// The whole board, page after page of `page_size`.
async fn read_all(
    c: &PriceBoardClient,
    mut request: pb::ListPriceBoardEntriesRequest,
    page_size: i32,
) -> Vec<pb::PriceBoardEntry> {
    request.page_size = page_size;
    let mut entries = vec![];
    loop {
        let page = c
            .clone()
            .list_price_board_entries(request.clone())
            .await
            .answer();
        entries.extend(page.entries);
        if page.next_page_token.is_empty() {
            return entries;
        }
        request.page_token = page.next_page_token;
    }
}

fn lines(entries: &[pb::PriceBoardEntry]) -> Vec<(&str, i64)> {
    entries
        .iter()
        .map(|e| (e.code.as_str(), e.price.as_ref().unwrap().minor_units))
        .collect()
}

/// The network with its stations, two more parts, two labour operations
/// and the package CITY-E-12M.
async fn priced_network(h: &Harness) {
    network(h).await;
    stations(h).await;
    let mut labour = catalogue(h).await;
    create_package(&mut labour, city_12("CITY-E-12M")).await;
}

both!(
    the_board_shows_every_section_at_its_price,
    |h: Harness| async move {
        priced_network(&h).await;
        let d1 = h.price_board(who::dealer("d1"));
        let page = d1
            .clone()
            .list_price_board_entries(board("s1", None))
            .await
            .answer();
        assert_eq!(page.dealer_id, "d1");
        assert!(page.at_time.is_some());
        assert_eq!(
            lines(&page.entries),
            [
                ("OF-1", 1000),
                ("OIL-5W30", 1000),
                ("P-1", 1000),
                ("P-2", 1000),
                ("INSPECT", 4500),
                ("OIL-CHANGE", 4500),
                ("CITY-E-12M", 19900),
            ]
        );
        use pb::{PriceBoardSection as S, price_board_entry::Details};
        let sections: Vec<_> = page.entries.iter().map(|e| e.section).collect();
        assert_eq!(
            sections,
            [
                S::Parts,
                S::Parts,
                S::Parts,
                S::Parts,
                S::LabourOperations,
                S::LabourOperations,
                S::MaintenancePackages
            ]
            .map(|s| s as i32)
        );
        let details = |code: &str| {
            page.entries
                .iter()
                .find(|e| e.code == code)
                .unwrap()
                .details
                .clone()
                .unwrap()
        };
        assert_eq!(
            details("P-1"),
            Details::Part(pb::PartDetails {
                unit: "EA".into(),
                superseded_by: String::new(),
            })
        );
        assert_eq!(
            details("OIL-CHANGE"),
            Details::LabourOperation(pb::LabourOperationDetails {
                standard_centihours: 50
            })
        );
        assert_eq!(
            details("CITY-E-12M"),
            Details::MaintenancePackage(pb::MaintenancePackageDetails {
                model_code: "CITY-E".into(),
                interval_months: 12,
                interval_km: 15_000,
            })
        );
    }
);

both!(
    the_board_at_a_time_shows_the_prices_then_in_force,
    |h: Harness| async move {
        priced_network(&h).await;
        let now = now_seconds();
        h.oem()
            .schedule_price_change(schedule("P-1", now + DAY, 1200, 700))
            .await
            .answer();
        h.labour(who::oem())
            .schedule_labour_price_change(schedule_op("OIL-CHANGE", now + DAY, 5000))
            .await
            .answer();
        h.labour(who::oem())
            .schedule_package_price_change(schedule_pkg("CITY-E-12M", now + DAY, 21_000))
            .await
            .answer();
        h.oem().update_part(supersede("P-1", "P-2")).await.answer();
        let c = h.price_board(who::region("north"));

        let today = read_all(&c, board("s1", None), 0).await;
        let tomorrow = read_all(&c, board("s1", Some(now + 2 * DAY)), 0).await;
        let price = |entries: &[pb::PriceBoardEntry], code: &str| {
            lines(entries)
                .into_iter()
                .find(|(c, _)| *c == code)
                .map(|(_, p)| p)
        };
        for (code, before, after) in [
            ("P-1", 1000, 1200),
            ("OIL-CHANGE", 4500, 5000),
            ("CITY-E-12M", 19_900, 21_000),
            ("P-2", 1000, 1000),
        ] {
            assert_eq!(price(&today, code), Some(before), "{code} today");
            assert_eq!(price(&tomorrow, code), Some(after), "{code} tomorrow");
        }
        let p1 = tomorrow.iter().find(|e| e.code == "P-1").unwrap();
        assert_eq!(p1.effective_time, at(now + DAY));
        // A replaced part keeps its price and names what replaces it.
        assert!(matches!(
            &p1.details,
            Some(pb::price_board_entry::Details::Part(d)) if d.superseded_by == "P-2"
        ));

        // Before anything was priced, the board is empty.
        let before = read_all(&c, board("s1", Some(now - DAY)), 0).await;
        assert!(before.is_empty(), "{before:?}");
    }
);

both!(
    pages_and_sections_give_the_same_board,
    |h: Harness| async move {
        priced_network(&h).await;
        let c = h.price_board(who::oem());
        let whole = read_all(&c, board("s1", None), 0).await;
        for page_size in [1, 2, 3, 7] {
            let paged = read_all(&c, board("s1", None), page_size).await;
            assert_eq!(lines(&paged), lines(&whole), "pages of {page_size}");
        }
        let labour = read_all(
            &c,
            pb::ListPriceBoardEntriesRequest {
                section: pb::PriceBoardSection::LabourOperations as i32,
                ..board("s1", None)
            },
            1,
        )
        .await;
        assert_eq!(lines(&labour), [("INSPECT", 4500), ("OIL-CHANGE", 4500)]);
    }
);

both!(
    a_station_board_is_read_by_those_who_see_the_station,
    |h: Harness| async move {
        priced_network(&h).await;
        for (who, station, code) in [
            (who::oem(), "s1", Code::Ok),
            (who::region("north"), "s1", Code::Ok),
            (who::dealer("d1"), "s1", Code::Ok),
            (who::dms("d1"), "s1", Code::Ok),
            (who::dealer("d2"), "s1", Code::NotFound),
            (who::dms("d2"), "s1", Code::NotFound),
            (who::region("south"), "s1", Code::NotFound),
            (who::survey(), "s1", Code::NotFound),
            (who::dealer("d2"), "s2", Code::Ok),
            // No warehouse serves s7: no board.
            (who::oem(), "s7", Code::NotFound),
        ] {
            let got = h
                .price_board(who.clone())
                .list_price_board_entries(board(station, None))
                .await
                .map_or_else(|s| s.code(), |_| Code::Ok);
            assert_eq!(got, code, "{who:?} on {station}");
        }
        h.price_board_forger()
            .list_price_board_entries(board("s1", None))
            .await
            .refused(Code::Unauthenticated);
    }
);

both!(
    bad_board_requests_name_their_field,
    |h: Harness| async move {
        priced_network(&h).await;
        let c = h.price_board(who::oem());
        let bad = |r: pb::ListPriceBoardEntriesRequest| {
            let c = c.clone();
            async move { c.clone().list_price_board_entries(r).await.bad_field() }
        };
        assert_eq!(bad(board("", None)).await, "station_id");
        assert_eq!(bad(board("Not An Id", None)).await, "station_id");
        assert_eq!(
            bad(pb::ListPriceBoardEntriesRequest {
                section: 9,
                ..board("s1", None)
            })
            .await,
            "section"
        );
        assert_eq!(
            bad(pb::ListPriceBoardEntriesRequest {
                page_token: "garbage".into(),
                ..board("s1", None)
            })
            .await,
            "page_token"
        );
        assert_eq!(
            bad(pb::ListPriceBoardEntriesRequest {
                page_size: -1,
                ..board("s1", None)
            })
            .await,
            "page_size"
        );
    }
);
