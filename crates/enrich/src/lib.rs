//! Offline enrichment of client addresses: network class, country, autonomous system.
//!
//! An [`Enricher`] reads every database found in a directory: MaxMind GeoLite2 /
//! GeoIP2 Country, City, ASN and ISP databases, the ip-location-db country database,
//! and the compact ASN table built by [`ip_location_db::import`]. Private, loopback,
//! link-local and reserved addresses are classified by [`net_class`] and never looked
//! up. Nothing here touches the network.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod asn_table;
mod database;
mod error;
pub mod ip_location_db;
mod net_class;

use std::net::IpAddr;
use std::path::Path;

use mailcase_model::{Event, Geo, NetClass};

use crate::database::Database;
pub use crate::database::{DatabaseInfo, DatabaseKind};
pub use crate::error::EnrichError;
pub use crate::net_class::net_class;

/// Looks addresses up in the databases it holds. Read-only after opening, so one
/// instance can be shared by reference or `Arc` across threads.
#[derive(Debug, Default)]
pub struct Enricher {
    databases: Vec<Database>,
    infos: Vec<DatabaseInfo>,
}

impl Enricher {
    /// An enricher with no database: it gives the network class only.
    pub fn empty() -> Self {
        Enricher::default()
    }

    /// Opens every database in `dir` (not its sub-directories), in file name order.
    /// Other files (attribution texts, stamps, `*.partial` leftovers of an
    /// interrupted import) are ignored; a database file that
    /// cannot be read is an error naming it.
    pub fn open_dir(dir: &Path) -> Result<Self, EnrichError> {
        let entries = std::fs::read_dir(dir).map_err(|e| EnrichError::io(dir, e))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| EnrichError::io(dir, e))?;
            let is_file = entry
                .file_type()
                .map_err(|e| EnrichError::io(entry.path(), e))?
                .is_file();
            // Half-written files of an interrupted import are not databases yet.
            let partial = entry.file_name().to_string_lossy().ends_with(".partial");
            if is_file && !partial {
                paths.push(entry.path());
            }
        }
        paths.sort();
        Self::open_files(&paths)
    }

    /// Opens the given database files, in this order of preference. Files that are
    /// not databases are ignored.
    pub fn open_files<P: AsRef<Path>>(paths: &[P]) -> Result<Self, EnrichError> {
        let mut enricher = Enricher::empty();
        for path in paths {
            if let Some((database, info)) = Database::open(path.as_ref())? {
                enricher.databases.push(database);
                enricher.infos.push(info);
            }
        }
        Ok(enricher)
    }

    /// The databases in use, in order of preference.
    pub fn databases(&self) -> &[DatabaseInfo] {
        &self.infos
    }

    /// Everything known about `ip`. The country comes from the first database that
    /// gives one, the ASN and its organisation together from the first that gives an
    /// ASN. IPv4-mapped IPv6 addresses are looked up as IPv4, NAT64 addresses
    /// (`64:ff9b::/96`) by the IPv4 address they embed.
    pub fn lookup(&self, ip: IpAddr) -> Geo {
        let class = net_class(ip);
        let mut geo = Geo {
            net_class: class,
            ..Geo::default()
        };
        if class != NetClass::Public {
            return geo;
        }
        let ip = lookup_address(ip);
        for database in &self.databases {
            let wants_country = geo.country.is_none() && database.has_country();
            let wants_asn = geo.asn.is_none() && database.has_asn();
            if !wants_country && !wants_asn {
                continue;
            }
            let answer = database.lookup(ip);
            if wants_country {
                geo.country = answer.country;
            }
            if wants_asn && answer.asn.is_some() {
                geo.asn = answer.asn;
                geo.as_org = answer.as_org;
            }
            if geo.country.is_some() && geo.asn.is_some() {
                break;
            }
        }
        geo
    }

    /// Sets `event.geo` from the client address; `None` when the event has none.
    pub fn enrich(&self, event: &mut Event) {
        event.geo = event.client.ip.map(|ip| self.lookup(ip));
    }
}

/// The address to look up in databases: the IPv4 address inside IPv4-mapped and
/// NAT64 addresses (databases place no data under the NAT64 prefix).
fn lookup_address(ip: IpAddr) -> IpAddr {
    const NAT64_PREFIX: u128 = 0x0064_ff9b_0000_0000_0000_0000_0000_0000;
    match net_class::canonical(ip) {
        IpAddr::V6(v6) if u128::from(v6) >> 32 == NAT64_PREFIX >> 32 => {
            // The low 32 bits are the IPv4 address; truncation is the intent.
            IpAddr::V4(std::net::Ipv4Addr::from(u128::from(v6) as u32))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn empty_enricher_gives_the_class_only() {
        let e = Enricher::empty();
        assert!(e.databases().is_empty());
        assert_eq!(
            e.lookup(ip("8.8.8.8")),
            Geo {
                net_class: NetClass::Public,
                ..Geo::default()
            }
        );
        assert_eq!(e.lookup(ip("10.1.1.1")).net_class, NetClass::Private);
    }

    #[test]
    fn nat64_and_mapped_addresses_are_looked_up_as_ipv4() {
        assert_eq!(lookup_address(ip("64:ff9b::808:808")), ip("8.8.8.8"));
        assert_eq!(lookup_address(ip("::ffff:8.8.4.4")), ip("8.8.4.4"));
        assert_eq!(lookup_address(ip("2001:4860::1")), ip("2001:4860::1"));
    }

    #[test]
    fn enricher_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Enricher>();
    }
}
