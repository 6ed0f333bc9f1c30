//! Mass sending from an account, whatever the subjects (`mc-mass-submission`): the
//! spam run of a stolen password leaves no subject in an MTA's log, only messages.
//!
//! Per account over one hour, the messages it sent and their recipients:
//! - Postfix authenticated submission: each `client=..., sasl_username=u` line (a
//!   successful `Authenticated SMTP` sign-in) is one message of `u`, keyed by its queue
//!   id; qmgr's `from=<u>, nrcpt=N` line of the same queue id adds its recipients.
//!   Other Postfix message lines are not counted: incoming mail also names its sender;
//! - message traces (Exchange Online, Exchange tracking) whose sender is the account:
//!   one message per message id, its distinct recipients (`;`-separated) counted;
//! - `MailSent` (unified audit log `Send`...): one message per message id.
//!
//! `mass_submission_messages` messages (default 100) or `mass_submission_recipients`
//! recipients (default 300) within the hour start a run; every message sent until the
//! account has been quiet for an hour joins it, and the run is one finding.

use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use mailcase_model::{
    Account, Action, Confidence, Event, EventId, Indicator, IndicatorKind, Localized, Outcome, Severity,
    SourceKind,
};
use serde::Deserialize;

use super::grouping::{Draft, MAX_EVENTS};
use super::net::NetView;
use super::state::Ctx;

/// Sending is counted over one hour.
const WINDOW: TimeDelta = TimeDelta::hours(1);
/// Messages kept per account (the thresholds are far below).
const MAX_MESSAGES: usize = 5_000;
/// Distinct recipients remembered per message (the count is then a lower bound; the
/// default threshold is 300 for all messages together).
const MAX_RECIPIENTS: usize = 300;
/// Rows of one message (trace rows per recipient, qmgr after smtpd) come close
/// together: a new row is matched against the latest messages only.
const LOOKBACK: usize = 256;
/// Submitting addresses quoted in a finding.
const MAX_IPS: usize = 16;

/// An event and its time.
type Stamped = (EventId, DateTime<Utc>);

/// One message sent.
struct Sent {
    key: Option<u64>,
    event: EventId,
    time: DateTime<Utc>,
    /// Hashes of the distinct recipients seen.
    recipients: Vec<u64>,
    /// Recipients as the MTA counted them (`nrcpt`).
    declared: u64,
    /// The submitting address, when outside the organisation.
    ip: Option<IpAddr>,
}

impl Sent {
    fn recipients(&self) -> u64 {
        self.declared.max(self.recipients.len() as u64)
    }
}

/// A mass sending under way: from the message that crossed a threshold (with the
/// hour before it) until the account has been quiet for an hour.
struct Run {
    events: Vec<Stamped>,
    messages: usize,
    recipients: u64,
    ips: Vec<IpAddr>,
    last: DateTime<Utc>,
    via: &'static str,
}

impl Run {
    fn add(&mut self, sent: &Sent) {
        self.messages = self.messages.saturating_add(1);
        self.last = self.last.max(sent.time);
        if self.events.len() < MAX_EVENTS {
            self.events.push((sent.event, sent.time));
        }
        if let Some(ip) = sent.ip
            && self.ips.len() < MAX_IPS
            && !self.ips.contains(&ip)
        {
            self.ips.push(ip);
        }
    }
}

/// The last hour of one account's sending.
#[derive(Default)]
struct Window {
    items: VecDeque<Sent>,
    recipients: u64,
    run: Option<Run>,
}

/// Sending per account.
#[derive(Default)]
pub(crate) struct SubmissionTracker {
    by_account: HashMap<Account, Window>,
}

/// What one event says about a message.
struct Seen<'a> {
    key: Option<u64>,
    /// Only adds to a message already counted (Postfix qmgr).
    update_only: bool,
    recipients: Vec<&'a str>,
    declared: u64,
    via: &'static str,
}

fn hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.trim().trim_start_matches('<').trim_end_matches('>').to_lowercase().hash(&mut h);
    h.finish()
}

/// The `nrcpt` Postfix's qmgr logged, kept in the raw record.
fn declared_recipients(event: &Event) -> u64 {
    #[derive(Deserialize)]
    struct Raw {
        nrcpt: Option<String>,
    }
    // `nrcpt=2 (queue active)`: the value runs to the end of the line.
    let digits = |n: String| n.trim().split(|c: char| !c.is_ascii_digit()).next().and_then(|d| d.parse().ok());
    serde_json::from_str::<Raw>(event.raw.as_str()).ok().and_then(|r| r.nrcpt).and_then(digits).unwrap_or(0)
}

/// What the event tells about a message sent by `account`, if anything.
fn seen<'a>(account: &Account, event: &'a Event) -> Option<Seen<'a>> {
    let postfix = event.source == SourceKind::Postfix;
    let queue = event.client.session_id.as_deref().map(hash);
    match &event.action {
        Action::SignIn(s) if postfix && event.outcome == Outcome::Success => {
            let smtp = s.client_app.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("authenticated smtp"));
            smtp.then_some(Seen { key: queue, update_only: false, recipients: Vec::new(), declared: 0, via: "smtp" })
        }
        Action::MessageTrace(t) if t.sender.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case(account.as_str())) => {
            if postfix {
                return Some(Seen { key: queue, update_only: true, recipients: Vec::new(), declared: declared_recipients(event), via: "smtp" });
            }
            let recipients = t.recipient.as_deref().map(|r| r.split(';').map(str::trim).filter(|r| !r.is_empty()).collect()).unwrap_or_default();
            Some(Seen { key: t.message_id.as_deref().map(hash), update_only: false, recipients, declared: 0, via: "trace" })
        }
        Action::MailSent(m) => Some(Seen { key: m.message_id.as_deref().map(hash), update_only: false, recipients: Vec::new(), declared: 0, via: "mailbox" }),
        _ => None,
    }
}

impl SubmissionTracker {
    /// Reads one event of `account`.
    pub(crate) fn observe(&mut self, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
        let Some(seen) = seen(account, event) else { return };
        if seen.update_only && !self.by_account.contains_key(account) {
            return;
        }
        let w = self.by_account.entry(account.clone()).or_default();
        if w.run.as_ref().is_some_and(|r| event.time - r.last > WINDOW) {
            close(w, account, ctx);
        }
        while w.items.front().is_some_and(|s| event.time - s.time > WINDOW) || w.items.len() >= MAX_MESSAGES {
            if let Some(old) = w.items.pop_front() {
                w.recipients = w.recipients.saturating_sub(old.recipients());
            }
        }
        let known = seen.key.and_then(|k| {
            let skip = w.items.len().saturating_sub(LOOKBACK);
            w.items.iter().skip(skip).rposition(|s| s.key == Some(k)).map(|i| i + skip)
        });
        let index = match known {
            Some(i) => i,
            None if seen.update_only => return,
            None => {
                let ip = view.ip.filter(|_| view.external);
                let sent = Sent { key: seen.key, event: event.id, time: event.time, recipients: Vec::new(), declared: 0, ip };
                if let Some(run) = &mut w.run {
                    run.add(&sent);
                }
                w.items.push_back(sent);
                w.items.len() - 1
            }
        };
        let Some(item) = w.items.get_mut(index) else { return };
        let before = item.recipients();
        item.declared = item.declared.max(seen.declared);
        for r in &seen.recipients {
            let h = hash(r);
            if item.recipients.len() < MAX_RECIPIENTS && !item.recipients.contains(&h) {
                item.recipients.push(h);
            }
        }
        let added = item.recipients() - before;
        w.recipients = w.recipients.saturating_add(added);
        if let Some(run) = &mut w.run {
            run.recipients = run.recipients.saturating_add(added);
        } else if w.items.len() >= ctx.cfg.mass_submission_messages || w.recipients >= ctx.cfg.mass_submission_recipients {
            let mut run = Run { events: Vec::new(), messages: 0, recipients: w.recipients, ips: Vec::new(), last: event.time, via: seen.via };
            w.items.iter().for_each(|s| run.add(s));
            w.run = Some(run);
        }
    }

    /// Reports the runs quiet for an hour before `now` (all of them with `None`).
    pub(crate) fn sweep(&mut self, now: Option<DateTime<Utc>>, ctx: &mut Ctx<'_>) {
        for (account, w) in &mut self.by_account {
            if w.run.as_ref().is_some_and(|r| now.is_none_or(|n| n - r.last > WINDOW)) {
                close(w, account, ctx);
            }
        }
    }
}

/// Reports the account's run and starts counting afresh.
fn close(w: &mut Window, account: &Account, ctx: &mut Ctx<'_>) {
    w.items.clear();
    w.recipients = 0;
    let Some(run) = w.run.take() else { return };
    let (n, r) = (run.messages, run.recipients);
    let (max_n, max_r) = (ctx.cfg.mass_submission_messages, ctx.cfg.mass_submission_recipients);
    let from: Vec<String> = run.ips.iter().map(IpAddr::to_string).collect();
    let (en_via, fr_via) = match run.via {
        "smtp" => ("through authenticated SMTP submission", "par soumission SMTP authentifiée"),
        "trace" => ("according to the message trace", "selon le suivi des messages"),
        _ => ("from the mailbox", "depuis la boîte"),
    };
    let (en_from, fr_from) = if from.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(" from {}", from.join(", ")), format!(" depuis {}", from.join(", ")))
    };
    let text = Localized::new(
        format!("{n} messages to {r} recipients sent by {account} {en_via}{en_from}, {max_n} messages or {max_r} recipients within an hour at least once: mass sending (spam or phishing) with the account."),
        format!("{n} messages à {r} destinataires envoyés par {account} {fr_via}{fr_from}, dont au moins {max_n} messages ou {max_r} destinataires en une heure : envoi massif (pourriel ou hameçonnage) avec le compte."),
    );
    let mut d = Draft::new("mc-mass-submission", Some(account.clone()), "", (Severity::High, Confidence::Medium), text);
    d.events = run.events;
    d.indicators = run.ips.into_iter().map(|ip| Indicator { kind: IndicatorKind::Ip, value: ip.to_string() }).collect();
    ctx.out.push(d);
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use mailcase_model::{EvidenceRef, Finding, MailSent, MessageTrace, RawRecord, SendKind, SignIn, VerdictLevel};

    use super::*;
    use crate::analytics::{Analytics, AnalyticsConfig};
    use crate::verdict::verdicts;

    const VICTIM: &str = "victim@univ.fr";

    struct Log {
        events: Vec<Event>,
    }

    impl Log {
        fn at(&mut self, seconds: i64, source: SourceKind, action: Action, raw: String) -> &mut Event {
            let t0 = Utc.with_ymd_and_hms(2026, 1, 15, 2, 0, 0).single().unwrap_or_default();
            let record = self.events.len() as u64 + 1;
            let e = Event::new(EvidenceRef { evidence: 1, record }, t0 + TimeDelta::seconds(seconds), source, action, RawRecord(raw));
            self.events.push(e);
            self.events.last_mut().expect("just pushed")
        }

        /// One message through Postfix submission: smtpd's sign-in, then qmgr's line.
        fn submit(&mut self, seconds: i64, queue: &str, nrcpt: u32) {
            let s = SignIn { client_app: Some("Authenticated SMTP".into()), ..SignIn::default() };
            let e = self.at(seconds, SourceKind::Postfix, Action::SignIn(s), "{}".into());
            e.account = Account::new(VICTIM);
            e.outcome = Outcome::Success;
            e.client.ip = "2.57.1.1".parse().ok();
            e.client.session_id = Some(queue.into());
            let trace = MessageTrace { sender: Some(VICTIM.into()), ..MessageTrace::default() };
            let e = self.at(seconds, SourceKind::Postfix, Action::MessageTrace(trace), format!("{{\"nrcpt\":\"{nrcpt}\"}}"));
            e.account = Account::new(VICTIM);
            e.client.session_id = Some(queue.into());
        }

        fn run(&self) -> Vec<Finding> {
            let mut a = Analytics::new(AnalyticsConfig::default());
            for e in &self.events {
                a.feed(e);
            }
            a.finish()
        }
    }

    fn masses(findings: &[Finding]) -> Vec<&Finding> {
        findings.iter().filter(|f| f.rule_id == "mc-mass-submission").collect()
    }

    #[test]
    fn a_hundred_submissions_within_an_hour_are_mass_sending() {
        let mut log = Log { events: Vec::new() };
        for i in 0..100 {
            log.submit(i * 20, &format!("Q{i:05}"), 1);
        }
        let out = log.run();
        let found = masses(&out);
        assert_eq!(found.len(), 1, "{out:?}");
        let f = found[0];
        assert_eq!(f.events.len(), 100, "one event per message, not per line");
        assert_eq!(f.account.as_ref().map(Account::as_str), Some(VICTIM));
        assert!(f.indicators.iter().any(|i| i.value == "2.57.1.1"));
        assert!(f.explanation.en.contains("100 messages to ") && f.explanation.en.contains("authenticated SMTP"), "{}", f.explanation.en);
        assert_eq!(f.qualification, ["2.a", "4.b"]);
    }

    #[test]
    fn many_recipients_are_mass_sending_too() {
        let mut log = Log { events: Vec::new() };
        for i in 0..60 {
            log.submit(i * 30, &format!("Q{i:05}"), 5);
        }
        let out = log.run();
        assert!(masses(&out).first().is_some_and(|f| f.explanation.en.contains("300 recipients")), "{out:?}");
    }

    #[test]
    fn ordinary_or_incoming_mail_is_not_mass_sending() {
        let mut log = Log { events: Vec::new() };
        // 99 messages in an hour, then 120 over the next four hours.
        for i in 0..99 {
            log.submit(i * 30, &format!("A{i:05}"), 2);
        }
        for i in 0..120 {
            log.submit(7_200 + i * 120, &format!("B{i:05}"), 1);
        }
        // Incoming mail: qmgr names the outside sender, with no submission before.
        for i in 0..400 {
            let trace = MessageTrace { sender: Some("news@outside.example".into()), ..MessageTrace::default() };
            let e = log.at(i, SourceKind::Postfix, Action::MessageTrace(trace), "{\"nrcpt\":\"50\"}".into());
            e.account = Account::new("news@outside.example");
            e.client.session_id = Some(format!("C{i:05}"));
        }
        let out = log.run();
        assert!(masses(&out).is_empty(), "{out:?}");
    }

    #[test]
    fn trace_rows_count_recipients_once_per_message() {
        let mut log = Log { events: Vec::new() };
        for r in 0..310 {
            let trace = MessageTrace { sender: Some(VICTIM.into()), recipient: Some(format!("r{r}@outside.example")), message_id: Some("<m1@univ.fr>".into()), ..MessageTrace::default() };
            log.at(r / 10, SourceKind::ExoMessageTrace, Action::MessageTrace(trace), "{}".into()).account = Account::new(VICTIM);
        }
        let out = log.run();
        let found = masses(&out);
        assert_eq!(found.len(), 1, "{out:?}");
        assert!(found[0].explanation.en.contains("1 messages to 300 recipients"), "{}", found[0].explanation.en);
        // The same recipient listed again is not another one.
        let mut again = Log { events: Vec::new() };
        for r in 0..400 {
            let trace = MessageTrace { sender: Some(VICTIM.into()), recipient: Some("same@outside.example".into()), message_id: Some(format!("<m{}@univ.fr>", r % 50)), ..MessageTrace::default() };
            again.at(r, SourceKind::ExoMessageTrace, Action::MessageTrace(trace), "{}".into()).account = Account::new(VICTIM);
        }
        assert!(masses(&again.run()).is_empty());
        // Sends from the mailbox count as messages.
        let mut sends = Log { events: Vec::new() };
        for i in 0..100 {
            let m = MailSent { kind: SendKind::Send, subject: Some(format!("s{i}")), message_id: Some(format!("<{i}@x>")) };
            sends.at(i * 10, SourceKind::M365Ual, Action::MailSent(m), "{}".into()).account = Account::new(VICTIM);
        }
        assert_eq!(masses(&sends.run()).len(), 1);
    }

    #[test]
    fn guessed_password_then_mass_sending_is_a_compromise() {
        let mut log = Log { events: Vec::new() };
        for i in 0..6 {
            let s = SignIn { client_app: Some("IMAP".into()), ..SignIn::default() };
            let e = log.at(-7_200 + i * 10, SourceKind::Dovecot, Action::SignIn(s), "{}".into());
            e.account = Account::new(VICTIM);
            e.client.ip = "2.57.1.1".parse().ok();
            e.outcome = if i < 5 { Outcome::Failure { code: Some("auth_failed".into()), reason: None } } else { Outcome::Success };
        }
        for i in 0..120 {
            log.submit(i * 15, &format!("Q{i:05}"), 2);
        }
        log.events.sort_by_key(|e| e.time);
        let out = log.run();
        assert_eq!(masses(&out).len(), 1, "{out:?}");
        let v = verdicts(&out, &[]);
        let level = v.iter().find(|v| v.account.as_str() == VICTIM).map(|v| v.level);
        assert_eq!(level, Some(VerdictLevel::Compromised), "{v:?}");
        // Mass sending alone is only suspicious.
        let alone: Vec<Finding> = out.into_iter().filter(|f| f.rule_id == "mc-mass-submission").collect();
        let v = verdicts(&alone, &[]);
        assert_eq!(v.first().map(|v| v.level), Some(VerdictLevel::Suspicious));
    }
}
