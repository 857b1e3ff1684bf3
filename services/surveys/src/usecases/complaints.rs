//! Complaints: opened (by people, or by a low score through the closed
//! loop), moved through their lifecycle by their owner and those above,
//! listed, escalated by the sweep, and told in the notification feed.

use std::time::Duration;

use aftercare_auth::{Principal, SURVEYS_RELAY, Scope};
use aftercare_values::PageRequest;
use tonic::Code;

use super::{Context, commit};
use crate::{
    domain::{
        access::{self, ListScope},
        complaint::{
            self, Action, Actor, Class, Complaint, Confirmation, Deadlines, Due, Grievance,
            LOW_SCORE_CAUSE, Notification, NotificationKind, Owner, Source, State, Step, Subject,
            compensation::Limits, report::StandardRule,
        },
    },
    error::{Error, Result},
    store::complaints::{self as rows, COMPLAINT},
};

/// What a list asks for besides the caller's scope.
pub use crate::store::complaints::Filter;

/// What complaints run by, from the settings.
#[derive(Debug, Clone)]
pub struct ComplaintRules {
    pub deadlines: Deadlines,
    /// Days after its resolution when a complaint whose customer cannot be
    /// reached may be closed.
    pub close_unreached_days: i64,
    /// How often the escalation sweep runs.
    pub sweep_every: Duration,
    /// How many complaints one sweep transaction escalates at most.
    pub sweep_batch: i64,
    /// Who approves a payment of what amount.
    pub limits: Limits,
    /// The complaints' own standard, "answered within 24 h".
    pub standard: StandardRule,
    /// The network's currency: payments are in it.
    pub currency: String,
}

impl Default for ComplaintRules {
    fn default() -> Self {
        Self {
            deadlines: Deadlines::default(),
            close_unreached_days: 7,
            sweep_every: Duration::from_secs(60),
            sweep_batch: 500,
            limits: Limits::default(),
            standard: StandardRule::default(),
            currency: "EUR".into(),
        }
    }
}

/// A complaint as its opener describes it: the RO, or the station and
/// what is known.
#[derive(Debug, Clone)]
pub struct Opening {
    pub repair_order_id: Option<String>,
    pub station_id: Option<String>,
    pub advisor_id: Option<String>,
    pub technician_ids: Vec<String>,
    pub part_numbers: Vec<String>,
    pub grievance: Grievance,
}

/// A survey response below the alert threshold, as its event tells it.
#[derive(Debug, Clone)]
pub struct LowScore {
    pub event_id: String,
    pub response_id: String,
    pub repair_order_id: String,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: String,
    pub service_index: Option<u32>,
}

/// A change of a complaint's lifecycle.
#[derive(Debug, Clone)]
pub enum Change {
    Respond(String),
    Resolve {
        root_cause: String,
        corrective_action: String,
        class: Option<(Class, String)>,
    },
    Close {
        confirmation: Confirmation,
        note: String,
    },
    Reopen(String),
}

#[derive(Debug, Clone)]
pub struct Complaints {
    pub(super) cx: Context,
    pub(super) rules: ComplaintRules,
}

impl Complaints {
    pub fn new(cx: Context, rules: ComplaintRules) -> Self {
        Self { cx, rules }
    }

    /// Opens a complaint; the RO or station is read from dealers (as the
    /// caller) before the transaction.
    pub async fn open(&self, caller: &super::Caller, o: Opening) -> Result<Complaint> {
        let principal = &caller.principal;
        let subject = self.subject(principal, &o).await?;
        let mut tx = aftercare_db::begin_write!(&self.cx.db, caller.key.as_ref());
        let place = access::Place {
            station_id: &subject.station_id,
            dealer_id: &subject.dealer_id,
            region_id: &subject.region_id,
        };
        complaint::check_open(principal, place)
            .map_err(|d| Error::denied(d, "station", &subject.station_id))?;
        let c = self
            .insert(&mut tx, subject, o.grievance, None, Actor::of(principal))
            .await?;
        commit(tx, caller, c).await
    }

    async fn subject(&self, principal: &Principal, o: &Opening) -> Result<Subject> {
        let peers = &self.cx.peers;
        if let Some(ro_id) = &o.repair_order_id {
            let ro = peers
                .repair_order(principal, ro_id)
                .await
                .map_err(|s| peer_error(&s, "repair order", ro_id))?;
            let station = peers
                .station(principal, &ro.station_id)
                .await
                .map_err(|s| peer_error(&s, "station", &ro.station_id))?;
            let (technician_ids, part_numbers) = ro_lines(&ro);
            return Ok(Subject {
                repair_order_id: Some(ro.id),
                station_id: station.id,
                dealer_id: station.dealer_id,
                region_id: station.region_id,
                advisor_id: Some(ro.advisor_id).filter(|a| !a.is_empty()),
                technician_ids,
                part_numbers,
            });
        }
        let station_id = o.station_id.clone().unwrap_or_default();
        let station = peers
            .station(principal, &station_id)
            .await
            .map_err(|s| peer_error(&s, "station", &station_id))?;
        Ok(Subject {
            repair_order_id: None,
            station_id: station.id,
            dealer_id: station.dealer_id,
            region_id: station.region_id,
            advisor_id: o.advisor_id.clone(),
            technician_ids: o.technician_ids.clone(),
            part_numbers: o.part_numbers.clone(),
        })
    }

    /// Numbers and writes a new complaint, its first step and its
    /// notification, in `tx`; answers it with its customer's link token
    /// (kept only as its hash).
    pub(super) async fn insert(
        &self,
        tx: &mut aftercare_db::Tx,
        subject: Subject,
        grievance: Grievance,
        survey_response_id: Option<String>,
        actor: Actor,
    ) -> Result<Complaint> {
        let now = self.cx.clock.now_micros();
        let (year, month) = self.month(now);
        let n = rows::next(tx, &complaint::month_key(year, month)).await?;
        let due = Due::from(
            now,
            State::Open,
            self.rules.deadlines.of(grievance.severity),
        );
        let step = Step {
            action: Action::Opened,
            actor,
            time: now,
            note: String::new(),
            owner: Owner::Dealer,
        };
        let c = Complaint {
            link_token: Some(super::invitations::mint_token()),
            id: complaint::number(year, month, n),
            subject,
            grievance,
            state: State::Open,
            owner: Owner::Dealer,
            due,
            survey_response_id,
            first_response: None,
            root_cause: None,
            corrective_action: None,
            confirmation: None,
            open_time: now,
            first_response_time: None,
            resolve_time: None,
            close_time: None,
            update_time: now,
            revision: 1,
            history: vec![step],
            compensations: vec![],
        };
        rows::insert(tx, &c).await?;
        rows::add_step(tx, &c.id, 1, &c.history[0]).await?;
        rows::notify(tx, NotificationKind::Opened, &c, now).await?;
        Ok(c)
    }

    /// The year and month of `micros` in the OEM's zone.
    fn month(&self, micros: i64) -> (i32, u8) {
        let t = aftercare_db::timestamp::from_micros(micros);
        let day = self.cx.rules.zone.local_day(t);
        (day.year(), u8::from(day.month()))
    }

    /// The closed loop: opens the one complaint of a low-scored response,
    /// its technicians and parts from the RO (dealers down: UNAVAILABLE,
    /// and the relay tries again). The event is applied once, and a
    /// response opens one complaint whatever its events.
    pub async fn receive_low_score(&self, l: LowScore) -> Result<Complaint> {
        let relay = relay_for(&l.dealer_id);
        // A redelivery of an applied event answers without asking dealers.
        let mut conn = self.cx.db.pool().acquire().await?;
        if let Some(existing) = rows::find_by_response(&mut conn, &l.response_id).await? {
            return Ok(existing);
        }
        drop(conn);
        let (technician_ids, part_numbers) = self
            .lines_for_relay(&l.dealer_id, &l.repair_order_id)
            .await?
            .unwrap_or_default();
        let mut tx = self.cx.db.begin().await?;
        let first = aftercare_outbox::apply_once(&mut tx, &l.event_id).await?;
        if let Some(existing) = rows::find_by_response(&mut tx, &l.response_id).await? {
            tx.commit().await?;
            return Ok(existing);
        }
        if !first {
            return Err(Error::Internal(
                format!("event {} was applied but left no complaint", l.event_id).into(),
            ));
        }
        let subject = Subject {
            repair_order_id: Some(l.repair_order_id),
            station_id: l.station_id,
            dealer_id: l.dealer_id,
            region_id: l.region_id,
            advisor_id: Some(l.advisor_id).filter(|a| !a.is_empty()),
            technician_ids,
            part_numbers,
        };
        let grievance = Grievance {
            description: "the customer's survey scored below the alert threshold".into(),
            class: Class::Unclassified,
            cause: LOW_SCORE_CAUSE.into(),
            severity: complaint::severity_of_score(l.service_index),
            source: Source::LowScore,
        };
        let actor = Actor::of(&relay);
        let c = self
            .insert(&mut tx, subject, grievance, Some(l.response_id), actor)
            .await?;
        tx.commit().await?;
        Ok(c)
    }

    /// The technicians and part numbers of RO `ro_id` of `dealer_id`, read
    /// by the surveys relay for that dealer: none when dealers no longer
    /// knows the RO; UNAVAILABLE when dealers does not answer.
    pub(super) async fn lines_for_relay(
        &self,
        dealer_id: &str,
        ro_id: &str,
    ) -> Result<Option<(Vec<String>, Vec<String>)>> {
        match self
            .cx
            .peers
            .repair_order(&relay_for(dealer_id), ro_id)
            .await
        {
            Ok(ro) => Ok(Some(ro_lines(&ro))),
            Err(s) if s.code() == Code::NotFound => Ok(None),
            Err(s) => Err(peer_error(&s, "repair order", ro_id)),
        }
    }

    /// Moves complaint `id` through its lifecycle.
    pub async fn change(
        &self,
        caller: &super::Caller,
        id: &str,
        etag: Option<&str>,
        change: Change,
    ) -> Result<Complaint> {
        let principal = &caller.principal;
        let mut tx = aftercare_db::begin_write!(&self.cx.db, caller.key.as_ref());
        let mut c = rows::find(&mut tx, id)
            .await?
            .filter(|c| access::sees(principal, c.place()))
            .ok_or_else(|| Error::not_found(COMPLAINT, id))?;
        complaint::check_handle(principal, c.place(), c.owner)
            .map_err(|d| Error::denied(d, COMPLAINT, id))?;
        if etag.is_some_and(|e| e != c.etag()) {
            return Err(Error::stale(COMPLAINT, id));
        }
        let now = self.cx.clock.now_micros();
        let action = match &change {
            Change::Respond(_) => Action::Responded,
            Change::Resolve { .. } => Action::Resolved,
            Change::Close { .. } => Action::Closed,
            Change::Reopen(_) => Action::Reopened,
        };
        c.state = complaint::transition(c.state, action)
            .map_err(|why| Error::FailedPrecondition(why.into()))?;
        let deadline = self.rules.deadlines.of(c.grievance.severity);
        let note = match change {
            Change::Respond(text) => {
                c.first_response_time.get_or_insert(now);
                c.first_response = Some(text.clone());
                c.due.response = None;
                text
            }
            Change::Resolve {
                root_cause,
                corrective_action,
                class,
            } => {
                match class {
                    Some((class, cause)) => {
                        c.grievance.class = class;
                        c.grievance.cause = cause;
                    }
                    None if c.grievance.class == Class::Unclassified => {
                        return Err(Error::invalid(
                            "class",
                            "an unclassified complaint must be classed when it is resolved",
                        ));
                    }
                    None => {}
                }
                c.resolve_time = Some(now);
                c.root_cause = Some(root_cause);
                c.corrective_action = Some(corrective_action);
                c.due.resolution = None;
                String::new()
            }
            Change::Close { confirmation, note } => {
                let resolved = c.resolve_time.unwrap_or(now);
                if confirmation == Confirmation::Unreachable
                    && !complaint::may_close_unreached(
                        resolved,
                        now,
                        self.rules.close_unreached_days,
                    )
                {
                    return Err(Error::FailedPrecondition(format!(
                        "a customer who cannot be reached is waited for {} days after the resolution",
                        self.rules.close_unreached_days
                    )));
                }
                c.confirmation = Some(confirmation);
                c.close_time = Some(now);
                note
            }
            Change::Reopen(reason) => {
                c.due = Due::from(now, State::Open, deadline);
                c.confirmation = None;
                c.close_time = None;
                reason
            }
        };
        c.update_time = now;
        c.revision += 1;
        if !rows::update(&mut tx, &c).await? {
            return Err(Error::stale(COMPLAINT, id));
        }
        let step = Step {
            action,
            actor: Actor::of(principal),
            time: now,
            note,
            owner: c.owner,
        };
        c.history.push(step);
        rows::add_step(
            &mut tx,
            id,
            c.history.len(),
            c.history.last().expect("pushed"),
        )
        .await?;
        commit(tx, caller, c).await
    }

    pub async fn get(&self, principal: &Principal, id: &str) -> Result<Complaint> {
        let mut conn = self.cx.db.pool().acquire().await?;
        rows::find(&mut conn, id)
            .await?
            .filter(|c| access::sees(principal, c.place()))
            .ok_or_else(|| Error::not_found(COMPLAINT, id))
    }

    /// The complaints the caller sees, newest first; `overdue` judged now.
    pub async fn list(
        &self,
        principal: &Principal,
        mut filter: Filter,
        overdue: bool,
        after: Option<(i64, String)>,
        page: &PageRequest,
    ) -> Result<Vec<Complaint>> {
        let scope = list_scope(principal)?;
        access::check_named(
            &scope,
            Some(filter.dealer_id.as_str()).filter(|d| !d.is_empty()),
            Some(filter.region_id.as_str()).filter(|r| !r.is_empty()),
        )
        .map_err(|d| Error::denied(d, "scope", "of the request"))?;
        if overdue {
            filter.overdue_at = Some(self.cx.clock.now_micros());
        }
        rows::list(&self.cx.db, &scope, &filter, after, page.size as i64 + 1).await
    }

    /// The network's currency: payments' amounts are in it.
    pub fn currency(&self) -> &str {
        &self.rules.currency
    }

    /// Now, as the service takes it (for `overdue` in answers).
    pub fn now(&self) -> i64 {
        self.cx.clock.now_micros()
    }

    /// The period bounds of a month, in µs.
    pub fn month_bounds(&self, period: &aftercare_values::Period) -> (i64, i64) {
        let (start, end) = self.cx.rules.zone.period_bounds(period);
        (
            aftercare_db::timestamp::to_micros(start),
            aftercare_db::timestamp::to_micros(end),
        )
    }

    /// The notifications the caller sees after sequence `after`.
    pub async fn notifications(
        &self,
        principal: &Principal,
        after: i64,
        page: &PageRequest,
    ) -> Result<Vec<Notification>> {
        let scope = list_scope(principal)?;
        rows::notifications(&self.cx.db, &scope, after, page.size as i64).await
    }

    /// Escalates every complaint whose pending deadline passed at `now`,
    /// one level up, in batches; answers how many. Several sweeps at once
    /// (replicas) share the work: PostgreSQL hands each due row to one
    /// (`SKIP LOCKED`), SQLite runs one write transaction at a time, and the
    /// update is a compare-and-set on the revision besides.
    pub async fn sweep_once(&self, now: i64) -> Result<usize> {
        let mut total = 0;
        loop {
            let mut tx = self.cx.db.begin().await?;
            let due =
                rows::claim_due(&mut tx, self.cx.db.backend(), now, self.rules.sweep_batch).await?;
            let claimed = due.len();
            let mut escalated = vec![];
            for mut c in due {
                let d = self.rules.deadlines.of(c.grievance.severity);
                if let Some((owner, next)) = complaint::escalation(c.state, c.owner, c.due, now, d)
                {
                    c.owner = owner;
                    c.due = next;
                    c.update_time = now;
                    c.revision += 1;
                    escalated.push(c);
                }
            }
            // Compare-and-set on the revision: what another sweep changed
            // meanwhile is left alone.
            let written = rows::write_escalations(&mut tx, &escalated).await?;
            escalated.retain(|c| written.contains(&c.id));
            let ids: Vec<String> = escalated.iter().map(|c| c.id.clone()).collect();
            let counts = rows::step_counts(&mut tx, &ids).await?;
            let steps: Vec<_> = escalated
                .iter()
                .map(|c| {
                    let step = Step {
                        action: Action::Escalated,
                        actor: Actor::sweep(),
                        time: now,
                        note: String::new(),
                        owner: c.owner,
                    };
                    (
                        c.id.as_str(),
                        counts.get(&c.id).copied().unwrap_or(0) + 1,
                        step,
                    )
                })
                .collect();
            rows::add_steps(&mut tx, &steps).await?;
            rows::notify_all(&mut tx, NotificationKind::Escalated, &escalated, now).await?;
            total += escalated.len();
            tx.commit().await?;
            crate::metrics::escalated(&escalated);
            if (claimed as i64) < self.rules.sweep_batch {
                return Ok(total);
            }
        }
    }

    /// The sweep, every `sweep_every`, by the clock.
    pub fn spawn_sweep(self) -> tokio::task::JoinHandle<()> {
        aftercare_db::periodic::every(self.rules.sweep_every, move || {
            let this = self.clone();
            async move {
                match this.sweep_once(this.cx.clock.now_micros()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(escalated = n, "complaints escalated"),
                    Err(e) => tracing::warn!(error = %e, "complaint sweep failed"),
                }
            }
        })
    }
}

/// The technicians of an RO's labour lines and the part numbers of its
/// parts lines, each once, in line order.
fn ro_lines(ro: &aftercare_proto::dealers::v1::RepairOrder) -> (Vec<String>, Vec<String>) {
    let mut technicians: Vec<String> = vec![];
    for l in &ro.labour_lines {
        if !l.technician_id.is_empty() && !technicians.contains(&l.technician_id) {
            technicians.push(l.technician_id.clone());
        }
    }
    let mut parts: Vec<String> = vec![];
    for l in &ro.parts_lines {
        if !parts.contains(&l.part_number) {
            parts.push(l.part_number.clone());
        }
    }
    (technicians, parts)
}

/// The surveys relay, acting for `dealer_id`: how this service reads a
/// dealer's RO and tells costs of its payments on no caller's behalf.
pub(super) fn relay_for(dealer_id: &str) -> Principal {
    Principal {
        subject: SURVEYS_RELAY.into(),
        scope: Scope::Dms {
            dealer_id: dealer_id.to_owned(),
        },
    }
}

pub(super) fn list_scope(principal: &Principal) -> Result<ListScope> {
    access::list_scope(principal).map_err(|d| Error::denied(d, COMPLAINT, ""))
}

/// A peer's refusal as this service answers it: what the peer does not
/// show the caller is NOT_FOUND here too; anything else UNAVAILABLE.
pub(super) fn peer_error(status: &tonic::Status, what: &'static str, id: &str) -> Error {
    match status.code() {
        Code::NotFound | Code::PermissionDenied => Error::not_found(what, id),
        _ => Error::Unavailable(format!(
            "{what} {id} could not be read: {}",
            status.message()
        )),
    }
}
