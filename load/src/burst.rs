//! The burst: many ROs of several parts lines opened and started first,
//! then completed all at once, so that the outbox holds a known pile of
//! issue events for the relay to drain.

use std::time::{Duration, Instant};

use aftercare_proto::dealers::v1::{
    self as pb, repair_order_service_client::RepairOrderServiceClient,
};
use anyhow::Context;
use futures::{StreamExt, TryStreamExt, stream};
use tonic::{Status, transport::Channel};

use crate::{
    journeys::{opening, parts_line, run_id},
    workshop::Bay,
};

/// ROs opened for a burst, each with its lines reserved, started.
#[derive(Debug)]
pub(crate) struct Opened {
    /// (RO id, index of its bay)
    ros: Vec<(String, usize)>,
    lines: usize,
    run: u128,
}

impl Opened {
    /// The issue events completing them all writes.
    pub(crate) fn events(&self) -> usize {
        self.ros.len() * self.lines
    }
}

/// Opens `ros` ROs of `lines` parts lines each (one unit of the part
/// each) over the bays, and starts them: `connections.len()` ROs at a
/// time.
pub(crate) async fn open_for_burst(
    connections: &[Channel],
    bays: &[Bay],
    ros: usize,
    lines: usize,
) -> anyhow::Result<Opened> {
    anyhow::ensure!(
        !connections.is_empty() && !bays.is_empty(),
        "nothing to call"
    );
    let run = run_id();
    let opened: Vec<(String, usize)> = stream::iter(0..ros)
        .map(|k| {
            let b = k % bays.len();
            let bay = &bays[b];
            let mut client = RepairOrderServiceClient::with_interceptor(
                connections[k % connections.len()].clone(),
                bay.staff.clone(),
            );
            async move {
                let rid = |step: String| format!("load-burst-{run}-{k}-{step}");
                let vehicle = &bay.vehicles[k % bay.vehicles.len()];
                let ro = client
                    .create_repair_order(opening(bay, vehicle, rid("open".into())))
                    .await?
                    .into_inner();
                for line in 0..lines {
                    client
                        .add_parts_line(parts_line(&ro.id, rid(format!("line-{line}"))))
                        .await?;
                }
                client
                    .start_repair_order(pb::StartRepairOrderRequest {
                        id: ro.id.clone(),
                        request_id: rid("start".into()),
                        ..Default::default()
                    })
                    .await?;
                Ok::<_, Status>((ro.id, b))
            }
        })
        .buffer_unordered(connections.len())
        .try_collect()
        .await
        .context("opening the burst's ROs failed")?;
    Ok(Opened {
        ros: opened,
        lines,
        run,
    })
}

/// Completes every opened RO, `connections.len()` at a time; returns how
/// long it took.
pub(crate) async fn complete_all(
    connections: &[Channel],
    bays: &[Bay],
    opened: &Opened,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    stream::iter(opened.ros.iter().enumerate())
        .map(|(k, (id, b))| {
            let mut client = RepairOrderServiceClient::with_interceptor(
                connections[k % connections.len()].clone(),
                bays[*b].staff.clone(),
            );
            let request = pb::CompleteRepairOrderRequest {
                id: id.clone(),
                request_id: format!("load-burst-{}-{k}-complete", opened.run),
                ..Default::default()
            };
            async move { client.complete_repair_order(request).await }
        })
        .buffer_unordered(connections.len())
        .try_for_each(|_| async { Ok(()) })
        .await
        .context("completing the burst's ROs failed")?;
    Ok(started.elapsed())
}
