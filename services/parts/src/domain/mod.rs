//! Types and rules of the parts service: the catalogue and its prices, who
//! may read and change them, warehouses, stock arithmetic, the movement
//! ledger, reservations and backorders, replenishment, required stock,
//! fill rate and the price board. No transport and no SQL here.

pub mod access;
pub mod catalogue;
pub mod fill_rate;
pub mod labour;
pub mod ledger;
pub mod levels;
pub mod packages;
pub mod price_board;
pub mod published;
pub mod quantity;
pub mod replenishment;
pub mod required_stock;
pub mod reservation;
pub mod stock;
pub mod transfer;
pub mod warehouse;
