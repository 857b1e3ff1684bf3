//! A complaint as the service keeps it, with its steps, and a notification
//! of the feed.

use super::{Action, Actor, Class, Confirmation, Due, Owner, Severity, Source, State, SubjectKind};
use crate::domain::access::Place;

/// Where a complaint belongs and what it is tied to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subject {
    pub repair_order_id: Option<String>,
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub advisor_id: Option<String>,
    pub technician_ids: Vec<String>,
    pub part_numbers: Vec<String>,
}

impl Subject {
    /// Its advisor, technicians and parts, each once.
    pub fn tied(&self) -> Vec<(SubjectKind, &str)> {
        tied(
            self.advisor_id.as_deref(),
            &self.technician_ids,
            &self.part_numbers,
        )
    }
}

/// An advisor, technicians and parts as `(kind, id)`, each once, in order.
pub fn tied<'a>(
    advisor_id: Option<&'a str>,
    technician_ids: &'a [String],
    part_numbers: &'a [String],
) -> Vec<(SubjectKind, &'a str)> {
    let mut out: Vec<(SubjectKind, &str)> = vec![];
    let all = advisor_id
        .map(|a| (SubjectKind::Advisor, a))
        .into_iter()
        .chain(
            technician_ids
                .iter()
                .map(|t| (SubjectKind::Technician, t.as_str())),
        )
        .chain(part_numbers.iter().map(|p| (SubjectKind::Part, p.as_str())));
    for s in all {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// What the opener says of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Grievance {
    pub description: String,
    pub class: Class,
    pub cause: String,
    pub severity: Severity,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub action: Action,
    pub actor: Actor,
    pub time: i64,
    pub note: String,
    pub owner: Owner,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Complaint {
    pub id: String,
    pub subject: Subject,
    pub grievance: Grievance,
    pub state: State,
    pub owner: Owner,
    pub due: Due,
    pub survey_response_id: Option<String>,
    pub first_response: Option<String>,
    pub root_cause: Option<String>,
    pub corrective_action: Option<String>,
    pub confirmation: Option<Confirmation>,
    pub open_time: i64,
    pub first_response_time: Option<i64>,
    pub resolve_time: Option<i64>,
    pub close_time: Option<i64>,
    pub update_time: i64,
    pub revision: i64,
    pub history: Vec<Step>,
    /// The payments proposed, oldest first.
    #[serde(default)]
    pub compensations: Vec<super::compensation::Compensation>,
    /// The customer's link token: only in the answer to the opening (the
    /// store keeps its hash).
    #[serde(default)]
    pub link_token: Option<String>,
}

impl Complaint {
    pub fn place(&self) -> Place<'_> {
        Place {
            station_id: &self.subject.station_id,
            dealer_id: &self.subject.dealer_id,
            region_id: &self.subject.region_id,
        }
    }

    /// Its pending deadline passed at `now`.
    pub fn is_overdue(&self, now: i64) -> bool {
        self.due.pending(self.state).is_some_and(|t| t <= now)
    }

    pub fn etag(&self) -> String {
        self.revision.to_string()
    }
}

/// `complaint.opened` or `complaint.escalated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    Opened,
    Escalated,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Opened => "complaint.opened",
            NotificationKind::Escalated => "complaint.escalated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "complaint.opened" => Some(NotificationKind::Opened),
            "complaint.escalated" => Some(NotificationKind::Escalated),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub sequence: i64,
    pub kind: NotificationKind,
    pub complaint_id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub station_id: String,
    pub severity: Severity,
    pub owner: Owner,
    pub time: i64,
}
