//! Parts created, read, listed and updated as head office.

use crate::fixture::*;

both!(create_then_get, |h: Harness| async move {
    let c = &mut h.oem();
    let created = create_part(c, part("OF-100", "FILTER")).await;
    assert_eq!(created.part_number, "OF-100");
    assert_eq!(created.display_name, "Part OF-100");
    assert_eq!(created.category, "FILTER");
    assert_eq!(created.list_price, eur(1000));
    assert_eq!(created.cost, eur(600));
    assert!(created.warranty_eligible);
    assert_eq!(created.superseded_by, "");
    assert_eq!(created.etag, "1");
    assert!(created.create_time.is_some());
    assert_eq!(created.create_time, created.update_time);
    let got = c.get_part(get("OF-100")).await.answer();
    assert_eq!(got, created);
    c.get_part(get("NOPE-1")).await.refused(Code::NotFound);
});

both!(list_by_category_in_pages, |h: Harness| async move {
    let c = &mut h.oem();
    for n in [5, 1, 4, 2, 3] {
        create_part(c, part(&format!("BP-{n}"), "BRAKE")).await;
    }
    create_part(c, part("OF-1", "FILTER")).await;
    let first = c.list_parts(by_category("BRAKE", 2, "")).await.answer();
    assert_eq!(ids(&first.parts, |p| &p.part_number), ["BP-1", "BP-2"]);
    assert!(!first.next_page_token.is_empty());
    let second = c
        .list_parts(by_category("BRAKE", 2, &first.next_page_token))
        .await
        .answer();
    assert_eq!(ids(&second.parts, |p| &p.part_number), ["BP-3", "BP-4"]);
    let third = c
        .list_parts(by_category("BRAKE", 2, &second.next_page_token))
        .await
        .answer();
    assert_eq!(ids(&third.parts, |p| &p.part_number), ["BP-5"]);
    assert_eq!(third.next_page_token, "");
    // A token is for its filter only.
    c.list_parts(by_category("FILTER", 2, &first.next_page_token))
        .await
        .refused(Code::InvalidArgument);
    let all = c.list_parts(by_category("", 0, "")).await.answer();
    assert_eq!(all.parts.len(), 6);
    assert_eq!(all.parts[5].part_number, "OF-1");
    assert_eq!(all.parts[5].list_price, eur(1000));
});

both!(
    update_changes_only_the_masked_fields,
    |h: Harness| async move {
        let c = &mut h.oem();
        let old = create_part(c, part("OF-100", "FILTER")).await;
        let new = c
            .update_part(update(
                pb::Part {
                    part_number: "OF-100".into(),
                    display_name: "Oil filter".into(),
                    category: "IGNORED".into(),
                    warranty_eligible: false,
                    etag: old.etag.clone(),
                    ..Default::default()
                },
                &["display_name", "warranty_eligible"],
            ))
            .await
            .answer();
        assert_eq!(new.display_name, "Oil filter");
        assert_eq!(new.category, "FILTER");
        assert!(!new.warranty_eligible);
        assert_eq!(new.list_price, old.list_price);
        assert_eq!(new.etag, "2");
        assert_eq!(new.create_time, old.create_time);
        assert_eq!(c.get_part(get("OF-100")).await.answer(), new);

        // An old etag is refused; the part stays as it is.
        let stale = pb::Part {
            part_number: "OF-100".into(),
            category: "OIL".into(),
            etag: old.etag,
            ..Default::default()
        };
        c.update_part(update(stale, &["category"]))
            .await
            .refused(Code::Aborted);
        // Prices change only with an effective time.
        let priced = pb::Part {
            part_number: "OF-100".into(),
            list_price: eur(1),
            ..Default::default()
        };
        let field = c
            .update_part(update(priced, &["list_price"]))
            .await
            .bad_field();
        assert_eq!(field, "update_mask");
        c.update_part(supersede("NOPE-1", ""))
            .await
            .refused(Code::NotFound);
        assert_eq!(c.get_part(get("OF-100")).await.answer(), new);
    }
);

both!(
    a_taken_part_number_already_exists,
    |h: Harness| async move {
        let c = &mut h.oem();
        create_part(c, part("OF-100", "FILTER")).await;
        c.create_part(create(part("OF-100", "OTHER")))
            .await
            .refused(Code::AlreadyExists);
        assert_eq!(c.get_part(get("OF-100")).await.answer().category, "FILTER");
    }
);
