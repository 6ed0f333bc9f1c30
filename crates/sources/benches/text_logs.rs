//! Text logs against JSON: `read_file` throughput per byte on a syslog-type file and on a
//! Management-API JSON lines file, on the same machine and run.
//!
//! `MAILCASE_BENCH_TEXT_FILE=mail.log MAILCASE_BENCH_FILE=ual.jsonl cargo bench -p
//! mailcase-sources --bench text_logs` (benches/text_logs.sh makes both files).
//!
//! Wall-clock MB/s is the best of `MAILCASE_BENCH_RUNS` runs; the CPU time (all threads,
//! from `/proc/self/stat` on Linux) is the least over the runs too, so that a machine
//! shared with other work still gives a comparable per-byte cost.

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
    for (name, m) in [("text log", &t), ("JSON    ", &j)] {
        println!(
            "{name} : {:.1} MB/s, {:.0} records/s, CPU {:.2} s/GB ({} MB/s per CPU-second) ({})",
            m.mb_per_s,
            m.records_per_s,
            m.cpu_s_per_gb,
            per_cpu(m),
            m.format
        );
    }
    println!("text / JSON per byte: {:.2}x wall, {:.2}x CPU", t.mb_per_s / j.mb_per_s, j.cpu_s_per_gb / t.cpu_s_per_gb);
}

fn per_cpu(m: &Measure) -> String {
    if m.cpu_s_per_gb > 0.0 { format!("{:.0}", 1000.0 / m.cpu_s_per_gb) } else { "?".into() }
}

/// The best figures over the runs of one file.
struct Measure {
    mb_per_s: f64,
    records_per_s: f64,
    /// CPU seconds (user + system, all threads) per GB; 0 when unknown.
    cpu_s_per_gb: f64,
    format: String,
}

fn best(path: &Path, runs: usize) -> Measure {
    let format = sniff_file(path).expect("sniff").expect("a known format");
    let size = std::fs::metadata(path).expect("size").len() as f64;
    let mut m = Measure { mb_per_s: 0.0, records_per_s: 0.0, cpu_s_per_gb: f64::INFINITY, format: format.id().to_owned() };
    for _ in 0..runs {
        let cpu = cpu_seconds();
        let start = Instant::now();
        let summary = read_file(path, format, 1, |_| Ok(())).expect("read_file");
        let secs = start.elapsed().as_secs_f64();
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            m.cpu_s_per_gb = m.cpu_s_per_gb.min((after - before) / size * 1e9);
        }
        if size / secs / 1e6 > m.mb_per_s {
            m.mb_per_s = size / secs / 1e6;
            m.records_per_s = summary.records as f64 / secs;
        }
    }
    if !m.cpu_s_per_gb.is_finite() {
        m.cpu_s_per_gb = 0.0;
    }
    m
}

/// User + system CPU time of this process so far (Linux; 100 ticks per second).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the `(comm)`, which may hold spaces: utime and stime are 14 and 15.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    Some((ticks(11)? + ticks(12)?) / 100.0)
}
