//! A station's price board: one page across the sections in board order.

use aftercare_auth::Principal;

use super::{area, warehouses::of_station};
use crate::{
    domain::{
        price_board::{Entry, Place, Section},
        warehouse::NetworkId,
    },
    error::{Error, Result},
    store,
};

area!(
    /// The stations' price boards.
    PriceBoard
);

impl PriceBoard {
    /// Up to `limit` lines of the board of station `station_id` at `at`
    /// (micros), of `sections` in board order, after the place `after`;
    /// with the dealer running the station.
    pub(crate) async fn list_price_board(
        &self,
        caller: &Principal,
        station_id: &NetworkId,
        at: i64,
        sections: &[Section],
        after: Option<&Place>,
        limit: i64,
    ) -> Result<(NetworkId, Vec<Entry>)> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let w = of_station(&mut conn, caller, station_id).await?;
        let dealer_id = w
            .dealer_id
            .ok_or_else(|| Error::Internal(format!("warehouse {} has no dealer", w.id).into()))?;
        let mut entries = vec![];
        for &section in sections {
            let after_code = match after {
                Some(p) if p.section > section => continue,
                Some(p) if p.section == section => p.code.as_str(),
                _ => "",
            };
            let left = limit - entries.len() as i64;
            if left <= 0 {
                break;
            }
            entries
                .extend(store::price_board::read(&mut conn, section, at, after_code, left).await?);
        }
        Ok((dealer_id, entries))
    }
}
