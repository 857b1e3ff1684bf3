//! What follows a complaint's opening: payments to its customer (proposed,
//! then decided by the level the amount calls for, and told to costs), the
//! customer's own link, and the report of a period.

use aftercare_auth::Principal;
use aftercare_outbox::Event;
use aftercare_values::Period;

use super::{
    Caller, Complaints, commit,
    complaints::{list_scope, relay_for},
};
use crate::{
    domain::{
        access::{self, ListScope},
        complaint::{
            self, Actor, Class, Complaint, Grievance, Severity, Source, Subject,
            compensation::{self, Compensation, Decision, Kind},
            report::{self, Paid, Report, ReportScope, RowsBy},
        },
    },
    error::{Error, Result},
    events::CompensationApproved,
    store::{
        complaint_followups as rows,
        complaints::{self as complaint_rows, COMPLAINT},
        invitations,
    },
};

/// A payment as its proposer gives it.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub kind: Kind,
    pub amount: i64,
    pub reason: String,
}

/// What a customer says through its survey's link.
#[derive(Debug, Clone)]
pub struct CustomerOpening {
    pub description: String,
    /// Both or neither; neither opens it unclassified.
    pub class: Option<(Class, String)>,
}

/// The severity of a complaint a customer opens by its link: MEDIUM (the
/// standard's 24 h to the first response); the dealer may reclass it at
/// its resolution.
const CUSTOMER_SEVERITY: Severity = Severity::Medium;

impl Complaints {
    /// Reads complaint `id` for a change by `caller` in `tx`: NOT_FOUND if
    /// unseen, ABORTED if `etag` is stale.
    async fn for_change(
        &self,
        tx: &mut aftercare_db::Tx,
        principal: &Principal,
        id: &str,
        etag: Option<&str>,
    ) -> Result<Complaint> {
        let c = complaint_rows::find(tx, id)
            .await?
            .filter(|c| access::sees(principal, c.place()))
            .ok_or_else(|| Error::not_found(COMPLAINT, id))?;
        if etag.is_some_and(|e| e != c.etag()) {
            return Err(Error::stale(COMPLAINT, id));
        }
        Ok(c)
    }

    /// Bumps `c`'s revision at `now` and writes it (a compare-and-set).
    async fn touch(&self, tx: &mut aftercare_db::Tx, c: &mut Complaint, now: i64) -> Result<()> {
        c.update_time = now;
        c.revision += 1;
        if complaint_rows::update(tx, c).await? {
            Ok(())
        } else {
            Err(Error::stale(COMPLAINT, &c.id))
        }
    }

    /// Proposes a payment on complaint `id`.
    pub async fn propose(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<&str>,
        p: Proposal,
    ) -> Result<Complaint> {
        let principal = &caller.principal;
        let mut tx = aftercare_db::begin_write!(&self.cx.db, caller.key.as_ref());
        let mut c = self.for_change(&mut tx, principal, id, etag).await?;
        compensation::check_propose(principal, c.place())
            .map_err(|d| Error::denied(d, COMPLAINT, id))?;
        if c.state == complaint::State::Closed {
            return Err(Error::FailedPrecondition(
                "a closed complaint takes no payment; reopen it first".into(),
            ));
        }
        let now = self.cx.clock.now_micros();
        let payment = Compensation {
            number: c.compensations.len() as i64 + 1,
            kind: p.kind,
            amount: p.amount,
            reason: p.reason,
            state: Decision::Proposed,
            approval_level: compensation::level_for(p.amount, self.rules.limits),
            proposed_by: principal.subject.clone(),
            propose_time: now,
            decided_by: None,
            decide_time: None,
            decision_note: None,
        };
        self.touch(&mut tx, &mut c, now).await?;
        rows::save_compensation(&mut tx, &c, &payment).await?;
        c.compensations.push(payment);
        commit(tx, caller, c).await
    }

    /// Approves (and tells costs, through the outbox) or rejects payment
    /// `number` of complaint `id`.
    pub async fn decide(
        &self,
        caller: &Caller,
        (id, number): (&str, i64),
        etag: Option<&str>,
        approve: bool,
        note: String,
    ) -> Result<Complaint> {
        let principal = &caller.principal;
        let mut tx = aftercare_db::begin_write!(&self.cx.db, caller.key.as_ref());
        let mut c = self.for_change(&mut tx, principal, id, etag).await?;
        let Some(index) = c.compensations.iter().position(|p| p.number == number) else {
            return Err(Error::not_found("compensation", &format!("{id}/{number}")));
        };
        let level = c.compensations[index].approval_level;
        compensation::check_decide(principal, c.place(), level)
            .map_err(|d| Error::denied(d, COMPLAINT, id))?;
        if c.compensations[index].state != Decision::Proposed {
            return Err(Error::FailedPrecondition(
                "the payment was already decided".into(),
            ));
        }
        let now = self.cx.clock.now_micros();
        {
            let p = &mut c.compensations[index];
            p.state = if approve {
                Decision::Approved
            } else {
                Decision::Rejected
            };
            p.decided_by = Some(principal.subject.clone());
            p.decide_time = Some(now);
            p.decision_note = Some(note).filter(|n| !n.is_empty());
        }
        self.touch(&mut tx, &mut c, now).await?;
        let p = &c.compensations[index];
        rows::save_compensation(&mut tx, &c, p).await?;
        if approve {
            let event = CompensationApproved {
                complaint: &c,
                payment: p,
                currency: &self.rules.currency,
            };
            aftercare_outbox::enqueue(&mut tx, &Event::from(event)).await?;
        }
        commit(tx, caller, c).await
    }

    /// The report of `scope` over `period`, at now.
    pub async fn report(
        &self,
        principal: &Principal,
        scope: &ReportScope,
        period: &Period,
    ) -> Result<Report> {
        let seen = list_scope(principal)?;
        let (dealer, region) = match scope {
            ReportScope::Dealer(d) => (Some(d.as_str()), None),
            ReportScope::Region(r) => (None, Some(r.as_str())),
            ReportScope::Network => (None, None),
        };
        access::check_named(&seen, dealer, region)
            .map_err(|d| Error::denied(d, "scope", "of the request"))?;
        if *scope == ReportScope::Network && seen != ListScope::All {
            return Err(Error::PermissionDenied(
                "only head office reads the network's report: name a dealer or a region".into(),
            ));
        }
        let db = &self.cx.db;
        // A region manager names a dealer of its own region only (a dealer
        // without complaints has nothing to tell).
        if let (ListScope::Region(own), Some(dealer)) = (&seen, dealer)
            && rows::dealer_region(db, dealer)
                .await?
                .is_some_and(|r| &r != own)
        {
            return Err(Error::not_found("dealer", dealer));
        }
        let (from, to) = self.month_bounds(period);
        let (opened, approved) = tokio::try_join!(
            rows::opened(db, scope, from, to),
            rows::approved(db, scope, from, to)
        )?;
        let mut paid: Vec<Paid> = vec![];
        for (kind, amount) in approved {
            match paid.iter_mut().find(|p| p.kind == kind) {
                Some(p) => {
                    p.payments += 1;
                    p.amount += amount;
                }
                None => paid.push(Paid {
                    kind,
                    payments: 1,
                    amount,
                }),
            }
        }
        paid.sort_by_key(|p| p.kind);
        let by = match scope {
            ReportScope::Dealer(_) => RowsBy::Station,
            _ => RowsBy::Dealer,
        };
        let now = self.cx.clock.now_micros();
        Ok(report::report(&opened, paid, now, self.rules.standard, by))
    }

    /// The complaints' standard of `dealer`'s complaints opened in
    /// `[from, to)`, at now (the scorecard's).
    pub async fn standard_of(&self, dealer: &str, from: i64, to: i64) -> Result<report::Standard> {
        let opened =
            rows::opened(&self.cx.db, &ReportScope::Dealer(dealer.into()), from, to).await?;
        let now = self.cx.clock.now_micros();
        Ok(report::Standard::of(&opened, now, self.rules.standard))
    }

    /// Opens a complaint by the customer of the survey whose link token is
    /// `token`, while the link is unexpired (answered or not).
    pub async fn open_by_link(
        &self,
        caller: &Caller,
        token: &str,
        o: CustomerOpening,
    ) -> Result<Complaint> {
        let now = self.cx.clock.now_micros();
        let invitation = {
            let mut conn = self.cx.db.pool().acquire().await?;
            invitations::find_by_link(&mut conn, token).await?
        }
        .filter(|i| i.link_expire_time.is_some_and(|t| t > now))
        .ok_or_else(|| Error::not_found("survey", "for this link"))?;
        let i = invitation;
        let (technician_ids, part_numbers) = self
            .lines_for_relay(&i.dealer_id, &i.repair_order_id)
            .await?
            .unwrap_or_else(|| (i.technician_ids.clone(), vec![]));
        let subject = Subject {
            repair_order_id: Some(i.repair_order_id.clone()),
            station_id: i.station_id.clone(),
            dealer_id: i.dealer_id.clone(),
            region_id: i.region_id.clone(),
            advisor_id: Some(i.advisor_id.clone()).filter(|a| !a.is_empty()),
            technician_ids,
            part_numbers,
        };
        let (class, cause) = o
            .class
            .unwrap_or((Class::Unclassified, complaint::CUSTOMER_CAUSE.into()));
        let grievance = Grievance {
            description: o.description,
            class,
            cause,
            severity: CUSTOMER_SEVERITY,
            source: Source::Customer,
        };
        let actor = Actor {
            subject: format!("customer-of-{}", i.id),
            role: "customer".into(),
        };
        let mut tx = aftercare_db::begin_write!(&self.cx.db, caller.key.as_ref());
        let c = self
            .insert(&mut tx, subject, grievance, None, actor)
            .await?;
        commit(tx, caller, c).await
    }

    /// The complaint whose customer's link token is `token`.
    pub async fn by_link(&self, token: &str) -> Result<Complaint> {
        let mut conn = self.cx.db.pool().acquire().await?;
        rows::find_by_link(&mut conn, token)
            .await?
            .ok_or_else(|| Error::not_found(COMPLAINT, "for this link"))
    }

    /// Tells costs of an approved payment (the relay's delivery of
    /// `complaint.compensation_approved`), as the surveys relay for the
    /// complaint's dealer, with the event id as the request id: costs
    /// counts it once.
    pub async fn tell_costs(
        &self,
        event_id: &str,
        payment: aftercare_proto::costs::v1::ComplaintCompensation,
    ) -> std::result::Result<(), tonic::Status> {
        let relay = relay_for(&payment.dealer_id);
        self.cx
            .peers
            .tell_compensation(&relay, event_id, payment)
            .await
    }
}
