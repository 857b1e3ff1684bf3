//! Parts lines: each reserves its stock in the parts service — reserve
//! first, then record, with no dealers transaction open while parts is
//! asked.
//!
//! Why: a transaction that waits on another service holds the RO's row (on
//! SQLite, the whole database) for as long as that service takes, so a slow
//! or stopped parts service would stall every move of the RO, or of every
//! RO, for the whole deadline. A line is therefore added in three steps:
//!
//! 1. A short read, rolled back ([`Workshop::before_call`]): a replayed request
//!    answers here; otherwise the RO must exist, be the caller's to change,
//!    match the etag and be open for work. The line takes the next number.
//! 2. No transaction: the station's warehouse (looked up once per RO) and
//!    `ReserveStock` on (RO, line number). When parts cannot be reached the
//!    caller hears UNAVAILABLE and nothing is written.
//! 3. One transaction: the RO locked, still open for work, the number still
//!    free; the line recorded in the state parts answered (RESERVED or
//!    BACKORDERED) together with the answer kept for retries.
//!
//! Line numbers are chosen in step 1 without holding anything, so two
//! requests on one RO at once may choose the same one. Parts holds one
//! reservation per (RO, line): a second ask with other terms is refused
//! (ALREADY_EXISTS), and one with the same terms gets the first one's
//! reservation back. Either way only one request records the line; the
//! other finds the number taken (at parts, or here in step 3) and answers
//! ABORTED, leaving the reservation to the line that owns it, and its retry
//! reads the RO again and takes the next number. Nothing is held in advance,
//! so a request that fails leaves no half-made line behind.
//!
//! A retry with the same request_id, after a lost answer or an outage, asks
//! for the same (RO, line) when no other line came in between, and parts
//! answers with the reservation it already made: the retries converge.
//!
//! Compensation: when step 3 finds the RO no longer open — cancelled or
//! completed while parts was reserving — the line cannot be recorded, yet
//! parts holds stock for it that the RO's own cancel or completion did not
//! know of. A release of (RO, line) is written to the outbox, delivered as
//! the RO's other stock events are, and the caller hears
//! FAILED_PRECONDITION. A closed RO never opens again, so the release needs
//! no lock on it and has a transaction of its own.

use aftercare_auth::Principal;
use aftercare_edge::Caller;
use aftercare_proto::parts::v1 as parts_pb;
use tonic::Code;

use super::{Checked, Workshop, lock, open_work};
use crate::{
    domain::orders::{PartsLine, RepairOrder},
    error::{Error, Result},
    events,
    peers::parts::{line_state, refusal, to_time},
    store::repair_orders::{self, insert_parts},
};

impl Workshop {
    pub async fn add_parts_line(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        part_number: String,
        quantity: i64,
    ) -> Result<RepairOrder> {
        let ro = match self.before_call(caller, id, etag).await? {
            Checked::Replay(answer) => return Ok(answer),
            Checked::Now(ro) => ro,
        };
        open_work(&ro)?;
        let warehouse_id = match &ro.warehouse_id {
            Some(w) => w.clone(),
            None => self.station_warehouse(&caller.principal, &ro).await?,
        };
        let line_number = ro.next_parts_line();
        let reservation = self
            .parts()?
            .reserve(
                &caller.principal,
                parts_pb::ReserveStockRequest {
                    warehouse_id: warehouse_id.clone(),
                    part_number: part_number.clone(),
                    quantity,
                    repair_order_id: ro.id.as_str().to_owned(),
                    line_number,
                    allow_backorder: true,
                    ..Default::default()
                },
            )
            .await
            .map_err(|s| match s.code() {
                Code::AlreadyExists => taken(&ro, line_number),
                _ => refusal(s, "part_number"),
            })?;
        let line = PartsLine {
            line_number,
            part_number,
            quantity,
            state: line_state(&reservation)?,
            reserved_part_number: reservation.part_number,
            expected_time: reservation.expected_time.and_then(to_time),
        };
        self.record_parts_line(caller, id, &warehouse_id, line)
            .await
    }

    /// Step 3: the reserved line recorded on the RO, or released again when
    /// the RO closed meanwhile.
    async fn record_parts_line(
        &self,
        caller: &Caller,
        id: &str,
        warehouse_id: &str,
        line: PartsLine,
    ) -> Result<RepairOrder> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let mut ro = lock(&mut tx, &caller.principal, id, None).await?;
        if let Err(closed) = open_work(&ro) {
            tx.rollback().await?;
            self.release_unrecorded(&ro, warehouse_id, line.line_number)
                .await?;
            return Err(closed);
        }
        if ro.parts.iter().any(|l| l.line_number == line.line_number) {
            return Err(taken(&ro, line.line_number));
        }
        if ro.warehouse_id.is_none() {
            repair_orders::set_warehouse(&mut tx, &ro.id, warehouse_id).await?;
            ro.warehouse_id = Some(warehouse_id.to_owned());
        }
        insert_parts(&mut tx, &ro.id, &line).await?;
        ro.parts.push(line);
        self.committed(tx, caller, ro).await
    }

    /// The compensation: parts gives back the stock of a line reserved for
    /// an RO that closed before the line was recorded.
    async fn release_unrecorded(
        &self,
        ro: &RepairOrder,
        warehouse_id: &str,
        line_number: i32,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let release = events::stock(ro, warehouse_id, line_number, false);
        aftercare_outbox::enqueue(&mut tx, &release).await?;
        tx.commit().await?;
        tracing::info!(
            repair_order_id = %ro.id,
            line_number,
            "released a reservation made for a repair order that closed meanwhile"
        );
        Ok(())
    }

    /// The warehouse serving the RO's station, in parts.
    async fn station_warehouse(&self, caller: &Principal, ro: &RepairOrder) -> Result<String> {
        self.parts()?
            .station_warehouse(
                caller,
                ro.dealer_id.as_str(),
                ro.opening.station_id.as_str(),
            )
            .await
            .map_err(|s| refusal(s, "repair_order_id"))?
            .ok_or_else(|| {
                Error::FailedPrecondition(format!(
                    "station {} has no warehouse in the parts service",
                    ro.opening.station_id
                ))
            })
    }
}

/// Another parts line of the RO took `line_number` first.
fn taken(ro: &RepairOrder, line_number: i32) -> Error {
    Error::Aborted(format!(
        "parts line {line_number} of repair order {} was added by another request at the same \
         time; try again",
        ro.id
    ))
}
