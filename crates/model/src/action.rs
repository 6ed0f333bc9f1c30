//! The normalised verb of an event, with its details.
//!
//! Sources map their operation names onto these variants; what has no variant yet is
//! kept as [`Action::Other`] with the source's own operation name, so nothing is lost.

use serde::{Deserialize, Serialize};

/// What happened. Serialised with its variant name under `type` (the `details`
/// column of the events table): `{"type": "inbox_rule", "name": ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// An authentication (successful or not: see the event's outcome).
    SignIn(SignIn),
    /// An inbox rule was created, changed, enabled, disabled or removed, or listed in
    /// an export.
    InboxRule(InboxRule),
    /// Mailbox forwarding set (`target` given) or cleared.
    Forwarding(ForwardingChange),
    /// An organisation-wide transport (mail flow) rule created, changed or removed.
    TransportRule {
        /// What was done.
        change: RuleChange,
        /// Rule name.
        name: Option<String>,
        /// Addresses the rule redirects, copies or forwards to.
        recipients: Vec<String>,
    },
    /// A permission on a mailbox granted or removed.
    Permission(Permission),
    /// An application was granted access (OAuth consent, permission grant, app role).
    AppConsent(AppConsent),
    /// A credential (secret or certificate) added to an application or service principal.
    AppCredentialAdded {
        /// The application.
        app: Option<String>,
    },
    /// An MFA / authentication method registered (`added`) or removed.
    MfaMethod {
        /// Registered rather than removed.
        added: bool,
        /// The method (`Authenticator app`, `Phone`...), when known.
        method: Option<String>,
    },
    /// The password changed by the user, or reset by someone else.
    Password {
        /// Reset by an administrator or a reset flow, rather than changed by the user.
        reset: bool,
    },
    /// A message sent from the mailbox.
    MailSent(MailSent),
    /// Messages read, synchronised or previewed.
    MailAccessed(MailAccess),
    /// Messages deleted.
    MailDeleted(MailDeleted),
    /// Messages moved to another folder.
    MailMoved {
        /// Destination folder.
        to_folder: Option<String>,
        /// Number of messages.
        count: u64,
    },
    /// A search in the mailbox or the tenant.
    Search {
        /// The query when logged.
        query: Option<String>,
    },
    /// Bulk export of mail: export request, compliance search action, eDiscovery export.
    Export {
        /// What the source says was exported.
        what: Option<String>,
    },
    /// Audit logging configuration changed (disabled, bypass, retention).
    AuditConfigChanged {
        /// The cmdlet or operation.
        operation: String,
        /// Parameter name and value pairs as logged.
        parameters: Vec<(String, String)>,
    },
    /// Mailbox or protocol settings changed (`Set-CASMailbox`, `Set-Mailbox` without
    /// forwarding...).
    MailboxSettings {
        /// The cmdlet or operation.
        operation: String,
        /// Parameter name and value pairs as logged.
        parameters: Vec<(String, String)>,
    },
    /// A user account created.
    AccountCreated,
    /// A user account disabled, blocked or deleted.
    AccountDisabled,
    /// A user account enabled or restored.
    AccountEnabled,
    /// A directory role granted or removed.
    RoleChanged {
        /// Granted rather than removed.
        added: bool,
        /// The role.
        role: Option<String>,
    },
    /// A message seen in transport (message trace, message tracking, MTA log).
    MessageTrace(MessageTrace),
    /// An HTTP request seen by a web proxy or a web server (who visited which URL).
    WebRequest(WebRequest),
    /// An application-specific password created (`added`) or revoked: it bypasses MFA.
    AppPassword {
        /// Created rather than revoked.
        added: bool,
        /// Its name or label, when logged.
        name: Option<String>,
    },
    /// Anything else, with the source's operation name.
    Other {
        /// The operation as the source names it.
        operation: String,
    },
}

impl Action {
    /// The stable short name stored in the `action` column and used in JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            Action::SignIn(_) => "sign_in",
            Action::InboxRule(r) => match r.change {
                RuleChange::Created => "inbox_rule_created",
                RuleChange::Modified => "inbox_rule_modified",
                RuleChange::Enabled => "inbox_rule_enabled",
                RuleChange::Disabled => "inbox_rule_disabled",
                RuleChange::Removed => "inbox_rule_removed",
                RuleChange::Listed => "inbox_rule_listed",
            },
            Action::Forwarding(f) if f.target.is_some() => "forwarding_set",
            Action::Forwarding(_) => "forwarding_cleared",
            Action::TransportRule { .. } => "transport_rule_changed",
            Action::Permission(p) if p.granted => "permission_granted",
            Action::Permission(_) => "permission_removed",
            Action::AppConsent(_) => "app_consent",
            Action::AppCredentialAdded { .. } => "app_credential_added",
            Action::MfaMethod { added: true, .. } => "mfa_method_added",
            Action::MfaMethod { added: false, .. } => "mfa_method_removed",
            Action::Password { reset: true } => "password_reset",
            Action::Password { reset: false } => "password_changed",
            Action::MailSent(_) => "mail_sent",
            Action::MailAccessed(_) => "mail_accessed",
            Action::MailDeleted(_) => "mail_deleted",
            Action::MailMoved { .. } => "mail_moved",
            Action::Search { .. } => "search",
            Action::Export { .. } => "export",
            Action::AuditConfigChanged { .. } => "audit_config_changed",
            Action::MailboxSettings { .. } => "mailbox_settings_changed",
            Action::AccountCreated => "account_created",
            Action::AccountDisabled => "account_disabled",
            Action::AccountEnabled => "account_enabled",
            Action::RoleChanged { added: true, .. } => "role_added",
            Action::RoleChanged { added: false, .. } => "role_removed",
            Action::MessageTrace(_) => "message_trace",
            Action::WebRequest(_) => "web_request",
            Action::AppPassword { added: true, .. } => "app_password_added",
            Action::AppPassword { added: false, .. } => "app_password_removed",
            Action::Other { .. } => "other",
        }
    }

    /// Whether the action changes how the mailbox or account behaves or who can reach
    /// it (rules, forwarding, permissions, apps, MFA, password, audit, exports...): the
    /// events a compromise timeline lists by default.
    pub fn is_notable(&self) -> bool {
        // Mail activity is everyday business; only detection can tell the attacker's
        // from the user's, and it will add those to the timeline as findings.
        !matches!(
            self,
            Action::SignIn(_)
                | Action::MailAccessed(_)
                | Action::MailSent(_)
                | Action::MailDeleted(_)
                | Action::Search { .. }
                | Action::MailMoved { .. }
                | Action::MessageTrace(_)
                | Action::WebRequest(_)
                | Action::Other { .. }
                | Action::InboxRule(InboxRule { change: RuleChange::Listed, .. })
        )
    }
}

/// Details of a sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// Interactive (the user typed something) or not (token refresh, service).
    pub interactive: Option<bool>,
    /// Client app category (`Browser`, `Mobile Apps and Desktop clients`, `IMAP4`,
    /// `Authenticated SMTP`, `Exchange ActiveSync`, `Other clients`...).
    pub client_app: Option<String>,
    /// Authentication protocol (`deviceCode`, `ropc`, `oAuth2`...).
    pub auth_protocol: Option<String>,
    /// Whether MFA was satisfied (`true`), only a single factor was used (`false`).
    pub mfa: Option<bool>,
    /// The resource or service signed in to.
    pub resource: Option<String>,
}

/// What was done to a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleChange {
    /// Created.
    Created,
    /// Changed.
    Modified,
    /// Enabled.
    Enabled,
    /// Disabled.
    Disabled,
    /// Removed.
    Removed,
    /// Present in an export (`Get-InboxRule`), not a change.
    Listed,
}

/// An inbox rule, as much of it as the source tells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRule {
    /// What was done.
    pub change: RuleChange,
    /// Rule name (attacker-chosen: often one character or punctuation).
    pub name: Option<String>,
    /// Mailbox the rule belongs to.
    pub mailbox: Option<String>,
    /// Whether the rule is enabled, when known.
    pub enabled: Option<bool>,
    /// Conditions: source parameter name (`From`, `SubjectContainsWords`,
    /// `BodyContainsWords`, `SubjectOrBodyContainsWords`...) and values.
    pub conditions: Vec<(String, Vec<String>)>,
    /// Forward to these addresses.
    pub forward_to: Vec<String>,
    /// Forward as attachment to these addresses.
    pub forward_as_attachment_to: Vec<String>,
    /// Redirect to these addresses.
    pub redirect_to: Vec<String>,
    /// Move to this folder.
    pub move_to_folder: Option<String>,
    /// Copy to this folder.
    pub copy_to_folder: Option<String>,
    /// Delete the message (soft or permanent).
    pub delete: bool,
    /// Mark the message as read.
    pub mark_as_read: bool,
    /// Stop processing more rules.
    pub stop_processing: bool,
}

impl InboxRule {
    /// A rule with the given change and nothing else known.
    pub fn new(change: RuleChange) -> Self {
        InboxRule {
            change,
            name: None,
            mailbox: None,
            enabled: None,
            conditions: Vec::new(),
            forward_to: Vec::new(),
            forward_as_attachment_to: Vec::new(),
            redirect_to: Vec::new(),
            move_to_folder: None,
            copy_to_folder: None,
            delete: false,
            mark_as_read: false,
            stop_processing: false,
        }
    }

    /// Every address the rule sends mail to (forward, forward as attachment, redirect).
    pub fn recipients(&self) -> impl Iterator<Item = &str> {
        self.forward_to
            .iter()
            .chain(&self.forward_as_attachment_to)
            .chain(&self.redirect_to)
            .map(String::as_str)
    }
}

/// Mailbox forwarding set or cleared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardingChange {
    /// The mailbox.
    pub mailbox: Option<String>,
    /// Where mail now goes; `None` when forwarding was cleared.
    pub target: Option<String>,
    /// Keep a copy in the mailbox (`DeliverToMailboxAndForward`).
    pub keep_copy: Option<bool>,
}

/// Which permission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", content = "folder", rename_all = "snake_case")]
pub enum PermissionScope {
    /// The whole mailbox (`FullAccess`...).
    Mailbox,
    /// Send as the mailbox.
    SendAs,
    /// Send on behalf of the mailbox.
    SendOnBehalf,
    /// One folder.
    Folder(Option<String>),
}

/// A permission granted or removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// Granted rather than removed.
    pub granted: bool,
    /// The mailbox the permission is on.
    pub mailbox: Option<String>,
    /// Who receives or loses it.
    pub grantee: Option<String>,
    /// Which scope.
    pub scope: PermissionScope,
    /// Rights as logged (`FullAccess`, `ReadItems`...).
    pub rights: Vec<String>,
}

/// An application granted access.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppConsent {
    /// Application (client) id.
    pub app_id: Option<String>,
    /// Application name.
    pub app_name: Option<String>,
    /// Granted scopes (`Mail.Read`, `offline_access`...).
    pub scopes: Vec<String>,
    /// Consent given by an administrator for the whole tenant.
    pub admin_consent: Option<bool>,
}

/// How a message was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    /// By the mailbox owner.
    Send,
    /// As the mailbox, by someone with SendAs.
    SendAs,
    /// On behalf of the mailbox.
    SendOnBehalf,
}

/// A message sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSent {
    /// How.
    pub kind: SendKind,
    /// Subject (attacker-controlled).
    pub subject: Option<String>,
    /// Internet message id.
    pub message_id: Option<String>,
}

/// Messages accessed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAccess {
    /// Number of accesses (`OperationCount`, or the number of items).
    pub count: u64,
    /// `Bind` (one message opened) or `Sync` (a folder downloaded), when logged.
    pub access_type: Option<String>,
    /// Folders touched.
    pub folders: Vec<String>,
    /// Internet message ids of the items, when logged.
    pub message_ids: Vec<String>,
}

/// How messages were deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteKind {
    /// Moved to Deleted Items.
    MoveToDeletedItems,
    /// Removed from Deleted Items (recoverable).
    SoftDelete,
    /// Purged.
    HardDelete,
}

/// Messages deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailDeleted {
    /// How.
    pub kind: DeleteKind,
    /// How many.
    pub count: u64,
    /// Folder they were in.
    pub folder: Option<String>,
    /// Subjects, when logged (attacker-controlled).
    pub subjects: Vec<String>,
}

/// One HTTP request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebRequest {
    /// HTTP method (`GET`, `POST`...).
    pub method: Option<String>,
    /// The URL as logged (attacker-controlled).
    pub url: String,
    /// HTTP status code.
    pub status: Option<u16>,
    /// Bytes sent to the client.
    pub bytes: Option<u64>,
}

/// One message seen in a message trace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTrace {
    /// Envelope sender.
    pub sender: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// Subject (attacker-controlled).
    pub subject: Option<String>,
    /// Delivery status (`Delivered`, `Failed`, `Quarantined`...).
    pub status: Option<String>,
    /// Internet message id.
    pub message_id: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Sender-side address.
    pub from_ip: Option<String>,
    /// Recipient-side address.
    pub to_ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys of nested objects (the top-level count is compared with the text).
    fn nested_keys(v: &serde_json::Value) -> usize {
        fn count(v: &serde_json::Value) -> usize {
            match v {
                serde_json::Value::Object(m) => m.values().map(|x| 1 + count(x)).sum(),
                serde_json::Value::Array(a) => a.iter().map(count).sum(),
                _ => 0,
            }
        }
        v.as_object().map_or(0, |m| m.values().map(count).sum())
    }

    #[test]
    fn every_variant_round_trips_through_json() {
        let actions = vec![
            Action::MailSent(MailSent { kind: SendKind::SendAs, subject: Some("x".into()), message_id: None }),
            Action::InboxRule(InboxRule::new(RuleChange::Created)),
            Action::Permission(Permission {
                granted: true,
                mailbox: None,
                grantee: Some("a@b".into()),
                scope: PermissionScope::Folder(Some("Inbox".into())),
                rights: vec!["ReadItems".into()],
            }),
            Action::MailDeleted(MailDeleted { kind: DeleteKind::HardDelete, count: 3, folder: None, subjects: vec![] }),
            Action::AccountCreated,
            Action::Other { operation: "Foo".into() },
        ];
        for a in actions {
            let text = serde_json::to_string(&a).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(value["type"].is_string(), "{text}");
            // No key twice: a variant field must not shadow the tag.
            assert_eq!(value.as_object().unwrap().len(), text.matches("\":").count() - nested_keys(&value), "{text}");
            let back: Action = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(back, a);
        }
    }
}
