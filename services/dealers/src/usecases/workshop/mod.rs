//! The work on an open RO: its labour lines and its moves from status to
//! status (parts lines are in `parts_lines`). Each change is one transaction
//! that locks the RO's row first, and the issue or release that completing
//! or cancelling asks for is an outbox event written with the change.
//!
//! No call to the parts service is made inside a transaction: a labour
//! line's operation and, on resuming, the backordered lines' reservations
//! are asked for between a short read that checks the request
//! ([`Workshop::before_call`]) and the transaction that records it, so a
//! slow parts service holds no lock here.

mod parts_lines;
mod reminders;

use aftercare_auth::Principal;
use aftercare_db::{
    Db, Tx,
    idempotency::{self, Begun},
};
use aftercare_edge::Caller;
use aftercare_proto::parts::v1 as parts_pb;
use aftercare_serving::watch::Changes;
use aftercare_values::OemZone;
use time::OffsetDateTime;

use super::{
    access::{editable, referenced},
    commit,
};
use crate::{
    domain::{
        network::{StaffMember, Vehicle},
        orders::{
            Approval, HandoverItem, LabourLine, PartsLineState, RepairOrder, check_handover,
            check_qualified,
        },
        repair_order::{DEFAULT_COMEBACK_DAYS, Status, Transition, check_bill, next},
        text::{Code, Id},
    },
    error::{Error, Result},
    events,
    peers::parts::{PartsClient, line_state, refusal, to_time},
    store::{
        columns, compliance,
        repair_orders::{self, WHAT, comeback_of, insert_labour, record_status, set_parts_state},
        stations,
    },
};

/// The work on repair orders that may ask the parts service: labour and
/// parts lines, moves, call backs.
#[derive(Debug, Clone)]
pub struct Workshop {
    db: Db,
    /// Where RO parts lines reserve their stock.
    parts: Option<PartsClient>,
    /// How far back a labour line looks for the same work on the vehicle.
    comeback_days: i64,
    /// The OEM's time zone: compliance is tallied per station and local day.
    zone: OemZone,
    /// Wakes the watches of at-risk ROs after each change.
    changes: Changes,
}

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

/// What the short read before a call to parts found.
enum Checked {
    /// The request was applied before: its first answer.
    Replay(RepairOrder),
    /// The RO as it stands, which the caller may change.
    Now(RepairOrder),
}

impl Workshop {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            parts: None,
            comeback_days: DEFAULT_COMEBACK_DAYS,
            zone: OemZone::utc(),
            changes: Changes::default(),
        }
    }

    /// Each change to an RO wakes the watches of `changes`.
    pub fn with_changes(mut self, changes: Changes) -> Self {
        self.changes = changes;
        self
    }

    /// Commits a change to `ro` with it as the answer, and wakes the
    /// watches.
    async fn committed(&self, tx: Tx, caller: &Caller, ro: RepairOrder) -> Result<RepairOrder> {
        let ro = commit(tx, caller, ro).await?;
        self.changes.notify();
        Ok(ro)
    }

    pub fn with_parts(mut self, parts: PartsClient) -> Self {
        self.parts = Some(parts);
        self
    }

    pub fn with_comeback_days(mut self, days: i64) -> Self {
        self.comeback_days = days;
        self
    }

    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    /// The RO `id` as `caller` may change it now (NOT_FOUND, refused, or
    /// ABORTED on a stale etag), read in a transaction that is rolled back at
    /// once: what a change checks before it calls the parts service, so that
    /// no transaction is open during the call. A request applied before gets
    /// its first answer without asking parts again. The etag is checked here,
    /// against the RO the caller saw; the recording transaction re-checks
    /// what the change depends on instead.
    async fn before_call(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<Checked> {
        let mut tx = match idempotency::begin(&self.db, caller.key.as_ref()).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replay(answer) => return Ok(Checked::Replay(answer)),
        };
        let ro: RepairOrder = editable(&mut tx, &caller.principal, id, etag).await?;
        tx.rollback().await?;
        Ok(Checked::Now(ro))
    }

    fn parts(&self) -> Result<&PartsClient> {
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
        let ro = match self.before_call(caller, id, etag).await? {
            Checked::Replay(answer) => return Ok(answer),
            Checked::Now(ro) => ro,
        };
        open_work(&ro)?;
        let operation = self
            .parts()?
            .labour_operation(&caller.principal, operation_code.as_str())
            .await
            .map_err(|s| refusal(s, "operation_code"))?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let mut ro = lock(&mut tx, &caller.principal, id, None).await?;
        open_work(&ro)?;
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
            repair_orders::set_comeback_of(&mut tx, &ro.id, &earlier).await?;
            ro.comeback_of = Some(earlier);
        }
        ro.labour.push(line);
        self.committed(tx, caller, ro).await
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
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
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
        let required = repair_orders::required_certification(&mut tx, &ro.id, line_number).await?;
        qualified(
            &mut tx,
            &caller.principal,
            &technician_id,
            &ro,
            &required,
            &self.zone,
        )
        .await?;
        repair_orders::set_labour_time(
            &mut tx,
            &ro.id,
            line_number,
            actual_centihours,
            &technician_id,
        )
        .await?;
        let line = &mut ro.labour[index];
        line.actual_centihours = actual_centihours;
        line.technician_id = Some(technician_id);
        self.committed(tx, caller, ro).await
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
        // Resuming asks parts first whether the backordered lines have
        // their stock now, before the transaction opens.
        let (etag, arrived) = if transition == Transition::ResumeWork {
            let ro = match self.before_call(caller, id, etag).await? {
                Checked::Replay(answer) => return Ok(answer),
                Checked::Now(ro) => ro,
            };
            next(ro.status, transition).map_err(|e| refused_in(&ro, &e.to_string()))?;
            (None, self.arrived(caller, &ro).await?)
        } else {
            (etag, vec![])
        };
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let mut ro = lock(&mut tx, &caller.principal, id, etag).await?;
        let status = next(ro.status, transition).map_err(|e| refused_in(&ro, &e.to_string()))?;
        match (transition, details) {
            (Transition::ResumeWork, _) => resume(&mut tx, &mut ro, arrived).await?,
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
            let (dealer, station) = stations::names(&mut tx, &ro.opening.station_id).await?;
            let names = events::Names { dealer, station };
            let vehicle = columns::find::<Vehicle>(&mut tx, ro.opening.vehicle_id.as_str())
                .await?
                .ok_or_else(|| Error::Internal("a delivered RO's vehicle is gone".into()))?;
            for event in events::delivered(&ro, names, vehicle) {
                aftercare_outbox::enqueue(&mut tx, &event).await?;
            }
        }
        self.committed(tx, caller, ro).await
    }

    pub async fn record_call_back(
        &self,
        caller: &Caller,
        id: &str,
        at: Option<OffsetDateTime>,
    ) -> Result<RepairOrder> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
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
        repair_orders::set_call_back(&mut tx, &ro.id, at).await?;
        let before = ro.times();
        ro.call_back_time = Some(at);
        compliance::record(&mut tx, Some(&before), &ro, &self.zone).await?;
        self.committed(tx, caller, ro).await
    }

    /// The reservations of the RO's backordered lines, as parts has them
    /// now: FAILED_PRECONDITION while any is still backordered.
    async fn arrived(
        &self,
        caller: &Caller,
        ro: &RepairOrder,
    ) -> Result<Vec<(i32, parts_pb::Reservation)>> {
        let Some(warehouse_id) = &ro.warehouse_id else {
            return Ok(vec![]);
        };
        let mut arrived = vec![];
        for line_number in ro.backordered().map(|l| l.line_number) {
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
            if line_state(&reservation)? == PartsLineState::Backordered {
                return Err(still_backordered(ro, line_number));
            }
            arrived.push((line_number, reservation));
        }
        Ok(arrived)
    }
}

/// Work resumes when every backordered line has its stock: the lines take
/// the state parts gave them. A line backordered since parts was asked
/// keeps the RO waiting.
async fn resume(
    tx: &mut Tx,
    ro: &mut RepairOrder,
    arrived: Vec<(i32, parts_pb::Reservation)>,
) -> Result<()> {
    if let Some(line) = ro
        .backordered()
        .find(|l| !arrived.iter().any(|(n, _)| *n == l.line_number))
    {
        return Err(still_backordered(ro, line.line_number));
    }
    for (line_number, reservation) in arrived {
        let state = line_state(&reservation)?;
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

fn still_backordered(ro: &RepairOrder, line_number: i32) -> Error {
    Error::FailedPrecondition(format!(
        "parts line {line_number} of repair order {} is still backordered",
        ro.id
    ))
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
    repair_orders::set_cancel_reason(tx, &ro.id, &reason).await?;
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
    repair_orders::set_delivery(tx, &ro.id, &final_bill, approval.as_ref(), &handover).await?;
    ro.final_bill = Some(final_bill);
    ro.approval = approval;
    ro.handover = handover;
    Ok(())
}

/// The RO `id` as `caller` is about to change it, its row locked against
/// concurrent changes (the version bumped in `tx`): NOT_FOUND, refused, or
/// ABORTED on a stale etag.
async fn lock(tx: &mut Tx, caller: &Principal, id: &str, etag: Option<i64>) -> Result<RepairOrder> {
    let old: RepairOrder = editable(tx, caller, id, etag).await?;
    repair_orders::lock_row(tx, old).await
}

/// A technician of the RO's station, as the caller sees it.
async fn technician(
    tx: &mut Tx,
    caller: &Principal,
    id: &Id,
    ro: &RepairOrder,
) -> Result<StaffMember> {
    let member: StaffMember = referenced(tx, caller, id.as_str()).await?;
    if member.station_id != ro.opening.station_id {
        return Err(Error::invalid(
            "technician_id",
            "must work at the RO's station",
        ));
    }
    Ok(member)
}
