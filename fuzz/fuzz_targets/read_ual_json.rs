//! `read_file` on arbitrary bytes read as Unified Audit Log JSON (lines, array, wrapper).
#![no_main]

use mailcase_sources::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailcase_fuzz::read_bytes(data, Format::UalJson));
