//! Prices change only with an effective time; the price in force at any
//! time can be read back.

use crate::fixture::*;

both!(
    a_scheduled_change_is_in_force_from_its_time,
    |h: Harness| async move {
        let c = &mut h.oem();
        let created = create_part(c, part("OF-100", "FILTER")).await;
        let created_at = created.create_time.expect("create time").seconds;
        let (past, future) = (created_at - 86_400, now_seconds() + 86_400);

        let change = c
            .schedule_price_change(schedule("OF-100", future, 1200, 700))
            .await
            .answer();
        assert_eq!(change.part_number, "OF-100");
        assert_eq!(change.effective_time, at(future));
        assert_eq!(
            (change.list_price.clone(), change.cost.clone()),
            (eur(1200), eur(700))
        );
        let early = c
            .schedule_price_change(schedule("OF-100", past, 900, 500))
            .await
            .answer();

        // Now: the price it was created with; the part shows it too.
        let now = c.get_part_price(price_at("OF-100", None)).await.answer();
        assert_eq!((now.list_price, now.cost), (eur(1000), eur(600)));
        let part = c.get_part(get("OF-100")).await.answer();
        assert_eq!((part.list_price, part.cost), (eur(1000), eur(600)));
        assert_eq!(part.etag, "3", "each change moves the part's etag on");
        // Before the creation: the change back-dated to then.
        let then = c
            .get_part_price(price_at("OF-100", Some(past + 1)))
            .await
            .answer();
        assert_eq!(then, early);
        // From the future change on: it.
        for t in [future, future + 1_000_000] {
            let later = c.get_part_price(price_at("OF-100", Some(t))).await.answer();
            assert_eq!(later, change);
        }
        // Just before it: still the price it was created with.
        let before = c
            .get_part_price(price_at("OF-100", Some(future - 1)))
            .await
            .answer();
        assert_eq!(before.list_price, eur(1000));
        // Before any price: none.
        c.get_part_price(price_at("OF-100", Some(past - 1)))
            .await
            .refused(Code::NotFound);
        c.get_part_price(price_at("NOPE-1", None))
            .await
            .refused(Code::NotFound);
    }
);

both!(
    a_change_in_force_now_shows_on_the_part,
    |h: Harness| async move {
        let c = &mut h.oem();
        let created = create_part(c, part("OF-100", "FILTER")).await;
        // In force from just after the creation: by the next read, now.
        c.schedule_price_change(pb::SchedulePriceChangeRequest {
            effective_time: just_after(created.create_time),
            ..schedule("OF-100", 0, 1500, 800)
        })
        .await
        .answer();
        let part = c.get_part(get("OF-100")).await.answer();
        assert_eq!(
            (part.list_price.clone(), part.cost.clone()),
            (eur(1500), eur(800))
        );
        let listed = c.list_parts(by_category("FILTER", 0, "")).await.answer();
        assert_eq!(listed.parts, [part]);
    }
);

both!(one_change_per_effective_time, |h: Harness| async move {
    let c = &mut h.oem();
    create_part(c, part("OF-100", "FILTER")).await;
    let t = now_seconds() + 3600;
    c.schedule_price_change(schedule("OF-100", t, 1200, 700))
        .await
        .answer();
    c.schedule_price_change(schedule("OF-100", t, 1300, 700))
        .await
        .refused(Code::AlreadyExists);
    c.schedule_price_change(schedule("NOPE-1", t, 1300, 700))
        .await
        .refused(Code::NotFound);
    let price = c.get_part_price(price_at("OF-100", Some(t))).await.answer();
    assert_eq!(price.list_price, eur(1200));
});

both!(
    changes_are_listed_by_effective_time_in_pages,
    |h: Harness| async move {
        let c = &mut h.oem();
        let created = create_part(c, part("OF-100", "FILTER")).await;
        create_part(c, part("OF-200", "FILTER")).await;
        let base = now_seconds() + 1000;
        for n in [3, 1, 2] {
            c.schedule_price_change(schedule("OF-100", base + n, 1000 + n, 600))
                .await
                .answer();
        }
        let mut request = list_changes("OF-100");
        request.page_size = 3;
        let first = c.list_price_changes(request.clone()).await.answer();
        let times: Vec<_> = first
            .price_changes
            .iter()
            .map(|p| p.effective_time)
            .collect();
        assert_eq!(
            times[0], created.create_time,
            "the first price, from creation"
        );
        assert_eq!(&times[1..], [at(base + 1), at(base + 2)]);
        assert!(!first.next_page_token.is_empty());
        request.page_token = first.next_page_token;
        let second = c.list_price_changes(request.clone()).await.answer();
        assert_eq!(second.price_changes.len(), 1);
        assert_eq!(second.price_changes[0].effective_time, at(base + 3));
        assert_eq!(second.price_changes[0].list_price, eur(1003));
        assert_eq!(second.next_page_token, "");
        // The token is for its part only.
        request.part_number = "OF-200".into();
        assert_eq!(
            c.list_price_changes(request).await.bad_field(),
            "page_token"
        );
        let other = c.list_price_changes(list_changes("OF-200")).await.answer();
        assert_eq!(other.price_changes.len(), 1);
        c.list_price_changes(list_changes("NOPE-1"))
            .await
            .refused(Code::NotFound);
    }
);
