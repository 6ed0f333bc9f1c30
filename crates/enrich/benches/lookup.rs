//! Lookups per second of [`Enricher::lookup`].
//!
//! `cargo bench -p mailcase-enrich --bench lookup [-- DIR]`: DIR is a database
//! directory (for instance the output of `scripts/setup-geoip.sh`), by default the
//! MaxMind test databases in `fixtures/geo`. Addresses are random (fixed seed), so
//! most fall in populated ranges only with real databases.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::time::Instant;

use mailcase_enrich::Enricher;

const LOOKUPS: usize = 1_000_000;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/geo"));
    let started = Instant::now();
    let enricher = match Enricher::open_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot open {}: {e}", dir.display());
            std::process::exit(1);
        }
    };
    println!(
        "opened {} database(s) from {} in {:?}",
        enricher.databases().len(),
        dir.display(),
        started.elapsed()
    );
    for info in enricher.databases() {
        println!(
            "  {} ({}, {})",
            info.file_name,
            info.kind.as_str(),
            info.database_type
        );
    }
    let mut rng = fastrand::Rng::with_seed(0x6d61_696c);
    let v4: Vec<IpAddr> = (0..LOOKUPS)
        .map(|_| IpAddr::V4(Ipv4Addr::from(rng.u32(..))))
        .collect();
    let v6: Vec<IpAddr> = (0..LOOKUPS)
        .map(|_| IpAddr::V6(Ipv6Addr::from(rng.u128(..) >> 3 | (1u128 << 125))))
        .collect();
    measure("empty enricher, IPv4", &Enricher::empty(), &v4);
    measure("IPv4", &enricher, &v4);
    measure("IPv6 (2000::/3)", &enricher, &v6);
}

fn measure(label: &str, enricher: &Enricher, addresses: &[IpAddr]) {
    let started = Instant::now();
    let mut found = 0usize;
    for ip in addresses {
        let geo = black_box(enricher.lookup(*ip));
        found += usize::from(geo.country.is_some() || geo.asn.is_some());
    }
    let seconds = started.elapsed().as_secs_f64();
    let rate = addresses.len() as f64 / seconds.max(f64::EPSILON);
    println!(
        "{label}: {rate:.0} lookups/s ({found} of {} found)",
        addresses.len()
    );
}
