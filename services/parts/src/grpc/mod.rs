//! The `aftercare.parts.v1` contracts, one folder each (the tonic service in
//! `mod.rs`, its messages in `convert.rs`): proto in, parsed at the edge;
//! domain out. No SQL here, and no rule that belongs to the domain.

mod fields;
mod labour;
mod parts;
mod price_board;
mod required_stock;
mod stock;

use aftercare_edge::invalid_argument as invalid;
use tonic::{Response, Status};

pub(crate) use self::{
    labour::LabourApi, parts::PartsApi, price_board::PriceBoardApi,
    required_stock::RequiredStockApi, stock::StockApi,
};
use crate::domain::catalogue::PartNumber;

type Reply<T> = Result<Response<T>, Status>;

fn part_number(v: &str, field: &str) -> Result<PartNumber, Status> {
    fields::part_number(v, field).map_err(invalid)
}

/// The key of a page token holding an integer key.
fn int_key(page: &aftercare_values::PageRequest) -> Result<Option<i64>, Status> {
    aftercare_edge::page_key(page, |key| key.parse().ok())
}
