//! The common language of mailcase.
//!
//! Every evidence format is parsed into [`Event`]s; every later stage (enrichment,
//! detection, the case store, reports) reads and writes these types only. The crate
//! does no I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod action;
mod client;
mod event;
mod finding;

pub use action::{
    Action, AppConsent, DeleteKind, ForwardingChange, InboxRule, MailAccess, MailDeleted,
    MailSent, MessageTrace, Permission, PermissionScope, RuleChange, SendKind, SignIn, WebRequest,
};
pub use client::{Client, Geo, NetClass, parse_ip_port};
pub use event::{
    Account, EventId, EvidenceId, EvidenceRef, Event, Outcome, RawRecord, SourceKind,
};
pub use finding::{
    Confidence, Finding, FindingSource, Indicator, IndicatorKind, Localized, Severity, Verdict, VerdictLevel,
};
