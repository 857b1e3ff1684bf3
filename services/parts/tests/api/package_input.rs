//! Every maintenance package method refuses bad input with INVALID_ARGUMENT
//! naming the field, down to the item of a list; an operation or part the
//! catalogue does not hold is bad input too, since the request names it.

use crate::{fixture::*, labour_fixture::*};

/// A change that spoils one field of a valid request.
type Spoil<T> = Box<dyn Fn(&mut T)>;

fn interval(months: i32, kilometres: i32) -> Option<pb::ServiceInterval> {
    Some(pb::ServiceInterval { months, kilometres })
}

fn part_line(part_number: &str, quantity: i64) -> pb::PackagePart {
    pb::PackagePart {
        part_number: part_number.into(),
        quantity,
    }
}

/// The bad package fields every create and update checks alike.
fn contents_cases() -> Vec<(&'static str, Spoil<pb::MaintenancePackage>)> {
    vec![
        (
            "maintenance_package.display_name",
            Box::new(|p| p.display_name = "".into()),
        ),
        (
            "maintenance_package.operations",
            Box::new(|p| p.operations = vec![]),
        ),
        (
            "maintenance_package.operations[1].operation_code",
            Box::new(|p| p.operations = operations(&["OIL-CHANGE", "oil"])),
        ),
        (
            "maintenance_package.operations[2].operation_code",
            Box::new(|p| p.operations = operations(&["OIL-CHANGE", "INSPECT", "OIL-CHANGE"])),
        ),
        (
            "maintenance_package.operations[1].operation_code",
            Box::new(|p| p.operations = operations(&["INSPECT", "NO-SUCH-OP"])),
        ),
        (
            "maintenance_package.parts[1].quantity",
            Box::new(|p| p.parts[1].quantity = 0),
        ),
        (
            "maintenance_package.parts[0].quantity",
            Box::new(|p| p.parts[0].quantity = 1_000_001),
        ),
        (
            "maintenance_package.parts[0].part_number",
            Box::new(|p| p.parts[0].part_number = "".into()),
        ),
        (
            "maintenance_package.parts[2].part_number",
            Box::new(|p| p.parts.push(part_line("OF-1", 2))),
        ),
        (
            "maintenance_package.parts[1].part_number",
            Box::new(|p| p.parts[1].part_number = "NO-SUCH-PART".into()),
        ),
        (
            "maintenance_package.parts",
            Box::new(|p| p.parts = (0..101).map(|n| part_line(&format!("P-{n}"), 1)).collect()),
        ),
    ]
}

both!(create_names_the_field, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    let mut cases: Vec<(&str, Spoil<pb::MaintenancePackage>)> = vec![
        (
            "maintenance_package.package_id",
            Box::new(|p| p.package_id = "".into()),
        ),
        (
            "maintenance_package.package_id",
            Box::new(|p| p.package_id = "city 12".into()),
        ),
        (
            "maintenance_package.model_code",
            Box::new(|p| p.model_code = "".into()),
        ),
        (
            "maintenance_package.model_code",
            Box::new(|p| p.model_code = "city-e".into()),
        ),
        (
            "maintenance_package.interval",
            Box::new(|p| p.interval = None),
        ),
        (
            "maintenance_package.interval",
            Box::new(|p| p.interval = interval(0, 0)),
        ),
        (
            "maintenance_package.interval.months",
            Box::new(|p| p.interval = interval(-1, 10)),
        ),
        (
            "maintenance_package.interval.months",
            Box::new(|p| p.interval = interval(241, 0)),
        ),
        (
            "maintenance_package.interval.kilometres",
            Box::new(|p| p.interval = interval(12, -1)),
        ),
        ("maintenance_package.price", Box::new(|p| p.price = None)),
        ("maintenance_package.price", Box::new(|p| p.price = eur(-1))),
        (
            "maintenance_package.price.currency_code",
            Box::new(|p| {
                p.price = Some(Money {
                    currency_code: "".into(),
                    minor_units: 1,
                })
            }),
        ),
    ];
    cases.extend(contents_cases());
    for (field, spoil) in cases {
        let mut p = city_12("CITY-E-12M");
        spoil(&mut p);
        assert_eq!(
            c.create_maintenance_package(create_pkg(p))
                .await
                .bad_field(),
            field
        );
    }
    let none = pb::CreateMaintenancePackageRequest {
        maintenance_package: None,
        request_id: rid(),
    };
    assert_eq!(
        c.create_maintenance_package(none).await.bad_field(),
        "maintenance_package"
    );
    let mut bad_id = create_pkg(city_12("CITY-E-12M"));
    bad_id.request_id = "é".into();
    assert_eq!(
        c.create_maintenance_package(bad_id).await.bad_field(),
        "request_id"
    );
    c.get_maintenance_package(get_pkg("CITY-E-12M"))
        .await
        .refused(Code::NotFound);
});

both!(update_names_the_field, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    let created = create_package(c, city_12("CITY-E-12M")).await;
    for (field, spoil) in contents_cases() {
        let mut p = city_12("CITY-E-12M");
        spoil(&mut p);
        let request = update_pkg(p, &["display_name", "operations", "parts"]);
        assert_eq!(
            c.update_maintenance_package(request).await.bad_field(),
            field
        );
    }
    let cases: Vec<(&str, pb::UpdateMaintenancePackageRequest)> = vec![
        (
            "maintenance_package",
            pb::UpdateMaintenancePackageRequest {
                maintenance_package: None,
                update_mask: None,
                request_id: rid(),
            },
        ),
        (
            "maintenance_package.package_id",
            update_pkg(city_12("bad"), &["display_name"]),
        ),
        (
            "maintenance_package.etag",
            update_pkg(
                pb::MaintenancePackage {
                    etag: "-1".into(),
                    ..city_12("CITY-E-12M")
                },
                &["display_name"],
            ),
        ),
        (
            "update_mask",
            update_pkg(city_12("CITY-E-12M"), &["model_code"]),
        ),
        (
            "update_mask",
            update_pkg(city_12("CITY-E-12M"), &["interval"]),
        ),
        ("update_mask", update_pkg(city_12("CITY-E-12M"), &["price"])),
    ];
    for (field, request) in cases {
        assert_eq!(
            c.update_maintenance_package(request).await.bad_field(),
            field
        );
    }
    assert_eq!(
        c.get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer(),
        created
    );
});

both!(reads_and_prices_name_the_field, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    create_package(c, city_12("CITY-E-12M")).await;
    assert_eq!(
        c.get_maintenance_package(get_pkg("")).await.bad_field(),
        "package_id"
    );
    assert_eq!(
        c.list_maintenance_packages(list_pkgs("city", 0, ""))
            .await
            .bad_field(),
        "model_code"
    );
    assert_eq!(
        c.list_maintenance_packages(list_pkgs("", -1, ""))
            .await
            .bad_field(),
        "page_size"
    );
    assert_eq!(
        c.list_maintenance_packages(list_pkgs("", 0, "x"))
            .await
            .bad_field(),
        "page_token"
    );
    assert_eq!(
        c.get_package_price(pkg_price_at("a b", None))
            .await
            .bad_field(),
        "package_id"
    );
    let mut request = pkg_price_at("CITY-E-12M", None);
    request.at_time = Some(Timestamp {
        seconds: -62_135_596_801,
        nanos: 0,
    });
    assert_eq!(c.get_package_price(request).await.bad_field(), "at_time");

    let t = now_seconds() + 60;
    let cases: Vec<(&str, Spoil<pb::SchedulePackagePriceChangeRequest>)> = vec![
        ("package_id", Box::new(|r| r.package_id = "".into())),
        ("effective_time", Box::new(|r| r.effective_time = None)),
        ("price", Box::new(|r| r.price = None)),
        ("price", Box::new(|r| r.price = eur(-100))),
        (
            "price.currency_code",
            Box::new(|r| {
                r.price = Some(Money {
                    currency_code: "E".into(),
                    minor_units: 1,
                })
            }),
        ),
        ("request_id", Box::new(|r| r.request_id = "x".repeat(129))),
    ];
    for (field, spoil) in cases {
        let mut request = schedule_pkg("CITY-E-12M", t, 5000);
        spoil(&mut request);
        assert_eq!(
            c.schedule_package_price_change(request).await.bad_field(),
            field
        );
    }
    let price = c
        .get_package_price(pkg_price_at("CITY-E-12M", Some(t)))
        .await
        .answer();
    assert_eq!(price.price, eur(19900), "nothing was scheduled");
});
