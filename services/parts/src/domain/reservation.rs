//! The reservation of a repair-order line: reserved from stock at once, or
//! backordered until stock arrives; then issued to the repair or released.

use serde::{Deserialize, Serialize};

use super::{quantity::Quantity, stock::Movement};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Reserved,
    Backordered,
    Issued,
    Released,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Reserved => "reserved",
            State::Backordered => "backordered",
            State::Issued => "issued",
            State::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [
            State::Reserved,
            State::Backordered,
            State::Issued,
            State::Released,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The stock set aside for one repair-order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub repair_order_id: String,
    pub line_number: i64,
    pub warehouse_id: String,
    /// The part reserved: the one asked for, or an older number of it.
    pub part_number: String,
    /// The part the line asked for.
    pub requested_part_number: String,
    pub quantity: Quantity,
    pub state: State,
    pub served_at_once: bool,
    /// Microseconds since the epoch.
    pub expected_time: Option<i64>,
    pub create_time: i64,
    pub update_time: i64,
}

/// A day in microseconds.
pub const DAY: i64 = 86_400_000_000;

/// What a step does to a reservation: its new state, and the stock
/// movement it books (none for a backorder that never held stock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub state: State,
    pub movement: Option<Movement>,
    /// The backordered quantity it takes off the queue.
    pub unqueued: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("the line is backordered: nothing is reserved to issue yet")]
    Backordered,
    #[error("the line was released")]
    Released,
    #[error("the line was issued")]
    Issued,
}

/// Giving the line's stock back. Releasing twice changes nothing.
pub fn release(state: State, quantity: Quantity) -> Result<Step, StepError> {
    match state {
        State::Reserved => Ok(Step {
            state: State::Released,
            movement: Some(Movement::Release(quantity)),
            unqueued: 0,
        }),
        State::Backordered => Ok(Step {
            state: State::Released,
            movement: None,
            unqueued: quantity.get(),
        }),
        State::Released => Ok(Step {
            state,
            movement: None,
            unqueued: 0,
        }),
        State::Issued => Err(StepError::Issued),
    }
}

/// Issuing the line's stock to the repair. Issuing twice changes nothing.
pub fn issue(state: State, quantity: Quantity) -> Result<Step, StepError> {
    match state {
        State::Reserved => Ok(Step {
            state: State::Issued,
            movement: Some(Movement::Issue(quantity)),
            unqueued: 0,
        }),
        State::Issued => Ok(Step {
            state,
            movement: None,
            unqueued: 0,
        }),
        State::Backordered => Err(StepError::Backordered),
        State::Released => Err(StepError::Released),
    }
}

/// When a backordered line can expect its part: the next transfer on its
/// way to the warehouse, or the nearest warehouse up the chain holding
/// enough, after the lead times between, whichever comes first. None when
/// neither exists.
///
/// `inbound`: expected arrival times (micros) of transfers in transit;
/// `up_the_chain`: for each warehouse above, nearest first, what it has
/// available and the lead time in days from it down to this one.
pub fn expected_time(
    now: i64,
    quantity: Quantity,
    inbound: &[i64],
    up_the_chain: &[(i64, i64)],
) -> Option<i64> {
    let transfer = inbound.iter().copied().min();
    let from_stock = up_the_chain
        .iter()
        .find(|(available, _)| *available >= quantity.get())
        .map(|(_, days)| now + days * DAY);
    match (transfer, from_stock) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::parse(n).unwrap()
    }

    #[test]
    fn a_line_is_issued_or_released_once() {
        assert_eq!(
            issue(State::Reserved, q(2)).unwrap().movement,
            Some(Movement::Issue(q(2)))
        );
        assert_eq!(issue(State::Issued, q(2)).unwrap().movement, None);
        assert_eq!(issue(State::Backordered, q(2)), Err(StepError::Backordered));
        assert_eq!(issue(State::Released, q(2)), Err(StepError::Released));
        assert_eq!(
            release(State::Reserved, q(2)).unwrap().movement,
            Some(Movement::Release(q(2)))
        );
        let dropped = release(State::Backordered, q(2)).unwrap();
        assert_eq!((dropped.movement, dropped.unqueued), (None, 2));
        assert_eq!(release(State::Released, q(2)).unwrap().movement, None);
        assert_eq!(release(State::Issued, q(2)), Err(StepError::Issued));
    }

    #[test]
    fn a_backorder_expects_the_nearest_source() {
        // The regional warehouse has 1 (not enough), central has 10 at 5 days.
        let chain = [(1, 2), (10, 5)];
        assert_eq!(expected_time(0, q(3), &[], &chain), Some(5 * DAY));
        // A transfer arriving in 3 days comes first.
        assert_eq!(
            expected_time(0, q(3), &[4 * DAY, 3 * DAY], &chain),
            Some(3 * DAY)
        );
        // The regional one has enough: 2 days.
        assert_eq!(expected_time(0, q(1), &[4 * DAY], &chain), Some(2 * DAY));
        assert_eq!(expected_time(0, q(20), &[], &chain), None);
    }
}
