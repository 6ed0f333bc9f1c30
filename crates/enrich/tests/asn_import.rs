//! The ip-location-db import and the ASN table, from small hand-written inputs.

use std::net::IpAddr;
use std::path::Path;

use chrono::{DateTime, Utc};
use mailcase_enrich::ip_location_db::{self, ASN_TABLE_FILE};
use mailcase_enrich::{DatabaseKind, EnrichError, Enricher};
use mailcase_model::{Action, Event, EvidenceRef, NetClass, RawRecord, SourceKind};

const IPV4_CSV: &str = "\
1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"
8.8.4.0,8.8.4.255,15169,Google LLC
8.8.8.0,8.8.8.255,15169,Google LLC
not-an-ip,9.9.9.9,1,Bad Row
9.9.9.0,9.9.9.255,notanumber,Bad ASN
81.2.69.0,81.2.69.127,20712,Andrews & Arnold Ltd
81.2.69.0,81.2.69.10,1,Overlapping Row
";

const IPV6_CSV: &str = "\
2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC
2a01:cb00::,2a01:cbff:ffff:ffff:ffff:ffff:ffff:ffff,3215,Orange S.A.
";

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

/// A source directory laid out like the extracted npm package.
fn source_dir(root: &Path) -> std::path::PathBuf {
    let package = root.join("asn").join("package");
    std::fs::create_dir_all(&package).expect("mkdir");
    std::fs::write(package.join("asn-ipv4.csv"), IPV4_CSV).expect("write");
    std::fs::write(package.join("asn-ipv6.csv"), IPV6_CSV).expect("write");
    let manifest = r#"{"name": "@ip-location-db/asn", "version": "2.3.2026061719"}"#;
    std::fs::write(package.join("package.json"), manifest).expect("write");
    root.to_path_buf()
}

fn imported() -> (tempfile::TempDir, Enricher, ip_location_db::ImportSummary) {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = source_dir(&dir.path().join("src"));
    let out = dir.path().join("out");
    let summary = ip_location_db::import(&src, &out).expect("import");
    let enricher = Enricher::open_dir(&out).expect("open");
    (dir, enricher, summary)
}

#[test]
fn summary_counts_ranges_and_bad_rows() {
    let (dir, _, summary) = imported();
    assert_eq!((summary.ipv4_ranges, summary.ipv6_ranges), (4, 2));
    assert_eq!(summary.skipped_rows, 2);
    assert_eq!(summary.overlapping_ranges, 1);
    assert_eq!(summary.row_errors.len(), 2);
    assert!(
        summary
            .row_errors
            .iter()
            .any(|e| e.contains("asn-ipv4.csv:4:")),
        "{:?}",
        summary.row_errors
    );
    assert!(
        summary
            .row_errors
            .iter()
            .any(|e| e.contains("asn-ipv4.csv:5:") && e.contains("notanumber"))
    );
    assert!(summary.country_databases.is_empty());
    assert_eq!(
        summary.asn_table,
        Some(dir.path().join("out").join(ASN_TABLE_FILE))
    );
    let attribution = std::fs::read_to_string(&summary.attribution).expect("attribution");
    for needle in [
        "CC BY 4.0",
        "NRO",
        "RouteViews",
        "DB-IP",
        "CC0",
        "@ip-location-db/asn@2.3.2026061719",
    ] {
        assert!(
            attribution.contains(needle),
            "{needle} missing from {attribution}"
        );
    }
}

#[test]
fn lookups_at_range_edges() {
    let (_dir, e, _) = imported();
    let asn = |s: &str| e.lookup(ip(s)).asn;
    assert_eq!(asn("0.255.255.255"), None);
    assert_eq!(asn("1.0.0.0"), Some(13335));
    assert_eq!(asn("1.0.0.255"), Some(13335));
    assert_eq!(asn("1.0.1.0"), None);
    assert_eq!(asn("8.8.4.255"), Some(15169));
    assert_eq!(asn("8.8.5.0"), None);
    assert_eq!(asn("8.8.7.255"), None);
    assert_eq!(asn("8.8.8.0"), Some(15169));
    assert_eq!(
        asn("81.2.69.5"),
        Some(20712),
        "the earlier range wins over an overlapping one"
    );
    assert_eq!(asn("9.9.9.9"), None, "bad rows are skipped");
    assert_eq!(asn("2001:4860::"), Some(15169));
    assert_eq!(asn("2001:4860:ffff:ffff:ffff:ffff:ffff:ffff"), Some(15169));
    assert_eq!(asn("2001:4861::"), None);
    assert_eq!(asn("2001:485f:ffff:ffff:ffff:ffff:ffff:ffff"), None);
    let orange = e.lookup(ip("2a01:cb08::1"));
    assert_eq!(
        (orange.asn, orange.as_org.as_deref()),
        (Some(3215), Some("Orange S.A."))
    );
    let cloudflare = e.lookup(ip("::ffff:1.0.0.1"));
    assert_eq!(cloudflare.as_org.as_deref(), Some("Cloudflare, Inc."));
    assert_eq!(
        e.lookup(ip("64:ff9b::808:808")).asn,
        Some(15169),
        "NAT64 embeds 8.8.8.8"
    );
}

#[test]
fn table_is_described_for_reports() {
    let (_dir, e, _) = imported();
    let info = e.databases().first().expect("one database");
    assert_eq!(e.databases().len(), 1, "ATTRIBUTION.txt is not a database");
    assert_eq!(info.kind, DatabaseKind::Asn);
    assert_eq!(info.file_name, ASN_TABLE_FILE);
    assert_eq!(info.records, Some(6));
    assert!(
        info.description
            .contains("@ip-location-db/asn@2.3.2026061719"),
        "{}",
        info.description
    );
    assert!(info.attribution.contains("CC BY 4.0"));
    let built: DateTime<Utc> = "2026-06-17T19:00:00Z".parse().expect("time");
    assert_eq!(
        info.built,
        Some(built),
        "the build time comes from the package version"
    );
}

#[test]
fn importing_twice_gives_the_same_bytes() {
    let (dir, _, first) = imported();
    let table = first.asn_table.expect("table");
    let before = std::fs::read(&table).expect("read");
    ip_location_db::import(&dir.path().join("src"), &dir.path().join("out")).expect("import");
    assert_eq!(std::fs::read(&table).expect("read"), before);
}

#[test]
fn enrich_sets_geo_from_the_client_address() {
    let (_dir, e, _) = imported();
    let evidence = EvidenceRef {
        evidence: 1,
        record: 1,
    };
    let action = Action::Other {
        operation: "Test".into(),
    };
    let mut event = Event::new(
        evidence,
        Utc::now(),
        SourceKind::M365Ual,
        action,
        RawRecord("{}".into()),
    );
    e.enrich(&mut event);
    assert_eq!(event.geo, None, "no address, no geo");
    event.client.ip = Some(ip("8.8.8.8"));
    e.enrich(&mut event);
    let geo = event.geo.clone().expect("geo");
    assert_eq!((geo.asn, geo.net_class), (Some(15169), NetClass::Public));
    event.client.ip = Some(ip("192.168.1.10"));
    e.enrich(&mut event);
    assert_eq!(
        event.geo.map(|g| (g.asn, g.net_class)),
        Some((None, NetClass::Private))
    );
}

#[test]
fn damaged_table_is_an_error_naming_the_file() {
    let (dir, _, summary) = imported();
    let table = summary.asn_table.expect("table");
    let bytes = std::fs::read(&table).expect("read");
    std::fs::write(&table, bytes.get(..bytes.len() - 100).expect("cut")).expect("write");
    let err = Enricher::open_dir(&dir.path().join("out")).expect_err("must fail");
    assert!(matches!(err, EnrichError::AsnTable { .. }), "{err:?}");
    assert!(err.to_string().contains(ASN_TABLE_FILE), "{err}");
}

#[test]
fn empty_source_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = ip_location_db::import(dir.path(), &dir.path().join("out")).expect_err("must fail");
    assert!(
        matches!(err, EnrichError::NothingToImport { .. }),
        "{err:?}"
    );
}
