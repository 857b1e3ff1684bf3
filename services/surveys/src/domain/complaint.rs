//! Complaints: their classes and cause taxonomy, severities, owners and
//! deadlines, the lifecycle and who may move it, the escalation rule and the
//! monthly number. Every rule is written down in `docs/complaints.md`.

use aftercare_auth::{Principal, Scope};

use super::access::{Denied, Place};

/// Text-coded enums: each value as stored and as the docs name it.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

coded!(
    /// What a complaint is about; `Unclassified` only until a low-score
    /// complaint is resolved.
    Class {
        Unclassified = "UNCLASSIFIED",
        Quality = "QUALITY",
        People = "NON_QUALITY_PEOPLE",
        Process = "NON_QUALITY_PROCESS",
    }
);

coded!(
    /// What a complaint is tied to besides its place: "which technician,
    /// which part" (and which advisor).
    SubjectKind {
        Technician = "technician",
        Part = "part",
        Advisor = "advisor",
    }
);

coded!(Severity {
    Low = "LOW",
    Medium = "MEDIUM",
    High = "HIGH",
    Critical = "CRITICAL",
});

coded!(Source {
    Customer = "CUSTOMER",
    Dms = "DMS",
    CallbackAgent = "CALLBACK_AGENT",
    LowScore = "LOW_SCORE",
    Staff = "STAFF",
});

coded!(State {
    Open = "OPEN",
    Responded = "RESPONDED",
    Resolved = "RESOLVED",
    Closed = "CLOSED",
});

coded!(
    /// Who owns a complaint, lowest first.
    Owner {
        Dealer = "DEALER",
        Region = "REGION",
        HeadOffice = "HEAD_OFFICE",
    }
);

coded!(Confirmation {
    Satisfied = "SATISFIED",
    Dissatisfied = "DISSATISFIED",
    Unreachable = "UNREACHABLE",
});

coded!(Action {
    Opened = "OPENED",
    Responded = "RESPONDED",
    Resolved = "RESOLVED",
    Closed = "CLOSED",
    Reopened = "REOPENED",
    Escalated = "ESCALATED",
});

/// The cause of a complaint opened by a low score, until it is classed.
pub const LOW_SCORE_CAUSE: &str = "survey-low-score";

/// The cause of a complaint a customer opened by its link without a class,
/// until it is classed.
pub const CUSTOMER_CAUSE: &str = "customer-link";

/// The cause codes of each class (the taxonomy the contract lists).
pub fn causes(class: Class) -> &'static [&'static str] {
    match class {
        Class::Unclassified => &[LOW_SCORE_CAUSE, CUSTOMER_CAUSE],
        Class::Quality => &[
            "repair-not-fixed",
            "repeat-failure",
            "part-defect",
            "damage-during-service",
            "workmanship",
        ],
        Class::People => &[
            "advisor-attitude",
            "communication",
            "technician-conduct",
            "not-called-back",
        ],
        Class::Process => &[
            "waiting-time",
            "missed-promise-time",
            "price-billing",
            "parts-unavailable",
            "appointment",
            "facility",
        ],
    }
}

/// Is `cause` a cause of `class`?
pub fn is_cause_of(class: Class, cause: &str) -> bool {
    causes(class).contains(&cause)
}

impl Owner {
    /// One level up; none above head office.
    pub fn above(self) -> Option<Owner> {
        match self {
            Owner::Dealer => Some(Owner::Region),
            Owner::Region => Some(Owner::HeadOffice),
            Owner::HeadOffice => None,
        }
    }
}

/// The time to the first response and to the resolution, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub response_secs: i64,
    pub resolution_secs: i64,
}

/// A deadline per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub low: Deadline,
    pub medium: Deadline,
    pub high: Deadline,
    pub critical: Deadline,
}

const HOUR: i64 = 3600;

impl Default for Deadlines {
    /// "Answered within 24 h" is the standard; critical faster, low slower.
    fn default() -> Self {
        let d = |response_h: i64, resolution_h: i64| Deadline {
            response_secs: response_h * HOUR,
            resolution_secs: resolution_h * HOUR,
        };
        Self {
            critical: d(4, 48),
            high: d(24, 72),
            medium: d(24, 7 * 24),
            low: d(48, 14 * 24),
        }
    }
}

impl Deadlines {
    pub fn of(&self, severity: Severity) -> Deadline {
        match severity {
            Severity::Low => self.low,
            Severity::Medium => self.medium,
            Severity::High => self.high,
            Severity::Critical => self.critical,
        }
    }
}

/// The deadlines a complaint runs against, in µs since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Due {
    pub response: Option<i64>,
    pub resolution: Option<i64>,
}

impl Due {
    /// Fresh deadlines from `now` for a complaint in `state`: both while
    /// OPEN, the resolution's while RESPONDED, none after.
    pub fn from(now: i64, state: State, d: Deadline) -> Due {
        let at = |secs: i64| Some(now.saturating_add(secs.saturating_mul(1_000_000)));
        match state {
            State::Open => Due {
                response: at(d.response_secs),
                resolution: at(d.resolution_secs),
            },
            State::Responded => Due {
                response: None,
                resolution: at(d.resolution_secs),
            },
            State::Resolved | State::Closed => Due::default(),
        }
    }

    /// The deadline the complaint is waiting on in `state`.
    pub fn pending(&self, state: State) -> Option<i64> {
        match state {
            State::Open => self.response,
            State::Responded => self.resolution,
            State::Resolved | State::Closed => None,
        }
    }
}

/// When the sweep should look at a complaint again: its pending deadline,
/// while there is an owner above the current one.
pub fn escalate_time(state: State, owner: Owner, due: Due) -> Option<i64> {
    owner.above().and(due.pending(state))
}

/// What the sweep does to a complaint whose pending deadline passed at
/// `now`: one level up, with deadlines of the same lengths from `now` for
/// the new owner. `None` when it is not due or has no owner above.
pub fn escalation(
    state: State,
    owner: Owner,
    due: Due,
    now: i64,
    d: Deadline,
) -> Option<(Owner, Due)> {
    let pending = due.pending(state)?;
    if pending > now {
        return None;
    }
    Some((owner.above()?, Due::from(now, state, d)))
}

/// The state a lifecycle action leads to from `state`, or why not.
pub fn transition(state: State, action: Action) -> Result<State, &'static str> {
    use {Action as A, State as S};
    match (state, action) {
        (S::Open, A::Responded) => Ok(S::Responded),
        (S::Responded, A::Resolved) => Ok(S::Resolved),
        (S::Resolved, A::Closed) => Ok(S::Closed),
        (S::Resolved | S::Closed, A::Reopened) => Ok(S::Open),
        (_, A::Responded) => Err("only an open complaint can be responded to"),
        (_, A::Resolved) => Err("only a responded complaint can be resolved"),
        (_, A::Closed) => Err("only a resolved complaint can be closed"),
        (_, A::Reopened) => Err("only a resolved or closed complaint can be reopened"),
        (_, A::Opened | A::Escalated) => Err("not a caller's action"),
    }
}

/// May a customer who could not be reached have the complaint closed at
/// `now`: `wait_days` after its resolution.
pub fn may_close_unreached(resolve_time: i64, now: i64, wait_days: i64) -> bool {
    now >= resolve_time.saturating_add(wait_days.saturating_mul(24 * HOUR * 1_000_000))
}

/// The severity of a complaint opened by a response of `service_index`
/// (0–1000): under 200 CRITICAL, under 400 HIGH, else MEDIUM; MEDIUM when
/// the response has no service index.
pub fn severity_of_score(service_index: Option<u32>) -> Severity {
    match service_index {
        Some(i) if i < 200 => Severity::Critical,
        Some(i) if i < 400 => Severity::High,
        _ => Severity::Medium,
    }
}

/// The id of the `n`th complaint opened in `year`/`month`: `CP-YYYYMM-NNNN`
/// (more digits past 9999).
pub fn number(year: i32, month: u8, n: i64) -> String {
    format!("CP-{year:04}{month:02}-{n:04}")
}

/// The counter of the month: `YYYYMM`.
pub fn month_key(year: i32, month: u8) -> String {
    format!("{year:04}{month:02}")
}

/// Who did a step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub subject: String,
    pub role: String,
}

/// The subject of the escalation sweep in the history.
pub const SWEEP: &str = "aftercare-complaints-sweep";

impl Actor {
    pub fn of(principal: &Principal) -> Actor {
        Actor {
            subject: principal.subject.clone(),
            role: principal.scope.role().as_str().into(),
        }
    }

    pub fn sweep() -> Actor {
        Actor {
            subject: SWEEP.into(),
            role: "system".into(),
        }
    }
}

/// May `principal` open a complaint at `place`: anyone of the network who
/// sees it (the dealer's staff and DMS, its region manager, head office).
pub fn check_open(principal: &Principal, place: Place<'_>) -> Result<(), Denied> {
    if super::access::sees(principal, place) {
        Ok(())
    } else {
        Err(Denied::Invisible)
    }
}

/// May `principal` handle (respond, resolve, close, reopen) a complaint of
/// `place` owned at `owner`: the owner level and those above.
pub fn check_handle(principal: &Principal, place: Place<'_>, owner: Owner) -> Result<(), Denied> {
    if !super::access::sees(principal, place) {
        return Err(Denied::Invisible);
    }
    let level = match principal.scope {
        Scope::Oem => Owner::HeadOffice,
        Scope::Region { .. } => Owner::Region,
        Scope::Dealer { .. } => Owner::Dealer,
        Scope::Dms { .. } | Scope::SurveyLink { .. } => {
            return Err(Denied::NotAllowed("a DMS opens and reads complaints only"));
        }
    };
    if level >= owner {
        Ok(())
    } else {
        Err(Denied::NotAllowed(
            "the complaint was escalated above the caller",
        ))
    }
}

#[cfg(test)]
mod tests;

pub mod compensation;
mod record;
pub mod report;

pub use record::{Complaint, Grievance, Notification, NotificationKind, Step, Subject, tied};
