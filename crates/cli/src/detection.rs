//! Detection over a case: Sigma rules (shipped pack + the user's folders), stateful
//! analytics, pivots on the attacker's indicators, verdicts; results replace the previous
//! run's in one transaction.
//!
//! Events stream from the case in time order. Single-event rules are matched in parallel
//! on batches (one matcher per thread); correlations and analytics, which need order, run
//! on the calling thread.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;
use rayon::prelude::*;

use mailcase_case::{Case, DetectionResults, EventFilter};
use mailcase_detect::analytics::{Analytics, AnalyticsConfig};
use mailcase_detect::sigma::{CorrelationMatch, LoadProblem, RuleMatch, RuleSet};
use mailcase_model::{
    Account, Confidence, Event, EventId, Finding, FindingSource, Indicator, IndicatorKind, Localized, Severity,
    VerdictLevel,
};

/// Events matched in parallel at once.
const BATCH: usize = 4096;
/// An address used successfully by more accounts than this (or a tenth of them) is
/// shared infrastructure (office egress, proxy, mobile carrier NAT), not a pivot.
const SHARED_MIN_ACCOUNTS: usize = 5;
/// Events a pivot finding cites at most.
const PIVOT_EVENTS: usize = 1000;

/// What a detection run did.
pub struct RunSummary {
    /// Rules that loaded.
    pub rules_loaded: usize,
    /// Rules that could not load or run, with the reasons.
    pub problems: Vec<LoadProblem>,
    /// Findings stored.
    pub findings: usize,
    /// Accounts judged compromised.
    pub compromised: Vec<String>,
    /// Accounts judged suspicious.
    pub suspicious: Vec<String>,
    /// Stored events that could not be read back (skipped).
    pub skipped_events: u64,
}

/// Loads the shipped rules and the user's folders.
pub fn load_rules(extra: &[PathBuf]) -> (RuleSet, Vec<LoadProblem>) {
    let (mut set, mut problems) = mailcase_detect::shipped::shipped_rules();
    if !extra.is_empty() {
        let dirs: Vec<&std::path::Path> = extra.iter().map(PathBuf::as_path).collect();
        let (user, mut p) = RuleSet::load_dirs(&dirs);
        problems.append(&mut p);
        problems.extend(set.merge(user));
    }
    (set, problems)
}

/// Runs detection on the whole case and stores the results.
pub fn run(case: &Case, extra_rules: &[PathBuf], quiet: bool) -> Result<RunSummary> {
    let started = Utc::now();
    let (rules, problems) = load_rules(extra_rules);
    let bar = crate::progress::spinner(t!("detect-running"), quiet);
    let cfg = AnalyticsConfig::with_org_domains(case.settings().org_domains.iter().cloned());
    let mut analytics = Analytics::new(cfg);
    let mut matcher = rules.matcher();
    let mut hits: Vec<RuleMatch> = Vec::new();
    let mut correlations: Vec<CorrelationMatch> = Vec::new();
    let mut batch: Vec<Event> = Vec::with_capacity(BATCH);
    let mut seen = 0u64;
    let mut process = |batch: &mut Vec<Event>, hits: &mut Vec<RuleMatch>, correlations: &mut Vec<CorrelationMatch>| {
        let matched: Vec<Vec<RuleMatch>> =
            batch.par_iter().map_init(|| rules.matcher(), |m, e| m.matches(e)).collect();
        for (event, event_hits) in batch.iter().zip(matched) {
            correlations.extend(matcher.feed_correlations(event, &event_hits));
            analytics.feed(event);
            hits.extend(event_hits);
        }
        seen += batch.len() as u64;
        bar.set_message(format!("{} · {seen}", t!("detect-running")));
        batch.clear();
    };
    let skipped = case.for_each_model_event_skipping_bad(&EventFilter::default(), |event| {
        batch.push(event);
        if batch.len() >= BATCH {
            process(&mut batch, &mut hits, &mut correlations);
        }
        Ok(())
    })?;
    process(&mut batch, &mut hits, &mut correlations);
    drop(process);
    let mut findings = mailcase_detect::sigma::to_findings(&rules, &hits, &correlations);
    findings.extend(analytics.finish());
    let accounts: Vec<Account> = case.accounts_seen()?.into_iter().filter_map(|a| Account::new(&a.account)).collect();
    let first_verdicts = mailcase_detect::verdict::verdicts(&findings, &accounts);
    let bad: BTreeSet<Account> =
        first_verdicts.iter().filter(|v| v.level == VerdictLevel::Compromised).map(|v| v.account.clone()).collect();
    // Pivot only on what the compromised accounts' findings reveal.
    let bad_findings: Vec<Finding> =
        findings.iter().filter(|f| f.account.as_ref().is_some_and(|a| bad.contains(a))).cloned().collect();
    let shared_limit = (accounts.len() / 10).max(SHARED_MIN_ACCOUNTS);
    let pivots = pivot_findings(case, &mailcase_detect::verdict::indicators(&bad_findings), &bad, shared_limit)?;
    findings.extend(pivots);
    let verdicts = mailcase_detect::verdict::verdicts(&findings, &accounts);
    let indicators = mailcase_detect::verdict::indicators(&findings);
    bar.finish_and_clear();
    let results = DetectionResults {
        findings,
        verdicts,
        indicators,
        rules_loaded: rules.rules().len(),
        rules_unsupported: problems.len(),
    };
    case.replace_detection_results_started(&results, started)?;
    let of = |level| results.verdicts.iter().filter(|v| v.level == level).map(|v| v.account.to_string()).collect();
    Ok(RunSummary {
        rules_loaded: rules.rules().len(),
        problems,
        findings: results.findings.len(),
        compromised: of(VerdictLevel::Compromised),
        suspicious: of(VerdictLevel::Suspicious),
        skipped_events: skipped.count,
    })
}

/// The attacker's addresses, sessions and applications searched in every other
/// account's events (qualification 3.c): each account reached becomes a finding that
/// names the indicator and the account it was first seen on.
fn pivot_findings(
    case: &Case,
    indicators: &[Indicator],
    compromised: &BTreeSet<Account>,
    shared_limit: usize,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for ind in indicators {
        let column = match ind.kind {
            IndicatorKind::Ip => "ip",
            IndicatorKind::SessionId => "session_id",
            _ => continue,
        };
        let sql = format!(
            "SELECT account, id, time, action, outcome FROM events WHERE {column} = ?1 AND account IS NOT NULL \
             ORDER BY account, time"
        );
        let result = case.query_readonly_params(&sql, &[ind.value.as_str()], 100_000)?;
        let mut per_account: BTreeMap<String, Vec<(i64, String, bool)>> = BTreeMap::new();
        for row in &result.rows {
            let (Some(account), Some(id), Some(time)) = (row[0].as_str(), row[1].as_i64(), row[2].as_str()) else {
                continue;
            };
            let success_sign_in = row[3].as_str() == Some("sign_in") && row[4].as_str() == Some("success");
            per_account.entry(account.to_owned()).or_default().push((id, time.to_owned(), success_sign_in));
        }
        let successful_users = per_account.values().filter(|events| events.iter().any(|e| e.2)).count();
        if successful_users > shared_limit {
            continue;
        }
        for (account, events) in per_account {
            let Some(acc) = Account::new(&account) else { continue };
            if compromised.contains(&acc) {
                continue;
            }
            out.push(pivot_finding(ind, acc, &events));
        }
    }
    Ok(out)
}

fn pivot_finding(ind: &Indicator, account: Account, events: &[(i64, String, bool)]) -> Finding {
    let time = |s: &str| mailcase_case::times::from_stored(s).unwrap_or_else(Utc::now);
    let signed_in = events.iter().any(|e| e.2);
    let (severity, confidence) = if signed_in { (Severity::High, Confidence::High) } else { (Severity::Medium, Confidence::Low) };
    let kind = ind.kind.as_str();
    let n = events.len();
    let title = Localized::new(
        format!("Attacker's {kind} also seen on this account"),
        format!("{kind} de l’attaquant vu aussi sur ce compte"),
    );
    let explanation = Localized::new(
        format!(
            "{n} event(s) of this account share the {kind} {} found on a compromised account{}.",
            ind.value,
            if signed_in { ", including a successful sign-in" } else { "" }
        ),
        format!(
            "{n} événement(s) de ce compte partagent le {kind} {} relevé sur un compte compromis{}.",
            ind.value,
            if signed_in { ", dont une connexion réussie" } else { "" }
        ),
    );
    Finding {
        rule_id: format!("mc-pivot-{kind}"),
        source: FindingSource::Pivot,
        title,
        explanation,
        severity,
        confidence,
        account: Some(account),
        other_accounts: Vec::new(),
        first: events.first().map_or_else(Utc::now, |e| time(&e.1)),
        last: events.last().map_or_else(Utc::now, |e| time(&e.1)),
        events: events.iter().take(PIVOT_EVENTS).map(|e| EventId(e.0)).collect(),
        attack: vec!["T1078.004".to_owned()],
        qualification: vec!["3.c".to_owned()],
        indicators: vec![ind.clone()],
    }
}
