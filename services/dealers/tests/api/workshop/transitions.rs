//! The state machine through the API: from every status, every move —
//! exactly the allowed ones pass, the others are FAILED_PRECONDITION and
//! change nothing.

use aftercare_proto::dealers::v1::{self as pb, RepairOrderStatus as S};
use tonic::{Code, Response, Status};

use super::*;
use crate::{fixture::rid, workshop};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    Start,
    WaitForParts,
    Resume,
    Complete,
    Deliver,
    Close,
    Cancel,
}

const MOVES: [Move; 7] = [
    Move::Start,
    Move::WaitForParts,
    Move::Resume,
    Move::Complete,
    Move::Deliver,
    Move::Close,
    Move::Cancel,
];

/// The moves allowed from each status, and where they lead (DESIGN.md:
/// opened → in_progress → (waiting_parts) → completed → delivered → closed,
/// or cancelled while the work is open).
fn allowed(from: S, m: Move) -> Option<S> {
    use Move::*;
    match (from, m) {
        (S::Opened, Start) => Some(S::InProgress),
        (S::Opened | S::InProgress, WaitForParts) => Some(S::WaitingParts),
        (S::WaitingParts, Resume) => Some(S::InProgress),
        (S::InProgress, Complete) => Some(S::Completed),
        (S::Completed, Deliver) => Some(S::Delivered),
        (S::Delivered, Close) => Some(S::Closed),
        (S::Opened | S::InProgress | S::WaitingParts, Cancel) => Some(S::Cancelled),
        _ => None,
    }
}

async fn apply(w: &Workshop, id: &str, m: Move) -> Result<Response<pb::RepairOrder>, Status> {
    let (id, request_id, mut c) = (id.to_owned(), rid(), w.ros());
    match m {
        Move::Start => {
            c.start_repair_order(pb::StartRepairOrderRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
        }
        Move::WaitForParts => {
            c.wait_for_parts(pb::WaitForPartsRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
        }
        Move::Resume => {
            c.resume_repair_order(pb::ResumeRepairOrderRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
        }
        Move::Complete => {
            c.complete_repair_order(pb::CompleteRepairOrderRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
        }
        Move::Deliver => {
            c.deliver_repair_order(pb::DeliverRepairOrderRequest {
                id,
                final_bill: eur(20_000),
                handover: handover(),
                request_id,
                ..Default::default()
            })
            .await
        }
        Move::Close => {
            c.close_repair_order(pb::CloseRepairOrderRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
        }
        Move::Cancel => {
            c.cancel_repair_order(pb::CancelRepairOrderRequest {
                id,
                reason: "test".into(),
                request_id,
                ..Default::default()
            })
            .await
        }
    }
}

/// A new RO brought to `status` by allowed moves.
async fn in_status(w: &Workshop, status: S) -> pb::RepairOrder {
    let path: &[Move] = match status {
        S::Opened => &[],
        S::InProgress => &[Move::Start],
        S::WaitingParts => &[Move::WaitForParts],
        S::Completed => &[Move::Start, Move::Complete],
        S::Delivered => &[Move::Start, Move::Complete, Move::Deliver],
        S::Closed => &[Move::Start, Move::Complete, Move::Deliver, Move::Close],
        S::Cancelled => &[Move::Cancel],
        S::Unspecified => unreachable!(),
    };
    let mut ro = w.open().await;
    for m in path {
        ro = apply(w, &ro.id, *m).await.answer();
    }
    assert_eq!(ro.status, status as i32);
    ro
}

workshop!(every_move_from_every_status, |w: Workshop| async move {
    let statuses = [
        S::Opened,
        S::InProgress,
        S::WaitingParts,
        S::Completed,
        S::Delivered,
        S::Closed,
        S::Cancelled,
    ];
    let mut allowed_count = 0;
    for from in statuses {
        for m in MOVES {
            let ro = in_status(&w, from).await;
            let answer = apply(&w, &ro.id, m).await;
            match allowed(from, m) {
                Some(to) => {
                    allowed_count += 1;
                    let moved = answer.answer();
                    assert_eq!(moved.status, to as i32, "{from:?} --{m:?}-->");
                    let last = moved.history.last().expect("a history");
                    assert_eq!(last.status, to as i32);
                    assert!(last.time.is_some(), "every change is timed");
                }
                None => {
                    let refused = answer.refused(Code::FailedPrecondition);
                    assert!(
                        refused.message().contains("cannot go to"),
                        "{from:?} {m:?}: {}",
                        refused.message()
                    );
                    let unchanged = w
                        .ros()
                        .get_repair_order(pb::GetRepairOrderRequest { id: ro.id.clone() })
                        .await
                        .answer();
                    assert_eq!(
                        (unchanged.status, unchanged.etag.as_str()),
                        (from as i32, ro.etag.as_str())
                    );
                }
            }
        }
    }
    assert_eq!(allowed_count, 10, "the ten allowed moves of the design");
});
