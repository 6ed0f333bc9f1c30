//! The journal (main courante): an append-only, hash-chained incident log.
//!
//! Nothing is ever changed or removed: triggers refuse `UPDATE` and `DELETE`, and a
//! wrong entry is struck by a new `strike` entry that names it and gives the reason.
//! Both stay readable.
//!
//! # The hash chain
//! Each entry stores `hash` = SHA-256 (lower-case hex) of the UTF-8 bytes of its
//! canonical JSON: one compact object (no spaces) with these keys in this order:
//! `seq`, `occurred_at`, `recorded_at`, `author`, `kind`, `text`, `concerns`, `links`,
//! `strikes`, `reason`, `prev_hash`. Times are the stored text
//! (`2023-09-20T04:05:03.123Z`), absent values are `null`, strings are escaped as
//! serde_json writes them (`"` `\` and control characters only, non-ASCII kept as
//! UTF-8), links are `{"type":"event","id":123}`. `prev_hash` is the previous entry's
//! hash, or 64 zeros for the first entry; `id` is the first 16 hex digits of `hash`.
//!
//! [`Case::journal_verify`] recomputes the chain and reports which entry was altered,
//! removed (a gap in `seq`, a broken link, or a tail shorter than SQLite's AUTOINCREMENT
//! counter) or moved. Someone able to rewrite the whole chain can forge it: keep the
//! head hash printed by `verify` outside the case (a mail, a ticket, paper).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{CaseError, Result, SqlContext};
use crate::store::Case;
use crate::times::{from_stored, to_stored};

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What kind of entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// An observation.
    Note,
    /// Something the team did (reset a password, blocked an account...).
    Action,
    /// Written by mailcase itself (import, detection run...).
    System,
    /// Strikes an earlier entry.
    Strike,
}

impl EntryKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Note => "note",
            EntryKind::Action => "action",
            EntryKind::System => "system",
            EntryKind::Strike => "strike",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Note, Self::Action, Self::System, Self::Strike]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// Something an entry points to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Link {
    /// An event (its `EventId` value).
    Event(i64),
    /// A finding.
    Finding(i64),
    /// A task.
    Task(i64),
    /// An evidence file.
    Evidence(i64),
}

/// An entry to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// When it happened; `None` for now. May be earlier than when it is recorded.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Who writes it.
    pub author: String,
    /// Note, action or system (strikes go through [`Case::journal_strike`]).
    pub kind: EntryKind,
    /// What happened.
    pub text: String,
    /// Machines and accounts concerned.
    pub concerns: Vec<String>,
    /// Events, findings, tasks, evidence it refers to.
    pub links: Vec<Link>,
}

impl NewEntry {
    /// A note by `author`, happening now, concerning nothing in particular.
    pub fn note(author: impl Into<String>, text: impl Into<String>) -> Self {
        NewEntry {
            occurred_at: None,
            author: author.into(),
            kind: EntryKind::Note,
            text: text.into(),
            concerns: Vec::new(),
            links: Vec::new(),
        }
    }
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Position in the journal, from 1, without gaps.
    pub seq: i64,
    /// Short stable id: the first 16 hex digits of `hash`.
    pub id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was written.
    pub recorded_at: DateTime<Utc>,
    /// Who wrote it.
    pub author: String,
    /// Kind.
    pub kind: EntryKind,
    /// Text (empty for strikes: see `reason`).
    pub text: String,
    /// Machines and accounts concerned.
    pub concerns: Vec<String>,
    /// What it refers to.
    pub links: Vec<Link>,
    /// For a strike: the seq of the entry it strikes.
    pub strikes: Option<i64>,
    /// For a strike: why.
    pub reason: Option<String>,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry (see the module documentation).
    pub hash: String,
    /// The seq of the strike entry that struck this one, if any.
    pub struck_by: Option<i64>,
}

/// What [`Case::journal_verify`] found wrong, naming the entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum JournalProblem {
    /// The entry's content does not match its hash: changed after it was written.
    Altered {
        /// The entry.
        seq: i64,
    },
    /// Entries `from..=to` are absent.
    Missing {
        /// First absent seq.
        from: i64,
        /// Last absent seq.
        to: i64,
    },
    /// The entry does not follow the one before it. When its `prev_hash` is the hash
    /// of another entry (`links_to`), entries were reordered.
    BrokenLink {
        /// The entry.
        seq: i64,
        /// The entry its `prev_hash` designates, when there is one.
        links_to: Option<i64>,
    },
    /// The last entries were removed (SQLite's counter went up to `to`).
    TailRemoved {
        /// First absent seq.
        from: i64,
        /// Last seq ever written.
        to: i64,
    },
    /// The entry cannot be read back (bad time, kind or JSON).
    Unreadable {
        /// The entry.
        seq: i64,
        /// Why.
        reason: String,
    },
}

/// The result of verifying the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries read.
    pub entries: u64,
    /// Hash of the last entry: keep it outside the case to detect a rewritten chain.
    pub head: Option<String>,
    /// Everything wrong, in seq order; empty when the journal is intact.
    pub problems: Vec<JournalProblem>,
}

impl VerifyReport {
    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The hashed fields, in the canonical order (serde writes struct fields in order).
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    occurred_at: &'a str,
    recorded_at: &'a str,
    author: &'a str,
    kind: &'a str,
    text: &'a str,
    concerns: &'a [String],
    links: &'a [Link],
    strikes: Option<i64>,
    reason: Option<&'a str>,
    prev_hash: &'a str,
}

impl Canonical<'_> {
    fn hash(&self) -> String {
        // Serialising strings, integers and vectors of them cannot fail.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }
}

/// An entry as stored, before its text columns are decoded.
struct Stored {
    seq: i64,
    id: String,
    occurred_at: String,
    recorded_at: String,
    author: String,
    kind: String,
    text: String,
    concerns: String,
    links: String,
    strikes: Option<i64>,
    reason: Option<String>,
    prev_hash: String,
    hash: String,
}

const SELECT_STORED: &str = "SELECT seq, id, occurred_at, recorded_at, author, kind, text, \
    concerns, links, strikes, reason, prev_hash, hash FROM journal";

fn read_stored(r: &Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        seq: r.get(0)?,
        id: r.get(1)?,
        occurred_at: r.get(2)?,
        recorded_at: r.get(3)?,
        author: r.get(4)?,
        kind: r.get(5)?,
        text: r.get(6)?,
        concerns: r.get(7)?,
        links: r.get(8)?,
        strikes: r.get(9)?,
        reason: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

impl Stored {
    /// Decodes the JSON and time columns.
    fn decode(self, struck_by: Option<i64>) -> std::result::Result<Entry, String> {
        let concerns: Vec<String> =
            serde_json::from_str(&self.concerns).map_err(|e| format!("concerns: {e}"))?;
        let links: Vec<Link> =
            serde_json::from_str(&self.links).map_err(|e| format!("links: {e}"))?;
        let kind =
            EntryKind::parse(&self.kind).ok_or_else(|| format!("unknown kind {:?}", self.kind))?;
        let occurred_at = from_stored(&self.occurred_at).ok_or("bad occurred_at")?;
        let recorded_at = from_stored(&self.recorded_at).ok_or("bad recorded_at")?;
        Ok(Entry {
            seq: self.seq,
            id: self.id,
            occurred_at,
            recorded_at,
            author: self.author,
            kind,
            text: self.text,
            concerns,
            links,
            strikes: self.strikes,
            reason: self.reason,
            prev_hash: self.prev_hash,
            hash: self.hash,
            struck_by,
        })
    }

    /// The hash its content should have, recomputed from the stored text.
    fn expected_hash(&self) -> std::result::Result<String, String> {
        let concerns: Vec<String> =
            serde_json::from_str(&self.concerns).map_err(|e| format!("concerns: {e}"))?;
        let links: Vec<Link> =
            serde_json::from_str(&self.links).map_err(|e| format!("links: {e}"))?;
        Ok(Canonical {
            seq: self.seq,
            occurred_at: &self.occurred_at,
            recorded_at: &self.recorded_at,
            author: &self.author,
            kind: &self.kind,
            text: &self.text,
            concerns: &concerns,
            links: &links,
            strikes: self.strikes,
            reason: self.reason.as_deref(),
            prev_hash: &self.prev_hash,
        }
        .hash())
    }
}

/// Fields of an entry being appended.
struct Append<'a> {
    occurred_at: DateTime<Utc>,
    author: &'a str,
    kind: EntryKind,
    text: &'a str,
    concerns: &'a [String],
    links: &'a [Link],
    strikes: Option<i64>,
    reason: Option<&'a str>,
}

impl Case {
    /// Appends an entry and returns it as stored.
    pub fn journal_add(&self, entry: NewEntry) -> Result<Entry> {
        if entry.kind == EntryKind::Strike {
            return Err(CaseError::InvalidInput(
                "use journal_strike to strike an entry".into(),
            ));
        }
        if entry.text.trim().is_empty() {
            return Err(CaseError::InvalidInput(
                "a journal entry needs a text".into(),
            ));
        }
        self.append(Append {
            occurred_at: entry.occurred_at.unwrap_or_else(Utc::now),
            author: &entry.author,
            kind: entry.kind,
            text: &entry.text,
            concerns: &entry.concerns,
            links: &entry.links,
            strikes: None,
            reason: None,
        })
    }

    /// Strikes entry `seq` with a new entry giving `reason`. Fails when `seq` does not
    /// exist or is already struck.
    pub fn journal_strike(&self, seq: i64, reason: &str, author: &str) -> Result<Entry> {
        if reason.trim().is_empty() {
            return Err(CaseError::InvalidInput(
                "striking an entry needs a reason".into(),
            ));
        }
        self.append(Append {
            occurred_at: Utc::now(),
            author,
            kind: EntryKind::Strike,
            text: "",
            concerns: &[],
            links: &[],
            strikes: Some(seq),
            reason: Some(reason),
        })
    }

    /// Every entry in order, with `struck_by` filled.
    pub fn journal_entries(&self) -> Result<Vec<Entry>> {
        let path = self.db_path();
        let sql = format!(
            "SELECT j.*, s.seq FROM ({SELECT_STORED}) j \
             LEFT JOIN journal s ON s.strikes = j.seq ORDER BY j.seq"
        );
        let mut stmt = self.conn().prepare(&sql).at(path)?;
        let rows = stmt
            .query_map([], |r| Ok((read_stored(r)?, r.get::<_, Option<i64>>(13)?)))
            .at(path)?;
        let mut out = Vec::new();
        for row in rows {
            let (stored, struck_by) = row.at(path)?;
            let seq = stored.seq;
            let entry = stored
                .decode(struck_by)
                .map_err(|message| CaseError::BadRow {
                    path: path.to_path_buf(),
                    table: "journal",
                    row: seq,
                    message,
                })?;
            out.push(entry);
        }
        Ok(out)
    }

    /// Recomputes the hash chain and reports every entry altered, removed or moved.
    pub fn journal_verify(&self) -> Result<VerifyReport> {
        let path = self.db_path();
        let mut stmt = self
            .conn()
            .prepare(&format!("{SELECT_STORED} ORDER BY seq"))
            .at(path)?;
        let rows = stmt.query_map([], read_stored).at(path)?;
        let mut stored = Vec::new();
        for row in rows {
            stored.push(row.at(path)?);
        }
        let counter = self.journal_counter()?;
        Ok(verify_chain(&stored, counter))
    }

    /// The highest seq ever given (SQLite's AUTOINCREMENT counter), 0 when none.
    fn journal_counter(&self) -> Result<i64> {
        let n: Option<i64> = self
            .conn()
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'journal'",
                [],
                |r| r.get(0),
            )
            .optional()
            .at(self.db_path())?;
        Ok(n.unwrap_or(0))
    }

    /// Appends in one IMMEDIATE transaction: seq and prev_hash are read under the write
    /// lock, so two writers cannot fork the chain.
    fn append(&self, a: Append<'_>) -> Result<Entry> {
        if a.author.trim().is_empty() {
            return Err(CaseError::InvalidInput(
                "a journal entry needs an author".into(),
            ));
        }
        let path = self.db_path();
        let tx = self.write_tx()?;
        if let Some(target) = a.strikes {
            check_strikable(&tx, path, target)?;
        }
        // After a removed tail the counter is ahead of max(seq): the next entry then
        // leaves a visible gap instead of hiding the removal.
        let seq: i64 = tx
            .query_row(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'journal'), 0), \
                        coalesce((SELECT max(seq) FROM journal), 0)) + 1",
                [],
                |r| r.get(0),
            )
            .at(path)?;
        let prev_hash: String = tx
            .query_row(
                "SELECT hash FROM journal ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .at(path)?
            .unwrap_or_else(|| GENESIS_HASH.to_owned());
        let occurred_at = to_stored(a.occurred_at);
        let recorded_at = to_stored(Utc::now());
        let canonical = Canonical {
            seq,
            occurred_at: &occurred_at,
            recorded_at: &recorded_at,
            author: a.author,
            kind: a.kind.as_str(),
            text: a.text,
            concerns: a.concerns,
            links: a.links,
            strikes: a.strikes,
            reason: a.reason,
            prev_hash: &prev_hash,
        };
        let hash = canonical.hash();
        let id = hash.get(..16).unwrap_or_default().to_owned();
        let concerns = serde_json::to_string(a.concerns).unwrap_or_else(|_| "[]".into());
        let links = serde_json::to_string(a.links).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "INSERT INTO journal (seq, id, occurred_at, recorded_at, author, kind, text, concerns, \
             links, strikes, reason, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![seq, id, occurred_at, recorded_at, a.author, a.kind.as_str(), a.text, concerns, links, a.strikes, a.reason, prev_hash, hash],
        )
        .at(path)?;
        tx.commit().at(path)?;
        let stored = Stored {
            seq,
            id,
            occurred_at,
            recorded_at,
            author: a.author.to_owned(),
            kind: a.kind.as_str().to_owned(),
            text: a.text.to_owned(),
            concerns,
            links,
            strikes: a.strikes,
            reason: a.reason.map(str::to_owned),
            prev_hash,
            hash,
        };
        stored.decode(None).map_err(|message| CaseError::BadRow {
            path: path.to_path_buf(),
            table: "journal",
            row: seq,
            message,
        })
    }
}

fn check_strikable(
    tx: &rusqlite::Transaction<'_>,
    path: &std::path::Path,
    target: i64,
) -> Result<()> {
    let exists: bool = tx
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM journal WHERE seq = ?1)",
            [target],
            |r| r.get(0),
        )
        .at(path)?;
    if !exists {
        return Err(CaseError::UnknownEntry(target));
    }
    let by: Option<i64> = tx
        .query_row(
            "SELECT seq FROM journal WHERE strikes = ?1",
            [target],
            |r| r.get(0),
        )
        .optional()
        .at(path)?;
    match by {
        Some(by) => Err(CaseError::AlreadyStruck { seq: target, by }),
        None => Ok(()),
    }
}

/// Checks entries (sorted by seq) against their hashes, each other and the counter.
fn verify_chain(entries: &[Stored], counter: i64) -> VerifyReport {
    let by_hash: std::collections::HashMap<&str, i64> =
        entries.iter().map(|e| (e.hash.as_str(), e.seq)).collect();
    let mut problems = Vec::new();
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH;
    for e in entries {
        if e.seq > expected_seq {
            problems.push(JournalProblem::Missing {
                from: expected_seq,
                to: e.seq - 1,
            });
        }
        match e.expected_hash() {
            Ok(h) if h == e.hash && e.hash.get(..16) == Some(e.id.as_str()) => {}
            Ok(_) => problems.push(JournalProblem::Altered { seq: e.seq }),
            Err(reason) => problems.push(JournalProblem::Unreadable { seq: e.seq, reason }),
        }
        if e.prev_hash != prev_hash {
            let links_to = by_hash.get(e.prev_hash.as_str()).copied();
            problems.push(JournalProblem::BrokenLink {
                seq: e.seq,
                links_to,
            });
        }
        prev_hash = &e.hash;
        expected_seq = e.seq + 1;
    }
    if counter >= expected_seq {
        problems.push(JournalProblem::TailRemoved {
            from: expected_seq,
            to: counter,
        });
    }
    VerifyReport {
        entries: entries.len() as u64,
        head: entries.last().map(|e| e.hash.clone()),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::new_case;

    fn three_entries(case: &Case) {
        for text in ["first", "second", "third"] {
            let mut e = NewEntry::note("alice", text);
            e.concerns = vec!["PC-042".into(), "debra@example.fr".into()];
            e.links = vec![Link::Event(7), Link::Finding(2)];
            case.journal_add(e).unwrap();
        }
    }

    fn raw(case: &Case, sql: &str) {
        case.conn().execute_batch(sql).unwrap();
    }

    #[test]
    fn chain_links_entries_and_strikes_stay_readable() {
        let (_dir, case) = new_case();
        three_entries(&case);
        let struck = case.journal_strike(2, "wrong machine", "bob").unwrap();
        assert_eq!(
            (struck.seq, struck.kind, struck.strikes),
            (4, EntryKind::Strike, Some(2))
        );
        assert!(matches!(
            case.journal_strike(2, "again", "bob"),
            Err(CaseError::AlreadyStruck { seq: 2, by: 4 })
        ));
        assert!(matches!(
            case.journal_strike(42, "x", "bob"),
            Err(CaseError::UnknownEntry(42))
        ));
        assert!(case.journal_strike(1, " ", "bob").is_err());
        let entries = case.journal_entries().unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].prev_hash, GENESIS_HASH);
        assert_eq!(entries[1].prev_hash, entries[0].hash);
        assert_eq!(entries[1].struck_by, Some(4));
        assert_eq!(entries[1].text, "second");
        assert_eq!(entries[0].struck_by, None);
        assert_eq!(entries[2].links, vec![Link::Event(7), Link::Finding(2)]);
        assert_eq!(entries[0].id, entries[0].hash[..16]);
        let report = case.journal_verify().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert_eq!(
            (report.entries, report.head.as_deref()),
            (4, Some(entries[3].hash.as_str()))
        );
    }

    #[test]
    fn hash_is_of_the_documented_canonical_json() {
        let c = Canonical {
            seq: 1,
            occurred_at: "2023-09-20T04:05:03.000Z",
            recorded_at: "2023-09-20T05:00:00.000Z",
            author: "alice",
            kind: "note",
            text: "a \"quoted\" é",
            concerns: &["PC-1".to_owned()],
            links: &[Link::Event(5)],
            strikes: None,
            reason: None,
            prev_hash: GENESIS_HASH,
        };
        let json = format!(
            "{{\"seq\":1,\"occurred_at\":\"2023-09-20T04:05:03.000Z\",\"recorded_at\":\"2023-09-20T05:00:00.000Z\",\
             \"author\":\"alice\",\"kind\":\"note\",\"text\":\"a \\\"quoted\\\" é\",\"concerns\":[\"PC-1\"],\
             \"links\":[{{\"type\":\"event\",\"id\":5}}],\"strikes\":null,\"reason\":null,\"prev_hash\":\"{GENESIS_HASH}\"}}"
        );
        assert_eq!(c.hash(), hex::encode(Sha256::digest(json.as_bytes())));
    }

    #[test]
    fn triggers_refuse_update_and_delete() {
        let (_dir, case) = new_case();
        three_entries(&case);
        assert!(
            case.conn()
                .execute_batch("UPDATE journal SET text = 'x' WHERE seq = 1")
                .is_err()
        );
        assert!(
            case.conn()
                .execute_batch("DELETE FROM journal WHERE seq = 1")
                .is_err()
        );
        assert!(case.journal_verify().unwrap().is_ok());
    }

    #[test]
    fn detects_an_altered_entry() {
        let (_dir, case) = new_case();
        three_entries(&case);
        raw(
            &case,
            "DROP TRIGGER journal_no_update; UPDATE journal SET text = 'nothing happened' WHERE seq = 2;",
        );
        let report = case.journal_verify().unwrap();
        assert_eq!(report.problems, vec![JournalProblem::Altered { seq: 2 }]);
        raw(
            &case,
            "UPDATE journal SET concerns = 'not json' WHERE seq = 3;",
        );
        let report = case.journal_verify().unwrap();
        assert!(
            matches!(
                report.problems.get(1),
                Some(JournalProblem::Unreadable { seq: 3, .. })
            ),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn detects_a_removed_entry() {
        let (_dir, case) = new_case();
        three_entries(&case);
        raw(
            &case,
            "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 2;",
        );
        let report = case.journal_verify().unwrap();
        assert_eq!(
            report.problems,
            vec![
                JournalProblem::Missing { from: 2, to: 2 },
                JournalProblem::BrokenLink {
                    seq: 3,
                    links_to: None
                }
            ]
        );
    }

    #[test]
    fn detects_a_removed_tail_even_after_new_entries() {
        let (_dir, case) = new_case();
        three_entries(&case);
        raw(
            &case,
            "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 3;",
        );
        let report = case.journal_verify().unwrap();
        assert_eq!(
            report.problems,
            vec![JournalProblem::TailRemoved { from: 3, to: 3 }]
        );
        let next = case.journal_add(NewEntry::note("alice", "later")).unwrap();
        assert_eq!(next.seq, 4, "the gap stays visible");
        let report = case.journal_verify().unwrap();
        assert_eq!(
            report.problems,
            vec![JournalProblem::Missing { from: 3, to: 3 }]
        );
    }

    #[test]
    fn detects_reordered_entries() {
        let (_dir, case) = new_case();
        three_entries(&case);
        raw(
            &case,
            "DROP TRIGGER journal_no_update; \
             UPDATE journal SET seq = 100 WHERE seq = 2; \
             UPDATE journal SET seq = 2 WHERE seq = 3; \
             UPDATE journal SET seq = 3 WHERE seq = 100;",
        );
        let report = case.journal_verify().unwrap();
        let seqs: Vec<i64> = report
            .problems
            .iter()
            .filter_map(|p| match p {
                JournalProblem::Altered { seq } => Some(*seq),
                _ => None,
            })
            .collect();
        assert_eq!(seqs, vec![2, 3]);
        assert!(
            report.problems.contains(&JournalProblem::BrokenLink {
                seq: 2,
                links_to: Some(3)
            }),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn refuses_empty_or_strike_entries() {
        let (_dir, case) = new_case();
        assert!(case.journal_add(NewEntry::note("", "x")).is_err());
        assert!(case.journal_add(NewEntry::note("a", "  ")).is_err());
        let mut e = NewEntry::note("a", "x");
        e.kind = EntryKind::Strike;
        assert!(case.journal_add(e).is_err());
        let earlier = Utc::now() - chrono::Duration::hours(5);
        let mut e = NewEntry::note("a", "user called at 9");
        e.occurred_at = Some(earlier);
        let stored = case.journal_add(e).unwrap();
        assert!(stored.occurred_at < stored.recorded_at);
    }
}
