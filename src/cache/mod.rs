//! The token lifecycle (fresh → stale → expired) and the three tiers behind one interface: the
//! in-process tier (`memory`) in front of the host tier (`host`, files shared by a user's
//! processes) and the fleet tier (`fleet`, Redis), orchestrated by `shared`.

pub mod acquire;
pub mod config;
pub mod currency;
pub mod dir;
pub mod entry;
pub mod fleet;
pub mod host;
pub mod hostlock;
pub mod keeper;
pub mod lifecycle;
pub mod memory;
pub mod seal;
pub mod shared;
pub mod stats;
