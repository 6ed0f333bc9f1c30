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
    // Pivots by session id (token replay) would scan the table without it. `account`
    // alone needs no index of its own: `events_account_time` serves it.
    (
        "events_session",
        "CREATE INDEX IF NOT EXISTS events_session ON events(session_id) WHERE session_id IS NOT NULL",
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

/// One event as the columns of its `events` row: everything the writer binds, computed
/// beforehand. Build these on any thread (the import builds them on all cores) so that
/// the single writer thread only binds and steps.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedEvent {
    id: i64,
    time: String,
    source: &'static str,
    evidence_id: i64,
    record: i64,
    account: Option<String>,
    actor: Option<String>,
    action: &'static str,
    outcome: &'static str,
    error_code: Option<String>,
    ip: Option<String>,
    port: Option<u16>,
    country: Option<String>,
    asn: Option<u32>,
    as_org: Option<String>,
    net_class: Option<&'static str>,
    user_agent: Option<String>,
    app_id: Option<String>,
    app: Option<String>,
    protocol: Option<String>,
    session_id: Option<String>,
    device: Option<String>,
    details: String,
    raw: String,
    notable: bool,
}

impl PreparedEvent {
    /// Takes `event` apart into its row. The raw record and the other strings are moved,
    /// not copied. Fails only if the action cannot be written as JSON.
    pub fn new(event: Event) -> std::result::Result<Self, serde_json::Error> {
        let details = serde_json::to_string(&event.action)?;
        let (country, asn, as_org, net_class) = match event.geo {
            Some(g) => (g.country, g.asn, g.as_org, Some(g.net_class.as_str())),
            None => (None, None, None, None),
        };
        let c = event.client;
        Ok(PreparedEvent {
            id: event.id.0,
            time: to_stored(event.time),
            source: event.source.as_str(),
            evidence_id: event.evidence.evidence,
            record: i64::try_from(event.evidence.record).unwrap_or(i64::MAX),
            account: event.account.map(|a| a.as_str().to_owned()),
            actor: event.actor,
            action: event.action.name(),
            outcome: event.outcome.as_str(),
            error_code: event.outcome.code().map(str::to_owned),
            ip: c.ip.map(|ip| ip.to_string()),
            port: c.port,
            country,
            asn,
            as_org,
            net_class,
            user_agent: c.user_agent,
            app_id: c.app_id,
            app: c.app_name,
            protocol: c.protocol,
            session_id: c.session_id,
            device: c.device,
            details,
            raw: event.raw.0,
            notable: event.action.is_notable(),
        })
    }

    /// The event id (the row's primary key).
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Approximate heap bytes held, to bound how much waits for the writer.
    pub fn heap_bytes(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        self.time.capacity()
            + self.details.capacity()
            + self.raw.capacity()
            + [
                &self.account,
                &self.actor,
                &self.error_code,
                &self.ip,
                &self.country,
                &self.as_org,
                &self.user_agent,
                &self.app_id,
                &self.app,
                &self.protocol,
                &self.session_id,
                &self.device,
            ]
            .into_iter()
            .map(opt)
            .sum::<usize>()
    }
}

/// Writes events from one thread. Create it with [`Case::event_writer`], give it
/// batches with [`EventWriter::write`] (or [`EventWriter::write_prepared`]) and end with
/// [`EventWriter::finish`]. A bulk writer dropped without `finish` leaves the indexes
/// dropped until the case is next opened (which rebuilds them).
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
        // 64 MiB of page cache holds the indexes of a file small enough to be loaded
        // without bulk mode (a bulk load only appends to the table); fewer, larger
        // checkpoints (64 MiB of WAL) write the database more sequentially; the
        // WAL is truncated back to 64 MiB after each so it does not stay large.
        conn.execute_batch(
            "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384; \
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
        let mut rows = Vec::with_capacity(events.len());
        for event in events {
            let row = PreparedEvent::new(event.clone()).map_err(|e| {
                bad_event(&self.path, event.id.0, &rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
            })?;
            rows.push(row);
        }
        self.write_prepared(&rows)
    }

    /// As [`EventWriter::write`], for rows prepared beforehand.
    pub fn write_prepared(&mut self, rows: &[PreparedEvent]) -> Result<u64> {
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).at(&self.path)?;
        let mut inserted = 0u64;
        {
            let mut stmt = tx.prepare_cached(INSERT_EVENT).at(&self.path)?;
            for row in rows {
                inserted += insert_one(&mut stmt, row).map_err(|e| bad_event(&self.path, row.id, &e))?;
            }
        }
        tx.commit().at(&self.path)?;
        Ok(inserted)
    }

    /// Rebuilds the indexes (bulk mode) and refreshes the planner's statistics.
    pub fn finish(self) -> Result<()> {
        if self.bulk {
            // `PRAGMA mmap_size` made this rebuild 10-15 % faster, but mapped pages
            // count in the resident size: see benches/README.md.
            ensure_indexes(&self.conn, &self.path)?;
        }
        self.conn.execute_batch("PRAGMA optimize;").at(&self.path)
    }
}

/// The error for an event the store refused, naming it.
fn bad_event(path: &Path, id: i64, source: &rusqlite::Error) -> CaseError {
    CaseError::BadRow {
        path: path.to_path_buf(),
        table: "events",
        row: id,
        message: format!("cannot store event {}: {source}", mailcase_model::EventId(id)),
    }
}

/// Runs the cached insert for one row; returns 1 when it was new.
fn insert_one(stmt: &mut rusqlite::CachedStatement<'_>, r: &PreparedEvent) -> rusqlite::Result<u64> {
    let changed = stmt.execute(params![
        r.id,
        r.time,
        r.source,
        r.evidence_id,
        r.record,
        r.account,
        r.actor,
        r.action,
        r.outcome,
        r.error_code,
        r.ip,
        r.port,
        r.country,
        r.asn,
        r.as_org,
        r.net_class,
        r.user_agent,
        r.app_id,
        r.app,
        r.protocol,
        r.session_id,
        r.device,
        r.details,
        r.raw,
        r.notable,
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
    fn prepared_rows_store_what_events_store() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let event = sign_in(ev, 1, "a@x.fr", 1, false);
        let row = super::PreparedEvent::new(event.clone()).unwrap();
        assert_eq!(row.id(), event.id.0);
        assert!(row.heap_bytes() >= event.raw.0.len());
        let mut w = case.event_writer(false).unwrap();
        assert_eq!(w.write_prepared(std::slice::from_ref(&row)).unwrap(), 1);
        assert_eq!(
            w.write(std::slice::from_ref(&event)).unwrap(),
            0,
            "same row, same id"
        );
        let rows = case.events(&EventFilter::default()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].outcome.as_str(), rows[0].error_code.as_deref()),
            ("failure", Some("50126"))
        );
        assert_eq!(rows[0].raw, event.raw.0);
        let action: mailcase_model::Action = serde_json::from_str(&rows[0].details).unwrap();
        assert_eq!(action, event.action);
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
