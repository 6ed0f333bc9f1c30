//! The evidence registry: every input file, hashed, copied read-only, and the state of
//! its import.
//!
//! Resume: an import sets the file's status to `importing` ([`Case::begin_import`])
//! and to `complete` only at the end ([`Case::finish_evidence`]). Registering a file
//! whose hash is known answers [`Registration::AlreadyImported`] when it is complete
//! and [`Registration::Resume`] otherwise; the caller then parses the whole file again
//! and the events already stored are ignored (stable ids, `INSERT OR IGNORE`).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use mailcase_model::EvidenceId;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{CaseError, IoContext, Result, SqlContext};
use crate::store::{Case, EVIDENCE_DIR};
use crate::times::{from_stored, to_stored};

/// Warnings kept per evidence file; the rest are only counted.
pub const MAX_WARNINGS_PER_FILE: i64 = 1000;
/// Longest warning message kept, in bytes.
const MAX_WARNING_LEN: usize = 2000;
/// Longest stored file name, in bytes.
const MAX_NAME_LEN: usize = 120;

/// What [`Case::register_evidence`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "id", rename_all = "snake_case")]
pub enum Registration {
    /// A file never seen before.
    New(EvidenceId),
    /// The same content was imported completely before: nothing to do.
    AlreadyImported(EvidenceId),
    /// The same content was registered but its import did not complete: import again.
    Resume(EvidenceId),
}

impl Registration {
    /// The evidence id, whatever the state.
    pub fn id(self) -> EvidenceId {
        match self {
            Registration::New(id)
            | Registration::AlreadyImported(id)
            | Registration::Resume(id) => id,
        }
    }
}

/// The state of an evidence file's import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// Hashed and stored, not parsed yet.
    Registered,
    /// Parsing started and has not finished (or was killed).
    Importing,
    /// Parsed to the end.
    Complete,
    /// Parsing stopped on an error.
    Failed,
}

impl EvidenceStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceStatus::Registered => "registered",
            EvidenceStatus::Importing => "importing",
            EvidenceStatus::Complete => "complete",
            EvidenceStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Self::Registered,
            Self::Importing,
            Self::Complete,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One row of the registry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// Registry id (the high bits of its events' ids).
    pub id: EvidenceId,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Path it was registered from.
    pub original_path: String,
    /// The copy, relative to the case directory, or the original when not copied.
    pub stored_path: String,
    /// Whether `stored_path` is a copy inside the case.
    pub copied: bool,
    /// Detected format, once known.
    pub format: Option<String>,
    /// When it was registered.
    pub imported_at: DateTime<Utc>,
    /// Import state.
    pub status: EvidenceStatus,
    /// Records read.
    pub records: u64,
    /// Events produced.
    pub events: u64,
    /// Warnings raised (more than are kept).
    pub warnings: u64,
}

/// Totals of a finished import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Records read.
    pub records: u64,
    /// Events produced.
    pub events: u64,
}

/// A problem met while parsing one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParseWarning {
    /// The record position (as in [`mailcase_model::EvidenceRef::record`]), if known.
    pub record: Option<u64>,
    /// What went wrong.
    pub message: String,
}

impl Case {
    /// Registers `path`: hashes it while streaming and, when `copy`, stores a read-only
    /// copy under `evidence/<sha256>/<sanitised name>`; otherwise references it in
    /// place. The original is only read.
    pub fn register_evidence(&self, path: &Path, copy: bool) -> Result<Registration> {
        let source = File::open(path).at(path)?;
        if !source.metadata().at(path)?.is_file() {
            let err = io::Error::new(io::ErrorKind::InvalidInput, "not a regular file");
            return Err(CaseError::Io {
                path: path.to_path_buf(),
                source: err,
            });
        }
        let original = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let partial = copy.then(|| self.partial_path());
        let (sha256, size) = hash_and_copy(source, path, partial.as_deref())?;
        if let Some(existing) = self.registration_of(&sha256)? {
            if let Some(partial) = partial {
                let _ = fs::remove_file(partial);
            }
            return Ok(existing);
        }
        let stored = match partial {
            Some(partial) => self.place_copy(&partial, &sha256, path)?,
            None => original.to_string_lossy().into_owned(),
        };
        self.insert_evidence(&sha256, size, &original, &stored, copy)
    }

    /// The registry, oldest first.
    pub fn list_evidence(&self) -> Result<Vec<Evidence>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{SELECT_EVIDENCE} ORDER BY id"))
            .at(self.db_path())?;
        let rows = stmt.query_map([], read_evidence).at(self.db_path())?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.decode_evidence(row.at(self.db_path())?)?);
        }
        Ok(out)
    }

    /// One registry row.
    pub fn evidence(&self, id: EvidenceId) -> Result<Evidence> {
        let row = self
            .conn()
            .query_row(
                &format!("{SELECT_EVIDENCE} WHERE id = ?1"),
                [id],
                read_evidence,
            )
            .optional()
            .at(self.db_path())?
            .ok_or(CaseError::UnknownEvidence(id))?;
        self.decode_evidence(row)
    }

    /// The file to read for `evidence`: the copy inside the case, or the original.
    pub fn evidence_file(&self, evidence: &Evidence) -> PathBuf {
        if evidence.copied {
            self.dir().join(&evidence.stored_path)
        } else {
            PathBuf::from(&evidence.stored_path)
        }
    }

    /// Records the detected format.
    pub fn set_evidence_format(&self, id: EvidenceId, format: &str) -> Result<()> {
        self.update_evidence(id, "UPDATE evidence SET format = ?2 WHERE id = ?1", format)
    }

    /// Marks the start of an import: status `importing`, and the warnings of a previous
    /// attempt are cleared (the file is parsed again from the start).
    pub fn begin_import(&self, id: EvidenceId) -> Result<()> {
        let tx = self.write_tx()?;
        let n = tx
            .execute(
                "UPDATE evidence SET status = 'importing', warnings = 0 WHERE id = ?1",
                [id],
            )
            .at(self.db_path())?;
        if n == 0 {
            return Err(CaseError::UnknownEvidence(id));
        }
        tx.execute("DELETE FROM parse_warnings WHERE evidence_id = ?1", [id])
            .at(self.db_path())?;
        tx.commit().at(self.db_path())
    }

    /// Marks the import complete with its totals.
    pub fn finish_evidence(&self, id: EvidenceId, counts: ImportCounts) -> Result<()> {
        let n = self
            .conn()
            .execute(
                "UPDATE evidence SET status = 'complete', records = ?2, events = ?3 WHERE id = ?1",
                params![id, to_i64(counts.records), to_i64(counts.events)],
            )
            .at(self.db_path())?;
        if n == 0 {
            Err(CaseError::UnknownEvidence(id))
        } else {
            Ok(())
        }
    }

    /// Marks the import failed (it will be resumed by the next registration).
    pub fn fail_evidence(&self, id: EvidenceId) -> Result<()> {
        self.update_evidence(
            id,
            "UPDATE evidence SET status = ?2 WHERE id = ?1",
            "failed",
        )
    }

    /// Adds parse warnings: all are counted, the first [`MAX_WARNINGS_PER_FILE`] kept.
    pub fn add_warnings(&self, id: EvidenceId, warnings: &[ParseWarning]) -> Result<()> {
        let path = self.db_path();
        let tx = self.write_tx()?;
        let before: i64 = tx
            .query_row("SELECT warnings FROM evidence WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .at(path)?
            .ok_or(CaseError::UnknownEvidence(id))?;
        let room = usize::try_from(MAX_WARNINGS_PER_FILE.saturating_sub(before)).unwrap_or(0);
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO parse_warnings (evidence_id, record, message) VALUES (?1, ?2, ?3)",
                )
                .at(path)?;
            for w in warnings.iter().take(room) {
                let record = w.record.map(to_i64);
                stmt.execute(params![id, record, truncate(&w.message, MAX_WARNING_LEN)])
                    .at(path)?;
            }
        }
        let added = i64::try_from(warnings.len()).unwrap_or(i64::MAX);
        tx.execute(
            "UPDATE evidence SET warnings = warnings + ?2 WHERE id = ?1",
            params![id, added],
        )
        .at(path)?;
        tx.commit().at(path)
    }

    /// The kept warnings of one evidence file, in order.
    pub fn warnings(&self, id: EvidenceId) -> Result<Vec<ParseWarning>> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT record, message FROM parse_warnings WHERE evidence_id = ?1 ORDER BY rowid",
            )
            .at(self.db_path())?;
        let rows = stmt
            .query_map([id], |r| {
                let record: Option<i64> = r.get(0)?;
                Ok(ParseWarning {
                    record: record.and_then(|n| u64::try_from(n).ok()),
                    message: r.get(1)?,
                })
            })
            .at(self.db_path())?;
        rows.collect::<rusqlite::Result<_>>().at(self.db_path())
    }

    fn update_evidence(&self, id: EvidenceId, sql: &str, value: &str) -> Result<()> {
        let n = self
            .conn()
            .execute(sql, params![id, value])
            .at(self.db_path())?;
        if n == 0 {
            Err(CaseError::UnknownEvidence(id))
        } else {
            Ok(())
        }
    }

    /// A unique temporary name inside `evidence/` (same file system as the target, so
    /// the final rename is atomic).
    fn partial_path(&self) -> PathBuf {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        self.evidence_dir()
            .join(format!(".partial-{}-{nanos}", std::process::id()))
    }

    fn registration_of(&self, sha256: &str) -> Result<Option<Registration>> {
        let row: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT id, status FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .at(self.db_path())?;
        Ok(row.map(|(id, status)| match status.as_str() {
            "complete" => Registration::AlreadyImported(id),
            _ => Registration::Resume(id),
        }))
    }

    /// Moves the finished copy to `evidence/<sha>/<name>` and makes it read-only.
    /// Returns the path relative to the case directory.
    fn place_copy(&self, partial: &Path, sha256: &str, original: &Path) -> Result<String> {
        let name = sanitise_file_name(&original.file_name().unwrap_or_default().to_string_lossy());
        let dir = self.evidence_dir().join(sha256);
        fs::create_dir_all(&dir).at(&dir)?;
        let target = dir.join(&name);
        if target.exists() {
            // Left by a run killed between the rename and the insert: same content.
            let _ = fs::remove_file(partial);
        } else {
            fs::rename(partial, &target).at(&target)?;
        }
        let mut perms = fs::metadata(&target).at(&target)?.permissions();
        perms.set_readonly(true);
        fs::set_permissions(&target, perms).at(&target)?;
        Ok(format!("{EVIDENCE_DIR}/{sha256}/{name}"))
    }

    fn insert_evidence(
        &self,
        sha256: &str,
        size: u64,
        original: &Path,
        stored: &str,
        copied: bool,
    ) -> Result<Registration> {
        let n = self
            .conn()
            .execute(
                "INSERT INTO evidence (sha256, size, original_path, stored_path, copied, imported_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO NOTHING",
                params![sha256, to_i64(size), original.to_string_lossy(), stored, copied, to_stored(Utc::now())],
            )
            .at(self.db_path())?;
        let id = self.conn().last_insert_rowid();
        if n == 1 {
            return Ok(Registration::New(id));
        }
        // Another process registered the same content meanwhile.
        self.registration_of(sha256)?.ok_or(CaseError::BadRow {
            path: self.db_path().to_path_buf(),
            table: "evidence",
            row: 0,
            message: format!("evidence {sha256} vanished while registering"),
        })
    }

    fn decode_evidence(&self, raw: RawEvidence) -> Result<Evidence> {
        let bad = |message: String| CaseError::BadRow {
            path: self.db_path().to_path_buf(),
            table: "evidence",
            row: raw.id,
            message,
        };
        let status = EvidenceStatus::parse(&raw.status)
            .ok_or_else(|| bad(format!("unknown status {:?}", raw.status)))?;
        let imported_at = from_stored(&raw.imported_at)
            .ok_or_else(|| bad(format!("bad time {:?}", raw.imported_at)))?;
        Ok(Evidence {
            id: raw.id,
            sha256: raw.sha256,
            size: to_u64(raw.size),
            original_path: raw.original_path,
            stored_path: raw.stored_path,
            copied: raw.copied,
            format: raw.format,
            imported_at,
            status,
            records: to_u64(raw.records),
            events: to_u64(raw.events),
            warnings: to_u64(raw.warnings),
        })
    }
}

const SELECT_EVIDENCE: &str = "SELECT id, sha256, size, original_path, stored_path, copied, format, \
    imported_at, status, records, events, warnings FROM evidence";

/// A registry row as stored, before its text columns are checked.
struct RawEvidence {
    id: i64,
    sha256: String,
    size: i64,
    original_path: String,
    stored_path: String,
    copied: bool,
    format: Option<String>,
    imported_at: String,
    status: String,
    records: i64,
    events: i64,
    warnings: i64,
}

fn read_evidence(r: &Row<'_>) -> rusqlite::Result<RawEvidence> {
    Ok(RawEvidence {
        id: r.get(0)?,
        sha256: r.get(1)?,
        size: r.get(2)?,
        original_path: r.get(3)?,
        stored_path: r.get(4)?,
        copied: r.get(5)?,
        format: r.get(6)?,
        imported_at: r.get(7)?,
        status: r.get(8)?,
        records: r.get(9)?,
        events: r.get(10)?,
        warnings: r.get(11)?,
    })
}

/// Streams `source` through SHA-256, writing a copy to `copy_to` when given.
fn hash_and_copy(mut source: File, path: &Path, copy_to: Option<&Path>) -> Result<(String, u64)> {
    let Some(copy_to) = copy_to else {
        return stream(&mut source, path, None, Path::new(""));
    };
    let mut out = File::create_new(copy_to).at(copy_to)?;
    let modified = source.metadata().and_then(|m| m.modified()).ok();
    let result = stream(&mut source, path, Some(&mut out), copy_to).and_then(|hashed| {
        // Snapshot exports carry their export time only as the file's modification
        // time: the copy keeps it (when the system gives one).
        if let Some(time) = modified {
            out.set_modified(time).at(copy_to)?;
        }
        Ok(hashed)
    });
    if result.is_err() {
        let _ = fs::remove_file(copy_to);
    }
    result
}

fn stream(
    source: &mut File,
    path: &Path,
    mut out: Option<&mut File>,
    copy_to: &Path,
) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(CaseError::Io {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        };
        let chunk = buf.get(..n).unwrap_or_default();
        hasher.update(chunk);
        size += n as u64;
        if let Some(out) = out.as_deref_mut() {
            out.write_all(chunk).at(copy_to)?;
        }
    }
    if let Some(out) = out {
        // The copy must be on disk before the registry says it exists.
        out.sync_all().at(copy_to)?;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Makes an attacker-chosen file name safe to use as one path component: no
/// separators, no control or reserved characters, no leading dots (so never `.` or
/// `..`), at most 120 bytes; `evidence` when nothing is left.
pub fn sanitise_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let short = truncate(trimmed, MAX_NAME_LEN);
    if short.is_empty() {
        "evidence".to_owned()
    } else {
        short.to_owned()
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::new_case;

    #[test]
    fn registers_copies_read_only_and_dedupes() {
        let (dir, case) = new_case();
        let path = dir.path().join("../evil name\u{7}.json");
        let path = dir.path().join(path.file_name().unwrap());
        fs::write(&path, b"{\"a\":1}\n").unwrap();
        let reg = case.register_evidence(&path, true).unwrap();
        let Registration::New(id) = reg else {
            panic!("{reg:?}")
        };
        let ev = case.evidence(id).unwrap();
        assert_eq!(ev.sha256, hex::encode(Sha256::digest(b"{\"a\":1}\n")));
        assert_eq!(
            (ev.size, ev.status, ev.copied),
            (8, EvidenceStatus::Registered, true)
        );
        assert_eq!(
            ev.stored_path,
            format!("evidence/{}/evil name_.json", ev.sha256)
        );
        let stored = case.evidence_file(&ev);
        assert_eq!(fs::read(&stored).unwrap(), b"{\"a\":1}\n");
        assert!(fs::metadata(&stored).unwrap().permissions().readonly());
        assert!(
            !fs::metadata(&path).unwrap().permissions().readonly(),
            "original untouched"
        );
        // Same content under another name: not imported yet, so resume.
        let again = dir.path().join("copy.json");
        fs::copy(&path, &again).unwrap();
        assert_eq!(
            case.register_evidence(&again, true).unwrap(),
            Registration::Resume(id)
        );
        case.begin_import(id).unwrap();
        assert_eq!(
            case.register_evidence(&path, false).unwrap(),
            Registration::Resume(id)
        );
        case.finish_evidence(
            id,
            ImportCounts {
                records: 1,
                events: 1,
            },
        )
        .unwrap();
        assert_eq!(
            case.register_evidence(&path, true).unwrap(),
            Registration::AlreadyImported(id)
        );
        assert_eq!(case.list_evidence().unwrap().len(), 1);
        let leftovers: Vec<_> = fs::read_dir(case.evidence_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "temporary copies are removed");
    }

    #[test]
    fn the_copy_keeps_the_original_modification_time() {
        let (dir, case) = new_case();
        let path = dir.path().join("snapshot.csv");
        fs::write(&path, b"Identity,Name\n").unwrap();
        let exported =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_695_182_703);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(exported)
            .unwrap();
        let id = case.register_evidence(&path, true).unwrap().id();
        let stored = case.evidence_file(&case.evidence(id).unwrap());
        assert_eq!(fs::metadata(&stored).unwrap().modified().unwrap(), exported);
    }

    #[test]
    fn references_in_place_without_copy() {
        let (dir, case) = new_case();
        let path = dir.path().join("big.log");
        fs::write(&path, b"line\n").unwrap();
        let id = case.register_evidence(&path, false).unwrap().id();
        let ev = case.evidence(id).unwrap();
        assert!(!ev.copied);
        assert_eq!(case.evidence_file(&ev), fs::canonicalize(&path).unwrap());
        case.set_evidence_format(id, "dovecot").unwrap();
        case.fail_evidence(id).unwrap();
        let ev = case.evidence(id).unwrap();
        assert_eq!(
            (ev.format.as_deref(), ev.status),
            (Some("dovecot"), EvidenceStatus::Failed)
        );
        assert!(matches!(
            case.set_evidence_format(99, "x"),
            Err(CaseError::UnknownEvidence(99))
        ));
        assert!(matches!(
            case.register_evidence(dir.path(), false),
            Err(CaseError::Io { .. })
        ));
        assert!(
            case.register_evidence(&dir.path().join("missing"), true)
                .unwrap_err()
                .to_string()
                .contains("missing")
        );
    }

    #[test]
    fn warnings_are_capped_but_counted() {
        let (dir, case) = new_case();
        let path = dir.path().join("w.csv");
        fs::write(&path, b"x").unwrap();
        let id = case.register_evidence(&path, true).unwrap().id();
        let batch: Vec<_> = (0..600)
            .map(|i| ParseWarning {
                record: Some(i),
                message: "é".repeat(5000),
            })
            .collect();
        case.add_warnings(id, &batch).unwrap();
        case.add_warnings(id, &batch).unwrap();
        let kept = case.warnings(id).unwrap();
        assert_eq!(kept.len() as i64, MAX_WARNINGS_PER_FILE);
        assert!(kept[0].message.len() <= MAX_WARNING_LEN);
        assert_eq!(case.evidence(id).unwrap().warnings, 1200);
        case.begin_import(id).unwrap();
        assert!(
            case.warnings(id).unwrap().is_empty(),
            "a new attempt starts clean"
        );
        assert_eq!(case.evidence(id).unwrap().warnings, 0);
    }

    #[test]
    fn sanitised_names_cannot_escape() {
        for (raw, want) in [
            ("..", "evidence"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("..\\..\\win.ini", "_.._win.ini"),
            (".hidden", "hidden"),
            ("a\u{0}b\nc\u{1b}", "a_b_c_"),
            ("C:report.csv", "C_report.csv"),
            ("  . ", "evidence"),
            ("", "evidence"),
            ("Journal d'audit é.csv", "Journal d'audit é.csv"),
        ] {
            assert_eq!(sanitise_file_name(raw), want, "{raw:?}");
        }
        let long = "é".repeat(200);
        let s = sanitise_file_name(&long);
        assert!(s.len() <= MAX_NAME_LEN && s.chars().all(|c| c == 'é'));
    }
}
