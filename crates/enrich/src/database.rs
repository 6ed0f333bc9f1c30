//! The databases an [`crate::Enricher`] reads: recognising them, describing them,
//! and looking an address up in one of them.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use maxminddb::{Reader, WithinOptions};
use serde::Deserialize;

use crate::EnrichError;
use crate::asn_table::{AsnTable, MAGIC};

/// What a database tells about an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DatabaseKind {
    /// Country of each network.
    Country,
    /// City-level location (the enricher uses the country only).
    City,
    /// Autonomous system number and organisation.
    Asn,
}

impl DatabaseKind {
    /// The stable name: `country`, `city` or `asn`.
    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseKind::Country => "country",
            DatabaseKind::City => "city",
            DatabaseKind::Asn => "asn",
        }
    }

    fn has_country(self) -> bool {
        matches!(self, DatabaseKind::Country | DatabaseKind::City)
    }
}

/// A database in use, as reports describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DatabaseInfo {
    /// File name, without the directory.
    pub file_name: String,
    /// Full path as opened.
    pub path: PathBuf,
    /// What it tells.
    pub kind: DatabaseKind,
    /// The MaxMind `database_type` (`GeoLite2-Country`...), or `mailcase-asn-table`.
    pub database_type: String,
    /// When the data was built, if the file says.
    pub built: Option<DateTime<Utc>>,
    /// The file's own description (English when there are several).
    pub description: String,
    /// Number of ranges, for formats where it is known (the ASN table).
    pub records: Option<u64>,
    /// The attribution the data's licence asks for.
    pub attribution: String,
}

/// What one database says about one address.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Answer {
    pub country: Option<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
}

/// An opened database.
pub(crate) enum Database {
    Mmdb {
        reader: Reader<Vec<u8>>,
        kind: DatabaseKind,
    },
    Table(AsnTable),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Mmdb { kind, .. } => write!(f, "Mmdb({})", kind.as_str()),
            Database::Table(t) => write!(f, "AsnTable({} ranges)", t.len()),
        }
    }
}

/// The fields of MaxMind and ip-location-db records the enricher reads; the rest of
/// each record is skipped by the decoder.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    country: Option<IsoCode<'a>>,
    #[serde(borrow, default)]
    registered_country: Option<IsoCode<'a>>,
    #[serde(borrow, default)]
    country_code: Option<&'a str>,
    #[serde(default)]
    autonomous_system_number: Option<u32>,
    #[serde(borrow, default)]
    autonomous_system_organization: Option<&'a str>,
}

#[derive(Deserialize)]
struct IsoCode<'a> {
    #[serde(borrow, default)]
    iso_code: Option<&'a str>,
}

impl<'a> Record<'a> {
    fn country(&self) -> Option<&'a str> {
        fn iso<'a>(code: &Option<IsoCode<'a>>) -> Option<&'a str> {
            code.as_ref().and_then(|c| c.iso_code)
        }
        iso(&self.country)
            .or(iso(&self.registered_country))
            .or(self.country_code)
    }

    fn into_answer(self) -> Answer {
        Answer {
            country: self.country().and_then(country_code),
            asn: self.autonomous_system_number.filter(|n| *n != 0),
            as_org: self.autonomous_system_organization.map(str::to_owned),
        }
    }
}

/// A country code as stored: two ASCII letters, upper-cased. Anything else is dropped
/// rather than passed on to reports.
fn country_code(code: &str) -> Option<String> {
    let ok = code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic());
    ok.then(|| code.to_ascii_uppercase())
}

impl Database {
    /// Opens `path` if it is a database; `Ok(None)` for other files.
    pub(crate) fn open(path: &Path) -> Result<Option<(Database, DatabaseInfo)>, EnrichError> {
        let Some(format) = sniff(path).map_err(|e| EnrichError::io(path, e))? else {
            return Ok(None);
        };
        let bytes = std::fs::read(path).map_err(|e| EnrichError::io(path, e))?;
        if format == Format::Table {
            let table = AsnTable::from_bytes(&bytes).map_err(|reason| EnrichError::AsnTable {
                path: path.to_path_buf(),
                reason,
            })?;
            let info = table_info(path, &table);
            return Ok(Some((Database::Table(table), info)));
        }
        let reader = Reader::from_source(bytes).map_err(|source| EnrichError::Mmdb {
            path: path.to_path_buf(),
            source,
        })?;
        let kind = mmdb_kind(path, &reader)?;
        let info = mmdb_info(path, &reader, kind);
        Ok(Some((Database::Mmdb { reader, kind }, info)))
    }

    pub(crate) fn has_country(&self) -> bool {
        matches!(self, Database::Mmdb { kind, .. } if kind.has_country())
    }

    pub(crate) fn has_asn(&self) -> bool {
        match self {
            Database::Mmdb { kind, .. } => *kind == DatabaseKind::Asn,
            Database::Table(_) => true,
        }
    }

    /// Looks `ip` up. A damaged record reads as "nothing known": lookups run on
    /// millions of events and one bad record must not stop them.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Answer {
        match self {
            Database::Mmdb { reader, .. } => reader
                .lookup(ip)
                .and_then(|r| r.decode::<Record<'_>>())
                .ok()
                .flatten()
                .map(Record::into_answer)
                .unwrap_or_default(),
            Database::Table(table) => match table.lookup(ip) {
                Some((asn, org)) if asn != 0 => Answer {
                    country: None,
                    asn: Some(asn),
                    as_org: org.map(str::to_owned),
                },
                _ => Answer::default(),
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Mmdb,
}

/// Files larger than this are not read into memory (GeoIP2 City is ~130 MiB).
const MAX_DATABASE_LEN: u64 = 2 << 30;
/// The MaxMind DB format places its metadata marker in the last 128 KiB.
const MMDB_METADATA_WINDOW: u64 = 128 * 1024;

/// Tells a database from other files by content (our magic, the MaxMind metadata
/// marker) or a `.mmdb` name, reading only the head and tail of the file. A
/// `.mmdb` file that turns out broken is then reported rather than skipped.
fn sniff(path: &Path) -> std::io::Result<Option<Format>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut head = [0u8; 8];
    let got = file.read(&mut head)?;
    if got == head.len() && &head == MAGIC {
        return Ok(Some(Format::Table));
    }
    let named_mmdb = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mmdb"));
    if len > MAX_DATABASE_LEN {
        return if named_mmdb {
            Err(std::io::Error::other(format!(
                "{len} bytes is too large a database to load"
            )))
        } else {
            Ok(None)
        };
    }
    file.seek(SeekFrom::Start(len.saturating_sub(MMDB_METADATA_WINDOW)))?;
    let mut tail = Vec::new();
    file.take(MMDB_METADATA_WINDOW).read_to_end(&mut tail)?;
    let marked = tail.windows(MMDB_MARKER.len()).any(|w| w == MMDB_MARKER);
    Ok((named_mmdb || marked).then_some(Format::Mmdb))
}

const MMDB_MARKER: &[u8] = b"\xAB\xCD\xEFMaxMind.com";

/// Recognises the database from its `database_type`, else from the shape of its
/// first records.
fn mmdb_kind(path: &Path, reader: &Reader<Vec<u8>>) -> Result<DatabaseKind, EnrichError> {
    let database_type = reader.metadata().database_type.to_ascii_lowercase();
    if database_type.contains("asn") || database_type.contains("isp") {
        return Ok(DatabaseKind::Asn);
    }
    if database_type.contains("city") || database_type.contains("enterprise") {
        return Ok(DatabaseKind::City);
    }
    if database_type.contains("country") {
        return Ok(DatabaseKind::Country);
    }
    probe_kind(reader).ok_or_else(|| EnrichError::UnsupportedDatabase {
        path: path.to_path_buf(),
        database_type: reader.metadata().database_type.clone(),
    })
}

/// How many records to read when the type name says nothing useful.
const PROBE_RECORDS: usize = 64;

fn probe_kind(reader: &Reader<Vec<u8>>) -> Option<DatabaseKind> {
    let networks = reader.networks(WithinOptions::default()).ok()?;
    networks.take(PROBE_RECORDS).flatten().find_map(|found| {
        let record = found.decode::<Record<'_>>().ok().flatten()?;
        if record.country().is_some() {
            Some(DatabaseKind::Country)
        } else {
            record.autonomous_system_number.map(|_| DatabaseKind::Asn)
        }
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn epoch(secs: u64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(i64::try_from(secs).ok()?, 0)
}

fn mmdb_info(path: &Path, reader: &Reader<Vec<u8>>, kind: DatabaseKind) -> DatabaseInfo {
    let meta = reader.metadata();
    let description = meta
        .description
        .get("en")
        .or_else(|| meta.description.values().next())
        .cloned()
        .unwrap_or_default();
    DatabaseInfo {
        file_name: file_name(path),
        path: path.to_path_buf(),
        kind,
        database_type: meta.database_type.clone(),
        built: epoch(meta.build_epoch),
        description,
        records: None,
        attribution: mmdb_attribution(path, &meta.database_type),
    }
}

/// Attribution for MaxMind data as MaxMind asks for it; for other providers, the
/// `ATTRIBUTION.txt` written beside the file by the importer, when there is one.
fn mmdb_attribution(path: &Path, database_type: &str) -> String {
    if database_type.starts_with("GeoLite2") {
        return "This product includes GeoLite2 data created by MaxMind, available from \
                https://www.maxmind.com."
            .into();
    }
    if database_type.starts_with("GeoIP2") {
        return "This product includes GeoIP2 data created by MaxMind, available from \
                https://www.maxmind.com."
            .into();
    }
    path.parent()
        .and_then(read_attribution_file)
        .unwrap_or_default()
}

/// Bound on the attribution file read from a database directory.
const MAX_ATTRIBUTION_LEN: usize = 16 * 1024;

fn read_attribution_file(dir: &Path) -> Option<String> {
    let text = std::fs::read(dir.join(crate::ip_location_db::ATTRIBUTION_FILE)).ok()?;
    let text = text.get(..MAX_ATTRIBUTION_LEN).unwrap_or(&text);
    Some(String::from_utf8_lossy(text).trim().to_owned())
}

fn table_info(path: &Path, table: &AsnTable) -> DatabaseInfo {
    DatabaseInfo {
        file_name: file_name(path),
        path: path.to_path_buf(),
        kind: DatabaseKind::Asn,
        database_type: "mailcase-asn-table".into(),
        built: epoch(table.build_epoch()),
        description: table.description().to_owned(),
        records: u64::try_from(table.len()).ok(),
        attribution: table.attribution().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(json: &str) -> Answer {
        serde_json::from_str::<Record<'_>>(json)
            .expect("test record")
            .into_answer()
    }

    #[test]
    fn country_then_registered_country_then_country_code() {
        let both = r#"{"country":{"iso_code":"GB"},"registered_country":{"iso_code":"FR"}}"#;
        assert_eq!(answer(both).country.as_deref(), Some("GB"));
        let registered = r#"{"registered_country":{"iso_code":"fr","names":{"en":"France"}}}"#;
        assert_eq!(answer(registered).country.as_deref(), Some("FR"));
        assert_eq!(
            answer(r#"{"country_code":"DE"}"#).country.as_deref(),
            Some("DE")
        );
        assert_eq!(answer(r#"{"country":{"names":{}}}"#).country, None);
    }

    #[test]
    fn odd_values_are_dropped() {
        assert_eq!(answer(r#"{"country_code":"<script>"}"#).country, None);
        assert_eq!(answer(r#"{"country_code":"1A"}"#).country, None);
        let zero = answer(r#"{"autonomous_system_number":0,"autonomous_system_organization":"x"}"#);
        assert_eq!(zero.asn, None);
    }

    #[test]
    fn asn_record() {
        let a = answer(
            r#"{"autonomous_system_number":15169,"autonomous_system_organization":"Google LLC","isp":"Google"}"#,
        );
        assert_eq!(
            a,
            Answer {
                country: None,
                asn: Some(15169),
                as_org: Some("Google LLC".into())
            }
        );
    }
}
