//! The dealer scorecard: gathered from surveys' own tables and from
//! dealers, parts and costs side by side under one deadline, a part whose
//! source fails or is late named missing; the versioned weights; and the
//! assessment snapshots the dealer assessment league is built from.

use std::{future::Future, sync::Arc, time::Duration};

use aftercare_auth::{Principal, Scope};
use aftercare_db::begin_write;
use aftercare_edge::Caller;
use aftercare_values::{Period, period::PeriodKind};
use serde::{Deserialize, Serialize};
use tokio::{sync::Semaphore, task::JoinSet};
use tonic::{Code, Status};

use super::{Context, commit};
use crate::{
    domain::{
        access::ListScope,
        aggregate::{Aggregate, ScoreSubject},
        complaint::report::{CorrectiveAction, ReportScope, Standard, StandardRule},
        scorecard::{
            self, Comebacks, Complaints, Composite, Costs, Figures, FillRate, Part, RequiredStock,
            Satisfaction, Section, Standards, Weights, WeightsVersion,
        },
    },
    error::{Error, Result},
    peers::ScorecardReads,
    store::{self, complaint_followups, scorecards::Assessment},
};

/// What the scorecard is of, for refusals.
const DEALER: &str = "dealer";
/// The subject the assessment refresh task calls the other services as.
const ASSESSMENTS_TASK: &str = "aftercare-surveys-assessments";
/// Dealers gathered at once by a refresh.
const REFRESH_CONCURRENCY: usize = 8;

/// A dealer's scorecard of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub dealer_id: String,
    pub period: Period,
    /// Every part, in [`Part::ALL`] order.
    pub sections: Vec<Section>,
    pub composite: Composite,
    pub weights_version: i32,
    /// Survey responses of the period: the league's sample.
    pub sample: u64,
    pub gather_time: i64,
    /// The dealer's complaints closed in the period, by station.
    pub corrective_actions: Vec<CorrectiveAction>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub dealers: u64,
    pub with_missing_parts: u64,
    pub tables: u64,
}

/// A part of a snapshot, as stored.
#[derive(Debug, Serialize, Deserialize)]
struct StoredPart {
    part: Part,
    score: Option<u32>,
    missing: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Scorecards {
    cx: Context,
    /// The one deadline of a scorecard's reads.
    deadline: Duration,
    /// The complaints' standard the complaints part measures.
    standard: StandardRule,
}

/// The corrective actions a scorecard lists at most.
const MAX_CORRECTIVE_ACTIONS: i64 = 100;

impl Scorecards {
    pub fn new(cx: Context, deadline: Duration) -> Self {
        Self {
            cx,
            deadline,
            standard: StandardRule::default(),
        }
    }

    /// The complaints part measures the complaints' standard by `rule`.
    pub fn with_standard(mut self, rule: StandardRule) -> Self {
        self.standard = rule;
        self
    }

    /// `dealer`'s scorecard of `period`, gathered now, as `caller` sees it.
    pub async fn get(&self, caller: &Principal, dealer: &str, period: Period) -> Result<Scorecard> {
        let region = match caller.scope {
            Scope::Region { .. } => self.region_of(caller, dealer).await?,
            _ => None,
        };
        scorecard::check_read(caller, dealer, region.as_deref())
            .map_err(|d| Error::denied(d, DEALER, dealer))?;
        let weights = self.in_force().await?;
        Ok(self.gather(caller, dealer, period, &weights).await)
    }

    /// The region of `dealer`: as its survey responses tell it, else as
    /// dealers tells `caller` (none when dealers does not show it).
    async fn region_of(&self, caller: &Principal, dealer: &str) -> Result<Option<String>> {
        if let Some(region) = store::scorecards::dealer_region(&self.cx.db, dealer).await? {
            return Ok(Some(region));
        }
        match self.cx.peers.dealer(caller, dealer).await {
            Ok(d) => Ok(Some(d.region_id)),
            Err(s) if s.code() == Code::NotFound => Ok(None),
            Err(s) => Err(Error::Unavailable(format!(
                "dealer {dealer} could not be read: {}",
                s.message()
            ))),
        }
    }

    /// Every version of the weights, newest first, the built-in one last.
    pub async fn weights(&self, caller: &Principal) -> Result<Vec<WeightsVersion>> {
        if matches!(caller.scope, Scope::SurveyLink { .. }) {
            return Err(Error::PermissionDenied(
                "a survey link may not read the scorecard's weights".into(),
            ));
        }
        let mut versions = store::scorecards::weights(&self.cx.db).await?;
        versions.push(WeightsVersion::builtin());
        Ok(versions)
    }

    /// Adds a version of the weights, effective now.
    pub async fn set_weights(&self, caller: &Caller, weights: Weights) -> Result<WeightsVersion> {
        scorecard::check_manage(&caller.principal)
            .map_err(|d| Error::denied(d, "scorecard weights", ""))?;
        let mut tx = begin_write!(&self.cx.db, caller.key.as_ref());
        let now = self.cx.clock.now_micros();
        let version =
            store::scorecards::add_weights(&mut tx, &weights, now, &caller.principal.subject)
                .await?;
        let set = WeightsVersion {
            version,
            weights,
            effective_time: now,
        };
        commit(tx, caller, set).await
    }

    /// Stores every dealer's scorecard of `period` and rebuilds the
    /// period's assessment tables (head office).
    pub async fn refresh(&self, caller: &Principal, period: Period) -> Result<Refreshed> {
        scorecard::check_manage(caller).map_err(|d| Error::denied(d, "assessments", ""))?;
        self.refresh_as(caller, period).await
    }

    /// [`Scorecards::refresh`] of the current month, quarter and year, by
    /// the background task.
    pub async fn refresh_current(&self) -> Result<Refreshed> {
        let task = Principal {
            subject: ASSESSMENTS_TASK.into(),
            scope: Scope::Oem,
        };
        let now = self.cx.clock.now();
        let mut done = Refreshed::default();
        for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
            let period = self.cx.rules.zone.period_of(kind, now);
            let r = self.refresh_as(&task, period).await?;
            done.dealers += r.dealers;
            done.with_missing_parts += r.with_missing_parts;
            done.tables += r.tables;
        }
        Ok(done)
    }

    /// Every `every`, from `every` after start until aborted: refreshes
    /// the current periods. Several replicas may run it at once: each
    /// refresh writes whole snapshots (the later one kept) and rebuilds the
    /// tables from what the database holds then.
    pub fn spawn_refresh(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        let start = tokio::time::Instant::now() + every;
        aftercare_db::periodic::every_from(start, every, move || {
            let this = this.clone();
            async move {
                if let Err(e) = this.refresh_current().await {
                    tracing::warn!(error = %e, "dealer assessments not refreshed");
                }
            }
        })
    }

    async fn refresh_as(&self, signer: &Principal, period: Period) -> Result<Refreshed> {
        let dealers = store::scorecards::dealers_to_assess(&self.cx.db, period).await?;
        let weights = Arc::new(self.in_force().await?);
        let permits = Arc::new(Semaphore::new(REFRESH_CONCURRENCY));
        let mut gathering = JoinSet::new();
        for (dealer, region) in dealers {
            let (this, signer, weights, permits) = (
                self.clone(),
                signer.clone(),
                weights.clone(),
                permits.clone(),
            );
            gathering.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let card = this.gather(&signer, &dealer, period, &weights).await;
                (card, region)
            });
        }
        let mut done = Refreshed::default();
        while let Some(joined) = gathering.join_next().await {
            let (card, region) = joined.map_err(|e| Error::Internal(Box::new(e)))?;
            let missing = card.sections.iter().filter(|s| s.score().is_none()).count();
            store::scorecards::save_assessment(&self.cx.db, period, &snapshot(&card, region)?)
                .await?;
            done.dealers += 1;
            done.with_missing_parts += u64::from(missing > 0);
        }
        done.tables = self.cx.leagues.rebuild_assessments(period).await?.len() as u64;
        tracing::info!(%period, dealers = done.dealers, "dealer assessments refreshed");
        Ok(done)
    }

    /// The version of the weights in force: the latest set, else the
    /// built-in one.
    async fn in_force(&self) -> Result<WeightsVersion> {
        let versions = store::scorecards::weights(&self.cx.db).await?;
        Ok(versions
            .into_iter()
            .next()
            .unwrap_or_else(WeightsVersion::builtin))
    }

    /// Every part read at once, each under the one deadline, as `signer`.
    async fn gather(
        &self,
        signer: &Principal,
        dealer: &str,
        period: Period,
        weights: &WeightsVersion,
    ) -> Scorecard {
        let reads = ScorecardReads {
            peers: &self.cx.peers,
            caller: signer,
            dealer_id: dealer,
            period,
            deadline: self.deadline,
        };
        let (from, to) = self.cx.rules.zone.period_bounds(&period);
        let (from, to) = (
            aftercare_db::timestamp::to_micros(from),
            aftercare_db::timestamp::to_micros(to),
        );
        let db = &self.cx.db;
        let subject = ScoreSubject::Dealer(dealer.to_owned());
        let opened = ReportScope::Dealer(dealer.to_owned());
        let (scores, complaints, closed, standards, fill, stock, summary, poor) = tokio::join!(
            self.within(store::aggregates::scores(
                db,
                &ListScope::All,
                &subject,
                period
            )),
            self.within(complaint_followups::opened(db, &opened, from, to)),
            self.within(complaint_followups::closed(
                db,
                dealer,
                from,
                to,
                MAX_CORRECTIVE_ACTIONS
            )),
            self.within(reads.standards()),
            self.within(reads.fill_rate()),
            self.within(reads.required_stock()),
            self.within(reads.cost_summary()),
            self.within(reads.poor_quality()),
        );
        let scores = own(scores);
        let sample = scores.as_ref().map_or(0, |a| a.responses);
        let (standards, fill, stock) = (
            self.peer("dealers", standards),
            self.peer("parts", fill),
            self.peer("parts", stock),
        );
        let (summary, poor) = (self.peer("costs", summary), self.peer("costs", poor));
        let repair_orders = summary
            .as_ref()
            .map(|s| s.repair_orders.max(0) as u64)
            .map_err(Clone::clone);
        let now = self.cx.clock.now_micros();
        let complaints =
            own(complaints).map(|c| (c.len() as u64, Standard::of(&c, now, self.standard)));
        // Surveys' own rows: none read in time lists none.
        let corrective_actions = own(closed).unwrap_or_default();
        let parts = [
            scores.map(|a| Figures::Satisfaction(satisfaction(&a))),
            standards.map(|s| Figures::Standards(compliance(&s))),
            poor.and_then(|p| {
                Ok(Figures::Comebacks(Comebacks {
                    comebacks: (p.comeback_count + p.warranty_rework_count).max(0) as u64,
                    repair_orders: repair_orders.clone()?,
                }))
            }),
            fill.map(|f| {
                Figures::FillRate(FillRate {
                    lines_asked: f.lines_asked.max(0) as u64,
                    lines_served_at_once: f.lines_served_at_once.max(0) as u64,
                    rate_bp: f.rate_basis_points.max(0) as u32,
                })
            }),
            stock.map(|s| {
                let rates: Vec<(u32, u32, u32)> = s
                    .iter()
                    .map(|c| {
                        let u = |v: i32| v.max(0) as u32;
                        (u(c.items_required), u(c.items_met), u(c.rate_basis_points))
                    })
                    .collect();
                Figures::RequiredStock(RequiredStock::of(&rates))
            }),
            summary.map(|s| Figures::Costs(costs(&s))),
            // Per 100 ROs: without costs' count of ROs, costs is the cause.
            repair_orders.and_then(|repair_orders| {
                let (complaints, standard) = complaints?;
                Ok(Figures::Complaints(Complaints {
                    complaints,
                    repair_orders,
                    standard,
                }))
            }),
        ];
        let sections: Vec<Section> = Part::ALL
            .into_iter()
            .zip(parts)
            .map(|(part, figures)| match figures {
                Ok(figures) => Section::gathered(figures),
                Err(reason) => Section::Missing { part, reason },
            })
            .collect();
        Scorecard {
            dealer_id: dealer.to_owned(),
            period,
            composite: scorecard::composite(&sections, &weights.weights),
            sections,
            weights_version: weights.version,
            sample,
            gather_time: now,
            corrective_actions,
        }
    }

    /// `read`, or none once the scorecard's deadline passed.
    async fn within<T>(&self, read: impl Future<Output = T>) -> Option<T> {
        tokio::time::timeout(self.deadline, read).await.ok()
    }

    /// A peer's answer, or why the part is missing.
    fn peer<T>(&self, service: &str, answer: Option<Result<T, Status>>) -> Result<T, String> {
        // The call's own deadline (the same one) may fire first: tonic
        // cancels it then.
        let late = |s: &Status| matches!(s.code(), Code::DeadlineExceeded | Code::Cancelled);
        match answer {
            Some(Ok(answer)) => Ok(answer),
            Some(Err(status)) if !late(&status) => Err(format!(
                "the {service} service answered {:?}: {}",
                status.code(),
                status.message()
            )),
            _ => Err(format!(
                "the {service} service did not answer within {} ms",
                self.deadline.as_millis()
            )),
        }
    }
}

/// A read of surveys' own tables, or why the part is missing.
fn own<T>(read: Option<Result<T>>) -> Result<T, String> {
    match read {
        None => Err("surveys' own figures were not read in time".into()),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "a scorecard part of surveys' own could not be read");
            Err("surveys' own figures could not be read".into())
        }
        Some(Ok(v)) => Ok(v),
    }
}

fn satisfaction(a: &Aggregate) -> Satisfaction {
    Satisfaction {
        rate_bp: a.satisfaction_rate(),
        service_index: a.service_index(),
        nps: a.nps(),
        sample: a.responses,
    }
}

/// The key standards' counts summed; every standard's when none is key.
fn compliance(results: &[aftercare_proto::dealers::v1::StandardCompliance]) -> Standards {
    let key_only = results.iter().any(|r| r.key);
    let counted: Vec<_> = results.iter().filter(|r| r.key || !key_only).collect();
    let count = |f: fn(&aftercare_proto::dealers::v1::ComplianceCounts) -> i64| -> u64 {
        counted
            .iter()
            .filter_map(|r| r.counts.as_ref())
            .map(|c| f(c).max(0) as u64)
            .sum()
    };
    Standards {
        met: count(|c| c.met),
        missed: count(|c| c.missed),
        standards: counted.len() as u32,
        key_only,
    }
}

fn costs(s: &aftercare_proto::costs::v1::CostSummary) -> Costs {
    let minor = |m: &Option<aftercare_proto::common::v1::Money>| m.as_ref().map(|m| m.minor_units);
    Costs {
        repair_orders: s.repair_orders.max(0) as u64,
        currency: s
            .margin
            .as_ref()
            .map(|m| m.currency_code.clone())
            .unwrap_or_default(),
        cost_per_repair_order: minor(&s.cost_per_repair_order),
        margin: minor(&s.margin).unwrap_or(0),
        margin_bp: s.margin_bp,
        claim_rate_centi: s.claim_rate_centi,
    }
}

/// The snapshot of `card` kept for the league.
fn snapshot(card: &Scorecard, region_id: String) -> Result<Assessment> {
    let parts: Vec<StoredPart> = card
        .sections
        .iter()
        .map(|s| StoredPart {
            part: s.part(),
            score: s.score(),
            missing: match s {
                Section::Missing { reason, .. } => Some(reason.clone()),
                Section::Present { .. } => None,
            },
        })
        .collect();
    Ok(Assessment {
        dealer_id: card.dealer_id.clone(),
        region_id,
        composite: card.composite.value.map(|v| v as i32),
        sample: card.sample as i64,
        weights_version: card.weights_version,
        missing_parts: parts.iter().filter(|p| p.score.is_none()).count() as i32,
        refresh_time: card.gather_time,
        scorecard: serde_json::to_string(&parts).map_err(|e| Error::Internal(Box::new(e)))?,
        name: String::new(),
    })
}
