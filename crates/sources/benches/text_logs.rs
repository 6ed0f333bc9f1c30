//! Text logs against JSON: `read_file` throughput per byte on a syslog-type file and on a
//! Management-API JSON lines file, on the same machine and run.
//!
//! `MAILCASE_BENCH_TEXT_FILE=mail.log MAILCASE_BENCH_FILE=ual.jsonl cargo bench -p
//! mailcase-sources --bench text_logs` (benches/text_logs.sh makes both files).

use std::path::Path;
use std::time::Instant;

use mailcase_sources::{read_file, sniff_file};

fn main() {
    let (Some(text), Some(json)) = (std::env::var_os("MAILCASE_BENCH_TEXT_FILE"), std::env::var_os("MAILCASE_BENCH_FILE")) else {
        eprintln!("set MAILCASE_BENCH_TEXT_FILE and MAILCASE_BENCH_FILE (see benches/text_logs.sh)");
        return;
    };
    let runs: usize = std::env::var("MAILCASE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let t = best(Path::new(&text), runs);
    let j = best(Path::new(&json), runs);
    println!("text log : {:.1} MB/s, {:.0} records/s ({})", t.0, t.1, t.2);
    println!("JSON     : {:.1} MB/s, {:.0} records/s ({})", j.0, j.1, j.2);
    println!("text / JSON per byte: {:.2}x", t.0 / j.0);
}

/// Best MB/s over `runs`, with records/s and the format read.
fn best(path: &Path, runs: usize) -> (f64, f64, String) {
    let format = sniff_file(path).expect("sniff").expect("a known format");
    let size = std::fs::metadata(path).expect("size").len() as f64;
    let mut best = (0.0f64, 0.0f64);
    for _ in 0..runs {
        let start = Instant::now();
        let summary = read_file(path, format, 1, |_| Ok(())).expect("read_file");
        let secs = start.elapsed().as_secs_f64();
        if size / secs / 1e6 > best.0 {
            best = (size / secs / 1e6, summary.records as f64 / secs);
        }
    }
    (best.0, best.1, format.id().to_owned())
}
