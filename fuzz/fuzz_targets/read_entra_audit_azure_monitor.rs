//! `read_file` on arbitrary bytes read as an Entra audit log from Azure Monitor.
#![no_main]

use mailcase_sources::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailcase_fuzz::read_bytes(
    data,
    Format::EntraAuditAzureMonitor
));
