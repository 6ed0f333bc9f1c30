//! Read-only SQL over a case, for analysts (`mailcase query`) and the web application.
//!
//! Four locks, any one of which refuses a write: the statement must start with
//! `SELECT`, `WITH`, `VALUES` or `EXPLAIN`; SQLite must classify it as read-only; the
//! connection is opened with `SQLITE_OPEN_READ_ONLY`; and `PRAGMA query_only` is on.
//! One statement per call.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::error::{CaseError, Result, SqlContext};
use crate::store::Case;

/// Rows returned when the caller sets no limit.
pub const DEFAULT_ROW_LIMIT: usize = 10_000;

/// Keywords a read-only statement may start with.
const ALLOWED_STARTS: &[&str] = &["select", "with", "values", "explain"];

/// The result of [`Case::query_readonly`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QueryResult {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows; SQL values as JSON (NULL as null, BLOB as lower-case hex text).
    pub rows: Vec<Vec<serde_json::Value>>,
    /// Whether more rows were available beyond the limit.
    pub truncated: bool,
}

impl Case {
    /// Runs one read-only statement, returning at most [`DEFAULT_ROW_LIMIT`] rows.
    pub fn query_readonly(&self, sql: &str) -> Result<QueryResult> {
        self.query_readonly_limit(sql, DEFAULT_ROW_LIMIT)
    }

    /// Runs one read-only statement, returning at most `max_rows` rows.
    pub fn query_readonly_limit(&self, sql: &str, max_rows: usize) -> Result<QueryResult> {
        self.query_readonly_params(sql, &[], max_rows)
    }

    /// Runs one read-only statement with text parameters bound to `?1`, `?2`...
    /// (values from users or evidence never go into the SQL text).
    pub fn query_readonly_params(&self, sql: &str, params: &[&str], max_rows: usize) -> Result<QueryResult> {
        check_first_keyword(sql)?;
        let path = self.db_path();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).at(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .at(path)?;
        conn.execute_batch("PRAGMA query_only = ON;").at(path)?;
        run(&conn, sql, params, max_rows).map_err(|e| match e {
            rusqlite::Error::MultipleStatement => {
                CaseError::QueryRefused("one statement at a time".into())
            }
            other => CaseError::Sqlite {
                path: path.to_path_buf(),
                source: other,
            },
        })?
    }
}

fn run(conn: &Connection, sql: &str, params: &[&str], max_rows: usize) -> rusqlite::Result<Result<QueryResult>> {
    let mut stmt = conn.prepare(sql)?;
    if !stmt.readonly() {
        return Ok(Err(CaseError::QueryRefused(
            "the statement would write".into(),
        )));
    }
    let columns: Vec<String> = stmt
        .column_names()
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = QueryResult {
        columns,
        rows: Vec::new(),
        truncated: false,
    };
    while let Some(row) = rows.next()? {
        if out.rows.len() >= max_rows {
            out.truncated = true;
            break;
        }
        let mut values = Vec::with_capacity(out.columns.len());
        for i in 0..out.columns.len() {
            values.push(to_json(row.get_ref(i)?));
        }
        out.rows.push(values);
    }
    Ok(Ok(out))
}

fn to_json(value: ValueRef<'_>) -> serde_json::Value {
    match value {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(n) => n.into(),
        ValueRef::Real(x) => {
            serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, Into::into)
        }
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(b) => hex::encode(b).into(),
    }
}

/// Refuses anything whose first keyword (after blanks and comments) is not a read.
fn check_first_keyword(sql: &str) -> Result<()> {
    let rest = skip_blanks_and_comments(sql);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    if ALLOWED_STARTS.contains(&word.as_str()) {
        Ok(())
    } else {
        Err(CaseError::QueryRefused(format!(
            "only SELECT, WITH, VALUES and EXPLAIN are allowed, not {:?}",
            word
        )))
    }
}

fn skip_blanks_and_comments(mut sql: &str) -> &str {
    loop {
        sql = sql.trim_start();
        if let Some(rest) = sql.strip_prefix("--") {
            sql = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = sql.strip_prefix("/*") {
            sql = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return sql;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaseSettings;

    fn case() -> (tempfile::TempDir, Case) {
        let dir = tempfile::tempdir().unwrap();
        let case = Case::create(dir.path(), CaseSettings::new("q")).unwrap();
        (dir, case)
    }

    #[test]
    fn reads_rows_with_a_limit() {
        let (_dir, case) = case();
        let r = case
            .query_readonly_limit("/* c */ -- x\n WITH t(a) AS (VALUES (1), (2), (3)) SELECT a, NULL AS n, x'ff' AS b FROM t", 2)
            .unwrap();
        assert_eq!(r.columns, vec!["a", "n", "b"]);
        assert_eq!(
            r.rows,
            vec![
                vec![1.into(), serde_json::Value::Null, "ff".into()],
                vec![2.into(), serde_json::Value::Null, "ff".into()]
            ]
        );
        assert!(r.truncated);
        let r = case.query_readonly("SELECT count(*) FROM events").unwrap();
        assert_eq!(r.rows, vec![vec![serde_json::Value::from(0)]]);
        assert!(!r.truncated);
    }

    #[test]
    fn refuses_writes() {
        let (dir, case) = case();
        let other = dir.path().join("other.db");
        let attempts = [
            "INSERT INTO timeline_manual (time, action, recorded_at) VALUES ('x', 'y', 'z')"
                .to_owned(),
            "DROP TABLE events".to_owned(),
            format!("ATTACH DATABASE '{}' AS o", other.display()),
            "PRAGMA writable_schema = ON".to_owned(),
            "PRAGMA user_version = 99".to_owned(),
            "SELECT 1; DROP TABLE events".to_owned(),
            "WITH x AS (SELECT 1) DELETE FROM journal".to_owned(),
            "VACUUM".to_owned(),
            "  /* hidden */ delete from evidence".to_owned(),
        ];
        for sql in &attempts {
            let err = case.query_readonly(sql).unwrap_err();
            assert!(
                matches!(err, CaseError::QueryRefused(_) | CaseError::Sqlite { .. }),
                "{sql}: {err}"
            );
        }
        assert!(!other.exists(), "ATTACH must not create a file");
        let tables = case
            .query_readonly("SELECT count(*) FROM sqlite_master WHERE name = 'events'")
            .unwrap();
        assert_eq!(tables.rows, vec![vec![serde_json::Value::from(1)]]);
        let version = case
            .query_readonly("SELECT * FROM pragma_user_version")
            .unwrap();
        assert_eq!(
            version.rows,
            vec![vec![serde_json::Value::from(crate::SCHEMA_VERSION)]]
        );
    }
}
