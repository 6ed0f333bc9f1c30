//! Errors of the enrichment crate.

use std::path::PathBuf;

/// What went wrong while opening, reading or building an enrichment database.
///
/// Every variant names the file concerned, so the message can be shown as is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnrichError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file that looks like a MaxMind DB could not be opened.
    #[error("{path}: not a valid MaxMind database: {source}")]
    Mmdb {
        /// The database file.
        path: PathBuf,
        /// What the reader said.
        source: maxminddb::MaxMindDbError,
    },
    /// A MaxMind DB with neither country nor ASN data.
    #[error("{path}: unsupported MaxMind database type {database_type:?} (no country or ASN data)")]
    UnsupportedDatabase {
        /// The database file.
        path: PathBuf,
        /// The `database_type` from its metadata.
        database_type: String,
    },
    /// A compact ASN table that is truncated, corrupt or of another version.
    #[error("{path}: invalid ASN table: {reason}")]
    AsnTable {
        /// The table file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A CSV source that cannot be read at all (individual bad rows are skipped
    /// and counted instead).
    #[error("{path}: {reason}")]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// An import directory holding none of the expected files.
    #[error("{dir}: nothing to import ({expected})")]
    NothingToImport {
        /// The directory searched.
        dir: PathBuf,
        /// What was looked for.
        expected: String,
    },
}

impl EnrichError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EnrichError::Io {
            path: path.into(),
            source,
        }
    }
}
