//! The analytics and verdicts on the generated sample (a BEC story in a French hospital),
//! checked against its ground truth.
//!
//! The sample's addresses are real allocations that the small test databases in
//! `fixtures/geo` do not cover, so the events are enriched from the ground truth itself:
//! the attacker's, the spray's and the aggregator's addresses get their AS and country;
//! every other public address is taken as a French residential network (AS3215), which
//! is what the sample draws them from.

mod common;

use common::sample_events::{Known, enrich, know, read_sample};

use mailcase_detect::analytics::{Analytics, AnalyticsConfig};
use mailcase_detect::verdict::{indicators, verdicts};
use mailcase_model::{Account, Finding, IndicatorKind, VerdictLevel};
use mailcase_sample::{GroundTruth, SampleOptions, generate};

fn known_networks(truth: &GroundTruth) -> Known {
    let mut known = Known::new();
    for ip in &truth.attacker.ips {
        know(&mut known, &ip.ip, &ip.country, ip.asn, &ip.as_org);
    }
    let a = &truth.aggregator;
    for ip in &a.ips {
        know(&mut known, ip, &a.country, a.asn, &a.as_org);
    }
    known
}

struct Run {
    truth: GroundTruth,
    findings: Vec<Finding>,
    verdicts: Vec<mailcase_model::Verdict>,
}

fn run() -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let truth = generate(&SampleOptions::default(), dir.path()).expect("sample");
    let known = known_networks(&truth);
    let mut events = read_sample(dir.path());
    assert!(events.len() > 1000, "sample too small: {}", events.len());
    let mut analytics = Analytics::new(AnalyticsConfig::with_org_domains([&truth.organisation.domain]));
    for e in &mut events {
        enrich(e, &known);
        analytics.feed(e);
    }
    let findings = analytics.finish();
    for f in &findings {
        println!("{} {:?} {:?}/{:?} {} ev={} | {}", f.first, f.account.as_ref().map(Account::as_str), f.severity, f.confidence, f.rule_id, f.events.len(), f.explanation.en);
    }
    let accounts: Vec<Account> = truth.users.iter().filter_map(|u| Account::new(&u.upn)).collect();
    let verdicts = verdicts(&findings, &accounts);
    Run { truth, findings, verdicts }
}

fn level(run: &Run, upn: &str) -> VerdictLevel {
    run.verdicts
        .iter()
        .find(|v| v.account.as_str() == upn)
        .map_or(VerdictLevel::NoEvidence, |v| v.level)
}

#[test]
fn sample_story_is_found() {
    let run = run();
    let t = &run.truth;
    let victim = t.victims.first().expect("one victim").to_lowercase();

    // The victim is compromised, with the foreign sign-in and the hiding rule as reasons.
    let v = run.verdicts.iter().find(|v| v.account.as_str() == victim).expect("victim verdict");
    assert_eq!(v.level, VerdictLevel::Compromised, "{:#?}", v.reasons);
    let behind: Vec<&Finding> = v.findings.iter().filter_map(|i| run.findings.get(*i)).collect();
    let foreign = behind
        .iter()
        .find(|f| f.rule_id == "mc-new-country" && t.attacker.countries.iter().any(|c| f.explanation.en.contains(&format!("({c},"))))
        .expect("a foreign sign-in finding");
    let rule = behind
        .iter()
        .find(|f| f.rule_id == "mc-rule-after-suspicious-sign-in" && f.explanation.en.contains(&format!("{:?}", t.attacker.rule_name)))
        .expect("the hiding rule chained to the suspicious sign-in");
    for f in [foreign, rule] {
        assert!(v.reasons.iter().any(|r| r.en.contains(&f.explanation.en)), "reason for {}", f.rule_id);
    }
    assert!(behind.iter().any(|f| f.rule_id == "mc-token-replay"), "token replay");
    assert!(behind.iter().any(|f| f.rule_id == "mc-aitm-sign-in"), "AiTM sign-in");

    // Nobody else is compromised.
    for v in &run.verdicts {
        if v.account.as_str() != victim {
            assert_ne!(v.level, VerdictLevel::Compromised, "{}: {:#?}", v.account, v.reasons);
        }
    }

    // The aggregator user: its own finding, not compromised, and no sign-in finding from it.
    let agg = t.aggregator.upn.to_lowercase();
    assert!(run.findings.iter().any(|f| f.rule_id == "mc-imap-aggregator" && f.account.as_ref().is_some_and(|a| a.as_str() == agg)));
    assert_ne!(level(&run, &agg), VerdictLevel::Compromised);
    assert!(!run.findings.iter().any(|f| matches!(f.rule_id.as_str(), "mc-new-country" | "mc-impossible-travel") && f.account.as_ref().is_some_and(|a| a.as_str() == agg)));

    // The spray, with its success.
    let spray = run
        .findings
        .iter()
        .find(|f| f.rule_id == "mc-password-spray")
        .expect("spray finding");
    assert!(spray.indicators.iter().any(|i| i.kind == IndicatorKind::Ip && i.value == t.spray.ip));
    assert_eq!(spray.account.as_ref().map(Account::as_str), Some(t.spray.success.to_lowercase().as_str()));
    assert!(spray.other_accounts.len() + 1 >= t.spray.targets.len());

    // Indicators: the attacker's addresses, never the aggregator's.
    let ind = indicators(&run.findings);
    for ip in &t.attacker.ips {
        assert!(ind.iter().any(|i| i.value == ip.ip), "indicator {}", ip.ip);
    }
    for ip in &t.aggregator.ips {
        assert!(!ind.iter().any(|i| &i.value == ip), "aggregator address {ip} in indicators");
    }
}
