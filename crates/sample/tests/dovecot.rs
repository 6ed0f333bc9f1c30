//! The Dovecot/Postfix sample: deterministic, read without a warning by the mail-log
//! parsers, and its ground truth matches the events.

use mailcase_model::{Action, Event, Outcome};
use mailcase_sample::{MailServerTruth, Platform, SampleOptions, SampleTruth, generate, generate_any};
use mailcase_sources::{Format, read_file, sniff_file};
use std::path::Path;

fn opts(seed: u64) -> SampleOptions {
    SampleOptions {
        seed,
        users: 12,
        days: 10,
        platform: Platform::Dovecot,
        org_domain: Platform::Dovecot.default_domain().to_owned(),
        ..Default::default()
    }
}

fn run(o: &SampleOptions) -> (tempfile::TempDir, MailServerTruth) {
    let dir = tempfile::tempdir().expect("temp dir");
    match generate_any(o, dir.path()).expect("generate") {
        SampleTruth::Dovecot(t) => (dir, *t),
        other => panic!("not a Dovecot truth: {other:?}"),
    }
}

fn events(dir: &Path) -> Vec<Event> {
    let path = dir.join("mail.log");
    let format = sniff_file(&path).expect("readable").expect("recognised");
    assert!(matches!(format, Format::PostfixLog | Format::DovecotLog), "{format:?}");
    let mut all = Vec::new();
    let summary = read_file(&path, format, 1, |batch| {
        assert!(batch.warnings.is_empty(), "{:?}", batch.warnings.first());
        all.extend(batch.events);
        Ok(())
    })
    .expect("read");
    assert_eq!(summary.warnings, 0);
    all
}

fn sign_ins<'a>(evs: &'a [Event], user: &'a str, ip: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
    evs.iter().filter(move |e| {
        matches!(e.action, Action::SignIn(_))
            && e.account.as_ref().is_some_and(|a| a.as_str() == user)
            && e.client.ip.is_some_and(|i| i.to_string() == ip)
    })
}

#[test]
fn same_seed_same_bytes_and_date() {
    let (a, _) = run(&opts(3));
    let (b, _) = run(&opts(3));
    let (c, _) = run(&opts(4));
    for name in ["mail.log", "ground-truth.json"] {
        let read = |d: &Path| std::fs::read(d.join(name)).expect("file");
        assert_eq!(read(a.path()), read(b.path()), "{name}");
        assert_ne!(read(a.path()), read(c.path()), "{name}");
    }
    let mtime = |d: &Path| std::fs::metadata(d.join("mail.log")).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(mtime(a.path()), mtime(b.path()));
}

#[test]
fn every_line_parses_and_the_story_is_in_the_events() {
    let (dir, truth) = run(&opts(11));
    let evs = events(dir.path());
    let victim = truth.victims.first().expect("a victim");
    let ip = truth.attacker.ips.first().expect("an attacker address").ip.as_str();
    let times = truth.key_times.as_ref().expect("key times");
    // Years come from the file date: every event is inside the period (UTC, +/- a day).
    let first = truth.period.0.pred_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).expect("date").and_utc();
    let last = truth.period.1.succ_opt().and_then(|d| d.and_hms_opt(23, 59, 59)).expect("date").and_utc();
    assert!(evs.iter().all(|e| e.time >= first && e.time <= last));
    let attacker: Vec<&Event> = sign_ins(&evs, victim, ip).collect();
    let failed = attacker.iter().filter(|e| e.time < times.first_malicious_signin && matches!(e.outcome, Outcome::Failure { .. })).count();
    assert!(failed >= truth.attacker.failed_guesses, "{failed} failures");
    let success = attacker.iter().find(|e| e.outcome == Outcome::Success).expect("a success");
    assert_eq!(success.time, times.first_malicious_signin);
    let spam = attacker
        .iter()
        .filter(|e| e.outcome == Outcome::Success && e.client.protocol.as_deref() == Some("Authenticated SMTP"))
        .count();
    assert_eq!(spam, truth.attacker.spam_messages);
    // No one else is touched from the attacker's address.
    let others = evs.iter().filter(|e| e.client.ip.is_some_and(|i| i.to_string() == ip) && e.account.as_ref().is_some_and(|a| a.as_str() != victim));
    assert_eq!(others.count(), 0);
}

#[test]
fn the_aggregator_polls_every_ten_minutes_from_vk() {
    let o = opts(11);
    let (dir, truth) = run(&o);
    let evs = events(dir.path());
    let agg = &truth.aggregator;
    let polls = agg.ips.iter().map(|ip| sign_ins(&evs, &agg.upn, ip).filter(|e| e.outcome == Outcome::Success).count()).sum::<usize>();
    let per_day = polls / o.days as usize;
    assert!((120..=170).contains(&per_day), "{per_day} polls a day");
    assert_eq!(agg.asn, 47764);
    assert!(!truth.victims.contains(&agg.upn));
}

#[test]
fn benign_sample_has_no_attacker() {
    let (dir, truth) = run(&SampleOptions { benign: true, ..opts(11) });
    let (_, attacked) = run(&opts(11));
    assert!(truth.victims.is_empty() && truth.attacker.ips.is_empty() && truth.key_times.is_none());
    let ip = &attacked.attacker.ips[0].ip;
    let log = std::fs::read_to_string(dir.path().join("mail.log")).expect("log");
    assert!(!log.contains(&format!("rip={ip},")));
    assert!(log.contains("imap-login: Login: "));
}

#[test]
fn generate_refuses_other_platforms_and_sizes_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(generate(&opts(1), dir.path()).is_err());
    let sized = SampleOptions { target_bytes: Some(1_000_000), ..opts(1) };
    assert!(generate_any(&sized, dir.path()).is_err());
    let m365 = generate_any(&SampleOptions { users: 12, days: 10, ..Default::default() }, &dir.path().join("m"));
    assert!(matches!(m365, Ok(SampleTruth::M365(_))));
}
