//! Errors of report rendering and writing.

use std::path::PathBuf;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The case's time zone is not a known IANA name.
    #[error("unknown time zone {zone:?} (expected an IANA name such as Europe/Paris)")]
    UnknownTimeZone {
        /// The name given.
        zone: String,
    },
    /// A built-in label table is invalid (a bug in the shipped data files).
    #[error("label table i18n/{lang}.toml is invalid: {source}")]
    Labels {
        /// Language of the table.
        lang: &'static str,
        /// The parse error.
        #[source]
        source: toml::de::Error,
    },
    /// The HTML template failed to load or render.
    #[error("HTML report template: {0}")]
    Template(#[from] minijinja::Error),
    /// The JSON report failed to serialise.
    #[error("JSON report: {0}")]
    Json(#[from] serde_json::Error),
    /// A JSON document is not a mailcase report of a supported version.
    #[error("not a supported JSON report: format {format:?}, version {version}")]
    UnsupportedJson {
        /// The `format` field found.
        format: String,
        /// The `format_version` field found.
        version: u32,
    },
    /// Writing a report file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file (or directory) concerned.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
