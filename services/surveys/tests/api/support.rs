//! A surveys service on a fresh database, served through its real tonic
//! stack in memory, and clients that call it as any principal.

use aftercare_auth::Principal;
use aftercare_db::{Db, Sweeper, timestamp::ManualClock};
use aftercare_proto::{
    dealers::v1 as dealers_pb,
    surveys::v1::{
        self as pb, league_service_client::LeagueServiceClient,
        survey_invitation_service_client::SurveyInvitationServiceClient,
        survey_response_service_client::SurveyResponseServiceClient,
        survey_score_service_client::SurveyScoreServiceClient,
        survey_template_service_client::SurveyTemplateServiceClient,
    },
};
use aftercare_surveys::{
    MIGRATOR, Rules, Surveys, SurveysSettings,
    domain::league::LeagueSettings,
    leagues::{
        LeagueOptions, Leagues,
        boards::{LeagueBoards, MemoryBoards},
    },
};
use aftercare_test_support::{Backend, Served, Signed, eventually, fresh_with_outbox};
use std::{sync::Arc, time::Duration};
use tonic::Code;

pub(crate) type Templates = SurveyTemplateServiceClient<Signed>;
pub(crate) type Invitations = SurveyInvitationServiceClient<Signed>;
pub(crate) type Responses = SurveyResponseServiceClient<Signed>;
pub(crate) type Scores = SurveyScoreServiceClient<Signed>;
pub(crate) type LeagueClient = LeagueServiceClient<Signed>;

/// The service and what the tests reach inside it. Its outbox relay, and
/// the task that rebuilds the tables unless the test runs the repairs
/// itself, stop with it.
pub(crate) struct Harness {
    pub(crate) served: Served,
    pub(crate) db: Db,
    pub(crate) leagues: Arc<Leagues>,
    /// The tables' own Redis server, when the test has one.
    pub(crate) redis: Option<crate::boards::private_redis::PrivateRedis>,
}

/// League settings small enough for a test: a minimum sample of 2, a prior
/// weight of 2, and repairs every 100 ms.
pub(crate) fn test_league_options() -> LeagueOptions {
    LeagueOptions {
        settings: LeagueSettings {
            min_sample: 2,
            prior_weight: 2,
        },
        repair_every: Duration::from_millis(100),
        ..LeagueOptions::default()
    }
}

pub(crate) async fn start(backend: Backend) -> Harness {
    start_with(backend, Rules::default()).await
}

pub(crate) async fn start_with(backend: Backend, rules: Rules) -> Harness {
    start_with_boards(backend, rules, Arc::new(MemoryBoards::new())).await
}

/// A service whose league tables live in `boards`.
pub(crate) async fn start_with_boards(
    backend: Backend,
    rules: Rules,
    boards: Arc<dyn LeagueBoards>,
) -> Harness {
    build(backend, rules, boards, true).await
}

/// [`start_with_boards`] without the background task: the test calls
/// `h.leagues.repair()` when it wants the tables rebuilt.
pub(crate) async fn start_without_repairs(
    backend: Backend,
    rules: Rules,
    boards: Arc<dyn LeagueBoards>,
) -> Harness {
    build(backend, rules, boards, false).await
}

/// The service's settings in the tests: its metrics refreshed every 50 ms.
pub(crate) fn test_settings() -> SurveysSettings {
    SurveysSettings {
        metrics_refresh_ms: 50,
        ..SurveysSettings::default()
    }
}

async fn build(
    backend: Backend,
    rules: Rules,
    boards: Arc<dyn LeagueBoards>,
    repairs: bool,
) -> Harness {
    let db = fresh_with_outbox(backend, &MIGRATOR).await;
    let (served, leagues) = Served::start("surveys", db.clone(), |db, key| async move {
        let mut surveys = Surveys::new(&test_settings(), db, key)
            .with_rules(rules)
            .with_boards(boards)
            .with_league_options(test_league_options());
        if !repairs {
            surveys = surveys.without_repairs();
        }
        surveys.build().await.expect("the service builds")
    })
    .await;
    Harness {
        served,
        db,
        leagues,
        redis: None,
    }
}

impl Harness {
    /// The retention sweep the service runs, its now read from `clock`.
    pub(crate) fn sweeper(&self, clock: &ManualClock) -> Sweeper {
        Surveys::new(&test_settings(), self.db.clone(), self.served.key().clone())
            .with_clock(clock.clock())
            .sweeper()
    }

    /// Waits for the background task to fold late answers (and missed
    /// updates) into the tables.
    pub(crate) async fn settled(&self) {
        eventually("the league tables settle", || async {
            self.leagues.is_settled().then_some(())
        })
        .await;
    }

    pub(crate) fn templates(&self, principal: Principal) -> Templates {
        SurveyTemplateServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn invitations(&self, principal: Principal) -> Invitations {
        SurveyInvitationServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn responses(&self, principal: Principal) -> Responses {
        SurveyResponseServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn scores(&self, principal: Principal) -> Scores {
        SurveyScoreServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn leagues(&self, principal: Principal) -> LeagueClient {
        LeagueServiceClient::new(self.served.signed(principal))
    }

    /// The anonymous caller of a survey link, as the gateway passes it.
    pub(crate) fn link(&self) -> Responses {
        self.responses(who::link())
    }

    /// Delivers RO `ro` of station `s-<dealer>` as the dealers relay does,
    /// in event `event_id`.
    pub(crate) async fn deliver(
        &self,
        event_id: &str,
        ro: &str,
        dealer: &str,
        region: &str,
    ) -> pb::SurveyInvitation {
        self.invitations(who::relay(dealer))
            .receive_repair_order_delivered(delivered(event_id, ro, dealer, region))
            .await
            .expect("invitation created")
            .into_inner()
    }

    /// A fresh link token for `invitation_id`, issued by head office.
    pub(crate) async fn issue(&self, invitation_id: &str) -> String {
        self.invitations(who::oem())
            .issue_survey_link(pb::IssueSurveyLinkRequest {
                invitation_id: invitation_id.into(),
            })
            .await
            .expect("link issued")
            .into_inner()
            .link_token
    }

    /// Creates template `code` and publishes the test draft as its version 1.
    pub(crate) async fn publish_template(&self, code: &str) -> pb::SurveyVersion {
        let mut t = self.templates(who::oem());
        t.create_survey_template(pb::CreateSurveyTemplateRequest {
            survey_template: Some(pb::SurveyTemplate {
                code: code.into(),
                display_name: "After-sales visit".into(),
                ..Default::default()
            }),
            request_id: String::new(),
        })
        .await
        .expect("template created");
        t.publish_survey_version(pb::PublishSurveyVersionRequest {
            template_code: code.into(),
            version: Some(draft()),
            request_id: String::new(),
        })
        .await
        .expect("version published")
        .into_inner()
    }
}

/// The display name the events give dealer `dealer`.
pub(crate) fn dealer_name(dealer: &str) -> String {
    format!("Dealer {dealer}")
}

/// The display name the events give the station `s-<dealer>`.
pub(crate) fn station_name(dealer: &str) -> String {
    format!("Station s-{dealer}")
}

/// The event of RO `ro` of dealer `dealer` (station `s-<dealer>`, named by
/// [`dealer_name`] and [`station_name`]), delivered on 2026-11-10 at noon
/// UTC, with technicians t1, t2 and t1.
pub(crate) fn delivered(
    event_id: &str,
    ro: &str,
    dealer: &str,
    region: &str,
) -> pb::ReceiveRepairOrderDeliveredRequest {
    delivered_at(event_id, ro, dealer, region, 1_794_312_000)
}

/// [`delivered`], at `seconds` since the epoch.
pub(crate) fn delivered_at(
    event_id: &str,
    ro: &str,
    dealer: &str,
    region: &str,
    seconds: i64,
) -> pb::ReceiveRepairOrderDeliveredRequest {
    let line = |technician_id: &str| dealers_pb::LabourLine {
        technician_id: technician_id.into(),
        ..Default::default()
    };
    pb::ReceiveRepairOrderDeliveredRequest {
        event: Some(dealers_pb::RepairOrderDelivered {
            repair_order: Some(dealers_pb::RepairOrder {
                id: ro.into(),
                station_id: format!("s-{dealer}"),
                dealer_id: dealer.into(),
                advisor_id: "adv-1".into(),
                labour_lines: vec![line("t1"), line("t2"), line("t1")],
                history: vec![dealers_pb::StatusChange {
                    status: dealers_pb::RepairOrderStatus::Delivered.into(),
                    time: Some(prost_types::Timestamp { seconds, nanos: 0 }),
                    actor: "staff".into(),
                }],
                ..Default::default()
            }),
            region_id: region.into(),
            dealer_name: dealer_name(dealer),
            station_name: station_name(dealer),
            // Surveys reads no vehicle.
            vehicle: None,
            // Told only by the tests of the customer's language.
            locale: String::new(),
        }),
        request_id: event_id.into(),
    }
}

pub(crate) fn question(
    id: &str,
    kind: pb::QuestionKind,
    scale: pb::Scale,
    dimension: pb::Dimension,
    factor: pb::Factor,
    required: bool,
) -> pb::Question {
    let servqual = matches!(
        kind,
        pb::QuestionKind::Expectation | pb::QuestionKind::Perception
    );
    pb::Question {
        id: id.into(),
        text: format!("Question {id}"),
        scale: scale.into(),
        kind: kind.into(),
        dimension: dimension.into(),
        factor: factor.into(),
        item: if servqual {
            id[..id.len() - 2].to_owned()
        } else {
            String::new()
        },
        required,
        translations: Default::default(),
    }
}

/// Two SERVQUAL items, an overall rating and an NPS question.
pub(crate) fn draft() -> pb::SurveyVersion {
    use pb::{Dimension as D, Factor as F, QuestionKind as K, Scale as S};
    pb::SurveyVersion {
        questions: vec![
            question(
                "tan-1-e",
                K::Expectation,
                S::OneToSeven,
                D::Tangibles,
                F::Unspecified,
                true,
            ),
            question(
                "tan-1-p",
                K::Perception,
                S::OneToSeven,
                D::Tangibles,
                F::Facility,
                true,
            ),
            question(
                "rel-1-e",
                K::Expectation,
                S::OneToSeven,
                D::Reliability,
                F::Unspecified,
                true,
            ),
            question(
                "rel-1-p",
                K::Perception,
                S::OneToSeven,
                D::Reliability,
                F::ServiceQuality,
                true,
            ),
            question(
                "overall",
                K::Rating,
                S::OneToFive,
                D::Unspecified,
                F::ServiceAdvisor,
                true,
            ),
            question(
                "recommend",
                K::Nps,
                S::ZeroToTen,
                D::Unspecified,
                F::Unspecified,
                false,
            ),
        ],
        dimension_weights: Some(pb::DimensionWeights {
            tangibles: 40,
            reliability: 60,
            ..Default::default()
        }),
        factor_weights: None,
        satisfaction_question: "overall".into(),
        nps_question: "recommend".into(),
        ..Default::default()
    }
}

/// Answers to [`draft`]: all high (`high`) or all low.
pub(crate) fn answers(high: bool) -> Vec<pb::Answer> {
    let v = |hi: i32, lo: i32| if high { hi } else { lo };
    [
        ("tan-1-e", v(6, 7)),
        ("tan-1-p", v(7, 1)),
        ("rel-1-e", v(6, 7)),
        ("rel-1-p", v(7, 2)),
        ("overall", v(5, 1)),
        ("recommend", v(10, 2)),
    ]
    .into_iter()
    .map(|(q, value)| pb::Answer {
        question_id: q.into(),
        value,
    })
    .collect()
}

/// The status code of a failed call, or a panic when it did not fail.
pub(crate) fn code_of<T: std::fmt::Debug>(r: Result<T, tonic::Status>) -> Code {
    r.expect_err("the call should fail").code()
}

/// The field an INVALID_ARGUMENT names.
pub(crate) fn field_of<T: std::fmt::Debug>(r: Result<T, tonic::Status>) -> String {
    use tonic_types::StatusExt;
    let status = r.expect_err("the call should fail");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let bad = status
        .get_details_bad_request()
        .expect("a BadRequest detail");
    bad.field_violations[0].field.clone()
}

/// The principals the tests call as.
pub(crate) mod who {
    use aftercare_auth::{Principal, Scope};

    pub(crate) use aftercare_auth::testing::{dealer, dms, oem, region};

    /// The dealers service's outbox relay, as it calls for `dealer_id`.
    pub(crate) fn relay(dealer_id: &str) -> Principal {
        Principal {
            subject: aftercare_auth::DEALERS_RELAY.into(),
            scope: Scope::Dms {
                dealer_id: dealer_id.into(),
            },
        }
    }

    /// A customer with a link, as the gateway passes the link methods on.
    pub(crate) fn link() -> Principal {
        Principal {
            subject: "anonymous".into(),
            scope: Scope::SurveyLink {
                invitation_id: "by-token".into(),
            },
        }
    }
}
