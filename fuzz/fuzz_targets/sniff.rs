//! `sniff` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailcase_fuzz::sniff_bytes(data));
