//! Every method refuses bad input with INVALID_ARGUMENT naming the field.

use crate::fixture::*;

/// A change that spoils one field of a valid request.
type Spoil<T> = Box<dyn Fn(&mut T)>;

both!(create_part_names_the_field, |h: Harness| async move {
    let c = &mut h.oem();
    let cases: Vec<(&str, Spoil<pb::Part>)> = vec![
        ("part.part_number", Box::new(|p| p.part_number = "".into())),
        (
            "part.part_number",
            Box::new(|p| p.part_number = "of-100".into()),
        ),
        (
            "part.part_number",
            Box::new(|p| p.part_number = "A".repeat(33)),
        ),
        (
            "part.display_name",
            Box::new(|p| p.display_name = " ".into()),
        ),
        (
            "part.display_name",
            Box::new(|p| p.display_name = "x".repeat(201)),
        ),
        ("part.category", Box::new(|p| p.category = "".into())),
        ("part.category", Box::new(|p| p.category = "Brakes".into())),
        (
            "part.superseded_by",
            Box::new(|p| p.superseded_by = "bad one".into()),
        ),
        ("part.list_price", Box::new(|p| p.list_price = None)),
        (
            "part.list_price.currency_code",
            Box::new(|p| {
                p.list_price = Some(Money {
                    currency_code: "eur".into(),
                    minor_units: 1,
                })
            }),
        ),
        ("part.list_price", Box::new(|p| p.list_price = eur(-1))),
        ("part.cost", Box::new(|p| p.cost = None)),
        ("part.cost", Box::new(|p| p.cost = eur(-1))),
        (
            "part.cost",
            Box::new(|p| {
                p.cost = Some(Money {
                    currency_code: "USD".into(),
                    minor_units: 1,
                })
            }),
        ),
    ];
    for (field, spoil) in cases {
        let mut p = part("OF-100", "FILTER");
        spoil(&mut p);
        assert_eq!(c.create_part(create(p)).await.bad_field(), field);
    }
    let no_part = pb::CreatePartRequest {
        part: None,
        request_id: rid(),
    };
    assert_eq!(c.create_part(no_part).await.bad_field(), "part");
    let mut long_id = create(part("OF-100", "FILTER"));
    long_id.request_id = "x".repeat(129);
    assert_eq!(c.create_part(long_id).await.bad_field(), "request_id");
    // Nothing was created.
    c.get_part(get("OF-100")).await.refused(Code::NotFound);
});

both!(update_part_names_the_field, |h: Harness| async move {
    let c = &mut h.oem();
    create_part(c, part("OF-100", "FILTER")).await;
    let named = |f: &dyn Fn(&mut pb::Part)| {
        let mut p = pb::Part {
            part_number: "OF-100".into(),
            ..Default::default()
        };
        f(&mut p);
        p
    };
    let cases: Vec<(&str, pb::UpdatePartRequest)> = vec![
        (
            "part",
            pb::UpdatePartRequest {
                part: None,
                update_mask: None,
                request_id: rid(),
            },
        ),
        (
            "part.part_number",
            update(named(&|p| p.part_number = "".into()), &["display_name"]),
        ),
        (
            "part.etag",
            update(
                named(&|p| {
                    p.etag = "x".into();
                    p.display_name = "N".into()
                }),
                &["display_name"],
            ),
        ),
        (
            "part.display_name",
            update(named(&|_| {}), &["display_name"]),
        ),
        (
            "part.category",
            update(named(&|p| p.category = "lower".into()), &["category"]),
        ),
        (
            "part.superseded_by",
            update(
                named(&|p| p.superseded_by = "lower".into()),
                &["superseded_by"],
            ),
        ),
        ("update_mask", update(named(&|_| {}), &["cost"])),
        ("update_mask", update(named(&|_| {}), &["part_number"])),
    ];
    for (field, request) in cases {
        assert_eq!(c.update_part(request).await.bad_field(), field);
    }
    assert_eq!(c.get_part(get("OF-100")).await.answer().etag, "1");
});

both!(reads_name_the_field, |h: Harness| async move {
    let c = &mut h.oem();
    create_part(c, part("OF-100", "FILTER")).await;
    assert_eq!(c.get_part(get("")).await.bad_field(), "part_number");
    assert_eq!(c.get_part(get("of-100")).await.bad_field(), "part_number");

    assert_eq!(
        c.list_parts(by_category("", -1, "")).await.bad_field(),
        "page_size"
    );
    assert_eq!(
        c.list_parts(by_category("", 0, "garbage"))
            .await
            .bad_field(),
        "page_token"
    );
    assert_eq!(
        c.list_parts(by_category("lower", 0, "")).await.bad_field(),
        "category"
    );

    let mut request = list_changes("");
    assert_eq!(
        c.list_price_changes(request.clone()).await.bad_field(),
        "part_number"
    );
    request.part_number = "OF-100".into();
    request.page_size = -1;
    assert_eq!(
        c.list_price_changes(request.clone()).await.bad_field(),
        "page_size"
    );
    request.page_size = 0;
    request.page_token = "garbage".into();
    assert_eq!(
        c.list_price_changes(request).await.bad_field(),
        "page_token"
    );

    assert_eq!(
        c.get_part_price(price_at("bad", None)).await.bad_field(),
        "part_number"
    );
    let mut request = price_at("OF-100", None);
    request.at_time = Some(Timestamp {
        seconds: 0,
        nanos: -1,
    });
    assert_eq!(
        c.get_part_price(request.clone()).await.bad_field(),
        "at_time"
    );
    request.at_time = Some(Timestamp {
        seconds: i64::MAX,
        nanos: 0,
    });
    assert_eq!(c.get_part_price(request).await.bad_field(), "at_time");
});

both!(
    schedule_price_change_names_the_field,
    |h: Harness| async move {
        let c = &mut h.oem();
        create_part(c, part("OF-100", "FILTER")).await;
        let t = now_seconds() + 60;
        let cases: Vec<(&str, Spoil<pb::SchedulePriceChangeRequest>)> = vec![
            ("part_number", Box::new(|r| r.part_number = "".into())),
            ("part_number", Box::new(|r| r.part_number = "of 100".into())),
            ("effective_time", Box::new(|r| r.effective_time = None)),
            (
                "effective_time",
                Box::new(|r| {
                    r.effective_time = Some(Timestamp {
                        seconds: 1,
                        nanos: 1_000_000_000,
                    })
                }),
            ),
            ("list_price", Box::new(|r| r.list_price = None)),
            ("list_price", Box::new(|r| r.list_price = eur(-5))),
            (
                "list_price.currency_code",
                Box::new(|r| {
                    r.list_price = Some(Money {
                        currency_code: "EURO".into(),
                        minor_units: 5,
                    })
                }),
            ),
            ("cost", Box::new(|r| r.cost = None)),
            ("cost", Box::new(|r| r.cost = eur(-5))),
            (
                "cost",
                Box::new(|r| {
                    r.cost = Some(Money {
                        currency_code: "GBP".into(),
                        minor_units: 5,
                    })
                }),
            ),
            (
                "request_id",
                Box::new(|r| r.request_id = "with space".into()),
            ),
        ];
        for (field, spoil) in cases {
            let mut request = schedule("OF-100", t, 1200, 700);
            spoil(&mut request);
            assert_eq!(c.schedule_price_change(request).await.bad_field(), field);
        }
        let changes = c.list_price_changes(list_changes("OF-100")).await.answer();
        assert_eq!(changes.price_changes.len(), 1, "nothing was scheduled");
    }
);

both!(
    money_is_bounded_at_the_documented_limit,
    |h: Harness| async move {
        let c = &mut h.oem();
        let max = aftercare_values::MAX_MINOR_UNITS;
        let mut at_limit = part("OF-100", "FILTER");
        at_limit.list_price = eur(max);
        at_limit.cost = eur(max);
        let created = create_part(c, at_limit).await;
        assert_eq!(created.list_price.expect("a price").minor_units, max);

        let cases: Vec<(&str, Spoil<pb::Part>)> = vec![
            (
                "part.list_price.minor_units",
                Box::new(move |p| p.list_price = eur(max + 1)),
            ),
            (
                "part.list_price.minor_units",
                Box::new(|p| p.list_price = eur(i64::MAX)),
            ),
            (
                "part.cost.minor_units",
                Box::new(move |p| p.cost = eur(max + 1)),
            ),
            (
                "part.cost.minor_units",
                Box::new(|p| p.cost = eur(i64::MAX)),
            ),
        ];
        for (field, spoil) in cases {
            let mut p = part("OF-200", "FILTER");
            spoil(&mut p);
            assert_eq!(c.create_part(create(p)).await.bad_field(), field);
        }
        c.get_part(get("OF-200")).await.refused(Code::NotFound);
    }
);
