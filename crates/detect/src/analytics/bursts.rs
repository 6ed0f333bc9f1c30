//! Mail activity in bulk: mass deletion, mass sending of one subject, bursts of mailbox
//! synchronisation (`MailItemsAccessed` with `Sync`). Counts are per account over a
//! sliding window; a burst that goes on makes several drafts that grouping merges.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use mailcase_model::{Account, Action, Confidence, Event, EventId, Indicator, IndicatorKind, Localized, Severity};

use super::grouping::Draft;
use super::state::{AccountState, Ctx};

/// Entries kept per window: beyond it the oldest go (the count is then a lower bound).
const MAX_ENTRIES: usize = 5_000;
/// Sending is counted over one hour: spam runs are slower than deletions.
const SEND_WINDOW: TimeDelta = TimeDelta::hours(1);

/// An event and its time.
type Stamped = (EventId, DateTime<Utc>);

#[derive(Clone, Debug, Default)]
struct Window {
    items: VecDeque<(EventId, DateTime<Utc>, u64)>,
    total: u64,
}

impl Window {
    /// Adds `count` at the event's time; returns the window's events when the total
    /// reaches `threshold` (and starts over).
    fn push(&mut self, event: &Event, count: u64, window: TimeDelta, threshold: u64) -> Option<(Vec<Stamped>, u64)> {
        while let Some((_, t, n)) = self.items.front().copied() {
            if event.time - t <= window && self.items.len() < MAX_ENTRIES {
                break;
            }
            self.items.pop_front();
            self.total = self.total.saturating_sub(n);
        }
        self.items.push_back((event.id, event.time, count));
        self.total = self.total.saturating_add(count);
        if self.total < threshold {
            return None;
        }
        let total = self.total;
        self.total = 0;
        Some((self.items.drain(..).map(|(id, t, _)| (id, t)).collect(), total))
    }
}

/// Recent bulk activity of one account.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bursts {
    deletions: Window,
    syncs: Window,
    /// Sent messages: id, time, subject (lower case), message id.
    sends: VecDeque<(EventId, DateTime<Utc>, String, Option<String>)>,
}

/// Looks at mail deleted, accessed, sent or traced from the account.
pub(crate) fn check(state: &mut AccountState, account: &Account, event: &Event, ctx: &mut Ctx<'_>) {
    let cfg = ctx.cfg;
    match &event.action {
        Action::MailDeleted(d) => {
            if let Some((events, n)) = state.bursts.deletions.push(event, d.count.max(1), cfg.burst_window, cfg.mass_delete_count) {
                let mins = cfg.burst_window.num_minutes();
                let text = Localized::new(
                    format!("{n} messages of {account} deleted within {mins} minutes: an attacker erasing traces or the replies of a fraud."),
                    format!("{n} messages de {account} supprimés en {mins} minutes : un attaquant effaçant ses traces ou les réponses à une fraude."),
                );
                emit(ctx, "mc-mass-deletion", account, (Severity::Medium, Confidence::Low), text, events, Vec::new());
            }
        }
        Action::MailAccessed(a) if a.access_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("sync")) => {
            if let Some((events, n)) = state.bursts.syncs.push(event, a.count.max(1), cfg.burst_window, cfg.mail_sync_items) {
                let mins = cfg.burst_window.num_minutes();
                let text = Localized::new(
                    format!("{n} items of {account} synchronised within {mins} minutes (MailItemsAccessed, Sync): the mailbox may have been downloaded."),
                    format!("{n} éléments de {account} synchronisés en {mins} minutes (MailItemsAccessed, Sync) : la boîte a pu être téléchargée."),
                );
                emit(ctx, "mc-mail-access-burst", account, (Severity::Medium, Confidence::Medium), text, events, Vec::new());
            }
        }
        Action::MailSent(m) => sent(state, account, event, m.subject.as_deref(), m.message_id.as_deref(), ctx),
        Action::MessageTrace(t) if t.sender.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(account.as_str())) => {
            sent(state, account, event, t.subject.as_deref(), t.message_id.as_deref(), ctx);
        }
        _ => {}
    }
}

fn sent(state: &mut AccountState, account: &Account, event: &Event, subject: Option<&str>, message_id: Option<&str>, ctx: &mut Ctx<'_>) {
    let Some(subject) = subject.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()) else { return };
    let sends = &mut state.bursts.sends;
    while sends.front().is_some_and(|(_, t, _, _)| event.time - *t > SEND_WINDOW) || sends.len() >= MAX_ENTRIES {
        sends.pop_front();
    }
    // A message trace has one row per recipient: a message counts once.
    if message_id.is_some() && sends.iter().any(|(_, _, _, m)| m.as_deref() == message_id) {
        return;
    }
    sends.push_back((event.id, event.time, subject.clone(), message_id.map(str::to_owned)));
    let same = sends.iter().filter(|(_, _, s, _)| *s == subject).count();
    if same < ctx.cfg.mass_send_same_subject {
        return;
    }
    let events: Vec<_> = sends.iter().filter(|(_, _, s, _)| *s == subject).map(|(id, t, _, _)| (*id, *t)).collect();
    sends.retain(|(_, _, s, _)| *s != subject);
    let shown: String = subject.chars().take(120).collect();
    let text = Localized::new(
        format!("{same} messages with the subject {shown:?} sent from {account} within an hour: spam or phishing from the mailbox."),
        format!("{same} messages d'objet {shown:?} envoyés depuis {account} en une heure : pourriel ou hameçonnage depuis la boîte."),
    );
    let ind = vec![Indicator { kind: IndicatorKind::Subject, value: subject.chars().take(300).collect() }];
    emit(ctx, "mc-mass-sending", account, (Severity::High, Confidence::Medium), text, events, ind);
}

fn emit(ctx: &mut Ctx<'_>, rule: &'static str, account: &Account, level: (Severity, Confidence), text: Localized, events: Vec<Stamped>, indicators: Vec<Indicator>) {
    let mut d = Draft::new(rule, Some(account.clone()), "", level, text);
    d.events = events;
    d.indicators = indicators;
    ctx.out.push(d);
}
