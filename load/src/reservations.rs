//! The stock scenario: repair-order lines reserved one unit at a time in
//! one dealer's warehouse, as the dealer's DMS pushes the parts lines of
//! its repair orders.
//!
//! Head office puts the parts in the catalogue and creates the warehouse;
//! the DMS receives stock into it and then reserves. Every call is a new
//! line with a new `request_id`, so that every call books a movement
//! instead of replaying a stored answer.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use aftercare_auth::{Principal, Scope};
use aftercare_proto::{
    common::v1::Money,
    parts::v1::{
        self as pb, parts_service_client::PartsServiceClient,
        stock_service_client::StockServiceClient,
    },
};
use anyhow::Context;
use futures::{StreamExt, TryStreamExt, future::BoxFuture, stream};
use tonic::{Code, Status, service::interceptor::InterceptedService, transport::Channel};

use crate::scenarios::{Auth, Client, NewClient};

/// The dealer whose warehouse the reservations go to. Parts does not ask
/// the dealers service whether it exists: a warehouse names its dealer.
pub(crate) const DEALER: &str = "load-dealer";
const REGION: &str = "load-region";
pub(crate) const WAREHOUSE: &str = "load-wh";

/// The most one receipt may bring (`ReceiveStockRequest.quantity`).
const RECEIPT_MAX: i64 = 1_000_000;

/// Repair-order lines per repair order: a run's lines fill orders of a
/// realistic size instead of one order of a million lines.
const LINES_PER_ORDER: u64 = 10;

/// Catalogue and stock calls in flight at once while seeding: enough to
/// keep the servers busy, few enough not to wait on the pool.
const SEEDING_CALLS: usize = 16;

/// The load dealer's DMS: the warehouse's owner, who alone moves its stock.
pub(crate) fn dms() -> Principal {
    Principal {
        subject: "aftercare-load-dms".into(),
        scope: Scope::Dms {
            dealer_id: DEALER.into(),
        },
    }
}

/// The `i`-th part the load tool puts in the catalogue, from 1.
pub(crate) fn part_number(i: usize) -> String {
    format!("LOAD-{i:04}")
}

/// Reservations of one unit for new repair-order lines, going round
/// `parts` parts: 1 is a single hot part.
#[derive(Debug, Clone)]
pub(crate) struct Reserve {
    pub(crate) parts: usize,
    /// Head office, who creates the parts and the warehouse.
    pub(crate) head_office: Auth,
}

type Stock = StockServiceClient<InterceptedService<Channel, Auth>>;

impl Reserve {
    /// Seeds the catalogue, the warehouse and its stock (another
    /// [`RECEIPT_MAX`] of each part on every call, so that rounds never run
    /// dry), reserves one line to be sure, and returns how each client
    /// reserves with `auth` (the warehouse's owner).
    pub(crate) async fn prepare(&self, setup: Channel, auth: Auth) -> anyhow::Result<NewClient> {
        anyhow::ensure!(self.parts >= 1, "a reservation scenario needs a part");
        ensure_parts(&setup, &self.head_office, self.parts).await?;
        ensure_warehouse(&setup, &self.head_office, dealer_warehouse()).await?;
        let lines = Arc::new(Lines::new(self.parts));
        let stock = StockServiceClient::with_interceptor(setup, auth.clone());
        stream::iter(lines.parts.clone())
            .map(|part| {
                let mut stock = stock.clone();
                let request = pb::ReceiveStockRequest {
                    warehouse_id: WAREHOUSE.into(),
                    request_id: format!("receive-{}-{part}", lines.run),
                    part_number: part,
                    quantity: RECEIPT_MAX,
                    reference: "aftercare-load".into(),
                    ..Default::default()
                };
                async move { stock.receive_stock(request).await }
            })
            .buffer_unordered(SEEDING_CALLS)
            .try_for_each(|_| async { Ok(()) })
            .await
            .context("ReceiveStock fails before the run")?;
        stock
            .clone()
            .reserve_stock(lines.next())
            .await
            .context("ReserveStock fails before the run")?;
        Ok(Box::new(move |channel| {
            Box::new(Reserving {
                client: StockServiceClient::with_interceptor(channel, auth.clone()),
                lines: lines.clone(),
            })
        }))
    }
}

fn dealer_warehouse() -> pb::Warehouse {
    pb::Warehouse {
        warehouse_id: WAREHOUSE.into(),
        display_name: "Load dealer's warehouse".into(),
        kind: pb::WarehouseKind::Dealer as i32,
        region_id: REGION.into(),
        dealer_id: DEALER.into(),
        lead_time_days: 2,
        ..Default::default()
    }
}

/// The lines of one prepared run, shared by its clients: every call takes
/// the next number, which names its repair-order line, its request and its
/// part.
struct Lines {
    /// Tells this run's lines from an earlier round's in the same database.
    run: u128,
    next: AtomicU64,
    parts: Vec<String>,
}

impl Lines {
    fn new(parts: usize) -> Self {
        Self {
            run: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_micros()),
            next: AtomicU64::new(0),
            parts: (1..=parts).map(part_number).collect(),
        }
    }

    fn next(&self) -> pb::ReserveStockRequest {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let run = self.run;
        pb::ReserveStockRequest {
            warehouse_id: WAREHOUSE.into(),
            part_number: self.parts[(n % self.parts.len() as u64) as usize].clone(),
            quantity: 1,
            repair_order_id: format!("ro-{run}-{}", n / LINES_PER_ORDER),
            line_number: (n % LINES_PER_ORDER) as i32 + 1,
            allow_backorder: false,
            request_id: format!("reserve-{run}-{n}"),
            unit: String::new(),
        }
    }
}

struct Reserving {
    client: Stock,
    lines: Arc<Lines>,
}

impl Client for Reserving {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let request = self.lines.next();
        Box::pin(async move { self.client.reserve_stock(request).await.map(drop) })
    }
}

/// Puts parts 1 to `count` in the catalogue as head office. Each part's
/// request_id is fixed, so that a part made by an earlier round is
/// answered as made, not refused.
pub(crate) async fn ensure_parts(
    setup: &Channel,
    head_office: &Auth,
    count: usize,
) -> anyhow::Result<()> {
    let parts = PartsServiceClient::with_interceptor(setup.clone(), head_office.clone());
    let eur = |minor_units| {
        Some(Money {
            currency_code: "EUR".into(),
            minor_units,
        })
    };
    stream::iter(1..=count)
        .map(|i| {
            let mut parts = parts.clone();
            let part_number = part_number(i);
            let request = pb::CreatePartRequest {
                request_id: format!("load-part-{part_number}"),
                part: Some(pb::Part {
                    display_name: format!("Load part {i}"),
                    part_number,
                    category: "LOAD".into(),
                    list_price: eur(1_000),
                    cost: eur(600),
                    ..Default::default()
                }),
            };
            async move { parts.create_part(request).await }
        })
        .buffer_unordered(SEEDING_CALLS)
        .try_for_each(|_| async { Ok(()) })
        .await
        .context("CreatePart fails before the run")
}

/// Creates `warehouse` as head office, unless it is there already.
pub(crate) async fn ensure_warehouse(
    setup: &Channel,
    head_office: &Auth,
    warehouse: pb::Warehouse,
) -> anyhow::Result<()> {
    let id = warehouse.warehouse_id.clone();
    let created = StockServiceClient::with_interceptor(setup.clone(), head_office.clone())
        .create_warehouse(pb::CreateWarehouseRequest {
            request_id: format!("load-warehouse-{id}"),
            warehouse: Some(warehouse),
        })
        .await;
    match created {
        Ok(_) => Ok(()),
        Err(status) if status.code() == Code::AlreadyExists => Ok(()),
        Err(status) => {
            Err(status).with_context(|| format!("CreateWarehouse {id} fails before the run"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_is_a_new_line_of_a_ten_line_order_going_round_the_parts() {
        let lines = Lines::new(3);
        let calls: Vec<_> = (0..12).map(|_| lines.next()).collect();
        let run = lines.run;
        assert_eq!(calls[0].repair_order_id, format!("ro-{run}-0"));
        assert_eq!(calls[0].line_number, 1);
        assert_eq!(calls[9].line_number, 10);
        assert_eq!(calls[10].repair_order_id, format!("ro-{run}-1"));
        assert_eq!(calls[10].line_number, 1);
        let parts: Vec<_> = calls[..4].iter().map(|c| c.part_number.as_str()).collect();
        assert_eq!(parts, ["LOAD-0001", "LOAD-0002", "LOAD-0003", "LOAD-0001"]);
        let ids: std::collections::BTreeSet<_> = calls.iter().map(|c| &c.request_id).collect();
        assert_eq!(ids.len(), 12, "a fresh request_id per call");
        assert!(calls.iter().all(|c| c.quantity == 1 && !c.allow_backorder));
    }
}
