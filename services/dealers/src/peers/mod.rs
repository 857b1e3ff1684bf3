//! Clients of the other services this one calls, one file per peer.

pub mod parts;
