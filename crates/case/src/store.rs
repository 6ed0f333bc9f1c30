//! The case directory and its database connection: creation, opening, migrations.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{CaseError, IoContext, Result, SqlContext};
use crate::settings::CaseSettings;
use crate::times::{LocalTime, in_zone};

/// Settings file name inside a case directory.
pub const SETTINGS_FILE: &str = "case.toml";
/// Database file name inside a case directory.
pub const DATABASE_FILE: &str = "case.sqlite";
/// Directory of evidence copies.
pub const EVIDENCE_DIR: &str = "evidence";
/// Directory of reports.
pub const REPORTS_DIR: &str = "reports";

/// The migrations, oldest first; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_init.sql"),
    include_str!("schema/002_findings.sql"),
];

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// An open case: its directory, settings and read-write database connection.
///
/// A `Case` is used from one thread at a time (it owns a SQLite connection); open
/// another `Case`, an [`crate::EventWriter`] or a read-only query for other threads.
#[derive(Debug)]
pub struct Case {
    dir: PathBuf,
    db_path: PathBuf,
    settings: CaseSettings,
    conn: Connection,
}

impl Case {
    /// Creates a case in `dir` (created if missing; it may hold other files, but not
    /// a case). The database is written before `case.toml`, so a directory with a
    /// `case.toml` always has a complete database.
    pub fn create(dir: impl AsRef<Path>, settings: CaseSettings) -> Result<Case> {
        let dir = dir.as_ref().to_path_buf();
        let settings_path = dir.join(SETTINGS_FILE);
        if settings_path.exists() {
            return Err(CaseError::AlreadyExists { path: dir });
        }
        let mut settings = settings.validated()?;
        for sub in [EVIDENCE_DIR, REPORTS_DIR] {
            let path = dir.join(sub);
            fs::create_dir_all(&path).at(&path)?;
        }
        let db_path = dir.join(DATABASE_FILE);
        let conn = open_connection(&db_path, true)?;
        migrate(&conn, &db_path)?;
        crate::events::ensure_indexes(&conn, &db_path)?;
        settings.schema_version = SCHEMA_VERSION;
        settings.store(&settings_path)?;
        Ok(Case {
            dir,
            db_path,
            settings,
            conn,
        })
    }

    /// Opens the case in `dir`, applying pending migrations. Fails with
    /// [`CaseError::NotACase`], [`CaseError::NewerSchema`] or [`CaseError::Corrupt`].
    pub fn open(dir: impl AsRef<Path>) -> Result<Case> {
        let dir = dir.as_ref().to_path_buf();
        let settings_path = dir.join(SETTINGS_FILE);
        if !settings_path.is_file() {
            return Err(CaseError::NotACase { path: dir });
        }
        let mut settings = CaseSettings::load(&settings_path)?;
        let db_path = dir.join(DATABASE_FILE);
        if !db_path.is_file() {
            let source = std::io::Error::new(std::io::ErrorKind::NotFound, "case database missing");
            return Err(CaseError::Io {
                path: db_path,
                source,
            });
        }
        let conn = open_connection(&db_path, false)?;
        let version = migrate(&conn, &db_path)?;
        // Rebuilds indexes a bulk load dropped before being killed.
        crate::events::ensure_indexes(&conn, &db_path)?;
        if settings.schema_version != version {
            settings.schema_version = version;
            settings.store(&settings_path)?;
        }
        Ok(Case {
            dir,
            db_path,
            settings,
            conn,
        })
    }

    /// Opens the case in `dir`, or creates it with `settings` when there is none.
    pub fn open_or_create(dir: impl AsRef<Path>, settings: CaseSettings) -> Result<Case> {
        if dir.as_ref().join(SETTINGS_FILE).exists() {
            Case::open(dir)
        } else {
            Case::create(dir, settings)
        }
    }

    /// The settings as loaded.
    pub fn settings(&self) -> &CaseSettings {
        &self.settings
    }

    /// Validates and writes new settings to `case.toml`. The creation time and schema
    /// version are kept from the current settings.
    pub fn save_settings(&mut self, settings: CaseSettings) -> Result<()> {
        let mut settings = settings.validated()?;
        settings.created = self.settings.created;
        settings.schema_version = self.settings.schema_version;
        settings.store(&self.dir.join(SETTINGS_FILE))?;
        self.settings = settings;
        Ok(())
    }

    /// The case directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Where evidence copies live.
    pub fn evidence_dir(&self) -> PathBuf {
        self.dir.join(EVIDENCE_DIR)
    }

    /// Where reports are written.
    pub fn reports_dir(&self) -> PathBuf {
        self.dir.join(REPORTS_DIR)
    }

    /// Shows a UTC time in the case's time zone.
    pub fn local_time(&self, time: chrono::DateTime<chrono::Utc>) -> Result<LocalTime> {
        in_zone(time, &self.settings.time_zone)
    }

    /// The read-write connection (for this crate's modules).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Begins an IMMEDIATE transaction: the write lock is taken now, so two writers
    /// queue on `busy_timeout` instead of failing half-way.
    pub(crate) fn write_tx(&self) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).at(&self.db_path)
    }
}

/// Opens the database read-write with the case's pragmas.
/// Page size of new case databases.
const PAGE_SIZE: u32 = 16384;

pub(crate) fn open_connection(path: &Path, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
    if create {
        // Events are ~1.5 KB rows: larger pages mean fewer overflow pages and a shallower
        // B-tree. Only effective on an empty file, before WAL is enabled.
        conn.execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE};")).at(path)?;
    }
    // The first statements read the header: a file that is not SQLite fails here.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        let source = rusqlite::Error::InvalidQuery;
        return Err(CaseError::Sqlite {
            path: path.to_path_buf(),
            source,
        });
    }
    // NORMAL is durable to the last checkpoint with WAL and never corrupts.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
    )
    .map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// Tells corruption apart from other SQLite failures.
fn classify(path: &Path, source: rusqlite::Error) -> CaseError {
    let corrupt = matches!(
        source.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    );
    if corrupt {
        CaseError::Corrupt {
            path: path.to_path_buf(),
            source,
        }
    } else {
        CaseError::Sqlite {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn user_version(conn: &Connection, path: &Path) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))
}

/// Applies the missing migrations, each in its own IMMEDIATE transaction, and
/// returns the resulting version.
fn migrate(conn: &Connection, path: &Path) -> Result<i64> {
    let found = user_version(conn, path)?;
    if found > SCHEMA_VERSION {
        return Err(CaseError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (version, sql) in (1..).zip(MIGRATIONS) {
        if version <= found {
            continue;
        }
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).at(path)?;
        // Another process may have migrated while this one waited for the lock.
        if user_version(&tx, path)? >= version {
            continue;
        }
        tx.execute_batch(sql).map_err(|e| classify(path, e))?;
        tx.pragma_update(None, "user_version", version).at(path)?;
        tx.commit().at(path)?;
    }
    Ok(SCHEMA_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CaseSettings {
        let mut s = CaseSettings::new("Case 1");
        s.time_zone = "Europe/Paris".into();
        s
    }

    #[test]
    fn create_then_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let case = Case::create(dir.path(), settings()).unwrap();
        assert!(case.reports_dir().is_dir());
        assert!(case.evidence_dir().is_dir());
        drop(case);
        let case = Case::open(dir.path()).unwrap();
        assert_eq!(case.settings().name, "Case 1");
        assert_eq!(case.settings().schema_version, SCHEMA_VERSION);
        let mode: String = case
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = case
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        assert!(matches!(
            Case::create(dir.path(), settings()),
            Err(CaseError::AlreadyExists { .. })
        ));
    }

    #[test]
    fn migrations_are_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        drop(Case::create(dir.path(), settings()).unwrap());
        for _ in 0..3 {
            let case = Case::open(dir.path()).unwrap();
            assert_eq!(
                user_version(case.conn(), case.db_path()).unwrap(),
                SCHEMA_VERSION
            );
            assert_eq!(
                migrate(case.conn(), case.db_path()).unwrap(),
                SCHEMA_VERSION
            );
        }
        let case = Case::open_or_create(dir.path(), CaseSettings::new("other")).unwrap();
        assert_eq!(case.settings().name, "Case 1");
    }

    #[test]
    fn a_version_1_case_upgrades_on_open() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(EVIDENCE_DIR)).unwrap();
        let db = dir.path().join(DATABASE_FILE);
        let conn = open_connection(&db, true).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO timeline_manual (time, action, recorded_at) VALUES ('2023-09-20T04:00:00.000Z', 'kept', 'x')",
            [],
        )
        .unwrap();
        drop(conn);
        let mut old = settings();
        old.schema_version = 1;
        old.store(&dir.path().join(SETTINGS_FILE)).unwrap();

        let case = Case::open(dir.path()).unwrap();
        assert_eq!(user_version(case.conn(), case.db_path()).unwrap(), 2);
        assert_eq!(case.settings().schema_version, 2);
        for table in [
            "findings",
            "finding_events",
            "verdicts",
            "indicators",
            "detection_runs",
        ] {
            let n: i64 = case
                .conn()
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 0, "{table}");
        }
        assert_eq!(case.timeline().unwrap()[0].action, "kept");
        drop(case);
        let reloaded = CaseSettings::load(&dir.path().join(SETTINGS_FILE)).unwrap();
        assert_eq!(reloaded.schema_version, 2);
    }

    #[test]
    fn refuses_what_is_not_a_case() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Case::open(dir.path()),
            Err(CaseError::NotACase { .. })
        ));
        drop(Case::create(dir.path(), settings()).unwrap());
        let db = dir.path().join(DATABASE_FILE);
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(dir.path().join(format!("{DATABASE_FILE}{suffix}")));
        }
        fs::write(&db, vec![0x42u8; 8192]).unwrap();
        let err = Case::open(dir.path()).unwrap_err();
        assert!(matches!(err, CaseError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("case.sqlite"));
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let case = Case::create(dir.path(), settings()).unwrap();
        case.conn()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(case);
        let err = Case::open(dir.path()).unwrap_err();
        assert!(matches!(err, CaseError::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1));
    }

    #[test]
    fn saves_settings_keeping_creation_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = Case::create(dir.path(), settings()).unwrap();
        let created = case.settings().created;
        let mut s = case.settings().clone();
        s.name = "Renamed".into();
        s.created = chrono::Utc::now() + chrono::Duration::days(3);
        case.save_settings(s).unwrap();
        drop(case);
        let case = Case::open(dir.path()).unwrap();
        assert_eq!(case.settings().name, "Renamed");
        assert_eq!(case.settings().created, created);
        let mut bad = case.settings().clone();
        bad.time_zone = "Europe/Atlantis".into();
        let mut case = case;
        assert!(case.save_settings(bad).is_err());
    }
}
