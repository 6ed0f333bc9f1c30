//! Findings, verdicts and indicators: what detection concludes from events. Produced by
//! the `detect` crate, stored by the `case` crate.

use chrono::{DateTime, Utc};
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

impl Severity {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// From a Sigma `level` or our own name.
    pub fn from_name(name: &str) -> Option<Severity> {
        match name.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" => Some(Severity::Informational),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// How sure detection is that the finding is what its title says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A weak signal, often benign.
    Low,
    /// Often malicious.
    Medium,
    /// Rarely benign.
    High,
}

/// A text in both languages of the product. Detection writes both; displays pick one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
}

impl Localized {
    /// Both languages.
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Self {
        Localized { en: en.into(), fr: fr.into() }
    }

    /// The text for a language code (`fr`, anything else is English).
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("fr") && !self.fr.is_empty() { &self.fr } else { &self.en }
    }
}

/// Where a finding came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSource {
    /// A Sigma rule matching single events.
    SigmaRule,
    /// A Sigma correlation rule.
    SigmaCorrelation,
    /// A stateful analytic written in Rust.
    Analytic,
    /// Found by pivoting on another finding's indicators.
    Pivot,
}

/// What an indicator is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// An IP address.
    Ip,
    /// An autonomous system number.
    Asn,
    /// A user agent string.
    UserAgent,
    /// A session or token id.
    SessionId,
    /// An inbox rule name.
    RuleName,
    /// An address mail is forwarded or redirected to.
    ForwardingAddress,
    /// An application (client) id.
    AppId,
    /// A mail domain (sender, lookalike).
    Domain,
    /// An e-mail address.
    Email,
    /// A URL.
    Url,
    /// A message subject.
    Subject,
}

impl IndicatorKind {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Ip => "ip",
            IndicatorKind::Asn => "asn",
            IndicatorKind::UserAgent => "user_agent",
            IndicatorKind::SessionId => "session_id",
            IndicatorKind::RuleName => "rule_name",
            IndicatorKind::ForwardingAddress => "forwarding_address",
            IndicatorKind::AppId => "app_id",
            IndicatorKind::Domain => "domain",
            IndicatorKind::Email => "email",
            IndicatorKind::Url => "url",
            IndicatorKind::Subject => "subject",
        }
    }
}

/// An observable of the attacker.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Indicator {
    /// What it is.
    pub kind: IndicatorKind,
    /// The value, normalised (lower-case for addresses and domains).
    pub value: String,
}

/// One conclusion of detection, with the events that support it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule or analytic that produced it (`mc-inbox-rule-hides-mail`, a Sigma rule id...).
    pub rule_id: String,
    /// Rule, correlation, analytic or pivot.
    pub source: FindingSource,
    /// Short title.
    pub title: Localized,
    /// Why it was raised, with the specifics (rule name, countries, counts).
    pub explanation: Localized,
    /// How serious.
    pub severity: Severity,
    /// How sure.
    pub confidence: Confidence,
    /// The account concerned (the main one when several).
    pub account: Option<Account>,
    /// Other accounts concerned (spray targets, accounts reached by a pivot).
    pub other_accounts: Vec<Account>,
    /// Time of the first supporting event.
    pub first: DateTime<Utc>,
    /// Time of the last supporting event.
    pub last: DateTime<Utc>,
    /// The supporting events (all of them: grouping keeps every id).
    pub events: Vec<EventId>,
    /// ATT&CK technique ids (`T1114.003`...).
    pub attack: Vec<String>,
    /// Qualification sheet items it informs (`2.b`...).
    pub qualification: Vec<String>,
    /// The attacker's observables it reveals.
    pub indicators: Vec<Indicator>,
}

/// The conclusion about one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictLevel {
    /// Nothing found.
    NoEvidence,
    /// Findings that need a person to look.
    Suspicious,
    /// Enough findings to treat the account as in the attacker's hands.
    Compromised,
}

impl VerdictLevel {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictLevel::NoEvidence => "no_evidence",
            VerdictLevel::Suspicious => "suspicious",
            VerdictLevel::Compromised => "compromised",
        }
    }
}

/// A verdict on one account, with the reasons a person can check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The account.
    pub account: Account,
    /// The conclusion.
    pub level: VerdictLevel,
    /// Why, one line per reason.
    pub reasons: Vec<Localized>,
    /// Indexes (into the findings given to the verdict logic) of the findings behind it.
    pub findings: Vec<usize>,
}
