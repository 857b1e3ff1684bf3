//! League tables through the real gRPC stack: moved by each response,
//! ranked with ties, a minimum sample and movement, read by who may, served
//! from the database when the table store is down, and rebuilt.

mod access;
mod ranking;
mod redis;
mod restart;
mod watch;

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};

use crate::support::{Harness, answers, delivered_at, who};

/// 2026-11-10 and 2026-10-10, noon UTC.
pub(crate) const NOVEMBER: i64 = 1_794_312_000;
pub(crate) const OCTOBER: i64 = NOVEMBER - 31 * 86_400;

pub(crate) fn month(m: i32) -> Option<common::Period> {
    Some(common::Period {
        kind: common::PeriodKind::Month.into(),
        year: 2026,
        number: m,
    })
}

/// The national (or `region`'s) NPS table of dealers in month `m`.
pub(crate) fn nps(region: &str, m: i32) -> Option<pb::LeagueTableKey> {
    Some(pb::LeagueTableKey {
        metric: pb::LeagueMetric::Nps.into(),
        region_id: region.into(),
        level: pb::LeagueLevel::Dealer.into(),
        period: month(m),
    })
}

/// A response of a customer of `dealer` (in `region`), delivered at
/// `seconds`, all promoter (`high`) or all detractor; `tag` makes the RO
/// and event unique. Taken by phone by head office, or by link when `link`.
pub(crate) async fn answer(
    h: &Harness,
    tag: &str,
    dealer: &str,
    region: &str,
    seconds: i64,
    high: bool,
) {
    let invitation = h
        .invitations(who::relay(dealer))
        .receive_repair_order_delivered(delivered_at(
            &format!("ev-{tag}"),
            &format!("ro-{tag}"),
            dealer,
            region,
            seconds,
        ))
        .await
        .expect("invitation created")
        .into_inner();
    if tag.ends_with("-link") {
        let token = h.issue(&invitation.id).await;
        h.link()
            .submit_survey_response(pb::SubmitSurveyResponseRequest {
                link_token: token,
                answers: answers(high),
            })
            .await
            .expect("answered by link");
    } else {
        h.invitations(who::oem())
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: invitation.id,
                answers: answers(high),
                request_id: String::new(),
            })
            .await
            .expect("answered by phone");
    }
}

/// A table page as head office reads it.
pub(crate) async fn table(h: &Harness, key: Option<pb::LeagueTableKey>) -> pb::LeagueTable {
    h.leagues(who::oem())
        .get_league_table(pb::GetLeagueTableRequest {
            table: key,
            page_size: 0,
            page_token: String::new(),
        })
        .await
        .expect("table read")
        .into_inner()
}

/// Each entry as (member, name).
pub(crate) fn names(t: &[pb::LeagueEntry]) -> Vec<(String, String)> {
    t.iter()
        .map(|e| (e.member_id.clone(), e.member_name.clone()))
        .collect()
}

/// Each entry as (member, position, rank, movement).
pub(crate) fn listed(t: &[pb::LeagueEntry]) -> Vec<(String, i64, Option<i64>, Option<i64>)> {
    t.iter()
        .map(|e| (e.member_id.clone(), e.position, e.rank, e.movement))
        .collect()
}

/// The network used by several tests, in November: d1 and d2 (region r1)
/// two promoters each (tied), d3 (r2) two detractors, d4 (r1) one promoter
/// (under the minimum sample of 2); and in October, answered late (after
/// November's tables exist): d2 two promoters, d1 two detractors, d3 one
/// promoter (unranked): November's prior is October's network, NPS 20.
/// Returns once the tables settled.
pub(crate) async fn network(h: &Harness) {
    h.publish_template("after-sales").await;
    for (tag, dealer, region, high) in [
        ("n1a", "d1", "r1", true),
        ("n1b-link", "d1", "r1", true),
        ("n2a", "d2", "r1", true),
        ("n2b", "d2", "r1", true),
        ("n3a", "d3", "r2", false),
        ("n3b", "d3", "r2", false),
        ("n4a", "d4", "r1", true),
    ] {
        answer(h, tag, dealer, region, NOVEMBER, high).await;
    }
    for (tag, dealer, region, high) in [
        // r2's first, so that the r1 answers after it move r2's prior.
        ("o3a", "d3", "r2", true),
        ("o2a", "d2", "r1", true),
        ("o2b", "d2", "r1", true),
        ("o1a", "d1", "r1", false),
        ("o1b", "d1", "r1", false),
    ] {
        answer(h, tag, dealer, region, OCTOBER, high).await;
    }
    // October's answers came after November began: they moved November's
    // prior and previous ranks, which the background task folds in.
    h.settled().await;
}
