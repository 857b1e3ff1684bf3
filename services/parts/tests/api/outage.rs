//! A database out of reach is an outage: UNAVAILABLE, which a client
//! retries with the same request_id, not INTERNAL.

use crate::fixture::*;

both!(
    calls_while_the_database_is_out_of_reach_are_unavailable,
    |h: Harness| async move {
        let c = &mut h.oem();
        create_part(c, part("OF-100", "FILTERS")).await;
        h.lose_the_database().await;

        let created = c
            .create_part(create(part("OF-200", "FILTERS")))
            .await
            .expect_err("no database, no part");
        assert_eq!(created.code(), Code::Unavailable, "{created:?}");
        let got = c.get_part(get("OF-100")).await.expect_err("no database");
        assert_eq!(got.code(), Code::Unavailable, "{got:?}");
    }
);
