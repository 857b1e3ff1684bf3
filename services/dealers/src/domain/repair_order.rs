//! The rules of a repair order (RO): the states it moves through and which
//! moves are allowed, when it is at risk of missing its promised time, when
//! it is a comeback, and when its final bill needs the customer's approval.
//! No transport and no SQL here.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// Where an RO stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Opened,
    InProgress,
    WaitingParts,
    Completed,
    Delivered,
    Closed,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Opened,
        Status::InProgress,
        Status::WaitingParts,
        Status::Completed,
        Status::Delivered,
        Status::Closed,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Opened => "opened",
            Status::InProgress => "in_progress",
            Status::WaitingParts => "waiting_parts",
            Status::Completed => "completed",
            Status::Delivered => "delivered",
            Status::Closed => "closed",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Work is still to be done on the vehicle.
    pub fn is_open_work(self) -> bool {
        matches!(
            self,
            Status::Opened | Status::InProgress | Status::WaitingParts
        )
    }
}

/// The kind of work an RO is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderType {
    Maintenance,
    Repair,
    Warranty,
    Recall,
}

impl OrderType {
    pub const ALL: [OrderType; 4] = [
        OrderType::Maintenance,
        OrderType::Repair,
        OrderType::Warranty,
        OrderType::Recall,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::Maintenance => "maintenance",
            OrderType::Repair => "repair",
            OrderType::Warranty => "warranty",
            OrderType::Recall => "recall",
        }
    }

    pub fn parse(s: &str) -> Option<OrderType> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A move from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Transition {
    /// A technician starts work.
    Start,
    /// Work stops until backordered parts arrive.
    WaitForParts,
    /// The parts arrived: work goes on.
    ResumeWork,
    Complete,
    /// The customer takes the vehicle back.
    Deliver,
    Close,
    Cancel,
}

impl Transition {
    pub const ALL: [Transition; 7] = [
        Transition::Start,
        Transition::WaitForParts,
        Transition::ResumeWork,
        Transition::Complete,
        Transition::Deliver,
        Transition::Close,
        Transition::Cancel,
    ];

    /// The status the transition leads to.
    pub fn target(self) -> Status {
        match self {
            Transition::Start | Transition::ResumeWork => Status::InProgress,
            Transition::WaitForParts => Status::WaitingParts,
            Transition::Complete => Status::Completed,
            Transition::Deliver => Status::Delivered,
            Transition::Close => Status::Closed,
            Transition::Cancel => Status::Cancelled,
        }
    }

    /// The statuses the transition may start from.
    pub fn sources(self) -> &'static [Status] {
        use Status::*;
        match self {
            Transition::Start => &[Opened],
            // A parts line may find no stock before work starts.
            Transition::WaitForParts => &[Opened, InProgress],
            Transition::ResumeWork => &[WaitingParts],
            Transition::Complete => &[InProgress],
            Transition::Deliver => &[Completed],
            Transition::Close => &[Delivered],
            // Once the work is done, the RO is billed, not cancelled.
            Transition::Cancel => &[Opened, InProgress, WaitingParts],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a repair order {} cannot go to {}", from.as_str(), to.as_str())]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

/// The status after `transition` from `from`, or why not.
pub fn next(from: Status, transition: Transition) -> Result<Status, TransitionError> {
    if transition.sources().contains(&from) {
        Ok(transition.target())
    } else {
        Err(TransitionError {
            from,
            to: transition.target(),
        })
    }
}

/// Will an RO still in work miss its promised time? It is at risk from the
/// moment the standard hours left, started now, would end after the
/// promise — so that the advisor hears before the time passes, not after.
pub fn at_risk(
    status: Status,
    now: OffsetDateTime,
    promised: OffsetDateTime,
    remaining_centihours: i64,
) -> bool {
    if !status.is_open_work() {
        return false;
    }
    let remaining = Duration::seconds(remaining_centihours.max(0) * 36);
    now + remaining > promised
}

/// How far back a comeback looks by default: the same vehicle back for the
/// same operation within this many days.
pub const DEFAULT_COMEBACK_DAYS: i64 = 30;

/// Is an operation opened at `opened` a comeback of the same operation on
/// the same vehicle delivered at `previous_delivery`, within `window_days`?
pub fn is_comeback(
    previous_delivery: OffsetDateTime,
    opened: OffsetDateTime,
    window_days: i64,
) -> bool {
    previous_delivery <= opened && opened - previous_delivery <= Duration::days(window_days)
}

/// Why a final bill cannot be settled as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillError {
    #[error(
        "the bill of {bill} exceeds the estimate of {estimate}: record the customer's approval first"
    )]
    NeedsApproval { bill: i64, estimate: i64 },
}

/// Checks a final bill against the estimate given at opening (both in minor
/// units of one currency): above it, the customer must have approved.
pub fn check_bill(bill: i64, estimate: i64, customer_approved: bool) -> Result<(), BillError> {
    if bill > estimate && !customer_approved {
        return Err(BillError::NeedsApproval { bill, estimate });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// Every (from, transition) pair: exactly these are allowed.
    #[test]
    fn every_transition_is_allowed_from_the_right_states_only() {
        use Status::*;
        use Transition::*;
        let allowed = [
            (Opened, Start, InProgress),
            (Opened, WaitForParts, WaitingParts),
            (Opened, Cancel, Cancelled),
            (InProgress, WaitForParts, WaitingParts),
            (InProgress, Complete, Completed),
            (InProgress, Cancel, Cancelled),
            (WaitingParts, ResumeWork, InProgress),
            (WaitingParts, Cancel, Cancelled),
            (Completed, Deliver, Delivered),
            (Delivered, Close, Closed),
        ];
        let mut seen = 0;
        for from in Status::ALL {
            for t in Transition::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, tr, _)| *f == from && *tr == t)
                    .map(|(_, _, to)| *to);
                match (next(from, t), expected) {
                    (Ok(to), Some(want)) => {
                        assert_eq!(to, want, "{from:?} {t:?}");
                        seen += 1;
                    }
                    (Err(e), None) => assert_eq!(e.from, from),
                    (got, want) => panic!("{from:?} {t:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(seen, allowed.len());
    }

    #[test]
    fn closed_and_cancelled_are_final() {
        for t in Transition::ALL {
            assert!(next(Status::Closed, t).is_err());
            assert!(next(Status::Cancelled, t).is_err());
        }
    }

    #[test]
    fn a_refusal_names_both_states() {
        let e = next(Status::Delivered, Transition::Cancel).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a repair order delivered cannot go to cancelled"
        );
    }

    #[test]
    fn at_risk_before_the_promise_passes() {
        let promised = datetime!(2026-03-02 16:00 UTC);
        // 1.5 h of work left at 14:00: ends 15:30, in time.
        assert!(!at_risk(
            Status::InProgress,
            datetime!(2026-03-02 14:00 UTC),
            promised,
            150
        ));
        // At 14:31 the same work ends 16:01: flagged half an hour ahead.
        assert!(at_risk(
            Status::InProgress,
            datetime!(2026-03-02 14:31 UTC),
            promised,
            150
        ));
        // Exactly on time is in time.
        assert!(!at_risk(
            Status::Opened,
            datetime!(2026-03-02 14:30 UTC),
            promised,
            150
        ));
        // Waiting for parts with nothing left to do but past the promise.
        assert!(at_risk(
            Status::WaitingParts,
            datetime!(2026-03-02 16:01 UTC),
            promised,
            0
        ));
        // Work done: no longer at risk, whatever the clock says.
        assert!(!at_risk(
            Status::Completed,
            datetime!(2026-03-02 18:00 UTC),
            promised,
            150
        ));
    }

    #[test]
    fn a_comeback_is_the_same_work_within_the_window() {
        let delivered = datetime!(2026-03-01 10:00 UTC);
        assert!(is_comeback(delivered, datetime!(2026-03-31 10:00 UTC), 30));
        assert!(!is_comeback(delivered, datetime!(2026-03-31 10:01 UTC), 30));
        assert!(is_comeback(
            delivered,
            datetime!(2026-03-10 10:00 UTC),
            7 + 2
        ));
        // An RO opened before the other was delivered is not its comeback.
        assert!(!is_comeback(delivered, datetime!(2026-02-28 10:00 UTC), 30));
    }

    #[test]
    fn a_bill_above_the_estimate_needs_the_customers_approval() {
        assert_eq!(check_bill(10_000, 10_000, false), Ok(()));
        assert_eq!(check_bill(9_000, 10_000, false), Ok(()));
        assert_eq!(
            check_bill(10_001, 10_000, false),
            Err(BillError::NeedsApproval {
                bill: 10_001,
                estimate: 10_000
            })
        );
        assert_eq!(check_bill(10_001, 10_000, true), Ok(()));
    }
}
