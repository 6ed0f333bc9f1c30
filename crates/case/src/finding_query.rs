//! Reading what detection stored: findings, their events, verdicts, indicators and
//! detection runs. Rows edited outside mailcase fail with [`CaseError::BadRow`] naming
//! the table and row.

use chrono::{DateTime, Utc};
use mailcase_model::{
    Account, EventId, Finding, Indicator, IndicatorKind, Localized, Severity, VerdictLevel,
};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::error::{CaseError, Result, SqlContext};
use crate::event_query::{EVENT_COLUMNS, EventRow, read_event_row};
use crate::findings::{RunId, from_name};
use crate::store::Case;
use crate::times::from_stored;

/// Event ids loaded into [`StoredFinding::finding`]`.events` at most; the others are
/// counted in `event_count` and read with [`Case::for_each_finding_event`].
pub const FINDING_EVENT_IDS_LOADED: usize = 1000;

/// Which findings to read. Every set field must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// The main account or one of the other accounts (case-insensitive).
    pub account: Option<String>,
    /// This severity or higher.
    pub min_severity: Option<Severity>,
    /// The rule or analytic id, exactly.
    pub rule_id: Option<String>,
    /// At most this many findings (all when unset).
    pub limit: Option<u64>,
}

/// A stored finding. In JSON the finding's own fields (`rule_id`, `source`, `title`,
/// `explanation`, `severity`, `confidence`, `account`, `other_accounts`, `first`,
/// `last`, `events`, `attack`, `qualification`, `indicators`) sit beside `id`,
/// `run_id`, `event_count` and `created_at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredFinding {
    /// Row id (`findings.id`), the id journal links and the timeline use.
    pub id: i64,
    /// The detection run that stored it.
    pub run_id: RunId,
    /// Number of supporting events (all of them, even beyond `finding.events`).
    pub event_count: u64,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
    /// The finding. `events` holds the first [`FINDING_EVENT_IDS_LOADED`] supporting
    /// events in time order.
    #[serde(flatten)]
    pub finding: Finding,
}

/// A stored verdict on one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredVerdict {
    /// The account.
    pub account: Account,
    /// `no_evidence`, `suspicious` or `compromised`.
    pub level: VerdictLevel,
    /// Why, one line per reason, in both languages.
    pub reasons: Vec<Localized>,
    /// The findings behind it (`findings.id`).
    pub finding_ids: Vec<i64>,
    /// When it was stored.
    pub updated_at: DateTime<Utc>,
}

/// A stored indicator with where it was seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIndicator {
    /// What it is (`ip`, `user_agent`...).
    pub kind: IndicatorKind,
    /// The value.
    pub value: String,
    /// Earliest first event of the findings listing it; `None` when none does.
    pub first_seen: Option<DateTime<Utc>>,
    /// Latest last event of the findings listing it.
    pub last_seen: Option<DateTime<Utc>>,
    /// The findings listing it (`findings.id`).
    pub finding_ids: Vec<i64>,
}

/// A row of `detection_runs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectionRun {
    /// Its id.
    pub id: RunId,
    /// When detection started.
    pub started_at: DateTime<Utc>,
    /// When its results were stored.
    pub finished_at: DateTime<Utc>,
    /// Rules loaded.
    pub rules_loaded: u64,
    /// Rules that could not run.
    pub rules_unsupported: u64,
    /// Findings stored.
    pub findings: u64,
}

const FINDING_COLUMNS: &str = "id, rule_id, source, title_en, title_fr, explanation_en, \
    explanation_fr, severity, confidence, account, other_accounts, first, last, attack, \
    qualification, indicators, event_count, created_at, run_id";

/// SQL rank of a severity, in [`Severity`] order.
const SEVERITY_RANK: &str = "CASE severity WHEN 'informational' THEN 0 WHEN 'low' THEN 1 \
    WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 END";

/// Every value of a `findings` row, as stored.
type RawFinding = [Value; 19];

impl FindingFilter {
    fn to_sql(&self) -> (String, Vec<Value>) {
        let mut terms = Vec::new();
        let mut values = Vec::new();
        if let Some(a) = &self.account {
            values.push(Value::Text(a.trim().to_lowercase()));
            let n = values.len();
            terms.push(format!(
                "(account = ?{n} OR EXISTS (SELECT 1 FROM json_each(findings.other_accounts) \
                 WHERE json_each.value = ?{n}))"
            ));
        }
        if let Some(s) = self.min_severity {
            values.push(Value::Integer(severity_rank(s)));
            terms.push(format!("{SEVERITY_RANK} >= ?{}", values.len()));
        }
        if let Some(r) = &self.rule_id {
            values.push(Value::Text(r.clone()));
            terms.push(format!("rule_id = ?{}", values.len()));
        }
        values.push(Value::Integer(
            self.limit
                .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX)),
        ));
        let clause = if terms.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", terms.join(" AND "))
        };
        let sql = format!(
            "SELECT {FINDING_COLUMNS} FROM findings{clause} ORDER BY first, id LIMIT ?{}",
            values.len()
        );
        (sql, values)
    }
}

fn severity_rank(s: Severity) -> i64 {
    match s {
        Severity::Informational => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

impl Case {
    /// The findings of the latest detection run matching `filter`, by first event
    /// time, then id.
    pub fn findings(&self, filter: &FindingFilter) -> Result<Vec<StoredFinding>> {
        let path = self.db_path();
        let (sql, values) = filter.to_sql();
        let mut stmt = self.conn().prepare(&sql).at(path)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), read_values)
            .at(path)?;
        let mut out = Vec::new();
        for row in rows {
            let mut stored = self.decode_finding(row.at(path)?)?;
            stored.finding.events = self.finding_event_ids(stored.id)?;
            out.push(stored);
        }
        Ok(out)
    }

    /// One finding by id.
    pub fn finding(&self, id: i64) -> Result<StoredFinding> {
        let path = self.db_path();
        let sql = format!("SELECT {FINDING_COLUMNS} FROM findings WHERE id = ?1");
        let row = self
            .conn()
            .query_row(&sql, [id], read_values)
            .optional()
            .at(path)?
            .ok_or(CaseError::UnknownFinding(id))?;
        let mut stored = self.decode_finding(row)?;
        stored.finding.events = self.finding_event_ids(id)?;
        Ok(stored)
    }

    /// All the supporting events of a finding, in time order, then id. For a finding
    /// with many events prefer [`Case::for_each_finding_event`].
    pub fn finding_events(&self, id: i64) -> Result<Vec<EventRow>> {
        let mut out = Vec::new();
        self.for_each_finding_event(id, |row| {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the supporting events of a finding in time order, then id; stops at
    /// the first error `visit` returns. Fails with [`CaseError::UnknownFinding`].
    pub fn for_each_finding_event<F>(&self, id: i64, mut visit: F) -> Result<()>
    where
        F: FnMut(EventRow) -> Result<()>,
    {
        let path = self.db_path();
        self.require_finding(id)?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM finding_events JOIN events ON events.id = event_id \
             WHERE finding_id = ?1 ORDER BY time, id"
        );
        let mut stmt = self.conn().prepare(&sql).at(path)?;
        let rows = stmt.query_map([id], read_event_row).at(path)?;
        for row in rows {
            visit(row.at(path)?)?;
        }
        Ok(())
    }

    /// The verdicts of the latest run: compromised first, then suspicious, then no
    /// evidence; by account within a level.
    pub fn verdicts(&self) -> Result<Vec<StoredVerdict>> {
        let path = self.db_path();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT rowid, account, level, reasons, finding_ids, updated_at FROM verdicts \
                 ORDER BY CASE level WHEN 'compromised' THEN 0 WHEN 'suspicious' THEN 1 \
                 ELSE 2 END, account",
            )
            .at(path)?;
        let rows = stmt.query_map([], read_values::<6>).at(path)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.decode_verdict(row.at(path)?)?);
        }
        Ok(out)
    }

    /// The indicators of the latest run, by kind then value.
    pub fn indicators(&self) -> Result<Vec<StoredIndicator>> {
        let path = self.db_path();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT rowid, kind, value, first_seen, last_seen, finding_ids FROM indicators \
                 ORDER BY kind, value",
            )
            .at(path)?;
        let rows = stmt.query_map([], read_values::<6>).at(path)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.decode_indicator(row.at(path)?)?);
        }
        Ok(out)
    }

    /// The latest stored detection run, if any.
    pub fn last_detection_run(&self) -> Result<Option<DetectionRun>> {
        let path = self.db_path();
        let row = self
            .conn()
            .query_row(
                "SELECT id, started_at, finished_at, rules_loaded, rules_unsupported, findings \
                 FROM detection_runs ORDER BY id DESC LIMIT 1",
                [],
                read_values::<6>,
            )
            .optional()
            .at(path)?;
        row.map(|r| self.decode_run(r)).transpose()
    }

    fn require_finding(&self, id: i64) -> Result<()> {
        let found: bool = self
            .conn()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM findings WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )
            .at(self.db_path())?;
        if found {
            Ok(())
        } else {
            Err(CaseError::UnknownFinding(id))
        }
    }

    /// The first [`FINDING_EVENT_IDS_LOADED`] event ids of a finding, in time order.
    fn finding_event_ids(&self, id: i64) -> Result<Vec<EventId>> {
        let path = self.db_path();
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT event_id FROM finding_events JOIN events ON events.id = event_id \
                 WHERE finding_id = ?1 ORDER BY time, event_id LIMIT ?2",
            )
            .at(path)?;
        let limit = i64::try_from(FINDING_EVENT_IDS_LOADED).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![id, limit], |r| r.get(0).map(EventId))
            .at(path)?;
        rows.collect::<rusqlite::Result<_>>().at(path)
    }

    fn decode_finding(&self, v: RawFinding) -> Result<StoredFinding> {
        let d = Decoder::new(self, "findings", &v[0]);
        let finding = Finding {
            rule_id: d.text(&v[1])?,
            source: d.name(&v[2])?,
            title: Localized::new(d.text(&v[3])?, d.text(&v[4])?),
            explanation: Localized::new(d.text(&v[5])?, d.text(&v[6])?),
            severity: d.name(&v[7])?,
            confidence: d.name(&v[8])?,
            account: d.opt_text(&v[9])?.as_deref().and_then(Account::new),
            other_accounts: d.json(&v[10])?,
            first: d.time(&v[11])?,
            last: d.time(&v[12])?,
            events: Vec::new(),
            attack: d.json(&v[13])?,
            qualification: d.json(&v[14])?,
            indicators: d.json::<Vec<Indicator>>(&v[15])?,
        };
        Ok(StoredFinding {
            id: d.row,
            run_id: RunId(d.int(&v[18])?),
            event_count: u64::try_from(d.int(&v[16])?).unwrap_or(0),
            created_at: d.time(&v[17])?,
            finding,
        })
    }

    fn decode_verdict(&self, v: [Value; 6]) -> Result<StoredVerdict> {
        let d = Decoder::new(self, "verdicts", &v[0]);
        let account = d.text(&v[1])?;
        Ok(StoredVerdict {
            account: Account::new(&account)
                .ok_or_else(|| d.bad(format!("blank account {:?}", clip(&account))))?,
            level: d.name(&v[2])?,
            reasons: d.json(&v[3])?,
            finding_ids: d.json(&v[4])?,
            updated_at: d.time(&v[5])?,
        })
    }

    fn decode_indicator(&self, v: [Value; 6]) -> Result<StoredIndicator> {
        let d = Decoder::new(self, "indicators", &v[0]);
        Ok(StoredIndicator {
            kind: d.name(&v[1])?,
            value: d.text(&v[2])?,
            first_seen: d.opt_time(&v[3])?,
            last_seen: d.opt_time(&v[4])?,
            finding_ids: d.json(&v[5])?,
        })
    }

    fn decode_run(&self, v: [Value; 6]) -> Result<DetectionRun> {
        let d = Decoder::new(self, "detection_runs", &v[0]);
        let n = |x: &Value| d.int(x).map(|n| u64::try_from(n).unwrap_or(0));
        Ok(DetectionRun {
            id: RunId(d.row),
            started_at: d.time(&v[1])?,
            finished_at: d.time(&v[2])?,
            rules_loaded: n(&v[3])?,
            rules_unsupported: n(&v[4])?,
            findings: n(&v[5])?,
        })
    }
}

/// Reads the first `N` columns as loose values: type checks happen in [`Decoder`],
/// which names the row.
fn read_values<const N: usize>(r: &Row<'_>) -> rusqlite::Result<[Value; N]> {
    let mut out: [Value; N] = std::array::from_fn(|_| Value::Null);
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get(i)?;
    }
    Ok(out)
}

/// Checks the stored values of one row, with errors that name the table and row.
struct Decoder<'a> {
    case: &'a Case,
    table: &'static str,
    row: i64,
}

impl<'a> Decoder<'a> {
    fn new(case: &'a Case, table: &'static str, id: &Value) -> Self {
        let row = if let Value::Integer(n) = id { *n } else { 0 };
        Decoder { case, table, row }
    }

    fn bad(&self, message: String) -> CaseError {
        CaseError::BadRow {
            path: self.case.db_path().to_path_buf(),
            table: self.table,
            row: self.row,
            message,
        }
    }

    fn opt_text(&self, v: &Value) -> Result<Option<String>> {
        match v {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.clone())),
            other => Err(self.bad(format!("expected text, found {:?}", other.data_type()))),
        }
    }

    fn text(&self, v: &Value) -> Result<String> {
        self.opt_text(v)?
            .ok_or_else(|| self.bad("unexpected NULL".into()))
    }

    fn int(&self, v: &Value) -> Result<i64> {
        match v {
            Value::Integer(n) => Ok(*n),
            other => Err(self.bad(format!(
                "expected an integer, found {:?}",
                other.data_type()
            ))),
        }
    }

    fn name<T: serde::de::DeserializeOwned>(&self, v: &Value) -> Result<T> {
        let text = self.text(v)?;
        from_name(&text).ok_or_else(|| self.bad(format!("unknown name {:?}", clip(&text))))
    }

    fn opt_time(&self, v: &Value) -> Result<Option<DateTime<Utc>>> {
        match self.opt_text(v)? {
            None => Ok(None),
            Some(t) => from_stored(&t)
                .map(Some)
                .ok_or_else(|| self.bad(format!("bad time {:?}", clip(&t)))),
        }
    }

    fn time(&self, v: &Value) -> Result<DateTime<Utc>> {
        self.opt_time(v)?
            .ok_or_else(|| self.bad("unexpected NULL time".into()))
    }

    fn json<T: serde::de::DeserializeOwned>(&self, v: &Value) -> Result<T> {
        let text = self.text(v)?;
        serde_json::from_str(&text)
            .map_err(|e| self.bad(format!("bad JSON: {}", clip(&e.to_string()))))
    }
}

/// At most 200 bytes of `text`: stored values can be long and hostile.
pub(crate) fn clip(text: &str) -> &str {
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}
