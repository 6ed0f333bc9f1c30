//! Detection: what the events say about the accounts.
//!
//! - `sigma`: the Sigma engine (rules, modifiers, conditions, correlations) over our
//!   events: the raw record under its own field names, the normalised fields under
//!   `mailcase.*`;
//! - `analytics`: stateful analytics per account in time order (baselines, brute force,
//!   spray, impossible travel, token replay, bursts, IMAP aggregators);
//! - `verdict`: findings to a verdict per account, and the attacker's indicators.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
pub mod sigma;
pub mod analytics;
pub mod verdict;
pub mod shipped;
