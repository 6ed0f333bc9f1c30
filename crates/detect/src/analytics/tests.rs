//! Each analytic on hand-made event sequences, positive and negative.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use mailcase_model::{
    Account, Action, AppConsent, DeleteKind, EvidenceRef, Event, Finding, ForwardingChange, Geo,
    InboxRule, MailAccess, MailDeleted, MailSent, NetClass, Outcome, RawRecord, RuleChange,
    SendKind, Severity, SignIn, SourceKind,
};

use super::{Analytics, AnalyticsConfig};

const FR_HOME: (&str, &str, u32, &str) = ("90.12.1.1", "FR", 3215, "Orange S.A.");
const US_VPS: (&str, &str, u32, &str) = ("24.199.1.1", "US", 14061, "DigitalOcean, LLC");
const RO_VPN: (&str, &str, u32, &str) = ("2.57.1.1", "RO", 9009, "M247 Europe SRL");
const DE_HOME: (&str, &str, u32, &str) = ("91.64.1.1", "DE", 3209, "Vodafone GmbH");
const VK: (&str, &str, u32, &str) = ("5.61.1.1", "RU", 47764, "LLC VK");

struct Feed {
    events: Vec<Event>,
    t0: DateTime<Utc>,
}

impl Feed {
    fn new() -> Self {
        Feed { events: Vec::new(), t0: Utc.with_ymd_and_hms(2025, 3, 1, 8, 0, 0).single().unwrap_or_default() }
    }

    /// An event `minutes` after the start.
    fn push(&mut self, minutes: i64, who: &str, action: Action, net: (&str, &str, u32, &str)) -> &mut Event {
        let record = self.events.len() as u64 + 1;
        let mut e = Event::new(
            EvidenceRef { evidence: 1, record },
            self.t0 + TimeDelta::minutes(minutes),
            SourceKind::EntraSignIn,
            action,
            RawRecord("{}".into()),
        );
        e.account = Account::new(who);
        e.outcome = Outcome::Success;
        e.client.ip = net.0.parse().ok();
        e.client.user_agent = Some("Mozilla/5.0 Edge".into());
        e.geo = Some(Geo { country: Some(net.1.into()), asn: Some(net.2), as_org: Some(net.3.into()), net_class: NetClass::Public });
        self.events.push(e);
        self.events.last_mut().expect("just pushed")
    }

    fn sign_in(&mut self, minutes: i64, who: &str, net: (&str, &str, u32, &str)) -> &mut Event {
        let s = SignIn { client_app: Some("Browser".into()), ..SignIn::default() };
        self.push(minutes, who, Action::SignIn(s), net)
    }

    fn failure(&mut self, minutes: i64, who: &str, net: (&str, &str, u32, &str)) -> &mut Event {
        let e = self.sign_in(minutes, who, net);
        e.outcome = Outcome::Failure { code: Some("50126".into()), reason: None };
        e
    }

    /// Ten days of daily sign-ins from home: a learned baseline.
    fn history(&mut self, who: &str) {
        for day in 0..10 {
            self.sign_in(day * 1440, who, FR_HOME);
        }
    }

    fn run(&self) -> Vec<Finding> {
        self.run_with(AnalyticsConfig::with_org_domains(["example.fr"]))
    }

    fn run_with(&self, cfg: AnalyticsConfig) -> Vec<Finding> {
        let mut events = self.events.clone();
        events.sort_by_key(|e| e.time);
        let mut a = Analytics::new(cfg);
        for e in &events {
            a.feed(e);
        }
        a.finish()
    }
}

const DAY: i64 = 1440;
const A: &str = "alice@example.fr";

fn rules(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule_id.as_str()).collect()
}

fn one<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    let found: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule).collect();
    assert_eq!(found.len(), 1, "{rule} in {:?}", rules(findings));
    found[0]
}

#[test]
fn new_country_after_learning_names_the_usual_ones() {
    let mut f = Feed::new();
    f.history(A);
    f.sign_in(11 * DAY, A, DE_HOME);
    let out = f.run();
    let nc = one(&out, "mc-new-country");
    assert!(nc.explanation.en.contains("Usual countries: FR"), "{}", nc.explanation.en);
    assert!(nc.explanation.fr.contains("Pays habituels : FR"));
    assert_eq!(nc.severity, Severity::Medium);
    assert!(!rules(&out).contains(&"mc-hosting-asn"));
}

#[test]
fn nothing_new_during_learning() {
    let mut f = Feed::new();
    f.sign_in(0, A, FR_HOME);
    f.sign_in(DAY, A, DE_HOME);
    f.sign_in(2 * DAY, A, US_VPS);
    let out = f.run();
    assert!(!rules(&out).iter().any(|r| r.starts_with("mc-new") || *r == "mc-hosting-asn"), "{:?}", rules(&out));
}

#[test]
fn hosting_network_is_reported_and_severe_abroad() {
    let mut f = Feed::new();
    f.history(A);
    f.sign_in(11 * DAY, A, US_VPS);
    let out = f.run();
    assert_eq!(one(&out, "mc-new-country").severity, Severity::High);
    one(&out, "mc-hosting-asn");
}

#[test]
fn impossible_travel_between_countries() {
    let mut f = Feed::new();
    f.sign_in(0, A, FR_HOME);
    f.sign_in(30, A, US_VPS);
    let out = f.run();
    let t = one(&out, "mc-impossible-travel");
    assert_eq!(t.events.len(), 2);
    assert!(t.explanation.en.contains("km/h"));
}

#[test]
fn slow_travel_and_ignored_networks_are_not_impossible() {
    let mut f = Feed::new();
    f.sign_in(0, A, FR_HOME);
    f.sign_in(DAY, A, US_VPS);
    f.sign_in(DAY + 10, A, ("40.1.1.1", "IE", 8075, "Microsoft Corporation"));
    let e = f.sign_in(DAY + 20, A, ("10.0.0.1", "JP", 1, "private"));
    e.geo = Some(Geo { net_class: NetClass::Private, ..Geo::default() });
    let out = f.run();
    assert!(!rules(&out).contains(&"mc-impossible-travel"), "{:?}", rules(&out));
}

#[test]
fn failures_then_success_is_brute_force() {
    let mut f = Feed::new();
    for i in 0..6 {
        f.failure(i, A, US_VPS);
    }
    f.sign_in(7, A, US_VPS);
    let out = f.run();
    let b = one(&out, "mc-brute-force-success");
    assert_eq!(b.events.len(), 7);
}

#[test]
fn few_or_old_failures_are_not_brute_force() {
    let mut f = Feed::new();
    for i in 0..3 {
        f.failure(i, A, FR_HOME);
    }
    f.sign_in(5, A, FR_HOME);
    for i in 0..6 {
        f.failure(100 + i, A, FR_HOME);
    }
    f.sign_in(300, A, FR_HOME);
    assert!(!rules(&f.run()).contains(&"mc-brute-force-success"));
}

#[test]
fn spray_with_a_success_in_the_middle() {
    let mut f = Feed::new();
    for i in 0..8 {
        let who = format!("user{i}@example.fr");
        if i == 3 {
            f.sign_in(i, &who, US_VPS);
        } else {
            f.failure(i, &who, US_VPS);
        }
    }
    let out = f.run();
    let s = one(&out, "mc-password-spray");
    assert_eq!(s.account.as_ref().map(Account::as_str), Some("user3@example.fr"));
    assert_eq!(s.other_accounts.len(), 7);
    assert_eq!(s.severity, Severity::High);
    assert_eq!(s.events.len(), 8);
}

#[test]
fn failures_against_few_accounts_are_not_a_spray() {
    let mut f = Feed::new();
    // Two accounts: below the default of three.
    for i in 0..2 {
        f.failure(i, &format!("user{i}@example.fr"), US_VPS);
    }
    assert!(!rules(&f.run()).contains(&"mc-password-spray"));
}

#[test]
fn a_busy_shared_address_with_typos_is_not_a_spray() {
    // Office egress: many users sign in, a few mistype their password.
    let mut f = Feed::new();
    for i in 0..40 {
        let who = format!("user{i}@example.fr");
        if i % 6 == 0 {
            f.failure(i, &who, US_VPS);
        }
        f.sign_in(i, &who, US_VPS);
    }
    assert!(!rules(&f.run()).contains(&"mc-password-spray"));
}

#[test]
fn one_session_from_two_networks_is_replay() {
    let mut f = Feed::new();
    f.sign_in(0, A, US_VPS).client.session_id = Some("s-1".into());
    f.sign_in(17, A, RO_VPN).client.session_id = Some("s-1".into());
    let r = one(&f.run(), "mc-token-replay").clone();
    assert_eq!(r.events.len(), 2);
    assert!(r.indicators.iter().any(|i| i.value == "s-1"));
}

#[test]
fn replay_between_two_networks_of_the_usual_country_is_only_worth_a_look() {
    const FR_MOBILE: (&str, &str, u32, &str) = ("87.88.1.1", "FR", 5410, "Bouygues Telecom SA");
    let mut f = Feed::new();
    f.history(A);
    let start = 11 * 1440;
    f.sign_in(start, A, FR_HOME).client.session_id = Some("s-2".into());
    f.sign_in(start + 10, A, FR_MOBILE).client.session_id = Some("s-2".into());
    let r = one(&f.run(), "mc-token-replay").clone();
    assert_eq!(r.severity, Severity::Medium);
    assert_eq!(r.confidence, mailcase_model::Confidence::Low);
}

#[test]
fn same_network_or_late_reuse_is_not_replay() {
    let mut f = Feed::new();
    f.sign_in(0, A, FR_HOME).client.session_id = Some("s-1".into());
    f.sign_in(10, A, ("90.12.9.9", "FR", 3215, "Orange S.A.")).client.session_id = Some("s-1".into());
    f.sign_in(120, A, RO_VPN).client.session_id = Some("s-1".into());
    assert!(!rules(&f.run()).contains(&"mc-token-replay"));
}

#[test]
fn aitm_kit_needs_the_user_agent_and_the_app() {
    let mut f = Feed::new();
    let e = f.sign_in(0, A, US_VPS);
    e.client.user_agent = Some("axios/1.7.7".into());
    e.client.app_id = Some("4765445b-32c6-49b0-83e6-1d93765276ca".into());
    let e = f.sign_in(5, "bob@example.fr", US_VPS);
    e.client.user_agent = Some("axios/1.7.7".into());
    let out = f.run();
    let kits: Vec<&Finding> = out.iter().filter(|f| f.rule_id == "mc-aitm-sign-in").collect();
    assert_eq!(kits.len(), 2);
    let alice = kits.iter().find(|f| f.account.as_ref().is_some_and(|a| a.as_str() == A)).expect("alice");
    assert_eq!(alice.severity, Severity::High);
    let bob = kits.iter().find(|f| f.account.as_ref().is_some_and(|a| a.as_str() != A)).expect("bob");
    assert_eq!(bob.severity, Severity::Medium);
}

#[test]
fn ropc_device_code_and_legacy_sign_ins() {
    let mut f = Feed::new();
    f.sign_in(0, A, FR_HOME).client.user_agent = Some("BAV2ROPC".into());
    let s = SignIn { auth_protocol: Some("deviceCode".into()), ..SignIn::default() };
    f.push(10, A, Action::SignIn(s), FR_HOME);
    let s = SignIn { client_app: Some("IMAP4".into()), ..SignIn::default() };
    f.push(20, A, Action::SignIn(s), FR_HOME).client.user_agent = None;
    f.sign_in(30, A, FR_HOME);
    let out = f.run();
    one(&out, "mc-ropc-sign-in");
    one(&out, "mc-device-code-sign-in");
    assert_eq!(one(&out, "mc-legacy-protocol").severity, Severity::Low);
    assert_eq!(out.len(), 3, "{:?}", rules(&out));
}

fn hiding_rule(name: &str) -> Action {
    let mut r = InboxRule::new(RuleChange::Created);
    r.name = Some(name.into());
    r.move_to_folder = Some("Flux RSS".into());
    r.mark_as_read = true;
    Action::InboxRule(r)
}

#[test]
fn rule_after_suspicious_sign_in_is_a_chain() {
    let mut f = Feed::new();
    f.history(A);
    f.sign_in(11 * DAY, A, US_VPS);
    f.push(11 * DAY + 20, A, hiding_rule(".."), US_VPS);
    let fwd = ForwardingChange { mailbox: None, target: Some("smtp:x@gmx.fr".into()), keep_copy: Some(true) };
    f.push(11 * DAY + 30, A, Action::Forwarding(fwd), US_VPS);
    let consent = AppConsent { app_name: Some("eM Client".into()), scopes: vec!["Mail.Read".into()], ..AppConsent::default() };
    f.push(11 * DAY + 40, A, Action::AppConsent(consent), US_VPS);
    f.push(11 * DAY + 50, A, Action::MfaMethod { added: true, method: None }, US_VPS);
    let out = f.run();
    let rule = one(&out, "mc-rule-after-suspicious-sign-in");
    assert_eq!(rule.severity, Severity::Critical);
    assert_eq!(rule.events.len(), 2);
    assert!(rule.explanation.en.contains("Flux RSS"));
    assert!(rule.indicators.iter().any(|i| i.value == ".."));
    assert!(one(&out, "mc-forwarding-after-suspicious-sign-in").indicators.iter().any(|i| i.value == "x@gmx.fr"));
    one(&out, "mc-consent-after-suspicious-sign-in");
    one(&out, "mc-mfa-after-suspicious-sign-in");
}

#[test]
fn rules_without_or_long_after_a_suspicious_sign_in_are_not_chains() {
    let mut f = Feed::new();
    f.history(A);
    f.push(10 * DAY + 60, A, hiding_rule("Newsletters"), FR_HOME);
    f.sign_in(11 * DAY, A, US_VPS);
    f.push(13 * DAY, A, hiding_rule("late"), US_VPS);
    let out = f.run();
    assert!(!rules(&out).iter().any(|r| r.ends_with("after-suspicious-sign-in")), "{:?}", rules(&out));
}

#[test]
fn a_burst_of_rules_is_one_finding() {
    let mut f = Feed::new();
    f.history(A);
    f.sign_in(11 * DAY, A, US_VPS);
    for i in 0..38 {
        f.push(11 * DAY + 1, A, hiding_rule(".."), US_VPS).time += TimeDelta::seconds(i);
    }
    let out = f.run();
    assert_eq!(one(&out, "mc-rule-after-suspicious-sign-in").events.len(), 39);
}

#[test]
fn mass_deletion_sending_and_sync_bursts() {
    let mut f = Feed::new();
    for i in 0..3 {
        let d = MailDeleted { kind: DeleteKind::HardDelete, count: 40, folder: None, subjects: Vec::new() };
        f.push(i, A, Action::MailDeleted(d), FR_HOME);
    }
    for i in 0..25 {
        let m = MailSent { kind: SendKind::Send, subject: Some("Facture en attente".into()), message_id: Some(format!("<{i}@x>")) };
        f.push(i, A, Action::MailSent(m), FR_HOME);
    }
    for i in 0..4 {
        let a = MailAccess { count: 50, access_type: Some("Sync".into()), ..MailAccess::default() };
        f.push(i, A, Action::MailAccessed(a), FR_HOME);
    }
    let out = f.run();
    assert_eq!(one(&out, "mc-mass-deletion").events.len(), 3);
    assert!(one(&out, "mc-mass-sending").indicators.iter().any(|i| i.value == "facture en attente"));
    one(&out, "mc-mail-access-burst");
}

#[test]
fn ordinary_mail_activity_is_not_a_burst() {
    let mut f = Feed::new();
    for i in 0..20 {
        let d = MailDeleted { kind: DeleteKind::MoveToDeletedItems, count: 3, folder: None, subjects: Vec::new() };
        f.push(i * 30, A, Action::MailDeleted(d), FR_HOME);
        let m = MailSent { kind: SendKind::Send, subject: Some(format!("Subject {i}")), message_id: None };
        f.push(i * 30, A, Action::MailSent(m), FR_HOME);
        let a = MailAccess { count: 30, access_type: Some("Bind".into()), ..MailAccess::default() };
        f.push(i, A, Action::MailAccessed(a), FR_HOME);
    }
    assert!(f.run().is_empty());
}

#[test]
fn aggregator_is_its_own_finding_and_feeds_nothing_else() {
    let mut f = Feed::new();
    f.history(A);
    for i in 0..12 {
        let s = SignIn { client_app: Some("IMAP4".into()), ..SignIn::default() };
        f.push(11 * DAY + i * 120, A, Action::SignIn(s), VK).client.user_agent = None;
    }
    let out = f.run();
    assert_eq!(rules(&out), vec!["mc-imap-aggregator"]);
    assert!(out[0].explanation.en.contains("not the sign of an attacker"));
    assert!(out[0].explanation.fr.contains("pas le signe d'un attaquant"));
    assert_eq!(out[0].severity, Severity::Medium);
}

#[test]
fn a_browser_from_an_aggregator_network_is_not_the_aggregator() {
    let mut f = Feed::new();
    f.history(A);
    f.sign_in(11 * DAY, A, VK);
    let out = f.run();
    assert!(rules(&out).contains(&"mc-new-country"));
    assert!(!rules(&out).contains(&"mc-imap-aggregator"));
}

#[test]
fn hostile_text_does_not_panic() {
    let mut f = Feed::new();
    let weird = "\u{202e}\0".repeat(10_000);
    let e = f.sign_in(0, &weird, US_VPS);
    e.client.user_agent = Some(weird.clone());
    e.client.session_id = Some(weird.clone());
    e.geo = Some(Geo { country: Some(weird.clone()), asn: None, as_org: Some(weird.clone()), net_class: NetClass::Public });
    f.push(1, &weird, hiding_rule(&weird), US_VPS);
    let e = f.failure(2, &weird, US_VPS);
    e.outcome = Outcome::Failure { code: Some(weird.clone()), reason: None };
    e.client.ip = None;
    let _ = f.run();
}
