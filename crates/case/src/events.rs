//! Writing events: batched, idempotent inserts into the `events` table.
//!
//! Ids are stable ([`mailcase_model::EventId`]: evidence id and record position), and
//! the insert is `INSERT OR IGNORE`, so re-importing a file after a crash adds only the
//! events that were not committed yet.

use std::path::{Path, PathBuf};

use mailcase_model::Event;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::error::{CaseError, Result, SqlContext};
use crate::store::{Case, open_connection};
use crate::times::to_stored;

/// Secondary indexes of `events`: name and definition. Bulk mode drops them before a
/// big load and rebuilds them at the end; opening a case rebuilds any that are missing
/// (a bulk load that was killed).
pub const EVENT_INDEXES: &[(&str, &str)] = &[
    (
        "events_time",
        "CREATE INDEX IF NOT EXISTS events_time ON events(time)",
    ),
    (
        "events_account",
        "CREATE INDEX IF NOT EXISTS events_account ON events(account)",
    ),
    (
        "events_ip",
        "CREATE INDEX IF NOT EXISTS events_ip ON events(ip)",
    ),
    (
        "events_action",
        "CREATE INDEX IF NOT EXISTS events_action ON events(action)",
    ),
    (
        "events_account_time",
        "CREATE INDEX IF NOT EXISTS events_account_time ON events(account, time)",
    ),
    (
        "events_notable",
        "CREATE INDEX IF NOT EXISTS events_notable ON events(time) WHERE notable = 1",
    ),
];

const INSERT_EVENT: &str = "INSERT OR IGNORE INTO events (id, time, source, evidence_id, \
    record, account, actor, action, outcome, error_code, ip, port, country, asn, as_org, \
    net_class, user_agent, app_id, app, protocol, session_id, device, details, raw, notable) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
    ?19, ?20, ?21, ?22, ?23, ?24, ?25)";

/// Creates the indexes of [`EVENT_INDEXES`] that are missing. Looks first, so that a
/// complete database takes no write lock.
pub(crate) fn ensure_indexes(conn: &Connection, path: &Path) -> Result<()> {
    for (name, sql) in EVENT_INDEXES {
        let present: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
                [name],
                |r| r.get(0),
            )
            .at(path)?;
        if !present {
            conn.execute_batch(sql).at(path)?;
        }
    }
    Ok(())
}

/// Writes events from one thread. Create it with [`Case::event_writer`], give it
/// batches with [`EventWriter::write`] and end with [`EventWriter::finish`]. A bulk
/// writer dropped without `finish` leaves the indexes dropped until the case is next
/// opened (which rebuilds them).
#[derive(Debug)]
pub struct EventWriter {
    conn: Connection,
    path: PathBuf,
    bulk: bool,
}

impl Case {
    /// A writer on its own connection (movable to another thread). In `bulk` mode the
    /// secondary indexes are dropped now and rebuilt by [`EventWriter::finish`]: much
    /// faster for a large load, but queries are slow until then.
    pub fn event_writer(&self, bulk: bool) -> Result<EventWriter> {
        let path = self.db_path().to_path_buf();
        let conn = open_connection(&path, false)?;
        // 256 MiB of page cache keeps the B-tree pages of the table in memory; fewer,
        // larger checkpoints (64 MiB of WAL) write the database more sequentially; the
        // WAL is truncated back to 64 MiB after each so it does not stay large.
        conn.execute_batch(
            "PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 16384; \
             PRAGMA journal_size_limit = 67108864;",
        )
        .at(&path)?;
        if bulk {
            let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate).at(&path)?;
            for (name, _) in EVENT_INDEXES {
                tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))
                    .at(&path)?;
            }
            tx.commit().at(&path)?;
        }
        Ok(EventWriter { conn, path, bulk })
    }
}

impl EventWriter {
    /// Writes one batch in one IMMEDIATE transaction and returns how many events were
    /// new (the others were already stored). Either the whole batch is stored or none
    /// of it. Give large batches (10 000 to 50 000 events): one commit per batch.
    pub fn write(&mut self, events: &[Event]) -> Result<u64> {
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).at(&self.path)?;
        let mut inserted = 0u64;
        {
            let mut stmt = tx.prepare_cached(INSERT_EVENT).at(&self.path)?;
            for event in events {
                inserted += insert_one(&mut stmt, event).map_err(|e| self.error_for(event, e))?;
            }
        }
        tx.commit().at(&self.path)?;
        Ok(inserted)
    }

    /// Rebuilds the indexes (bulk mode) and refreshes the planner's statistics.
    pub fn finish(self) -> Result<()> {
        if self.bulk {
            ensure_indexes(&self.conn, &self.path)?;
        }
        self.conn.execute_batch("PRAGMA optimize;").at(&self.path)
    }

    fn error_for(&self, event: &Event, source: rusqlite::Error) -> CaseError {
        CaseError::BadRow {
            path: self.path.clone(),
            table: "events",
            row: event.id.0,
            message: format!("cannot store event {}: {source}", event.id),
        }
    }
}

/// Runs the cached insert for one event; returns 1 when it was new.
fn insert_one(stmt: &mut rusqlite::CachedStatement<'_>, e: &Event) -> rusqlite::Result<u64> {
    let details = serde_json::to_string(&e.action)
        .map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))?;
    let geo = e.geo.as_ref();
    let c = &e.client;
    let changed = stmt.execute(params![
        e.id.0,
        to_stored(e.time),
        e.source.as_str(),
        e.evidence.evidence,
        i64::try_from(e.evidence.record).unwrap_or(i64::MAX),
        e.account.as_ref().map(|a| a.as_str()),
        e.actor.as_deref(),
        e.action.name(),
        e.outcome.as_str(),
        e.outcome.code(),
        c.ip.map(|ip| ip.to_string()),
        c.port,
        geo.and_then(|g| g.country.as_deref()),
        geo.and_then(|g| g.asn),
        geo.and_then(|g| g.as_org.as_deref()),
        geo.map(|g| g.net_class.as_str()),
        c.user_agent.as_deref(),
        c.app_id.as_deref(),
        c.app_name.as_deref(),
        c.protocol.as_deref(),
        c.session_id.as_deref(),
        c.device.as_deref(),
        details,
        e.raw.as_str(),
        e.action.is_notable(),
    ])?;
    Ok(changed as u64)
}

#[cfg(test)]
mod tests {
    use crate::EventFilter;
    use crate::test_support::{evidence, new_case, new_rule, sign_in};

    #[test]
    fn events_round_trip_and_reimport_adds_nothing() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let events = vec![
            sign_in(ev, 1, "Debra@Example.FR", 5, true),
            new_rule(ev, 2, "debra@example.fr", 6),
        ];
        let mut w = case.event_writer(false).unwrap();
        assert_eq!(w.write(&events).unwrap(), 2);
        assert_eq!(
            w.write(&events).unwrap(),
            0,
            "INSERT OR IGNORE on stable ids"
        );
        w.finish().unwrap();
        let rows = case.events(&EventFilter::default()).unwrap();
        assert_eq!(rows.len(), 2);
        let r = &rows[0];
        assert_eq!(r.id, events[0].id.0);
        assert_eq!(r.time, "2023-09-20T04:05:03.000Z");
        assert_eq!(
            (r.source.as_str(), r.evidence_id, r.record),
            ("entra_signin", ev, 1)
        );
        assert_eq!(r.account.as_deref(), Some("debra@example.fr"));
        assert_eq!(
            (r.action.as_str(), r.outcome.as_str()),
            ("sign_in", "success")
        );
        assert_eq!(
            (r.ip.as_deref(), r.port),
            (Some("81.2.69.144"), Some(51234))
        );
        assert_eq!(
            (r.country.as_deref(), r.asn, r.as_org.as_deref()),
            (Some("FR"), Some(3215), Some("Orange"))
        );
        assert_eq!(r.net_class.as_deref(), Some("public"));
        assert_eq!(r.user_agent.as_deref(), Some("Mozilla/5.0 \"x\""));
        assert_eq!(r.raw, events[0].raw.0);
        let action: mailcase_model::Action = serde_json::from_str(&rows[1].details).unwrap();
        assert_eq!(action, events[1].action);
        assert_eq!(rows[1].actor, None);
        assert_eq!(rows[1].ip, None);
    }

    #[test]
    fn an_interrupted_import_resumes_without_duplicates() {
        let (dir, case) = new_case();
        let path = dir.path().join("signins.json");
        std::fs::write(&path, "[]").unwrap();
        let id = case.register_evidence(&path, true).unwrap().id();
        case.begin_import(id).unwrap();
        let all: Vec<_> = (1..=6)
            .map(|r| sign_in(id, r, "a@x.fr", r as u32, true))
            .collect();
        let mut w = case.event_writer(true).unwrap();
        w.write(&all[..4]).unwrap();
        drop(w); // killed before the end
        let case = crate::Case::open(case.dir()).unwrap();
        let reg = case.register_evidence(&path, true).unwrap();
        assert_eq!(reg, crate::Registration::Resume(id));
        case.begin_import(id).unwrap();
        let mut w = case.event_writer(true).unwrap();
        assert_eq!(w.write(&all[..3]).unwrap() + w.write(&all[3..]).unwrap(), 2);
        w.finish().unwrap();
        case.finish_evidence(
            id,
            crate::ImportCounts {
                records: 6,
                events: 6,
            },
        )
        .unwrap();
        assert_eq!(case.event_count().unwrap(), 6);
        assert_eq!(
            case.register_evidence(&path, true).unwrap(),
            crate::Registration::AlreadyImported(id)
        );
    }

    #[test]
    fn filters_select_the_right_rows() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let mut w = case.event_writer(false).unwrap();
        let batch: Vec<_> = (0..10)
            .map(|i| {
                sign_in(
                    ev,
                    i + 1,
                    if i % 2 == 0 { "a@x.fr" } else { "b@x.fr" },
                    i as u32,
                    i < 5,
                )
            })
            .collect();
        w.write(&batch).unwrap();
        let f = |filter: EventFilter| {
            case.events(&filter)
                .unwrap()
                .into_iter()
                .map(|r| r.record)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            f(EventFilter {
                account: Some("A@X.FR".into()),
                ..Default::default()
            }),
            vec![1, 3, 5, 7, 9]
        );
        let since = batch[2].time;
        let until = batch[5].time;
        assert_eq!(
            f(EventFilter {
                since: Some(since),
                until: Some(until),
                ..Default::default()
            }),
            vec![3, 4, 5]
        );
        assert_eq!(
            f(EventFilter {
                limit: Some(2),
                offset: 3,
                ..Default::default()
            }),
            vec![4, 5]
        );
        assert_eq!(
            f(EventFilter {
                action: Some("mail_sent".into()),
                ..Default::default()
            }),
            Vec::<i64>::new()
        );
        assert_eq!(
            f(EventFilter {
                ip: Some("81.2.69.144".into()),
                source: Some("entra_signin".into()),
                ..Default::default()
            })
            .len(),
            10
        );
    }

    #[test]
    fn bulk_mode_drops_then_restores_indexes() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let count = || -> i64 {
            case.conn()
                .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'", [], |r| r.get(0))
                .unwrap()
        };
        let all = super::EVENT_INDEXES.len() as i64;
        assert_eq!(count(), all);
        let mut w = case.event_writer(true).unwrap();
        assert_eq!(count(), 0);
        w.write(&[sign_in(ev, 1, "a@x.fr", 1, true)]).unwrap();
        // Killed here: reopening the case rebuilds the indexes.
        drop(w);
        let reopened = crate::Case::open(case.dir()).unwrap();
        assert_eq!(count(), all);
        let w = reopened.event_writer(true).unwrap();
        w.finish().unwrap();
        assert_eq!(count(), all);
    }

    #[test]
    fn a_batch_for_unknown_evidence_is_refused_whole() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let mut w = case.event_writer(false).unwrap();
        let err = w
            .write(&[
                sign_in(ev, 1, "a@x.fr", 1, true),
                sign_in(ev + 7, 1, "a@x.fr", 1, true),
            ])
            .unwrap_err();
        assert!(err.to_string().contains("events"), "{err}");
        assert_eq!(
            case.event_count().unwrap(),
            0,
            "the batch is one transaction"
        );
    }
}
