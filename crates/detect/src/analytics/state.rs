//! What the analytics remember about one account, and what they share while reading one
//! event.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use mailcase_model::{EventId, Localized};

use super::aggregator::AggregatorSeen;
use super::baseline::Baseline;
use super::bursts::Bursts;
use super::catalog::Catalog;
use super::config::AnalyticsConfig;
use super::credentials::Failures;
use super::grouping::Draft;
use super::token_replay::Sessions;
use super::travel::Fix;

/// The latest sign-in of an account that an analytic found suspicious.
#[derive(Clone, Debug)]
pub(crate) struct Suspicion {
    pub time: DateTime<Utc>,
    pub event: EventId,
    pub ip: Option<IpAddr>,
    pub asn: Option<u32>,
    pub session: Option<String>,
    /// Why, in a few words (`sign-in from a new country (US)`).
    pub why: Localized,
}

/// Everything remembered about one account: bounded, whatever the number of events.
#[derive(Default)]
pub(crate) struct AccountState {
    pub baseline: Baseline,
    pub last_fix: Option<Fix>,
    pub failures: Failures,
    pub suspicion: Option<Suspicion>,
    pub sessions: Sessions,
    pub bursts: Bursts,
    pub aggregator: Option<AggregatorSeen>,
}

impl AccountState {
    /// Records a suspicious sign-in, keeping the latest one.
    pub(crate) fn suspect(&mut self, s: Suspicion) {
        if self.suspicion.as_ref().is_none_or(|old| old.time <= s.time) {
            self.suspicion = Some(s);
        }
    }
}

/// Settings, data and the output of one `feed`.
pub(crate) struct Ctx<'a> {
    pub cfg: &'a AnalyticsConfig,
    pub catalog: &'a Catalog,
    pub out: &'a mut Vec<Draft>,
}
