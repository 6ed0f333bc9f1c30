//! The brute-force scenarios of crowdsecurity/hub's test folders (copied under
//! `fixtures/crowdsec_hub/tests/`, MIT): each log runs through the real parser
//! (`sniff_file` + `read_file`) and, in time order, through the stateful analytics with
//! their default settings (`AnalyticsConfig::default()`).
//!
//! crowdsec bans an address on a few failures; mailcase reports password guessing as:
//! - `mc-brute-force-attempt`: 4 credential failures within an hour from one address
//!   (private ones included, loopback excepted) against one account, or without a user
//!   name, or (from a private address) against 3 accounts or more, with no successful
//!   sign-in from that address afterwards;
//! - `mc-brute-force-success`: 5 failures of one account within an hour, then a success;
//! - `mc-password-spray`: one public address failing against 3 accounts within an hour.
//!
//! Every brute-force scenario of the hub's Dovecot, Postfix, Exchange (IMAP, POP, SMTP)
//! and Zimbra test logs is found, with crowdsec's attacker address, except
//! `postfix-sasl-bf` (3 failures: see its test). Each test also shows how the finding
//! changes when the evidence does (a success, a fifth failure, a public address).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use mailcase_detect::analytics::{Analytics, AnalyticsConfig};
use mailcase_model::{Action, Event, EventId, Finding, IndicatorKind, Outcome};
use mailcase_sources::{read_file, sniff_file};

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/crowdsec_hub/tests").join(name)
}

/// Every event of the folder's `.log` files, in time order.
fn events(name: &str) -> Vec<Event> {
    let dir = folder(name);
    let mut logs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    logs.sort();
    assert!(!logs.is_empty(), "{name}: no .log file");
    let mut out = Vec::new();
    for (i, path) in logs.iter().enumerate() {
        let format = sniff_file(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .unwrap_or_else(|| panic!("{}: format not recognised", path.display()));
        read_file(path, format, i as i64 + 1, |batch| {
            out.extend(batch.events);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    // A stable sort: events of one instant keep their order in the file.
    out.sort_by_key(|e| e.time);
    out
}

fn run(events: &[Event]) -> Vec<Finding> {
    let mut analytics = Analytics::new(AnalyticsConfig::default());
    for e in events {
        analytics.feed(e);
    }
    analytics.finish()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The password-guessing findings that name `attacker`: as an indicator, or (private
/// addresses are not indicators) through their evidence events.
fn guessing_findings<'a>(findings: &'a [Finding], events: &[Event], attacker: IpAddr) -> Vec<&'a Finding> {
    let by_id: HashMap<EventId, &Event> = events.iter().map(|e| (e.id, e)).collect();
    findings
        .iter()
        .filter(|f| f.rule_id.starts_with("mc-brute-force") || f.rule_id == "mc-password-spray")
        .filter(|f| {
            f.indicators.iter().any(|i| i.kind == IndicatorKind::Ip && i.value == attacker.to_string())
                || f.events.iter().any(|id| by_id.get(id).is_some_and(|e| e.client.ip == Some(attacker)))
        })
        .collect()
}

fn rules_of(findings: &[&Finding]) -> Vec<String> {
    findings.iter().map(|f| f.rule_id.clone()).collect()
}

/// Every event is a failed sign-in from `attacker` with a code the analytics count as
/// a wrong credential (or none); returns the distinct accounts named.
fn failed_sign_ins_from(name: &str, events: &[Event], attacker: IpAddr) -> HashSet<String> {
    assert!(!events.is_empty(), "{name}: no event");
    for e in events {
        assert!(matches!(e.action, Action::SignIn(_)), "{name}: {} is not a sign-in", e.action.name());
        assert_eq!(e.client.ip, Some(attacker), "{name}: client address");
        let Outcome::Failure { code, .. } = &e.outcome else { panic!("{name}: {:?} is not a failure", e.outcome) };
        // The code must be one `sign_in_signals.toml` counts, else nothing is counted.
        let known = ["auth_failed", "authfailed:logondenied", "535 5.7.3", "sasl_auth_failed"];
        assert!(
            code.as_deref().is_none_or(|c| known.contains(&c.to_lowercase().as_str())),
            "{name}: code {code:?} not counted as a credential failure"
        );
    }
    events.iter().filter_map(|e| e.account.as_ref().map(|a| a.as_str().to_owned())).collect()
}

/// The events with a successful sign-in of `account` from `attacker` added `after` the
/// last one: the guessed password worked.
fn then_success(events: &[Event], account: &str, after: TimeDelta) -> Vec<Event> {
    let last = events
        .iter()
        .rev()
        .find(|e| e.account.as_ref().is_some_and(|a| a.as_str() == account))
        .unwrap_or_else(|| panic!("no event of {account}"));
    let mut success = last.clone();
    success.id = EventId::new(99, 0);
    success.time = last.time + after;
    success.outcome = Outcome::Success;
    let mut out = events.to_vec();
    out.push(success);
    out
}

/// The events with the client address replaced.
fn moved_to(events: &[Event], to: IpAddr) -> Vec<Event> {
    events.iter().cloned().map(|mut e| {
        e.client.ip = Some(to);
        e
    }).collect()
}

/// The password-guessing rules that name `attacker`, sorted.
fn found(events: &[Event], attacker: IpAddr) -> (Vec<Finding>, Vec<String>) {
    let findings = run(events);
    let mut rules = rules_of(&guessing_findings(&findings, events, attacker));
    rules.sort();
    (findings, rules)
}

/// The one finding of `rule`, which has `attacker` among its indicators.
fn the<'a>(findings: &'a [Finding], rule: &str, attacker: IpAddr) -> &'a Finding {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule).collect();
    assert_eq!(hits.len(), 1, "{rule}: {findings:?}");
    let f = hits[0];
    assert!(
        f.indicators.iter().any(|i| i.kind == IndicatorKind::Ip && i.value == attacker.to_string()),
        "{rule}: {attacker} not an indicator: {:?}",
        f.indicators
    );
    f
}

#[test]
fn exchange_imap_and_pop_brute_force_is_an_attempt_then_a_success() {
    let attacker = ip("192.168.9.212");
    for name in ["exchange-imap-bf", "exchange-pop-bf"] {
        let ev = events(name);
        let accounts = failed_sign_ins_from(name, &ev, attacker);
        assert_eq!(accounts, HashSet::from(["testuser".to_owned()]), "{name}");
        assert!(ev.len() >= 5, "{name}: {} failures", ev.len());
        // Failures alone, from a private address (the lab's): an attempt on the account.
        let (as_is, rules) = found(&ev, attacker);
        assert_eq!(rules, ["mc-brute-force-attempt"], "{name}");
        let f = the(&as_is, "mc-brute-force-attempt", attacker);
        assert_eq!(f.account.as_ref().map(|a| a.as_str()), Some("testuser"), "{name}");
        assert_eq!(f.events.len(), ev.len(), "{name}: every failure is evidence");
        // The same, then the password works: a brute force then success, and the
        // attempt is no longer reported on its own.
        let won = then_success(&ev, "testuser", TimeDelta::minutes(1));
        assert_eq!(found(&won, attacker).1, ["mc-brute-force-success"], "{name}");
    }
}

#[test]
fn dovecot_slow_brute_force_is_an_attempt() {
    let attacker = ip("192.0.2.1");
    for name in ["dovecot-slow-bf", "dovecot-slow-bf-no-overlap"] {
        let ev = events(name);
        assert_eq!(failed_sign_ins_from(name, &ev, attacker).len(), 1, "{name}: one account");
        // crowdsec's slow scenario fires on 4 failures 10 minutes apart, as we do.
        assert_eq!(ev.len(), 4, "{name}");
        let (as_is, rules) = found(&ev, attacker);
        assert_eq!(rules, ["mc-brute-force-attempt"], "{name}");
        let f = the(&as_is, "mc-brute-force-attempt", attacker);
        assert_eq!(f.account.as_ref().map(|a| a.as_str()), Some("admin@example.com"), "{name}");
        // Four failures then a success from the address: a user who got the password
        // right at the fifth try looks the same, and the brute force then success needs
        // 5 failures; so nothing is reported...
        let won = then_success(&ev, "admin@example.com", TimeDelta::minutes(5));
        assert!(found(&won, attacker).1.is_empty(), "{name}");
        // ...and one more failure makes it a brute force then success.
        let mut more = ev.clone();
        let mut fifth = ev.last().cloned().unwrap_or_else(|| panic!("{name}: empty"));
        fifth.id = EventId::new(98, 0);
        fifth.time += TimeDelta::minutes(2);
        more.push(fifth);
        let won = then_success(&more, "admin@example.com", TimeDelta::minutes(5));
        assert_eq!(found(&won, attacker).1, ["mc-brute-force-success"], "{name}");
    }
}

#[test]
fn dovecot_user_enumeration_is_a_spray() {
    let cases = [
        ("dovecot-slow-bf-user-enum", "192.0.2.1", 4),
        ("dovecot-time-based-bf-user-enum", "198.51.100.1", 4),
        ("dovecot-time-based-bf", "198.51.100.1", 3),
    ];
    for (name, addr, distinct) in cases {
        let attacker = ip(addr);
        let ev = events(name);
        let accounts = failed_sign_ins_from(name, &ev, attacker);
        assert_eq!(accounts.len(), distinct, "{name}: {accounts:?}");
        // 3 or 4 accounts from one public address within the hour (each failure less
        // than an hour after the previous one), no success: a spray naming them all.
        let (findings, rules) = found(&ev, attacker);
        assert_eq!(rules, ["mc-password-spray"], "{name}");
        let spray = the(&findings, "mc-password-spray", attacker);
        assert!(spray.account.is_none(), "{name}: no success");
        let named: HashSet<String> = spray.other_accounts.iter().map(|a| a.as_str().to_owned()).collect();
        assert_eq!(named, accounts, "{name}");
    }
}

#[test]
fn zimbra_brute_force_from_a_private_address_is_an_attempt_and_from_outside_a_spray() {
    let attacker = ip("192.168.7.15");
    let ev = events("zimbra-bf");
    let accounts = failed_sign_ins_from("zimbra-bf", &ev, attacker);
    assert_eq!(accounts.len(), 6, "{accounts:?}");
    // The test log comes from a lab network: an internal machine failing against six
    // accounts (five that do not exist), none of them 4 times. Not a spray (that is for
    // public addresses), but an attempt from the address, naming every account tried.
    let (findings, rules) = found(&ev, attacker);
    assert_eq!(rules, ["mc-brute-force-attempt"], "{findings:?}");
    let f = the(&findings, "mc-brute-force-attempt", attacker);
    assert!(f.account.is_none());
    let named: HashSet<String> = f.other_accounts.iter().map(|a| a.as_str().to_owned()).collect();
    assert_eq!(named, accounts);
    assert!(f.explanation.en.contains("internal address"), "{}", f.explanation.en);
    // The same failures from the internet (a documentation address) are a spray.
    let external = ip("203.0.113.15");
    let moved = moved_to(&ev, external);
    let (found_out, rules) = found(&moved, external);
    assert_eq!(rules, ["mc-password-spray"], "{found_out:?}");
    let spray = the(&found_out, "mc-password-spray", external);
    assert_eq!(spray.other_accounts.len() + usize::from(spray.account.is_some()), accounts.len(), "every target is named");
}

#[test]
fn smtp_auth_failures_without_a_user_are_an_attempt_on_the_server() {
    // Exchange's SMTP receive log answers `535` without the user name: 9 failures from
    // one address within a second, an attempt with no account and the address as its
    // indicator.
    let attacker = ip("192.168.9.212");
    let ev = events("exchange-smtp-bf");
    assert!(failed_sign_ins_from("exchange-smtp-bf", &ev, attacker).is_empty());
    let findings = run(&ev);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = the(&findings, "mc-brute-force-attempt", attacker);
    assert!(f.account.is_none() && f.other_accounts.is_empty());
    assert_eq!(f.events.len(), ev.len());
}

#[test]
fn postfix_sasl_brute_force_of_three_failures_is_below_our_four() {
    // Postfix logs `sasl_username` only when the client sent one the server could
    // decode: these 3 failures have no account. crowdsec's Guezli/postfix-sasl-bf bans
    // on 3 failures within about 2 hours (capacity 2, leak 2 h); we need 4 within an
    // hour, the threshold that also keeps a mail client retrying a stale password a
    // few times out of the findings. The exception is this count only: a fourth
    // failure makes the same log an attempt on the server from the attacker's address.
    let attacker = ip("203.0.113.42");
    let ev = events("postfix-sasl-bf");
    assert!(failed_sign_ins_from("postfix-sasl-bf", &ev, attacker).is_empty());
    assert_eq!(ev.len(), 3);
    assert!(run(&ev).is_empty());
    let mut more = ev.clone();
    let mut fourth = ev.last().cloned().unwrap_or_else(|| panic!("empty"));
    fourth.id = EventId::new(98, 0);
    fourth.time += TimeDelta::seconds(1);
    more.push(fourth);
    let findings = run(&more);
    let f = the(&findings, "mc-brute-force-attempt", attacker);
    assert!(f.account.is_none());
    assert_eq!(f.events.len(), 4);
}
