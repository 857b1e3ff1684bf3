//! Every labour operation method refuses bad input with INVALID_ARGUMENT
//! naming the field.

use crate::{fixture::*, labour_fixture::*};

/// A change that spoils one field of a valid request.
type Spoil<T> = Box<dyn Fn(&mut T)>;

both!(create_names_the_field, |h: Harness| async move {
    let c = &mut h.labour(who::oem());
    let cases: Vec<(&str, Spoil<pb::LabourOperation>)> = vec![
        (
            "labour_operation.operation_code",
            Box::new(|o| o.operation_code = "".into()),
        ),
        (
            "labour_operation.operation_code",
            Box::new(|o| o.operation_code = "oil".into()),
        ),
        (
            "labour_operation.operation_code",
            Box::new(|o| o.operation_code = "A".repeat(33)),
        ),
        (
            "labour_operation.display_name",
            Box::new(|o| o.display_name = " ".into()),
        ),
        (
            "labour_operation.standard_centihours",
            Box::new(|o| o.standard_centihours = 0),
        ),
        (
            "labour_operation.standard_centihours",
            Box::new(|o| o.standard_centihours = -5),
        ),
        (
            "labour_operation.standard_centihours",
            Box::new(|o| o.standard_centihours = 100_001),
        ),
        (
            "labour_operation.required_certification",
            Box::new(|o| o.required_certification = "hv 2".into()),
        ),
        ("labour_operation.price", Box::new(|o| o.price = None)),
        ("labour_operation.price", Box::new(|o| o.price = eur(-1))),
        (
            "labour_operation.price.currency_code",
            Box::new(|o| {
                o.price = Some(Money {
                    currency_code: "eur".into(),
                    minor_units: 1,
                })
            }),
        ),
    ];
    for (field, spoil) in cases {
        let mut o = operation("OIL-CHANGE", 50);
        spoil(&mut o);
        assert_eq!(
            c.create_labour_operation(create_op(o)).await.bad_field(),
            field
        );
    }
    let none = pb::CreateLabourOperationRequest {
        labour_operation: None,
        request_id: rid(),
    };
    assert_eq!(
        c.create_labour_operation(none).await.bad_field(),
        "labour_operation"
    );
    let mut long_id = create_op(operation("OIL-CHANGE", 50));
    long_id.request_id = "x".repeat(129);
    assert_eq!(
        c.create_labour_operation(long_id).await.bad_field(),
        "request_id"
    );
    c.get_labour_operation(get_op("OIL-CHANGE"))
        .await
        .refused(Code::NotFound);
});

both!(update_names_the_field, |h: Harness| async move {
    let c = &mut h.labour(who::oem());
    create_operation(c, operation("OIL-CHANGE", 50)).await;
    let named = |f: &dyn Fn(&mut pb::LabourOperation)| {
        let mut o = pb::LabourOperation {
            operation_code: "OIL-CHANGE".into(),
            ..Default::default()
        };
        f(&mut o);
        o
    };
    let cases: Vec<(&str, pb::UpdateLabourOperationRequest)> = vec![
        (
            "labour_operation",
            pb::UpdateLabourOperationRequest {
                labour_operation: None,
                update_mask: None,
                request_id: rid(),
            },
        ),
        (
            "labour_operation.operation_code",
            update_op(named(&|o| o.operation_code = "".into()), &["display_name"]),
        ),
        (
            "labour_operation.etag",
            update_op(named(&|o| o.etag = "x".into()), &["display_name"]),
        ),
        (
            "labour_operation.display_name",
            update_op(named(&|_| {}), &["display_name"]),
        ),
        (
            "labour_operation.standard_centihours",
            update_op(named(&|_| {}), &["standard_centihours"]),
        ),
        (
            "labour_operation.required_certification",
            update_op(
                named(&|o| o.required_certification = "x".into()),
                &["required_certification"],
            ),
        ),
        ("update_mask", update_op(named(&|_| {}), &["price"])),
        (
            "update_mask",
            update_op(named(&|_| {}), &["operation_code"]),
        ),
    ];
    for (field, request) in cases {
        assert_eq!(c.update_labour_operation(request).await.bad_field(), field);
    }
    assert_eq!(
        c.get_labour_operation(get_op("OIL-CHANGE"))
            .await
            .answer()
            .etag,
        "1"
    );
});

both!(reads_and_prices_name_the_field, |h: Harness| async move {
    let c = &mut h.labour(who::oem());
    create_operation(c, operation("OIL-CHANGE", 50)).await;
    assert_eq!(
        c.get_labour_operation(get_op("oil")).await.bad_field(),
        "operation_code"
    );
    assert_eq!(
        c.list_labour_operations(list_ops(-1, "")).await.bad_field(),
        "page_size"
    );
    assert_eq!(
        c.list_labour_operations(list_ops(0, "garbage"))
            .await
            .bad_field(),
        "page_token"
    );
    assert_eq!(
        c.get_labour_price(op_price_at("", None)).await.bad_field(),
        "operation_code"
    );
    let mut request = op_price_at("OIL-CHANGE", None);
    request.at_time = Some(Timestamp {
        seconds: 0,
        nanos: -1,
    });
    assert_eq!(c.get_labour_price(request).await.bad_field(), "at_time");

    let t = now_seconds() + 60;
    let cases: Vec<(&str, Spoil<pb::ScheduleLabourPriceChangeRequest>)> = vec![
        (
            "operation_code",
            Box::new(|r| r.operation_code = "oil change".into()),
        ),
        ("effective_time", Box::new(|r| r.effective_time = None)),
        (
            "effective_time",
            Box::new(|r| {
                r.effective_time = Some(Timestamp {
                    seconds: i64::MAX,
                    nanos: 0,
                })
            }),
        ),
        ("price", Box::new(|r| r.price = None)),
        ("price", Box::new(|r| r.price = eur(-1))),
        (
            "price.currency_code",
            Box::new(|r| {
                r.price = Some(Money {
                    currency_code: "EURO".into(),
                    minor_units: 1,
                })
            }),
        ),
        (
            "request_id",
            Box::new(|r| r.request_id = "with space".into()),
        ),
    ];
    for (field, spoil) in cases {
        let mut request = schedule_op("OIL-CHANGE", t, 5000);
        spoil(&mut request);
        assert_eq!(
            c.schedule_labour_price_change(request).await.bad_field(),
            field
        );
    }
    let price = c
        .get_labour_price(op_price_at("OIL-CHANGE", Some(t)))
        .await
        .answer();
    assert_eq!(price.price, eur(4500), "nothing was scheduled");
});
