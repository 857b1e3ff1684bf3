//! WatchLeagueTable: the first page now, then pushed again when a response
//! moves the table, with the members that moved; read as GetLeagueTable
//! reads, with the same access.

use aftercare_auth::Principal;
use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::within;
use tokio_stream::StreamExt;
use tonic::{Code, Streaming};

use super::{NOVEMBER, answer, network, nps, table};
use crate::{
    both,
    support::{Harness, code_of, field_of, who},
};

async fn watch(
    h: &Harness,
    p: Principal,
    key: Option<pb::LeagueTableKey>,
) -> Result<Streaming<pb::LeagueTableUpdate>, tonic::Status> {
    h.leagues(p)
        .watch_league_table(pb::WatchLeagueTableRequest {
            table: key,
            page_size: 0,
        })
        .await
        .map(|r| r.into_inner())
}

async fn next(stream: &mut Streaming<pb::LeagueTableUpdate>) -> pb::LeagueTableUpdate {
    within("the next league update", stream.next())
        .await
        .expect("the stream stays open")
        .expect("an update")
}

both!(
    a_response_that_moves_the_table_is_pushed_with_its_moves,
    |h: Harness| async move {
        network(&h).await;
        let mut stream = watch(&h, who::oem(), nps("", 11)).await.expect("watching");
        let first = next(&mut stream).await;
        assert!(first.moves.is_empty());
        assert_eq!(first.table, Some(table(&h, nps("", 11)).await));
        // d4's second promoter: it reaches the minimum sample and is ranked.
        answer(&h, "n4b", "d4", "r1", NOVEMBER, true).await;
        let update = next(&mut stream).await;
        let d4 = update
            .moves
            .iter()
            .find(|m| m.member_id == "d4")
            .unwrap_or_else(|| panic!("d4 moved: {update:?}"));
        assert_eq!(d4.from_rank, None);
        assert!(d4.to_rank.is_some(), "{d4:?}");
        assert_eq!(update.table, Some(table(&h, nps("", 11)).await));
    }
);

both!(a_watch_reads_as_the_table_reads, |h: Harness| async move {
    network(&h).await;
    // What a caller may not read, it may not watch.
    assert_eq!(
        code_of(watch(&h, who::region("r1"), nps("r2", 11)).await),
        Code::PermissionDenied
    );
    assert_eq!(
        code_of(watch(&h, who::link(), nps("", 11)).await),
        Code::PermissionDenied
    );
    assert_eq!(field_of(watch(&h, who::oem(), None).await), "table");
    let negative = h
        .leagues(who::oem())
        .watch_league_table(pb::WatchLeagueTableRequest {
            table: nps("", 11),
            page_size: -1,
        })
        .await;
    assert_eq!(field_of(negative), "page_size");
    // A dealer sees its own figures only, interval included.
    let mut stream = watch(&h, who::dealer("d1"), nps("", 11))
        .await
        .expect("watching");
    let page = next(&mut stream).await.table.expect("a page");
    for e in &page.entries {
        let own = e.member_id == "d1";
        assert_eq!(e.estimate.is_some(), own, "{e:?}");
        assert_eq!(e.interval_low.is_some(), own, "{e:?}");
        assert_eq!(e.interval_high.is_some(), own, "{e:?}");
    }
});
