//! The errors of the case store. Every variant that comes from a file names it.

use std::io;
use std::path::PathBuf;

/// Why a case operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The directory has no `case.toml`.
    #[error("{path}: not a mailcase case (no case.toml)")]
    NotACase {
        /// The directory.
        path: PathBuf,
    },
    /// `create` was asked for a directory that already holds a case.
    #[error("{path}: a case already exists here")]
    AlreadyExists {
        /// The directory.
        path: PathBuf,
    },
    /// The database was written by a newer mailcase.
    #[error(
        "{path}: schema version {found} is newer than this mailcase supports ({supported}); use a newer mailcase"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Version found in the file.
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
    /// The database file is damaged or is not SQLite.
    #[error("{path}: the case database is corrupt or not a SQLite file: {source}")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The system error.
        source: io::Error,
    },
    /// `case.toml` is unreadable or holds an invalid value.
    #[error("{path}: invalid case settings: {message}")]
    Settings {
        /// The settings file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// SQLite refused an operation.
    #[error("{path}: database error: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A stored row could not be decoded (edited outside mailcase, or a bug).
    #[error("{path}: {table} row {row}: {message}")]
    BadRow {
        /// The database file.
        path: PathBuf,
        /// The table.
        table: &'static str,
        /// The row's id or sequence number.
        row: i64,
        /// What is wrong with it.
        message: String,
    },
    /// `query_readonly` refused a statement that is not a read.
    #[error("query refused: {0}")]
    QueryRefused(String),
    /// No evidence file has this id.
    #[error("evidence {0} is not registered in this case")]
    UnknownEvidence(i64),
    /// No journal entry has this sequence number.
    #[error("journal entry {0} does not exist")]
    UnknownEntry(i64),
    /// No finding has this id (findings are replaced by each detection run).
    #[error("finding {0} does not exist")]
    UnknownFinding(i64),
    /// The journal entry is already struck.
    #[error("journal entry {seq} is already struck by entry {by}")]
    AlreadyStruck {
        /// The entry asked for.
        seq: i64,
        /// The strike entry that struck it.
        by: i64,
    },
    /// An argument is invalid (empty author, unknown time zone...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

/// Result with a [`CaseError`].
pub type Result<T, E = CaseError> = std::result::Result<T, E>;

/// Attaches the database path to SQLite errors.
pub(crate) trait SqlContext<T> {
    /// Maps the error to [`CaseError::Sqlite`] naming `path`.
    fn at(self, path: &std::path::Path) -> Result<T>;
}

impl<T> SqlContext<T> for rusqlite::Result<T> {
    fn at(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|source| CaseError::Sqlite {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Attaches a path to I/O errors.
pub(crate) trait IoContext<T> {
    /// Maps the error to [`CaseError::Io`] naming `path`.
    fn at(self, path: &std::path::Path) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|source| CaseError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}
