//! Mail aggregators and IMAP proxies (`data/aggregators.toml`): a service polling the
//! mailbox from its own servers with the user's password. Their events are kept out of
//! every other analytic (they are not the user's location, nor an attacker) and end in
//! one finding of their own per account: a policy risk, explicitly not an attacker.

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use mailcase_model::{Account, Confidence, Event, EventId, Indicator, IndicatorKind, Localized, Severity};

use super::catalog::AggregatorService;
use super::grouping::{Draft, MAX_EVENTS, Merge};
use super::net::{NetView, is_mail_protocol};
use super::state::Ctx;

/// Addresses and days remembered per account.
const MAX_IPS: usize = 64;
const MAX_DAYS: usize = 4_000;

/// What one service did with one account.
#[derive(Clone, Debug)]
pub(crate) struct AggregatorSeen {
    service: String,
    risk_medium: bool,
    sources: Vec<String>,
    network: String,
    asn: Option<u32>,
    accesses: usize,
    mail_protocol: usize,
    ips: Vec<IpAddr>,
    days: Vec<NaiveDate>,
    events: Vec<(EventId, DateTime<Utc>)>,
}

/// Records one access of the service.
pub(crate) fn observe(seen: &mut Option<AggregatorSeen>, service: &AggregatorService, event: &Event, view: &NetView) {
    let s = seen.get_or_insert_with(|| AggregatorSeen {
        service: service.name.clone(),
        risk_medium: service.risk == "medium",
        sources: service.sources.clone(),
        network: view.network_label(),
        asn: view.asn,
        accesses: 0,
        mail_protocol: 0,
        ips: Vec::new(),
        days: Vec::new(),
        events: Vec::new(),
    });
    s.accesses += 1;
    if is_mail_protocol(event) {
        s.mail_protocol += 1;
    }
    if let Some(ip) = view.ip
        && s.ips.len() < MAX_IPS
        && !s.ips.contains(&ip)
    {
        s.ips.push(ip);
    }
    let day = event.time.date_naive();
    if s.days.len() < MAX_DAYS && !s.days.contains(&day) {
        s.days.push(day);
    }
    if s.events.len() < MAX_EVENTS {
        s.events.push((event.id, event.time));
    }
}

/// One finding per account polled often enough.
pub(crate) fn report(seen: Vec<(Account, AggregatorSeen)>, ctx: &mut Ctx<'_>) {
    let mut users: HashMap<String, usize> = HashMap::new();
    for (_, s) in &seen {
        *users.entry(s.service.clone()).or_default() += 1;
    }
    for (account, s) in seen {
        if s.accesses < ctx.cfg.aggregator_min_accesses {
            continue;
        }
        let shared = users.get(&s.service).copied().unwrap_or(1);
        ctx.out.push(draft(&account, s, shared));
    }
}

fn draft(account: &Account, s: AggregatorSeen, shared: usize) -> Draft {
    let ips = s.ips.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let days = s.days.len();
    let sources = s.sources.join("; ");
    let text = Localized::new(
        format!("{} ({}) accessed the mailbox of {account} {} times over {days} days from {ips}, by IMAP/POP or sync, never through the webmail; {shared} account(s) use it. The service keeps the password and a copy of the mail on its own servers: a policy risk to settle with the user, not the sign of an attacker. Its sign-ins are left out of the new-country and impossible-travel analytics. Sources: {sources}.", s.service, s.network, s.accesses),
        format!("{} ({}) a accédé à la boîte de {account} {} fois sur {days} jours depuis {ips}, en IMAP/POP ou synchronisation, jamais par le webmail ; {shared} compte(s) l'utilisent. Le service conserve le mot de passe et une copie du courrier sur ses propres serveurs : un risque de politique de sécurité à traiter avec l'utilisateur, pas le signe d'un attaquant. Ses connexions sont exclues des analyses « nouveau pays » et « déplacement impossible ». Sources : {sources}.", s.service, s.network, s.accesses),
    );
    let severity = if s.risk_medium { Severity::Medium } else { Severity::Low };
    let regular = days >= 2 && s.mail_protocol * 2 >= s.accesses;
    let confidence = if regular { Confidence::High } else { Confidence::Medium };
    let mut d = Draft::new("mc-imap-aggregator", Some(account.clone()), s.service.clone(), (severity, confidence), text);
    d.merge = Merge::Always;
    d.events = s.events;
    d.indicators = s.ips.iter().map(|ip| Indicator { kind: IndicatorKind::Ip, value: ip.to_string() }).collect();
    if let Some(asn) = s.asn {
        d.indicators.push(Indicator { kind: IndicatorKind::Asn, value: asn.to_string() });
    }
    d
}
