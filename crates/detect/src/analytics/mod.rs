//! Stateful analytics per account, over events given in time order (geo already
//! enriched). Memory is bounded by the number of accounts (and spraying addresses) times
//! fixed caps, never by the number of events.
//!
//! | rule id | what | default severity / confidence |
//! |---|---|---|
//! | `mc-new-country` | successful sign-in from a country not seen while learning | medium / medium (high from a hosting network) |
//! | `mc-new-asn` | ... from a new network in a known country | low / low |
//! | `mc-hosting-asn` | ... from a hosting or VPN network never used | medium / medium |
//! | `mc-impossible-travel` | two successive sign-ins too far apart for the time | medium / medium (high from hosting) |
//! | `mc-brute-force-success` | failures of one account, then a success | high / medium |
//! | `mc-brute-force-attempt` | failures of one account (or without account) from one address, no success from it | medium / medium |
//! | `mc-password-spray` | one address failing against many accounts | medium / high; high / medium with a success |
//! | `mc-token-replay` | one session from two networks within minutes | high / high |
//! | `mc-aitm-sign-in` | scripted user agent on OfficeHome / Authentication Broker | high / high (medium / low without the app) |
//! | `mc-ropc-sign-in` | password-only ROPC sign-in (`BAV2ROPC`...) | medium / medium |
//! | `mc-device-code-sign-in` | device-code flow | medium / medium |
//! | `mc-legacy-protocol` | IMAP, POP, SMTP, ActiveSync, "Other clients"... (not on Dovecot, Postfix, Zimbra) | low / low |
//! | `mc-rule-after-suspicious-sign-in`, `mc-forwarding-...`, `mc-mfa-...`, `mc-consent-...` | change within 24 h of a suspicious sign-in | high (critical when hiding, forwarding outside or reading mail) / high from the same source, else medium |
//! | `mc-mass-submission` | many messages or recipients sent by one account within an hour | high / medium |
//! | `mc-mass-deletion`, `mc-mass-sending`, `mc-mail-access-burst` | bulk mail activity | see [`AnalyticsConfig`] |
//! | `mc-imap-aggregator` | mail aggregator service: policy risk, not an attacker | low (medium for services under a jurisdiction the sources warn about) |
//!
//! A sign-in is *suspicious* (for the chains) when it raised a new country, hosting
//! network, impossible travel, brute force, spray success, token replay, AiTM, ROPC or
//! device-code finding.

mod aggregator;
mod attempts;
mod baseline;
mod bursts;
pub mod catalog;
mod chain;
mod config;
mod credentials;
mod grouping;
mod net;
mod risky_client;
mod state;
mod submission;
mod token_replay;
mod travel;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mailcase_model::{Account, Action, Event, Finding, Outcome};

pub use catalog::{Catalog, DataError, QualificationItem, qualification_items};
pub use config::AnalyticsConfig;

use grouping::{Draft, Grouper};
use net::NetView;
use state::{AccountState, Ctx};

/// The analytics' state over a stream of events.
pub struct Analytics {
    cfg: AnalyticsConfig,
    catalog: &'static Catalog,
    accounts: HashMap<Account, AccountState>,
    spray: credentials::SprayTracker,
    attempts: attempts::AttemptTracker,
    submissions: submission::SubmissionTracker,
    groups: Grouper,
    last_sweep: Option<DateTime<Utc>>,
    drafts: Vec<Draft>,
}

impl Analytics {
    /// Analytics with these settings and the embedded data files.
    pub fn new(cfg: AnalyticsConfig) -> Self {
        Analytics {
            cfg,
            catalog: Catalog::get(),
            accounts: HashMap::new(),
            spray: credentials::SprayTracker::default(),
            attempts: attempts::AttemptTracker::default(),
            submissions: submission::SubmissionTracker::default(),
            groups: Grouper::default(),
            last_sweep: None,
            drafts: Vec::new(),
        }
    }

    /// Reads one event. Events must come in time order; a late one is still read, and
    /// only the windows it falls outside of miss it.
    pub fn feed(&mut self, event: &Event) {
        self.maybe_sweep(event.time);
        if let Some(account) = &event.account {
            let view = NetView::of(event, &self.cfg, self.catalog);
            let state = self.accounts.entry(account.clone()).or_default();
            let mut ctx = Ctx { cfg: &self.cfg, catalog: self.catalog, out: &mut self.drafts };
            let late = if let Some(service) = net::aggregator(event, &view, self.catalog) {
                aggregator::observe(&mut state.aggregator, service, event, &view);
                Vec::new()
            } else {
                self.attempts.observe(Some(account), event, &view, &mut ctx);
                self.submissions.observe(account, event, &view, &mut ctx);
                read(state, &mut self.spray, account, event, &view, &mut ctx)
            };
            for (other, suspicion) in late {
                self.accounts.entry(other).or_default().suspect(suspicion);
            }
        } else if attempts::is_failed_sign_in(event) {
            // No user name logged (Postfix SASL, Exchange SMTP 535): the address still counts.
            let view = NetView::of(event, &self.cfg, self.catalog);
            let mut ctx = Ctx { cfg: &self.cfg, catalog: self.catalog, out: &mut self.drafts };
            self.attempts.observe(None, event, &view, &mut ctx);
        }
        self.flush_drafts();
    }

    /// Closes every window and returns the findings, in time order.
    pub fn finish(mut self) -> Vec<Finding> {
        let mut ctx = Ctx { cfg: &self.cfg, catalog: self.catalog, out: &mut self.drafts };
        self.spray.sweep(None, &mut ctx);
        self.attempts.sweep(None, &mut ctx);
        self.submissions.sweep(None, &mut ctx);
        let seen: Vec<(Account, aggregator::AggregatorSeen)> = self
            .accounts
            .drain()
            .filter_map(|(a, s)| s.aggregator.map(|g| (a, g)))
            .collect();
        aggregator::report(seen, &mut ctx);
        self.flush_drafts();
        self.groups.finish()
    }

    fn flush_drafts(&mut self) {
        for d in self.drafts.drain(..) {
            self.groups.add(d, self.cfg.group_gap, self.catalog);
        }
    }

    /// Closes quiet bursts and sprays once per grouping gap of event time.
    fn maybe_sweep(&mut self, now: DateTime<Utc>) {
        let due = self.last_sweep.is_none_or(|t| now - t >= self.cfg.group_gap);
        if !due {
            return;
        }
        self.last_sweep = Some(now);
        let mut ctx = Ctx { cfg: &self.cfg, catalog: self.catalog, out: &mut self.drafts };
        self.spray.sweep(Some(now), &mut ctx);
        self.attempts.sweep(Some(now), &mut ctx);
        self.submissions.sweep(Some(now), &mut ctx);
        self.flush_drafts();
        self.groups.sweep(now, self.cfg.group_gap);
    }
}

/// Runs the analytics that apply to one event of one account. Returns the other
/// accounts that this event made suspicious (earlier successes of a spraying address).
fn read(state: &mut AccountState, spray: &mut credentials::SprayTracker, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) -> Vec<(Account, state::Suspicion)> {
    token_replay::check(state, account, event, view, ctx);
    match &event.action {
        Action::SignIn(_) => return sign_in(state, spray, account, event, view, ctx),
        Action::InboxRule(_) | Action::Forwarding(_) | Action::MfaMethod { .. } | Action::AppConsent(_) => {
            chain::check(state, account, event, view, ctx);
        }
        _ => bursts::check(state, account, event, ctx),
    }
    Vec::new()
}

fn sign_in(state: &mut AccountState, spray: &mut credentials::SprayTracker, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) -> Vec<(Account, state::Suspicion)> {
    risky_client::check(state, account, event, view, ctx);
    match event.outcome {
        Outcome::Failure { .. } if credentials::is_credential_failure(event, ctx) => {
            state.failures.push(event, ctx.cfg.failure_window);
            return spray.failure(account, event, view, ctx);
        }
        Outcome::Success => {
            credentials::brute_force(state, account, event, view, ctx);
            if spray.success(account, event, view, ctx) {
                state.suspect(credentials::spray_suspicion(event, view));
            }
            baseline::check(state, account, event, view, ctx);
            travel::check(state, account, event, view, ctx);
        }
        _ => {}
    }
    Vec::new()
}
