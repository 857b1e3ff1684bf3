//! Labour operations and maintenance packages, like the catalogue: every
//! member of the network reads them; only head office changes them; a
//! survey link does neither; a forged caller is not heard.

use crate::{fixture::*, labour_fixture::*};

fn code<T>(r: Result<tonic::Response<T>, tonic::Status>) -> Code {
    r.map_or_else(|s| s.code(), |_| Code::Ok)
}

/// Calls every method once with `c`; the code of each answer (OK for
/// success), reads first, then changes. `n` makes the changes unlike those
/// of other callers.
async fn every_method(c: &mut LabourClient, n: i64) -> (Vec<Code>, Vec<Code>) {
    let later = now_seconds() + 1000 + n;
    let reads = vec![
        code(c.get_labour_operation(get_op("OIL-CHANGE")).await),
        code(c.list_labour_operations(list_ops(0, "")).await),
        code(c.get_labour_price(op_price_at("OIL-CHANGE", None)).await),
        code(c.get_maintenance_package(get_pkg("CITY-E-12M")).await),
        code(
            c.list_maintenance_packages(list_pkgs("CITY-E", 0, ""))
                .await,
        ),
        code(c.get_package_price(pkg_price_at("CITY-E-12M", None)).await),
    ];
    let renamed_op = pb::LabourOperation {
        operation_code: "OIL-CHANGE".into(),
        display_name: format!("Renamed {n}"),
        ..Default::default()
    };
    let renamed_pkg = pb::MaintenancePackage {
        package_id: "CITY-E-12M".into(),
        display_name: format!("Renamed {n}"),
        ..Default::default()
    };
    let mut new_pkg = city_12(&format!("NEW-{n}"));
    new_pkg.interval = Some(pb::ServiceInterval {
        months: 0,
        kilometres: 1000 + n as i32,
    });
    let changes = vec![
        code(
            c.create_labour_operation(create_op(operation(&format!("NEW-{n}"), 10)))
                .await,
        ),
        code(
            c.update_labour_operation(update_op(renamed_op, &["display_name"]))
                .await,
        ),
        code(
            c.schedule_labour_price_change(schedule_op("OIL-CHANGE", later, 1))
                .await,
        ),
        code(c.create_maintenance_package(create_pkg(new_pkg)).await),
        code(
            c.update_maintenance_package(update_pkg(renamed_pkg, &["display_name"]))
                .await,
        ),
        code(
            c.schedule_package_price_change(schedule_pkg("CITY-E-12M", later, 1))
                .await,
        ),
    ];
    (reads, changes)
}

async fn board(h: &Harness) {
    let c = &mut catalogue(h).await;
    create_package(c, city_12("CITY-E-12M")).await;
}

both!(
    members_read_only_head_office_changes,
    |h: Harness| async move {
        board(&h).await;
        let members = [who::region("north"), who::dealer("d1"), who::dms("d1")];
        for (n, member) in members.into_iter().enumerate() {
            let (reads, changes) = every_method(&mut h.labour(member), n as i64).await;
            assert_eq!(reads, [Code::Ok; 6]);
            assert_eq!(changes, [Code::PermissionDenied; 6]);
        }
        // Nothing changed.
        let c = &mut h.labour(who::oem());
        assert_eq!(
            c.get_labour_operation(get_op("OIL-CHANGE"))
                .await
                .answer()
                .etag,
            "1"
        );
        assert_eq!(
            c.get_maintenance_package(get_pkg("CITY-E-12M"))
                .await
                .answer()
                .etag,
            "1"
        );
        c.get_labour_operation(get_op("NEW-0"))
            .await
            .refused(Code::NotFound);
        c.get_maintenance_package(get_pkg("NEW-0"))
            .await
            .refused(Code::NotFound);
        // Head office may do all of it.
        let (reads, changes) = every_method(c, 9).await;
        assert_eq!(reads, [Code::Ok; 6]);
        assert_eq!(changes, [Code::Ok; 6]);
    }
);

both!(a_survey_link_is_refused, |h: Harness| async move {
    board(&h).await;
    let (reads, changes) = every_method(&mut h.labour(who::survey()), 0).await;
    assert_eq!(reads, [Code::PermissionDenied; 6]);
    assert_eq!(changes, [Code::PermissionDenied; 6]);
});

both!(
    a_forged_caller_is_unauthenticated,
    |h: Harness| async move {
        board(&h).await;
        let (reads, changes) = every_method(&mut h.labour_forger(), 0).await;
        assert_eq!(reads, [Code::Unauthenticated; 6]);
        assert_eq!(changes, [Code::Unauthenticated; 6]);
    }
);
