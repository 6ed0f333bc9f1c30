//! Findings: what detection concludes from events. Filled in by the `detect` crate.

use serde::{Deserialize, Serialize};

use crate::{Account, EventId};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Informational,
    /// Unusual.
    Low,
    /// Suspicious.
    Medium,
    /// Very likely malicious.
    High,
    /// Malicious and damaging.
    Critical,
}

/// One conclusion of detection, with the events that support it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule or analytic that produced it.
    pub rule_id: String,
    /// Short title.
    pub title: String,
    /// How serious.
    pub severity: Severity,
    /// The account concerned.
    pub account: Option<Account>,
    /// The supporting events.
    pub events: Vec<EventId>,
    /// Why it was raised.
    pub explanation: String,
    /// ATT&CK technique ids (`T1114.003`...).
    pub attack: Vec<String>,
    /// Qualification sheet items it informs (`2.b`...).
    pub qualification: Vec<String>,
}
