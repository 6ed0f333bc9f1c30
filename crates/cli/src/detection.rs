//! Detection over a case: Sigma rules (shipped pack + the user's folders), stateful
//! analytics, pivots on the attacker's indicators, verdicts; results replace the previous
//! run's in one transaction.
//!
//! Events stream from the case in time order. Single-event rules are matched in parallel
//! on batches (one matcher per thread); correlations and analytics, which need order, run
//! on the calling thread.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

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
const BATCH: usize = 8192;
/// Batches waiting between two stages of the pipeline.
const IN_FLIGHT: usize = 2;
/// An address used successfully by more accounts than this (or a tenth of them) is
/// shared infrastructure (office egress, proxy, mobile carrier NAT), not a pivot.
const SHARED_MIN_ACCOUNTS: usize = 5;
/// Events a pivot finding cites at most.
const PIVOT_EVENTS: usize = 1000;

/// Phase timings printed to stderr when `MAILCASE_TIMINGS` is set (to find where a
/// run spends its time on big cases without a profiler).
struct Phases {
    on: bool,
    last: Instant,
}

impl Phases {
    fn new() -> Self {
        Phases { on: std::env::var_os("MAILCASE_TIMINGS").is_some(), last: Instant::now() }
    }

    /// Prints the time since the previous mark under `name`.
    fn mark(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            eprintln!("[timing] {name:<28} {:>9.3} s", (now - self.last).as_secs_f64());
        }
        self.last = now;
    }
}

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
    let mut phases = Phases::new();
    let (rules, problems) = load_rules(extra_rules);
    phases.mark("load rules");
    let bar = crate::progress::spinner(t!("detect-running"), quiet);
    let cfg = AnalyticsConfig::with_org_domains(case.settings().org_domains.iter().cloned());
    let (streamed, skipped) = stream_and_match(case, &rules, Analytics::new(cfg), &bar)?;
    if phases.on {
        eprintln!(
            "[timing]   sigma match (parallel) {:.3} s, correlations + analytics {:.3} s, waiting for events {:.3} s",
            streamed.t_match.as_secs_f64(),
            streamed.t_seq.as_secs_f64(),
            streamed.t_wait.as_secs_f64()
        );
    }
    let Streamed { hits, correlations, analytics, .. } = streamed;
    phases.mark("stream, match, analytics");
    let mut findings = mailcase_detect::sigma::to_findings(&rules, &hits, &correlations);
    temper_user_rules(&rules, &mut findings);
    phases.mark("sigma findings");
    findings.extend(analytics.finish());
    phases.mark("analytics finish");
    let accounts: Vec<Account> = case.accounts_seen()?.into_iter().filter_map(|a| Account::new(&a.account)).collect();
    phases.mark("accounts seen");
    let first_verdicts = mailcase_detect::verdict::verdicts(&findings, &accounts);
    let bad: BTreeSet<Account> =
        first_verdicts.iter().filter(|v| v.level == VerdictLevel::Compromised).map(|v| v.account.clone()).collect();
    // Pivot only on what the compromised accounts' findings reveal.
    let bad_findings: Vec<Finding> =
        findings.iter().filter(|f| f.account.as_ref().is_some_and(|a| bad.contains(a))).cloned().collect();
    let shared_limit = (accounts.len() / 10).max(SHARED_MIN_ACCOUNTS);
    let pivots = pivot_findings(case, &mailcase_detect::verdict::indicators(&bad_findings), &bad, shared_limit)?;
    findings.extend(pivots);
    phases.mark("verdicts, pivots");
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
    phases.mark("verdicts, indicators");
    case.replace_detection_results_started(&results, started)?;
    phases.mark("store results");
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

/// What the matching stages return.
struct Streamed {
    hits: Vec<RuleMatch>,
    correlations: Vec<CorrelationMatch>,
    analytics: Analytics,
    /// Time spent matching single-event rules, in parallel.
    t_match: Duration,
    /// Time spent in correlations and analytics.
    t_seq: Duration,
    /// Time the matcher waited for events from the database.
    t_wait: Duration,
}

/// Streams the case's events through three stages, each on its own thread, so that
/// reading the database, matching and the order-dependent work overlap:
///
/// 1. this thread reads events in time order and sends them in batches;
/// 2. a matcher thread matches each batch's single-event rules in parallel (rayon, one
///    matcher per worker);
/// 3. a sequential thread feeds correlations and analytics in time order.
///
/// Channels hold at most [`IN_FLIGHT`] batches, so memory stays flat.
fn stream_and_match(
    case: &Case,
    rules: &RuleSet,
    analytics: Analytics,
    bar: &indicatif::ProgressBar,
) -> Result<(Streamed, mailcase_case::SkippedRows)> {
    let (to_match, batches) = mpsc::sync_channel::<Vec<Event>>(IN_FLIGHT);
    let (to_seq, matched) = mpsc::sync_channel::<(Vec<Event>, Vec<Vec<RuleMatch>>)>(IN_FLIGHT);
    std::thread::scope(|scope| {
        let matcher = scope.spawn(move || match_batches(rules, &batches, &to_seq));
        let sequential = scope.spawn(move || feed_in_order(rules, analytics, &matched));
        let mut batch: Vec<Event> = Vec::with_capacity(BATCH);
        let mut seen = 0u64;
        let label = t!("detect-running");
        let read = case.for_each_model_event_skipping_bad(&EventFilter::default(), |event| {
            batch.push(event);
            if batch.len() >= BATCH {
                seen += batch.len() as u64;
                bar.set_message(format!("{label} · {seen}"));
                // A send fails only when a stage has died: its join below says why.
                let _ = to_match.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
            Ok(())
        });
        if !batch.is_empty() {
            let _ = to_match.send(batch);
        }
        drop(to_match);
        let (t_match, t_wait) = matcher.join().map_err(|_| anyhow::anyhow!("the rule matcher stopped"))?;
        let mut out = sequential.join().map_err(|_| anyhow::anyhow!("the analytics stopped"))?;
        out.t_match = t_match;
        out.t_wait = t_wait;
        Ok((out, read?))
    })
}

/// Stage 2: single-event rules on each batch, in parallel. Returns the time spent
/// matching and the time spent waiting for batches.
fn match_batches(
    rules: &RuleSet,
    batches: &mpsc::Receiver<Vec<Event>>,
    out: &mpsc::SyncSender<(Vec<Event>, Vec<Vec<RuleMatch>>)>,
) -> (Duration, Duration) {
    let (mut busy, mut wait) = (Duration::ZERO, Duration::ZERO);
    let mut waiting = Instant::now();
    while let Ok(batch) = batches.recv() {
        let started = Instant::now();
        wait += started - waiting;
        let hits: Vec<Vec<RuleMatch>> =
            batch.par_iter().map_init(|| rules.event_matcher(), |m, e| m.matches(e)).collect();
        busy += started.elapsed();
        if out.send((batch, hits)).is_err() {
            break;
        }
        waiting = Instant::now();
    }
    (busy, wait)
}

/// Stage 3: correlations and analytics, which need the events in time order.
fn feed_in_order(
    rules: &RuleSet,
    mut analytics: Analytics,
    matched: &mpsc::Receiver<(Vec<Event>, Vec<Vec<RuleMatch>>)>,
) -> Streamed {
    let mut matcher = rules.matcher();
    let (mut hits, mut correlations) = (Vec::new(), Vec::new());
    let mut busy = Duration::ZERO;
    while let Ok((batch, batch_hits)) = matched.recv() {
        let started = Instant::now();
        for (event, event_hits) in batch.iter().zip(batch_hits) {
            correlations.extend(matcher.feed_correlations(event, &event_hits));
            analytics.feed(event);
            hits.extend(event_hits);
        }
        busy += started.elapsed();
    }
    Streamed { hits, correlations, analytics, t_match: Duration::ZERO, t_seq: busy, t_wait: Duration::ZERO }
}

/// Rules from the user's folders (public SigmaHQ rules among them) were not tuned on
/// mailbox evidence: their findings inform, but none alone may call an account
/// compromised. Their confidence is capped at low; the shipped pack's is kept.
fn temper_user_rules(rules: &RuleSet, findings: &mut [Finding]) {
    let user: BTreeSet<&str> = rules
        .rules()
        .iter()
        .filter(|r| !r.path.starts_with("rules/"))
        .flat_map(|r| [Some(r.id.as_str()), r.name.as_deref()])
        .flatten()
        .collect();
    for f in findings.iter_mut() {
        if matches!(f.source, FindingSource::SigmaRule | FindingSource::SigmaCorrelation) && user.contains(f.rule_id.as_str()) {
            f.confidence = f.confidence.min(Confidence::Low);
        }
    }
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
