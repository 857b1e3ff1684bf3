//! Every malformed field is INVALID_ARGUMENT naming it, and nothing is
//! stored.

use aftercare_proto::common::v1::Period;
use prost_types::{Duration, Timestamp};
use time::macros::datetime;

use super::harness::*;
use crate::fixture::*;

fn valid() -> pb::ServiceStandard {
    let first = version(datetime!(2026-03-01 0:00 UTC), 15, 9000, false, &["s1"]);
    standard(
        "RO-OPEN-15",
        pb::StandardMoment::Arrival,
        pb::StandardMoment::Opened,
        first,
    )
}

/// `valid()` with a change to it or to its first version.
fn with(change: impl FnOnce(&mut pb::ServiceStandard)) -> pb::ServiceStandard {
    let mut s = valid();
    change(&mut s);
    s
}

fn first(change: impl FnOnce(&mut pb::StandardVersion)) -> pb::ServiceStandard {
    with(|s| change(s.first_version.as_mut().expect("first version")))
}

fn threshold(seconds: i64, nanos: i32) -> Option<Duration> {
    Some(Duration { seconds, nanos })
}

both!(
    a_bad_standard_names_its_field,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        s.set_clock(datetime!(2026-02-20 9:00 UTC));
        let oem = &mut s.oem();
        let cases: Vec<(pb::ServiceStandard, &str)> = vec![
            (with(|s| s.code = "ro-open".into()), "standard.code"),
            (with(|s| s.code = String::new()), "standard.code"),
            (
                with(|s| s.display_name = " ".into()),
                "standard.display_name",
            ),
            (
                with(|s| s.description = "a\u{1b}b".into()),
                "standard.description",
            ),
            (with(|s| s.from_moment = 0), "standard.from_moment"),
            (with(|s| s.from_moment = 99), "standard.from_moment"),
            (with(|s| s.to_moment = s.from_moment), "standard.to_moment"),
            (with(|s| s.order_types = vec![0]), "standard.order_types[0]"),
            (
                with(|s| s.order_types = vec![1, 2, 1]),
                "standard.order_types[2]",
            ),
            (with(|s| s.first_version = None), "standard.first_version"),
            (
                first(|v| v.effective_time = None),
                "standard.first_version.effective_time",
            ),
            (
                first(|v| {
                    v.effective_time = Some(Timestamp {
                        seconds: 0,
                        nanos: -1,
                    })
                }),
                "standard.first_version.effective_time",
            ),
            (
                first(|v| {
                    v.effective_time = Some(Timestamp {
                        seconds: -86_400,
                        nanos: 0,
                    })
                }),
                "standard.first_version.effective_time",
            ),
            (
                first(|v| v.threshold = None),
                "standard.first_version.threshold",
            ),
            (
                first(|v| v.threshold = threshold(-60, 0)),
                "standard.first_version.threshold",
            ),
            (
                first(|v| v.threshold = threshold(367 * 86_400, 0)),
                "standard.first_version.threshold",
            ),
            (
                first(|v| v.threshold = threshold(60, 5)),
                "standard.first_version.threshold",
            ),
            (
                first(|v| v.target_basis_points = 0),
                "standard.first_version.target_basis_points",
            ),
            (
                first(|v| v.target_basis_points = 10_001),
                "standard.first_version.target_basis_points",
            ),
            (
                first(|v| v.pilot_station_ids = vec!["S1".into()]),
                "standard.first_version.pilot_station_ids[0]",
            ),
            (
                first(|v| v.pilot_station_ids = vec![String::new()]),
                "standard.first_version.pilot_station_ids[0]",
            ),
            (
                first(|v| v.pilot_station_ids = vec!["s1".into(), "s2".into(), "s1".into()]),
                "standard.first_version.pilot_station_ids[2]",
            ),
        ];
        for (standard, field) in cases {
            let got = oem
                .create_service_standard(create(standard))
                .await
                .bad_field();
            assert_eq!(got, field);
        }
        let missing = pb::CreateServiceStandardRequest {
            standard: None,
            request_id: rid(),
        };
        assert_eq!(
            oem.create_service_standard(missing).await.bad_field(),
            "standard"
        );
        let long_id = pb::CreateServiceStandardRequest {
            request_id: "x".repeat(129),
            ..create(valid())
        };
        assert_eq!(
            oem.create_service_standard(long_id).await.bad_field(),
            "request_id"
        );
        let none = oem
            .list_service_standards(pb::ListServiceStandardsRequest::default())
            .await
            .answer();
        assert!(none.service_standards.is_empty(), "nothing was stored");
    }
);

both!(
    a_bad_version_or_read_names_its_field,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        s.set_clock(datetime!(2026-02-20 9:00 UTC));
        let oem = &mut s.oem();
        oem.create_service_standard(create(valid())).await.answer();
        let later = || version(datetime!(2026-04-01 0:00 UTC), 10, 9000, false, &[]);
        let cases = vec![
            (add("", later()), "standard_code"),
            (add("ro-open-15", later()), "standard_code"),
            (
                pb::AddStandardVersionRequest {
                    version: None,
                    ..add("RO-OPEN-15", later())
                },
                "version",
            ),
            (
                add(
                    "RO-OPEN-15",
                    pb::StandardVersion {
                        threshold: None,
                        ..later()
                    },
                ),
                "version.threshold",
            ),
            (
                add(
                    "RO-OPEN-15",
                    pb::StandardVersion {
                        target_basis_points: 20_000,
                        ..later()
                    },
                ),
                "version.target_basis_points",
            ),
            (
                add(
                    "RO-OPEN-15",
                    version(
                        datetime!(2026-04-01 0:00 UTC),
                        10,
                        9000,
                        false,
                        &["s1", "s1"],
                    ),
                ),
                "version.pilot_station_ids[1]",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(oem.add_standard_version(request).await.bad_field(), field);
        }

        let get = pb::GetServiceStandardRequest {
            code: "open".into(),
        };
        assert_eq!(oem.get_service_standard(get).await.bad_field(), "code");
        let list = |page_size, page_token: &str| pb::ListServiceStandardsRequest {
            page_size,
            page_token: page_token.into(),
        };
        assert_eq!(
            oem.list_service_standards(list(-1, "")).await.bad_field(),
            "page_size"
        );
        assert_eq!(
            oem.list_service_standards(list(0, "nope"))
                .await
                .bad_field(),
            "page_token"
        );

        let period = |kind, year, number| Some(Period { kind, year, number });
        let reads = vec![
            (
                pb::GetStandardComplianceRequest {
                    period: None,
                    ..compliance("", None)
                },
                "period",
            ),
            (
                pb::GetStandardComplianceRequest {
                    period: period(1, 2026, 13),
                    ..compliance("", None)
                },
                "period",
            ),
            (
                pb::GetStandardComplianceRequest {
                    period: period(0, 2026, 3),
                    ..compliance("", None)
                },
                "period",
            ),
            (compliance("open", None), "standard_code"),
            (
                compliance("", Some(In::StationId(String::new()))),
                "station_id",
            ),
            (compliance("", Some(In::DealerId("D1".into()))), "dealer_id"),
            (
                compliance("", Some(In::RegionId("-north".into()))),
                "region_id",
            ),
        ];
        for (request, field) in reads {
            assert_eq!(
                oem.get_standard_compliance(request).await.bad_field(),
                field
            );
        }
        let got = oem
            .get_service_standard(pb::GetServiceStandardRequest {
                code: "RO-OPEN-15".into(),
            })
            .await
            .answer();
        assert_eq!(got.versions.len(), 1, "no version was added");
    }
);
