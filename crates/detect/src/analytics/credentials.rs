//! Password guessing: many failures of one account then a success (brute force), and one
//! address failing against many accounts (spray), with its success if any. Only failures
//! that mean a wrong or refused credential count (`credential_failure_codes` in
//! `data/sign_in_signals.toml`), and failures without a code.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use mailcase_model::{
    Account, Confidence, Event, EventId, Indicator, IndicatorKind, Localized, Severity,
};

use super::baseline::net_indicators;
use super::grouping::{Draft, MAX_EVENTS};
use super::net::NetView;
use super::state::{AccountState, Ctx, Suspicion};

/// Failures kept per account: enough for any threshold worth setting.
const MAX_FAILURES: usize = 256;
/// Accounts remembered per spraying address.
const MAX_TARGETS: usize = 10_000;

/// Whether a failed sign-in is a credential failure.
pub(crate) fn is_credential_failure(event: &Event, ctx: &Ctx<'_>) -> bool {
    match event.outcome.code() {
        None => true,
        Some(code) => ctx.catalog.signals.credential_failure_codes.contains(&code.trim().to_lowercase()),
    }
}

/// Recent credential failures of one account.
#[derive(Clone, Debug, Default)]
pub(crate) struct Failures {
    recent: VecDeque<(EventId, DateTime<Utc>)>,
}

impl Failures {
    pub(crate) fn push(&mut self, event: &Event, window: TimeDelta) {
        self.prune(event.time, window);
        if self.recent.len() >= MAX_FAILURES {
            self.recent.pop_front();
        }
        self.recent.push_back((event.id, event.time));
    }

    fn prune(&mut self, now: DateTime<Utc>, window: TimeDelta) {
        while self.recent.front().is_some_and(|(_, t)| now - *t > window) {
            self.recent.pop_front();
        }
    }
}

/// On a successful sign-in: were there enough failures just before?
pub(crate) fn brute_force(state: &mut AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    state.failures.prune(event.time, ctx.cfg.failure_window);
    let n = state.failures.recent.len();
    if n < ctx.cfg.brute_force_failures {
        state.failures.recent.clear();
        return;
    }
    let mins = ctx.cfg.failure_window.num_minutes();
    let text = Localized::new(
        format!("{n} failed sign-ins of {account} within {mins} minutes, then a successful sign-in from {}.", view.describe()),
        format!("{n} échecs de connexion de {account} en {mins} minutes, puis une connexion réussie depuis {}.", view.describe()),
    );
    let mut d = Draft::new("mc-brute-force-success", Some(account.clone()), "", (Severity::High, Confidence::Medium), text);
    d.events = state.failures.recent.drain(..).collect();
    d.events.push((event.id, event.time));
    d.indicators = net_indicators(view);
    ctx.out.push(d);
    let why = Localized::new("failed sign-ins then a success", "échecs de connexion puis un succès");
    state.suspect(Suspicion { time: event.time, event: event.id, ip: view.ip, asn: view.asn, session: event.client.session_id.clone(), why });
}

/// What one address did against the organisation's accounts.
struct Spray {
    last: DateTime<Utc>,
    place: String,
    indicators: Vec<Indicator>,
    targets: Vec<Account>,
    codes: Vec<String>,
    events: Vec<(EventId, DateTime<Utc>)>,
    successes: Vec<Account>,
    /// Suspicions of the successes, for when the address crosses the threshold later.
    marks: Vec<(Account, Suspicion)>,
    dropped: usize,
}

impl Spray {
    /// Failures against enough accounts, and few successes: a busy shared address
    /// (office egress, proxy, carrier NAT) also sees typos from many users, but mostly
    /// successful sign-ins; a spraying address rarely succeeds.
    fn is_spraying(&self, min_accounts: usize) -> bool {
        self.targets.len() >= min_accounts && self.successes.len() <= (self.targets.len() / 2).max(2)
    }

    fn record(&mut self, event: &Event) {
        self.last = self.last.max(event.time);
        if self.events.len() < MAX_EVENTS {
            self.events.push((event.id, event.time));
        } else {
            self.dropped += 1;
        }
    }
}

/// Failures per source address, across accounts.
#[derive(Default)]
pub(crate) struct SprayTracker {
    by_ip: HashMap<IpAddr, Spray>,
}

impl SprayTracker {
    /// A credential failure. Returns the accounts whose earlier success from this address
    /// became suspicious now that the address counts as spraying.
    pub(crate) fn failure(&mut self, account: &Account, event: &Event, view: &NetView, ctx: &Ctx<'_>) -> Vec<(Account, Suspicion)> {
        let Some(ip) = view.ip.filter(|_| view.external) else { return Vec::new() };
        let spray = self.by_ip.entry(ip).or_insert_with(|| Spray {
            last: event.time,
            place: view.describe(),
            indicators: net_indicators(view),
            targets: Vec::new(),
            codes: Vec::new(),
            events: Vec::new(),
            successes: Vec::new(),
            marks: Vec::new(),
            dropped: 0,
        });
        spray.record(event);
        let code = event.outcome.code().unwrap_or("?").chars().take(32).collect::<String>();
        if spray.codes.len() < 16 && !spray.codes.contains(&code) {
            spray.codes.push(code);
        }
        let before = spray.targets.len();
        if before < MAX_TARGETS && !spray.targets.contains(account) {
            spray.targets.push(account.clone());
        }
        let crossed = before < ctx.cfg.spray_min_accounts && spray.is_spraying(ctx.cfg.spray_min_accounts);
        if crossed { std::mem::take(&mut spray.marks) } else { Vec::new() }
    }

    /// A successful sign-in. Returns whether it comes from an address spraying now.
    pub(crate) fn success(&mut self, account: &Account, event: &Event, view: &NetView, ctx: &Ctx<'_>) -> bool {
        let Some(spray) = view.ip.and_then(|ip| self.by_ip.get_mut(&ip)) else { return false };
        if event.time - spray.last > ctx.cfg.failure_window {
            return false;
        }
        spray.record(event);
        if !spray.successes.contains(account) && spray.successes.len() < MAX_TARGETS {
            spray.successes.push(account.clone());
        }
        let spraying = spray.is_spraying(ctx.cfg.spray_min_accounts);
        if !spraying && spray.marks.len() < MAX_TARGETS {
            spray.marks.push((account.clone(), spray_suspicion(event, view)));
        }
        spraying
    }

    /// Closes the sprays that went quiet before `now` (all of them with `None`).
    pub(crate) fn sweep(&mut self, now: Option<DateTime<Utc>>, ctx: &mut Ctx<'_>) {
        let quiet: Vec<IpAddr> = self
            .by_ip
            .iter()
            .filter(|(_, s)| now.is_none_or(|n| n - s.last > ctx.cfg.failure_window))
            .map(|(ip, _)| *ip)
            .collect();
        for ip in quiet {
            if let Some(spray) = self.by_ip.remove(&ip)
                && spray.is_spraying(ctx.cfg.spray_min_accounts)
            {
                report(ip, spray, ctx);
            }
        }
    }
}

fn report(ip: IpAddr, spray: Spray, ctx: &mut Ctx<'_>) {
    let n = spray.targets.len();
    let codes = spray.codes.join(", ");
    let won: Vec<&str> = spray.successes.iter().map(Account::as_str).collect();
    let (en_won, fr_won) = if won.is_empty() {
        ("No sign-in from this address succeeded.".to_owned(), "Aucune connexion depuis cette adresse n'a réussi.".to_owned())
    } else {
        (format!("Then a successful sign-in for: {}.", won.join(", ")), format!("Puis une connexion réussie pour : {}.", won.join(", ")))
    };
    let text = Localized::new(
        format!("{} failed to sign in to {n} accounts (error codes {codes}). {en_won}", spray.place),
        format!("{} a échoué à se connecter à {n} comptes (codes d'erreur {codes}). {fr_won}", spray.place),
    );
    let level = if won.is_empty() { (Severity::Medium, Confidence::High) } else { (Severity::High, Confidence::Medium) };
    let mut indicators = spray.indicators.clone();
    indicators.push(Indicator { kind: IndicatorKind::Ip, value: ip.to_string() });
    indicators.dedup();
    let mains: Vec<Option<Account>> =
        if spray.successes.is_empty() { vec![None] } else { spray.successes.iter().cloned().map(Some).collect() };
    for main in mains {
        let mut d = Draft::new("mc-password-spray", main.clone(), ip.to_string(), level, text.clone());
        d.events = spray.events.clone();
        d.other_accounts = spray.targets.iter().filter(|a| Some(*a) != main.as_ref()).cloned().collect();
        d.indicators = indicators.clone();
        ctx.out.push(d);
    }
}

/// Marks a success from a spraying address as suspicious.
pub(crate) fn spray_suspicion(event: &Event, view: &NetView) -> Suspicion {
    Suspicion {
        time: event.time,
        event: event.id,
        ip: view.ip,
        asn: view.asn,
        session: event.client.session_id.clone(),
        why: Localized::new(
            format!("successful sign-in from a spraying address ({})", view.describe()),
            format!("connexion réussie depuis une adresse de pulvérisation ({})", view.describe()),
        ),
    }
}
