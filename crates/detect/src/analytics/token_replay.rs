//! Token replay: one session id used from two networks (different AS numbers) within
//! [`AnalyticsConfig::token_replay_window`], where at least one of the networks is not
//! among the account's usual ones (so a laptop moving from the office to home is not
//! reported once the baseline knows both).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use mailcase_model::{Account, Confidence, Event, EventId, Localized, Severity};

use super::baseline::net_indicators;
use super::grouping::{Draft, Merge};
use super::net::NetView;
use super::state::{AccountState, Ctx, Suspicion};

/// Sessions remembered per account.
const MAX_SESSIONS: usize = 256;
/// Networks remembered per session.
const MAX_USES: usize = 8;

#[derive(Clone, Debug)]
struct Use {
    time: DateTime<Utc>,
    asn: u32,
    country: Option<String>,
    event: EventId,
    place: String,
}

/// Recent sessions of one account and the networks that used them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sessions {
    by_id: HashMap<String, Vec<Use>>,
}

impl Sessions {
    fn forget_old(&mut self, now: DateTime<Utc>, window: TimeDelta) {
        if self.by_id.len() < MAX_SESSIONS {
            return;
        }
        self.by_id.retain(|_, uses| uses.iter().any(|u| now - u.time <= window));
        // Still full: these are sessions used within the window; drop the oldest.
        while self.by_id.len() >= MAX_SESSIONS {
            let oldest = self
                .by_id
                .iter()
                .min_by_key(|(_, u)| u.iter().map(|x| x.time).max())
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.by_id.remove(&k),
                None => break,
            };
        }
    }
}

/// Looks at any event carrying a session id.
pub(crate) fn check(state: &mut AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    let Some(session) = event.client.session_id.as_deref().filter(|s| !s.trim().is_empty()) else { return };
    let Some(asn) = view.asn.filter(|_| view.external && !view.travel_ignored) else { return };
    let window = ctx.cfg.token_replay_window;
    state.sessions.forget_old(event.time, window);
    let learned = state.baseline.learned(event.time, ctx.cfg);
    let unusual = |a: u32| !learned || !state.baseline.knows_asn(a);
    let uses = state.sessions.by_id.entry(session.chars().take(200).collect()).or_default();
    uses.retain(|u| event.time - u.time <= window);
    let other = uses.iter().find(|u| u.asn != asn && (unusual(u.asn) || unusual(asn))).cloned();
    uses.retain(|u| u.asn != asn);
    if uses.len() >= MAX_USES {
        uses.remove(0);
    }
    uses.push(Use { time: event.time, asn, country: view.country.clone(), event: event.id, place: view.describe() });
    let Some(prev) = other else { return };
    // Both networks in countries the account signs in from (an office and a phone
    // carrier, say): worth a look, not proof; it does not start a chain.
    let at_home = learned
        && [prev.country.as_deref(), view.country.as_deref()]
            .iter()
            .all(|c| c.is_some_and(|c| state.baseline.knows_country(c)));
    let minutes = (event.time - prev.time).num_minutes();
    let text = Localized::new(
        format!("Session {session} of {account} was used from {} and, {minutes} minutes later, from {}: another network. A session stolen by a phishing proxy or an information stealer is replayed this way.", prev.place, view.describe()),
        format!("La session {session} de {account} a été utilisée depuis {} puis, {minutes} minutes plus tard, depuis {} : un autre réseau. C'est ainsi qu'est rejouée une session volée par un proxy d'hameçonnage ou un voleur d'informations.", prev.place, view.describe()),
    );
    let level = if at_home { (Severity::Medium, Confidence::Low) } else { (Severity::High, Confidence::High) };
    let mut d = Draft::new("mc-token-replay", Some(account.clone()), session, level, text);
    d.merge = Merge::Always;
    d.events = vec![(prev.event, prev.time), (event.id, event.time)];
    d.indicators = net_indicators(view);
    d.indicators.push(mailcase_model::Indicator { kind: mailcase_model::IndicatorKind::SessionId, value: session.to_owned() });
    ctx.out.push(d);
    // Only a sign-in is a "suspicious sign-in" for the chains, which cite it.
    if at_home || !matches!(event.action, mailcase_model::Action::SignIn(_)) {
        return;
    }
    let why = Localized::new("session replayed from another network", "session rejouée depuis un autre réseau");
    state.suspect(Suspicion { time: event.time, event: event.id, ip: view.ip, asn: view.asn, session: Some(session.to_owned()), why });
}
