//! The work on an open RO: its labour and parts lines and its moves from
//! status to status. Each change is one transaction that locks the RO's row
//! first; a parts line's reservation is asked of the parts service inside it,
//! so a refusal there leaves nothing here, and the issue or release that
//! completing or cancelling asks for is an outbox event written with the
//! change.

use aftercare_auth::Principal;
use aftercare_db::{Tx, timestamp};
use aftercare_proto::parts::v1 as parts_pb;
use aftercare_values::OemZone;
use time::OffsetDateTime;

use super::{
    Caller, Store, begin,
    repair_orders::{
        WHAT, comeback_of, insert_labour, insert_parts, lock, record_status, set_parts_state,
        technician,
    },
};
use crate::{
    domain::{
        orders::{
            Approval, HandoverItem, LabourLine, PartsLine, PartsLineState, RepairOrder,
            check_handover, check_qualified,
        },
        repair_order::{Status, Transition, check_bill, next},
        text::{Code, Id},
    },
    error::{Error, Result},
    events,
    parts::{PartsClient, refusal},
};

/// What a move needs beyond the move itself.
#[derive(Debug, Clone)]
pub enum Details {
    None,
    Deliver {
        final_bill: aftercare_values::Money,
        approval: Option<Approval>,
        handover: Vec<HandoverItem>,
    },
    Cancel {
        reason: String,
    },
}

impl Store {
    pub(super) fn parts(&self) -> Result<&PartsClient> {
        self.parts
            .as_ref()
            .ok_or_else(|| Error::Unavailable("no parts service is configured".into()))
    }

    pub async fn add_labour_line(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        operation_code: Code,
        technician_id: Option<Id>,
    ) -> Result<RepairOrder> {
        let mut tx = begin!(self, caller);
        let mut ro = lock(&mut tx, &caller.principal, id, etag).await?;
        open_work(&ro)?;
        let operation = self
            .parts()?
            .labour_operation(&caller.principal, operation_code.as_str())
            .await
            .map_err(|s| refusal(s, "operation_code"))?;
        if let Some(t) = &technician_id {
            qualified(
                &mut tx,
                &caller.principal,
                t,
                &ro,
                &operation.required_certification,
                &self.zone,
            )
            .await?;
        }
        let comeback =
            comeback_of(&mut tx, &ro, operation_code.as_str(), self.comeback_days).await?;
        let line = LabourLine {
            line_number: ro.next_labour_line(),
            operation_code: operation_code.into_string(),
            standard_centihours: operation.standard_centihours,
            actual_centihours: 0,
            technician_id,
            comeback: comeback.is_some(),
        };
        insert_labour(&mut tx, &ro.id, &line, &operation.required_certification).await?;
        if let (Some(earlier), None) = (comeback, &ro.comeback_of) {
            sqlx::query("UPDATE repair_orders SET comeback_of = $1 WHERE id = $2")
                .bind(earlier.as_str())
                .bind(ro.id.as_str())
                .execute(&mut *tx)
                .await?;
            ro.comeback_of = Some(earlier);
        }
        ro.labour.push(line);
        Self::commit(tx, caller, ro).await
    }

    pub async fn record_labour_time(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        line_number: i32,
        actual_centihours: i32,
        technician_id: Id,
    ) -> Result<RepairOrder> {
        let mut tx = begin!(self, caller);
        let mut ro = lock(&mut tx, &caller.principal, id, etag).await?;
        if !matches!(ro.status, Status::InProgress | Status::WaitingParts) {
            return Err(refused_in(&ro, "hours are recorded on work in progress"));
        }
        let Some(index) = ro.labour.iter().position(|l| l.line_number == line_number) else {
            return Err(Error::invalid(
                "line_number",
                "the RO has no such labour line",
            ));
        };
        let (required,): (String,) = sqlx::query_as(
            "SELECT required_certification FROM repair_order_labour \
             WHERE repair_order_id = $1 AND line_number = $2",
        )
        .bind(ro.id.as_str())
        .bind(i64::from(line_number))
        .fetch_one(&mut *tx)
        .await?;
        qualified(
            &mut tx,
            &caller.principal,
            &technician_id,
            &ro,
            &required,
            &self.zone,
        )
        .await?;
        sqlx::query(
            "UPDATE repair_order_labour SET actual_centihours = $1, technician_id = $2 \
             WHERE repair_order_id = $3 AND line_number = $4",
        )
        .bind(i64::from(actual_centihours))
        .bind(technician_id.as_str())
        .bind(ro.id.as_str())
        .bind(i64::from(line_number))
        .execute(&mut *tx)
        .await?;
        let line = &mut ro.labour[index];
        line.actual_centihours = actual_centihours;
        line.technician_id = Some(technician_id);
        Self::commit(tx, caller, ro).await
    }

    pub async fn add_parts_line(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        part_number: String,
        quantity: i64,
    ) -> Result<RepairOrder> {
        let mut tx = begin!(self, caller);
        let mut ro = lock(&mut tx, &caller.principal, id, etag).await?;
        open_work(&ro)?;
        let warehouse_id = self.warehouse(&mut tx, &caller.principal, &mut ro).await?;
        let line_number = ro.next_parts_line();
        // Idempotent on (RO, line) in parts: a retry after a lost answer
        // finds the reservation made the first time.
        let reservation = self
            .parts()?
            .reserve(
                &caller.principal,
                parts_pb::ReserveStockRequest {
                    warehouse_id,
                    part_number: part_number.clone(),
                    quantity,
                    repair_order_id: ro.id.as_str().to_owned(),
                    line_number,
                    allow_backorder: true,
                    ..Default::default()
                },
            )
            .await
            .map_err(|s| refusal(s, "part_number"))?;
        let line = PartsLine {
            line_number,
            part_number,
            quantity,
            state: line_state(&reservation)?,
            reserved_part_number: reservation.part_number,
            expected_time: reservation.expected_time.and_then(to_time),
        };
        insert_parts(&mut tx, &ro.id, &line).await?;
        ro.parts.push(line);
        Self::commit(tx, caller, ro).await
    }

    /// Moves the RO by `transition`, with what the move needs.
    pub async fn move_repair_order(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        transition: Transition,
        details: Details,
    ) -> Result<RepairOrder> {
        let mut tx = begin!(self, caller);
        let mut ro = lock(&mut tx, &caller.principal, id, etag).await?;
        let status = next(ro.status, transition).map_err(|e| refused_in(&ro, &e.to_string()))?;
        match (transition, details) {
            (Transition::ResumeWork, _) => {
                self.refresh_backorders(&mut tx, caller, &mut ro).await?
            }
            (Transition::Complete, _) => complete(&mut tx, &mut ro).await?,
            (Transition::Cancel, Details::Cancel { reason }) => {
                cancel(&mut tx, &mut ro, reason).await?;
            }
            (
                Transition::Deliver,
                Details::Deliver {
                    final_bill,
                    approval,
                    handover,
                },
            ) => {
                deliver(&mut tx, &mut ro, final_bill, approval, handover).await?;
            }
            (Transition::Cancel | Transition::Deliver, _) => {
                return Err(Error::Internal("a move without its details".into()));
            }
            _ => {}
        }
        record_status(
            &mut tx,
            &mut ro,
            status,
            &caller.principal.subject,
            &self.zone,
        )
        .await?;
        if status == Status::Delivered {
            let names = names(&mut tx, &ro).await?;
            for event in events::delivered(&ro, names) {
                aftercare_outbox::enqueue(&mut tx, &event).await?;
            }
        }
        Self::commit(tx, caller, ro).await
    }

    pub async fn record_call_back(
        &self,
        caller: &Caller,
        id: &str,
        at: Option<OffsetDateTime>,
    ) -> Result<RepairOrder> {
        let mut tx = begin!(self, caller);
        let mut ro = lock(&mut tx, &caller.principal, id, None).await?;
        let delivered = ro
            .first(Status::Delivered)
            .ok_or_else(|| refused_in(&ro, "the customer is called back after delivery"))?;
        let at = at.unwrap_or(ro.meta.update_time);
        if at < delivered || at > ro.meta.update_time {
            return Err(Error::invalid(
                "call_back_time",
                "must be between the delivery and now",
            ));
        }
        sqlx::query("UPDATE repair_orders SET call_back_time = $1 WHERE id = $2")
            .bind(timestamp::to_micros(at))
            .bind(ro.id.as_str())
            .execute(&mut *tx)
            .await?;
        let before = ro.times();
        ro.call_back_time = Some(at);
        super::compliance::record(&mut tx, Some(&before), &ro, &self.zone).await?;
        Self::commit(tx, caller, ro).await
    }

    /// The station's warehouse in parts, looked up once per RO.
    async fn warehouse(
        &self,
        tx: &mut Tx,
        caller: &Principal,
        ro: &mut RepairOrder,
    ) -> Result<String> {
        if let Some(w) = &ro.warehouse_id {
            return Ok(w.clone());
        }
        let found = self
            .parts()?
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
            })?;
        sqlx::query("UPDATE repair_orders SET warehouse_id = $1 WHERE id = $2")
            .bind(&found)
            .bind(ro.id.as_str())
            .execute(&mut **tx)
            .await?;
        ro.warehouse_id = Some(found.clone());
        Ok(found)
    }

    /// Asks parts whether the backordered lines have their stock now; work
    /// resumes only when every line has.
    async fn refresh_backorders(
        &self,
        tx: &mut Tx,
        caller: &Caller,
        ro: &mut RepairOrder,
    ) -> Result<()> {
        let waiting: Vec<i32> = ro.backordered().map(|l| l.line_number).collect();
        let Some(warehouse_id) = ro.warehouse_id.clone() else {
            return Ok(());
        };
        for line_number in waiting {
            let reservation = self
                .parts()?
                .reservation(
                    &caller.principal,
                    parts_pb::GetReservationRequest {
                        warehouse_id: warehouse_id.clone(),
                        repair_order_id: ro.id.as_str().to_owned(),
                        line_number,
                    },
                )
                .await
                .map_err(|s| refusal(s, "id"))?;
            let state = line_state(&reservation)?;
            if state == PartsLineState::Backordered {
                return Err(Error::FailedPrecondition(format!(
                    "parts line {line_number} of repair order {} is still backordered",
                    ro.id
                )));
            }
            let expected = reservation.expected_time.and_then(to_time);
            set_parts_state(
                tx,
                ro,
                line_number,
                state,
                Some((&reservation.part_number, expected)),
            )
            .await?;
        }
        Ok(())
    }
}

/// Lines, hours and parts are added while the work is open.
fn open_work(ro: &RepairOrder) -> Result<()> {
    if ro.status.is_open_work() {
        Ok(())
    } else {
        Err(refused_in(ro, "lines are added while the work is open"))
    }
}

fn refused_in(ro: &RepairOrder, why: &str) -> Error {
    Error::FailedPrecondition(format!("{WHAT} {} is {}: {why}", ro.id, ro.status.as_str()))
}

/// The technician works at the RO's station and holds the certification
/// the operation asks for, valid today (the OEM's day).
async fn qualified(
    tx: &mut Tx,
    caller: &Principal,
    technician_id: &Id,
    ro: &RepairOrder,
    required: &str,
    zone: &OemZone,
) -> Result<()> {
    let member = technician(tx, caller, technician_id, ro).await?;
    check_qualified(
        required,
        &member.fields.certifications,
        zone.local_day(ro.meta.update_time),
    )
    .map_err(|e| Error::FailedPrecondition(format!("technician {technician_id}: {e}")))
}

/// Completing issues every reserved line (through the outbox); it waits
/// while a line is backordered.
async fn complete(tx: &mut Tx, ro: &mut RepairOrder) -> Result<()> {
    if let Some(line) = ro.backordered().next() {
        return Err(refused_in(
            ro,
            &format!(
                "parts line {} is backordered; resume the work once it arrives",
                line.line_number
            ),
        ));
    }
    stock_events(tx, ro, true).await
}

async fn cancel(tx: &mut Tx, ro: &mut RepairOrder, reason: String) -> Result<()> {
    stock_events(tx, ro, false).await?;
    sqlx::query("UPDATE repair_orders SET cancel_reason = $1 WHERE id = $2")
        .bind(&reason)
        .bind(ro.id.as_str())
        .execute(&mut **tx)
        .await?;
    ro.cancel_reason = Some(reason);
    Ok(())
}

/// One outbox event per line still holding stock or waiting for it:
/// issue on completion, release on cancellation.
async fn stock_events(tx: &mut Tx, ro: &mut RepairOrder, issue: bool) -> Result<()> {
    let lines: Vec<i32> = ro
        .parts
        .iter()
        .filter(|l| {
            matches!(
                l.state,
                PartsLineState::Reserved | PartsLineState::Backordered
            )
        })
        .map(|l| l.line_number)
        .collect();
    let Some(warehouse_id) = ro.warehouse_id.clone() else {
        return Ok(());
    };
    let state = if issue {
        PartsLineState::Issued
    } else {
        PartsLineState::Released
    };
    for line_number in lines {
        aftercare_outbox::enqueue(tx, &events::stock(ro, &warehouse_id, line_number, issue))
            .await?;
        set_parts_state(tx, ro, line_number, state, None).await?;
    }
    Ok(())
}

async fn deliver(
    tx: &mut Tx,
    ro: &mut RepairOrder,
    final_bill: aftercare_values::Money,
    approval: Option<Approval>,
    handover: Vec<HandoverItem>,
) -> Result<()> {
    let estimate = ro.opening.estimate;
    if final_bill.currency != estimate.currency {
        return Err(Error::invalid(
            "final_bill.currency_code",
            format!("must be the estimate's, {}", estimate.currency),
        ));
    }
    check_bill(
        final_bill.minor_units,
        estimate.minor_units,
        approval.is_some(),
    )
    .map_err(|e| Error::FailedPrecondition(e.to_string()))?;
    check_handover(&handover).map_err(|e| Error::invalid("handover", e.to_string()))?;
    sqlx::query(
        "UPDATE repair_orders SET final_bill_minor = $1, approval_method = $2, approve_time = $3 \
         WHERE id = $4",
    )
    .bind(final_bill.minor_units)
    .bind(approval.as_ref().map(|a| a.method.as_str()))
    .bind(approval.as_ref().map(|a| timestamp::to_micros(a.time)))
    .bind(ro.id.as_str())
    .execute(&mut **tx)
    .await?;
    for (position, item) in handover.iter().enumerate() {
        sqlx::query(
            "INSERT INTO repair_order_handover (repair_order_id, position, item, done) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(ro.id.as_str())
        .bind(position as i64)
        .bind(&item.item)
        .bind(i64::from(item.done))
        .execute(&mut **tx)
        .await?;
    }
    ro.final_bill = Some(final_bill);
    ro.approval = approval;
    ro.handover = handover;
    Ok(())
}

fn line_state(r: &parts_pb::Reservation) -> Result<PartsLineState> {
    match parts_pb::ReservationState::try_from(r.state) {
        Ok(parts_pb::ReservationState::Reserved) => Ok(PartsLineState::Reserved),
        Ok(parts_pb::ReservationState::Backordered) => Ok(PartsLineState::Backordered),
        Ok(parts_pb::ReservationState::Issued) => Ok(PartsLineState::Issued),
        Ok(parts_pb::ReservationState::Released) => Ok(PartsLineState::Released),
        _ => Err(Error::Internal(
            format!("parts answered a reservation in state {}", r.state).into(),
        )),
    }
}

fn to_time(t: prost_types::Timestamp) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(t.seconds) * 1_000_000_000 + i128::from(t.nanos),
    )
    .ok()
}

/// The display names of the RO's dealer and station, as they are now.
async fn names(tx: &mut Tx, ro: &RepairOrder) -> Result<events::Names> {
    let (dealer, station): (String, String) = sqlx::query_as(
        "SELECT d.display_name, s.display_name FROM stations s \
         JOIN dealers d ON d.id = s.dealer_id WHERE s.id = $1",
    )
    .bind(ro.opening.station_id.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok(events::Names { dealer, station })
}
