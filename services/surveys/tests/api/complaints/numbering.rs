use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::{Outcome, who};

use super::support::{Net, opening};
use crate::both;

both!(
    a_hundred_concurrent_openings_are_numbered_1_to_100,
    crate::complaints::support::start,
    |net: Net| async move {
        let calls = (0..100).map(|_| {
            let mut c = net.client(who::dealer("d1"));
            async move {
                c.open_complaint(opening("s1", pb::ComplaintSeverity::Low))
                    .await
                    .answer()
                    .id
            }
        });
        let mut ids = futures::future::join_all(calls).await;
        ids.sort();
        let expected: Vec<String> = (1..=100).map(|n| format!("CP-202603-{n:04}")).collect();
        assert_eq!(ids, expected);
    }
);
