//! Labour operations: created, read, listed and updated as head office;
//! their prices in force at any time.

use crate::{fixture::*, labour_fixture::*};

both!(create_get_list_update, |h: Harness| async move {
    let c = &mut h.labour(who::oem());
    let mut o = operation("OIL-CHANGE", 50);
    o.required_certification = "HV-2".into();
    let created = create_operation(c, o).await;
    assert_eq!(created.operation_code, "OIL-CHANGE");
    assert_eq!(created.display_name, "Operation OIL-CHANGE");
    assert_eq!(created.standard_centihours, 50);
    assert_eq!(created.required_certification, "HV-2");
    assert_eq!(created.price, eur(4500));
    assert_eq!(created.etag, "1");
    assert!(created.create_time.is_some());
    assert_eq!(created.create_time, created.update_time);
    assert_eq!(
        c.get_labour_operation(get_op("OIL-CHANGE")).await.answer(),
        created
    );
    c.get_labour_operation(get_op("NOPE"))
        .await
        .refused(Code::NotFound);

    // Only the masked fields change; an empty certification drops it.
    let new = c
        .update_labour_operation(update_op(
            pb::LabourOperation {
                operation_code: "OIL-CHANGE".into(),
                display_name: "Oil and filter change".into(),
                standard_centihours: 999,
                etag: "1".into(),
                ..Default::default()
            },
            &["display_name", "required_certification"],
        ))
        .await
        .answer();
    assert_eq!(new.display_name, "Oil and filter change");
    assert_eq!(new.standard_centihours, 50);
    assert_eq!(new.required_certification, "");
    assert_eq!((new.etag.as_str(), new.price.clone()), ("2", eur(4500)));
    assert_eq!(new.create_time, created.create_time);
    let hours = pb::LabourOperation {
        operation_code: "OIL-CHANGE".into(),
        standard_centihours: 75,
        ..Default::default()
    };
    let newer = c
        .update_labour_operation(update_op(hours, &["standard_centihours"]))
        .await
        .answer();
    assert_eq!((newer.standard_centihours, newer.etag.as_str()), (75, "3"));
    assert_eq!(
        c.get_labour_operation(get_op("OIL-CHANGE")).await.answer(),
        newer
    );

    // Listed by code, in pages.
    for code in ["TYRE-ROTATE", "BRAKE-BLEED", "AC-SERVICE"] {
        create_operation(c, operation(code, 100)).await;
    }
    let first = c.list_labour_operations(list_ops(2, "")).await.answer();
    assert_eq!(
        ids(&first.labour_operations, |o| &o.operation_code),
        ["AC-SERVICE", "BRAKE-BLEED"]
    );
    let second = c
        .list_labour_operations(list_ops(2, &first.next_page_token))
        .await
        .answer();
    assert_eq!(
        ids(&second.labour_operations, |o| &o.operation_code),
        ["OIL-CHANGE", "TYRE-ROTATE"]
    );
    assert_eq!(second.labour_operations[0], newer);
    assert_eq!(second.next_page_token, "");
});

both!(conflicts, |h: Harness| async move {
    let c = &mut h.labour(who::oem());
    create_operation(c, operation("OIL-CHANGE", 50)).await;
    c.create_labour_operation(create_op(operation("OIL-CHANGE", 70)))
        .await
        .refused(Code::AlreadyExists);
    // An old etag is refused; the operation stays as it is.
    let renamed = |etag: &str| pb::LabourOperation {
        operation_code: "OIL-CHANGE".into(),
        display_name: "Renamed".into(),
        etag: etag.into(),
        ..Default::default()
    };
    c.update_labour_operation(update_op(renamed("1"), &["display_name"]))
        .await
        .answer();
    c.update_labour_operation(update_op(renamed("1"), &["display_name"]))
        .await
        .refused(Code::Aborted);
    let missing = pb::LabourOperation {
        operation_code: "NOPE".into(),
        display_name: "X".into(),
        ..Default::default()
    };
    c.update_labour_operation(update_op(missing, &["display_name"]))
        .await
        .refused(Code::NotFound);
    let got = c.get_labour_operation(get_op("OIL-CHANGE")).await.answer();
    assert_eq!((got.standard_centihours, got.etag.as_str()), (50, "2"));
});

both!(prices_in_force_at_any_time, |h: Harness| async move {
    let c = &mut h.labour(who::oem());
    let created = create_operation(c, operation("OIL-CHANGE", 50)).await;
    let created_at = created.create_time.expect("create time").seconds;
    let (past, future) = (created_at - 86_400, now_seconds() + 86_400);
    let later = c
        .schedule_labour_price_change(schedule_op("OIL-CHANGE", future, 5200))
        .await
        .answer();
    assert_eq!(later.operation_code, "OIL-CHANGE");
    assert_eq!(
        (later.effective_time, later.price.clone()),
        (at(future), eur(5200))
    );
    let early = c
        .schedule_labour_price_change(schedule_op("OIL-CHANGE", past, 3900))
        .await
        .answer();
    // Now: the first price; the operation shows it, its etag moved on twice.
    let now = c
        .get_labour_price(op_price_at("OIL-CHANGE", None))
        .await
        .answer();
    assert_eq!(
        (now.price, now.effective_time),
        (eur(4500), created.create_time)
    );
    let got = c.get_labour_operation(get_op("OIL-CHANGE")).await.answer();
    assert_eq!((got.price, got.etag.as_str()), (eur(4500), "3"));
    let at_time = |t| op_price_at("OIL-CHANGE", Some(t));
    assert_eq!(c.get_labour_price(at_time(past + 1)).await.answer(), early);
    assert_eq!(
        c.get_labour_price(at_time(future - 1)).await.answer().price,
        eur(4500)
    );
    assert_eq!(c.get_labour_price(at_time(future)).await.answer(), later);
    assert_eq!(
        c.get_labour_price(at_time(future + 999_999)).await.answer(),
        later
    );
    c.get_labour_price(at_time(past - 1))
        .await
        .refused(Code::NotFound);
    c.get_labour_price(op_price_at("NOPE", None))
        .await
        .refused(Code::NotFound);
    // One change per effective time; none for an unknown operation.
    c.schedule_labour_price_change(schedule_op("OIL-CHANGE", future, 1))
        .await
        .refused(Code::AlreadyExists);
    c.schedule_labour_price_change(schedule_op("NOPE", future, 1))
        .await
        .refused(Code::NotFound);
    assert_eq!(c.get_labour_price(at_time(future)).await.answer(), later);
});
