//! `read_file` on arbitrary bytes read as Entra sign-ins from Microsoft Graph.
#![no_main]

use mailcase_sources::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| mailcase_fuzz::read_bytes(
    data,
    Format::EntraSignInGraph
));
