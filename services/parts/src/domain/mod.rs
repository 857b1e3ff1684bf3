//! Types and rules of the parts inventory: stock arithmetic, the movement
//! ledger, replenishment and fill rate. No transport and no SQL here.

pub mod fill_rate;
pub mod ledger;
pub mod quantity;
pub mod replenishment;
pub mod stock;
