//! The whole system end to end, as its users meet it: the embedded system
//! started through the app library, the real `aftercare` binary in its
//! embedded mode, and the distributed mode (one process per service, on
//! PostgreSQL, the surveys league tables on Redis) — each called through
//! the gateway with tokens minted by `aftercare token`, by gRPC and by
//! gRPC-web.
//!
//! The distributed test needs `AFTERCARE_TEST_POSTGRES_URL` and
//! `AFTERCARE_TEST_REDIS_URL` (scripts/test starts a throwaway PostgreSQL
//! and Redis and sets them). The tests that run the binary build it first
//! (`cargo build -p aftercare`, see `support::process`).

mod binary;
mod costs;
mod distributed;
mod embedded;
mod faults;
mod grpc_web;
mod journey;
mod labour;
mod malformed;
mod metric_names;
mod quality;
mod repair_orders;
mod station_parts;
mod stock;
mod streams;
mod support;
mod surveys;
