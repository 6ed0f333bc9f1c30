//! Helpers shared by the integration tests (and, by path, the detection bench).

pub mod sample_events;
