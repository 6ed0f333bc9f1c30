//! Reading events back: filters and typed rows with the column names of `events`.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::Value;
use serde::Serialize;

use crate::error::{Result, SqlContext};
use crate::store::Case;
use crate::times::to_stored;

/// Rows [`Case::events`] returns when the filter sets no limit.
pub const DEFAULT_EVENT_LIMIT: u64 = 10_000;

/// Which events to read. Every set field must match; times are `since <= time < until`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// The account (compared case-insensitively, as accounts are stored lower-case).
    pub account: Option<String>,
    /// The source kind name (`m365_ual`...).
    pub source: Option<String>,
    /// The action name (`inbox_rule_created`...).
    pub action: Option<String>,
    /// From this time, inclusive.
    pub since: Option<DateTime<Utc>>,
    /// Until this time, exclusive.
    pub until: Option<DateTime<Utc>>,
    /// The client address, exactly as stored (`81.2.69.144`, `2001:db8::1`).
    pub ip: Option<String>,
    /// At most this many rows ([`DEFAULT_EVENT_LIMIT`] for [`Case::events`] when unset;
    /// no limit for [`Case::for_each_event`]).
    pub limit: Option<u64>,
    /// Rows to skip first (paging).
    pub offset: u64,
}

/// One row of the `events` table. Field names are the column names; `None` is SQL
/// NULL (unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EventRow {
    /// `mailcase_model::EventId` value: evidence id << 40 | record.
    pub id: i64,
    /// ISO 8601 UTC with milliseconds and `Z`: `2023-09-20T04:05:03.123Z`.
    pub time: String,
    /// Source kind name (`m365_ual`, `entra_signin`...).
    pub source: String,
    /// Evidence file id.
    pub evidence_id: i64,
    /// Record position in the evidence file.
    pub record: i64,
    /// Account concerned, lower-case.
    pub account: Option<String>,
    /// Who acted when not the account.
    pub actor: Option<String>,
    /// Action name (`sign_in`, `inbox_rule_created`...).
    pub action: String,
    /// `success`, `failure` or `unknown`.
    pub outcome: String,
    /// Failure code from the source.
    pub error_code: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// Client port.
    pub port: Option<i64>,
    /// ISO country code (enrichment).
    pub country: Option<String>,
    /// Autonomous system number (enrichment).
    pub asn: Option<i64>,
    /// Autonomous system organisation (enrichment).
    pub as_org: Option<String>,
    /// Network class (enrichment).
    pub net_class: Option<String>,
    /// User agent or client info string.
    pub user_agent: Option<String>,
    /// Application id.
    pub app_id: Option<String>,
    /// Application name.
    pub app: Option<String>,
    /// Protocol or client type.
    pub protocol: Option<String>,
    /// Session identifier.
    pub session_id: Option<String>,
    /// Device.
    pub device: Option<String>,
    /// The `Action` as JSON.
    pub details: String,
    /// The original record as JSON text.
    pub raw: String,
}

/// The column list, in [`EventRow`] order.
pub(crate) const EVENT_COLUMNS: &str = "id, time, source, evidence_id, record, account, actor, \
    action, outcome, error_code, ip, port, country, asn, as_org, net_class, user_agent, app_id, \
    app, protocol, session_id, device, details, raw";

/// Reads a row selected with [`EVENT_COLUMNS`].
pub(crate) fn read_event_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        time: r.get(1)?,
        source: r.get(2)?,
        evidence_id: r.get(3)?,
        record: r.get(4)?,
        account: r.get(5)?,
        actor: r.get(6)?,
        action: r.get(7)?,
        outcome: r.get(8)?,
        error_code: r.get(9)?,
        ip: r.get(10)?,
        port: r.get(11)?,
        country: r.get(12)?,
        asn: r.get(13)?,
        as_org: r.get(14)?,
        net_class: r.get(15)?,
        user_agent: r.get(16)?,
        app_id: r.get(17)?,
        app: r.get(18)?,
        protocol: r.get(19)?,
        session_id: r.get(20)?,
        device: r.get(21)?,
        details: r.get(22)?,
        raw: r.get(23)?,
    })
}

impl EventFilter {
    /// The whole SELECT of [`EVENT_COLUMNS`] (time order, then id, with the limit
    /// and offset) and its parameters.
    pub(crate) fn select_sql(&self) -> (String, Vec<Value>) {
        let (clause, mut values) = self.to_sql();
        let limit = self
            .limit
            .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        values.push(Value::Integer(limit));
        values.push(Value::Integer(
            i64::try_from(self.offset).unwrap_or(i64::MAX),
        ));
        let n = values.len();
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events{clause} ORDER BY time, id LIMIT ?{} OFFSET ?{n}",
            n - 1
        );
        (sql, values)
    }

    /// The WHERE clause and its parameters.
    fn to_sql(&self) -> (String, Vec<Value>) {
        let mut terms = Vec::new();
        let mut values = Vec::new();
        let mut add = |term: &str, value: Value| {
            values.push(value);
            terms.push(format!("{term} ?{}", values.len()));
        };
        if let Some(a) = &self.account {
            add("account =", Value::Text(a.trim().to_lowercase()));
        }
        if let Some(s) = &self.source {
            add("source =", Value::Text(s.clone()));
        }
        if let Some(a) = &self.action {
            add("action =", Value::Text(a.clone()));
        }
        if let Some(t) = self.since {
            add("time >=", Value::Text(to_stored(t)));
        }
        if let Some(t) = self.until {
            add("time <", Value::Text(to_stored(t)));
        }
        if let Some(ip) = &self.ip {
            add("ip =", Value::Text(ip.trim().to_owned()));
        }
        let clause = if terms.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", terms.join(" AND "))
        };
        (clause, values)
    }
}

impl Case {
    /// Events matching `filter`, by time then id.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<EventRow>> {
        let mut filter = filter.clone();
        filter.limit = Some(filter.limit.unwrap_or(DEFAULT_EVENT_LIMIT));
        let mut out = Vec::new();
        self.for_each_event(&filter, |row| {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the events matching `filter` to `visit` without holding them all in
    /// memory; stops at the first error `visit` returns.
    pub fn for_each_event<F>(&self, filter: &EventFilter, mut visit: F) -> Result<()>
    where
        F: FnMut(EventRow) -> Result<()>,
    {
        let (sql, values) = filter.select_sql();
        let path = self.db_path();
        let mut stmt = self.conn().prepare(&sql).at(path)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), read_event_row)
            .at(path)?;
        for row in rows {
            visit(row.at(path)?)?;
        }
        Ok(())
    }

    /// Number of distinct accounts in the events.
    pub fn count_accounts(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(DISTINCT account) FROM events", [], |r| {
                r.get(0)
            })
            .at(self.db_path())?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Number of events stored.
    pub fn event_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .at(self.db_path())?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
