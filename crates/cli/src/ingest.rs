//! The import pipeline: register, sniff, parse (all cores), enrich, store (one writer).
//!
//! Parsing runs inside `mailcase_sources::read_file` on the rayon pool and hands over
//! batches in file order; each batch is enriched in parallel, then sent through a
//! bounded channel to the single thread that owns the SQLite writer. The channel's
//! bound keeps memory flat: parsing waits when the writer is behind.
//!
//! Crash safety: an evidence file stays `importing` until all its events are stored,
//! and event ids derive from (evidence, record), so a rerun after a kill re-reads the
//! file and the store ignores the events it already has.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use crossbeam_channel::bounded;
use rayon::prelude::*;

use mailcase_case::events::PreparedEvent;
use mailcase_case::{Case, ImportCounts, ParseWarning, Registration};
use mailcase_enrich::Enricher;
use mailcase_sources::{Batch, Format};

/// Batches waiting for the writer at most.
const CHANNEL_BOUND: usize = 4;
/// Prepared bytes per batch sent to the writer (one transaction each): with
/// [`CHANNEL_BOUND`], what waits for the writer stays near 64 MiB whatever the file.
const BATCH_BYTES: usize = 16 << 20;
/// File size from which the indexes are rebuilt after the load instead of maintained.
const BULK_THRESHOLD: u64 = 64 << 20;
/// Events per database transaction.
const EVENTS_PER_COMMIT: usize = 20_000;

/// What happened to one evidence file.
#[derive(Debug)]
pub enum FileOutcome {
    /// Parsed and stored.
    Imported { events: u64, warnings: u64, format: Format },
    /// Same SHA-256 as a file already imported: nothing done.
    AlreadyImported,
    /// Registered, but the format was not recognised.
    Unrecognised,
    /// Registered; an export with no record at all (`{"value":[]}`, `[]`, blank).
    Empty,
    /// Registered, parsing failed part-way (the error says why).
    Failed(String),
}

/// One evidence file's result.
#[derive(Debug)]
pub struct FileReport {
    /// The path given by the user.
    pub path: PathBuf,
    /// Evidence id in the case.
    pub evidence_id: i64,
    /// SHA-256.
    pub sha256: String,
    /// What happened.
    pub outcome: FileOutcome,
}

/// Every regular file under `paths` (directories walked recursively, sorted, hidden
/// files skipped).
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| p.display().to_string())?;
        if meta.is_dir() {
            walk(p, &mut files)?;
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| dir.display().to_string())?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let ty = entry.file_type().with_context(|| path.display().to_string())?;
        if ty.is_dir() {
            walk(&path, files)?;
        } else if ty.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

/// Imports one file into the case.
pub fn import_file(case: &Case, path: &Path, copy: bool, enricher: &Enricher, quiet: bool) -> Result<FileReport> {
    let registration = case.register_evidence(path, copy).with_context(|| path.display().to_string())?;
    let (id, resume) = match registration {
        Registration::New(id) => (id, false),
        Registration::Resume(id) => (id, true),
        Registration::AlreadyImported(id) => {
            let sha256 = evidence_sha(case, id)?;
            return Ok(FileReport { path: path.to_owned(), evidence_id: id, sha256, outcome: FileOutcome::AlreadyImported });
        }
    };
    let shown = path.display().to_string();
    if resume {
        println!("{}", crate::output::terminal_safe(&t!("evidence-resume", file = shown.clone())));
    }
    let evidence = case.evidence(id)?;
    let sha256 = evidence.sha256.clone();
    let stored = case.evidence_file(&evidence);
    let Some(format) = mailcase_sources::sniff_file(&stored).with_context(|| shown.clone())? else {
        // Recorded as complete with no event: re-adding it is a no-op, and the
        // registry shows it as unrecognised.
        let empty = is_empty_export(&stored);
        case.set_evidence_format(id, if empty { EMPTY } else { UNRECOGNISED })?;
        case.finish_evidence(id, ImportCounts::default())?;
        let outcome = if empty { FileOutcome::Empty } else { FileOutcome::Unrecognised };
        return Ok(FileReport { path: path.to_owned(), evidence_id: id, sha256, outcome });
    };
    case.set_evidence_format(id, format.id())?;
    case.begin_import(id)?;
    let outcome = match parse_and_store(case, id, &stored, format, enricher, &shown, quiet) {
        Ok(o) => o,
        Err(err) => {
            case.fail_evidence(id)?;
            FileOutcome::Failed(format!("{err:#}"))
        }
    };
    Ok(FileReport { path: path.to_owned(), evidence_id: id, sha256, outcome })
}

/// The format recorded for files no parser recognised.
pub const UNRECOGNISED: &str = "unrecognised";
/// The format recorded for exports that hold no record.
pub const EMPTY: &str = "empty";

/// Whether a small file is an export with no record: blank, `[]`, or a JSON
/// object whose only content is empty arrays (`{"value": []}`, `{"items": []}`).
fn is_empty_export(path: &Path) -> bool {
    const SMALL: u64 = 4096;
    if std::fs::metadata(path).map(|m| m.len() > SMALL).unwrap_or(true) {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return true;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(a)) => a.is_empty(),
        Ok(serde_json::Value::Object(o)) => {
            // Metadata scalars (`@odata.context`) beside empty record arrays.
            let mut arrays = o.values().filter(|v| v.is_array()).peekable();
            arrays.peek().is_some()
                && arrays.all(|v| v.as_array().is_some_and(Vec::is_empty))
                && !o.values().any(serde_json::Value::is_object)
        }
        _ => false,
    }
}

fn evidence_sha(case: &Case, id: i64) -> Result<String> {
    Ok(case.evidence(id)?.sha256)
}

fn parse_and_store(
    case: &Case,
    id: i64,
    stored: &Path,
    format: Format,
    enricher: &Enricher,
    shown: &str,
    quiet: bool,
) -> Result<FileOutcome> {
    let org_domains = case.settings().org_domains.as_slice();
    let size = std::fs::metadata(stored).map(|m| m.len()).unwrap_or(0);
    let bar = crate::progress::file_bar(size, shown, quiet);
    // Dropping the indexes and rebuilding them once is faster than maintaining them
    // row by row, but only pays off for a large file.
    let mut writer = case.event_writer(size >= BULK_THRESHOLD)?;
    let (tx, rx) = bounded::<Vec<PreparedEvent>>(CHANNEL_BOUND);
    let mut warning_error: Option<mailcase_case::CaseError> = None;
    let mut records_seen = 0u64;
    let (summary, written) = std::thread::scope(|scope| -> Result<_> {
        let writer_thread = scope.spawn(move || -> Result<u64> {
            let mut inserted = 0;
            for events in rx {
                inserted += writer.write_prepared(&events)?;
            }
            writer.finish()?;
            Ok(inserted)
        });
        let mut pending: Vec<PreparedEvent> = Vec::new();
        let mut pending_bytes = 0usize;
        let summary = mailcase_sources::read_file(stored, format, id, |batch: Batch| {
            // Everything but the SQLite calls happens here, on all cores.
            let prepared: Vec<PreparedEvent> = batch
                .events
                .into_par_iter()
                .map(|mut e| {
                    enricher.enrich(&mut e);
                    attribute_inbound_trace(&mut e, org_domains);
                    let id = e.id;
                    PreparedEvent::new(e).map_err(|err| format!("event {id}: {err}"))
                })
                .collect::<Result<_, _>>()?;
            records_seen += batch.records;
            if !batch.warnings.is_empty() && warning_error.is_none() {
                let warnings: Vec<ParseWarning> = batch
                    .warnings
                    .into_iter()
                    .map(|w| ParseWarning { record: Some(w.record), message: w.message })
                    .collect();
                // The case keeps the first warnings of a file and counts them all.
                if let Err(e) = case.add_warnings(id, &warnings) {
                    warning_error = Some(e);
                }
            }
            pending_bytes += prepared.iter().map(PreparedEvent::heap_bytes).sum::<usize>();
            pending.extend(prepared);
            bar.set_position(batch.bytes_read);
            bar.set_message(format!("{records_seen} records"));
            if pending.len() >= EVENTS_PER_COMMIT || pending_bytes >= BATCH_BYTES {
                pending_bytes = 0;
                tx.send(std::mem::take(&mut pending)).map_err(|_| "the database writer stopped")?;
            }
            Ok(())
        });
        if !pending.is_empty() {
            let _ = tx.send(pending);
        }
        drop(tx);
        // The writer's own error explains a sink failure: report it first.
        let written = writer_thread.join().map_err(|_| anyhow::anyhow!("database writer panicked"))??;
        let summary = summary.with_context(|| shown.to_owned())?;
        Ok((summary, written))
    })?;
    bar.finish_and_clear();
    if let Some(e) = warning_error {
        return Err(e.into());
    }
    let _ = written;
    case.finish_evidence(id, ImportCounts { records: summary.records, events: summary.events })?;
    Ok(FileOutcome::Imported { events: summary.events, warnings: summary.warnings, format })
}

/// A message trace line is about the organisation's mailbox: the recipient of mail
/// coming from outside, the sender otherwise. Exports without a direction column leave
/// that to us, and only the case knows the organisation's domains.
fn attribute_inbound_trace(event: &mut mailcase_model::Event, org_domains: &[String]) {
    let mailcase_model::Action::MessageTrace(trace) = &event.action else { return };
    let is_org = |addr: &Option<String>| {
        addr.as_deref()
            .and_then(|a| a.rsplit_once('@'))
            .is_some_and(|(_, d)| org_domains.iter().any(|o| d.eq_ignore_ascii_case(o)))
    };
    if !is_org(&trace.sender) && is_org(&trace.recipient) {
        event.account = trace.recipient.as_deref().and_then(mailcase_model::Account::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::{Action, Event, EvidenceRef, MessageTrace, RawRecord, SourceKind};

    fn trace(sender: &str, recipient: &str) -> Event {
        let action = Action::MessageTrace(MessageTrace {
            sender: Some(sender.into()),
            recipient: Some(recipient.into()),
            ..Default::default()
        });
        let mut e = Event::new(EvidenceRef { evidence: 1, record: 1 }, chrono::Utc::now(), SourceKind::ExoMessageTrace, action, RawRecord("{}".into()));
        e.account = mailcase_model::Account::new(sender);
        e
    }

    #[test]
    fn empty_exports_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("{\"value\": []}", true),
            ("[]", true),
            ("  \n", true),
            ("{\"@odata.context\": \"x\", \"value\": []}", true),
            ("{\"value\": [{\"a\": 1}]}", false),
            ("hello", false),
            ("{\"a\": 1}", false),
        ];
        for (i, (text, empty)) in cases.iter().enumerate() {
            let p = dir.path().join(format!("{i}.json"));
            std::fs::write(&p, text).unwrap();
            assert_eq!(is_empty_export(&p), *empty, "{text}");
        }
    }

    #[test]
    fn inbound_mail_belongs_to_the_recipient() {
        let org = vec!["hopital-exemple.fr".to_owned()];
        let mut inbound = trace("phish@evil.example", "Marie@Hopital-Exemple.fr");
        attribute_inbound_trace(&mut inbound, &org);
        assert_eq!(inbound.account.unwrap().as_str(), "marie@hopital-exemple.fr");
        let mut outbound = trace("marie@hopital-exemple.fr", "partner@clinic.example");
        attribute_inbound_trace(&mut outbound, &org);
        assert_eq!(outbound.account.unwrap().as_str(), "marie@hopital-exemple.fr");
        let mut unknown = trace("a@x.example", "b@y.example");
        attribute_inbound_trace(&mut unknown, &[]);
        assert_eq!(unknown.account.unwrap().as_str(), "a@x.example");
    }
}
