//! Exchange on-premises HttpProxy logs (CSV with a header line).
//!
//! (Being written: recognises nothing yet.)

use mailcase_model::Event;

use crate::RecordCtx;

/// Whether the start of a file (decoded text) is this log.
pub(crate) fn sniff(_text: &str) -> bool {
    false
}

/// One record (JSON text) to an event.
pub(crate) fn to_event(_json: &str, _ctx: &RecordCtx) -> Result<Event, String> {
    Err("not supported yet".into())
}
