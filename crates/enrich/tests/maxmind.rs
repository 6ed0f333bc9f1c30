//! Lookups in the MaxMind test databases, checked against the JSON they were built from.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use mailcase_enrich::{DatabaseKind, EnrichError, Enricher, net_class};
use mailcase_model::{Geo, NetClass};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/geo")
        .join(name)
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

fn open(names: &[&str]) -> Enricher {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    Enricher::open_files(&paths).expect("test databases open")
}

/// Every network of a JSON source with its record, keyed by the network's first
/// address, skipping the addresses the enricher does not look up.
fn json_networks(name: &str) -> Vec<(IpAddr, Value)> {
    let text = std::fs::read_to_string(fixture(name)).expect("JSON source");
    let list: Vec<serde_json::Map<String, Value>> = serde_json::from_str(&text).expect("JSON list");
    let mut out = Vec::new();
    for entry in list {
        for (network, record) in entry {
            let first = network.split('/').next().expect("network text");
            let address = ip(first);
            if net_class(address) == NetClass::Public {
                out.push((address, record));
            }
        }
    }
    out
}

fn text(record: &Value, pointer: &str) -> Option<String> {
    record
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[test]
fn every_country_network_matches_its_source() {
    let enricher = open(&["GeoLite2-Country-Test.mmdb"]);
    let networks = json_networks("GeoLite2-Country-Test.json");
    assert!(networks.len() > 200, "only {} networks", networks.len());
    for (address, record) in networks {
        let expected = text(&record, "/country/iso_code")
            .or_else(|| text(&record, "/registered_country/iso_code"));
        let geo = enricher.lookup(address);
        assert_eq!(geo.country, expected, "{address}");
        assert_eq!(geo.asn, None, "a country database gives no ASN");
    }
}

#[test]
fn every_asn_network_matches_its_source() {
    let enricher = open(&["GeoLite2-ASN-Test.mmdb"]);
    let networks = json_networks("GeoLite2-ASN-Test.json");
    assert!(networks.len() > 700, "only {} networks", networks.len());
    for (address, record) in networks {
        let geo = enricher.lookup(address);
        let asn = record
            .pointer("/autonomous_system_number")
            .and_then(Value::as_u64);
        assert_eq!(geo.asn.map(u64::from), asn, "{address}");
        assert_eq!(
            geo.as_org,
            text(&record, "/autonomous_system_organization"),
            "{address}"
        );
        assert_eq!(geo.country, None);
    }
}

#[test]
fn known_addresses_in_country_asn_and_city_databases() {
    let enricher = open(&["GeoLite2-City-Test.mmdb", "GeoLite2-ASN-Test.mmdb"]);
    let london = enricher.lookup(ip("81.2.69.142"));
    assert_eq!(london.country.as_deref(), Some("GB"));
    let telstra = enricher.lookup(ip("1.128.0.1"));
    assert_eq!(
        telstra,
        Geo {
            country: None,
            asn: Some(1221),
            as_org: Some("Telstra Pty Ltd".into()),
            net_class: NetClass::Public
        }
    );
    assert_eq!(
        enricher.lookup(ip("2001:218::1")).country.as_deref(),
        Some("JP")
    );
    assert_eq!(
        enricher.lookup(ip("::ffff:81.2.69.142")).country.as_deref(),
        Some("GB")
    );
    // `country` (BT) wins over `registered_country` (RO).
    assert_eq!(
        enricher.lookup(ip("67.43.156.1")).country.as_deref(),
        Some("BT")
    );
}

#[test]
fn kinds_are_recognised_from_metadata() {
    let enricher = open(&[
        "GeoLite2-City-Test.mmdb",
        "GeoLite2-Country-Test.mmdb",
        "GeoLite2-ASN-Test.mmdb",
        "GeoIP2-ISP-Test.mmdb",
    ]);
    let kinds: Vec<DatabaseKind> = enricher.databases().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DatabaseKind::City,
            DatabaseKind::Country,
            DatabaseKind::Asn,
            DatabaseKind::Asn
        ]
    );
    let first = enricher.databases().first().expect("one database");
    assert_eq!(first.file_name, "GeoLite2-City-Test.mmdb");
    assert_eq!(first.database_type, "GeoLite2-City");
    assert!(first.built.is_some());
    assert!(
        first
            .attribution
            .contains("GeoLite2 data created by MaxMind")
    );
}

#[test]
fn isp_database_gives_the_asn() {
    let geo = open(&["GeoIP2-ISP-Test.mmdb"]).lookup(ip("1.128.0.1"));
    assert_eq!(geo.asn, Some(1221));
    assert_eq!(geo.as_org.as_deref(), Some("Telstra Pty Ltd"));
}

#[test]
fn open_dir_reads_every_database_and_ignores_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["GeoLite2-Country-Test.mmdb", "GeoLite2-ASN-Test.mmdb"] {
        std::fs::copy(fixture(name), dir.path().join(name)).expect("copy");
    }
    std::fs::write(dir.path().join("README.txt"), "not a database").expect("write");
    let enricher = Enricher::open_dir(dir.path()).expect("opens");
    assert_eq!(enricher.databases().len(), 2);
    let geo = enricher.lookup(ip("2.125.160.217"));
    assert_eq!(geo.country.as_deref(), Some("GB"));
    let geo = enricher.lookup(ip("12.81.92.1"));
    assert_eq!(
        (geo.asn, geo.as_org.as_deref()),
        (Some(7018), Some("AT&T Services"))
    );
}

#[test]
fn private_and_reserved_addresses_are_not_looked_up() {
    let enricher = open(&["GeoLite2-Country-Test.mmdb", "GeoLite2-ASN-Test.mmdb"]);
    for (address, class) in [
        ("10.0.0.1", NetClass::Private),
        ("127.0.0.1", NetClass::Loopback),
        ("2001:db8::1", NetClass::Reserved),
    ] {
        assert_eq!(
            enricher.lookup(ip(address)),
            Geo {
                net_class: class,
                ..Geo::default()
            }
        );
    }
}

#[test]
fn corrupt_databases_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage = dir.path().join("broken.mmdb");
    std::fs::write(&garbage, b"this is not a database").expect("write");
    let err = Enricher::open_dir(dir.path()).expect_err("must fail");
    assert!(matches!(err, EnrichError::Mmdb { .. }), "{err:?}");
    assert!(err.to_string().contains("broken.mmdb"), "{err}");

    let real = std::fs::read(fixture("GeoLite2-Country-Test.mmdb")).expect("read");
    let truncated = dir.path().join("half.mmdb");
    std::fs::write(&truncated, real.get(..real.len() / 2).expect("half")).expect("write");
    let err = Enricher::open_files(&[truncated]).expect_err("must fail");
    assert!(err.to_string().contains("half.mmdb"), "{err}");
}

#[test]
fn missing_directory_is_an_error() {
    let err = Enricher::open_dir(Path::new("/nonexistent/mailcase-geo")).expect_err("must fail");
    assert!(
        err.to_string().contains("/nonexistent/mailcase-geo"),
        "{err}"
    );
}
