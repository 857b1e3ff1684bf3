//! A create sent again with its request_id is applied once and answered as
//! the first time, also when the copies race.

use super::*;
use crate::support::who;

both!(a_retried_create_applies_once, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let oem = h.audits(who::oem());

    let request = create_checklist_request("", checklist("FACILITY"));
    let first = oem
        .clone()
        .create_audit_checklist(request.clone())
        .await
        .answer();
    let again = oem.clone().create_audit_checklist(request).await.answer();
    assert_eq!(again, first);
    let lists = oem
        .clone()
        .list_audit_checklists(pb::ListAuditChecklistsRequest::default())
        .await
        .answer()
        .audit_checklists;
    assert_eq!(lists, vec![first.clone()], "one checklist, version 1");

    // Eight copies of one audit at once: one audit, one star change.
    let request = create_audit_request(audit(&fx.s1.id, &first.id, 1, &["SIGNAGE"]));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (mut c, r) = (oem.clone(), request.clone());
        tasks.spawn(async move { c.create_facility_audit(r).await });
    }
    let answers: Vec<pb::FacilityAudit> = tasks
        .join_all()
        .await
        .into_iter()
        .map(|r| r.answer())
        .collect();
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    let audits = oem
        .clone()
        .list_facility_audits(pb::ListFacilityAuditsRequest::default())
        .await
        .answer()
        .facility_audits;
    assert_eq!(audits, vec![answers[0].clone()]);
    let s1 = read_station(&h, &fx.s1.id).await;
    assert_eq!(s1.star_level, 5);
    assert_eq!(
        s1.etag.parse::<i64>().unwrap(),
        fx.s1.etag.parse::<i64>().unwrap() + 1,
        "the station changed once"
    );

    // The same request_id with another request is refused.
    let mut other = request.clone();
    other.facility_audit.as_mut().unwrap().verdicts[0].passed = true;
    let field = oem.clone().create_facility_audit(other).await.bad_field();
    assert_eq!(field, "request_id");
});

both!(
    concurrent_audits_of_one_station_leave_the_latest_level,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut oem = h.audits(who::oem());
        let list = create_checklist(&mut oem, "facility-1").await;
        // Six audits of s1 at once, each on another day; the newest (1 day
        // ago, nothing failed) decides, whatever order they commit in.
        let mut tasks = tokio::task::JoinSet::new();
        for days in 1..=6 {
            let failed: &[&str] = if days == 1 { &[] } else { &["TOOLS"] };
            let r = create_audit_request(audit(&fx.s1.id, &list.id, days, failed));
            let mut c = oem.clone();
            tasks.spawn(async move { c.create_facility_audit(r).await });
        }
        for answer in tasks.join_all().await {
            answer.answer();
        }
        assert_eq!(read_station(&h, &fx.s1.id).await.star_level, 5);
    }
);

both!(
    concurrent_versions_of_one_checklist_are_numbered_apart,
    |h: Harness| async move {
        let oem = h.audits(who::oem());
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let mut c = oem.clone();
            let r = create_checklist_request("", checklist("FACILITY"));
            tasks.spawn(async move { c.create_audit_checklist(r).await });
        }
        // Each is created with a version of its own, or (on PostgreSQL,
        // where two may read the same latest version) told to retry.
        let mut versions = vec![];
        for answer in tasks.join_all().await {
            match answer {
                Ok(created) => versions.push(created.into_inner().version),
                Err(status) => assert_eq!(status.code(), Code::Aborted, "{status:?}"),
            }
        }
        versions.sort();
        let expected: Vec<i32> = (1..=versions.len() as i32).collect();
        assert_eq!(versions, expected);
        let stored = oem
            .clone()
            .list_audit_checklists(pb::ListAuditChecklistsRequest::default())
            .await
            .answer()
            .audit_checklists;
        assert_eq!(stored.len(), versions.len());
    }
);
