//! An audit is scored when it is recorded, and the station's latest audit
//! by audit time gives the station its star level.

use super::*;
use crate::support::who;

both!(
    an_audit_sets_the_stations_star_level,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut oem = h.audits(who::oem());
        let list = create_checklist(&mut oem, "facility-1").await;
        assert_eq!((list.id.as_str(), list.version), ("facility-1", 1));
        assert_eq!(list.items.len(), 5);
        assert!(list.create_time.is_some());
        let got = oem
            .get_audit_checklist(pb::GetAuditChecklistRequest {
                id: list.id.clone(),
            })
            .await
            .answer();
        assert_eq!(got, list, "read back as created");
        // The fixture's stations were given 3 stars by hand.
        assert_eq!(fx.s1.star_level, 3);

        // The region records an audit: 70 of 100 points, 3 stars, which
        // confirms the level and leaves the station as it was.
        let mut north = h.audits(who::region("north"));
        let mut request = audit(&fx.s1.id, &list.id, 3, &["SIGNAGE", "LOUNGE"]);
        request.verdicts[0].note = "Sign faded".into();
        let a = record(&mut north, request).await;
        assert_eq!(
            (a.score_basis_points, a.mandatory_failed, a.star_level),
            (7_000, 0, 3)
        );
        assert_eq!(a.auditor, "rm-north");
        assert_eq!(
            (a.dealer_id.as_str(), a.region_id.as_str()),
            ("d1", "north")
        );
        assert_eq!(a.verdicts[0].note, "Sign faded");
        assert_eq!(read_station(&h, &fx.s1.id).await, fx.s1);

        let got = h
            .audits(who::dealer("d1"))
            .get_facility_audit(pb::GetFacilityAuditRequest { id: a.id.clone() })
            .await
            .answer();
        assert_eq!(got, a, "read back as recorded");

        // Verdicts are answered in the checklist's order however they come.
        let mut reversed = audit(&fx.s1.id, &list.id, 1, &[]);
        reversed.verdicts.reverse();
        let b = record(&mut oem, reversed).await;
        let codes: Vec<_> = b.verdicts.iter().map(|v| v.item_code.as_str()).collect();
        assert_eq!(codes, ["SIGNAGE", "TIDY", "LOUNGE", "TOOLS", "HV-ZONE"]);
        assert_eq!((b.star_level, b.auditor.as_str()), (5, "head-office"));
        // A level the audit changes changes the station, and its etag.
        let s1 = read_station(&h, &fx.s1.id).await;
        assert_eq!(s1.star_level, 5);
        assert_ne!(s1.etag, fx.s1.etag);
        // The other stations are untouched.
        assert_eq!(read_station(&h, &fx.s2.id).await, fx.s2);
    }
);

both!(
    a_failed_mandatory_item_caps_the_level,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut oem = h.audits(who::oem());
        let list = create_checklist(&mut oem, "facility-1").await;
        // 80 of 100 would be 4 stars, but the high-voltage zone failed.
        let a = record(&mut oem, audit(&fx.s3.id, &list.id, 2, &["HV-ZONE"])).await;
        assert_eq!(
            (a.score_basis_points, a.mandatory_failed, a.star_level),
            (8_000, 1, 2)
        );
        assert_eq!(read_station(&h, &fx.s3.id).await.star_level, 2);
        // Both mandatory items and tidiness failed: 30 of 100, no star.
        let a = record(
            &mut oem,
            audit(&fx.s3.id, &list.id, 1, &["TOOLS", "HV-ZONE", "TIDY"]),
        )
        .await;
        assert_eq!(
            (a.score_basis_points, a.mandatory_failed, a.star_level),
            (3_000, 2, 0)
        );
        assert_eq!(read_station(&h, &fx.s3.id).await.star_level, 0);
    }
);

both!(
    an_older_audit_recorded_later_does_not_override,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut oem = h.audits(who::oem());
        let list = create_checklist(&mut oem, "facility-1").await;
        let newer = record(&mut oem, audit(&fx.s1.id, &list.id, 10, &["LOUNGE"])).await;
        assert_eq!(newer.star_level, 4);
        let before = read_station(&h, &fx.s1.id).await;
        assert_eq!(before.star_level, 4);

        // Last month's audit, typed in today: kept, scored, and nothing else.
        let older = record(&mut oem, audit(&fx.s1.id, &list.id, 40, &["TOOLS"])).await;
        assert_eq!(older.star_level, 2);
        assert_eq!(
            read_station(&h, &fx.s1.id).await,
            before,
            "station unchanged"
        );

        // An audit at the very time of the latest, recorded after it,
        // counts.
        let mut same_time = audit(&fx.s1.id, &list.id, 0, &[]);
        same_time.audit_time = newer.audit_time;
        let same = record(&mut oem, same_time).await;
        assert_eq!(same.star_level, 5);
        assert_eq!(read_station(&h, &fx.s1.id).await.star_level, 5);

        // Newest audit time first, in pages.
        let mut seen = vec![];
        let mut token = String::new();
        loop {
            let page = oem
                .list_facility_audits(pb::ListFacilityAuditsRequest {
                    page_size: 1,
                    page_token: token,
                    station_id: fx.s1.id.clone(),
                    ..Default::default()
                })
                .await
                .answer();
            seen.extend(page.facility_audits);
            token = page.next_page_token;
            if token.is_empty() {
                break;
            }
        }
        let ids = ids(&seen, |a| &a.id);
        let (first, second) = if same.id > newer.id {
            (&same.id, &newer.id)
        } else {
            (&newer.id, &same.id)
        };
        assert_eq!(ids, [first.clone(), second.clone(), older.id.clone()]);
        assert_eq!(seen[2], older, "listed as recorded");
    }
);

both!(checklists_are_versioned_by_code, |h: Harness| async move {
    let mut oem = h.audits(who::oem());
    let first = create_checklist(&mut oem, "facility-2026").await;
    let mut next = checklist("FACILITY");
    next.items.pop();
    next.display_name = "Facility standard, 2027".into();
    let second = oem
        .create_audit_checklist(create_checklist_request("", next))
        .await
        .answer();
    assert_eq!((first.version, second.version), (1, 2));
    assert_eq!(second.items.len(), 4);
    let other = oem
        .create_audit_checklist(create_checklist_request("quick", checklist("QUICK")))
        .await
        .answer();
    assert_eq!(other.version, 1, "versions count per code");

    let by_code = oem
        .list_audit_checklists(pb::ListAuditChecklistsRequest {
            code: "FACILITY".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        by_code.audit_checklists,
        by_id(&[&first, &second], |c| &c.id)
    );
    let all = h
        .audits(who::dms("d3"))
        .list_audit_checklists(pb::ListAuditChecklistsRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(all.audit_checklists.len(), 2);
    assert!(!all.next_page_token.is_empty());
});

both!(
    a_station_with_audits_is_not_deleted,
    |h: Harness| async move {
        let _network = Fixture::build(&h).await;
        let mut oem = h.audits(who::oem());
        let list = create_checklist(&mut oem, "facility-1").await;
        let mut c = h.oem();
        let bare = create_station(&mut c, "s9", station("d1", "Nine", "S9")).await;
        record(&mut oem, audit(&bare.id, &list.id, 1, &[])).await;
        let s9 = read_station(&h, &bare.id).await;
        let status = c
            .delete_station(delete::station(&s9.id, &s9.etag))
            .await
            .refused(Code::FailedPrecondition);
        assert!(status.message().contains("audits"), "{}", status.message());
    }
);
