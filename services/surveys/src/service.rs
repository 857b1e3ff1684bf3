//! The surveys service built from its settings and connections: the one
//! wiring the app, the load tool and the tests serve.

use std::sync::Arc;

use std::time::Duration;

use aftercare_auth::{Secret, ServiceAuth, peer::Peer};
use aftercare_db::{Db, RetentionSettings, Sweeper, retention::Step, timestamp::Clock};
use aftercare_outbox::Relay;
use aftercare_serving::{Built, Running, ServerRoutes};
use aftercare_values::OemZone;
use anyhow::Context as _;
use tonic::transport::Channel;

use crate::{
    ComplaintApi, DealerScorecardApi, ImprovementPlanApi, LeagueApi, Rules, SurveyInvitationApi,
    SurveyResponseApi, SurveyScoreApi, SurveyTemplateApi, SurveysApi, SurveysSettings, events,
    leagues::{LeagueOptions, Leagues, boards::LeagueBoards},
    peers::Peers,
    store::MIGRATOR,
    usecases::{
        ComplaintRules, Complaints, Context, ImprovementPlans, Invitations, LeagueTables,
        Responses, Scorecards, Scores, Templates,
    },
};

/// What the surveys service is built from. Its periods are in UTC unless
/// set; its league tables live where its settings say (Redis at
/// `redis_url`, else in process) unless given boards.
#[derive(Clone)]
pub struct Surveys {
    settings: SurveysSettings,
    db: Db,
    key: Secret,
    rules: Rules,
    boards: Option<Arc<dyn LeagueBoards>>,
    league_options: LeagueOptions,
    repairs: bool,
    clock: Clock,
    peers: Peers,
    complaint_rules: ComplaintRules,
    sweeps: bool,
}

impl std::fmt::Debug for Surveys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Surveys")
            .field("rules", &self.rules)
            .field("league_options", &self.league_options)
            .field("repairs", &self.repairs)
            .finish_non_exhaustive()
    }
}

impl Surveys {
    /// The service on `db` (migrated), accepting calls signed with `key`.
    pub fn new(settings: &SurveysSettings, db: Db, key: Secret) -> Self {
        Self {
            rules: settings.rules(&OemZone::utc()),
            league_options: settings.league_options(),
            settings: settings.clone(),
            db,
            key,
            boards: None,
            repairs: true,
            clock: Clock::system(),
            peers: Peers::default(),
            complaint_rules: settings.complaint_rules(),
            sweeps: true,
        }
    }

    /// Brings the schema up to date: the service's tables and its outbox.
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&MIGRATOR).await?;
        aftercare_outbox::migrate(db).await?;
        Ok(())
    }

    /// Periods by the days of `zone`.
    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.rules.zone = zone;
        self
    }

    /// Rules other than the settings' (tests).
    pub fn with_rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// What the service takes for now: complaints' deadlines and
    /// escalations, improvement plans' checks.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Reads ROs, standards compliance and comebacks from dealers behind
    /// `channel`.
    pub fn with_dealers(mut self, channel: Channel) -> Self {
        self.peers.dealers = Some(self.peer(channel));
        self
    }

    /// Reads fill rates and required-stock compliance from parts behind
    /// `channel`.
    pub fn with_parts(mut self, channel: Channel) -> Self {
        self.peers.parts = Some(self.peer(channel));
        self
    }

    /// Reads cost summaries from costs, and tells it of complaint
    /// compensation, behind `channel`.
    pub fn with_costs(mut self, channel: Channel) -> Self {
        self.peers.costs = Some(self.peer(channel));
        self
    }

    fn peer(&self, channel: Channel) -> Peer {
        let deadline = Duration::from_millis(self.settings.peer_deadline_ms.max(1));
        Peer::new(channel, self.key.clone(), deadline)
    }

    /// Complaints run by `rules` rather than the settings' (tests).
    pub fn with_complaint_rules(mut self, rules: ComplaintRules) -> Self {
        self.complaint_rules = rules;
        self
    }

    /// No task sweeps complaints for escalation: the caller calls
    /// [`Complaints::sweep_once`] (tests, the bench).
    pub fn without_sweeps(mut self) -> Self {
        self.sweeps = false;
        self
    }

    /// The complaints of this service beside `leagues` (those its build
    /// answered): what tests and the bench sweep with
    /// [`Complaints::sweep_once`].
    pub fn complaints(&self, leagues: Arc<Leagues>) -> Complaints {
        let cx = Context {
            db: self.db.clone(),
            rules: self.rules.clone(),
            clock: self.clock.clone(),
            peers: self.peers.clone(),
            leagues,
        };
        Complaints::new(cx, self.complaint_rules.clone())
    }

    /// The retention sweep of the service's database: idempotency keys,
    /// delivered outbox events and applied event ids, and the responses of
    /// closed periods archived (docs/retention.md).
    pub fn sweeper(&self) -> Sweeper {
        let retention = &self.settings.retention;
        let after_days = self.settings.response_archive_after_days;
        let responses = (after_days > 0).then(|| {
            Step::new(
                "survey_responses",
                RetentionSettings::days(after_days),
                |db, before, limit| async move {
                    crate::store::archive::archive_responses(&db, before, limit).await
                },
            )
        });
        Sweeper::new("surveys", self.db.clone(), self.clock.clone(), retention)
            .with_steps(aftercare_outbox::retention_steps(retention))
            .with_steps(responses)
    }

    /// The league tables in `boards`.
    pub fn with_boards(mut self, boards: Arc<dyn LeagueBoards>) -> Self {
        self.boards = Some(boards);
        self
    }

    /// League tables ranked and repaired as `options` say.
    pub fn with_league_options(mut self, options: LeagueOptions) -> Self {
        self.league_options = options;
        self
    }

    /// No task repairs the league tables: the caller calls
    /// [`Leagues::repair`] when it wants them rebuilt.
    pub fn without_repairs(mut self) -> Self {
        self.repairs = false;
        self
    }

    /// Every contract of the package on one store, with health and
    /// reflection; the outbox relay (low-score alerts delivered to the
    /// complaints in process), the complaints' escalation sweep, the
    /// league repair task and the retention sweep running.
    /// Periods with responses and no tables (all of them in process, which
    /// starts empty) are marked stale first: the repair task builds them,
    /// and reads answer from the database meanwhile.
    pub async fn build(self) -> anyhow::Result<Built<Arc<Leagues>>> {
        let sweep = self.sweeper().spawn();
        let boards = match self.boards {
            Some(boards) => boards,
            None => self.settings.boards()?,
        };
        let leagues = Arc::new(Leagues::new(
            self.db.clone(),
            self.rules.zone.clone(),
            boards,
            self.league_options,
        ));
        leagues
            .mark_unbuilt()
            .await
            .context("failed to list the periods of the league tables")?;

        let mut running = Running::default().with_task(crate::metrics::spawn(
            self.db.clone(),
            self.clock.clone(),
            leagues.clone(),
            Duration::from_millis(self.settings.metrics_refresh_ms.max(1)),
        ));
        if self.repairs {
            running = running.with_task(leagues.spawn_repair());
        }
        if let Some(sweep) = sweep {
            running = running.with_task(sweep);
        }
        let cx = Context {
            db: self.db.clone(),
            rules: self.rules.clone(),
            clock: self.clock,
            peers: self.peers,
            leagues: leagues.clone(),
        };
        let plans = ImprovementPlans::new(cx.clone());
        running = running.with_task(plans.clone().spawn_checks(Duration::from_millis(
            self.settings.improvement_check_ms.max(1),
        )));
        let scorecards = Scorecards::new(
            cx.clone(),
            Duration::from_millis(self.settings.scorecard_deadline_ms.max(1)),
        )
        .with_standard(self.complaint_rules.standard);
        if let Some(every) = self.settings.assessment_refresh() {
            running = running.with_task(scorecards.spawn_refresh(every));
        }
        let complaints = Complaints::new(cx.clone(), self.complaint_rules);
        if self.sweeps {
            running = running.with_task(complaints.clone().spawn_sweep());
        }
        // Low-score alerts go to complaints in this process (the closed loop).
        let deliverer = events::Deliverer::new(complaints.clone());
        let relay = Relay::new("surveys", self.db.clone(), deliverer).spawn();
        running = running.with_closing(relay.stop());
        let db = self.db;
        let templates = Templates::new(db.clone());
        let invitations = Invitations::new(db.clone(), self.rules.clone());
        let responses = Responses::new(db.clone(), self.rules, leagues.clone());
        let scores = Scores::new(db);
        let tables = LeagueTables::new(leagues.clone());

        let auth = ServiceAuth::new(self.key);
        let (routes, _health) = ServerRoutes::new()
            .with_service(SurveysApi.into_server(auth.clone()))
            .with_service(SurveyTemplateApi::new(templates).into_server(auth.clone()))
            .with_service(
                SurveyInvitationApi::new(invitations, responses.clone()).into_server(auth.clone()),
            )
            .with_service(SurveyResponseApi::new(responses).into_server(auth.clone()))
            .with_service(SurveyScoreApi::new(scores).into_server(auth.clone()))
            .with_service(LeagueApi::new(tables).into_server(auth.clone()))
            .with_service(ImprovementPlanApi::new(plans).into_server(auth.clone()))
            .with_service(DealerScorecardApi::new(scorecards).into_server(auth.clone()))
            .with_service(ComplaintApi::new(complaints).into_server(auth))
            .finish()
            .await;
        Ok(Built {
            routes,
            running,
            handle: leagues,
        })
    }
}
