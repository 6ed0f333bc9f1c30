//! One-line descriptions of actions, in the user's language, for the timeline.
//!
//! Details come from evidence and are attacker-written (rule names, subjects): they are
//! quoted here and escaped where rendered.

use mailcase_model::{Action, DeleteKind, InboxRule, PermissionScope, SendKind};

/// A sentence describing `action`.
pub fn describe(action: &Action) -> String {
    match action {
        Action::SignIn(s) => {
            let app = s.client_app.clone().unwrap_or_default();
            t!("act-sign-in", app = app)
        }
        Action::InboxRule(rule) => describe_rule(rule),
        Action::Forwarding(f) => match &f.target {
            Some(target) => t!("act-forwarding-set", target = target.clone(), keep = keep(f.keep_copy)),
            None => t!("act-forwarding-cleared"),
        },
        Action::TransportRule { name, recipients, .. } => t!(
            "act-transport-rule",
            name = quoted(name.as_deref()),
            recipients = recipients.join(", ")
        ),
        Action::Permission(p) => {
            let scope = match &p.scope {
                PermissionScope::Mailbox => p.rights.join(", "),
                PermissionScope::SendAs => "SendAs".to_owned(),
                PermissionScope::SendOnBehalf => "SendOnBehalf".to_owned(),
                PermissionScope::Folder(f) => format!("{} {}", f.clone().unwrap_or_default(), p.rights.join(", ")),
            };
            let id = if p.granted { "act-permission-granted" } else { "act-permission-removed" };
            t!(id, rights = scope, grantee = p.grantee.clone().unwrap_or_default())
        }
        Action::AppConsent(c) => t!(
            "act-app-consent",
            app = c.app_name.clone().or_else(|| c.app_id.clone()).unwrap_or_default(),
            scopes = c.scopes.join(" "),
            admin = if c.admin_consent == Some(true) { "yes" } else { "no" }
        ),
        Action::AppCredentialAdded { app } => t!("act-app-credential", app = app.clone().unwrap_or_default()),
        Action::MfaMethod { added, method } => {
            let id = if *added { "act-mfa-added" } else { "act-mfa-removed" };
            t!(id, method = method.clone().unwrap_or_default())
        }
        Action::Password { reset: true } => t!("act-password-reset"),
        Action::Password { reset: false } => t!("act-password-changed"),
        Action::MailSent(m) => {
            let how = match m.kind {
                SendKind::Send => "send",
                SendKind::SendAs => "send-as",
                SendKind::SendOnBehalf => "send-on-behalf",
            };
            t!("act-mail-sent", how = how, subject = quoted(m.subject.as_deref()))
        }
        Action::MailAccessed(a) => t!("act-mail-accessed", count = a.count, kind = a.access_type.clone().unwrap_or_default()),
        Action::MailDeleted(d) => {
            let kind = match d.kind {
                DeleteKind::MoveToDeletedItems => "move",
                DeleteKind::SoftDelete => "soft",
                DeleteKind::HardDelete => "hard",
            };
            t!("act-mail-deleted", count = d.count, kind = kind)
        }
        Action::MailMoved { to_folder, count } => {
            t!("act-mail-moved", count = *count, folder = quoted(to_folder.as_deref()))
        }
        Action::Search { query } => t!("act-search", query = quoted(query.as_deref())),
        Action::Export { what } => t!("act-export", what = what.clone().unwrap_or_default()),
        Action::AuditConfigChanged { operation, parameters } => {
            t!("act-audit-config", operation = operation.clone(), params = params(parameters))
        }
        Action::MailboxSettings { operation, parameters } => {
            t!("act-mailbox-settings", operation = operation.clone(), params = params(parameters))
        }
        Action::AccountCreated => t!("act-account-created"),
        Action::AccountDisabled => t!("act-account-disabled"),
        Action::AccountEnabled => t!("act-account-enabled"),
        Action::RoleChanged { added, role } => {
            let id = if *added { "act-role-added" } else { "act-role-removed" };
            t!(id, role = role.clone().unwrap_or_default())
        }
        Action::MessageTrace(m) => t!(
            "act-message-trace",
            sender = m.sender.clone().unwrap_or_default(),
            recipient = m.recipient.clone().unwrap_or_default(),
            subject = quoted(m.subject.as_deref())
        ),
        Action::WebRequest(w) => t!(
            "act-web-request",
            method = w.method.clone().unwrap_or_default(),
            url = w.url.clone(),
            status = w.status.map(|s| s.to_string()).unwrap_or_default()
        ),
        Action::AppPassword { added, name } => {
            let id = if *added { "act-app-password-added" } else { "act-app-password-removed" };
            t!(id, name = quoted(name.as_deref()))
        }
        Action::Other { operation } => operation.clone(),
        _ => action.name().to_owned(),
    }
}

fn describe_rule(rule: &InboxRule) -> String {
    let mut parts: Vec<String> = Vec::new();
    let recipients: Vec<&str> = rule.recipients().collect();
    if !recipients.is_empty() {
        parts.push(t!("rule-forward", to = recipients.join(", ")));
    }
    if let Some(folder) = &rule.move_to_folder {
        parts.push(t!("rule-move", folder = quoted(Some(folder))));
    }
    if rule.delete {
        parts.push(t!("rule-delete"));
    }
    if rule.mark_as_read {
        parts.push(t!("rule-mark-read"));
    }
    if rule.stop_processing {
        parts.push(t!("rule-stop"));
    }
    for (field, values) in &rule.conditions {
        parts.push(format!("{field}: {}", values.join(", ")));
    }
    let change = match rule.change {
        mailcase_model::RuleChange::Created => "created",
        mailcase_model::RuleChange::Modified => "modified",
        mailcase_model::RuleChange::Enabled => "enabled",
        mailcase_model::RuleChange::Disabled => "disabled",
        mailcase_model::RuleChange::Removed => "removed",
        mailcase_model::RuleChange::Listed => "listed",
    };
    t!("act-inbox-rule", change = change, name = quoted(rule.name.as_deref()), details = parts.join("; "))
}

fn quoted(s: Option<&str>) -> String {
    match s {
        Some(s) => format!("“{s}”"),
        None => String::new(),
    }
}

fn keep(k: Option<bool>) -> &'static str {
    match k {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

fn params(p: &[(String, String)]) -> String {
    p.iter().map(|(k, v)| format!("-{k} {v}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::RuleChange;

    #[test]
    fn rules_are_described_with_their_actions() {
        let mut rule = InboxRule::new(RuleChange::Created);
        rule.name = Some(".".into());
        rule.move_to_folder = Some("RSS Subscriptions".into());
        rule.mark_as_read = true;
        rule.conditions.push(("SubjectContainsWords".into(), vec!["facture".into(), "RIB".into()]));
        let text = describe(&Action::InboxRule(rule));
        assert!(text.contains("“.”"), "{text}");
        assert!(text.contains("RSS Subscriptions"), "{text}");
        assert!(text.contains("facture, RIB"), "{text}");
    }
}
