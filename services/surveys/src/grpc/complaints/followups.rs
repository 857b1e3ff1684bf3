//! The follow-ups of `ComplaintService`: payments, the report, and the
//! customer's link — parsed here, run by the use cases, answered in the
//! contract's terms.

use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::{common::v1 as common, costs::v1 as costs_pb, surveys::v1 as pb};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, Status};

use super::{ComplaintApi, complaint_id, convert};
use crate::{
    domain::complaint::{
        Complaint,
        compensation::{Compensation, Decision, Kind},
        report::{Durations, Figures, Report, ReportScope, Standard},
    },
    events::message::time,
    grpc::{Reply, link_token},
    usecases::{CustomerOpening, Proposal},
};

pub(super) fn money(currency: &str, minor_units: i64) -> common::Money {
    common::Money {
        currency_code: currency.to_owned(),
        minor_units,
    }
}

fn kind_pb(k: Kind) -> costs_pb::CompensationKind {
    match k {
        Kind::Compensation => costs_pb::CompensationKind::Compensation,
        Kind::Goodwill => costs_pb::CompensationKind::Goodwill,
    }
}

pub(super) fn compensation_pb(p: Compensation, currency: &str) -> pb::ComplaintCompensation {
    pb::ComplaintCompensation {
        number: p.number as i32,
        kind: kind_pb(p.kind).into(),
        amount: Some(money(currency, p.amount)),
        reason: p.reason,
        state: match p.state {
            Decision::Proposed => pb::CompensationState::Proposed,
            Decision::Approved => pb::CompensationState::Approved,
            Decision::Rejected => pb::CompensationState::Rejected,
        }
        .into(),
        approval_level: convert::owner_pb(p.approval_level).into(),
        proposed_by: p.proposed_by,
        propose_time: time(p.propose_time),
        decided_by: p.decided_by.unwrap_or_default(),
        decide_time: p.decide_time.and_then(time),
        decision_note: p.decision_note.unwrap_or_default(),
    }
}

/// A proposal's fields: kind, a positive amount in the network's
/// currency, a reason.
fn proposal(p: Option<pb::ComplaintCompensation>, currency: &str) -> Result<Proposal, Status> {
    let bad = |field: &str, why: &str| invalid(FieldViolation::new(field, why));
    let p = aftercare_edge::required(p, "compensation")?;
    let kind = match costs_pb::CompensationKind::try_from(p.kind) {
        Ok(costs_pb::CompensationKind::Compensation) => Kind::Compensation,
        Ok(costs_pb::CompensationKind::Goodwill) => Kind::Goodwill,
        _ => return Err(bad("compensation.kind", "must be COMPENSATION or GOODWILL")),
    };
    let amount = p
        .amount
        .ok_or_else(|| bad("compensation.amount", "must be set"))?;
    if amount.currency_code != currency {
        return Err(bad(
            "compensation.amount.currency_code",
            &format!("must be the network's currency, {currency}"),
        ));
    }
    if !(1..=aftercare_values::MAX_MINOR_UNITS).contains(&amount.minor_units) {
        return Err(bad(
            "compensation.amount.minor_units",
            "must be positive and at most 10^12",
        ));
    }
    let reason = convert::text(p.reason, "compensation.reason", false).map_err(invalid)?;
    Ok(Proposal {
        kind,
        amount: amount.minor_units,
        reason,
    })
}

pub(crate) fn standard(s: Standard) -> pb::ComplaintStandard {
    pb::ComplaintStandard {
        met: s.met as i64,
        missed: s.missed as i64,
        pending: s.pending as i64,
        rate_basis_points: s.rate_bp().map(|r| r as i32),
        target_basis_points: s.target_bp as i32,
        target_met: s.target_met(),
    }
}

fn figures_pb(f: Figures) -> pb::ComplaintFiguresOfPeriod {
    pb::ComplaintFiguresOfPeriod {
        opened: f.opened as i64,
        closed: f.closed as i64,
        open: f.open as i64,
        overdue: f.overdue as i64,
        standard: Some(standard(f.standard)),
    }
}

fn durations_pb(d: Durations) -> pb::DurationSummary {
    pb::DurationSummary {
        count: d.count as i64,
        mean_seconds: d.mean_secs,
        p90_seconds: d.p90_secs,
    }
}

/// What the customer sees.
fn customer(c: Complaint) -> pb::CustomerComplaint {
    pb::CustomerComplaint {
        state: convert::state_pb(c.state).into(),
        open_time: time(c.open_time),
        response_due_time: c.due.response.and_then(time),
        resolution_due_time: c.due.resolution.and_then(time),
        first_response: c.first_response.unwrap_or_default(),
        root_cause: c.root_cause.unwrap_or_default(),
        corrective_action: c.corrective_action.unwrap_or_default(),
        link_token: c.link_token.unwrap_or_default(),
        id: c.id,
    }
}

impl ComplaintApi {
    pub(super) async fn propose(
        &self,
        request: Request<pb::ProposeComplaintCompensationRequest>,
    ) -> Reply<pb::Complaint> {
        let r = request.get_ref();
        let p = proposal(r.compensation.clone(), self.complaints.currency())?;
        let caller =
            aftercare_edge::mutation(&request, "ProposeComplaintCompensation", &r.request_id)?;
        let id = complaint_id(&r.id)?;
        let etag = Some(r.etag.as_str()).filter(|e| !e.is_empty());
        let c = self.complaints.propose(&caller, &id, etag, p).await?;
        Ok(self.answer(c))
    }

    /// Approves or rejects payment `number` of complaint `id`.
    pub(super) async fn decide<T: prost::Message>(
        &self,
        request: &Request<T>,
        method: &str,
        (id, number, note, etag, request_id): (&str, i32, &str, &str, &str),
        approve: bool,
    ) -> Reply<pb::Complaint> {
        let id = complaint_id(id)?;
        if number < 1 {
            return Err(invalid(FieldViolation::new(
                "number",
                "must be a payment's number, from 1",
            )));
        }
        let note = convert::text(note.to_owned(), "note", true).map_err(invalid)?;
        let caller = aftercare_edge::mutation(request, method, request_id)?;
        let etag = Some(etag).filter(|e| !e.is_empty());
        let c = self
            .complaints
            .decide(&caller, (&id, i64::from(number)), etag, approve, note)
            .await?;
        Ok(self.answer(c))
    }

    pub(super) async fn report(
        &self,
        request: Request<pb::GetComplaintReportRequest>,
    ) -> Reply<pb::ComplaintReport> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let scope = match (r.dealer_id.is_empty(), r.region_id.is_empty()) {
            (true, true) => ReportScope::Network,
            (false, true) => ReportScope::Dealer(crate::grpc::id(&r.dealer_id, "dealer_id")?),
            (true, false) => ReportScope::Region(crate::grpc::id(&r.region_id, "region_id")?),
            (false, false) => {
                return Err(invalid(FieldViolation::new(
                    "region_id",
                    "must be empty when dealer_id is set",
                )));
            }
        };
        let period = crate::grpc::period(r.period, "period")?;
        let report = self.complaints.report(&principal, &scope, &period).await?;
        Ok(Response::new(self.report_pb(
            report,
            r.dealer_id,
            r.region_id,
            r.period,
        )))
    }

    fn report_pb(
        &self,
        report: Report,
        dealer_id: String,
        region_id: String,
        period: Option<common::Period>,
    ) -> pb::ComplaintReport {
        let currency = self.complaints.currency();
        let by_dealer = dealer_id.is_empty();
        pb::ComplaintReport {
            dealer_id,
            region_id,
            period,
            figures: Some(figures_pb(report.figures)),
            causes: report
                .causes
                .into_iter()
                .map(|(class, cause, n)| pb::ComplaintCauseCount {
                    class: convert::class_pb(class).into(),
                    cause,
                    complaints: n as i64,
                })
                .collect(),
            time_to_first_response: Some(durations_pb(report.to_first_response)),
            time_to_resolution: Some(durations_pb(report.to_resolution)),
            overdue_ids: report.overdue_ids,
            compensation: report
                .paid
                .into_iter()
                .map(|p| pb::CompensationSum {
                    kind: kind_pb(p.kind).into(),
                    payments: p.payments as i64,
                    amount: Some(money(currency, p.amount)),
                })
                .collect(),
            rows: report
                .rows
                .into_iter()
                .map(|(id, f)| {
                    let (dealer_id, station_id) = if by_dealer {
                        (id, String::new())
                    } else {
                        (String::new(), id)
                    };
                    pb::ComplaintReportRow {
                        dealer_id,
                        station_id,
                        figures: Some(figures_pb(f)),
                    }
                })
                .collect(),
            technicians: subject_counts_pb(report.by_technician),
            parts: subject_counts_pb(report.by_part),
            advisors: subject_counts_pb(report.by_advisor),
        }
    }

    pub(super) async fn open_by_link(
        &self,
        request: Request<pb::OpenComplaintByLinkRequest>,
    ) -> Reply<pb::CustomerComplaint> {
        let r = request.get_ref();
        let link = link_token(&r.survey_link_token, "survey_link_token")?.to_owned();
        let description =
            convert::text(r.description.clone(), "description", false).map_err(invalid)?;
        let class = convert::classed(r.class, r.cause.clone(), "").map_err(invalid)?;
        let caller = aftercare_edge::mutation(&request, "OpenComplaintByLink", &r.request_id)?;
        let opening = CustomerOpening { description, class };
        let c = self
            .complaints
            .open_by_link(&caller, &link, opening)
            .await?;
        Ok(Response::new(customer(c)))
    }

    pub(super) async fn by_link(
        &self,
        request: Request<pb::GetComplaintByLinkRequest>,
    ) -> Reply<pb::CustomerComplaint> {
        aftercare_edge::principal(&request)?;
        let link = link_token(&request.get_ref().link_token, "link_token")?;
        let c = self.complaints.by_link(link).await?;
        Ok(Response::new(customer(c)))
    }
}

fn subject_counts_pb(counts: Vec<(String, u64)>) -> Vec<pb::ComplaintSubjectCount> {
    counts
        .into_iter()
        .map(|(id, n)| pb::ComplaintSubjectCount {
            id,
            complaints: n as i64,
        })
        .collect()
}
