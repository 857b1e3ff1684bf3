//! The league-table stores. The shared suite runs every test once per store,
//! in process and on the Redis that `scripts/test` starts; the Redis-only
//! tests check the key layout and what happens when Redis goes away, on a
//! server of their own.

pub(crate) mod support;

mod edges;
mod isolation;
mod ordering;
mod rebuild;

mod layout;
mod outage;
pub(crate) mod private_redis;
