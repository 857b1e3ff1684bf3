//! A part superseded by another: followed on request, and never in a cycle.

use crate::fixture::*;

both!(get_follows_the_chain, |h: Harness| async move {
    let c = &mut h.oem();
    for n in ["A-1", "A-2", "A-3"] {
        create_part(c, part(n, "BRAKE")).await;
    }
    c.update_part(supersede("A-1", "A-2")).await.answer();
    let a2 = c.update_part(supersede("A-2", "A-3")).await.answer();
    assert_eq!(a2.superseded_by, "A-3");
    let mut follow = get("A-1");
    follow.follow_supersession = true;
    assert_eq!(c.get_part(follow).await.answer().part_number, "A-3");
    let plain = c.get_part(get("A-1")).await.answer();
    assert_eq!(
        (plain.part_number.as_str(), plain.superseded_by.as_str()),
        ("A-1", "A-2")
    );
    // A part created already superseded.
    let mut a0 = part("A-0", "BRAKE");
    a0.superseded_by = "A-1".into();
    assert_eq!(create_part(c, a0).await.superseded_by, "A-1");
    let mut follow = get("A-0");
    follow.follow_supersession = true;
    assert_eq!(c.get_part(follow).await.answer().part_number, "A-3");
    // Cleared again.
    let cleared = c.update_part(supersede("A-2", "")).await.answer();
    assert_eq!(cleared.superseded_by, "");
});

both!(cycles_and_self_are_refused, |h: Harness| async move {
    let c = &mut h.oem();
    for n in ["A-1", "A-2", "A-3"] {
        create_part(c, part(n, "BRAKE")).await;
    }
    c.update_part(supersede("A-1", "A-2")).await.answer();
    c.update_part(supersede("A-2", "A-3")).await.answer();
    let field = c.update_part(supersede("A-3", "A-1")).await.bad_field();
    assert_eq!(field, "part.superseded_by");
    let field = c.update_part(supersede("A-2", "A-1")).await.bad_field();
    assert_eq!(field, "part.superseded_by");
    let field = c.update_part(supersede("A-1", "A-1")).await.bad_field();
    assert_eq!(field, "part.superseded_by");
    let mut own = part("A-9", "BRAKE");
    own.superseded_by = "A-9".into();
    assert_eq!(
        c.create_part(create(own)).await.bad_field(),
        "part.superseded_by"
    );
    // The replacement must exist.
    c.update_part(supersede("A-3", "A-404"))
        .await
        .refused(Code::NotFound);
    let mut orphan = part("A-8", "BRAKE");
    orphan.superseded_by = "A-404".into();
    c.create_part(create(orphan)).await.refused(Code::NotFound);
    assert_eq!(c.get_part(get("A-3")).await.answer().superseded_by, "");
});

both!(concurrent_changes_make_no_cycle, |h: Harness| async move {
    let c = &mut h.oem();
    for round in 0..4 {
        let (a, b) = (format!("X-{round}-A"), format!("X-{round}-B"));
        create_part(c, part(&a, "BRAKE")).await;
        create_part(c, part(&b, "BRAKE")).await;
        let (mut c1, mut c2) = (h.oem(), h.oem());
        let (r1, r2) = (supersede(&a, &b), supersede(&b, &a));
        let t1 = tokio::spawn(async move { c1.update_part(r1).await });
        let t2 = tokio::spawn(async move { c2.update_part(r2).await });
        let (r1, r2) = (t1.await.expect("joins"), t2.await.expect("joins"));
        assert!(
            r1.is_ok() != r2.is_ok(),
            "exactly one applies: {r1:?} {r2:?}"
        );
        let refused = r1.err().or(r2.err()).expect("one refused");
        assert_eq!(
            refused.code(),
            Code::InvalidArgument,
            "{}",
            refused.message()
        );
    }
});
