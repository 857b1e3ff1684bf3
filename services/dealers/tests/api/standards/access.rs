//! Every RPC of ServiceStandardService by every kind of caller. Head office
//! defines; the network reads definitions; compliance is read within the
//! caller's scope. O answered, N NOT_FOUND, P PERMISSION_DENIED, U
//! UNAUTHENTICATED.

use aftercare_auth::Principal;
use time::macros::datetime;
use tonic::{Response, Status};

use super::{harness::*, month::march};
use crate::fixture::*;

fn letter<T>(r: &Result<Response<T>, Status>) -> char {
    match r {
        Ok(_) => 'O',
        Err(s) => match s.code() {
            Code::NotFound => 'N',
            Code::PermissionDenied => 'P',
            Code::Unauthenticated => 'U',
            other => panic!("unexpected {other:?}: {}", s.message()),
        },
    }
}

/// The callers, and what each gets from Create, AddVersion, Get, List.
fn definers() -> Vec<(&'static str, Option<Principal>, &'static str)> {
    vec![
        ("oem", Some(who::oem()), "OOOO"),
        ("north", Some(who::region("north")), "PPOO"),
        ("dealer d1", Some(who::dealer("d1")), "PPOO"),
        ("staff s1", Some(who::station_staff("d1", "s1")), "PPOO"),
        ("dms d1", Some(who::dms("d1")), "PPOO"),
        ("survey", Some(who::survey()), "PPNP"),
        ("forged", None, "UUUU"),
    ]
}

both!(
    head_office_defines_and_the_network_reads,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        s.set_clock(datetime!(2026-04-02 12:00 UTC));
        for (i, (name, principal, expected)) in definers().into_iter().enumerate() {
            let mut c = principal.map_or_else(|| s.forger(), |p| s.as_(p));
            let first = version(datetime!(2026-05-01 0:00 UTC), 15, 9000, false, &[]);
            let code = format!("NEW-{i}");
            let new = standard(
                &code,
                pb::StandardMoment::Arrival,
                pb::StandardMoment::Opened,
                first,
            );
            let later = version(datetime!(2026-06-01 0:00 UTC), 10, 9000, false, &[]);
            let answers = [
                letter(&c.create_service_standard(create(new)).await),
                letter(&c.add_standard_version(add("RO-OPEN-15", later)).await),
                letter(
                    &c.get_service_standard(pb::GetServiceStandardRequest {
                        code: "RO-OPEN-15".into(),
                    })
                    .await,
                ),
                letter(
                    &c.list_service_standards(pb::ListServiceStandardsRequest::default())
                        .await,
                ),
            ];
            assert_eq!(answers.iter().collect::<String>(), expected, "{name}");
        }
        // Only head office's standard and version were added.
        let all = s
            .oem()
            .list_service_standards(pb::ListServiceStandardsRequest::default())
            .await
            .answer()
            .service_standards;
        let codes: Vec<_> = all.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "CALLBACK-72H",
                "DELIVER-BY-PROMISE",
                "FAST-LANE-60",
                "NEW-0",
                "RO-OPEN-15"
            ]
        );
        let open = all.iter().find(|x| x.code == "RO-OPEN-15").unwrap();
        assert_eq!(open.versions.len(), 3);
    }
);

//                           s1 s2 s3 s4 d1 d2 d3 north south network
const SCOPES: usize = 10;

fn readers() -> Vec<(&'static str, Option<Principal>, &'static str)> {
    vec![
        ("oem", Some(who::oem()), "OOOO OOO OO O"),
        ("north", Some(who::region("north")), "OOON OON OP P"),
        ("south", Some(who::region("south")), "NNNO NNO PO P"),
        ("dealer d1", Some(who::dealer("d1")), "OONN ONN PP P"),
        ("dealer d2", Some(who::dealer("d2")), "NNON NON PP P"),
        (
            "staff s1",
            Some(who::station_staff("d1", "s1")),
            "ONNN PNN PP P",
        ),
        (
            "staff s2",
            Some(who::station_staff("d1", "s2")),
            "NONN PNN PP P",
        ),
        ("dms d1", Some(who::dms("d1")), "OONN ONN PP P"),
        ("survey", Some(who::survey()), "PPPP PPP PP P"),
        ("forged", None, "UUUU UUU UU U"),
    ]
}

both!(
    compliance_is_read_within_the_callers_scope,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        let scopes: [Option<In>; SCOPES] = [
            Some(In::StationId("s1".into())),
            Some(In::StationId("s2".into())),
            Some(In::StationId("s3".into())),
            Some(In::StationId("s4".into())),
            Some(In::DealerId("d1".into())),
            Some(In::DealerId("d2".into())),
            Some(In::DealerId("d3".into())),
            Some(In::RegionId("north".into())),
            Some(In::RegionId("south".into())),
            None,
        ];
        for (name, principal, expected) in readers() {
            let mut c = principal.map_or_else(|| s.forger(), |p| s.as_(p));
            let mut answers = String::new();
            for scope in &scopes {
                let r = c
                    .get_standard_compliance(compliance("", scope.clone()))
                    .await;
                if let Ok(r) = &r {
                    assert_eq!(r.get_ref().results.len(), 4, "{name}: one per standard");
                }
                answers.push(letter(&r));
            }
            assert_eq!(answers, expected.replace(' ', ""), "{name}");
        }
    }
);

both!(
    a_refusal_does_not_tell_what_exists,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        // Another dealer's station and one that does not exist answer alike.
        let d2 = &mut s.as_(who::dealer("d2"));
        for station in ["s1", "s9"] {
            let r = d2
                .get_standard_compliance(compliance("", Some(In::StationId(station.into()))))
                .await
                .refused(Code::NotFound);
            assert_eq!(r.message(), format!("station {station} not found"));
        }
        // A survey link is refused before anything is looked up.
        let survey = &mut s.as_(who::survey());
        for station in ["s1", "s9"] {
            survey
                .get_standard_compliance(compliance("", Some(In::StationId(station.into()))))
                .await
                .refused(Code::PermissionDenied);
        }
        for code in ["RO-OPEN-15", "NO-SUCH"] {
            let get = pb::GetServiceStandardRequest { code: code.into() };
            survey
                .get_service_standard(get)
                .await
                .refused(Code::NotFound);
        }
    }
);
