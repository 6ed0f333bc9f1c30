//! Password guessing that did not succeed (`mc-brute-force-attempt`): credential
//! failures from one address that no successful sign-in from that address follows.
//!
//! Per source address, within the failure window:
//! - `brute_force_attempt_failures` failures (default 4) of one account: an attempt on
//!   that account. Private addresses count (an infected internal machine); only
//!   loopback and unspecified addresses are ignored (the server talking to itself);
//! - as many failures without a user name (Postfix `unknown[IP]: SASL LOGIN
//!   authentication failed`, Exchange SMTP `535 5.7.3`): an attempt on the server, with
//!   no account and the address as indicator;
//! - from a private address, failures against `spray_min_accounts` accounts or more
//!   (none of them reaching the threshold alone): an internal machine trying many
//!   accounts. Public addresses doing this are the password spray's
//!   (`credentials.rs`); both keep its shared-egress guard: an address from which many
//!   accounts also sign in successfully is a gateway, not an attacker.
//!
//! A successful sign-in from the address ends the attempt on that account (and the
//! attempts without a user name): either the user mistyped then got it right, or the
//! guess worked and `mc-brute-force-success` reports it.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use mailcase_model::{
    Account, Action, Confidence, Event, EventId, Indicator, IndicatorKind, Localized, Outcome, Severity,
};

use super::baseline::net_indicators;
use super::credentials::is_credential_failure;
use super::grouping::{Draft, MAX_EVENTS};
use super::net::NetView;
use super::state::Ctx;

/// Source addresses followed at once; beyond it new addresses are not followed until
/// quiet ones are closed.
const MAX_SOURCES: usize = 100_000;
/// Accounts followed per source address.
const MAX_ACCOUNTS: usize = 10_000;
/// Error codes quoted per address.
const MAX_CODES: usize = 16;
/// Failure times kept per run: far above any threshold worth setting (the peak is then
/// a lower bound).
const MAX_RECENT: usize = 1_024;

/// An event and its time.
type Stamped = (EventId, DateTime<Utc>);

/// The failures of one account (or of no account) from one address.
#[derive(Default)]
struct Run {
    /// Failure times within the window, newest last.
    recent: VecDeque<DateTime<Utc>>,
    /// Most failures seen within one window.
    peak: usize,
    /// Every failure, including those not kept in `events`.
    count: usize,
    events: Vec<Stamped>,
}

impl Run {
    fn push(&mut self, event: &Event, window: TimeDelta) {
        while self.recent.front().is_some_and(|t| event.time - *t > window) {
            self.recent.pop_front();
        }
        if self.recent.len() >= MAX_RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(event.time);
        self.peak = self.peak.max(self.recent.len());
        self.count = self.count.saturating_add(1);
        if self.events.len() < MAX_EVENTS {
            self.events.push((event.id, event.time));
        }
    }
}

/// What one address did.
struct Source {
    last: DateTime<Utc>,
    place: String,
    external: bool,
    indicators: Vec<Indicator>,
    runs: HashMap<Option<Account>, Run>,
    /// Successful sign-ins from the address (any account).
    successes: usize,
    codes: Vec<String>,
}

/// Credential failures per source address, until the address goes quiet.
#[derive(Default)]
pub(crate) struct AttemptTracker {
    by_ip: HashMap<IpAddr, Source>,
}

/// A failed sign-in: the only events [`AttemptTracker::observe`] needs without an account.
pub(crate) fn is_failed_sign_in(event: &Event) -> bool {
    matches!(event.action, Action::SignIn(_)) && matches!(event.outcome, Outcome::Failure { .. })
}

fn followed(ip: IpAddr) -> bool {
    !(ip.is_loopback() || ip.is_unspecified())
}

impl AttemptTracker {
    /// Reads a sign-in of `account` (`None`: the source did not log a user name).
    pub(crate) fn observe(&mut self, account: Option<&Account>, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
        if !matches!(event.action, Action::SignIn(_)) {
            return;
        }
        let Some(ip) = view.ip.filter(|ip| followed(*ip)) else { return };
        match event.outcome {
            Outcome::Failure { .. } if is_credential_failure(event, ctx) => self.failure(ip, account, event, view, ctx),
            Outcome::Success => {
                if let Some(source) = self.by_ip.get_mut(&ip) {
                    source.successes = source.successes.saturating_add(1);
                    source.runs.remove(&None);
                    if let Some(a) = account {
                        source.runs.remove(&Some(a.clone()));
                    }
                }
            }
            _ => {}
        }
    }

    fn failure(&mut self, ip: IpAddr, account: Option<&Account>, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
        let window = ctx.cfg.failure_window;
        // An address quiet for longer than the window starts a new attempt.
        if self.by_ip.get(&ip).is_some_and(|s| event.time - s.last > window)
            && let Some(old) = self.by_ip.remove(&ip)
        {
            report(ip, old, ctx);
        }
        if self.by_ip.len() >= MAX_SOURCES && !self.by_ip.contains_key(&ip) {
            return;
        }
        let source = self.by_ip.entry(ip).or_insert_with(|| {
            let mut indicators = net_indicators(view);
            if !indicators.iter().any(|i| i.kind == IndicatorKind::Ip) {
                indicators.insert(0, Indicator { kind: IndicatorKind::Ip, value: ip.to_string() });
            }
            Source {
                last: event.time,
                place: view.describe(),
                external: view.external,
                indicators,
                runs: HashMap::new(),
                successes: 0,
                codes: Vec::new(),
            }
        });
        source.last = source.last.max(event.time);
        let code: String = event.outcome.code().unwrap_or("?").chars().take(32).collect();
        if source.codes.len() < MAX_CODES && !source.codes.contains(&code) {
            source.codes.push(code);
        }
        let key = account.cloned();
        if source.runs.len() >= MAX_ACCOUNTS && !source.runs.contains_key(&key) {
            return;
        }
        source.runs.entry(key).or_default().push(event, window);
    }

    /// Closes the addresses quiet for longer than the failure window before `now` (all
    /// of them with `None`), reporting their attempts.
    pub(crate) fn sweep(&mut self, now: Option<DateTime<Utc>>, ctx: &mut Ctx<'_>) {
        let window = ctx.cfg.failure_window;
        let quiet: Vec<IpAddr> =
            self.by_ip.iter().filter(|(_, s)| now.is_none_or(|n| n - s.last > window)).map(|(ip, _)| *ip).collect();
        for ip in quiet {
            if let Some(source) = self.by_ip.remove(&ip) {
                report(ip, source, ctx);
            }
        }
    }
}

/// The findings of a closed address.
fn report(ip: IpAddr, source: Source, ctx: &mut Ctx<'_>) {
    let min = ctx.cfg.brute_force_attempt_failures.max(1);
    let mins = ctx.cfg.failure_window.num_minutes();
    let codes = source.codes.join(", ");
    let mut below: Vec<(&Account, &Run)> = Vec::new();
    let mut loose = 0usize;
    let mut runs: Vec<(&Option<Account>, &Run)> = source.runs.iter().collect();
    runs.sort_by(|a, b| a.0.cmp(b.0));
    for (account, run) in runs {
        if run.peak < min {
            match account {
                Some(a) => below.push((a, run)),
                None => loose = loose.saturating_add(run.count),
            }
            continue;
        }
        let (n, peak) = (run.count, run.peak);
        let text = match account {
            Some(a) => Localized::new(
                format!("{n} failed sign-ins of {a} from {} (up to {peak} within {mins} minutes; error codes {codes}), and no successful sign-in from that address: password guessing that had not succeeded.", source.place),
                format!("{n} échecs de connexion de {a} depuis {} (jusqu'à {peak} en {mins} minutes ; codes d'erreur {codes}), sans connexion réussie depuis cette adresse : devinette de mot de passe restée sans succès.", source.place),
            ),
            None => Localized::new(
                format!("{n} failed authentications without a user name from {} (up to {peak} within {mins} minutes; error codes {codes}): password guessing against the server, which did not log the accounts tried.", source.place),
                format!("{n} échecs d'authentification sans nom d'utilisateur depuis {} (jusqu'à {peak} en {mins} minutes ; codes d'erreur {codes}) : devinette de mots de passe contre le serveur, qui n'a pas noté les comptes essayés.", source.place),
            ),
        };
        emit(ctx, account.clone(), ip.to_string(), text, run.events.clone(), &source.indicators, Vec::new());
    }
    internal_report(ip, &source, &below, loose, ctx);
}

/// A private address failing against many accounts, none often enough on its own.
fn internal_report(ip: IpAddr, source: &Source, below: &[(&Account, &Run)], loose: usize, ctx: &mut Ctx<'_>) {
    let targets = below.len();
    let total = below.iter().map(|(_, r)| r.count).fold(loose, usize::saturating_add);
    let gateway = source.successes > (targets / 2).max(2);
    if source.external || gateway || targets < ctx.cfg.spray_min_accounts || total < ctx.cfg.brute_force_attempt_failures {
        return;
    }
    let shown: Vec<&str> = below.iter().take(20).map(|(a, _)| a.as_str()).collect();
    let more = if targets > shown.len() { format!(" (+{})", targets - shown.len()) } else { String::new() };
    let codes = source.codes.join(", ");
    let text = Localized::new(
        format!("{}, an internal address, failed {total} times to sign in to {targets} accounts ({}{more}; error codes {codes}) with no successful sign-in: a machine of the network guessing passwords, or a server relaying the failures of its users.", source.place, shown.join(", ")),
        format!("{}, une adresse interne, a échoué {total} fois à se connecter à {targets} comptes ({}{more} ; codes d'erreur {codes}) sans connexion réussie : une machine du réseau devinant des mots de passe, ou un serveur relayant les échecs de ses utilisateurs.", source.place, shown.join(", ")),
    );
    let mut events: Vec<Stamped> = below.iter().flat_map(|(_, r)| r.events.iter().copied()).take(MAX_EVENTS).collect();
    events.sort_by_key(|(_, t)| *t);
    let others = below.iter().map(|(a, _)| (*a).clone()).collect();
    emit(ctx, None, format!("{ip} accounts"), text, events, &source.indicators, others);
}

fn emit(ctx: &mut Ctx<'_>, account: Option<Account>, subject: String, text: Localized, events: Vec<Stamped>, indicators: &[Indicator], others: Vec<Account>) {
    let mut d = Draft::new("mc-brute-force-attempt", account, subject, (Severity::Medium, Confidence::Medium), text);
    d.events = events;
    d.indicators = indicators.to_vec();
    d.other_accounts = others;
    ctx.out.push(d);
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use mailcase_model::{EvidenceRef, Finding, RawRecord, SignIn, SourceKind};

    use super::*;
    use crate::analytics::{Analytics, AnalyticsConfig};

    /// A sign-in `minutes` after the start; `code` `None` is a success.
    fn sign_in(n: u64, minutes: i64, who: Option<&str>, ip: &str, code: Option<&str>, source: SourceKind) -> Event {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 15, 8, 0, 0).single().unwrap_or_default();
        let s = SignIn { client_app: Some("IMAP".into()), ..SignIn::default() };
        let mut e = Event::new(EvidenceRef { evidence: 1, record: n }, t0 + TimeDelta::minutes(minutes), source, Action::SignIn(s), RawRecord("{}".into()));
        e.account = who.and_then(Account::new);
        e.client.ip = ip.parse().ok();
        e.outcome = match code {
            Some(c) => Outcome::Failure { code: Some(c.into()), reason: None },
            None => Outcome::Success,
        };
        e
    }

    fn fails(who: Option<&str>, ip: &str, minutes: &[i64]) -> Vec<Event> {
        minutes.iter().enumerate().map(|(i, m)| sign_in(i as u64 + 1, *m, who, ip, Some("auth_failed"), SourceKind::Dovecot)).collect()
    }

    fn run(events: &[Event]) -> Vec<Finding> {
        let mut sorted = events.to_vec();
        sorted.sort_by_key(|e| e.time);
        let mut a = Analytics::new(AnalyticsConfig::default());
        for e in &sorted {
            a.feed(e);
        }
        a.finish()
    }

    fn attempts(findings: &[Finding]) -> Vec<&Finding> {
        findings.iter().filter(|f| f.rule_id == "mc-brute-force-attempt").collect()
    }

    #[test]
    fn four_failures_of_one_account_from_a_private_address_are_an_attempt() {
        let out = run(&fails(Some("admin@example.com"), "10.1.2.3", &[0, 10, 20, 30]));
        let found = attempts(&out);
        assert_eq!(found.len(), 1, "{out:?}");
        let f = found[0];
        assert_eq!(f.account.as_ref().map(Account::as_str), Some("admin@example.com"));
        assert_eq!(f.events.len(), 4);
        assert!(f.indicators.iter().any(|i| i.kind == IndicatorKind::Ip && i.value == "10.1.2.3"));
        assert!(f.explanation.en.contains("4 failed sign-ins") && f.explanation.fr.contains("4 échecs"));
        assert_eq!((f.severity, f.confidence), (Severity::Medium, Confidence::Medium));
        assert_eq!(f.attack, ["T1110.001"]);
    }

    #[test]
    fn few_slow_loopback_or_recovered_failures_are_not_an_attempt() {
        assert!(attempts(&run(&fails(Some("a@x.fr"), "10.1.2.3", &[0, 10, 20]))).is_empty());
        // Four failures, but never more than two within an hour.
        assert!(attempts(&run(&fails(Some("a@x.fr"), "10.1.2.3", &[0, 40, 100, 140]))).is_empty());
        assert!(attempts(&run(&fails(Some("a@x.fr"), "127.0.0.1", &[0, 1, 2, 3, 4]))).is_empty());
        // The user mistyped, then got it right from the same address.
        let mut typos = fails(Some("a@x.fr"), "10.1.2.3", &[0, 1, 2, 3]);
        typos.push(sign_in(9, 4, Some("a@x.fr"), "10.1.2.3", None, SourceKind::Dovecot));
        assert!(attempts(&run(&typos)).is_empty());
        // A success from another address does not end the attempt.
        let mut elsewhere = fails(Some("a@x.fr"), "10.1.2.3", &[0, 1, 2, 3]);
        elsewhere.push(sign_in(9, 4, Some("a@x.fr"), "10.9.9.9", None, SourceKind::Dovecot));
        assert_eq!(attempts(&run(&elsewhere)).len(), 1);
    }

    #[test]
    fn failures_without_a_user_name_are_an_attempt_on_the_server() {
        let out = run(&fails(None, "203.0.113.42", &[0, 0, 1, 1, 2]));
        let found = attempts(&out);
        assert_eq!(found.len(), 1, "{out:?}");
        assert!(found[0].account.is_none());
        assert!(found[0].indicators.iter().any(|i| i.value == "203.0.113.42"));
        assert!(found[0].explanation.en.contains("without a user name"));
        assert!(attempts(&run(&fails(None, "203.0.113.42", &[0, 1, 2]))).is_empty());
    }

    #[test]
    fn an_internal_address_failing_against_many_accounts_is_an_attempt_unless_a_gateway() {
        let mut ev: Vec<Event> = (0..5).map(|i| sign_in(i, i as i64, Some(&format!("u{i}@x.fr")), "192.168.7.15", Some("unknown_user"), SourceKind::Zimbra)).collect();
        let out = run(&ev);
        let found = attempts(&out);
        assert_eq!(found.len(), 1, "{out:?}");
        assert!(found[0].account.is_none());
        assert_eq!(found[0].other_accounts.len(), 5);
        assert!(found[0].explanation.en.contains("internal address"));
        // The webmail or a NAT: many users also sign in successfully from it.
        for i in 0..6 {
            ev.push(sign_in(100 + i, 10 + i as i64, Some(&format!("ok{i}@x.fr")), "192.168.7.15", None, SourceKind::Zimbra));
        }
        assert!(attempts(&run(&ev)).is_empty());
    }

    #[test]
    fn a_public_address_against_many_accounts_is_a_spray_not_an_attempt() {
        let ev: Vec<Event> = (0..3).map(|i| sign_in(i, i as i64, Some(&format!("u{i}@x.fr")), "198.51.100.1", Some("auth_failed"), SourceKind::Dovecot)).collect();
        let out = run(&ev);
        assert!(attempts(&out).is_empty(), "{out:?}");
        assert_eq!(out.iter().filter(|f| f.rule_id == "mc-password-spray").count(), 1, "{out:?}");
    }

    #[test]
    fn imap_on_imap_native_platforms_is_not_a_legacy_protocol() {
        let legacy = |source| {
            let e = sign_in(1, 0, Some("a@x.fr"), "198.51.100.1", None, source);
            run(&[e]).iter().any(|f| f.rule_id == "mc-legacy-protocol")
        };
        for source in [SourceKind::Dovecot, SourceKind::Postfix, SourceKind::Zimbra] {
            assert!(!legacy(source), "{source}");
        }
        assert!(legacy(SourceKind::EntraSignIn));
    }
}
