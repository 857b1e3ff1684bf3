//! Who may do what with audits, for every AuditService RPC: head office
//! keeps the checklists and the whole network reads them; head office and a
//! station's region record its audits; whoever sees a station reads them.
//! An audit outside the caller's scope is NOT_FOUND; a role that may never
//! make a change is PERMISSION_DENIED before anything is looked up; survey
//! links get nothing.

use aftercare_auth::Principal;
use tonic::{Response, Status};

use super::*;
use crate::support::who;

/// The network with one audit per station, recorded by head office: the
/// ids of the audits of s1, s2 (both d1, north), s3 (d2, north) and s4 (d3,
/// south).
async fn audited(h: &Harness) -> [String; 4] {
    let fx = Fixture::build(h).await;
    let mut oem = h.audits(who::oem());
    create_checklist(&mut oem, "facility-1").await;
    let mut ids = vec![];
    for s in [&fx.s1, &fx.s2, &fx.s3, &fx.s4] {
        let mut request = create_audit_request(audit(&s.id, "facility-1", 5, &["TIDY"]));
        request.facility_audit_id = format!("audit-{}", s.id);
        ids.push(oem.create_facility_audit(request).await.answer().id);
    }
    ids.try_into().expect("four audits")
}

fn ids_of<T>(
    r: Result<Response<T>, Status>,
    ids: impl Fn(&T) -> Vec<String>,
) -> Result<Vec<String>, Status> {
    r.map(|r| ids(r.get_ref()))
}

/// Calls every RPC, aimed at s1 and its audit; the lists filtered to s1.
async fn every_rpc(c: &mut AuditClient) -> Vec<(&'static str, Result<Vec<String>, Status>)> {
    let one = |x: &pb::FacilityAudit| vec![x.id.clone()];
    let list = |x: &pb::AuditChecklist| vec![x.id.clone()];
    let intruder = create_audit_request(audit("s1", "facility-1", 1, &[]));
    let of_s1 = pb::ListFacilityAuditsRequest {
        station_id: "s1".into(),
        ..Default::default()
    };
    #[rustfmt::skip]
    let probes = vec![
        ("CreateAuditChecklist", ids_of(c.create_audit_checklist(create_checklist_request("intruder", checklist("FACILITY"))).await, list)),
        ("GetAuditChecklist", ids_of(c.get_audit_checklist(pb::GetAuditChecklistRequest { id: "facility-1".into() }).await, list)),
        ("ListAuditChecklists", ids_of(c.list_audit_checklists(pb::ListAuditChecklistsRequest::default()).await, |x| ids(&x.audit_checklists, |c| &c.id))),
        ("CreateFacilityAudit", ids_of(c.create_facility_audit(intruder).await, one)),
        ("GetFacilityAudit", ids_of(c.get_facility_audit(pb::GetFacilityAuditRequest { id: "audit-s1".into() }).await, one)),
        ("ListFacilityAudits", ids_of(c.list_facility_audits(of_s1).await, |x| ids(&x.facility_audits, |a| &a.id))),
    ];
    probes
}

/// One letter per RPC in the order of [`every_rpc`]: `A` answers with
/// objects, `L` a list without s1's audit, `N` NOT_FOUND, `P`
/// PERMISSION_DENIED, `U` UNAUTHENTICATED. No refusal names s1.
fn assert_answers(probes: &[(&'static str, Result<Vec<String>, Status>)], expected: &str) {
    assert_eq!(expected.len(), probes.len());
    for ((rpc, result), want) in probes.iter().zip(expected.chars()) {
        let code = match want {
            'A' => {
                assert!(
                    matches!(result, Ok(ids) if !ids.is_empty()),
                    "{rpc}: {result:?}"
                );
                continue;
            }
            'L' => {
                let ids = result.as_ref().unwrap_or_else(|s| panic!("{rpc}: {s:?}"));
                assert!(
                    !ids.contains(&"audit-s1".to_owned()),
                    "{rpc} leaked {ids:?}"
                );
                continue;
            }
            'N' => Code::NotFound,
            'P' => Code::PermissionDenied,
            'U' => Code::Unauthenticated,
            other => panic!("unknown expectation {other}"),
        };
        let status = result.as_ref().err().unwrap_or_else(|| {
            panic!("{rpc} should be refused with {code:?}, answered {result:?}")
        });
        assert_eq!(status.code(), code, "{rpc}: {}", status.message());
        assert!(
            !status.message().contains("Station One"),
            "{rpc}: {}",
            status.message()
        );
    }
}

/// Head office finds the checklist and the four audits as they were, and
/// s1's star level unchanged.
async fn assert_untouched(h: &Harness, recorded: &[String; 4]) {
    let mut oem = h.audits(who::oem());
    let lists = oem
        .list_audit_checklists(pb::ListAuditChecklistsRequest::default())
        .await
        .answer();
    assert_eq!(ids(&lists.audit_checklists, |c| &c.id), ["facility-1"]);
    let audits = oem
        .list_facility_audits(pb::ListFacilityAuditsRequest::default())
        .await
        .answer();
    let mut got = ids(&audits.facility_audits, |x| &x.id);
    got.sort();
    assert_eq!(got, recorded);
    // 80 of 100 points: 4 stars.
    assert_eq!(read_station(h, "s1").await.star_level, 4);
}

//                          checklists  audits
//                          C G L       C G L
const OTHER_DEALER: &str = "P A A       P N L";
const OTHER_REGION: &str = "P A A       N N L";
const OTHER_STATION: &str = "P A A      P N L";
const OWN_DEALER: &str = "  P A A       P A A";
const SURVEY_LINK: &str = " P N P       P N P";
const FORGED: &str = "      U U U       U U U";

fn letters(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

both!(
    callers_outside_a_station_are_refused_its_audits,
    |h: Harness| async move {
        let audits = audited(&h).await;
        let refused: Vec<(Principal, &str)> = vec![
            (who::dealer("d2"), OTHER_DEALER),
            (who::dms("d2"), OTHER_DEALER),
            (who::region("south"), OTHER_REGION),
            (who::station_staff("d1", "s2"), OTHER_STATION),
            (who::dealer("d1"), OWN_DEALER),
            (who::dms("d1"), OWN_DEALER),
            (who::survey(), SURVEY_LINK),
        ];
        for (principal, expected) in refused {
            let probes = every_rpc(&mut h.audits(principal)).await;
            assert_answers(&probes, &letters(expected));
        }
        let probes = every_rpc(&mut h.audit_forger()).await;
        assert_answers(&probes, &letters(FORGED));
        assert_untouched(&h, &audits).await;
    }
);

both!(
    head_office_and_the_region_record_and_everyone_reads_their_own,
    |h: Harness| async move {
        let audits = audited(&h).await;
        for principal in [who::oem(), who::region("north")] {
            let mut c = h.audits(principal.clone());
            let probes = every_rpc(&mut c).await;
            // Head office may also create the checklist; the region may not.
            let expected = if principal == who::oem() {
                "AAAAAA"
            } else {
                "PAAAAA"
            };
            assert_answers(&probes, expected);
        }

        // Each list holds what its caller sees, newest first: the four
        // were recorded one after the other, s4's last.
        let [s1, s2, s3, s4] = audits.clone();
        let seen = [
            (
                who::oem(),
                vec![s4.clone(), s3.clone(), s2.clone(), s1.clone()],
            ),
            (
                who::region("north"),
                vec![s3.clone(), s2.clone(), s1.clone()],
            ),
            (who::region("south"), vec![s4.clone()]),
            (who::dealer("d1"), vec![s2.clone(), s1.clone()]),
            (who::dms("d1"), vec![s2.clone(), s1.clone()]),
            (who::station_staff("d1", "s2"), vec![s2.clone()]),
            (who::dealer("d2"), vec![s3.clone()]),
        ];
        for (principal, expected) in seen {
            let mut c = h.audits(principal.clone());
            let all = c
                .list_facility_audits(pb::ListFacilityAuditsRequest::default())
                .await
                .answer();
            // Leaving out the probes' audits of s1, taken later.
            let got: Vec<String> = ids(&all.facility_audits, |x| &x.id)
                .into_iter()
                .filter(|id| audits.contains(id))
                .collect();
            assert_eq!(got, expected, "{principal:?}");
        }
        // A filter does not widen the scope.
        let of_d1 = pb::ListFacilityAuditsRequest {
            dealer_id: "d1".into(),
            ..Default::default()
        };
        let none = h
            .audits(who::dealer("d2"))
            .list_facility_audits(of_d1)
            .await
            .answer();
        assert!(none.facility_audits.is_empty());

        // The dealer's own staff and DMS read their station's audit.
        for principal in [
            who::dealer("d1"),
            who::dms("d1"),
            who::station_staff("d1", "s1"),
        ] {
            let got = h
                .audits(principal)
                .get_facility_audit(pb::GetFacilityAuditRequest { id: s1.clone() })
                .await
                .answer();
            assert_eq!(got.station_id, "s1");
        }
    }
);
