//! The rates: set by head office from an effective time (or day), listed
//! newest first, read by those who see the station.

use aftercare_proto::costs::v1 as pb;
use aftercare_test_support::{Outcome, once};
use time::{Month, OffsetDateTime, macros::datetime};
use tonic::Code;

use super::*;
use crate::{
    ro_fixture::*,
    support::{Harness, who},
};

const JUN_1: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

fn labour(station: &str, from: OffsetDateTime, hourly: i64) -> pb::SetLabourCostRateRequest {
    pb::SetLabourCostRateRequest {
        rate: Some(pb::LabourCostRate {
            station_id: station.into(),
            effective_time: ts(from),
            hourly_cost: eur(hourly),
            create_time: None,
        }),
        request_id: rid(),
    }
}

fn list_labour(station: &str, page_size: i32, token: &str) -> pb::ListLabourCostRatesRequest {
    pb::ListLabourCostRatesRequest {
        station_id: station.into(),
        page_size,
        page_token: token.into(),
    }
}

fn warranty_labour(from: OffsetDateTime, hourly: i64) -> pb::SetWarrantyLabourRateRequest {
    pb::SetWarrantyLabourRateRequest {
        rate: Some(pb::WarrantyLabourRate {
            effective_time: ts(from),
            hourly_rate: eur(hourly),
            create_time: None,
        }),
        request_id: rid(),
    }
}

fn terms(model: &str, from: (i32, Month, u8), months: i32, km: i64) -> pb::SetWarrantyTermsRequest {
    pb::SetWarrantyTermsRequest {
        terms: Some(pb::WarrantyTerms {
            model: model.into(),
            effective_date: date(from.0, from.1, from.2),
            months,
            kilometres: km,
            create_time: None,
        }),
        request_id: rid(),
    }
}

fn list_terms(model: &str, page_size: i32, token: &str) -> pb::ListWarrantyTermsRequest {
    pb::ListWarrantyTermsRequest {
        model: model.into(),
        page_size,
        page_token: token.into(),
    }
}

/// (effective time, hourly cost) of a page of rates.
fn rates_of(page: &pb::ListLabourCostRatesResponse) -> Vec<(Option<prost_types::Timestamp>, i64)> {
    page.rates
        .iter()
        .map(|r| (r.effective_time, units(&r.hourly_cost)))
        .collect()
}

async fn three_rates_of_s1(h: &Harness) {
    network(h).await;
    for (from, hourly) in [(JAN_1, 3_000), (MAR_1, 3_333), (JUN_1, 3_500)] {
        rate(h, "s1", from, hourly).await;
    }
    rate(h, "", JAN_1, 2_500).await;
}

both!(
    labour_cost_rates_are_listed_newest_first_in_pages,
    |h: support::Harness| async move {
        three_rates_of_s1(&h).await;
        let mut c = h.rates(who::oem());
        let first = c
            .list_labour_cost_rates(list_labour("s1", 2, ""))
            .await
            .answer();
        assert_eq!(rates_of(&first), [(ts(JUN_1), 3_500), (ts(MAR_1), 3_333)]);
        let rest = c
            .list_labour_cost_rates(list_labour("s1", 2, &first.next_page_token))
            .await
            .answer();
        assert_eq!(rates_of(&rest), [(ts(JAN_1), 3_000)]);
        assert!(rest.next_page_token.is_empty());
        let default = c
            .list_labour_cost_rates(list_labour("", 0, ""))
            .await
            .answer();
        assert_eq!(rates_of(&default), [(ts(JAN_1), 2_500)]);
        assert!(default.rates[0].station_id.is_empty());
        // The token is bound to its station.
        assert_eq!(
            c.list_labour_cost_rates(list_labour("s2", 2, &first.next_page_token))
                .await
                .bad_field(),
            "page_token"
        );
    }
);

both!(
    a_rate_is_stamped_with_the_services_time,
    |h: support::Harness| async move {
        network(&h).await;
        let now = datetime!(2026-02-03 04:05:06 UTC);
        h.set_clock(now);
        let set = h
            .rates(who::oem())
            .set_labour_cost_rate(labour("s1", JAN_1, 3_000))
            .await
            .answer();
        assert_eq!((set.create_time, set.effective_time), (ts(now), ts(JAN_1)));
        assert_eq!(set.station_id, "s1");
    }
);

both!(
    a_rate_of_a_station_the_network_does_not_have_is_not_found,
    |h: support::Harness| async move {
        network(&h).await;
        let code = h
            .rates(who::oem())
            .set_labour_cost_rate(labour("s9", JAN_1, 3_000))
            .await
            .code();
        assert_eq!(code, Code::NotFound);
    }
);

both!(
    rates_are_set_once_per_request_id_and_once_per_effective_time,
    |h: support::Harness| async move {
        network(&h).await;
        let c = h.rates(who::oem());
        let request = labour("s1", JAN_1, 3_000);
        once(true, &c, request.clone(), |mut c, r| async move {
            c.set_labour_cost_rate(r).await
        })
        .await;
        let mut reused = request.clone();
        reused.rate.as_mut().unwrap().hourly_cost = eur(3_100);
        assert_eq!(
            c.clone().set_labour_cost_rate(reused).await.bad_field(),
            "request_id"
        );
        let taken = c
            .clone()
            .set_labour_cost_rate(labour("s1", JAN_1, 3_100))
            .await
            .code();
        assert_eq!(taken, Code::AlreadyExists);

        let request = warranty_labour(JAN_1, 6_000);
        once(false, &c, request, |mut c, r| async move {
            c.set_warranty_labour_rate(r).await
        })
        .await;
        let taken = c
            .clone()
            .set_warranty_labour_rate(warranty_labour(JAN_1, 6_500))
            .await
            .code();
        assert_eq!(taken, Code::AlreadyExists);

        let request = terms("VAN-E1", (2024, Month::January, 1), 36, 100_000);
        once(false, &c, request, |mut c, r| async move {
            c.set_warranty_terms(r).await
        })
        .await;
        let taken = c
            .clone()
            .set_warranty_terms(terms("VAN-E1", (2024, Month::January, 1), 48, 100_000))
            .await
            .code();
        assert_eq!(taken, Code::AlreadyExists);
    }
);

both!(
    warranty_labour_rates_and_terms_are_listed_newest_first,
    |h: support::Harness| async move {
        let mut c = h.rates(who::oem());
        for (from, hourly) in [(JAN_1, 6_000), (JUN_1, 6_300)] {
            c.set_warranty_labour_rate(warranty_labour(from, hourly))
                .await
                .answer();
        }
        let rates = c
            .list_warranty_labour_rates(pb::ListWarrantyLabourRatesRequest::default())
            .await
            .answer();
        let got: Vec<_> = rates
            .rates
            .iter()
            .map(|r| (r.effective_time, units(&r.hourly_rate)))
            .collect();
        assert_eq!(got, [(ts(JUN_1), 6_300), (ts(JAN_1), 6_000)]);

        for request in [
            terms("VAN-E1", (2024, Month::January, 1), 36, 100_000),
            terms("VAN-E1", (2026, Month::January, 1), 48, 150_000),
            terms("CITY-E", (2025, Month::January, 1), 24, 50_000),
        ] {
            c.set_warranty_terms(request).await.answer();
        }
        // Page by page, one at a time: by model, newest first.
        let mut seen = vec![];
        let mut token = String::new();
        loop {
            let page = c
                .list_warranty_terms(list_terms("", 1, &token))
                .await
                .answer();
            seen.extend(
                page.terms
                    .iter()
                    .map(|t| (t.model.clone(), t.effective_date.unwrap().year, t.months)),
            );
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        let expected = [
            ("CITY-E", 2025, 24),
            ("VAN-E1", 2026, 48),
            ("VAN-E1", 2024, 36),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(m, y, n)| ((*m).to_owned(), *y, *n))
            .collect();
        assert_eq!(seen, expected);
        let van = c
            .list_warranty_terms(list_terms("VAN-E1", 0, ""))
            .await
            .answer();
        assert_eq!(van.terms.len(), 2);
        assert_eq!(van.terms[0].kilometres, 150_000);
    }
);

both!(
    only_head_office_sets_rates_and_a_dealer_reads_its_own_stations,
    |h: support::Harness| async move {
        three_rates_of_s1(&h).await;
        for principal in [who::dealer("d1"), who::dms("d1"), who::region("r1")] {
            let mut c = h.rates(principal.clone());
            let codes = [
                c.set_labour_cost_rate(labour("s1", JUN_1, 1)).await.code(),
                c.set_warranty_labour_rate(warranty_labour(JUN_1, 1))
                    .await
                    .code(),
                c.set_warranty_terms(terms("VAN-E1", (2027, Month::May, 1), 12, 1))
                    .await
                    .code(),
            ];
            assert_eq!(codes, [Code::PermissionDenied; 3], "{principal:?}");
        }
        let reads = async |principal: aftercare_auth::Principal| {
            let mut c = h.rates(principal);
            c.list_labour_cost_rates(list_labour("s1", 0, ""))
                .await
                .code()
        };
        assert_eq!(reads(who::dealer("d1")).await, Code::Ok);
        assert_eq!(reads(who::region("r1")).await, Code::Ok);
        assert_eq!(reads(who::dealer("d2")).await, Code::NotFound);
        assert_eq!(reads(who::dms("d3")).await, Code::NotFound);
        assert_eq!(reads(who::region("r2")).await, Code::NotFound);
        assert_eq!(reads(who::station_staff("d1", "s2")).await, Code::NotFound);
        // The default, the warranty rate and terms are every member's.
        let mut d2 = h.rates(who::dealer("d2"));
        d2.list_labour_cost_rates(list_labour("", 0, ""))
            .await
            .answer();
        d2.list_warranty_labour_rates(pb::ListWarrantyLabourRatesRequest::default())
            .await
            .answer();
        d2.list_warranty_terms(list_terms("", 0, "")).await.answer();
        let mut link = h.rates(who::survey());
        assert_eq!(
            link.list_warranty_terms(list_terms("", 0, "")).await.code(),
            Code::PermissionDenied
        );
    }
);

both!(
    bad_rates_name_their_field_on_every_rpc,
    |h: support::Harness| async move {
        let mut c = h.rates(who::oem());
        let set_labour = |f: fn(&mut pb::LabourCostRate)| {
            let mut r = labour("s1", JAN_1, 3_000);
            f(r.rate.as_mut().unwrap());
            r
        };
        for (request, field) in [
            (
                pb::SetLabourCostRateRequest {
                    rate: None,
                    request_id: rid(),
                },
                "rate",
            ),
            (
                set_labour(|r| r.station_id = "S 1".into()),
                "rate.station_id",
            ),
            (
                set_labour(|r| r.effective_time = None),
                "rate.effective_time",
            ),
            (
                set_labour(|r| r.hourly_cost = eur(-1)),
                "rate.hourly_cost.minor_units",
            ),
            (set_labour(|r| r.hourly_cost = None), "rate.hourly_cost"),
            (
                set_labour(|r| r.hourly_cost.as_mut().unwrap().currency_code = "USD".into()),
                "rate.hourly_cost.currency_code",
            ),
        ] {
            assert_eq!(c.set_labour_cost_rate(request).await.bad_field(), field);
        }
        assert_eq!(
            c.list_labour_cost_rates(list_labour("S 1", 0, ""))
                .await
                .bad_field(),
            "station_id"
        );
        assert_eq!(
            c.list_labour_cost_rates(list_labour("", -1, ""))
                .await
                .bad_field(),
            "page_size"
        );
        let mut negative = warranty_labour(JAN_1, -1);
        assert_eq!(
            c.set_warranty_labour_rate(negative.clone())
                .await
                .bad_field(),
            "rate.hourly_rate.minor_units"
        );
        negative.rate.as_mut().unwrap().effective_time = None;
        negative.rate.as_mut().unwrap().hourly_rate = eur(1);
        assert_eq!(
            c.set_warranty_labour_rate(negative).await.bad_field(),
            "rate.effective_time"
        );
        let junk = pb::ListWarrantyLabourRatesRequest {
            page_size: 0,
            page_token: "junk".into(),
        };
        assert_eq!(
            c.list_warranty_labour_rates(junk).await.bad_field(),
            "page_token"
        );
        let set_terms = |f: fn(&mut pb::WarrantyTerms)| {
            let mut r = terms("VAN-E1", (2024, Month::January, 1), 36, 100_000);
            f(r.terms.as_mut().unwrap());
            r
        };
        for (request, field) in [
            (set_terms(|t| t.model = "van e1".into()), "terms.model"),
            (
                set_terms(|t| t.effective_date = None),
                "terms.effective_date",
            ),
            (
                set_terms(|t| {
                    t.effective_date = date(2026, Month::February, 1).map(|mut d| {
                        d.day = 30;
                        d
                    })
                }),
                "terms.effective_date",
            ),
            (set_terms(|t| t.months = 0), "terms.months"),
            (set_terms(|t| t.months = 241), "terms.months"),
            (set_terms(|t| t.kilometres = 0), "terms.kilometres"),
            (
                pb::SetWarrantyTermsRequest {
                    terms: None,
                    request_id: rid(),
                },
                "terms",
            ),
        ] {
            assert_eq!(c.set_warranty_terms(request).await.bad_field(), field);
        }
        assert_eq!(
            c.list_warranty_terms(list_terms("van", 0, ""))
                .await
                .bad_field(),
            "model"
        );
    }
);
