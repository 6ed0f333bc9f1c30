//! The normalised event and its identity.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Action, Client, Geo};

/// Row id of an evidence file in a case's registry.
pub type EvidenceId = i64;

/// Stable identity of an event: derived from the evidence file and the record's
/// position in it, so that re-importing a file yields the same ids (and the store can
/// ignore the duplicates after an interrupted import).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub i64);

impl EventId {
    /// Bits reserved for the record position: 2^40 records per file is far beyond
    /// any export, and leaves 2^23 evidence files per case.
    pub const RECORD_BITS: u32 = 40;

    /// The id of record `record` (see [`EvidenceRef::record`]) of evidence `evidence`.
    pub fn new(evidence: EvidenceId, record: u64) -> Self {
        let record = record & ((1u64 << Self::RECORD_BITS) - 1);
        EventId((evidence << Self::RECORD_BITS) | record as i64)
    }

    /// The evidence file this id points into.
    pub fn evidence(self) -> EvidenceId {
        self.0 >> Self::RECORD_BITS
    }

    /// The record position inside the evidence file.
    pub fn record(self) -> u64 {
        (self.0 as u64) & ((1u64 << Self::RECORD_BITS) - 1)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.evidence(), self.record())
    }
}

/// Where an event came from: which file, which record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    /// The evidence file.
    pub evidence: EvidenceId,
    /// Position of the record in the file: the 1-based line number for line-oriented
    /// formats (JSON lines, CSV, text logs; the line where the record starts), the
    /// 1-based element index for JSON arrays and single-object files.
    pub record: u64,
}

impl EvidenceRef {
    /// The event id this position gives.
    pub fn event_id(self) -> EventId {
        EventId::new(self.evidence, self.record)
    }
}

/// The kind of log an event was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SourceKind {
    /// Microsoft 365 Unified Audit Log (any export of it).
    M365Ual,
    /// Entra ID (Azure AD) sign-in logs.
    EntraSignIn,
    /// Entra ID (Azure AD) audit logs.
    EntraAudit,
    /// Exchange Online message trace.
    ExoMessageTrace,
    /// A `Get-InboxRule` export: the state of the rules when exported.
    InboxRules,
    /// Google Workspace Admin Reports.
    GoogleWorkspace,
    /// Dovecot logs.
    Dovecot,
    /// Postfix logs.
    Postfix,
    /// Zimbra logs.
    Zimbra,
    /// Exchange on-premises IIS logs.
    ExchangeIis,
    /// Exchange on-premises HttpProxy logs.
    ExchangeHttpProxy,
    /// Exchange on-premises message tracking logs.
    ExchangeTracking,
    /// Web proxy access logs.
    WebProxy,
    /// Entered by an analyst.
    Manual,
}

impl SourceKind {
    /// Every kind, in declaration order.
    pub const ALL: [SourceKind; 14] = [
        SourceKind::M365Ual,
        SourceKind::EntraSignIn,
        SourceKind::EntraAudit,
        SourceKind::ExoMessageTrace,
        SourceKind::InboxRules,
        SourceKind::GoogleWorkspace,
        SourceKind::Dovecot,
        SourceKind::Postfix,
        SourceKind::Zimbra,
        SourceKind::ExchangeIis,
        SourceKind::ExchangeHttpProxy,
        SourceKind::ExchangeTracking,
        SourceKind::WebProxy,
        SourceKind::Manual,
    ];

    /// The kind whose [`SourceKind::as_str`] is `name`.
    pub fn from_name(name: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The stable name used in the database and in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::M365Ual => "m365_ual",
            SourceKind::EntraSignIn => "entra_signin",
            SourceKind::EntraAudit => "entra_audit",
            SourceKind::ExoMessageTrace => "exo_message_trace",
            SourceKind::InboxRules => "inbox_rules",
            SourceKind::GoogleWorkspace => "google_workspace",
            SourceKind::Dovecot => "dovecot",
            SourceKind::Postfix => "postfix",
            SourceKind::Zimbra => "zimbra",
            SourceKind::ExchangeIis => "exchange_iis",
            SourceKind::ExchangeHttpProxy => "exchange_http_proxy",
            SourceKind::ExchangeTracking => "exchange_tracking",
            SourceKind::WebProxy => "web_proxy",
            SourceKind::Manual => "manual",
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A mailbox or user account, normalised: trimmed and lower-case, so that
/// `Debra@Example.FR` and `debra@example.fr` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Account(String);

impl Account {
    /// Normalises `raw`; `None` when it is empty or only whitespace.
    pub fn new(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        Some(Account(trimmed.to_lowercase()))
    }

    /// The normalised address or name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The domain part when the account is an address.
    pub fn domain(&self) -> Option<&str> {
        self.0.rsplit_once('@').map(|(_, d)| d)
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether the action succeeded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// It succeeded.
    Success,
    /// It failed, with the source's error code and reason when given.
    Failure {
        /// Error code as the source writes it (`50126`, `InvalidPassword`...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Human-readable reason from the source.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The source does not say.
    #[default]
    Unknown,
}

impl Outcome {
    /// `success`, `failure` or `unknown`: the `outcome` column.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure { .. } => "failure",
            Outcome::Unknown => "unknown",
        }
    }

    /// The failure code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Outcome::Failure { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// The original record, as JSON text. CSV rows become a JSON object of their columns
/// (a column holding JSON, such as the UAL `AuditData`, is the record itself; see each
/// source's documentation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawRecord(pub String);

impl RawRecord {
    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One normalised event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id (see [`EventId`]).
    pub id: EventId,
    /// When it happened, UTC.
    pub time: DateTime<Utc>,
    /// Which kind of log it came from.
    pub source: SourceKind,
    /// Which file and record.
    pub evidence: EvidenceRef,
    /// The mailbox or user concerned.
    pub account: Option<Account>,
    /// Who acted, when not the account itself (an admin, a delegate, an application).
    pub actor: Option<String>,
    /// What happened.
    pub action: Action,
    /// Whether it worked.
    pub outcome: Outcome,
    /// From where and with what.
    pub client: Client,
    /// Filled by enrichment.
    pub geo: Option<Geo>,
    /// The original record.
    pub raw: RawRecord,
}

impl Event {
    /// A new event with an empty client and no geo data; sources fill the rest.
    pub fn new(
        evidence: EvidenceRef,
        time: DateTime<Utc>,
        source: SourceKind,
        action: Action,
        raw: RawRecord,
    ) -> Self {
        Event {
            id: evidence.event_id(),
            time,
            source,
            evidence,
            account: None,
            actor: None,
            action,
            outcome: Outcome::Unknown,
            client: Client::default(),
            geo: None,
            raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_id_round_trips() {
        let id = EventId::new(7, 123_456);
        assert_eq!(id.evidence(), 7);
        assert_eq!(id.record(), 123_456);
        assert_eq!(id.to_string(), "7:123456");
        assert!(EventId::new(7, 1) < EventId::new(8, 0));
    }

    #[test]
    fn source_names_round_trip() {
        for k in SourceKind::ALL {
            assert_eq!(SourceKind::from_name(k.as_str()), Some(k));
        }
    }

    #[test]
    fn accounts_are_case_insensitive() {
        assert_eq!(Account::new(" Debra@Example.FR "), Account::new("debra@example.fr"));
        assert_eq!(Account::new("   "), None);
        assert_eq!(Account::new("a@b.fr").unwrap().domain(), Some("b.fr"));
    }
}
