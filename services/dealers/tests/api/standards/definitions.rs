//! Standards and their versions: what is stored is what is read back, a
//! version is added only after the latest and not in the past, pilot
//! stations are shown to those who see them, and references must exist.

use aftercare_proto::dealers::v1::{RepairOrderType::*, StandardMoment::*};
use time::macros::datetime;

use super::{harness::*, month::march};
use crate::fixture::*;

fn open_15() -> pb::ServiceStandard {
    let first = version(datetime!(2026-03-01 0:00 UTC), 15, 9000, false, &[]);
    pb::ServiceStandard {
        order_types: vec![Repair as i32, Maintenance as i32],
        ..standard("RO-OPEN-15", Arrival, Opened, first)
    }
}

both!(
    a_standard_reads_back_as_created,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        s.set_clock(datetime!(2026-02-20 9:00:00.123456789 UTC));
        let oem = &mut s.oem();
        let created = oem
            .create_service_standard(create(open_15()))
            .await
            .answer();
        assert_eq!(created.code, "RO-OPEN-15");
        assert_eq!(created.display_name, "Standard RO-OPEN-15");
        assert_eq!(created.description, "Measured on every repair order.");
        assert_eq!(
            (created.from_moment, created.to_moment),
            (Arrival as i32, Opened as i32)
        );
        // Order types come back in a fixed order, whatever order they were sent in.
        assert_eq!(created.order_types, [Maintenance as i32, Repair as i32]);
        assert_eq!(created.first_version, None, "input only");
        assert_eq!(created.versions.len(), 1);
        let v1 = &created.versions[0];
        assert_eq!(
            (v1.version, v1.target_basis_points, v1.key, v1.pilot),
            (1, 9000, false, false)
        );
        assert_eq!(v1.threshold, minutes(15));
        assert_eq!(v1.effective_time, ts(datetime!(2026-03-01 0:00 UTC)));
        // Times are kept to the microsecond.
        assert_eq!(
            created.create_time,
            ts(datetime!(2026-02-20 9:00:00.123456 UTC))
        );
        assert_eq!(created.update_time, created.create_time);

        let got = oem
            .get_service_standard(pb::GetServiceStandardRequest {
                code: "RO-OPEN-15".into(),
            })
            .await
            .answer();
        assert_eq!(got, created);
        let dms = &mut s.as_(who::dms("d3"));
        let listed = dms
            .list_service_standards(pb::ListServiceStandardsRequest::default())
            .await
            .answer();
        assert_eq!(listed.service_standards, [created]);
        assert_eq!(listed.next_page_token, "");
    }
);

both!(
    standards_list_by_code_in_pages,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        let oem = &mut s.oem();
        for code in ["C-3", "A-1", "B-2"] {
            let st = pb::ServiceStandard {
                code: code.into(),
                ..open_15()
            };
            oem.create_service_standard(create(st)).await.answer();
        }
        let page = |token: String| pb::ListServiceStandardsRequest {
            page_size: 2,
            page_token: token,
        };
        let first = oem
            .list_service_standards(page(String::new()))
            .await
            .answer();
        let codes: Vec<_> = first
            .service_standards
            .iter()
            .map(|x| x.code.as_str())
            .collect();
        assert_eq!(codes, ["A-1", "B-2"]);
        let second = oem
            .list_service_standards(page(first.next_page_token))
            .await
            .answer();
        let codes: Vec<_> = second
            .service_standards
            .iter()
            .map(|x| x.code.as_str())
            .collect();
        assert_eq!(codes, ["C-3"]);
        assert_eq!(second.next_page_token, "");
        // Each carries its versions and order types, loaded for the page.
        assert!(second.service_standards[0].versions.len() == 1);
        assert_eq!(second.service_standards[0].order_types.len(), 2);
    }
);

both!(
    a_version_takes_effect_after_the_latest_and_not_in_the_past,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        let oem = &mut s.oem();
        s.set_clock(datetime!(2026-02-20 9:00 UTC));
        oem.create_service_standard(create(open_15()))
            .await
            .answer();
        s.set_clock(datetime!(2026-03-10 9:00 UTC));
        let at = |t| version(t, 10, 9500, true, &["s1"]);
        // On or before version 1's effective time.
        let same = add("RO-OPEN-15", at(datetime!(2026-03-01 0:00 UTC)));
        assert_eq!(
            oem.add_standard_version(same).await.bad_field(),
            "version.effective_time"
        );
        // After it, but before now: ROs already opened would change verdicts.
        let past = add("RO-OPEN-15", at(datetime!(2026-03-10 8:59 UTC)));
        assert_eq!(
            oem.add_standard_version(past).await.bad_field(),
            "version.effective_time"
        );

        let v2 = add("RO-OPEN-15", at(datetime!(2026-03-16 0:00 UTC)));
        let added = oem.add_standard_version(v2).await.answer();
        assert_eq!(added.versions.len(), 2);
        let v = &added.versions[1];
        assert_eq!(
            (v.version, v.target_basis_points, v.key, v.pilot),
            (2, 9500, true, true)
        );
        assert_eq!(v.pilot_station_ids, ["s1"]);
        assert_eq!(added.update_time, ts(datetime!(2026-03-10 9:00 UTC)));
        // Version 1 stays as it was.
        assert_eq!(added.versions[0].threshold, minutes(15));
        // Version 3 must come after version 2.
        let early = add("RO-OPEN-15", at(datetime!(2026-03-15 0:00 UTC)));
        let status = oem
            .add_standard_version(early)
            .await
            .refused(Code::InvalidArgument);
        assert!(
            status.message().contains("version 2"),
            "{}",
            status.message()
        );
        let got = oem
            .get_service_standard(pb::GetServiceStandardRequest {
                code: "RO-OPEN-15".into(),
            })
            .await
            .answer();
        assert_eq!(got, added);
    }
);

both!(
    pilot_stations_are_shown_to_those_who_see_them,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        let get = pb::GetServiceStandardRequest {
            code: "RO-OPEN-15".into(),
        };
        for (principal, shown) in [
            (who::oem(), vec!["s1"]),
            (who::region("north"), vec!["s1"]),
            (who::dealer("d1"), vec!["s1"]),
            (who::dms("d1"), vec!["s1"]),
            (who::station_staff("d1", "s1"), vec!["s1"]),
            (who::station_staff("d1", "s2"), vec![]),
            (who::dealer("d2"), vec![]),
            (who::region("south"), vec![]),
        ] {
            let subject = principal.subject.clone();
            let got = s
                .as_(principal)
                .get_service_standard(get.clone())
                .await
                .answer();
            let v2 = &got.versions[1];
            assert!(v2.pilot, "{subject} learns that version 2 is a pilot");
            assert_eq!(v2.pilot_station_ids, shown, "{subject}");
        }
    }
);

both!(
    what_a_request_names_must_exist,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        let oem = &mut s.oem();
        s.set_clock(datetime!(2026-02-20 9:00 UTC));
        let mut unknown_pilot = open_15();
        unknown_pilot
            .first_version
            .as_mut()
            .unwrap()
            .pilot_station_ids = vec!["s1".into(), "s9".into()];
        let status = oem
            .create_service_standard(create(unknown_pilot))
            .await
            .refused(Code::NotFound);
        assert!(status.message().contains("s9"), "{}", status.message());

        oem.create_service_standard(create(open_15()))
            .await
            .answer();
        let again = oem.create_service_standard(create(open_15())).await;
        again.refused(Code::AlreadyExists);

        let v = version(datetime!(2026-04-01 0:00 UTC), 10, 9000, false, &[]);
        oem.add_standard_version(add("NO-SUCH", v.clone()))
            .await
            .refused(Code::NotFound);
        let pilot_gone = pb::StandardVersion {
            pilot_station_ids: vec!["s9".into()],
            ..v
        };
        oem.add_standard_version(add("RO-OPEN-15", pilot_gone))
            .await
            .refused(Code::NotFound);
        oem.get_service_standard(pb::GetServiceStandardRequest {
            code: "NO-SUCH".into(),
        })
        .await
        .refused(Code::NotFound);
        oem.get_standard_compliance(compliance("NO-SUCH", None))
            .await
            .refused(Code::NotFound);
        for scope in [
            In::StationId("s9".into()),
            In::DealerId("d9".into()),
            In::RegionId("west".into()),
        ] {
            oem.get_standard_compliance(compliance("", Some(scope)))
                .await
                .refused(Code::NotFound);
        }
        // Nothing of the refused requests was kept.
        let got = oem
            .get_service_standard(pb::GetServiceStandardRequest {
                code: "RO-OPEN-15".into(),
            })
            .await
            .answer();
        assert_eq!(got.versions.len(), 1);
        assert!(got.versions[0].pilot_station_ids.is_empty());
    }
);
