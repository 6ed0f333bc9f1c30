//! The JSON report: the report data wrapped with a format name and version.
//!
//! Document shape (all fields always present; optional values are `null`):
//! ```text
//! {
//!   "format": "mailcase-report",   "format_version": 2,
//!   "totals": { "evidence_files", "events", "accounts", "timeline_items",
//!               "journal_entries", "warnings", "findings", "indicators",
//!               "compromised_accounts", "suspicious_accounts" },
//!   ...every field of ReportData (case_name, generated_at, time_zone, lang,
//!      tool_version, org_domains, evidence, accounts, signins_by_country,
//!      signins_by_asn, timeline, journal, journal_verified, warnings_total,
//!      geo_attribution, verdicts, findings, indicators, detection)
//! }
//! ```
//! Version 2 added the detection results (`verdicts`, `findings`, `indicators`,
//! `detection` and the four last totals). Version 1 documents are still read: the
//! missing fields are empty, and `detection` is `null` (detection not run).
//! Times are RFC 3339 in UTC. Text is as found in the evidence (not neutralised):
//! consumers that display it must escape it themselves.

use serde::{Deserialize, Serialize};

use crate::data::ReportData;
use crate::error::ReportError;

/// Value of the `format` field.
pub const JSON_FORMAT: &str = "mailcase-report";
/// Value of the `format_version` field written; raised on any incompatible change.
pub const JSON_FORMAT_VERSION: u32 = 2;
/// Oldest `format_version` that [`parse_json`] still reads.
const OLDEST_READABLE_VERSION: u32 = 1;

/// The JSON report document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDocument {
    /// Always [`JSON_FORMAT`].
    pub format: String,
    /// [`JSON_FORMAT_VERSION`] when written by this version.
    pub format_version: u32,
    /// Counts, for a reader that wants the summary without walking the lists.
    pub totals: Totals,
    /// The report data itself, its fields at the top level of the document.
    #[serde(flatten)]
    pub report: ReportData,
}

/// Counts over the report data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Evidence files registered.
    pub evidence_files: u64,
    /// Events produced from all evidence.
    pub events: u64,
    /// Accounts seen.
    pub accounts: u64,
    /// Lines of the compromise timeline.
    pub timeline_items: u64,
    /// Entries of the journal.
    pub journal_entries: u64,
    /// Warnings across all evidence.
    pub warnings: u64,
    /// Findings of detection (0 in version 1).
    #[serde(default)]
    pub findings: u64,
    /// Attacker indicators (0 in version 1).
    #[serde(default)]
    pub indicators: u64,
    /// Accounts whose verdict is `compromised` (0 in version 1).
    #[serde(default)]
    pub compromised_accounts: u64,
    /// Accounts whose verdict is `suspicious` (0 in version 1).
    #[serde(default)]
    pub suspicious_accounts: u64,
}

impl ReportDocument {
    /// The document for `data`.
    pub fn new(data: &ReportData) -> Self {
        let totals = Totals {
            evidence_files: data.evidence.len() as u64,
            events: data.evidence.iter().map(|e| e.events).fold(0, u64::saturating_add),
            accounts: data.accounts.len() as u64,
            timeline_items: data.timeline.len() as u64,
            journal_entries: data.journal.len() as u64,
            warnings: data.warnings_total,
            findings: data.findings.len() as u64,
            indicators: data.indicators.len() as u64,
            compromised_accounts: count_level(data, "compromised"),
            suspicious_accounts: count_level(data, "suspicious"),
        };
        Self {
            format: JSON_FORMAT.to_string(),
            format_version: JSON_FORMAT_VERSION,
            totals,
            report: data.clone(),
        }
    }
}

fn count_level(data: &ReportData, level: &str) -> u64 {
    data.verdicts.iter().filter(|v| v.level == level).count() as u64
}

/// Renders the JSON report of `data` (pretty-printed, UTF-8).
pub fn render_json(data: &ReportData) -> Result<String, ReportError> {
    Ok(serde_json::to_string_pretty(&ReportDocument::new(data))?)
}

/// Reads a JSON report back, checking its format name and version (1 or 2).
pub fn parse_json(text: &str) -> Result<ReportData, ReportError> {
    let doc: ReportDocument = serde_json::from_str(text)?;
    let readable = OLDEST_READABLE_VERSION..=JSON_FORMAT_VERSION;
    if doc.format != JSON_FORMAT || !readable.contains(&doc.format_version) {
        return Err(ReportError::UnsupportedJson {
            format: doc.format,
            version: doc.format_version,
        });
    }
    Ok(doc.report)
}
