//! Evidence formats: recognising a file from its content, and parsing its records into
//! normalised [`Event`]s.
//!
//! Layout, following the pipeline:
//! - [`format`]: the formats we read and [`sniff`], which recognises one from the first
//!   bytes of a file (never from its name);
//! - `input`: framing: BOMs and encodings, JSON lines / JSON arrays / single objects /
//!   `{"value": [...]}` and `{"records": [...]}` wrappers, CSV rows turned into JSON
//!   objects; chunking of large files for parallel parsing; record positions;
//! - [`time`]: timestamps in the forms exports use;
//! - one module per log source, each turning one record (JSON text) into an `Event`:
//!   `m365_ual`, `entra_signin`, `entra_audit`, `message_trace`, `inbox_rules`.
//!   `fields` holds their shared, case-insensitive field lookups.
//!
//! A bad record never stops a file: it becomes a [`RecordWarning`] naming its position
//! and the reason, and parsing goes on.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use mailcase_model::{Event, EvidenceId};

mod dovecot;
mod entra_audit;
mod entra_signin;
mod exchange_http_proxy;
mod exchange_iis;
mod exchange_tracking;
mod fields;
mod google_workspace;
mod postfix;
mod syslog;
mod web_proxy;
mod zimbra;
pub mod format;
mod inbox_rules;
mod input;
mod m365_ual;
mod message_trace;
pub mod time;

pub use format::{Format, SNIFF_LEN, sniff, sniff_file};
pub use input::MAX_RECORD_BYTES;

/// Why a file could not be read at all. Problems with single records are
/// [`RecordWarning`]s instead, and reading goes on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        #[source]
        source: std::io::Error,
    },
    /// The content is not text this crate reads (binary, unknown encoding).
    #[error("cannot read {}: {reason}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong, in English.
        reason: String,
    },
    /// The sink refused a batch; reading stopped.
    #[error("while reading {}: {source}", path.display())]
    Sink {
        /// The file.
        path: PathBuf,
        /// The sink's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A record that gave no event, or gave one with a caveat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordWarning {
    /// Position of the record, as in [`mailcase_model::EvidenceRef::record`].
    pub record: u64,
    /// What is wrong, in English.
    pub message: String,
}

/// Events read from a file, handed to the sink in file order.
#[derive(Debug, Default)]
pub struct Batch {
    /// The events, in file order.
    pub events: Vec<Event>,
    /// Warnings about records of this batch.
    pub warnings: Vec<RecordWarning>,
    /// Bytes of the file read so far (cumulative), for progress reports.
    pub bytes_read: u64,
    /// Records in this batch (events plus records that gave none).
    pub records: u64,
}

/// Totals for a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Records seen.
    pub records: u64,
    /// Events produced.
    pub events: u64,
    /// Warnings raised.
    pub warnings: u64,
}

/// Reads `path` as `format` (see [`sniff_file`]) and hands its events to `sink` in
/// batches, in file order. Event ids derive from `evidence` and each record's
/// position. Bad records become warnings; only an unreadable file or a sink error
/// stops reading.
pub fn read_file<F>(path: &Path, format: Format, evidence: EvidenceId, sink: F) -> Result<ReadSummary, SourceError>
where
    F: FnMut(Batch) -> Result<(), Box<dyn std::error::Error + Send + Sync>>,
{
    input::read(path, format, evidence, parser_for(format), sink)
}

/// How a text-log module turns one line into an event: `line` without its line end
/// (read lossily when not UTF-8), `header` the `#Fields:` directive in force for
/// W3C-style logs (`None` elsewhere). `Ok(None)` for a line that tells nothing we model
/// (most syslog lines): it counts as a record, without a warning. Comment lines (`#`)
/// never reach the module.
pub(crate) type LineToEvent = fn(line: &str, header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String>;

/// The module that turns a record of `format` into an event.
fn parser_for(format: Format) -> input::Parser {
    use input::Parser::{Line, Record};
    match format {
        Format::GoogleWorkspaceJson => Record(google_workspace::to_event),
        Format::ExchangeHttpProxyCsv => Record(exchange_http_proxy::to_event),
        Format::DovecotLog => Line(dovecot::line_to_event),
        Format::PostfixLog => Line(postfix::line_to_event),
        Format::ZimbraAuditLog | Format::ZimbraMailboxLog => Line(zimbra::line_to_event),
        Format::ExchangeIisW3c => Line(exchange_iis::line_to_event),
        Format::ExchangeMessageTracking
        | Format::ExchangeHttpProxyLog
        | Format::ExchangeProtocolLog
        | Format::ExchangeEcpLog => Line(exchange_tracking::line_to_event),
        Format::WebProxySquid | Format::WebProxyCombined => Line(web_proxy::line_to_event),
        other => Record(record_parser(other)),
    }
}

/// The record parser of the Microsoft 365 formats.
fn record_parser(format: Format) -> input::ToEvent {
    match format {
        Format::UalPurviewCsv
        | Format::UalLegacyCsv
        | Format::UalSearchCsv
        | Format::UalJson
        | Format::UalSentinel => m365_ual::to_event,
        Format::EntraSignInGraph | Format::EntraSignInAzureMonitor | Format::EntraSignInCsv => {
            entra_signin::to_event
        }
        Format::EntraAuditGraph | Format::EntraAuditAzureMonitor => entra_audit::to_event,
        Format::MessageTraceCsv | Format::MessageTraceJson => message_trace::to_event,
        Format::InboxRulesCsv | Format::InboxRulesJson => inbox_rules::to_event,
        _ => unsupported,
    }
}

fn unsupported(_: &str, _: &RecordCtx) -> Result<Event, String> {
    Err("no record parser for this format".into())
}


// ---------------------------------------------------------------------------------
// Contract between the framing (`input`) and the per-source modules. Each source module
// exposes `pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String>`,
// handling every shape of its source (e.g. Graph JSON, Azure Monitor `properties.*`,
// and portal CSV rows, which the framing hands over as flat JSON objects of
// column name -> string). The error string says what is wrong with the record; the
// framing adds the file and position.
// ---------------------------------------------------------------------------------

/// What a source module knows about the record it is given.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordCtx {
    /// Where the record is; the event id derives from it.
    pub at: mailcase_model::EvidenceRef,
    /// Order of day and month for slash dates in this file (found by the framing).
    pub date_order: time::DateOrder,
    /// When the file was written (its modification time), for snapshot exports such as
    /// `Get-InboxRule` whose records carry no time of their own.
    pub file_time: Option<chrono::DateTime<chrono::Utc>>,
}
