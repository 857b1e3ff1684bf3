//! Responses of closed periods move to the archive with the retention sweep
//! (after 400 days by default): they read as before, and the aggregates —
//! untouched — still equal their responses.

use aftercare_db::timestamp::ManualClock;
use aftercare_proto::surveys::v1 as pb;
use time::{Duration, OffsetDateTime};

use crate::{
    both,
    support::{Harness, answers, who},
};

async fn count(h: &Harness, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(h.db.pool())
        .await
        .unwrap()
}

async fn listed(h: &Harness) -> Vec<pb::SurveyResponse> {
    h.responses(who::oem())
        .list_survey_responses(pb::ListSurveyResponsesRequest::default())
        .await
        .unwrap()
        .into_inner()
        .survey_responses
}

/// Every aggregate row's subject, day and sums, in order.
async fn aggregates(h: &Harness) -> Vec<(String, String, String, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT subject_kind, subject_id, day, responses, satisfaction_sum, service_index_sum \
         FROM survey_aggregates ORDER BY subject_kind, subject_id, station_id, day",
    )
    .fetch_all(h.db.pool())
    .await
    .unwrap()
}

/// Per dealer, the responses its aggregates count and those stored (live
/// or archived): equal.
async fn assert_aggregates_are_their_responses(h: &Harness) {
    let counted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT subject_id, CAST(SUM(responses) AS BIGINT) FROM survey_aggregates \
         WHERE subject_kind = 'dealer' GROUP BY subject_id ORDER BY subject_id",
    )
    .fetch_all(h.db.pool())
    .await
    .unwrap();
    let stored: Vec<(String, i64)> = sqlx::query_as(
        "SELECT i.dealer_id, CAST(COUNT(*) AS BIGINT) FROM all_survey_responses r \
         JOIN survey_invitations i ON i.id = r.invitation_id GROUP BY i.dealer_id \
         ORDER BY i.dealer_id",
    )
    .fetch_all(h.db.pool())
    .await
    .unwrap();
    assert_eq!(counted, stored, "aggregates = their responses");
}

both!(
    old_responses_are_archived_and_still_read_as_before,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        for (i, dealer) in ["d1", "d2"].into_iter().enumerate() {
            let inv = h
                .deliver(&format!("ev-{i}"), &format!("ro-{i}"), dealer, "r1")
                .await;
            let token = h.issue(&inv.id).await;
            h.link()
                .submit_survey_response(pb::SubmitSurveyResponseRequest {
                    link_token: token,
                    answers: answers(i == 0),
                })
                .await
                .unwrap();
        }
        let before = listed(&h).await;
        let sums = aggregates(&h).await;
        assert_eq!(before.len(), 2);
        assert_aggregates_are_their_responses(&h).await;

        // 300 days on, inside the 400 the responses are kept live.
        let clock = ManualClock::default();
        clock.set(Some(OffsetDateTime::now_utc() + Duration::days(300)));
        let removed = h.sweeper(&clock).sweep_once().await.unwrap();
        assert!(removed.contains(&("survey_responses", 0)), "{removed:?}");
        assert_eq!(count(&h, "SELECT COUNT(*) FROM survey_responses").await, 2);

        // 401 days on, both move to the archive, their items with them.
        clock.set(Some(OffsetDateTime::now_utc() + Duration::days(401)));
        let removed = h.sweeper(&clock).sweep_once().await.unwrap();
        assert!(removed.contains(&("survey_responses", 2)), "{removed:?}");
        assert_eq!(count(&h, "SELECT COUNT(*) FROM survey_responses").await, 0);
        assert_eq!(
            count(&h, "SELECT COUNT(*) FROM survey_response_items").await,
            0
        );
        assert_eq!(
            count(&h, "SELECT COUNT(*) FROM survey_responses_archive").await,
            2
        );
        assert_eq!(
            count(&h, "SELECT COUNT(*) FROM survey_response_items_archive").await,
            4,
            "two SERVQUAL items each"
        );

        assert_eq!(listed(&h).await, before, "listed as before");
        let one = h
            .responses(who::oem())
            .get_survey_response(pb::GetSurveyResponseRequest {
                id: before[0].id.clone(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(one, before[0], "read by id as before");
        assert_eq!(aggregates(&h).await, sums, "the aggregates untouched");
        assert_aggregates_are_their_responses(&h).await;
    }
);
