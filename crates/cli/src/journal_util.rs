//! Journal entries written by commands themselves.

use anyhow::Result;
use mailcase_case::{Case, EntryKind, Link, NewEntry};

/// The author to record: the one given, else the system user name.
pub fn author_or_default(given: Option<&str>) -> String {
    given
        .map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Adds a `system` entry happening now: every command that changes a case says so in
/// the journal.
pub fn system(case: &Case, author: &str, text: String, links: Vec<Link>) -> Result<()> {
    let entry = NewEntry { occurred_at: None, author: author.to_owned(), kind: EntryKind::System, text, concerns: Vec::new(), links };
    case.journal_add(entry)?;
    Ok(())
}
