//! INVALID_ARGUMENT, with the field named in a google.rpc.BadRequest, for
//! every AuditService RPC and every field an audit or checklist can get
//! wrong; nothing is stored.

use super::*;
use crate::support::who;

/// The example checklist with one change.
fn checklist_with(change: impl FnOnce(&mut pb::AuditChecklist)) -> pb::CreateAuditChecklistRequest {
    let mut c = checklist("FACILITY");
    change(&mut c);
    create_checklist_request("", c)
}

both!(every_checklist_field_is_checked, |h: Harness| async move {
    let c = &mut h.audits(who::oem());
    let first = create_checklist(c, "facility-1").await;
    c.create_audit_checklist(create_checklist_request("quick-1", checklist("QUICK")))
        .await
        .answer();
    let token = c
        .list_audit_checklists(pb::ListAuditChecklistsRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .answer()
        .next_page_token;
    assert!(!token.is_empty());

    let bad_request_id = pb::CreateAuditChecklistRequest {
        request_id: "with spaces".into(),
        ..checklist_with(|_| {})
    };
    #[rustfmt::skip]
        let cases: Vec<(&str, String)> = vec![
            ("audit_checklist", c.create_audit_checklist(pb::CreateAuditChecklistRequest { audit_checklist: None, ..checklist_with(|_| {}) }).await.bad_field()),
            ("audit_checklist_id", c.create_audit_checklist(pb::CreateAuditChecklistRequest { audit_checklist_id: "Facility_2".into(), ..checklist_with(|_| {}) }).await.bad_field()),
            ("audit_checklist.code", c.create_audit_checklist(checklist_with(|x| x.code = "facility".into())).await.bad_field()),
            ("audit_checklist.display_name", c.create_audit_checklist(checklist_with(|x| x.display_name = "  ".into())).await.bad_field()),
            ("audit_checklist.items", c.create_audit_checklist(checklist_with(|x| x.items.clear())).await.bad_field()),
            ("audit_checklist.items", c.create_audit_checklist(checklist_with(|x| x.items = (0..201).map(|i| pb::AuditChecklistItem { code: format!("I{i}"), description: "An item".into(), points: 1, mandatory: false }).collect())).await.bad_field()),
            ("audit_checklist.items[2].points", c.create_audit_checklist(checklist_with(|x| x.items[2].points = 0)).await.bad_field()),
            ("audit_checklist.items[1].points", c.create_audit_checklist(checklist_with(|x| x.items[1].points = 101)).await.bad_field()),
            ("audit_checklist.items[3].code", c.create_audit_checklist(checklist_with(|x| x.items[3].code = String::new())).await.bad_field()),
            ("audit_checklist.items[4].code", c.create_audit_checklist(checklist_with(|x| x.items[4].code = "SIGNAGE".into())).await.bad_field()),
            ("audit_checklist.items[0].description", c.create_audit_checklist(checklist_with(|x| x.items[0].description = String::new())).await.bad_field()),
            ("request_id", c.create_audit_checklist(bad_request_id).await.bad_field()),
            ("id", c.get_audit_checklist(pb::GetAuditChecklistRequest { id: String::new() }).await.bad_field()),
            ("id", c.get_audit_checklist(pb::GetAuditChecklistRequest { id: "Facility-1".into() }).await.bad_field()),
            ("page_size", c.list_audit_checklists(pb::ListAuditChecklistsRequest { page_size: -1, ..Default::default() }).await.bad_field()),
            ("page_token", c.list_audit_checklists(pb::ListAuditChecklistsRequest { page_token: "not a token".into(), ..Default::default() }).await.bad_field()),
            ("page_token", c.list_audit_checklists(pb::ListAuditChecklistsRequest { page_token: token.clone(), code: "QUICK".into(), ..Default::default() }).await.bad_field()),
        ];
    for (expected, got) in cases {
        assert_eq!(got, expected);
    }

    // Nothing was created: the two checklists made above, no more.
    let all = c
        .list_audit_checklists(pb::ListAuditChecklistsRequest::default())
        .await
        .answer()
        .audit_checklists;
    assert_eq!(ids(&all, |x| &x.id), [first.id.clone(), "quick-1".into()]);
    c.get_audit_checklist(pb::GetAuditChecklistRequest {
        id: "nothing".into(),
    })
    .await
    .refused(Code::NotFound);
    let taken = c
        .create_audit_checklist(create_checklist_request("facility-1", checklist("OTHER")))
        .await
        .refused(Code::AlreadyExists);
    assert!(
        taken.message().contains("facility-1"),
        "{}",
        taken.message()
    );
});

/// An audit of s1 against `checklist` with one change.
fn audit_with(
    checklist: &str,
    change: impl FnOnce(&mut pb::FacilityAudit),
) -> pb::CreateFacilityAuditRequest {
    let mut a = audit("s1", checklist, 1, &["TIDY"]);
    change(&mut a);
    create_audit_request(a)
}

both!(every_audit_field_is_checked, |h: Harness| async move {
    let fx = Fixture::build(&h).await;
    let c = &mut h.audits(who::oem());
    let list = create_checklist(c, "facility-1").await;
    let l = list.id.as_str();
    let token = {
        for days in [1, 2] {
            record(c, audit(&fx.s3.id, l, days, &[])).await;
        }
        c.list_facility_audits(pb::ListFacilityAuditsRequest {
            page_size: 1,
            station_id: fx.s3.id.clone(),
            ..Default::default()
        })
        .await
        .answer()
        .next_page_token
    };
    assert!(!token.is_empty());
    let pool = |a: &mut pb::FacilityAudit| {
        a.verdicts.push(pb::AuditVerdict {
            item_code: "POOL".into(),
            passed: true,
            note: String::new(),
        })
    };
    let twice = |a: &mut pb::FacilityAudit| {
        let again = a.verdicts[1].clone();
        a.verdicts.push(again)
    };
    let ahead = days_ago(-1);
    #[rustfmt::skip]
    let cases: Vec<(&str, String)> = vec![
        ("facility_audit", c.create_facility_audit(pb::CreateFacilityAuditRequest { facility_audit: None, ..audit_with(l, |_| {}) }).await.bad_field()),
        ("facility_audit_id", c.create_facility_audit(pb::CreateFacilityAuditRequest { facility_audit_id: "A 1".into(), ..audit_with(l, |_| {}) }).await.bad_field()),
        ("facility_audit.station_id", c.create_facility_audit(audit_with(l, |a| a.station_id = String::new())).await.bad_field()),
        ("facility_audit.audit_checklist_id", c.create_facility_audit(audit_with(l, |a| a.audit_checklist_id = "Facility".into())).await.bad_field()),
        ("facility_audit.audit_time", c.create_facility_audit(audit_with(l, |a| a.audit_time = None)).await.bad_field()),
        ("facility_audit.audit_time", c.create_facility_audit(audit_with(l, |a| a.audit_time = ahead)).await.bad_field()),
        ("facility_audit.audit_time", c.create_facility_audit(audit_with(l, |a| a.audit_time.as_mut().unwrap().nanos = -1)).await.bad_field()),
        ("facility_audit.verdicts[1].item_code", c.create_facility_audit(audit_with(l, |a| a.verdicts[1].item_code = "tidy".into())).await.bad_field()),
        ("facility_audit.verdicts[2].note", c.create_facility_audit(audit_with(l, |a| a.verdicts[2].note = "bell\u{7}".into())).await.bad_field()),
        ("facility_audit.verdicts[3].note", c.create_facility_audit(audit_with(l, |a| a.verdicts[3].note = "x".repeat(1001))).await.bad_field()),
        ("facility_audit.verdicts[5].item_code", c.create_facility_audit(audit_with(l, pool)).await.bad_field()),
        ("facility_audit.verdicts[5].item_code", c.create_facility_audit(audit_with(l, twice)).await.bad_field()),
        ("facility_audit.verdicts", c.create_facility_audit(audit_with(l, |a| { a.verdicts.pop(); })).await.bad_field()),
        ("facility_audit.verdicts", c.create_facility_audit(audit_with(l, |a| a.verdicts.clear())).await.bad_field()),
        ("id", c.get_facility_audit(pb::GetFacilityAuditRequest { id: String::new() }).await.bad_field()),
        ("page_size", c.list_facility_audits(pb::ListFacilityAuditsRequest { page_size: -3, ..Default::default() }).await.bad_field()),
        ("page_token", c.list_facility_audits(pb::ListFacilityAuditsRequest { page_token: "bm90IGEga2V5".into(), ..Default::default() }).await.bad_field()),
        ("page_token", c.list_facility_audits(pb::ListFacilityAuditsRequest { page_token: token.clone(), station_id: fx.s1.id.clone(), ..Default::default() }).await.bad_field()),
    ];
    for (expected, got) in cases {
        assert_eq!(got, expected);
    }

    // A station or checklist that does not exist.
    c.create_facility_audit(audit_with(l, |a| a.station_id = "s99".into()))
        .await
        .refused(Code::NotFound);
    c.create_facility_audit(audit_with(l, |a| a.audit_checklist_id = "none".into()))
        .await
        .refused(Code::NotFound);
    c.get_facility_audit(pb::GetFacilityAuditRequest { id: "none".into() })
        .await
        .refused(Code::NotFound);

    // Nothing was recorded for s1, and its level is as it was.
    let of_s1 = pb::ListFacilityAuditsRequest {
        station_id: fx.s1.id.clone(),
        ..Default::default()
    };
    let audits = c.list_facility_audits(of_s1).await.answer();
    assert!(audits.facility_audits.is_empty());
    assert_eq!(read_station(&h, &fx.s1.id).await, fx.s1);
    // The right token under its own filter goes on.
    let rest = c
        .list_facility_audits(pb::ListFacilityAuditsRequest {
            page_size: 1,
            page_token: token,
            station_id: fx.s3.id.clone(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(rest.facility_audits.len(), 1);
    assert!(rest.next_page_token.is_empty());
});
