//! Storing what detection concludes: findings (with every supporting event), verdicts
//! per account and indicators, one detection run at a time.
//!
//! A run replaces the previous run's results in one IMMEDIATE transaction (delete the
//! old rows, insert the new ones), so a kill leaves either the old set or the new one,
//! never a mix. `detection_runs` keeps one row per stored run. Reading is in
//! [`crate::finding_query`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use mailcase_model::{Finding, Indicator, IndicatorKind, Verdict};
use rusqlite::{ErrorCode, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::error::{CaseError, Result, SqlContext};
use crate::store::Case;
use crate::times::to_stored;

/// Id of a stored detection run (`detection_runs.id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub i64);

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Everything one detection run produced, to store with
/// [`Case::replace_detection_results`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DetectionResults {
    /// The findings; their position is what [`Verdict::findings`] refers to.
    pub findings: Vec<Finding>,
    /// One verdict per account (two for the same account are refused).
    pub verdicts: Vec<Verdict>,
    /// The case's indicators (duplicates are merged).
    pub indicators: Vec<Indicator>,
    /// Rules the run loaded.
    pub rules_loaded: usize,
    /// Rules it could not run (unsupported features).
    pub rules_unsupported: usize,
}

impl Case {
    /// Stores a detection run, replacing the previous run's findings, verdicts and
    /// indicators atomically. The run's start time is taken as now; see
    /// [`Case::replace_detection_results_started`] to give the real one.
    ///
    /// Fails with [`CaseError::InvalidInput`] (and keeps the previous results) when a
    /// finding names an event that is not in the case, a verdict names a finding
    /// index out of range, or two verdicts concern the same account.
    pub fn replace_detection_results(&self, results: &DetectionResults) -> Result<RunId> {
        self.replace_detection_results_started(results, Utc::now())
    }

    /// As [`Case::replace_detection_results`], recording `started_at` as the time
    /// detection started.
    pub fn replace_detection_results_started(
        &self,
        results: &DetectionResults,
        started_at: DateTime<Utc>,
    ) -> Result<RunId> {
        let now = to_stored(Utc::now());
        let tx = self.write_tx()?;
        let path = self.db_path();
        tx.execute_batch(
            "DELETE FROM finding_events; DELETE FROM verdicts; DELETE FROM indicators; \
             DELETE FROM findings;",
        )
        .at(path)?;
        tx.execute(
            "INSERT INTO detection_runs (started_at, finished_at, rules_loaded, \
             rules_unsupported, findings) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                to_stored(started_at),
                now,
                count(results.rules_loaded),
                count(results.rules_unsupported),
                count(results.findings.len())
            ],
        )
        .at(path)?;
        let run = RunId(tx.last_insert_rowid());
        let ids = self.insert_findings(&tx, run, &results.findings, &now)?;
        self.insert_verdicts(&tx, &results.verdicts, &ids, &now)?;
        self.insert_indicators(&tx, results, &ids)?;
        tx.commit().at(path)?;
        Ok(run)
    }

    /// Inserts the findings and their events; returns their ids in input order.
    fn insert_findings(
        &self,
        tx: &Transaction<'_>,
        run: RunId,
        findings: &[Finding],
        now: &str,
    ) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(findings.len());
        for (index, finding) in findings.iter().enumerate() {
            let id = self.insert_finding(tx, run, finding, now)?;
            let linked = self.link_events(tx, id, index, finding)?;
            tx.execute(
                "UPDATE findings SET event_count = ?2 WHERE id = ?1",
                params![id, linked],
            )
            .at(self.db_path())?;
            ids.push(id);
        }
        Ok(ids)
    }

    fn insert_finding(
        &self,
        tx: &Transaction<'_>,
        run: RunId,
        f: &Finding,
        now: &str,
    ) -> Result<i64> {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO findings (rule_id, source, title_en, title_fr, explanation_en, \
                 explanation_fr, severity, confidence, account, other_accounts, first, last, \
                 attack, qualification, indicators, event_count, created_at, run_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0, \
                 ?16, ?17)",
            )
            .at(self.db_path())?;
        stmt.execute(params![
            f.rule_id,
            name_of(&f.source)?,
            f.title.en,
            f.title.fr,
            f.explanation.en,
            f.explanation.fr,
            f.severity.as_str(),
            name_of(&f.confidence)?,
            f.account.as_ref().map(|a| a.as_str()),
            to_json(&f.other_accounts)?,
            to_stored(f.first),
            to_stored(f.last),
            to_json(&f.attack)?,
            to_json(&f.qualification)?,
            to_json(&f.indicators)?,
            now,
            run.0,
        ])
        .at(self.db_path())?;
        Ok(tx.last_insert_rowid())
    }

    /// Links every supporting event (duplicates once); returns how many were linked.
    fn link_events(&self, tx: &Transaction<'_>, id: i64, index: usize, f: &Finding) -> Result<i64> {
        let mut stmt = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO finding_events (finding_id, event_id) VALUES (?1, ?2)",
            )
            .at(self.db_path())?;
        let mut linked = 0i64;
        for event in &f.events {
            match stmt.execute(params![id, event.0]) {
                Ok(n) => linked += n as i64,
                Err(e) if is_constraint(&e) => {
                    return Err(CaseError::InvalidInput(format!(
                        "finding {index} ({}) names event {event}, which is not in the case",
                        f.rule_id
                    )));
                }
                Err(e) => return Err(e).at(self.db_path()),
            }
        }
        Ok(linked)
    }

    fn insert_verdicts(
        &self,
        tx: &Transaction<'_>,
        verdicts: &[Verdict],
        ids: &[i64],
        now: &str,
    ) -> Result<()> {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO verdicts (account, level, reasons, finding_ids, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .at(self.db_path())?;
        for v in verdicts {
            let finding_ids = v
                .findings
                .iter()
                .map(|&i| {
                    ids.get(i).copied().ok_or_else(|| {
                        CaseError::InvalidInput(format!(
                            "the verdict on {} names finding {i}, but there are {} findings",
                            v.account,
                            ids.len()
                        ))
                    })
                })
                .collect::<Result<Vec<i64>>>()?;
            let values = params![
                v.account.as_str(),
                v.level.as_str(),
                to_json(&v.reasons)?,
                to_json(&finding_ids)?,
                now
            ];
            match stmt.execute(values) {
                Ok(_) => {}
                Err(e) if is_constraint(&e) => {
                    return Err(CaseError::InvalidInput(format!(
                        "two verdicts for the account {}",
                        v.account
                    )));
                }
                Err(e) => return Err(e).at(self.db_path()),
            }
        }
        Ok(())
    }

    fn insert_indicators(
        &self,
        tx: &Transaction<'_>,
        results: &DetectionResults,
        ids: &[i64],
    ) -> Result<()> {
        let seen = indicator_sightings(results, ids);
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO indicators (kind, value, first_seen, last_seen, finding_ids) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .at(self.db_path())?;
        for ((kind, value), s) in &seen {
            stmt.execute(params![
                kind.as_str(),
                value,
                s.first.map(to_stored),
                s.last.map(to_stored),
                to_json(&s.findings)?
            ])
            .at(self.db_path())?;
        }
        Ok(())
    }
}

/// Where an indicator was seen: the span and ids of the findings that list it.
#[derive(Default)]
struct Sightings {
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    findings: Vec<i64>,
}

/// The run's indicators (deduplicated) with the findings that list each of them.
/// Indicators that only findings mention are not added: the run's list is the case's.
fn indicator_sightings(
    results: &DetectionResults,
    ids: &[i64],
) -> BTreeMap<(IndicatorKind, String), Sightings> {
    let mut seen: BTreeMap<(IndicatorKind, String), Sightings> = results
        .indicators
        .iter()
        .map(|i| ((i.kind, i.value.clone()), Sightings::default()))
        .collect();
    for (f, &id) in results.findings.iter().zip(ids) {
        for i in &f.indicators {
            let Some(s) = seen.get_mut(&(i.kind, i.value.clone())) else {
                continue;
            };
            s.first = Some(s.first.map_or(f.first, |t| t.min(f.first)));
            s.last = Some(s.last.map_or(f.last, |t| t.max(f.last)));
            if s.findings.last() != Some(&id) {
                s.findings.push(id);
            }
        }
    }
    seen
}

/// Whether SQLite refused a row for a constraint (foreign key, unique key).
fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| CaseError::InvalidInput(format!("cannot encode as JSON: {e}")))
}

/// The serde name of a unit enum variant (`sigma_rule`, `high`...): the stored form.
pub(crate) fn name_of<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(CaseError::InvalidInput(
            "a stored name must be a plain enum variant".into(),
        )),
    }
}

/// The enum variant whose serde name is `text`.
pub(crate) fn from_name<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{evidence, finding, new_case, new_rule, sign_in};
    use crate::{FindingFilter, StoredFinding};
    use mailcase_model::{Account, Localized, Severity, VerdictLevel};

    /// A case with four events and a run of two findings; returns the events too.
    fn case_with_run() -> (tempfile::TempDir, Case, Vec<mailcase_model::Event>, RunId) {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let events = vec![
            sign_in(ev, 1, "debra@example.fr", 5, true),
            new_rule(ev, 2, "debra@example.fr", 6),
            sign_in(ev, 3, "b@x.fr", 1, false),
            sign_in(ev, 4, "b@x.fr", 2, false),
        ];
        case.event_writer(false).unwrap().write(&events).unwrap();
        let high = finding(
            "mc-rule",
            Severity::High,
            "Debra@Example.fr",
            &[&events[0], &events[1]],
        );
        let mut low = finding(
            "mc-spray",
            Severity::Low,
            "c@x.fr",
            &[&events[2], &events[3]],
        );
        low.other_accounts = vec![Account::new("b@x.fr").unwrap()];
        low.indicators.clear();
        let results = DetectionResults {
            findings: vec![high, low],
            verdicts: vec![Verdict {
                account: Account::new("debra@example.fr").unwrap(),
                level: VerdictLevel::Compromised,
                reasons: vec![Localized::new("hidden rule", "règle cachée")],
                findings: vec![0],
            }],
            indicators: vec![
                Indicator {
                    kind: IndicatorKind::Ip,
                    value: "81.2.69.144".into(),
                },
                Indicator {
                    kind: IndicatorKind::UserAgent,
                    value: "curl".into(),
                },
                Indicator {
                    kind: IndicatorKind::Ip,
                    value: "81.2.69.144".into(),
                },
            ],
            rules_loaded: 12,
            rules_unsupported: 3,
        };
        let run = case.replace_detection_results(&results).unwrap();
        (dir, case, events, run)
    }

    fn rule_ids(found: &[StoredFinding]) -> Vec<&str> {
        found.iter().map(|f| f.finding.rule_id.as_str()).collect()
    }

    #[test]
    fn findings_round_trip_with_their_events() {
        let (_dir, case, events, run) = case_with_run();
        let found = case.findings(&FindingFilter::default()).unwrap();
        assert_eq!(
            rule_ids(&found),
            vec!["mc-spray", "mc-rule"],
            "by first event time"
        );
        let rule = &found[1];
        let want = finding(
            "mc-rule",
            Severity::High,
            "debra@example.fr",
            &[&events[0], &events[1]],
        );
        assert_eq!(rule.finding, want);
        assert_eq!((rule.run_id, rule.event_count), (run, 2));
        assert_eq!(
            found[0].finding.other_accounts,
            vec![Account::new("b@x.fr").unwrap()]
        );
        let rows = case.finding_events(rule.id).unwrap();
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![events[0].id.0, events[1].id.0]);
        let again = case.finding(rule.id).unwrap();
        assert_eq!(&again, rule);
        let runs = case.last_detection_run().unwrap().unwrap();
        assert_eq!(
            (
                runs.id,
                runs.rules_loaded,
                runs.rules_unsupported,
                runs.findings
            ),
            (run, 12, 3, 2)
        );
    }

    #[test]
    fn events_come_back_in_time_order_once_each() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let a = sign_in(ev, 1, "a@x.fr", 9, true);
        let b = sign_in(ev, 2, "a@x.fr", 3, true);
        case.event_writer(false)
            .unwrap()
            .write(&[a.clone(), b.clone()])
            .unwrap();
        let mut f = finding("r", Severity::Medium, "a@x.fr", &[&a, &b]);
        f.events.push(a.id);
        let results = DetectionResults {
            findings: vec![f],
            ..Default::default()
        };
        case.replace_detection_results(&results).unwrap();
        let stored = &case.findings(&FindingFilter::default()).unwrap()[0];
        assert_eq!(stored.finding.events, vec![b.id, a.id]);
        assert_eq!(stored.event_count, 2);
    }

    #[test]
    fn filters_select_findings() {
        let (_dir, case, _, _) = case_with_run();
        let ids = |filter: FindingFilter| {
            let found = case.findings(&filter).unwrap();
            rule_ids(&found)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let medium = FindingFilter {
            min_severity: Some(Severity::Medium),
            ..Default::default()
        };
        assert_eq!(ids(medium), vec!["mc-rule"]);
        let low = FindingFilter {
            min_severity: Some(Severity::Low),
            ..Default::default()
        };
        assert_eq!(ids(low).len(), 2);
        let other = FindingFilter {
            account: Some(" B@X.FR".into()),
            ..Default::default()
        };
        assert_eq!(ids(other), vec!["mc-spray"], "other accounts match too");
        let main = FindingFilter {
            account: Some("debra@example.fr".into()),
            ..Default::default()
        };
        assert_eq!(ids(main), vec!["mc-rule"]);
        let rule = FindingFilter {
            rule_id: Some("mc-rule".into()),
            ..Default::default()
        };
        assert_eq!(ids(rule), vec!["mc-rule"]);
        let one = FindingFilter {
            limit: Some(1),
            ..Default::default()
        };
        assert_eq!(ids(one), vec!["mc-spray"]);
    }

    #[test]
    fn verdicts_and_indicators_name_stored_findings() {
        let (_dir, case, events, _) = case_with_run();
        let found = case.findings(&FindingFilter::default()).unwrap();
        let rule_id = found[1].id;
        let verdicts = case.verdicts().unwrap();
        assert_eq!(verdicts.len(), 1);
        assert_eq!(verdicts[0].finding_ids, vec![rule_id]);
        assert_eq!(verdicts[0].level, VerdictLevel::Compromised);
        assert_eq!(verdicts[0].reasons[0].fr, "règle cachée");
        let indicators = case.indicators().unwrap();
        let summary: Vec<_> = indicators
            .iter()
            .map(|i| {
                (
                    i.kind,
                    i.value.as_str(),
                    i.finding_ids.clone(),
                    i.first_seen,
                    i.last_seen,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    IndicatorKind::Ip,
                    "81.2.69.144",
                    vec![rule_id],
                    Some(events[0].time),
                    Some(events[1].time)
                ),
                (IndicatorKind::UserAgent, "curl", vec![], None, None),
            ]
        );
    }

    #[test]
    fn a_rerun_replaces_the_previous_results() {
        let (_dir, case, events, first_run) = case_with_run();
        let old = case.findings(&FindingFilter::default()).unwrap();
        let f = finding("mc-new", Severity::Critical, "b@x.fr", &[&events[2]]);
        let results = DetectionResults {
            findings: vec![f],
            ..Default::default()
        };
        let run = case.replace_detection_results(&results).unwrap();
        assert!(run > first_run);
        let found = case.findings(&FindingFilter::default()).unwrap();
        assert_eq!(rule_ids(&found), vec!["mc-new"]);
        assert_eq!(found[0].run_id, run);
        assert!(case.verdicts().unwrap().is_empty());
        assert!(case.indicators().unwrap().is_empty());
        assert!(matches!(
            case.finding_events(old[0].id),
            Err(CaseError::UnknownFinding(_))
        ));
        let links: i64 = case
            .conn()
            .query_row("SELECT count(*) FROM finding_events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(links, 1);
        let runs: i64 = case
            .conn()
            .query_row("SELECT count(*) FROM detection_runs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(runs, 2, "the history of runs is kept");
    }

    #[test]
    fn a_refused_run_keeps_the_previous_results() {
        let (_dir, case, events, _) = case_with_run();
        let before = case.findings(&FindingFilter::default()).unwrap();
        let mut ghost = finding("mc-ghost", Severity::High, "a@x.fr", &[&events[0]]);
        ghost.events.push(mailcase_model::EventId(999_999));
        let ok = finding("mc-ok", Severity::High, "a@x.fr", &[&events[0]]);
        let verdict = |findings: Vec<usize>| Verdict {
            account: Account::new("a@x.fr").unwrap(),
            level: VerdictLevel::Suspicious,
            reasons: vec![],
            findings,
        };
        let bad_runs = [
            DetectionResults {
                findings: vec![ok.clone(), ghost],
                ..Default::default()
            },
            DetectionResults {
                findings: vec![ok.clone()],
                verdicts: vec![verdict(vec![1])],
                ..Default::default()
            },
            DetectionResults {
                findings: vec![ok],
                verdicts: vec![verdict(vec![0]), verdict(vec![])],
                ..Default::default()
            },
        ];
        for (n, results) in bad_runs.iter().enumerate() {
            let err = case.replace_detection_results(results).unwrap_err();
            assert!(matches!(err, CaseError::InvalidInput(_)), "{n}: {err}");
            assert_eq!(
                case.findings(&FindingFilter::default()).unwrap(),
                before,
                "{n}"
            );
            assert_eq!(case.verdicts().unwrap().len(), 1, "{n}");
        }
        let err = case.replace_detection_results(&bad_runs[0]).unwrap_err();
        assert!(err.to_string().contains("event 0:999999"), "{err}");
    }

    #[test]
    fn stored_findings_serialise_with_stable_names() {
        let (_dir, case, _, _) = case_with_run();
        let found = case.findings(&FindingFilter::default()).unwrap();
        let json = serde_json::to_value(&found[1]).unwrap();
        for key in [
            "id",
            "run_id",
            "event_count",
            "created_at",
            "rule_id",
            "source",
            "title",
            "explanation",
            "severity",
            "confidence",
            "account",
            "other_accounts",
            "first",
            "last",
            "events",
            "attack",
            "qualification",
            "indicators",
        ] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        assert_eq!(json["severity"], "high");
        assert_eq!(json["title"]["fr"], "titre mc-rule");
        let back: StoredFinding = serde_json::from_value(json).unwrap();
        assert_eq!(back, found[1]);
    }

    #[test]
    fn an_edited_row_is_named_in_the_error() {
        let (_dir, case, _, _) = case_with_run();
        let id = case.findings(&FindingFilter::default()).unwrap()[0].id;
        case.conn()
            .execute(
                "UPDATE findings SET attack = 'not json' WHERE id = ?1",
                [id],
            )
            .unwrap();
        let err = case.findings(&FindingFilter::default()).unwrap_err();
        assert!(
            matches!(err, CaseError::BadRow { table: "findings", row, .. } if row == id),
            "{err}"
        );
        case.conn()
            .execute("UPDATE verdicts SET level = 'owned'", [])
            .unwrap_err();
        case.conn()
            .execute("UPDATE indicators SET kind = 'phone' WHERE kind = 'ip'", [])
            .unwrap();
        let err = case.indicators().unwrap_err();
        assert!(err.to_string().contains("indicators"), "{err}");
    }
}
