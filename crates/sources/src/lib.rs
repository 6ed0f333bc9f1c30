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
//!
//! A bad record never stops a file: it becomes a [`RecordWarning`] naming its position
//! and the reason, and parsing goes on.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod time;

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
}
