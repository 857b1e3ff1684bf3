//! Safe retries: a request sent again with its request_id is applied once
//! and answered as the first time, also when the copies race.

use aftercare_test_support::once;

use crate::{fixture::*, stock, support::who};

both!(create_and_schedule_apply_once, |h: Harness| async move {
    let c = h.oem();
    let mut oem = h.oem();
    for race in [false, true] {
        let pn = format!("OF-{}", u8::from(race));
        let created = once(
            race,
            &c,
            create(part(&pn, "FILTER")),
            |mut c, r| async move { c.create_part(r).await },
        )
        .await;
        assert_eq!(created.etag, "1");

        let t = now_seconds() + 3600;
        let change = once(
            race,
            &c,
            schedule(&pn, t, 1200, 700),
            |mut c, r| async move { c.schedule_price_change(r).await },
        )
        .await;
        assert_eq!(change.effective_time, at(t));
        let changes = oem.list_price_changes(list_changes(&pn)).await.answer();
        assert_eq!(
            changes.price_changes.len(),
            2,
            "the first price and one more"
        );
        assert_eq!(oem.get_part(get(&pn)).await.answer().etag, "2");

        let renamed = pb::Part {
            part_number: pn.clone(),
            display_name: "Renamed".into(),
            ..Default::default()
        };
        let updated = once(
            race,
            &c,
            update(renamed, &["display_name"]),
            |mut c, r| async move { c.update_part(r).await },
        )
        .await;
        assert_eq!(updated.etag, "3");
        assert_eq!(oem.get_part(get(&pn)).await.answer(), updated);
    }
});

both!(
    a_request_id_reused_for_another_request_is_refused,
    |h: Harness| async move {
        let mut c = h.oem();
        let first = create(part("OF-1", "FILTER"));
        c.create_part(first.clone()).await.answer();
        let mut other = create(part("OF-2", "FILTER"));
        other.request_id = first.request_id;
        assert_eq!(c.create_part(other).await.bad_field(), "request_id");
        c.get_part(get("OF-2")).await.refused(Code::NotFound);
    }
);

both!(
    racing_creates_of_one_part_number_make_one,
    |h: Harness| async move {
        let c = h.oem();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let mut c = c.clone();
            tasks.spawn(async move { c.create_part(create(part("OF-1", "FILTER"))).await });
        }
        let codes: Vec<Code> = tasks
            .join_all()
            .await
            .into_iter()
            .map(|r| r.map_or_else(|s| s.code(), |_| Code::Ok))
            .collect();
        assert_eq!(
            codes.iter().filter(|c| **c == Code::Ok).count(),
            1,
            "{codes:?}"
        );
        assert!(
            codes
                .iter()
                .all(|c| matches!(c, Code::Ok | Code::AlreadyExists)),
            "{codes:?}"
        );
    }
);

both!(
    a_stored_answer_goes_only_to_its_own_principal,
    |h: Harness| async move {
        stock::network(&h).await;
        let owner = h.stock(who::dealer("d1"));
        stock::receive(&owner, "d1-wh", "P-1", 10).await;
        // One identity-provider subject in two dealers' scopes.
        let shared = |p| h.stock(who::with_subject("shared", p));
        let (mut d1, mut d2) = (shared(who::dealer("d1")), shared(who::dealer("d2")));
        let request = stock::reserve("d1-wh", "P-1", 4, "ro-1", 1);
        let first = d1.reserve_stock(request.clone()).await.answer();

        // d2 replaying d1's exact request gets what it would get without
        // d1's: d1's warehouse is not found, and d1's reservation is not
        // handed over.
        let alone = pb::ReserveStockRequest {
            request_id: rid(),
            ..request.clone()
        };
        d2.reserve_stock(alone).await.refused(Code::NotFound);
        d2.reserve_stock(request.clone())
            .await
            .refused(Code::NotFound);

        assert_eq!(
            d1.reserve_stock(request).await.answer(),
            first,
            "d1's retry still gets its answer"
        );
        let level = stock::level(&owner, "d1-wh", "P-1").await;
        assert_eq!((level.on_hand, level.reserved), (10, 4));
    }
);

both!(
    a_retry_answers_from_its_key_until_the_retention_sweeps_it,
    |h: Harness| async move {
        let now = time::OffsetDateTime::now_utc();
        let request = create(part("RET-1", "FILTER"));
        let first = h.oem().create_part(request.clone()).await.answer();

        // Six days on, inside the seven days keys are kept: a sweep leaves
        // the key, and the retry gets the first answer.
        h.set_clock(now + time::Duration::days(6));
        h.sweeper().sweep_once().await.unwrap();
        assert_eq!(h.oem().create_part(request.clone()).await.answer(), first);

        // Eight days on, the key is swept: the retry is a new request, and
        // the part it would create exists.
        h.set_clock(now + time::Duration::days(8));
        let removed = h.sweeper().sweep_once().await.unwrap();
        assert!(removed.contains(&("idempotency_keys", 1)), "{removed:?}");
        h.oem()
            .create_part(request)
            .await
            .refused(Code::AlreadyExists);
    }
);
