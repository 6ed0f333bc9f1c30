//! Zimbra audit.log and mailbox.log: authentications, failures, account, filter and forwarding changes.
//!
//! (Being written: recognises nothing yet.)

use mailcase_model::Event;

use crate::RecordCtx;

/// Whether the start of a file (decoded text) is this log.
pub(crate) fn sniff_audit(_text: &str) -> bool {
    false
}
/// Whether the start of a file (decoded text) is this log.
pub(crate) fn sniff_mailbox(_text: &str) -> bool {
    false
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(_line: &str, _header: Option<&str>, _ctx: &RecordCtx) -> Result<Option<Event>, String> {
    Ok(None)
}
