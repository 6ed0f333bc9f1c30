//! Each account's usual countries, networks, user agents, client apps and hours, learned
//! from its own successful sign-ins; and the findings for a new country, a new network
//! or a hosting network once the learning period is over.
//!
//! Learning lasts [`AnalyticsConfig::learning_period`] from the first successful sign-in
//! and needs [`AnalyticsConfig::learning_min_sign_ins`] sign-ins. After it, countries and
//! networks are no longer added: a value that was new stays reported (once, with every
//! event that used it), so an attacker's repeated use cannot make itself usual.

use chrono::{DateTime, Timelike, Utc};
use mailcase_model::{Account, Confidence, Event, Indicator, IndicatorKind, Localized, Severity};

use super::config::AnalyticsConfig;
use super::grouping::{Draft, Merge};
use super::net::NetView;
use super::state::{AccountState, Ctx, Suspicion};

/// Most distinct values kept per kind.
const MAX_VALUES: usize = 64;

/// What an account usually looks like.
#[derive(Clone, Debug, Default)]
pub(crate) struct Baseline {
    start: Option<DateTime<Utc>>,
    sign_ins: u32,
    countries: Vec<String>,
    networks: Vec<(u32, String)>,
    user_agents: Vec<String>,
    client_apps: Vec<String>,
    hours: [u32; 24],
}

fn remember<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if list.len() < MAX_VALUES && !list.contains(&value) {
        list.push(value);
    }
}

impl Baseline {
    pub(crate) fn learned(&self, now: DateTime<Utc>, cfg: &AnalyticsConfig) -> bool {
        self.start.is_some_and(|s| now - s >= cfg.learning_period)
            && self.sign_ins >= cfg.learning_min_sign_ins
    }

    pub(crate) fn knows_country(&self, country: &str) -> bool {
        self.countries.iter().any(|c| c == country)
    }

    pub(crate) fn knows_asn(&self, asn: u32) -> bool {
        self.networks.iter().any(|(a, _)| *a == asn)
    }

    fn learn(&mut self, event: &Event, view: &NetView, learning: bool) {
        self.start.get_or_insert(event.time);
        self.sign_ins = self.sign_ins.saturating_add(1);
        if let Some(slot) = self.hours.get_mut(event.time.hour() as usize) {
            *slot = slot.saturating_add(1);
        }
        if let Some(ua) = event.client.user_agent.as_deref().filter(|u| !u.is_empty()) {
            remember(&mut self.user_agents, ua.chars().take(300).collect());
        }
        if let mailcase_model::Action::SignIn(s) = &event.action
            && let Some(app) = s.client_app.as_deref()
        {
            remember(&mut self.client_apps, app.to_owned());
        }
        if !learning || !view.external || view.travel_ignored {
            return;
        }
        if let Some(c) = &view.country {
            remember(&mut self.countries, c.clone());
        }
        if let Some(asn) = view.asn {
            remember(&mut self.networks, (asn, view.network_label()));
        }
    }

    fn usual(&self) -> (String, String, String) {
        let countries = if self.countries.is_empty() { "none known".to_owned() } else { self.countries.join(", ") };
        let networks = if self.networks.is_empty() {
            "none known".to_owned()
        } else {
            self.networks.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("; ")
        };
        let used: Vec<usize> = (0..24).filter(|h| self.hours.get(*h).is_some_and(|n| *n > 0)).collect();
        let hours = match (used.first(), used.last()) {
            (Some(a), Some(b)) => format!("{a:02}:00-{b:02}:59 UTC"),
            _ => "unknown".to_owned(),
        };
        (countries, networks, hours)
    }

    fn knows_user_agent(&self, event: &Event) -> bool {
        event.client.user_agent.as_deref().is_none_or(|ua| {
            ua.is_empty() || self.user_agents.iter().any(|u| ua.starts_with(u.as_str()))
        })
    }
}

/// Checks a successful sign-in against the account's baseline, then learns from it.
pub(crate) fn check(state: &mut AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    let learned = state.baseline.learned(event.time, ctx.cfg);
    if learned && view.external && !view.travel_ignored {
        judge(state, account, event, view, ctx);
    }
    state.baseline.learn(event, view, !learned);
}

fn judge(state: &mut AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    let b = &state.baseline;
    let new_country = view.country.as_ref().filter(|c| !b.countries.contains(c)).cloned();
    let new_asn = view.asn.filter(|a| !b.knows_asn(*a));
    let context = context(b, event);
    let mut why = None;
    if let Some(country) = &new_country {
        let sev = if view.hosting { Severity::High } else { Severity::Medium };
        let text = Localized::new(
            format!("Successful sign-in of {account} from {}, a country never seen for this account during learning. {}", view.describe(), context.en),
            format!("Connexion réussie de {account} depuis {}, un pays jamais vu pour ce compte pendant l'apprentissage. {}", view.describe(), context.fr),
        );
        push(ctx, "mc-new-country", account, country, (sev, Confidence::Medium), text, event, view);
        why = Some(Localized::new(format!("sign-in from a new country ({country})"), format!("connexion depuis un nouveau pays ({country})")));
    }
    if let Some(asn) = new_asn.filter(|_| view.hosting) {
        let text = Localized::new(
            format!("Successful sign-in of {account} from {}, a hosting or VPN network this account never used. {}", view.describe(), context.en),
            format!("Connexion réussie de {account} depuis {}, un hébergeur ou VPN jamais utilisé par ce compte. {}", view.describe(), context.fr),
        );
        push(ctx, "mc-hosting-asn", account, &asn.to_string(), (Severity::Medium, Confidence::Medium), text, event, view);
        why.get_or_insert_with(|| Localized::new(format!("sign-in from a hosting network ({})", view.network_label()), format!("connexion depuis un hébergeur ({})", view.network_label())));
    } else if let Some(asn) = new_asn.filter(|_| new_country.is_none()) {
        let text = Localized::new(
            format!("Successful sign-in of {account} from {}, a network never seen for this account during learning. {}", view.describe(), context.en),
            format!("Connexion réussie de {account} depuis {}, un réseau jamais vu pour ce compte pendant l'apprentissage. {}", view.describe(), context.fr),
        );
        push(ctx, "mc-new-asn", account, &asn.to_string(), (Severity::Low, Confidence::Low), text, event, view);
    }
    if let Some(why) = why {
        state.suspect(Suspicion { time: event.time, event: event.id, ip: view.ip, asn: view.asn, session: event.client.session_id.clone(), why });
    }
}

fn context(b: &Baseline, event: &Event) -> Localized {
    let (countries, networks, hours) = b.usual();
    let ua_new = !b.knows_user_agent(event);
    let ua = event.client.user_agent.as_deref().unwrap_or("-");
    Localized::new(
        format!("Usual countries: {countries}. Usual networks: {networks}. Usual hours: {hours}. User agent {ua:?}{}.", if ua_new { " (new for this account)" } else { "" }),
        format!("Pays habituels : {countries}. Réseaux habituels : {networks}. Heures habituelles : {hours}. Agent utilisateur {ua:?}{}.", if ua_new { " (nouveau pour ce compte)" } else { "" }),
    )
}

#[allow(clippy::too_many_arguments)]
fn push(ctx: &mut Ctx<'_>, rule: &'static str, account: &Account, subject: &str, level: (Severity, Confidence), text: Localized, event: &Event, view: &NetView) {
    let mut d = Draft::new(rule, Some(account.clone()), subject, level, text);
    d.merge = Merge::Always;
    d.events.push((event.id, event.time));
    d.indicators = net_indicators(view);
    ctx.out.push(d);
}

/// The address and network of a sign-in, as indicators.
pub(crate) fn net_indicators(view: &NetView) -> Vec<Indicator> {
    let mut v = Vec::new();
    if let Some(ip) = view.ip.filter(|_| view.external) {
        v.push(Indicator { kind: IndicatorKind::Ip, value: ip.to_string() });
    }
    if let Some(asn) = view.asn.filter(|_| view.hosting) {
        v.push(Indicator { kind: IndicatorKind::Asn, value: asn.to_string() });
    }
    v
}
