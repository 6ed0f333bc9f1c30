//! The input of a report: what the lead assembles from the case.
//!
//! These types are also the body of the JSON report, so their field names are a
//! stable, documented interface: renaming one is a breaking change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The language of a report's labels and date formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French: labels in French, dates as day/month/year.
    Fr,
    /// English: labels in English, dates as year-month-day.
    En,
}

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>` and in the JSON (`"fr"`, `"en"`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// Everything a report shows about one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    /// Name of the case, from `case.toml`.
    pub case_name: String,
    /// When the report was generated.
    pub generated_at: DateTime<Utc>,
    /// IANA name of the case's time zone (e.g. `Europe/Paris`); every time is shown in it.
    pub time_zone: String,
    /// Language of the report.
    pub lang: Lang,
    /// Version of mailcase that produced the report.
    pub tool_version: String,
    /// Domains of the organisation (accounts in them are the organisation's own).
    pub org_domains: Vec<String>,
    /// The evidence files registered in the case.
    pub evidence: Vec<EvidenceItem>,
    /// Accounts seen in the evidence.
    pub accounts: Vec<AccountSummary>,
    /// Sign-ins per country.
    pub signins_by_country: Vec<CountRow>,
    /// Sign-ins per autonomous system.
    pub signins_by_asn: Vec<AsnRow>,
    /// The compromise timeline.
    pub timeline: Vec<TimelineItem>,
    /// The incident log (main courante), in order.
    pub journal: Vec<JournalItem>,
    /// Whether the journal's hash chain verified when the data was assembled.
    pub journal_verified: bool,
    /// Number of parse or ingest warnings across all evidence.
    pub warnings_total: u64,
    /// Attribution lines required by the GeoIP / ASN databases used.
    pub geo_attribution: Vec<String>,
    /// Verdict per account, from detection (absent in format version 1).
    #[serde(default)]
    pub verdicts: Vec<VerdictItem>,
    /// Findings of detection (absent in format version 1).
    #[serde(default)]
    pub findings: Vec<FindingItem>,
    /// The attacker's indicators gathered from the findings (absent in format version 1).
    #[serde(default)]
    pub indicators: Vec<IndicatorItem>,
    /// How detection ran; `None` when it has not run on the case.
    #[serde(default)]
    pub detection: Option<DetectionSummary>,
}

/// One registered evidence file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Evidence id in the case.
    pub id: i64,
    /// File name as imported (attacker-influenced: shown escaped).
    pub file_name: String,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Human description of the detected format.
    pub format: String,
    /// When the file was imported.
    pub imported_at: DateTime<Utc>,
    /// Records read.
    pub records: u64,
    /// Events produced.
    pub events: u64,
    /// Warnings raised while reading it.
    pub warnings: u64,
}

/// What the evidence shows about one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// The account (normalised address).
    pub account: String,
    /// Number of events about it.
    pub events: u64,
    /// Successful sign-ins.
    pub signins_ok: u64,
    /// Failed sign-ins.
    pub signins_failed: u64,
    /// Countries (ISO 3166-1 alpha-2) it signed in from.
    pub countries: Vec<String>,
    /// First event about it.
    pub first_seen: Option<DateTime<Utc>>,
    /// Last event about it.
    pub last_seen: Option<DateTime<Utc>>,
}

/// Sign-in counts for one key (a country).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    /// The key: ISO 3166-1 alpha-2 country code, or empty when unknown.
    pub key: String,
    /// Display name of the key (country name).
    pub label: String,
    /// Successful sign-ins.
    pub signins_ok: u64,
    /// Failed sign-ins.
    pub signins_failed: u64,
    /// Accounts that signed in (or tried) from there.
    pub accounts: Vec<String>,
}

/// Sign-in counts for one autonomous system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsnRow {
    /// Autonomous system number.
    pub asn: u32,
    /// Organisation owning it, as named by the ASN database.
    pub org: String,
    /// Country (ISO 3166-1 alpha-2) when known.
    pub country: Option<String>,
    /// Successful sign-ins.
    pub signins_ok: u64,
    /// Failed sign-ins.
    pub signins_failed: u64,
    /// Accounts that signed in (or tried) from it.
    pub accounts: Vec<String>,
}

/// One line of the compromise timeline (the responders' spreadsheet columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineItem {
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Where it was seen (log source or analyst).
    pub source: String,
    /// Who acted (attacker IP, admin, application...).
    pub actor: Option<String>,
    /// The mailbox concerned.
    pub account: Option<String>,
    /// What happened.
    pub action: String,
    /// Analyst's comment.
    pub comment: String,
    /// Id of the supporting event, when there is one.
    pub event_id: Option<String>,
}

/// One entry of the incident log (main courante).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalItem {
    /// Sequence number in the journal.
    pub seq: i64,
    /// When the logged fact happened.
    pub occurred_at: DateTime<Utc>,
    /// When the entry was written.
    pub recorded_at: DateTime<Utc>,
    /// Who wrote it.
    pub author: String,
    /// Kind of entry (note, decision, action, strike...).
    pub kind: String,
    /// The text.
    pub text: String,
    /// Sequence number of the entry that struck this one, if struck.
    pub struck_by: Option<i64>,
    /// Reason given by the striking entry.
    pub strike_reason: Option<String>,
    /// Hash of the entry in the chain (hex).
    pub hash: String,
}

/// The verdict on one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictItem {
    /// The account (normalised address).
    pub account: String,
    /// `compromised`, `suspicious` or `no_evidence`.
    pub level: String,
    /// Why, one sentence each, already in the report's language.
    pub reasons: Vec<String>,
    /// Ids of the findings behind the verdict (see [`FindingItem::id`]).
    pub finding_ids: Vec<i64>,
}

/// One finding of detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingItem {
    /// Id of the finding in the case.
    pub id: i64,
    /// The rule or analytic that produced it (a Sigma rule id, `mc-...`).
    pub rule_id: String,
    /// Short title (from a rule: attacker-influenced when the rule pack is third-party).
    pub title: String,
    /// What was seen and why it matters, in the report's language.
    pub explanation: String,
    /// `informational`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `low`, `medium` or `high`.
    pub confidence: String,
    /// The account concerned (the main one when several).
    pub account: Option<String>,
    /// Other accounts concerned (spray targets, accounts reached by a pivot).
    pub other_accounts: Vec<String>,
    /// Time of the first supporting event.
    pub first: DateTime<Utc>,
    /// Time of the last supporting event.
    pub last: DateTime<Utc>,
    /// Number of supporting events.
    pub event_count: u64,
    /// MITRE ATT&CK technique ids (`T1564.008`).
    pub attack: Vec<String>,
    /// Items of the qualification sheet the finding answers (`2.c`).
    pub qualification: Vec<String>,
    /// Indicators of the attacker the finding names.
    pub indicators: Vec<IndicatorRef>,
}

/// An indicator named by a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRef {
    /// Kind: `ip`, `asn`, `user_agent`, `session_id`, `rule_name`, `forwarding_address`,
    /// `app_id`, `domain`, `email`, `url` or `subject`.
    pub kind: String,
    /// The value, as found (attacker-controlled).
    pub value: String,
}

/// One indicator of the attacker, over all findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorItem {
    /// Kind, as in [`IndicatorRef::kind`].
    pub kind: String,
    /// The value, as found (attacker-controlled).
    pub value: String,
    /// First time it was seen in a finding's events.
    pub first_seen: Option<DateTime<Utc>>,
    /// Last time it was seen in a finding's events.
    pub last_seen: Option<DateTime<Utc>>,
    /// Ids of the findings that name it.
    pub finding_ids: Vec<i64>,
}

/// How the last detection run went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectionSummary {
    /// Rules loaded and run.
    pub rules_loaded: u64,
    /// Rules skipped because they use a feature the engine does not support.
    pub rules_unsupported: u64,
    /// Findings produced.
    pub findings: u64,
    /// When the run finished.
    pub finished_at: DateTime<Utc>,
}
