//! Helpers for this crate's unit tests.

use chrono::{TimeZone, Utc};
use mailcase_model::{
    Account, Action, Client, Event, EvidenceId, EvidenceRef, Geo, InboxRule, NetClass, Outcome,
    RawRecord, RuleChange, SignIn, SourceKind,
};

use crate::{Case, CaseSettings};

/// A fresh case in a temporary directory.
pub fn new_case() -> (tempfile::TempDir, Case) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = CaseSettings::new("test");
    s.time_zone = "Europe/Paris".into();
    let case = Case::create(dir.path().join("case"), s).unwrap();
    (dir, case)
}

/// Registers a small evidence file with the given content.
pub fn evidence(case: &Case, dir: &tempfile::TempDir, content: &str) -> EvidenceId {
    let path = dir.path().join(format!("ev-{}.json", content.len()));
    std::fs::write(&path, content).unwrap();
    case.register_evidence(&path, true).unwrap().id()
}

/// A sign-in of `account` at `minute` past 04:00 on 2023-09-20.
pub fn sign_in(ev: EvidenceId, record: u64, account: &str, minute: u32, ok: bool) -> Event {
    let time = Utc.with_ymd_and_hms(2023, 9, 20, 4, minute, 3).unwrap();
    let action = Action::SignIn(SignIn::default());
    let raw = RawRecord(format!("{{\"n\":{record},\"UserId\":\"{account}\"}}"));
    let mut e = Event::new(
        EvidenceRef {
            evidence: ev,
            record,
        },
        time,
        SourceKind::EntraSignIn,
        action,
        raw,
    );
    e.account = Account::new(account);
    e.outcome = if ok {
        Outcome::Success
    } else {
        Outcome::Failure {
            code: Some("50126".into()),
            reason: None,
        }
    };
    e.client = Client {
        ip: "81.2.69.144".parse().ok(),
        port: Some(51234),
        user_agent: Some("Mozilla/5.0 \"x\"".into()),
        ..Client::default()
    };
    e.geo = Some(Geo {
        country: Some(if ok { "FR" } else { "NG" }.into()),
        asn: Some(3215),
        as_org: Some("Orange".into()),
        net_class: NetClass::Public,
    });
    e
}

/// An inbox rule creation (notable) at `minute` past 04:00.
pub fn new_rule(ev: EvidenceId, record: u64, account: &str, minute: u32) -> Event {
    let time = Utc.with_ymd_and_hms(2023, 9, 20, 4, minute, 0).unwrap();
    let mut rule = InboxRule::new(RuleChange::Created);
    rule.name = Some("..".into());
    rule.delete = true;
    let raw = RawRecord("{\"Operation\":\"New-InboxRule\"}".into());
    let mut e = Event::new(
        EvidenceRef {
            evidence: ev,
            record,
        },
        time,
        SourceKind::M365Ual,
        Action::InboxRule(rule),
        raw,
    );
    e.account = Account::new(account);
    e.outcome = Outcome::Success;
    e
}

/// A finding about `account` supported by `events` (times taken from them).
pub fn finding(
    rule_id: &str,
    severity: mailcase_model::Severity,
    account: &str,
    events: &[&Event],
) -> mailcase_model::Finding {
    use mailcase_model::{Confidence, FindingSource, Indicator, IndicatorKind, Localized};
    let first = events.iter().map(|e| e.time).min().unwrap();
    let last = events.iter().map(|e| e.time).max().unwrap();
    mailcase_model::Finding {
        rule_id: rule_id.into(),
        source: FindingSource::Analytic,
        title: Localized::new(format!("{rule_id} title"), format!("titre {rule_id}")),
        explanation: Localized::new("because <b>x</b>", "parce que"),
        severity,
        confidence: Confidence::Medium,
        account: Account::new(account),
        other_accounts: Vec::new(),
        first,
        last,
        events: events.iter().map(|e| e.id).collect(),
        attack: vec!["T1114.003".into()],
        qualification: vec!["2.b".into()],
        indicators: vec![Indicator {
            kind: IndicatorKind::Ip,
            value: "81.2.69.144".into(),
        }],
    }
}
