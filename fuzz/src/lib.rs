//! What the fuzz targets run, kept out of the targets so that every target checks the
//! same properties: no panic on any input, every event's raw record is valid JSON, and
//! the summary `read_file` returns agrees with the batches the sink was given.
//!
//! `read_file` takes a path (the framing opens the file itself, twice: once to find
//! the encoding, once to stream it), so each input is written to a scratch file first:
//! in `/dev/shm` when there is one, to keep the disk out of the loop.

use std::path::PathBuf;
use std::sync::OnceLock;

use mailcase_sources::{Batch, Format, read_file, sniff};
use serde::de::IgnoredAny;

/// Evidence id given to every read, checked back on each event.
const EVIDENCE: i64 = 7;

/// Sniffs `bytes`; a recognised format must round-trip through its id.
pub fn sniff_bytes(bytes: &[u8]) {
    if let Some(format) = sniff(bytes) {
        assert_eq!(
            Format::from_id(format.id()),
            Some(format),
            "format id does not round-trip"
        );
    }
}

/// Reads `bytes` as `format` and checks what comes out.
pub fn read_bytes(bytes: &[u8], format: Format) {
    let path = scratch_file();
    std::fs::write(path, bytes).expect("cannot write the scratch file");
    let mut seen = Totals::default();
    let result = read_file(path, format, EVIDENCE, |batch| {
        seen.check(&batch, format);
        Ok(())
    });
    if let Ok(summary) = result {
        assert_eq!(
            summary.events, seen.events,
            "summary events differ from the batches ({format:?})"
        );
        assert_eq!(
            summary.warnings, seen.warnings,
            "summary warnings differ from the batches ({format:?})"
        );
        assert_eq!(
            summary.records, seen.records,
            "summary records differ from the batches ({format:?})"
        );
    }
}

/// What the sink was given.
#[derive(Default)]
struct Totals {
    events: u64,
    warnings: u64,
    records: u64,
}

impl Totals {
    fn check(&mut self, batch: &Batch, format: Format) {
        for event in &batch.events {
            let raw = event.raw.as_str();
            if let Err(e) = serde_json::from_str::<IgnoredAny>(raw) {
                panic!(
                    "{format:?}: raw record of event {} is not valid JSON ({e}): {raw:?}",
                    event.id
                );
            }
            assert_eq!(
                event.evidence.evidence, EVIDENCE,
                "event names another evidence"
            );
            assert_eq!(event.source, format.source(), "event from another source");
        }
        self.events += batch.events.len() as u64;
        self.warnings += batch.warnings.len() as u64;
        self.records += batch.records;
    }
}

/// One scratch file per process (libFuzzer's `-fork`/`-jobs` run several).
fn scratch_file() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let dir = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("mailcase-fuzz-{}", std::process::id()))
    })
}
