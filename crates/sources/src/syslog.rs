//! Syslog framing shared by the text logs: RFC 3164 (`Nov 22 14:35:01 host prog[pid]: msg`,
//! year-less), RFC 5424 (`<pri>1 2026-11-22T14:35:01Z host app procid msgid sd msg`),
//! journald and ISO-8601 prefixes; several hosts in one file.
//!
//! (Being written.)
