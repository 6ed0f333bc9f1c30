//! The analytics and verdicts on the generated samples beyond the Microsoft 365 story:
//! the Dovecot/Postfix university (a guessed password, then a spam run) and benign
//! organisations (no attacker: nobody may be called compromised).
//!
//! As in `analytics_sample.rs`, events are enriched from the ground truth: the
//! attacker's and the aggregator's addresses get their AS and country, every other
//! public address is taken as a French residential network (AS3215).

mod common;

use common::sample_events::{Known, enrich, know, read_sample};

use mailcase_detect::analytics::{Analytics, AnalyticsConfig};
use mailcase_detect::verdict::verdicts;
use mailcase_model::{Account, Finding, Verdict, VerdictLevel};
use mailcase_sample::{Aggregator, AttackerIp, Platform, SampleOptions, SampleTruth, generate_any};

fn known(attacker: &[AttackerIp], aggregator: &Aggregator) -> Known {
    let mut known = Known::new();
    for ip in attacker {
        know(&mut known, &ip.ip, &ip.country, ip.asn, &ip.as_org);
    }
    for ip in &aggregator.ips {
        know(&mut known, ip, &aggregator.country, aggregator.asn, &aggregator.as_org);
    }
    known
}

struct Run {
    truth: SampleTruth,
    findings: Vec<Finding>,
    verdicts: Vec<Verdict>,
}

fn run(opts: &SampleOptions) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let truth = generate_any(opts, dir.path()).expect("sample");
    let (known, domain, users) = match &truth {
        SampleTruth::M365(t) => (known(&t.attacker.ips, &t.aggregator), t.organisation.domain.clone(), t.users.clone()),
        SampleTruth::Dovecot(t) => (known(&t.attacker.ips, &t.aggregator), t.organisation.domain.clone(), t.users.clone()),
        other => panic!("unknown sample {other:?}"),
    };
    let mut events = read_sample(dir.path());
    assert!(events.len() > 1000, "sample too small: {}", events.len());
    let mut analytics = Analytics::new(AnalyticsConfig::with_org_domains([&domain]));
    for e in &mut events {
        enrich(e, &known);
        analytics.feed(e);
    }
    let findings = analytics.finish();
    let accounts: Vec<Account> = users.iter().filter_map(|u| Account::new(&u.upn)).collect();
    let verdicts = verdicts(&findings, &accounts);
    Run { truth, findings, verdicts }
}

fn level(run: &Run, upn: &str) -> VerdictLevel {
    run.verdicts.iter().find(|v| v.account.as_str() == upn).map_or(VerdictLevel::NoEvidence, |v| v.level)
}

fn rules_of<'a>(run: &'a Run, upn: &str) -> Vec<&'a str> {
    run.findings.iter().filter(|f| f.account.as_ref().is_some_and(|a| a.as_str() == upn)).map(|f| f.rule_id.as_str()).collect()
}

fn dovecot(benign: bool, users: usize, days: u32) -> SampleOptions {
    SampleOptions {
        platform: Platform::Dovecot,
        org_domain: Platform::Dovecot.default_domain().to_owned(),
        benign,
        users,
        days,
        ..SampleOptions::default()
    }
}

#[test]
fn dovecot_victim_is_compromised_by_the_guess_then_the_spam() {
    let run = run(&dovecot(false, 40, 21));
    let SampleTruth::Dovecot(t) = &run.truth else { panic!("not a Dovecot truth") };
    let victim = t.victims.first().expect("a victim").to_lowercase();
    let rules = rules_of(&run, &victim);
    assert_eq!(level(&run, &victim), VerdictLevel::Compromised, "{rules:?}");
    assert!(rules.contains(&"mc-brute-force-success"), "{rules:?}");
    let spam = run
        .findings
        .iter()
        .find(|f| f.rule_id == "mc-mass-submission" && f.account.as_ref().is_some_and(|a| a.as_str() == victim))
        .expect("the spam run");
    let attacker = &t.attacker.ips.first().expect("an attacker address").ip;
    assert!(spam.indicators.iter().any(|i| &i.value == attacker), "{:?}", spam.indicators);
    assert_eq!(spam.events.len(), t.attacker.spam_messages, "every spam message, in one finding");
    // No legacy-protocol noise on an IMAP server, and nobody else is compromised.
    assert!(!run.findings.iter().any(|f| f.rule_id == "mc-legacy-protocol"));
    for v in &run.verdicts {
        if v.account.as_str() != victim {
            assert_ne!(v.level, VerdictLevel::Compromised, "{}: {:#?}", v.account, v.reasons);
        }
    }
    let agg = t.aggregator.upn.to_lowercase();
    assert_eq!(level(&run, &agg), VerdictLevel::Suspicious, "{:?}", rules_of(&run, &agg));
}

fn assert_nobody_compromised(run: &Run) {
    for v in &run.verdicts {
        assert_ne!(v.level, VerdictLevel::Compromised, "{}: {:#?}", v.account, v.reasons);
    }
}

#[test]
fn benign_microsoft_365_organisation_has_no_compromised_account() {
    let opts = SampleOptions { benign: true, users: 200, days: 14, ..SampleOptions::default() };
    let run = run(&opts);
    assert_nobody_compromised(&run);
    let new: Vec<&str> = run
        .findings
        .iter()
        .filter(|f| matches!(f.rule_id.as_str(), "mc-brute-force-attempt" | "mc-mass-submission" | "mc-password-spray"))
        .map(|f| f.rule_id.as_str())
        .collect();
    assert!(new.is_empty(), "{new:?}");
}

#[test]
fn benign_dovecot_university_has_no_compromised_account() {
    let run = run(&dovecot(true, 200, 14));
    assert_nobody_compromised(&run);
    assert!(!run.findings.iter().any(|f| matches!(f.rule_id.as_str(), "mc-mass-submission" | "mc-legacy-protocol")));
}
