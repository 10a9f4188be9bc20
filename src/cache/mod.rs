//! The token lifecycle (fresh → stale → expired) and the in-process tier with single flight.
//! Shared tiers (host, fleet) plug in behind the same interface in a later step.

pub mod lifecycle;
pub mod memory;
pub mod stats;
