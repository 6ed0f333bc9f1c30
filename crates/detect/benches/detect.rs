//! Detection throughput: the shipped rule pack, then the shipped pack plus the public
//! SigmaHQ cloud rules (when `../shared/fixtures/sigmahq_cloud/rules` is present), over a
//! generated sample; single-event matching on one thread and on all cores, then the
//! sequential part (correlations and analytics).
//!
//! `cargo bench -p mailcase-detect --bench detect -- [MB]` (default 100 MB of evidence).
//! Prints events/s and MB/s of raw records.

use std::path::Path;
use std::time::Instant;

#[path = "../tests/common/sample_events.rs"]
mod sample_events;

use mailcase_detect::analytics::{Analytics, AnalyticsConfig};
use mailcase_detect::sigma::{RuleMatch, RuleSet};
use mailcase_model::Event;
use mailcase_sample::{SampleOptions, generate};
use rayon::prelude::*;
use sample_events::read_sample;

fn main() {
    let mb: u64 = std::env::args().skip(1).find(|a| !a.starts_with("--")).and_then(|a| a.parse().ok()).unwrap_or(100);
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = SampleOptions { target_bytes: Some(mb << 20), ..SampleOptions::default() };
    let truth = generate(&opts, dir.path()).expect("sample");
    let events = read_sample(dir.path());
    let raw_bytes: usize = events.iter().map(|e| e.raw.as_str().len()).sum();
    println!("{} events, {:.1} MB of raw records, {} threads", events.len(), mb_of(raw_bytes), rayon::current_num_threads());

    let (shipped, _) = mailcase_detect::shipped::shipped_rules();
    run("shipped pack", &shipped, &events, raw_bytes);
    let sigmahq = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/sigmahq_cloud/rules");
    if sigmahq.is_dir() {
        let (mut all, _) = mailcase_detect::shipped::shipped_rules();
        let (public, _) = RuleSet::load_dirs(&[sigmahq.as_path()]);
        let _ = all.merge(public);
        run("shipped + SigmaHQ cloud", &all, &events, raw_bytes);
    } else {
        println!("SigmaHQ cloud rules not found at {}: skipped", sigmahq.display());
    }

    let t = Instant::now();
    let mut analytics = Analytics::new(AnalyticsConfig::with_org_domains([&truth.organisation.domain]));
    for e in &events {
        analytics.feed(e);
    }
    let findings = analytics.finish();
    report("analytics (sequential)", events.len(), raw_bytes, t);
    println!("  {} analytic findings", findings.len());
}

fn run(name: &str, rules: &RuleSet, events: &[Event], raw_bytes: usize) {
    println!("{name}: {} rules", rules.rules().len());
    let t = Instant::now();
    let mut m = rules.matcher();
    let hits: usize = events.iter().map(|e| m.matches(e).len()).sum();
    report("  match, 1 thread", events.len(), raw_bytes, t);
    let t = Instant::now();
    let per_event: Vec<Vec<RuleMatch>> =
        events.par_chunks(4096).flat_map_iter(|chunk| {
            let mut m = rules.matcher();
            chunk.iter().map(|e| m.matches(e)).collect::<Vec<_>>()
        }).collect();
    report("  match, all cores", events.len(), raw_bytes, t);
    let t = Instant::now();
    let mut m = rules.matcher();
    let fired: usize = events.iter().zip(&per_event).map(|(e, h)| m.feed_correlations(e, h).len()).sum();
    report("  correlations", events.len(), raw_bytes, t);
    println!("  {hits} matches, {fired} correlation firings");
}

fn report(what: &str, events: usize, raw_bytes: usize, since: Instant) {
    let s = since.elapsed().as_secs_f64().max(1e-9);
    println!("{what:<28} {:>8.3} s {:>10.0} events/s {:>8.1} MB/s", s, events as f64 / s, mb_of(raw_bytes) / s);
}

fn mb_of(bytes: usize) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

