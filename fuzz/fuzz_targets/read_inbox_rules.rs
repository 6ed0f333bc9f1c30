//! `read_file` on arbitrary bytes read as a `Get-InboxRule` export, both as CSV and as
//! JSON (one target for the two, as the parser behind them is the same).
#![no_main]

use mailcase_sources::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mailcase_fuzz::read_bytes(data, Format::InboxRulesCsv);
    mailcase_fuzz::read_bytes(data, Format::InboxRulesJson);
});
