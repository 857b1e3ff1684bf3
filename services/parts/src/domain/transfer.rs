//! Goods on their way from one warehouse to another: shipped (out of the
//! source's stock, inbound at the destination) until received.

use serde::{Deserialize, Serialize};

use super::quantity::Quantity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferState {
    InTransit,
    Received,
}

impl TransferState {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferState::InTransit => "in_transit",
            TransferState::Received => "received",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in_transit" => Some(TransferState::InTransit),
            "received" => Some(TransferState::Received),
            _ => None,
        }
    }
}

/// Times are microseconds since the epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub transfer_id: String,
    pub from_warehouse_id: String,
    pub to_warehouse_id: String,
    pub part_number: String,
    pub quantity: Quantity,
    pub state: TransferState,
    pub expected_time: i64,
    pub ship_time: i64,
    pub receive_time: Option<i64>,
}
