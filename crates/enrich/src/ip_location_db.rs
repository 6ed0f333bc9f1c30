//! Import of the ip-location-db npm packages into a database directory.
//!
//! `@ip-location-db/geo-whois-asn-country-mmdb` ships a country database in MaxMind
//! format, which is copied as is. `@ip-location-db/asn` ships CSV files of inclusive
//! ranges, `start,end,asn,organisation`, one for IPv4 (`asn-ipv4.csv`) and one for
//! IPv6 (`asn-ipv6.csv`), which are converted into the compact table described in
//! [`crate::asn_table`]. Both packages are CC0; their data is CC BY 4.0 (NRO,
//! RouteViews, DB-IP), so an `ATTRIBUTION.txt` is written beside the files.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::EnrichError;
use crate::asn_table::{BuildStats, TableBuilder};
use crate::database::Database;

/// Name of the attribution text written into the output directory.
pub const ATTRIBUTION_FILE: &str = "ATTRIBUTION.txt";
/// Name of the ASN table written into the output directory.
pub const ASN_TABLE_FILE: &str = "asn.mcasn";
/// The combined IPv4 and IPv6 country database of the package.
const COUNTRY_MMDB: &str = "geo-whois-asn-country.mmdb";
/// The per-family country databases, used only when the combined one is absent.
const COUNTRY_MMDB_SPLIT: [&str; 2] = [
    "geo-whois-asn-country-ipv4.mmdb",
    "geo-whois-asn-country-ipv6.mmdb",
];
const ASN_CSV: [&str; 2] = ["asn-ipv4.csv", "asn-ipv6.csv"];
/// How deep to look under the source directory (`SRC/asn/package/asn-ipv4.csv`).
const MAX_DEPTH: usize = 4;
/// Bound on the number of CSV rows read, far above the real ~520,000.
const MAX_ROWS: u64 = 20_000_000;
/// How many bad rows are described in the summary (all are counted).
const MAX_ROW_ERRORS: usize = 20;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportSummary {
    /// Country databases copied into the output directory.
    pub country_databases: Vec<PathBuf>,
    /// The ASN table written, if ASN CSV files were found.
    pub asn_table: Option<PathBuf>,
    /// IPv4 ranges in the table.
    pub ipv4_ranges: usize,
    /// IPv6 ranges in the table.
    pub ipv6_ranges: usize,
    /// CSV rows that could not be read (described in `row_errors`, at most 20).
    pub skipped_rows: u64,
    /// Ranges dropped because they overlap an earlier one.
    pub overlapping_ranges: usize,
    /// The first bad rows, as `file:line: reason`.
    pub row_errors: Vec<String>,
    /// The attribution text written.
    pub attribution: PathBuf,
}

/// Imports the extracted packages found under `src_dir` into `out_dir` (created if
/// needed). Files are written under a temporary name and renamed, so a reader never
/// sees half a file.
pub fn import(src_dir: &Path, out_dir: &Path) -> Result<ImportSummary, EnrichError> {
    let found = find_files(src_dir)?;
    let country = country_sources(&found);
    let csvs: Vec<&PathBuf> = ASN_CSV.iter().filter_map(|n| found.get(*n)).collect();
    if country.is_empty() && csvs.is_empty() {
        return Err(EnrichError::NothingToImport {
            dir: src_dir.to_path_buf(),
            expected: format!("{COUNTRY_MMDB} or {}", ASN_CSV.join(", ")),
        });
    }
    std::fs::create_dir_all(out_dir).map_err(|e| EnrichError::io(out_dir, e))?;
    let mut summary = ImportSummary::default();
    let mut versions = Vec::new();
    for source in &country {
        versions.extend(package_version(source));
        summary
            .country_databases
            .push(copy_database(source, out_dir)?);
    }
    if let Some(first) = csvs.first() {
        versions.extend(package_version(first));
        let attribution = attribution_text(&versions);
        build_table(&csvs, out_dir, &attribution, &mut summary)?;
    }
    versions.sort();
    versions.dedup();
    summary.attribution = out_dir.join(ATTRIBUTION_FILE);
    write_atomically(&summary.attribution, attribution_text(&versions).as_bytes())?;
    Ok(summary)
}

fn country_sources(found: &HashMap<String, PathBuf>) -> Vec<PathBuf> {
    match found.get(COUNTRY_MMDB) {
        Some(path) => vec![path.clone()],
        None => COUNTRY_MMDB_SPLIT
            .iter()
            .filter_map(|n| found.get(*n).cloned())
            .collect(),
    }
}

/// The files of interest under `dir`, by name; the first found (in sorted walk
/// order) wins. Symbolic links are not followed.
fn find_files(dir: &Path) -> Result<HashMap<String, PathBuf>, EnrichError> {
    let wanted: Vec<&str> = [COUNTRY_MMDB]
        .into_iter()
        .chain(COUNTRY_MMDB_SPLIT)
        .chain(ASN_CSV)
        .collect();
    let mut found = HashMap::new();
    let mut pending = vec![(dir.to_path_buf(), 0usize)];
    while let Some((current, depth)) = pending.pop() {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&current).map_err(|e| EnrichError::io(&current, e))? {
            let entry = entry.map_err(|e| EnrichError::io(&current, e))?;
            let kind = entry
                .file_type()
                .map_err(|e| EnrichError::io(entry.path(), e))?;
            entries.push((entry.path(), kind));
        }
        entries.sort_by(|a, b| b.0.cmp(&a.0));
        for (path, kind) in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if kind.is_dir() && depth < MAX_DEPTH {
                pending.push((path, depth + 1));
            } else if kind.is_file() && wanted.contains(&name.as_str()) {
                found.entry(name).or_insert(path);
            }
        }
    }
    Ok(found)
}

/// Checks that the country database opens, then copies it.
fn copy_database(source: &Path, out_dir: &Path) -> Result<PathBuf, EnrichError> {
    if Database::open(source)?.is_none() {
        return Err(EnrichError::Mmdb {
            path: source.to_path_buf(),
            source: maxminddb::MaxMindDbError::invalid_database("no MaxMind DB metadata"),
        });
    }
    let name = source
        .file_name()
        .map_or_else(|| COUNTRY_MMDB.into(), |n| n.to_os_string());
    let target = out_dir.join(name);
    let temporary = temporary_name(&target);
    std::fs::copy(source, &temporary).map_err(|e| EnrichError::io(&temporary, e))?;
    std::fs::rename(&temporary, &target).map_err(|e| EnrichError::io(&target, e))?;
    Ok(target)
}

fn build_table(
    csvs: &[&PathBuf],
    out_dir: &Path,
    attribution: &str,
    summary: &mut ImportSummary,
) -> Result<(), EnrichError> {
    let mut builder = TableBuilder::default();
    let mut rows = 0u64;
    for csv in csvs {
        read_csv(csv, &mut builder, &mut rows, summary)?;
    }
    let names: Vec<String> = csvs
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let version = csvs
        .first()
        .and_then(|p| package_version(p))
        .unwrap_or_else(|| "unknown version".into());
    let description = format!("{version} ({})", names.join(", "));
    let epoch = build_epoch(&version, csvs);
    let target = out_dir.join(ASN_TABLE_FILE);
    let (bytes, stats) = builder
        .finish(&description, attribution, epoch)
        .map_err(|reason| EnrichError::Csv {
            path: target.clone(),
            reason,
        })?;
    let BuildStats {
        v4_ranges,
        v6_ranges,
        overlapping,
    } = stats;
    (
        summary.ipv4_ranges,
        summary.ipv6_ranges,
        summary.overlapping_ranges,
    ) = (v4_ranges, v6_ranges, overlapping);
    write_atomically(&target, &bytes)?;
    summary.asn_table = Some(target);
    Ok(())
}

fn read_csv(
    path: &Path,
    builder: &mut TableBuilder,
    rows: &mut u64,
    summary: &mut ImportSummary,
) -> Result<(), EnrichError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| EnrichError::Csv {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                if let Err(reason) = add_row(&record, builder) {
                    note_bad_row(summary, path, line, &reason);
                }
            }
            // A non-UTF-8 row: skip it. Other errors (I/O) stop the import.
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                note_bad_row(summary, path, line, "not UTF-8");
            }
            Err(e) => {
                return Err(EnrichError::Csv {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        }
        *rows += 1;
        if *rows > MAX_ROWS {
            let reason = format!("more than {MAX_ROWS} rows: not an ip-location-db ASN file");
            return Err(EnrichError::Csv {
                path: path.to_path_buf(),
                reason,
            });
        }
    }
}

fn add_row(record: &csv::StringRecord, builder: &mut TableBuilder) -> Result<(), String> {
    let field = |i: usize, name: &str| {
        record
            .get(i)
            .map(str::trim)
            .ok_or(format!("no {name} column"))
    };
    let parse_ip = |i: usize, name: &str| -> Result<IpAddr, String> {
        let text = field(i, name)?;
        text.parse()
            .map_err(|_| format!("{name} {text:?} is not an IP address"))
    };
    let start = parse_ip(0, "range start")?;
    let end = parse_ip(1, "range end")?;
    let asn_text = field(2, "ASN")?;
    let asn: u32 = asn_text
        .parse()
        .map_err(|_| format!("ASN {asn_text:?} is not a number"))?;
    builder.add(start, end, asn, record.get(3).unwrap_or_default())
}

fn note_bad_row(summary: &mut ImportSummary, path: &Path, line: u64, reason: &str) {
    summary.skipped_rows += 1;
    if summary.row_errors.len() < MAX_ROW_ERRORS {
        summary
            .row_errors
            .push(format!("{}:{line}: {reason}", path.display()));
    }
}

#[derive(Deserialize)]
struct PackageJson {
    name: String,
    version: String,
}

/// `name@version` from the `package.json` beside an extracted package file.
fn package_version(file: &Path) -> Option<String> {
    let manifest = file.parent()?.join("package.json");
    let text = std::fs::read(manifest).ok().filter(|t| t.len() < 1 << 20)?;
    let package: PackageJson = serde_json::from_slice(&text).ok()?;
    Some(format!("{}@{}", package.name, package.version))
}

/// The data's build time: from the package version, whose last part is
/// `YYYYMMDDHH`, so that importing the same package twice gives the same bytes;
/// else the newest CSV modification time.
fn build_epoch(version: &str, csvs: &[&PathBuf]) -> u64 {
    let stamp = version.rsplit(['.', '@']).next().unwrap_or_default();
    let from_version =
        chrono::NaiveDateTime::parse_from_str(&format!("{stamp}0000"), "%Y%m%d%H%M%S")
            .ok()
            .and_then(|t| u64::try_from(t.and_utc().timestamp()).ok());
    from_version.unwrap_or_else(|| {
        csvs.iter()
            .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
            .max()
            .unwrap_or(0)
    })
}

fn attribution_text(versions: &[String]) -> String {
    let packages = if versions.is_empty() {
        "ip-location-db".to_owned()
    } else {
        versions.join(", ")
    };
    format!(
        "IP address data: ip-location-db, https://github.com/sapics/ip-location-db ({packages}).\n\
         The packages are released under CC0 1.0. The data is licensed under CC BY 4.0\n\
         (https://creativecommons.org/licenses/by/4.0/) by the NRO (https://www.nro.net/),\n\
         RouteViews (https://www.routeviews.org/) and DB-IP (https://db-ip.com/).\n\
         Changes: the ASN CSV files were converted into mailcase's binary table format;\n\
         ranges overlapping an earlier range were dropped.\n"
    )
}

fn temporary_name(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    target.with_file_name(name)
}

fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), EnrichError> {
    let temporary = temporary_name(target);
    std::fs::write(&temporary, bytes).map_err(|e| EnrichError::io(&temporary, e))?;
    std::fs::rename(&temporary, target).map_err(|e| EnrichError::io(target, e))
}
