-- mailcase case database, schema version 2: what detection concludes.
-- Applied once, in one IMMEDIATE transaction, by crates/case/src/store.rs.
-- A detection run (`mailcase investigate`, `mailcase hunt`) replaces the findings,
-- verdicts and indicators of the previous run in one IMMEDIATE transaction
-- (crates/case/src/findings.rs); `detection_runs` keeps one row per run.

-- One row per detection run that was stored, oldest first.
CREATE TABLE detection_runs (
    id                INTEGER PRIMARY KEY,
    started_at        TEXT    NOT NULL,             -- ISO 8601 UTC
    finished_at       TEXT    NOT NULL,             -- when its results were stored
    rules_loaded      INTEGER NOT NULL,
    rules_unsupported INTEGER NOT NULL,
    findings          INTEGER NOT NULL              -- findings it stored
);

-- The findings of the latest run.
CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    rule_id        TEXT    NOT NULL,
    source         TEXT    NOT NULL,                -- sigma_rule | sigma_correlation | analytic | pivot
    title_en       TEXT    NOT NULL,
    title_fr       TEXT    NOT NULL,
    explanation_en TEXT    NOT NULL,
    explanation_fr TEXT    NOT NULL,
    severity       TEXT    NOT NULL
                   CHECK (severity IN ('informational', 'low', 'medium', 'high', 'critical')),
    confidence     TEXT    NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
    account        TEXT,                            -- lower-case
    other_accounts TEXT    NOT NULL,                -- JSON list of accounts
    first          TEXT    NOT NULL,                -- time of the first supporting event
    last           TEXT    NOT NULL,                -- time of the last supporting event
    attack         TEXT    NOT NULL,                -- JSON list of ATT&CK technique ids
    qualification  TEXT    NOT NULL,                -- JSON list of qualification items
    indicators     TEXT    NOT NULL,                -- JSON list of {"kind", "value"}
    event_count    INTEGER NOT NULL,                -- rows in finding_events
    created_at     TEXT    NOT NULL,
    run_id         INTEGER NOT NULL REFERENCES detection_runs(id)
);
CREATE INDEX findings_account ON findings(account);
CREATE INDEX findings_first ON findings(first);

-- Every supporting event of every finding.
CREATE TABLE finding_events (
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    event_id   INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;
CREATE INDEX finding_events_event ON finding_events(event_id);

-- One verdict per account, from the latest run.
CREATE TABLE verdicts (
    account     TEXT PRIMARY KEY,                   -- lower-case
    level       TEXT NOT NULL CHECK (level IN ('no_evidence', 'suspicious', 'compromised')),
    reasons     TEXT NOT NULL,                      -- JSON list of {"en", "fr"}
    finding_ids TEXT NOT NULL,                      -- JSON list of findings.id
    updated_at  TEXT NOT NULL
);

-- The attacker's observables, from the latest run.
CREATE TABLE indicators (
    kind        TEXT NOT NULL,                      -- IndicatorKind::as_str
    value       TEXT NOT NULL,
    first_seen  TEXT,                               -- earliest `first` of its findings
    last_seen   TEXT,                               -- latest `last` of its findings
    finding_ids TEXT NOT NULL,                      -- JSON list of findings.id
    PRIMARY KEY (kind, value)
);
