-- mailcase case database, schema version 1.
-- Applied once, in one IMMEDIATE transaction, by crates/case/src/store.rs.
-- Secondary indexes of `events` are NOT here: they are listed in events.rs
-- (EVENT_INDEXES) so that bulk loads can drop and rebuild them from one list.

-- Every file registered as evidence. Originals are never modified.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT    NOT NULL UNIQUE,          -- lower-case hex
    size          INTEGER NOT NULL,                 -- bytes hashed
    original_path TEXT    NOT NULL,                 -- where it was imported from
    stored_path   TEXT    NOT NULL,                 -- relative to the case dir when copied
    copied        INTEGER NOT NULL CHECK (copied IN (0, 1)),
    format        TEXT,                             -- set once the format is sniffed
    imported_at   TEXT    NOT NULL,                 -- ISO 8601 UTC
    status        TEXT    NOT NULL DEFAULT 'registered'
                  CHECK (status IN ('registered', 'importing', 'complete', 'failed')),
    records       INTEGER NOT NULL DEFAULT 0,
    events        INTEGER NOT NULL DEFAULT 0,
    warnings      INTEGER NOT NULL DEFAULT 0        -- all warnings, kept or not
);

-- The first warnings of each evidence file (the registry counts the rest).
CREATE TABLE parse_warnings (
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    record      INTEGER,
    message     TEXT NOT NULL
);
CREATE INDEX parse_warnings_by_evidence ON parse_warnings(evidence_id);

-- Normalised events; `raw` is the original record as JSON text.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,                -- mailcase_model::EventId
    time        TEXT    NOT NULL,                   -- 2023-09-20T04:05:03.123Z
    source      TEXT    NOT NULL,                   -- SourceKind::as_str
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    record      INTEGER NOT NULL,
    account     TEXT,
    actor       TEXT,
    action      TEXT    NOT NULL,                   -- Action::name
    outcome     TEXT    NOT NULL,                   -- success | failure | unknown
    error_code  TEXT,
    ip          TEXT,
    port        INTEGER,
    country     TEXT,
    asn         INTEGER,
    as_org      TEXT,
    net_class   TEXT,
    user_agent  TEXT,
    app_id      TEXT,
    app         TEXT,
    protocol    TEXT,
    session_id  TEXT,
    device      TEXT,
    details     TEXT    NOT NULL,                   -- the Action as JSON
    raw         TEXT    NOT NULL,
    notable     INTEGER NOT NULL DEFAULT 0          -- Action::is_notable
);

-- The incident log (main courante). Append-only: triggers refuse changes, and the
-- hash chain (journal.rs) detects changes made after dropping the triggers.
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    occurred_at TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('note', 'action', 'system', 'strike')),
    text        TEXT    NOT NULL,
    concerns    TEXT    NOT NULL,                   -- JSON list of strings
    links       TEXT    NOT NULL,                   -- JSON list of links
    strikes     INTEGER,
    reason      TEXT,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE UNIQUE INDEX journal_strikes ON journal(strikes) WHERE strikes IS NOT NULL;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only: strike an entry instead');
END;

CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only: strike an entry instead');
END;

-- Compromise timeline rows entered by analysts (events flagged notable join them).
CREATE TABLE timeline_manual (
    id          INTEGER PRIMARY KEY,
    time        TEXT NOT NULL,
    source      TEXT,
    actor       TEXT,
    action      TEXT NOT NULL,
    comment     TEXT,
    account     TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX timeline_manual_time ON timeline_manual(time);
