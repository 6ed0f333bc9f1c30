//! Exchange on-premises IIS W3C logs: OWA, EWS, ActiveSync, MAPI, autodiscover, ECP requests.
//!
//! (Being written: recognises nothing yet.)

use mailcase_model::Event;

use crate::RecordCtx;

/// Whether the start of a file (decoded text) is this log.
pub(crate) fn sniff(_text: &str) -> bool {
    false
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(_line: &str, _header: Option<&str>, _ctx: &RecordCtx) -> Result<Option<Event>, String> {
    Ok(None)
}
