//! The costs service through a real gRPC client, on both stores, with the
//! parts and dealers services it reads served beside it.

use aftercare_test_support::both;

mod support;

mod claims;
mod control;
mod events;
mod poor_quality;
mod pricing;
mod rates;
mod ro_costs;
mod ro_costs_refused;
mod ro_fixture;
