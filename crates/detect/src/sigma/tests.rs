//! Our own conformance suite: every modifier, condition form and correlation type the
//! engine must support, against hand-made events. Upgrading or replacing the engine
//! library must keep these passing.

use chrono::{DateTime, TimeZone, Utc};
use mailcase_model::{
    Account, Action, Event, EvidenceRef, InboxRule, Outcome, RawRecord, RuleChange, SignIn,
    SourceKind,
};

use super::*;

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 10, 0, 0).unwrap() + chrono::Duration::minutes(minute.into())
}

fn event(record: u64, source: SourceKind, raw: &str) -> Event {
    let action = Action::Other { operation: "x".into() };
    let evidence = EvidenceRef { evidence: 1, record };
    Event::new(evidence, at(0), source, action, RawRecord(raw.into()))
}

/// Whether a `product: mailcase` rule with this detection block matches the record.
fn detects(detection: &str, raw: &str) -> bool {
    let yaml = format!(
        "title: t\nid: t\nlogsource:\n    product: mailcase\ndetection:\n{detection}\nlevel: low\n"
    );
    let (set, problems) = RuleSet::load_str(&yaml, "test.yml");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(set.rules().len(), 1, "{yaml}");
    let e = event(1, SourceKind::M365Ual, raw);
    !set.matcher().matches(&e).is_empty()
}

#[test]
fn contains_startswith_endswith_ignore_case() {
    let raw = r#"{"Subject":"Facture IMPAYÉE n°42"}"#;
    assert!(detects("    sel:\n        Subject|contains: 'impayÉe'\n    condition: sel", raw));
    assert!(detects("    sel:\n        Subject|startswith: 'facture'\n    condition: sel", raw));
    assert!(detects("    sel:\n        Subject|endswith: 'N°42'\n    condition: sel", raw));
    assert!(!detects("    sel:\n        Subject|endswith: 'facture'\n    condition: sel", raw));
    assert!(!detects("    sel:\n        Subject: 'facture'\n    condition: sel", raw));
}

#[test]
fn all_links_values_with_and() {
    let d = "    sel:\n        Subject|contains|all:\n            - virement\n            - urgent\n    condition: sel";
    assert!(detects(d, r#"{"Subject":"URGENT: virement"}"#));
    assert!(!detects(d, r#"{"Subject":"virement"}"#));
}

#[test]
fn lists_are_or_and_maps_are_and() {
    let d = "    sel:\n        Operation:\n            - New-InboxRule\n            - Set-InboxRule\n        \
             Workload: Exchange\n    condition: sel";
    assert!(detects(d, r#"{"Operation":"Set-InboxRule","Workload":"Exchange"}"#));
    assert!(!detects(d, r#"{"Operation":"Set-InboxRule","Workload":"AzureActiveDirectory"}"#));
    assert!(!detects(d, r#"{"Operation":"Remove-InboxRule","Workload":"Exchange"}"#));
}

#[test]
fn regular_expressions_and_their_flags() {
    let short = "    sel:\n        Name|re: '^[^a-zA-Z0-9]{1,2}$'\n    condition: sel";
    assert!(detects(short, r#"{"Name":".."}"#));
    assert!(!detects(short, r#"{"Name":"Newsletters"}"#));
    let cased = "    sel:\n        Name|re: '^rss'\n    condition: sel";
    assert!(!detects(cased, r#"{"Name":"RSS Feeds"}"#), "re is case-sensitive by default");
    let flag_i = "    sel:\n        Name|re|i: '^rss'\n    condition: sel";
    assert!(detects(flag_i, r#"{"Name":"RSS Feeds"}"#));
    let flag_s = "    sel:\n        Body|re|s: 'a.b'\n    condition: sel";
    assert!(detects(flag_s, "{\"Body\":\"a\\nb\"}"));
    let flag_m = "    sel:\n        Body|re|m: '^b$'\n    condition: sel";
    assert!(detects(flag_m, "{\"Body\":\"a\\nb\"}"));
}

#[test]
fn cidr() {
    let d = "    sel:\n        ClientIP|cidr:\n            - 10.0.0.0/8\n            - 2001:db8::/32\n    condition: sel";
    assert!(detects(d, r#"{"ClientIP":"10.1.2.3"}"#));
    assert!(detects(d, r#"{"ClientIP":"2001:db8::1"}"#));
    assert!(!detects(d, r#"{"ClientIP":"81.2.69.144"}"#));
}

#[test]
fn base64_and_base64offset() {
    // "secret" is c2VjcmV0.
    let plain = "    sel:\n        Data|base64: 'secret'\n    condition: sel";
    assert!(detects(plain, r#"{"Data":"c2VjcmV0"}"#));
    let offset = "    sel:\n        Data|base64offset|contains: 'secret'\n    condition: sel";
    // "xsecret" is eHNlY3JldA== and "xxsecret" eHhzZWNyZXQ=.
    assert!(detects(offset, r#"{"Data":"eHNlY3JldA=="}"#));
    assert!(detects(offset, r#"{"Data":"eHhzZWNyZXQ="}"#));
    assert!(!detects(offset, r#"{"Data":"bm90aGluZw=="}"#));
}

#[test]
fn utf16_encodings() {
    // "ping" in UTF-16LE is cABpAG4AZwA= in base64; in UTF-16BE AHAAaQBuAGc=.
    let le = "    sel:\n        Data|utf16le|base64offset|contains: 'ping'\n    condition: sel";
    assert!(detects(le, r#"{"Data":"cABpAG4AZwA="}"#));
    let wide = "    sel:\n        Data|wide|base64offset|contains: 'ping'\n    condition: sel";
    assert!(detects(wide, r#"{"Data":"cABpAG4AZwA="}"#));
    let be = "    sel:\n        Data|utf16be|base64offset|contains: 'ping'\n    condition: sel";
    assert!(detects(be, r#"{"Data":"AHAAaQBuAGc="}"#));
    assert!(!detects(be, r#"{"Data":"cABpAG4AZwA="}"#));
}

#[test]
fn windash() {
    let d = "    sel:\n        Cmd|windash|contains: ' -enc '\n    condition: sel";
    assert!(detects(d, r#"{"Cmd":"powershell /enc AAAA"}"#));
    assert!(detects(d, r#"{"Cmd":"powershell -enc AAAA"}"#));
    assert!(!detects(d, r#"{"Cmd":"powershell enc AAAA"}"#));
}

#[test]
fn exists_null_and_empty() {
    let exists = "    sel:\n        ForwardTo|exists: true\n    condition: sel";
    assert!(detects(exists, r#"{"Parameters":[{"Name":"ForwardTo","Value":"a@b.c"}]}"#));
    assert!(!detects(exists, r#"{"Parameters":[{"Name":"MoveToFolder","Value":"x"}]}"#));
    let absent = "    sel:\n        ForwardTo|exists: false\n    condition: sel";
    assert!(detects(absent, r#"{"Operation":"x"}"#));
    let null = "    sel:\n        ObjectId: null\n    condition: sel";
    assert!(detects(null, r#"{"ObjectId":null}"#));
    assert!(!detects(null, r#"{"ObjectId":"x"}"#));
    let empty = "    sel:\n        ObjectId: ''\n    condition: sel";
    assert!(detects(empty, r#"{"ObjectId":""}"#));
    assert!(!detects(empty, r#"{"ObjectId":"x"}"#));
}

#[test]
fn numeric_comparisons() {
    let raw = r#"{"OperationCount":1500,"Text":"250"}"#;
    assert!(detects("    sel:\n        OperationCount|gt: 1000\n    condition: sel", raw));
    assert!(detects("    sel:\n        OperationCount|gte: 1500\n    condition: sel", raw));
    assert!(!detects("    sel:\n        OperationCount|lt: 1500\n    condition: sel", raw));
    assert!(detects("    sel:\n        OperationCount|lte: 1500\n    condition: sel", raw));
    assert!(detects("    sel:\n        Text|lt: 300\n    condition: sel", raw), "numeric text compares");
}

#[test]
fn fieldref_compares_two_fields() {
    let d = "    sel:\n        UserId|fieldref: MailboxOwnerUPN\n    condition: sel";
    assert!(detects(d, r#"{"UserId":"a@x.fr","MailboxOwnerUPN":"a@x.fr"}"#));
    assert!(!detects(d, r#"{"UserId":"admin@x.fr","MailboxOwnerUPN":"a@x.fr"}"#));
}

#[test]
fn cased_is_case_sensitive() {
    let d = "    sel:\n        Operation|cased: 'New-InboxRule'\n    condition: sel";
    assert!(detects(d, r#"{"Operation":"New-InboxRule"}"#));
    assert!(!detects(d, r#"{"Operation":"new-inboxrule"}"#));
}

#[test]
fn keywords_search_every_string() {
    let d = "    keywords:\n        - 'BAV2ROPC'\n        - 'python-requests'\n    condition: keywords";
    assert!(detects(d, r#"{"ExtendedProperties":[{"Name":"UserAgent","Value":"BAV2ROPC"}]}"#));
    assert!(!detects(d, r#"{"UserAgent":"Mozilla/5.0"}"#));
}

#[test]
fn boolean_conditions_and_parentheses() {
    let d = "    a:\n        A: 1\n    b:\n        B: 1\n    c:\n        C: 1\n    condition: a and (b or c) and not c";
    assert!(detects(d, r#"{"A":1,"B":1}"#));
    assert!(!detects(d, r#"{"A":1,"B":1,"C":1}"#));
    assert!(!detects(d, r#"{"A":1,"C":1}"#));
    assert!(!detects(d, r#"{"B":1}"#));
}

#[test]
fn quantified_conditions() {
    let base = "    sel_a:\n        A: 1\n    sel_b:\n        B: 1\n    other:\n        C: 1\n";
    let one = format!("{base}    condition: 1 of sel_*");
    assert!(detects(&one, r#"{"B":1}"#));
    assert!(!detects(&one, r#"{"C":1}"#));
    let all = format!("{base}    condition: all of sel_*");
    assert!(detects(&all, r#"{"A":1,"B":1}"#));
    assert!(!detects(&all, r#"{"A":1,"C":1}"#));
    let one_them = format!("{base}    condition: 1 of them");
    assert!(detects(&one_them, r#"{"C":1}"#));
    let all_them = format!("{base}    condition: all of them");
    assert!(!detects(&all_them, r#"{"A":1,"B":1}"#));
    assert!(detects(&all_them, r#"{"A":1,"B":1,"C":1}"#));
}

#[test]
fn name_value_pairs_and_normalised_fields() {
    let raw = r#"{"Operation":"New-InboxRule","Parameters":[{"Name":"ForwardTo","Value":"x@evil.example"}]}"#;
    let d = "    sel:\n        Parameters.ForwardTo|endswith: '@evil.example'\n    condition: sel";
    assert!(detects(d, raw));
    let bare = "    sel:\n        ForwardTo|endswith: '@evil.example'\n    condition: sel";
    assert!(detects(bare, raw));
    let norm = "    sel:\n        mailcase.source: m365_ual\n        mailcase.action: other\n    condition: sel";
    assert!(detects(norm, raw));
}

#[test]
fn rules_only_see_the_events_of_their_source() {
    let yaml = "title: s\nid: s\nlogsource: {product: azure, service: signinlogs}\n\
                detection: {sel: {ResultType: 50126}, condition: sel}\n";
    let (set, problems) = RuleSet::load_str(yaml, "s.yml");
    assert!(problems.is_empty());
    let raw = r#"{"status":{"errorCode":50126}}"#;
    let mut m = set.matcher();
    assert_eq!(m.matches(&event(1, SourceKind::EntraSignIn, raw)).len(), 1);
    assert!(m.matches(&event(2, SourceKind::M365Ual, raw)).is_empty());
}

#[test]
fn load_problems_name_the_rule_and_the_reason() {
    let yaml = "title: ok\nid: ok\nlogsource: {product: m365}\ndetection: {sel: {A: 1}, condition: sel}\n\
                ---\ntitle: bad source\nid: b1\nlogsource: {product: linux}\ndetection: {sel: {A: 1}, condition: sel}\n\
                ---\ntitle: exchange\nid: b2\nlogsource: {product: windows, service: msexchange-management}\n\
                detection: {kw: [x], condition: kw}\n\
                ---\ntitle: orphan\nid: b3\ncorrelation: {type: event_count, rules: [nope], timespan: 1h, \
                condition: {gte: 2}}\n";
    let (set, problems) = RuleSet::load_str(yaml, "mixed.yml");
    let kinds: Vec<_> = problems.iter().map(|p| (p.rule_id.as_deref(), p.kind)).collect();
    assert!(kinds.contains(&(Some("b1"), ProblemKind::UnknownLogsource)), "{problems:?}");
    assert!(kinds.contains(&(Some("b2"), ProblemKind::UnsupportedLogsource)), "{problems:?}");
    assert!(kinds.contains(&(Some("b3"), ProblemKind::Correlation)), "{problems:?}");
    assert_eq!(set.rules()[0].id, "ok");
    assert!(problems.iter().all(|p| p.path.ends_with("mixed.yml")));
    let (_, broken) = RuleSet::load_str("title: x\ndetection: [", "broken.yml");
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].kind, ProblemKind::Parse);
}

#[test]
fn merge_keeps_indexes_and_links_correlations() {
    let (mut set, _) = RuleSet::load_str(
        "title: base\nid: base\nlogsource: {product: mailcase}\ndetection: {sel: {A: 1}, condition: sel}\n",
        "a.yml",
    );
    let (other, problems) = RuleSet::load_str(
        "title: many\nid: many\ncorrelation: {type: event_count, rules: [base], group-by: [mailcase.account], \
         timespan: 1h, condition: {gte: 2}}\n",
        "b.yml",
    );
    assert_eq!(problems.len(), 1, "alone, the correlation misses its rule");
    assert!(set.merge(other).is_empty(), "merged, the correlation finds its rule");
    assert_eq!(set.rules().len(), 2);
    assert_eq!(set.rules()[0].id, "base");
    let mut m = set.matcher();
    let mut fired = Vec::new();
    for record in 1..=2 {
        let mut e = event(record, SourceKind::M365Ual, r#"{"A":1}"#);
        e.account = Account::new("a@x.fr");
        let hits = m.matches(&e);
        assert_eq!(hits.len(), 1);
        fired.extend(m.feed_correlations(&e, &hits));
    }
    assert_eq!(fired.len(), 1);
    assert_eq!(set.rules()[fired[0].rule].id, "many");
}

// ---------------------------------------------------------------- correlations

const SIGNIN_RULES: &str = "title: failed sign-in\nid: fail\nname: fail\nlogsource: {product: mailcase, service: entra_signin}\n\
detection: {sel: {mailcase.outcome: failure}, condition: sel}\n\
---\ntitle: sign-in ok\nid: ok\nlogsource: {product: mailcase, service: entra_signin}\n\
detection: {sel: {mailcase.outcome: success}, condition: sel}\n";

fn sign_in(record: u64, minute: u32, ok: bool, ip: &str, user: &str) -> Event {
    let mut e = event(record, SourceKind::EntraSignIn, "{}");
    e.time = at(minute);
    e.action = Action::SignIn(SignIn::default());
    e.account = Account::new(user);
    e.client.ip = ip.parse().ok();
    e.outcome = if ok { Outcome::Success } else { Outcome::Failure { code: Some("50126".into()), reason: None } };
    e
}

/// Runs the events in order; returns (event record, correlation rule id) of each firing.
fn run(yaml: &str, events: &[Event]) -> (RuleSet, Vec<RuleMatch>, Vec<CorrelationMatch>) {
    let (set, problems) = RuleSet::load_str(yaml, "corr.yml");
    assert!(problems.is_empty(), "{problems:?}");
    let mut all = Vec::new();
    let mut fired = Vec::new();
    {
        let mut m = set.matcher();
        for e in events {
            let hits = m.matches(e);
            fired.extend(m.feed_correlations(e, &hits));
            all.extend(hits);
        }
    }
    (set, all, fired)
}

#[test]
fn event_count_with_group_by_and_timespan() {
    let yaml = format!(
        "{SIGNIN_RULES}---\ntitle: brute force\nid: brute\ncorrelation: {{type: event_count, rules: [fail], \
         group-by: [mailcase.account], timespan: 10m, condition: {{gte: 3}}}}\nlevel: high\n"
    );
    let events = [
        sign_in(1, 0, false, "1.1.1.1", "a@x.fr"),
        sign_in(2, 1, false, "1.1.1.1", "b@x.fr"),
        sign_in(3, 2, false, "1.1.1.1", "a@x.fr"),
        sign_in(4, 30, false, "1.1.1.1", "a@x.fr"), // outside the 10 minutes
        sign_in(5, 31, false, "1.1.1.1", "a@x.fr"),
        sign_in(6, 32, false, "1.1.1.1", "a@x.fr"),
    ];
    let (set, _, fired) = run(&yaml, &events);
    assert_eq!(fired.len(), 1, "{fired:?}");
    let c = &fired[0];
    assert_eq!(set.rules()[c.rule].id, "brute");
    assert_eq!(c.time, at(32));
    assert_eq!(c.group, vec![("mailcase.account".to_string(), "a@x.fr".to_string())]);
    assert_eq!(c.events, vec![events[3].id, events[4].id, events[5].id]);
}

#[test]
fn value_count_counts_distinct_values() {
    let yaml = format!(
        "{SIGNIN_RULES}---\ntitle: many ips\nid: ips\ncorrelation: {{type: value_count, rules: [ok], \
         group-by: [mailcase.account], timespan: 1h, condition: {{field: mailcase.ip, gte: 3}}}}\n"
    );
    let same_ip: Vec<Event> = (0..4).map(|i| sign_in(i, i as u32, true, "1.1.1.1", "a@x.fr")).collect();
    assert!(run(&yaml, &same_ip).2.is_empty());
    let ips = ["1.1.1.1", "2.2.2.2", "1.1.1.1", "3.3.3.3"];
    let varied: Vec<Event> =
        ips.iter().enumerate().map(|(i, ip)| sign_in(i as u64, i as u32, true, ip, "a@x.fr")).collect();
    let fired = run(&yaml, &varied).2;
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].value, 3.0);
}

#[test]
fn temporal_and_temporal_ordered() {
    let corr = |kind: &str| {
        format!(
            "{SIGNIN_RULES}---\ntitle: fail and success\nid: fs\ncorrelation: {{type: {kind}, rules: [fail, ok], \
             group-by: [mailcase.account], timespan: 5m}}\n"
        )
    };
    let fail_then_ok = [sign_in(1, 0, false, "1.1.1.1", "a@x.fr"), sign_in(2, 2, true, "1.1.1.1", "a@x.fr")];
    let ok_then_fail = [sign_in(1, 0, true, "1.1.1.1", "a@x.fr"), sign_in(2, 2, false, "1.1.1.1", "a@x.fr")];
    let other_user = [sign_in(1, 0, false, "1.1.1.1", "a@x.fr"), sign_in(2, 2, true, "1.1.1.1", "b@x.fr")];
    let too_late = [sign_in(1, 0, false, "1.1.1.1", "a@x.fr"), sign_in(2, 20, true, "1.1.1.1", "a@x.fr")];
    let r = run(&corr("temporal"), &fail_then_ok).2;
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(run(&corr("temporal"), &ok_then_fail).2.len(), 1);
    assert!(run(&corr("temporal"), &other_user).2.is_empty());
    assert!(run(&corr("temporal"), &too_late).2.is_empty());
    assert_eq!(run(&corr("temporal_ordered"), &fail_then_ok).2.len(), 1);
    assert!(run(&corr("temporal_ordered"), &ok_then_fail).2.is_empty());
}

#[test]
fn findings_group_by_rule_account_and_runs_less_than_a_day_apart() {
    let yaml = format!(
        "{SIGNIN_RULES}---\ntitle: brute force\nid: brute\ncorrelation: {{type: event_count, rules: [fail], \
         group-by: [mailcase.account], timespan: 10m, condition: {{gte: 2}}}}\nlevel: high\n"
    );
    let events = [
        sign_in(1, 0, true, "1.1.1.1", "a@x.fr"),
        sign_in(2, 20, true, "1.1.1.1", "a@x.fr"),
        // 30 hours later: a new run of the same rule.
        sign_in(3, 1800, true, "1.1.1.1", "a@x.fr"),
        sign_in(4, 1801, false, "1.1.1.1", "a@x.fr"),
        sign_in(5, 1802, false, "1.1.1.1", "a@x.fr"),
    ];
    let (set, hits, fired) = run(&yaml, &events);
    let findings = to_findings(&set, &hits, &fired);
    let ok: Vec<_> = findings.iter().filter(|f| f.rule_id == "ok").collect();
    assert_eq!(ok.len(), 2, "two runs of the success rule");
    assert_eq!(ok[0].events, vec![events[0].id, events[1].id]);
    assert_eq!(ok[0].title.fr, "sign-in ok", "French falls back to English");
    assert!(findings.iter().all(|f| f.rule_id != "fail"), "generate: false keeps it out");
    let brute: Vec<_> = findings.iter().filter(|f| f.rule_id == "brute").collect();
    assert_eq!(brute.len(), 1);
    assert_eq!(brute[0].events, vec![events[3].id, events[4].id]);
    assert_eq!(brute[0].severity, mailcase_model::Severity::High);
    assert_eq!(brute[0].source, mailcase_model::FindingSource::SigmaCorrelation);
}

#[test]
fn inbox_rule_details_through_mailcase_fields() {
    let yaml = "title: hide\nid: hide\ntitle_fr: Masquer\nqualification: ['2.b']\ntags: [attack.t1564.008]\n\
                logsource: {product: mailcase}\ndetection:\n    sel:\n        mailcase.action: inbox_rule_created\n\
                \x20       mailcase.details.mark_as_read: true\n        mailcase.details.move_to_folder|contains: rss\n\
                \x20   condition: sel\nlevel: high\n";
    let (set, problems) = RuleSet::load_str(yaml, "hide.yml");
    assert!(problems.is_empty(), "{problems:?}");
    let mut rule = InboxRule::new(RuleChange::Created);
    rule.mark_as_read = true;
    rule.move_to_folder = Some("RSS Subscriptions".into());
    let mut e = event(1, SourceKind::M365Ual, "{}");
    e.action = Action::InboxRule(rule);
    e.account = Account::new("a@x.fr");
    let hits = set.matcher().matches(&e);
    assert_eq!(hits.len(), 1);
    let f = to_findings(&set, &hits, &[]);
    assert_eq!(f[0].title.fr, "Masquer");
    assert_eq!(f[0].qualification, vec!["2.b"]);
    assert_eq!(f[0].attack, vec!["T1564.008"]);
    assert!(f[0].explanation.en.contains("a@x.fr"));
}

#[test]
fn rule_set_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<RuleSet>();
}
