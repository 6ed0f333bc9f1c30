//! Import of the real ip-location-db packages from `../shared/fixtures/geo`.
//!
//! The tarballs are not part of the repository (the set-up script fetches them), so
//! this test skips, saying why, when they or `tar` are absent.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use mailcase_enrich::{DatabaseKind, Enricher, ip_location_db};

const PACKAGES: [&str; 2] = [
    "ip-location-db-geo-whois-asn-country-mmdb-2.3.2026061719.tgz",
    "ip-location-db-asn-2.3.2026061719.tgz",
];

fn shared_geo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/geo")
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

/// Extracts each tarball into its own folder under `src`; false when impossible.
fn extract(src: &Path) -> bool {
    for package in PACKAGES {
        let tarball = shared_geo().join(package);
        if !tarball.is_file() {
            eprintln!("skipped: {} is absent", tarball.display());
            return false;
        }
        let target = src.join(package.trim_end_matches(".tgz"));
        std::fs::create_dir_all(&target).expect("mkdir");
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&target)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("skipped: could not extract {} with tar", tarball.display());
            return false;
        }
    }
    true
}

#[test]
fn real_packages_import_and_answer_well_known_addresses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (src, out) = (dir.path().join("src"), dir.path().join("out"));
    if !extract(&src) {
        return;
    }
    let summary = ip_location_db::import(&src, &out).expect("import");
    assert!(summary.ipv4_ranges > 300_000, "{summary:?}");
    assert!(summary.ipv6_ranges > 80_000, "{summary:?}");
    assert_eq!(summary.skipped_rows, 0, "{:?}", summary.row_errors);
    assert_eq!(summary.country_databases.len(), 1);

    let e = Enricher::open_dir(&out).expect("open");
    let kinds: Vec<DatabaseKind> = e.databases().iter().map(|d| d.kind).collect();
    assert!(
        kinds.contains(&DatabaseKind::Country) && kinds.contains(&DatabaseKind::Asn),
        "{kinds:?}"
    );

    let google = e.lookup(ip("8.8.8.8"));
    assert_eq!(google.country.as_deref(), Some("US"));
    assert_eq!(
        (google.asn, google.as_org.as_deref()),
        (Some(15169), Some("Google LLC"))
    );
    let cloudflare = e.lookup(ip("1.1.1.1"));
    assert_eq!(
        (cloudflare.asn, cloudflare.as_org.as_deref()),
        (Some(13335), Some("Cloudflare, Inc."))
    );
    let renater = e.lookup(ip("193.51.224.1"));
    assert_eq!(
        (renater.country.as_deref(), renater.asn),
        (Some("FR"), Some(2200))
    );
    let google6 = e.lookup(ip("2001:4860:4860::8888"));
    assert_eq!(google6.asn, Some(15169));
    assert!(google6.country.is_some());
    let orange6 = e.lookup(ip("2a01:cb00::1"));
    assert_eq!(
        (orange6.country.as_deref(), orange6.asn),
        (Some("FR"), Some(5511))
    );
}
