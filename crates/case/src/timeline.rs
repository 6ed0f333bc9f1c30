//! The compromise timeline: rows entered by analysts, the notable events
//! ([`mailcase_model::Action::is_notable`], stored in the indexed `notable` column) and
//! the findings of severity medium or higher, in time order. Times are UTC; show them
//! with [`Case::local_time`].

use chrono::{DateTime, Utc};
use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use crate::error::{CaseError, Result, SqlContext};
use crate::store::Case;
use crate::times::{from_stored, to_stored};

/// A row an analyst adds (the columns of the timeline spreadsheet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualEntry {
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Where the analyst saw it (a log, a user's account of it, a partner's mail).
    pub source: Option<String>,
    /// Who acted.
    pub actor: Option<String>,
    /// The account concerned.
    pub account: Option<String>,
    /// What happened.
    pub action: String,
    /// Free comment.
    pub comment: Option<String>,
}

/// One row of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    /// When, UTC.
    pub time: DateTime<Utc>,
    /// Source of the evidence (event source kind, what the analyst wrote, or
    /// `detection` for findings).
    pub source: Option<String>,
    /// Who acted (for events: the actor, else the account; none for findings).
    pub actor: Option<String>,
    /// The account concerned.
    pub account: Option<String>,
    /// What happened (for events: the action name; for findings: the English title).
    pub action: String,
    /// Comment (manual rows; for findings: the English explanation).
    pub comment: Option<String>,
    /// Client address (events).
    pub ip: Option<String>,
    /// The event's id when the row comes from an event.
    pub event_id: Option<i64>,
    /// The manual row's id when an analyst added it.
    pub manual_id: Option<i64>,
    /// For events: the `Action` as JSON (the `details` column), to describe it.
    pub details: Option<String>,
    /// The finding's id when the row comes from a finding (time: its first event).
    pub finding_id: Option<i64>,
}

/// Ties are broken by `event_id`, `finding_id`, `manual_id`; NULL sorts first, so at
/// one instant come manual rows, then findings, then events (each by id).
const TIMELINE_SQL: &str = "\
    SELECT time, source, actor, account, action, comment, NULL AS ip, NULL AS event_id, id AS manual_id, \
    NULL AS details, NULL AS finding_id FROM timeline_manual \
    UNION ALL \
    SELECT time, source, coalesce(actor, account), account, action, NULL, ip, id, NULL, details, NULL \
    FROM events WHERE notable = 1 \
    UNION ALL \
    SELECT first, 'detection', NULL, account, title_en, explanation_en, NULL, NULL, NULL, NULL, id \
    FROM findings WHERE severity IN ('medium', 'high', 'critical') \
    ORDER BY 1, 8, 11, 9";

impl Case {
    /// Adds an analyst's row; returns its id.
    pub fn timeline_add(&self, entry: &ManualEntry) -> Result<i64> {
        if entry.action.trim().is_empty() {
            return Err(CaseError::InvalidInput(
                "a timeline row needs an action".into(),
            ));
        }
        self.conn()
            .execute(
                "INSERT INTO timeline_manual (time, source, actor, account, action, comment, recorded_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    to_stored(entry.time),
                    entry.source,
                    entry.actor,
                    entry.account.as_ref().map(|a| a.trim().to_lowercase()),
                    entry.action,
                    entry.comment,
                    to_stored(Utc::now())
                ],
            )
            .at(self.db_path())?;
        Ok(self.conn().last_insert_rowid())
    }

    /// The whole timeline in time order. See [`Case::for_each_timeline_row`] to stream
    /// a long one.
    pub fn timeline(&self) -> Result<Vec<TimelineRow>> {
        let mut out = Vec::new();
        self.for_each_timeline_row(|row| {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the timeline in time order (ties: manual rows, then findings, then
    /// events, each by id).
    pub fn for_each_timeline_row<F>(&self, mut visit: F) -> Result<()>
    where
        F: FnMut(TimelineRow) -> Result<()>,
    {
        let path = self.db_path();
        let mut stmt = self.conn().prepare(TIMELINE_SQL).at(path)?;
        let rows = stmt.query_map([], read_raw).at(path)?;
        for row in rows {
            let (time, row) = row.at(path)?;
            let time = from_stored(&time).ok_or_else(|| CaseError::BadRow {
                path: path.to_path_buf(),
                table: if row.event_id.is_some() {
                    "events"
                } else if row.finding_id.is_some() {
                    "findings"
                } else {
                    "timeline_manual"
                },
                row: row
                    .event_id
                    .or(row.finding_id)
                    .or(row.manual_id)
                    .unwrap_or_default(),
                message: format!("bad time {time:?}"),
            })?;
            visit(TimelineRow { time, ..row })?;
        }
        Ok(())
    }
}

fn read_raw(r: &Row<'_>) -> rusqlite::Result<(String, TimelineRow)> {
    let time: String = r.get(0)?;
    let row = TimelineRow {
        time: DateTime::<Utc>::MIN_UTC,
        source: r.get(1)?,
        actor: r.get(2)?,
        account: r.get(3)?,
        action: r.get(4)?,
        comment: r.get(5)?,
        ip: r.get(6)?,
        event_id: r.get(7)?,
        manual_id: r.get(8)?,
        details: r.get(9)?,
        finding_id: r.get(10)?,
    };
    Ok((time, row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{evidence, new_case, new_rule, sign_in};
    use chrono::TimeZone;

    #[test]
    fn merges_manual_rows_and_notable_events_in_time_order() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let mut w = case.event_writer(false).unwrap();
        let rule = new_rule(ev, 2, "debra@example.fr", 30);
        w.write(&[sign_in(ev, 1, "debra@example.fr", 10, true), rule.clone()])
            .unwrap();
        let phish = ManualEntry {
            time: Utc.with_ymd_and_hms(2023, 9, 20, 4, 0, 0).unwrap(),
            source: Some("user's statement".into()),
            actor: Some("attacker".into()),
            account: Some("Debra@Example.fr".into()),
            action: "phishing mail received".into(),
            comment: Some("=HYPERLINK(\"x\")".into()),
        };
        let later = ManualEntry {
            time: Utc.with_ymd_and_hms(2023, 9, 20, 5, 0, 0).unwrap(),
            action: "password reset".into(),
            ..phish.clone()
        };
        let later_id = case.timeline_add(&later).unwrap();
        let first_id = case.timeline_add(&phish).unwrap();
        let rows = case.timeline().unwrap();
        let summary: Vec<_> = rows
            .iter()
            .map(|r| (r.action.as_str(), r.event_id, r.manual_id))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("phishing mail received", None, Some(first_id)),
                ("inbox_rule_created", Some(rule.id.0), None),
                ("password reset", None, Some(later_id)),
            ],
            "the sign-in is not notable"
        );
        assert_eq!(rows[0].account.as_deref(), Some("debra@example.fr"));
        assert_eq!(rows[1].actor.as_deref(), Some("debra@example.fr"));
        assert_eq!(rows[1].source.as_deref(), Some("m365_ual"));
        let local = case.local_time(rows[0].time).unwrap();
        assert_eq!(local.to_string(), "2023-09-20 06:00:00 CEST (+02:00)");
        assert!(
            case.timeline_add(&ManualEntry {
                action: " ".into(),
                ..phish
            })
            .is_err()
        );
    }
    #[test]
    fn findings_of_medium_severity_or_more_join_the_timeline() {
        use crate::DetectionResults;
        use crate::test_support::finding;
        use mailcase_model::Severity;
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let rule = new_rule(ev, 2, "debra@example.fr", 30);
        let quiet = sign_in(ev, 1, "debra@example.fr", 40, true);
        case.event_writer(false)
            .unwrap()
            .write(&[rule.clone(), quiet.clone()])
            .unwrap();
        let same_time = ManualEntry {
            time: rule.time,
            source: None,
            actor: None,
            account: None,
            action: "user called".into(),
            comment: None,
        };
        let manual_id = case.timeline_add(&same_time).unwrap();
        let results = DetectionResults {
            findings: vec![
                finding("mc-rule", Severity::Medium, "debra@example.fr", &[&rule]),
                finding("mc-login", Severity::Low, "debra@example.fr", &[&quiet]),
            ],
            ..Default::default()
        };
        case.replace_detection_results(&results).unwrap();
        let finding_id = case.findings(&Default::default()).unwrap()[0].id;
        let rows = case.timeline().unwrap();
        let summary: Vec<_> = rows
            .iter()
            .map(|r| (r.action.as_str(), r.manual_id, r.finding_id, r.event_id))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("user called", Some(manual_id), None, None),
                ("mc-rule title", None, Some(finding_id), None),
                ("inbox_rule_created", None, None, Some(rule.id.0)),
            ],
            "ties: manual rows, findings, events; low findings stay out"
        );
        let row = &rows[1];
        assert_eq!(row.source.as_deref(), Some("detection"));
        assert_eq!(row.comment.as_deref(), Some("because <b>x</b>"));
        assert_eq!(row.account.as_deref(), Some("debra@example.fr"));
        assert_eq!((row.time, row.actor.as_deref()), (rule.time, None));
    }
}
