//! The mailcase case: a directory holding `case.toml` (settings), `case.sqlite` (the
//! store), `evidence/` (read-only copies of the imported files) and `reports/`.
//!
//! # The store
//! One SQLite file in WAL mode, foreign keys on. The schema is versioned with
//! `PRAGMA user_version`; migrations live in `src/schema/*.sql`, are embedded in the
//! binary, and each is applied in one IMMEDIATE transaction when a case is opened. A
//! database newer than the binary is refused, never downgraded.
//!
//! Tables: `evidence` and `parse_warnings` ([`evidence`] module), `events` (columns
//! documented on [`EventRow`]; read back as model events by [`model_events`]),
//! `journal` (the append-only incident log, [`journal`] module), `timeline_manual`
//! ([`timeline`] module), and what detection concludes: `detection_runs`, `findings`,
//! `finding_events`, `verdicts` and `indicators` ([`findings`] and [`finding_query`]
//! modules; each run replaces the previous one's results in one transaction).
//!
//! # Crash safety and resume
//! Every change is a transaction, so a kill at any point leaves the database as it was
//! before or after each transaction, never between. An import goes:
//! 1. [`Case::register_evidence`]: the copy is written under a temporary name, synced,
//!    renamed into `evidence/<sha256>/`, then the registry row is inserted. A kill before
//!    the insert leaves at most a stray file that the next registration reuses.
//! 2. [`Case::begin_import`] (status `importing`), then batches through an
//!    [`EventWriter`]: each batch is one transaction of `INSERT OR IGNORE` on stable
//!    event ids.
//! 3. [`Case::finish_evidence`] (status `complete`).
//!
//! Registering the same content again answers [`Registration::AlreadyImported`] after
//! step 3 and [`Registration::Resume`] before it: the caller parses the file again and
//! the events already committed are ignored, so there are no duplicates and nothing is
//! lost. A bulk load that was killed leaves the event indexes dropped; opening the case
//! rebuilds them.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod event_query;
pub mod events;
pub mod evidence;
pub mod finding_query;
pub mod findings;
pub mod journal;
pub mod model_events;
mod settings;
pub mod sql_query;
pub mod stats;
mod store;
#[cfg(test)]
mod test_support;
pub mod timeline;
pub mod times;

pub use error::{CaseError, Result};
pub use event_query::{EventFilter, EventRow};
pub use events::{EVENT_INDEXES, EventWriter};
pub use evidence::{
    Evidence, EvidenceStatus, ImportCounts, MAX_WARNINGS_PER_FILE, ParseWarning, Registration,
    sanitise_file_name,
};
pub use finding_query::{
    DetectionRun, FINDING_EVENT_IDS_LOADED, FindingFilter, StoredFinding, StoredIndicator,
    StoredVerdict,
};
pub use findings::{DetectionResults, RunId};
pub use journal::{Entry, EntryKind, JournalProblem, Link, NewEntry, VerifyReport};
pub use model_events::SkippedRows;
pub use settings::{CaseSettings, Language};
pub use sql_query::QueryResult;
pub use stats::{AccountSummary, SignInGroup, SourceCount};
pub use store::{Case, DATABASE_FILE, EVIDENCE_DIR, REPORTS_DIR, SCHEMA_VERSION, SETTINGS_FILE};
pub use timeline::{ManualEntry, TimelineRow};
pub use times::LocalTime;
