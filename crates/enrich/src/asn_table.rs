//! The compact ASN table: IP ranges to autonomous system number and organisation.
//!
//! Built by [`crate::ip_location_db::import`] from CSV ranges, read by
//! [`crate::Enricher`]. The whole file is read into memory and validated once;
//! lookups are a binary search over sorted range starts.
//!
//! # File format (version 1, all integers little-endian)
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic `MCASNTBL` |
//! | 8 | 4 | format version (`1`) |
//! | 12 | 4 | reserved, zero |
//! | 16 | 8 | build time, Unix seconds |
//! | 24 | 4 | number of IPv4 ranges `n4` |
//! | 28 | 4 | number of IPv6 ranges `n6` |
//! | 32 | 4 | number of organisation strings `no` |
//! | 36 | 4 | length of the organisation string bytes `lo` |
//! | 40 | 4 | length of the description `ld` |
//! | 44 | 4 | length of the attribution text `la` |
//! | 48 | `ld` | description, UTF-8 |
//! | | `la` | attribution, UTF-8 |
//! | | 16 × `n4` | IPv4 ranges: start `u32`, end `u32` (inclusive), ASN `u32`, organisation index `u32` |
//! | | 40 × `n6` | IPv6 ranges: start `u128`, end `u128` (inclusive), ASN `u32`, organisation index `u32` |
//! | | 4 × (`no` + 1) | organisation offsets into the string bytes, from 0 to `lo`, non-decreasing |
//! | | `lo` | organisation string bytes, UTF-8 |
//! | | 8 | FNV-1a 64 checksum of every byte before it |
//!
//! Ranges of each family are sorted by start and do not overlap. An organisation
//! index of `u32::MAX` means none. The reader checks all of this, and the exact file
//! length, before use.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::EnrichError;

/// The first eight bytes of every table file.
pub const MAGIC: &[u8; 8] = b"MCASNTBL";
/// The format version this crate reads and writes.
pub const VERSION: u32 = 1;
/// Organisation index meaning "no organisation".
const NO_ORG: u32 = u32::MAX;
const HEADER_LEN: usize = 48;
const V4_RECORD_LEN: usize = 16;
const V6_RECORD_LEN: usize = 40;
/// Larger files are refused rather than read into memory (the real table is ~15 MiB).
const MAX_FILE_LEN: u64 = 1 << 30;
/// Bound on the description and attribution texts.
const MAX_TEXT_LEN: u32 = 64 * 1024;

/// One family's ranges, stored column-wise so the binary search touches only starts.
#[derive(Debug, Default)]
struct Ranges<T> {
    starts: Vec<T>,
    ends: Vec<T>,
    asns: Vec<u32>,
    orgs: Vec<u32>,
}

impl<T: Copy + Ord> Ranges<T> {
    fn find(&self, ip: T) -> Option<usize> {
        let i = self.starts.partition_point(|s| *s <= ip).checked_sub(1)?;
        (*self.ends.get(i)? >= ip).then_some(i)
    }

    fn validate(&self, org_count: u32) -> Result<(), String> {
        let mut previous_end: Option<T> = None;
        for (i, ((start, end), org)) in self
            .starts
            .iter()
            .zip(&self.ends)
            .zip(&self.orgs)
            .enumerate()
        {
            if start > end {
                return Err(format!("range {i} ends before it starts"));
            }
            if previous_end.is_some_and(|p| *start <= p) {
                return Err(format!(
                    "range {i} is out of order or overlaps the previous one"
                ));
            }
            if *org != NO_ORG && *org >= org_count {
                return Err(format!("range {i} names organisation {org} of {org_count}"));
            }
            previous_end = Some(*end);
        }
        Ok(())
    }
}

/// A loaded ASN table.
#[derive(Debug)]
pub struct AsnTable {
    v4: Ranges<u32>,
    v6: Ranges<u128>,
    org_offsets: Vec<u32>,
    org_text: String,
    description: String,
    attribution: String,
    build_epoch: u64,
}

impl AsnTable {
    /// Reads and validates a table file.
    pub fn open(path: &Path) -> Result<Self, EnrichError> {
        let len = std::fs::metadata(path)
            .map_err(|e| EnrichError::io(path, e))?
            .len();
        if len > MAX_FILE_LEN {
            return Err(corrupt(
                path,
                format!("{len} bytes is more than the {MAX_FILE_LEN} allowed"),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| EnrichError::io(path, e))?;
        Self::from_bytes(&bytes).map_err(|reason| corrupt(path, reason))
    }

    /// Parses and validates a table held in memory; the error says what is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let body_len = bytes
            .len()
            .checked_sub(8)
            .ok_or("shorter than its checksum")?;
        let (body, sum) = bytes.split_at(body_len);
        let mut cursor = Cursor {
            bytes: body,
            pos: 0,
        };
        let header = Header::read(&mut cursor)?;
        header.check_length(body.len())?;
        if u64::from_le_bytes(sum.try_into().map_err(|_| "bad checksum field")?) != fnv1a(body) {
            return Err("checksum mismatch (the file is damaged)".into());
        }
        let description = cursor.text(header.description_len)?;
        let attribution = cursor.text(header.attribution_len)?;
        let v4 = read_ranges(&mut cursor, header.v4_count, Cursor::u32)?;
        let v6 = read_ranges(&mut cursor, header.v6_count, Cursor::u128)?;
        let org_offsets = (0..=header.org_count)
            .map(|_| cursor.u32())
            .collect::<Result<Vec<_>, _>>()?;
        let org_text = cursor.text(header.org_bytes_len)?;
        validate_offsets(&org_offsets, &org_text)?;
        v4.validate(header.org_count)
            .map_err(|e| format!("IPv4 {e}"))?;
        v6.validate(header.org_count)
            .map_err(|e| format!("IPv6 {e}"))?;
        Ok(AsnTable {
            v4,
            v6,
            org_offsets,
            org_text,
            description,
            attribution,
            build_epoch: header.build_epoch,
        })
    }

    /// The ASN and organisation of the range holding `ip`, if any. IPv4-mapped IPv6
    /// addresses are looked up as IPv4.
    pub fn lookup(&self, ip: IpAddr) -> Option<(u32, Option<&str>)> {
        let (asn, org) = match crate::net_class::canonical(ip) {
            IpAddr::V4(v4) => {
                let i = self.v4.find(u32::from(v4))?;
                (*self.v4.asns.get(i)?, *self.v4.orgs.get(i)?)
            }
            IpAddr::V6(v6) => {
                let i = self.v6.find(u128::from(v6))?;
                (*self.v6.asns.get(i)?, *self.v6.orgs.get(i)?)
            }
        };
        Some((asn, self.org(org)))
    }

    fn org(&self, index: u32) -> Option<&str> {
        let i = usize::try_from(index).ok()?;
        let start = usize::try_from(*self.org_offsets.get(i)?).ok()?;
        let end = usize::try_from(*self.org_offsets.get(i.checked_add(1)?)?).ok()?;
        self.org_text.get(start..end).filter(|s| !s.is_empty())
    }

    /// Number of IPv4 and IPv6 ranges.
    pub fn len(&self) -> usize {
        self.v4.starts.len() + self.v6.starts.len()
    }

    /// Whether the table holds no range at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Free text saying where the data came from.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The attribution the data's licence requires.
    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    /// When the table was built, in Unix seconds.
    pub fn build_epoch(&self) -> u64 {
        self.build_epoch
    }
}

fn corrupt(path: &Path, reason: impl Into<String>) -> EnrichError {
    EnrichError::AsnTable {
        path: PathBuf::from(path),
        reason: reason.into(),
    }
}

fn read_ranges<'a, T>(
    cursor: &mut Cursor<'a>,
    count: u32,
    read: fn(&mut Cursor<'a>) -> Result<T, String>,
) -> Result<Ranges<T>, String> {
    let n = count as usize;
    let mut ranges = Ranges {
        starts: Vec::with_capacity(n),
        ends: Vec::with_capacity(n),
        asns: Vec::with_capacity(n),
        orgs: Vec::with_capacity(n),
    };
    for _ in 0..n {
        ranges.starts.push(read(cursor)?);
        ranges.ends.push(read(cursor)?);
        ranges.asns.push(cursor.u32()?);
        ranges.orgs.push(cursor.u32()?);
    }
    Ok(ranges)
}

fn validate_offsets(offsets: &[u32], text: &str) -> Result<(), String> {
    if offsets.first() != Some(&0) || offsets.last().map(|l| *l as usize) != Some(text.len()) {
        return Err("organisation offsets do not span the string bytes".into());
    }
    for pair in offsets.windows(2) {
        if let [a, b] = pair
            && (a > b || !text.is_char_boundary(*b as usize))
        {
            return Err(format!(
                "organisation offset {b} is out of order or splits a character"
            ));
        }
    }
    Ok(())
}

/// The fixed header.
struct Header {
    build_epoch: u64,
    v4_count: u32,
    v6_count: u32,
    org_count: u32,
    org_bytes_len: u32,
    description_len: u32,
    attribution_len: u32,
}

impl Header {
    fn read(cursor: &mut Cursor<'_>) -> Result<Self, String> {
        if cursor.take(8)? != MAGIC {
            return Err("not a mailcase ASN table (bad magic)".into());
        }
        let version = cursor.u32()?;
        if version != VERSION {
            return Err(format!(
                "format version {version}, this build reads {VERSION}"
            ));
        }
        cursor.u32()?;
        let header = Header {
            build_epoch: cursor.u64()?,
            v4_count: cursor.u32()?,
            v6_count: cursor.u32()?,
            org_count: cursor.u32()?,
            org_bytes_len: cursor.u32()?,
            description_len: cursor.u32()?,
            attribution_len: cursor.u32()?,
        };
        if header.description_len > MAX_TEXT_LEN || header.attribution_len > MAX_TEXT_LEN {
            return Err("description or attribution too long".into());
        }
        Ok(header)
    }

    /// The body length the counts imply, so that nothing is allocated for counts
    /// that the file cannot hold.
    fn check_length(&self, body_len: usize) -> Result<(), String> {
        let expected = [
            HEADER_LEN as u64,
            u64::from(self.description_len),
            u64::from(self.attribution_len),
            u64::from(self.v4_count) * V4_RECORD_LEN as u64,
            u64::from(self.v6_count) * V6_RECORD_LEN as u64,
            (u64::from(self.org_count) + 1) * 4,
            u64::from(self.org_bytes_len),
        ]
        .iter()
        .sum::<u64>();
        if expected != body_len as u64 {
            return Err(format!(
                "truncated or padded: {body_len} bytes where the header implies {expected}"
            ));
        }
        Ok(())
    }
}

/// Bounds-checked little-endian reads.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let slice = end.and_then(|e| self.bytes.get(self.pos..e));
        let slice = slice.ok_or_else(|| format!("truncated at byte {}", self.pos))?;
        self.pos += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        self.take(N)?
            .try_into()
            .map_err(|_| "internal length mismatch".to_string())
    }

    fn u32(&mut self) -> Result<u32, String> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, String> {
        self.array().map(u64::from_le_bytes)
    }

    fn u128(&mut self) -> Result<u128, String> {
        self.array().map(u128::from_le_bytes)
    }

    fn text(&mut self, len: u32) -> Result<String, String> {
        let at = self.pos;
        let bytes = self.take(len as usize)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| format!("text at byte {at} is not UTF-8"))
    }
}

/// FNV-1a, 64 bits: catches accidental damage; the table is not a security boundary.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Collects ranges and writes a table file.
#[derive(Debug, Default)]
pub(crate) struct TableBuilder {
    v4: Vec<(u32, u32, u32, u32)>,
    v6: Vec<(u128, u128, u32, u32)>,
    org_index: HashMap<String, u32>,
    orgs: Vec<String>,
}

/// What [`TableBuilder::finish`] kept and dropped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BuildStats {
    pub v4_ranges: usize,
    pub v6_ranges: usize,
    pub overlapping: usize,
}

/// Organisation names longer than this are cut (at a character boundary).
const MAX_ORG_LEN: usize = 512;

impl TableBuilder {
    /// Adds one inclusive range; both ends must be of the same family, in order.
    pub(crate) fn add(
        &mut self,
        start: IpAddr,
        end: IpAddr,
        asn: u32,
        org: &str,
    ) -> Result<(), String> {
        let org = self.intern(org)?;
        match (start, end) {
            (IpAddr::V4(s), IpAddr::V4(e)) if s <= e => {
                self.v4.push((s.into(), e.into(), asn, org))
            }
            (IpAddr::V6(s), IpAddr::V6(e)) if s <= e => {
                self.v6.push((s.into(), e.into(), asn, org))
            }
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                return Err(format!("range {start}-{end} ends before it starts"));
            }
            _ => return Err(format!("range {start}-{end} mixes IPv4 and IPv6")),
        }
        Ok(())
    }

    fn intern(&mut self, org: &str) -> Result<u32, String> {
        let org = truncate(org.trim(), MAX_ORG_LEN);
        if org.is_empty() {
            return Ok(NO_ORG);
        }
        if let Some(i) = self.org_index.get(org) {
            return Ok(*i);
        }
        let i = u32::try_from(self.orgs.len())
            .ok()
            .filter(|i| *i != NO_ORG)
            .ok_or("too many organisations")?;
        self.org_index.insert(org.to_owned(), i);
        self.orgs.push(org.to_owned());
        Ok(i)
    }

    /// Sorts, drops ranges overlapping an earlier one, and serialises the table.
    pub(crate) fn finish(
        mut self,
        description: &str,
        attribution: &str,
        build_epoch: u64,
    ) -> Result<(Vec<u8>, BuildStats), String> {
        let overlapping = sort_and_dedup(&mut self.v4) + sort_and_dedup(&mut self.v6);
        let stats = BuildStats {
            v4_ranges: self.v4.len(),
            v6_ranges: self.v6.len(),
            overlapping,
        };
        let description = truncate(description, MAX_TEXT_LEN as usize);
        let attribution = truncate(attribution, MAX_TEXT_LEN as usize);
        let org_bytes: usize = self.orgs.iter().map(String::len).sum();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for n in [VERSION, 0] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&build_epoch.to_le_bytes());
        for n in [
            self.v4.len(),
            self.v6.len(),
            self.orgs.len(),
            org_bytes,
            description.len(),
            attribution.len(),
        ] {
            out.extend_from_slice(
                &u32::try_from(n)
                    .map_err(|_| "table too large")?
                    .to_le_bytes(),
            );
        }
        out.extend_from_slice(description.as_bytes());
        out.extend_from_slice(attribution.as_bytes());
        for (s, e, asn, org) in &self.v4 {
            [*s, *e, *asn, *org]
                .iter()
                .for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
        }
        for (s, e, asn, org) in &self.v6 {
            out.extend_from_slice(&s.to_le_bytes());
            out.extend_from_slice(&e.to_le_bytes());
            out.extend_from_slice(&asn.to_le_bytes());
            out.extend_from_slice(&org.to_le_bytes());
        }
        let mut offset = 0u32;
        out.extend_from_slice(&offset.to_le_bytes());
        for org in &self.orgs {
            offset = offset.saturating_add(u32::try_from(org.len()).unwrap_or(u32::MAX));
            out.extend_from_slice(&offset.to_le_bytes());
        }
        self.orgs
            .iter()
            .for_each(|o| out.extend_from_slice(o.as_bytes()));
        let sum = fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        Ok((out, stats))
    }
}

/// Sorts by start and removes ranges that overlap the one kept before them
/// (the sources are expected not to overlap; when they do, the first wins).
/// Returns how many were removed.
fn sort_and_dedup<T: Copy + Ord>(ranges: &mut Vec<(T, T, u32, u32)>) -> usize {
    ranges.sort_by_key(|r| r.0);
    let before = ranges.len();
    let mut last_end: Option<T> = None;
    ranges.retain(|(start, end, _, _)| {
        if last_end.is_some_and(|l| *start <= l) {
            return false;
        }
        last_end = Some(*end);
        true
    });
    before - ranges.len()
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.get(..cut).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    fn sample() -> Vec<u8> {
        let mut b = TableBuilder::default();
        b.add(ip("8.8.8.0"), ip("8.8.8.255"), 15169, "Google LLC")
            .expect("add");
        b.add(ip("1.0.0.0"), ip("1.0.0.255"), 13335, "Cloudflare, Inc.")
            .expect("add");
        b.add(ip("1.0.0.128"), ip("1.0.1.10"), 1, "overlap")
            .expect("add");
        b.add(
            ip("2001:4860::"),
            ip("2001:4860:ffff:ffff:ffff:ffff:ffff:ffff"),
            15169,
            "Google LLC",
        )
        .expect("add");
        b.add(ip("9.9.9.0"), ip("9.9.9.255"), 19281, "")
            .expect("add");
        b.finish("test", "nobody", 1_700_000_000).expect("finish").0
    }

    #[test]
    fn round_trip_and_lookups_at_edges() {
        let t = AsnTable::from_bytes(&sample()).expect("valid");
        assert_eq!(t.len(), 4);
        assert_eq!(t.description(), "test");
        assert_eq!(t.attribution(), "nobody");
        assert_eq!(t.build_epoch(), 1_700_000_000);
        assert_eq!(t.lookup(ip("0.255.255.255")), None);
        assert_eq!(
            t.lookup(ip("1.0.0.0")),
            Some((13335, Some("Cloudflare, Inc.")))
        );
        assert_eq!(
            t.lookup(ip("1.0.0.255")),
            Some((13335, Some("Cloudflare, Inc.")))
        );
        assert_eq!(
            t.lookup(ip("1.0.1.0")),
            None,
            "overlapping range was dropped"
        );
        assert_eq!(t.lookup(ip("8.8.8.8")), Some((15169, Some("Google LLC"))));
        assert_eq!(
            t.lookup(ip("::ffff:8.8.8.8")),
            Some((15169, Some("Google LLC")))
        );
        assert_eq!(t.lookup(ip("8.8.9.0")), None);
        assert_eq!(t.lookup(ip("9.9.9.9")), Some((19281, None)));
        assert_eq!(
            t.lookup(ip("2001:4860::")),
            Some((15169, Some("Google LLC")))
        );
        assert_eq!(
            t.lookup(ip("2001:4860:ffff:ffff:ffff:ffff:ffff:ffff")),
            Some((15169, Some("Google LLC")))
        );
        assert_eq!(t.lookup(ip("2001:4861::")), None);
        assert_eq!(
            t.lookup(ip("2001:485f:ffff:ffff:ffff:ffff:ffff:ffff")),
            None
        );
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = sample();
        for len in 0..bytes.len() {
            let cut = bytes.get(..len).expect("in range");
            assert!(
                AsnTable::from_bytes(cut).is_err(),
                "accepted {len} of {} bytes",
                bytes.len()
            );
        }
    }

    #[test]
    fn every_flipped_byte_is_an_error() {
        let bytes = sample();
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            if let Some(b) = damaged.get_mut(i) {
                *b ^= 0x41;
            }
            assert!(
                AsnTable::from_bytes(&damaged).is_err(),
                "accepted a flip at byte {i}"
            );
        }
    }

    #[test]
    fn huge_counts_are_refused_before_allocating() {
        let mut bytes = sample();
        bytes.splice(24..28, u32::MAX.to_le_bytes());
        let err = AsnTable::from_bytes(&bytes).expect_err("must fail");
        assert!(err.contains("truncated or padded"), "{err}");
    }

    #[test]
    fn other_version_is_named() {
        let mut bytes = sample();
        bytes.splice(8..12, 2u32.to_le_bytes());
        let err = AsnTable::from_bytes(&bytes).expect_err("must fail");
        assert!(err.contains("version 2"), "{err}");
    }

    #[test]
    fn open_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("asn.mcasn");
        std::fs::write(&path, b"MCASNTBL garbage").expect("write");
        let err = AsnTable::open(&path).expect_err("must fail").to_string();
        assert!(
            err.contains("asn.mcasn") && err.contains("invalid ASN table"),
            "{err}"
        );
    }

    #[test]
    fn long_organisations_are_cut_on_a_character_boundary() {
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("aé", 3), "aé");
        let mut b = TableBuilder::default();
        b.add(ip("1.0.0.0"), ip("1.0.0.0"), 1, &"é".repeat(MAX_ORG_LEN))
            .expect("add");
        let t = AsnTable::from_bytes(&b.finish("", "", 0).expect("finish").0).expect("valid");
        let org = t.lookup(ip("1.0.0.0")).and_then(|(_, o)| o).expect("org");
        assert_eq!(org.len(), MAX_ORG_LEN);
    }
}
