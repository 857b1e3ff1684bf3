//! Who reads which tables, and what a caller sees of the other members:
//! head office everything; a region manager the national tables and its
//! own region's, with the figures of its region's members; a dealer (staff
//! or DMS) every table, with its own figures and only the id, name, rank
//! and movement of the others; a survey link nothing. Only head office
//! rebuilds.

use aftercare_auth::Principal;
use aftercare_proto::surveys::v1 as pb;
use tonic::Code;

use super::{month, network, nps};
use crate::{
    both,
    support::{Harness, code_of, dealer_name, who},
};

async fn read(
    h: &Harness,
    p: Principal,
    key: Option<pb::LeagueTableKey>,
) -> Result<pb::LeagueTable, tonic::Status> {
    h.leagues(p)
        .get_league_table(pb::GetLeagueTableRequest {
            table: key,
            page_size: 0,
            page_token: String::new(),
        })
        .await
        .map(|r| r.into_inner())
}

/// Whose figures (raw value, sample, estimate) the entries show.
fn figures_shown(t: &pb::LeagueTable) -> Vec<(String, bool)> {
    t.entries
        .iter()
        .map(|e| {
            let shown = e.sample_size.is_some();
            // All the figures are shown or hidden together; the interval
            // holds the estimate.
            assert_eq!(e.estimate.is_some(), shown, "{e:?}");
            assert_eq!(e.raw_value.is_some(), shown, "{e:?}");
            assert_eq!(e.interval_low.is_some(), shown, "{e:?}");
            assert_eq!(e.interval_high.is_some(), shown, "{e:?}");
            if let (Some(low), Some(estimate), Some(high)) =
                (e.interval_low, e.estimate, e.interval_high)
            {
                assert!(low <= estimate && estimate <= high, "{e:?}");
            }
            (e.member_id.clone(), shown)
        })
        .collect()
}

fn shown(members: &[(&str, bool)]) -> Vec<(String, bool)> {
    members.iter().map(|(m, s)| ((*m).into(), *s)).collect()
}

both!(
    each_caller_reads_its_tables_and_sees_its_figures,
    |h: Harness| async move {
        network(&h).await;

        let oem = read(&h, who::oem(), nps("", 11)).await.unwrap();
        assert_eq!(
            figures_shown(&oem),
            shown(&[("d1", true), ("d2", true), ("d3", true), ("d4", true)])
        );

        for dealer in [who::dealer("d1"), who::dms("d1")] {
            let t = read(&h, dealer.clone(), nps("", 11)).await.unwrap();
            assert_eq!(
                figures_shown(&t),
                shown(&[("d1", true), ("d2", false), ("d3", false), ("d4", false)])
            );
            // The others' names and ranks stay: the order is the same.
            assert_eq!(
                crate::leagues::listed(&t.entries),
                crate::leagues::listed(&oem.entries)
            );
            assert_eq!(
                crate::leagues::names(&t.entries),
                ["d1", "d2", "d3", "d4"].map(|d| (d.to_owned(), dealer_name(d)))
            );
            // Any region's table, with the same rule.
            let r2 = read(&h, dealer.clone(), nps("r2", 11)).await.unwrap();
            assert_eq!(figures_shown(&r2), shown(&[("d3", false)]));
            // A standing: its own figures, not its neighbours'.
            let standing = h
                .leagues(dealer)
                .get_league_standing(pb::GetLeagueStandingRequest {
                    table: nps("", 11),
                    member_id: "d1".into(),
                    neighbours: 1,
                })
                .await
                .unwrap()
                .into_inner();
            assert!(standing.entry.unwrap().sample_size.is_some());
            assert!(standing.entries[1].sample_size.is_none());
            assert_eq!(standing.entries[1].rank, Some(1));
        }

        // A region manager: national (its region's figures) and its own.
        let national = read(&h, who::region("r1"), nps("", 11)).await.unwrap();
        assert_eq!(
            figures_shown(&national),
            shown(&[("d1", true), ("d2", true), ("d3", false), ("d4", true)])
        );
        let own = read(&h, who::region("r1"), nps("r1", 11)).await.unwrap();
        assert_eq!(own.entries.len(), 3);
        assert_eq!(
            code_of(read(&h, who::region("r1"), nps("r2", 11)).await),
            Code::PermissionDenied
        );
        assert_eq!(
            code_of(
                h.leagues(who::region("r1"))
                    .get_league_standing(pb::GetLeagueStandingRequest {
                        table: nps("r2", 11),
                        member_id: "d3".into(),
                        neighbours: 0,
                    })
                    .await
            ),
            Code::PermissionDenied
        );

        // A survey link reads nothing.
        assert_eq!(
            code_of(read(&h, who::link(), nps("", 11)).await),
            Code::PermissionDenied
        );
        assert_eq!(
            code_of(
                h.leagues(who::link())
                    .get_league_standing(pb::GetLeagueStandingRequest {
                        table: nps("", 11),
                        member_id: "d1".into(),
                        neighbours: 0,
                    })
                    .await
            ),
            Code::PermissionDenied
        );

        // Only head office rebuilds.
        let rebuild = |p| {
            let mut c = h.leagues(p);
            async move {
                c.rebuild_league_tables(pb::RebuildLeagueTablesRequest { period: month(11) })
                    .await
                    .map(|r| r.into_inner())
            }
        };
        for p in [
            who::dealer("d1"),
            who::dms("d1"),
            who::region("r1"),
            who::link(),
        ] {
            assert_eq!(code_of(rebuild(p).await), Code::PermissionDenied);
        }
        let done = rebuild(who::oem()).await.unwrap();
        // National, r1 and r2, each for dealers and stations, four metrics.
        assert_eq!(done.tables_rebuilt, 3 * 2 * 4);
        assert_eq!(done.tables_deleted, 0);
    }
);
