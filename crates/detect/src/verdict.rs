//! From findings to a verdict per account, and to the attacker's indicators.
//!
//! Each finding is read as one of:
//! - **access**: someone signed in who may not be the user (new country or network,
//!   hosting network, impossible travel, brute force, spray, token replay, AiTM, ROPC,
//!   device code, legacy protocol; other rules citing qualification item `2.c`);
//! - **activity**: something was done in the mailbox (mass deletion, mass sending,
//!   synchronisation burst; other rules citing `2.a`, `2.b`, `2.d` or `4.a`);
//! - **chain**: both at once (`mc-*-after-suspicious-sign-in`);
//! - **policy**: a mail aggregator, a risk of policy and never an attacker;
//! - **other**: anything else.
//!
//! The level of an account, from its own findings (those naming it as the main account):
//! - `compromised` when one finding is enough on its own (a chain of medium confidence or
//!   more; severity high with high confidence; critical with medium confidence or more,
//!   policy findings excepted), or when an access finding of medium severity or more is
//!   followed, within 24 hours of its last event, by an activity finding of medium
//!   severity or more;
//! - `suspicious` when any other finding is of medium severity or more, when two different
//!   low findings agree, or with a policy finding (someone must look, and decide);
//! - `no_evidence` otherwise. Accounts only named among a finding's other accounts (the
//!   targets of a failed spray) get a reason but no higher level, except for pivots, which
//!   count as medium access findings for them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::net::IpAddr;

use chrono::TimeDelta;
use mailcase_model::{
    Account, Confidence, Finding, FindingSource, Indicator, IndicatorKind, Localized, Severity,
    Verdict, VerdictLevel,
};

/// How long after an access finding an activity finding is tied to it.
const ACTIVITY_AFTER_ACCESS: TimeDelta = TimeDelta::hours(24);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Access,
    Activity,
    Chain,
    Policy,
    Other,
}

fn kind(f: &Finding) -> Kind {
    let id = f.rule_id.as_str();
    match id {
        "mc-imap-aggregator" => return Kind::Policy,
        "mc-new-country" | "mc-new-asn" | "mc-hosting-asn" | "mc-impossible-travel"
        | "mc-brute-force-success" | "mc-password-spray" | "mc-token-replay" | "mc-aitm-sign-in"
        | "mc-ropc-sign-in" | "mc-device-code-sign-in" | "mc-legacy-protocol" => return Kind::Access,
        "mc-mass-deletion" | "mc-mass-sending" | "mc-mail-access-burst" => return Kind::Activity,
        _ if id.starts_with("mc-") && id.ends_with("-after-suspicious-sign-in") => return Kind::Chain,
        _ => {}
    }
    let cites = |items: &[&str]| f.qualification.iter().any(|q| items.contains(&q.as_str()));
    if cites(&["2.c"]) {
        Kind::Access
    } else if cites(&["2.a", "2.b", "2.d", "4.a"]) {
        Kind::Activity
    } else {
        Kind::Other
    }
}

/// A finding that proves the compromise on its own.
fn decisive(f: &Finding) -> bool {
    match kind(f) {
        Kind::Policy => false,
        Kind::Chain => f.confidence >= Confidence::Medium,
        _ => {
            (f.severity >= Severity::High && f.confidence == Confidence::High)
                || (f.severity == Severity::Critical && f.confidence >= Confidence::Medium)
        }
    }
}

/// An access finding followed by an activity finding.
fn access_then_activity(own: &[&Finding]) -> bool {
    let medium = |f: &&&Finding| f.severity >= Severity::Medium;
    own.iter().filter(|f| kind(f) == Kind::Access).filter(medium).any(|a| {
        own.iter().filter(|f| kind(f) == Kind::Activity).filter(medium).any(|b| {
            b.last >= a.first && b.first <= a.last + ACTIVITY_AFTER_ACCESS
        })
    })
}

fn level(own: &[&Finding]) -> (VerdictLevel, Localized) {
    if own.iter().any(|f| decisive(f)) {
        return (VerdictLevel::Compromised, Localized::new(
            "Compromised: at least one finding proves access by someone else on its own.",
            "Compromis : au moins un constat prouve à lui seul un accès par un tiers.",
        ));
    }
    if access_then_activity(own) {
        return (VerdictLevel::Compromised, Localized::new(
            "Compromised: an unusual access was followed by unusual activity in the mailbox.",
            "Compromis : un accès inhabituel a été suivi d'une activité inhabituelle dans la boîte.",
        ));
    }
    let medium = own.iter().any(|f| kind(f) != Kind::Policy && f.severity >= Severity::Medium);
    let lows: HashSet<&str> = own.iter().filter(|f| f.severity == Severity::Low && kind(f) != Kind::Policy).map(|f| f.rule_id.as_str()).collect();
    if medium || lows.len() >= 2 {
        return (VerdictLevel::Suspicious, Localized::new(
            "Suspicious: findings that a person must check; no proof of compromise.",
            "Suspect : des constats à vérifier par une personne ; pas de preuve de compromission.",
        ));
    }
    if own.iter().any(|f| kind(f) == Kind::Policy) {
        return (VerdictLevel::Suspicious, Localized::new(
            "Suspicious for policy reasons only: a mail aggregator holds the password; not an attacker.",
            "Suspect pour des raisons de politique seulement : un agrégateur de courrier détient le mot de passe ; pas un attaquant.",
        ));
    }
    (VerdictLevel::NoEvidence, Localized::new("No evidence of compromise in the findings.", "Aucun élément de compromission dans les constats."))
}

fn reason(f: &Finding) -> Localized {
    let when = f.first.format("%Y-%m-%d %H:%M UTC");
    Localized::new(
        format!("{} ({when}, {}): {}", f.title.en, f.severity.as_str(), f.explanation.en),
        format!("{} ({when}, {}) : {}", f.title.fr, f.severity.as_str(), f.explanation.fr),
    )
}

/// A verdict for every account given and every account the findings name, sorted by
/// account.
pub fn verdicts(findings: &[Finding], accounts: &[Account]) -> Vec<Verdict> {
    let mut own: BTreeMap<Account, Vec<usize>> = accounts.iter().map(|a| (a.clone(), Vec::new())).collect();
    let mut named: BTreeMap<Account, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let Some(a) = &f.account {
            own.entry(a.clone()).or_default().push(i);
        }
        for a in &f.other_accounts {
            own.entry(a.clone()).or_default();
            named.entry(a.clone()).or_default().push(i);
        }
    }
    own.into_iter()
        .map(|(account, mine)| {
            let others = named.remove(&account).unwrap_or_default();
            judge(account, findings, mine, others)
        })
        .collect()
}

fn judge(account: Account, findings: &[Finding], mine: Vec<usize>, others: Vec<usize>) -> Verdict {
    let pivots: Vec<Finding> = others
        .iter()
        .filter_map(|i| findings.get(*i))
        .filter(|f| f.source == FindingSource::Pivot)
        .map(|f| Finding { severity: f.severity.max(Severity::Medium), qualification: vec!["2.c".into()], ..f.clone() })
        .collect();
    let mut own: Vec<&Finding> = mine.iter().filter_map(|i| findings.get(*i)).collect();
    own.extend(pivots.iter());
    let (level, summary) = level(&own);
    let mut ranked: Vec<&Finding> = own.clone();
    ranked.sort_by(|a, b| (b.severity, b.confidence, a.first).cmp(&(a.severity, a.confidence, b.first)));
    let mut reasons = vec![summary];
    reasons.extend(ranked.iter().map(|f| reason(f)));
    for f in others.iter().filter_map(|i| findings.get(*i)).filter(|f| f.source != FindingSource::Pivot) {
        reasons.push(Localized::new(
            format!("Named in: {} ({})", f.title.en, f.first.format("%Y-%m-%d %H:%M UTC")),
            format!("Cité dans : {} ({})", f.title.fr, f.first.format("%Y-%m-%d %H:%M UTC")),
        ));
    }
    let mut all: Vec<usize> = mine.into_iter().chain(others).collect();
    all.sort_unstable();
    all.dedup();
    Verdict { account, level, reasons, findings: all }
}

fn routable(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments().first().copied().unwrap_or(0);
            !(v6.is_loopback() || v6.is_unspecified() || first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80)
        }
    }
}

/// The attacker's indicators: those of the findings of compromised and suspicious
/// accounts, without the aggregators' (their addresses and networks are a service's, not
/// an attacker's) and without private addresses. Sorted and deduplicated.
pub fn indicators(findings: &[Finding]) -> Vec<Indicator> {
    let flagged: HashSet<Account> = verdicts(findings, &[])
        .into_iter()
        .filter(|v| v.level != VerdictLevel::NoEvidence)
        .map(|v| v.account)
        .collect();
    let policy: HashSet<&Indicator> = findings.iter().filter(|f| kind(f) == Kind::Policy).flat_map(|f| &f.indicators).collect();
    let mut out = BTreeSet::new();
    for f in findings.iter().filter(|f| kind(f) != Kind::Policy) {
        if !f.account.as_ref().is_some_and(|a| flagged.contains(a)) {
            continue;
        }
        for i in &f.indicators {
            let private = i.kind == IndicatorKind::Ip && i.value.parse::<IpAddr>().is_ok_and(|ip| !routable(ip));
            if !private && !policy.contains(i) {
                out.insert(i.clone());
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use mailcase_model::EventId;

    fn f(rule: &str, who: &str, sev: Severity, conf: Confidence, hour: u32) -> Finding {
        let t = Utc.with_ymd_and_hms(2025, 3, 1, hour, 0, 0).single().unwrap_or_default();
        Finding {
            rule_id: rule.into(),
            source: FindingSource::Analytic,
            title: Localized::new(rule, rule),
            explanation: Localized::new("why", "pourquoi"),
            severity: sev,
            confidence: conf,
            account: Account::new(who),
            other_accounts: Vec::new(),
            first: t,
            last: t,
            events: vec![EventId::new(1, u64::from(hour))],
            attack: Vec::new(),
            qualification: Vec::new(),
            indicators: vec![Indicator { kind: IndicatorKind::Ip, value: format!("45.76.1.{hour}") }],
        }
    }

    fn level_of(findings: &[Finding], who: &str) -> VerdictLevel {
        let v = verdicts(findings, &[Account::new(who).unwrap()]);
        v.into_iter().find(|v| v.account.as_str() == who).map(|v| v.level).unwrap()
    }

    #[test]
    fn a_chain_is_compromise() {
        let fs = [f("mc-rule-after-suspicious-sign-in", "a@x.fr", Severity::Critical, Confidence::High, 9)];
        assert_eq!(level_of(&fs, "a@x.fr"), VerdictLevel::Compromised);
    }

    #[test]
    fn access_then_activity_is_compromise_but_access_alone_is_not() {
        let access = f("mc-new-country", "a@x.fr", Severity::Medium, Confidence::Medium, 9);
        let spray = f("mc-password-spray", "a@x.fr", Severity::High, Confidence::Medium, 8);
        assert_eq!(level_of(&[access.clone(), spray.clone()], "a@x.fr"), VerdictLevel::Suspicious);
        let burst = f("mc-mail-access-burst", "a@x.fr", Severity::Medium, Confidence::Medium, 10);
        assert_eq!(level_of(&[access, burst.clone()], "a@x.fr"), VerdictLevel::Compromised);
        // Activity before the access does not count.
        let late = f("mc-new-country", "a@x.fr", Severity::Medium, Confidence::Medium, 11);
        assert_eq!(level_of(&[late, burst], "a@x.fr"), VerdictLevel::Suspicious);
    }

    #[test]
    fn aggregators_are_never_compromise_and_give_no_indicators() {
        let mut agg = f("mc-imap-aggregator", "b@x.fr", Severity::Medium, Confidence::High, 9);
        agg.indicators = vec![Indicator { kind: IndicatorKind::Ip, value: "5.61.1.1".into() }];
        assert_eq!(level_of(std::slice::from_ref(&agg), "b@x.fr"), VerdictLevel::Suspicious);
        let mut other = f("mc-new-country", "c@x.fr", Severity::Medium, Confidence::Medium, 9);
        other.indicators.push(agg.indicators[0].clone());
        other.indicators.push(Indicator { kind: IndicatorKind::Ip, value: "10.0.0.1".into() });
        let ind = indicators(&[agg, other]);
        assert_eq!(ind, vec![Indicator { kind: IndicatorKind::Ip, value: "45.76.1.9".into() }]);
    }

    #[test]
    fn quiet_accounts_have_no_evidence_and_spray_targets_only_a_reason() {
        let mut spray = f("mc-password-spray", "a@x.fr", Severity::Medium, Confidence::High, 9);
        spray.account = None;
        spray.other_accounts = vec![Account::new("t@x.fr").unwrap()];
        let v = verdicts(&[spray], &[Account::new("q@x.fr").unwrap()]);
        assert_eq!(v.len(), 2);
        assert!(v.iter().all(|v| v.level == VerdictLevel::NoEvidence));
        let t = v.iter().find(|v| v.account.as_str() == "t@x.fr").unwrap();
        assert!(t.reasons.iter().any(|r| r.en.starts_with("Named in")));
        assert_eq!(t.findings, vec![0]);
    }
}
