//! Sign-ins whose client gives them away (`data/sign_in_signals.toml`): adversary-in-the-
//! middle kits (scripted HTTP user agent on OfficeHome or the Authentication Broker),
//! password-only ROPC tools (`BAV2ROPC`...), the device-code flow, legacy protocols.

use mailcase_model::{Account, Action, Confidence, Event, Localized, Severity};

use super::baseline::net_indicators;
use super::grouping::{Draft, Merge};
use super::net::NetView;
use super::state::{AccountState, Ctx, Suspicion};

struct Hit {
    rule: &'static str,
    level: (Severity, Confidence),
    en: String,
    fr: String,
    suspicious: bool,
}

fn classify(event: &Event, ctx: &Ctx<'_>) -> Option<Hit> {
    let s = &ctx.catalog.signals;
    let ua = event.client.user_agent.as_deref().unwrap_or_default().trim().to_lowercase();
    let app = event.client.app_id.as_deref().unwrap_or_default().trim().to_lowercase();
    let (client_app, protocol) = match &event.action {
        Action::SignIn(si) => (
            si.client_app.as_deref().unwrap_or_default().trim().to_lowercase(),
            si.auth_protocol.as_deref().unwrap_or_default().trim().to_lowercase(),
        ),
        _ => return None,
    };
    let ua_shown = event.client.user_agent.as_deref().unwrap_or("-");
    let scripted = !ua.is_empty() && s.aitm_user_agents.iter().any(|p| ua.starts_with(p.as_str()));
    if scripted {
        let kit_app = s.aitm_app_ids.contains(&app);
        let level = if kit_app { (Severity::High, Confidence::High) } else { (Severity::Medium, Confidence::Low) };
        return Some(Hit {
            rule: "mc-aitm-sign-in",
            level,
            en: format!("User agent {ua_shown:?} is a scripting library, not a browser{}.", if kit_app { ", signing in to OfficeHome or the Authentication Broker as phishing proxies do" } else { "" }),
            fr: format!("L'agent utilisateur {ua_shown:?} est une bibliothèque de script, pas un navigateur{}.", if kit_app { ", connecté à OfficeHome ou au courtier d'authentification comme le font les proxys d'hameçonnage" } else { "" }),
            suspicious: true,
        });
    }
    if s.ropc_user_agents.iter().any(|p| ua.starts_with(p.as_str())) || protocol == "ropc" {
        return Some(Hit {
            rule: "mc-ropc-sign-in",
            level: (Severity::Medium, Confidence::Medium),
            en: format!("Password-only sign-in (ROPC flow, user agent {ua_shown:?}), as password-spray tools do; it bypasses interactive MFA prompts."),
            fr: format!("Connexion par mot de passe seul (flux ROPC, agent utilisateur {ua_shown:?}), comme le font les outils de pulvérisation ; elle contourne les invites MFA interactives."),
            suspicious: true,
        });
    }
    if s.device_code_protocols.contains(&protocol) {
        return Some(Hit {
            rule: "mc-device-code-sign-in",
            level: (Severity::Medium, Confidence::Medium),
            en: "Sign-in with the device-code flow, abused by device-code phishing; legitimate on shared devices without a keyboard.".to_owned(),
            fr: "Connexion par le flux « code d'appareil », détourné par l'hameçonnage par code d'appareil ; légitime sur des appareils partagés sans clavier.".to_owned(),
            suspicious: true,
        });
    }
    let native = s.native_protocol_sources.iter().any(|n| n == event.source.as_str());
    if s.legacy_client_apps.contains(&client_app) && !native {
        return Some(Hit {
            rule: "mc-legacy-protocol",
            level: (Severity::Low, Confidence::Low),
            en: format!("Sign-in with the legacy client {client_app:?}, which cannot do MFA: a password alone opens the mailbox."),
            fr: format!("Connexion par le client ancien {client_app:?}, incapable de MFA : un mot de passe seul ouvre la boîte."),
            suspicious: false,
        });
    }
    None
}

/// Checks one sign-in (successful, or an interrupted device-code flow).
pub(crate) fn check(state: &mut AccountState, account: &Account, event: &Event, view: &NetView, ctx: &mut Ctx<'_>) {
    let failed_device_code = event
        .outcome
        .code()
        .is_some_and(|c| ctx.catalog.signals.device_code_error_codes.contains(&c.trim().to_lowercase()));
    let hit = if failed_device_code {
        Some(Hit {
            rule: "mc-device-code-sign-in",
            level: (Severity::Low, Confidence::Low),
            en: "Device-code flow started and interrupted (error 50199).".to_owned(),
            fr: "Flux « code d'appareil » commencé puis interrompu (erreur 50199).".to_owned(),
            suspicious: false,
        })
    } else if event.outcome == mailcase_model::Outcome::Success {
        classify(event, ctx)
    } else {
        None
    };
    let Some(hit) = hit else { return };
    let text = Localized::new(
        format!("{account} from {}: {}", view.describe(), hit.en),
        format!("{account} depuis {} : {}", view.describe(), hit.fr),
    );
    let subject = event.client.user_agent.clone().unwrap_or_default().chars().take(200).collect::<String>();
    let mut d = Draft::new(hit.rule, Some(account.clone()), subject, hit.level, text);
    d.merge = Merge::Always;
    d.events.push((event.id, event.time));
    d.indicators = net_indicators(view);
    if hit.suspicious && let Some(ua) = event.client.user_agent.as_deref().filter(|u| !u.is_empty()) {
        d.indicators.push(mailcase_model::Indicator { kind: mailcase_model::IndicatorKind::UserAgent, value: ua.chars().take(300).collect() });
    }
    ctx.out.push(d);
    if hit.suspicious {
        let title = ctx.catalog.rule(hit.rule).map_or_else(|| Localized::new(hit.rule, hit.rule), |m| Localized::new(m.en.to_lowercase(), m.fr.to_lowercase()));
        state.suspect(Suspicion { time: event.time, event: event.id, ip: view.ip, asn: view.asn, session: event.client.session_id.clone(), why: title });
    }
}
