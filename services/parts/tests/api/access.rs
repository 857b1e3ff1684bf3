//! Every member of the network reads the catalogue; only head office
//! changes it; a survey link does neither; a forged caller is not heard.

use crate::fixture::*;

/// Calls every method once with `c`; the code of each answer (OK for
/// success), reads first, then changes.
async fn every_method(c: &mut Client, later: i64) -> (Vec<Code>, Vec<Code>) {
    fn code<T>(r: Result<tonic::Response<T>, tonic::Status>) -> Code {
        r.map_or_else(|s| s.code(), |_| Code::Ok)
    }
    let mut follow = get("OF-100");
    follow.follow_supersession = true;
    let reads = vec![
        code(c.get_part(get("OF-100")).await),
        code(c.get_part(follow).await),
        code(c.list_parts(by_category("FILTER", 0, "")).await),
        code(c.list_price_changes(list_changes("OF-100")).await),
        code(c.get_part_price(price_at("OF-100", None)).await),
    ];
    let mut renamed = pb::Part {
        part_number: "OF-100".into(),
        display_name: "Renamed".into(),
        ..Default::default()
    };
    renamed.category = "FILTER".into();
    let changes = vec![
        code(c.create_part(create(part("OF-NEW", "FILTER"))).await),
        code(c.update_part(update(renamed, &["display_name"])).await),
        code(c.update_part(supersede("OF-100", "OF-200")).await),
        code(
            c.schedule_price_change(schedule("OF-100", later, 1, 1))
                .await,
        ),
    ];
    (reads, changes)
}

async fn catalogue(h: &Harness) {
    let c = &mut h.oem();
    create_part(c, part("OF-100", "FILTER")).await;
    create_part(c, part("OF-200", "FILTER")).await;
}

both!(
    members_read_only_head_office_changes,
    |h: Harness| async move {
        catalogue(&h).await;
        let members = [h.region("north"), h.dealer("d1"), h.dms("d1")];
        for (n, mut c) in members.into_iter().enumerate() {
            let (reads, changes) = every_method(&mut c, now_seconds() + 100 + n as i64).await;
            assert_eq!(reads, [Code::Ok; 5]);
            assert_eq!(changes, [Code::PermissionDenied; 4]);
        }
        // Nothing changed.
        let c = &mut h.oem();
        let p = c.get_part(get("OF-100")).await.answer();
        assert_eq!(
            (p.etag.as_str(), p.display_name.as_str()),
            ("1", "Part OF-100")
        );
        c.get_part(get("OF-NEW")).await.refused(Code::NotFound);
        // Head office may do all of it.
        let (reads, changes) = every_method(c, now_seconds() + 100).await;
        assert_eq!(reads, [Code::Ok; 5]);
        assert_eq!(changes, [Code::Ok; 4]);
    }
);

both!(a_survey_link_is_refused, |h: Harness| async move {
    catalogue(&h).await;
    let (reads, changes) = every_method(&mut h.survey(), now_seconds() + 100).await;
    assert_eq!(reads, [Code::PermissionDenied; 5]);
    assert_eq!(changes, [Code::PermissionDenied; 4]);
});

both!(
    a_forged_caller_is_unauthenticated,
    |h: Harness| async move {
        catalogue(&h).await;
        let (reads, changes) = every_method(&mut h.forger(), now_seconds() + 100).await;
        assert_eq!(reads, [Code::Unauthenticated; 5]);
        assert_eq!(changes, [Code::Unauthenticated; 4]);
    }
);
