//! The attacker's next moves: an inbox rule, mail forwarding, a new MFA method or an
//! application consent within [`AnalyticsConfig::chain_window`] after a suspicious
//! sign-in of the same account. The chain is the finding; it cites both events.

use mailcase_model::{
    Account, Action, Confidence, Event, Indicator, IndicatorKind, InboxRule, Localized, RuleChange,
    Severity,
};

use super::config::AnalyticsConfig;
use super::grouping::Draft;
use super::net::NetView;
use super::state::{AccountState, Ctx};

/// Folders attackers hide replies in (lower case), English and French.
const HIDING_FOLDERS: [&str; 12] = [
    "rss", "flux rss", "rss feeds", "rss subscriptions", "conversation history",
    "historique des conversations", "archive", "deleted items", "éléments supprimés",
    "junk", "junk email", "courrier indésirable",
];

struct Step {
    rule: &'static str,
    subject: String,
    critical: bool,
    en: String,
    fr: String,
    indicators: Vec<Indicator>,
}

fn ind(kind: IndicatorKind, value: &str) -> Indicator {
    Indicator { kind, value: value.chars().take(300).collect() }
}

fn rule_step(rule: &InboxRule, cfg: &AnalyticsConfig) -> Step {
    let name = rule.name.as_deref().unwrap_or("?");
    let external: Vec<&str> = rule.recipients().filter(|r| !cfg.is_org_address(r)).collect();
    let folder = rule.move_to_folder.as_deref().unwrap_or_default();
    let leaf = folder.rsplit(['\\', '/', ':']).next().unwrap_or(folder).trim().to_lowercase();
    let hides = rule.delete || HIDING_FOLDERS.contains(&leaf.as_str()) || (rule.mark_as_read && !folder.is_empty());
    let mut traits_en = Vec::new();
    let mut traits_fr = Vec::new();
    if !folder.is_empty() {
        traits_en.push(format!("moves mail to {folder:?}"));
        traits_fr.push(format!("déplace le courrier vers {folder:?}"));
    }
    if rule.mark_as_read {
        traits_en.push("marks it as read".to_owned());
        traits_fr.push("le marque comme lu".to_owned());
    }
    if rule.delete {
        traits_en.push("deletes it".to_owned());
        traits_fr.push("le supprime".to_owned());
    }
    if !external.is_empty() {
        traits_en.push(format!("sends it outside to {}", external.join(", ")));
        traits_fr.push(format!("l'envoie à l'extérieur vers {}", external.join(", ")));
    }
    let mut indicators = vec![ind(IndicatorKind::RuleName, name)];
    indicators.extend(external.iter().map(|r| ind(IndicatorKind::ForwardingAddress, &r.to_lowercase())));
    Step {
        rule: "mc-rule-after-suspicious-sign-in",
        subject: name.to_owned(),
        critical: hides || !external.is_empty(),
        en: format!("inbox rule {name:?} ({})", if traits_en.is_empty() { "no action logged".to_owned() } else { traits_en.join(", ") }),
        fr: format!("règle de boîte {name:?} ({})", if traits_fr.is_empty() { "aucune action journalisée".to_owned() } else { traits_fr.join(", ") }),
        indicators,
    }
}

fn step(event: &Event, cfg: &AnalyticsConfig) -> Option<Step> {
    match &event.action {
        Action::InboxRule(r) if matches!(r.change, RuleChange::Created | RuleChange::Modified | RuleChange::Enabled) => Some(rule_step(r, cfg)),
        Action::Forwarding(f) => {
            let target = f.target.as_deref()?;
            let plain = target.trim().trim_start_matches("smtp:").trim_start_matches("SMTP:").to_lowercase();
            let external = !cfg.is_org_address(&plain);
            Some(Step {
                rule: "mc-forwarding-after-suspicious-sign-in",
                subject: plain.clone(),
                critical: external,
                en: format!("forwarding of all mail to {plain}{}", if external { ", outside the organisation" } else { "" }),
                fr: format!("transfert de tout le courrier vers {plain}{}", if external { ", hors de l'organisation" } else { "" }),
                indicators: if external { vec![ind(IndicatorKind::ForwardingAddress, &plain)] } else { Vec::new() },
            })
        }
        Action::MfaMethod { added: true, method } => {
            let m = method.as_deref().unwrap_or("?");
            Some(Step {
                rule: "mc-mfa-after-suspicious-sign-in",
                subject: String::new(),
                critical: false,
                en: format!("new MFA method registered ({m}), a way back in after a password reset"),
                fr: format!("nouvelle méthode MFA enregistrée ({m}), un moyen de revenir après un changement de mot de passe"),
                indicators: Vec::new(),
            })
        }
        Action::AppConsent(c) => {
            let name = c.app_name.as_deref().or(c.app_id.as_deref()).unwrap_or("?");
            let mail = c.scopes.iter().any(|s| s.to_lowercase().starts_with("mail.") || s.eq_ignore_ascii_case("EWS.AccessAsUser.All"));
            Some(Step {
                rule: "mc-consent-after-suspicious-sign-in",
                // Audit logs name the app, the UAL gives its id: one subject for both.
                subject: String::new(),
                critical: mail,
                en: format!("consent to application {name:?} (scopes: {})", c.scopes.join(" ")),
                fr: format!("consentement à l'application {name:?} (étendues : {})", c.scopes.join(" ")),
                indicators: c.app_id.iter().map(|a| ind(IndicatorKind::AppId, a)).collect(),
            })
        }
        _ => None,
    }
}

/// Ties a change to the account's latest suspicious sign-in, when close enough.
pub(crate) fn check(state: &AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    let Some(s) = &state.suspicion else { return };
    let elapsed = event.time - s.time;
    if elapsed < chrono::TimeDelta::zero() || elapsed > ctx.cfg.chain_window {
        return;
    }
    let Some(step) = step(event, ctx.cfg) else { return };
    let same_source = (s.ip.is_some() && s.ip == view.ip)
        || (s.asn.is_some() && s.asn == view.asn)
        || (s.session.is_some() && s.session == event.client.session_id);
    let confidence = if same_source { Confidence::High } else { Confidence::Medium };
    let severity = if step.critical { Severity::Critical } else { Severity::High };
    let minutes = elapsed.num_minutes();
    let (from_en, from_fr) = if same_source {
        (" from the same source", " depuis la même source")
    } else {
        ("", "")
    };
    let text = Localized::new(
        format!("{account}: {}{from_en}, {minutes} minutes after a suspicious sign-in ({}).", step.en, s.why.en),
        format!("{account} : {}{from_fr}, {minutes} minutes après une connexion suspecte ({}).", step.fr, s.why.fr),
    );
    let mut d = Draft::new(step.rule, Some(account.clone()), step.subject, (severity, confidence), text);
    d.events = vec![(s.event, s.time), (event.id, event.time)];
    d.indicators = step.indicators;
    if let Some(ip) = view.ip.filter(|_| view.external) {
        d.indicators.push(ind(IndicatorKind::Ip, &ip.to_string()));
    }
    if let Some(ip) = s.ip {
        d.indicators.push(ind(IndicatorKind::Ip, &ip.to_string()));
    }
    d.indicators.dedup();
    ctx.out.push(d);
}
