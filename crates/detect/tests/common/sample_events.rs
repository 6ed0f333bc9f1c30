//! Generated sample evidence as events, for the analytics tests and the detection bench:
//! every export of a sample directory read by the real parsers, in time order, and a
//! stand-in enrichment from the ground truth (the sample's addresses are real allocations
//! that the small test databases do not cover).

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;

use mailcase_model::{Event, Geo, NetClass};

/// Country, AS number and AS organisation of the addresses the ground truth names.
pub type Known = HashMap<IpAddr, (String, u32, String)>;

/// Adds one address of the ground truth to `known` (unparsable ones are skipped).
pub fn know(known: &mut Known, ip: &str, country: &str, asn: u32, org: &str) {
    if let Ok(addr) = ip.parse() {
        known.insert(addr, (country.to_owned(), asn, org.to_owned()));
    }
}

/// Geo data from `known`; every other public address is taken as a French residential
/// network (AS3215), which is what the sample draws them from.
pub fn enrich(event: &mut Event, known: &Known) {
    let Some(ip) = event.client.ip else { return };
    let private = match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback(),
    };
    let (country, asn, org) = known.get(&ip).cloned().unwrap_or_else(|| ("FR".to_owned(), 3215, "Orange S.A.".to_owned()));
    event.geo = Some(if private {
        Geo { net_class: NetClass::Private, ..Geo::default() }
    } else {
        Geo { country: Some(country), asn: Some(asn), as_org: Some(org), net_class: NetClass::Public }
    });
}

/// Every export of a sample directory (not its ground truth), parsed, in time order.
pub fn read_sample(dir: &Path) -> Vec<Event> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("sample directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "ground-truth.json"))
        .collect();
    paths.sort();
    let mut events = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let Some(format) = mailcase_sources::sniff_file(path).expect("sniff") else { continue };
        mailcase_sources::read_file(path, format, i as i64 + 1, |batch| {
            events.extend(batch.events);
            Ok(())
        })
        .expect("read");
    }
    events.sort_by_key(|e| (e.time, e.id));
    events
}
