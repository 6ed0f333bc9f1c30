//! Google Workspace activities from the Admin SDK Reports API (`activities.list`), as
//! the API, GAM, or a SIEM export them.
//!
//! Shapes read:
//! - the API's activity: `id{time, applicationName, customerId, uniqueQualifier}`,
//!   `actor{email, profileId, callerType}`, `ipAddress`, `events[{type, name,
//!   parameters[{name, value | intValue | boolValue | multiValue | multiIntValue |
//!   messageValue | multiMessageValue}]}]`, one per record (JSON lines, arrays, and
//!   the API's `{"kind": "admin#reports#activities", "items": [...]}` pages);
//! - `events` as one object rather than an array (Elastic splits activities so);
//! - flattened events (Panther's `GSuite.ActivityEvent`): `type`, `name` and
//!   `parameters` as an object of name to value at the top level; dotted keys such as
//!   `id.applicationName` are read too.
//!
//! An activity may hold several events: the event made is for the first one that maps
//! to a modelled action (sign-in, forwarding, consent...), else the first one as
//! [`Action::Other`] named `application:event`. The raw record is the activity whole,
//! so the other events stay available.
//!
//! Account: the affected user (`USER_EMAIL`, `user_email`, `affected_email_address`)
//! when the event names one, as admin events and account warnings do, with the actor
//! as `actor`; otherwise the actor's email.
//!
//! Time: `id.time`. A record without one (seen only in hand-written test events, never
//! in API output) takes the export file's modification time, as snapshot exports do;
//! with neither it is an error.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use mailcase_model::{
    Account, Action, AppConsent, Event, ForwardingChange, InboxRule, Outcome, Permission, PermissionScope, RawRecord,
    RuleChange, SignIn, SourceKind, parse_ip_port,
};
use serde_json::Value;

use crate::RecordCtx;
use crate::fields::{self, Object};

/// Whether the start of a file (decoded text) is this log: an activity's `kind`
/// (`admin#reports#activity`, or `...activities` for a page), or an `id` object that
/// holds an `applicationName`, or a flattened `id.applicationName` key.
pub(crate) fn sniff(text: &str) -> bool {
    let head = text.get(..text.len().min(64 * 1024)).unwrap_or(text);
    if head.contains("\"admin#reports#activit") || head.contains("\"id.applicationName\"") {
        return true;
    }
    let mut rest = head;
    while let Some(at) = rest.find("\"id\"") {
        let after = rest.get(at + 4..).unwrap_or("").trim_start();
        if let Some(object) = after.strip_prefix(':').map(str::trim_start).and_then(|a| a.strip_prefix('{')) {
            let inner = object.split('}').next().unwrap_or("");
            if inner.contains("\"applicationName\"") {
                return true;
            }
        }
        rest = rest.get(at + 4..).unwrap_or("");
    }
    false
}

/// One activity (JSON text) to an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let top = fields::parse_object(json)?;
    let app = path_text(&top, "id", "applicationName").unwrap_or_default();
    let time = activity_time(&top, ctx)?;
    let items = events_of(&top);
    let mapped: Vec<Mapped> = items.iter().map(|e| map_event(&app, e)).collect();
    let chosen = mapped
        .iter()
        .position(|m| !matches!(m.action, Action::Other { .. }))
        .or(if mapped.is_empty() { None } else { Some(0) });
    let (mapped, item) = match chosen.and_then(|i| mapped.into_iter().nth(i).zip(items.get(i))) {
        Some(pair) => pair,
        None => return Err("the activity has no event (no `events` and no `name`)".into()),
    };
    if app.is_empty() && item.name.is_empty() && item.kind.is_empty() {
        return Err("not a Google Workspace activity: no applicationName, no event name or type".into());
    }
    let actor_email = path_text(&top, "actor", "email");
    let subject = affected_user(&item.params);
    let account = subject.as_deref().or(actor_email.as_deref()).and_then(Account::new);
    let mut event = Event::new(ctx.at, time, SourceKind::GoogleWorkspace, mapped.action, RawRecord(json.to_owned()));
    event.actor = actor_email
        .filter(|a| account.as_ref().is_none_or(|acc| !a.trim().eq_ignore_ascii_case(acc.as_str())))
        .or_else(|| path_text(&top, "actor", "key").filter(|_| subject.is_some()));
    event.account = account;
    event.outcome = mapped.outcome;
    if let Some((ip, port)) = fields::text_of(&top, &["ipAddress"]).as_deref().and_then(parse_ip_port) {
        event.client.ip = Some(ip);
        event.client.port = port;
    }
    if item.name.eq_ignore_ascii_case("authorize") || item.name.eq_ignore_ascii_case("revoke") {
        event.client.app_id = item.params.text("client_id");
        event.client.app_name = item.params.text("app_name");
    }
    Ok(event)
}

/// `id.time`, else Panther's `p_event_time`, else the file's time.
fn activity_time(top: &Object, ctx: &RecordCtx) -> Result<DateTime<Utc>, String> {
    let raw = path_text(top, "id", "time").or_else(|| fields::text_of(top, &["p_event_time"]));
    match raw {
        Some(raw) => fields::timestamp(&raw, ctx).ok_or_else(|| format!("unreadable id.time {}", fields::quote(&raw))),
        None => ctx.file_time.ok_or_else(|| "no time: the activity has no id.time and the file's time is unknown".into()),
    }
}

/// `outer.inner` as text: nested (`{"id": {"time": ...}}`) or flattened (`"id.time"`).
fn path_text(top: &Object, outer: &str, inner: &str) -> Option<String> {
    fields::get(top, outer)
        .and_then(fields::nested_object)
        .and_then(|o| fields::text_of(&o, &[inner]))
        .or_else(|| fields::text_of(top, &[&format!("{outer}.{inner}")]))
}

// ---------------------------------------------------------------------------------
// Events and parameters
// ---------------------------------------------------------------------------------

/// One event of an activity.
struct Item<'a> {
    name: String,
    kind: String,
    params: Params<'a>,
}

/// The events of an activity: `events` as an array or one object, else the flattened
/// event at the top level (`name`, `type`, `parameters`, or `events.name`...).
fn events_of(top: &Object) -> Vec<Item<'_>> {
    match fields::get(top, "events") {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_object).map(item_of).collect(),
        Some(Value::Object(one)) => vec![item_of(one)],
        _ => {
            let flat = item_of(top);
            let name = flat.name.clone();
            let dotted = fields::text_of(top, &["events.name"]);
            match (name.is_empty(), dotted) {
                (true, Some(name)) => vec![Item {
                    name,
                    kind: fields::text_of(top, &["events.type"]).unwrap_or_default(),
                    params: params_of(fields::get(top, "events.parameters")),
                }],
                _ => vec![flat],
            }
        }
    }
}

fn item_of(o: &Object) -> Item<'_> {
    Item {
        name: fields::text_of(o, &["name"]).unwrap_or_default().trim().to_owned(),
        kind: fields::text_of(o, &["type"]).unwrap_or_default(),
        params: params_of(fields::get(o, "parameters")),
    }
}

/// An event's parameters: name and value, in order.
struct Params<'a>(Vec<(String, Cow<'a, Value>)>);

/// The value slots of an API parameter, in order of preference.
const VALUE_KEYS: [&str; 7] =
    ["value", "intValue", "boolValue", "multiValue", "multiIntValue", "messageValue", "multiMessageValue"];

fn params_of(value: Option<&Value>) -> Params<'_> {
    match value {
        Some(Value::Array(list)) => params_of_list(list),
        Some(Value::Object(map)) => Params(map.iter().map(|(k, v)| (k.clone(), Cow::Borrowed(v))).collect()),
        _ => Params(Vec::new()),
    }
}

impl Params<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, v)| !v.is_null() && n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).and_then(fields::text).map(|t| t.trim().to_owned())
    }

    fn text_any(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| self.text(n))
    }

    /// A list parameter (`multiValue`), or a single value as a list of one.
    fn list(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::Array(items)) => items.iter().filter_map(fields::text).collect(),
            Some(v) => fields::text(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(fields::boolish)
    }

    /// Scopes from `scope` (a list), else from `scope_data` messages' `scope_name`.
    fn scopes(&self) -> Vec<String> {
        let direct = self.list("scope");
        if !direct.is_empty() {
            return direct;
        }
        let Some(Value::Array(messages)) = self.get("scope_data") else { return Vec::new() };
        messages
            .iter()
            .filter_map(|m| m.get("parameter").and_then(Value::as_array))
            .flat_map(|ps| params_of_list(ps).text("scope_name"))
            .collect()
    }
}

fn params_of_list(list: &[Value]) -> Params<'_> {
    let mut out = Vec::new();
    for p in list.iter().filter_map(Value::as_object) {
        let Some(name) = fields::text_of(p, &["name"]) else { continue };
        let v = VALUE_KEYS.iter().find_map(|k| fields::get(p, k)).map_or(Cow::Owned(Value::Null), Cow::Borrowed);
        out.push((name, v));
    }
    Params(out)
}

/// The user an event is about, when it is not (necessarily) the actor.
fn affected_user(params: &Params) -> Option<String> {
    params.text_any(&["USER_EMAIL", "affected_email_address"])
}

// ---------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------

/// An event's action and outcome.
struct Mapped {
    action: Action,
    outcome: Outcome,
}

impl Mapped {
    fn done(action: Action) -> Self {
        Mapped { action, outcome: Outcome::Success }
    }
}

/// Maps one event. Event names are distinct across applications (admin events are
/// upper-case, user events lower-case), so the name decides; the application only
/// names [`Action::Other`].
fn map_event(app: &str, item: &Item) -> Mapped {
    let p = &item.params;
    let name = item.name.as_str();
    let lower = name.to_ascii_lowercase();
    let upper = name.to_ascii_uppercase();
    if let Some(m) = map_login(&lower, p) {
        return m;
    }
    if let Some(m) = map_user_settings(&lower, p) {
        return m;
    }
    if let Some(m) = map_admin(&upper, p) {
        return m;
    }
    let op = if name.is_empty() { item.kind.as_str() } else { name };
    let operation = if op.is_empty() { app.to_owned() } else { format!("{app}:{op}") };
    Mapped { action: Action::Other { operation }, outcome: Outcome::Unknown }
}

/// Sign-ins (`login` and `saml` applications) and account warnings.
fn map_login(name: &str, p: &Params) -> Option<Mapped> {
    let sign_in = || SignIn {
        interactive: Some(true),
        client_app: p.text_any(&["login_type", "initiated_by"]),
        auth_protocol: Some(p.list("login_challenge_method").join(",")).filter(|s| !s.is_empty()),
        mfa: mfa_of(p),
        resource: p.text("application_name"),
    };
    let outcome = match name {
        "login_success" => Outcome::Success,
        "login_failure" => Outcome::Failure {
            code: p.text_any(&["login_failure_type", "failure_type", "saml_status_code"]),
            reason: p.text("saml_second_level_status_code"),
        },
        "login_challenge" | "login_verification" => challenge_outcome(p),
        _ if name.starts_with("account_disabled") => return Some(Mapped::done(Action::AccountDisabled)),
        _ => return None,
    };
    Some(Mapped { action: Action::SignIn(sign_in()), outcome })
}

/// `login_challenge_status`: `Challenge Passed.` / `passed`, `Challenge Failed.` /
/// `failed`.
fn challenge_outcome(p: &Params) -> Outcome {
    match p.text("login_challenge_status").map(|s| s.to_ascii_lowercase()) {
        Some(s) if s.contains("pass") => Outcome::Success,
        Some(s) if s.contains("fail") => Outcome::Failure { code: Some(s), reason: None },
        _ => Outcome::Unknown,
    }
}

/// Second factor used: `is_second_factor`, or a challenge method other than the
/// password; only a password: no; nothing said: unknown.
fn mfa_of(p: &Params) -> Option<bool> {
    if let Some(second) = p.flag("is_second_factor") {
        return Some(second);
    }
    let methods = p.list("login_challenge_method");
    let factor = |m: &String| !matches!(m.to_ascii_lowercase().as_str(), "password" | "none" | "");
    if methods.iter().any(factor) {
        Some(true)
    } else if methods.iter().any(|m| m.eq_ignore_ascii_case("password")) {
        Some(false)
    } else {
        None
    }
}

/// The user's own account events (`user_accounts`, and forwarding warnings in `login`),
/// and OAuth grants (`token`).
fn map_user_settings(name: &str, p: &Params) -> Option<Mapped> {
    let action = match name {
        "2sv_enroll" => Action::MfaMethod { added: true, method: Some("2-step verification".into()) },
        "2sv_disable" => Action::MfaMethod { added: false, method: Some("2-step verification".into()) },
        "password_edit" => Action::Password { reset: false },
        "email_forwarding_out_of_domain" | "email_forwarding_change" => Action::Forwarding(ForwardingChange {
            mailbox: None,
            target: p.text_any(&["email_forwarding_destination_address", "destination_address"]),
            keep_copy: None,
        }),
        "authorize" => Action::AppConsent(AppConsent {
            app_id: p.text("client_id"),
            app_name: p.text("app_name"),
            scopes: p.scopes(),
            admin_consent: Some(false),
        }),
        _ => return None,
    };
    Some(Mapped::done(action))
}

/// Admin console events (`admin` application).
fn map_admin(name: &str, p: &Params) -> Option<Mapped> {
    let user = p.text_any(&["USER_EMAIL", "user_email"]);
    let action = match name {
        "CREATE_USER" => Action::AccountCreated,
        "SUSPEND_USER" | "DELETE_USER" | "ARCHIVE_USER" => Action::AccountDisabled,
        "UNSUSPEND_USER" | "UNDELETE_USER" | "UNARCHIVE_USER" => Action::AccountEnabled,
        "CHANGE_PASSWORD" => Action::Password { reset: true },
        "GRANT_ADMIN_PRIVILEGE" | "GRANT_DELEGATED_ADMIN_PRIVILEGES" | "ASSIGN_ROLE" => {
            Action::RoleChanged { added: true, role: p.text_any(&["ROLE_NAME", "PRIVILEGE_NAME"]) }
        }
        "REVOKE_ADMIN_PRIVILEGE" | "REVOKE_DELEGATED_ADMIN_PRIVILEGES" | "UNASSIGN_ROLE" => {
            Action::RoleChanged { added: false, role: p.text_any(&["ROLE_NAME", "PRIVILEGE_NAME"]) }
        }
        "REVOKE_ASPS" => Action::AppPassword { added: false, name: None },
        "AUTHORIZE_API_CLIENT_ACCESS" => Action::AppConsent(AppConsent {
            app_id: p.text("API_CLIENT_NAME"),
            app_name: None,
            scopes: p.text("API_SCOPES").map(|s| s.split(',').map(|x| x.trim().to_owned()).collect()).unwrap_or_default(),
            admin_consent: Some(true),
        }),
        // An email monitor sends a copy of every message to its destination: forwarding.
        "CREATE_EMAIL_MONITOR" => forwarding(user, p.text("EMAIL_MONITOR_DEST_EMAIL"), Some(true)),
        "DELETE_EMAIL_MONITOR" => forwarding(user, None, None),
        "CREATE_GMAIL_SETTING" | "CHANGE_GMAIL_SETTING" | "DELETE_GMAIL_SETTING" | "CHANGE_EMAIL_SETTING" => {
            return Some(Mapped::done(gmail_setting(name, p, user)));
        }
        _ if name.contains("DELEGATE") && !name.contains("DELEGATED_ADMIN") => {
            let granted = !(name.contains("REMOVE") || name.contains("DELETE") || name.contains("REVOKE"));
            Action::Permission(Permission {
                granted,
                mailbox: user,
                grantee: p.text_any(&["DELEGATE", "DELEGATE_EMAIL", "GMAIL_DELEGATE", "delegate_email"]),
                scope: PermissionScope::Mailbox,
                rights: vec!["Delegate".into()],
            })
        }
        _ if is_protocol_setting(name) => settings(name, p),
        _ => return None,
    };
    Some(Mapped::done(action))
}

fn forwarding(mailbox: Option<String>, target: Option<String>, keep_copy: Option<bool>) -> Action {
    Action::Forwarding(ForwardingChange { mailbox, target, keep_copy })
}

/// Gmail settings changed by an administrator. `SETTING_NAME` says which: forwarding
/// and filters are the mailbox's own; IMAP / POP are protocol settings; the custom
/// rules made with `*_GMAIL_SETTING` (routing, content compliance, message security...)
/// apply to the organisation's mail flow, like transport rules.
fn gmail_setting(name: &str, p: &Params, user: Option<String>) -> Action {
    let setting = p.text("SETTING_NAME").unwrap_or_default().to_ascii_uppercase();
    let change = match name {
        "CREATE_GMAIL_SETTING" => RuleChange::Created,
        "DELETE_GMAIL_SETTING" => RuleChange::Removed,
        _ => RuleChange::Modified,
    };
    let new_value = p.text("NEW_VALUE");
    if setting.contains("FORWARD") {
        let target = if change == RuleChange::Removed { None } else { new_value.filter(|v| v.contains('@')) };
        return forwarding(user, target, None);
    }
    if setting.contains("FILTER") {
        let mut rule = InboxRule::new(change);
        rule.name = p.text("USER_DEFINED_SETTING_NAME");
        rule.mailbox = user;
        return Action::InboxRule(rule);
    }
    if is_protocol_setting(&setting) || name == "CHANGE_EMAIL_SETTING" {
        return settings(name, p);
    }
    Action::TransportRule { change, name: p.text_any(&["USER_DEFINED_SETTING_NAME", "SETTING_NAME"]), recipients: Vec::new() }
}

/// IMAP and POP access settings.
fn is_protocol_setting(upper: &str) -> bool {
    upper.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "IMAP" | "POP" | "POP3"))
}

fn settings(name: &str, p: &Params) -> Action {
    let parameters = p
        .0
        .iter()
        .filter_map(|(n, v)| {
            let text = match v.as_ref() {
                Value::Array(items) => items.iter().filter_map(fields::text).collect::<Vec<_>>().join(","),
                other => fields::text(other)?,
            };
            Some((n.clone(), text))
        })
        .collect();
    Action::MailboxSettings { operation: name.to_owned(), parameters }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: 2, record: 5 }, date_order: DateOrder::default(), file_time: None }
    }

    fn activity(app: &str, events: &str) -> String {
        format!(
            r#"{{"kind":"admin#reports#activity","id":{{"time":"2024-05-01T10:00:00.123Z","uniqueQualifier":"-1","applicationName":"{app}","customerId":"C1"}},"actor":{{"callerType":"USER","email":"Admin@Example.com","profileId":"1"}},"ipAddress":"203.0.113.7","events":{events}}}"#
        )
    }

    fn ev(app: &str, events: &str) -> Event {
        to_event(&activity(app, events), &ctx()).unwrap()
    }

    #[test]
    fn login_success_and_failure() {
        let e = ev("login", r#"[{"type":"login","name":"login_success","parameters":[{"name":"login_type","value":"google_password"},{"name":"login_challenge_method","multiValue":["password","google_authenticator"]},{"name":"is_suspicious","boolValue":false}]}]"#);
        assert_eq!(e.time.to_rfc3339(), "2024-05-01T10:00:00.123+00:00");
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("admin@example.com"));
        assert_eq!(e.actor, None);
        assert_eq!(e.client.ip, "203.0.113.7".parse().ok());
        let Action::SignIn(s) = &e.action else { panic!("{:?}", e.action) };
        assert_eq!(s.client_app.as_deref(), Some("google_password"));
        assert_eq!(s.mfa, Some(true));
        let f = ev("login", r#"{"type":"login","name":"login_failure","parameters":[{"name":"login_failure_type","value":"login_failure_invalid_password"},{"name":"login_challenge_method","value":"password"}]}"#);
        assert_eq!(f.outcome.code(), Some("login_failure_invalid_password"));
        let Action::SignIn(s) = &f.action else { panic!() };
        assert_eq!(s.mfa, Some(false));
    }

    #[test]
    fn first_modelled_event_wins() {
        let e = ev("login", r#"[{"type":"login","name":"logout"},{"type":"login","name":"login_success"}]"#);
        assert_eq!(e.action.name(), "sign_in");
        let o = ev("login", r#"[{"type":"login","name":"logout"},{"type":"x","name":"other"}]"#);
        assert_eq!(o.action, Action::Other { operation: "login:logout".into() });
        assert_eq!(o.outcome, Outcome::Unknown);
    }

    #[test]
    fn account_warnings_concern_the_affected_user() {
        let e = ev("login", r#"{"type":"account_warning","name":"account_disabled_hijacked","parameters":[{"name":"affected_email_address","value":"Victim@Example.com"}]}"#);
        assert_eq!(e.action, Action::AccountDisabled);
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("victim@example.com"));
        assert_eq!(e.actor.as_deref(), Some("Admin@Example.com"));
        let s = ev("login", r#"{"type":"account_warning","name":"suspicious_login","parameters":[{"name":"affected_email_address","value":"v@example.com"}]}"#);
        assert_eq!(s.action, Action::Other { operation: "login:suspicious_login".into() });
    }

    #[test]
    fn admin_events_on_a_user() {
        let e = ev("admin", r#"[{"type":"USER_SETTINGS","name":"CHANGE_PASSWORD","parameters":[{"name":"USER_EMAIL","value":"bob@example.com"}]}]"#);
        assert_eq!(e.action, Action::Password { reset: true });
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("bob@example.com"));
        assert_eq!(e.actor.as_deref(), Some("Admin@Example.com"));
        let m = ev("admin", r#"[{"type":"EMAIL_SETTINGS","name":"CREATE_EMAIL_MONITOR","parameters":[{"name":"USER_EMAIL","value":"bob@example.com"},{"name":"EMAIL_MONITOR_DEST_EMAIL","value":"spy@example.com"}]}]"#);
        assert_eq!(m.action, forwarding(Some("bob@example.com".into()), Some("spy@example.com".into()), Some(true)));
        let r = ev("admin", r#"[{"name":"GRANT_ADMIN_PRIVILEGE","parameters":[{"name":"USER_EMAIL","value":"eve@example.com"}]}]"#);
        assert_eq!(r.action, Action::RoleChanged { added: true, role: None });
        let d = ev("admin", r#"[{"name":"ADD_GMAIL_DELEGATE","parameters":[{"name":"USER_EMAIL","value":"bob@example.com"},{"name":"DELEGATE","value":"eve@evil.example"}]}]"#);
        assert_eq!(d.action.name(), "permission_granted");
    }

    #[test]
    fn gmail_settings_by_setting_name() {
        let setting = |name: &str, setting: &str, new: &str| {
            ev("admin", &format!(r#"{{"type":"EMAIL_SETTINGS","name":"{name}","parameters":[{{"name":"SETTING_NAME","value":"{setting}"}},{{"name":"NEW_VALUE","value":"{new}"}},{{"name":"USER_DEFINED_SETTING_NAME","value":"r1"}}]}}"#)).action
        };
        assert_eq!(setting("CHANGE_EMAIL_SETTING", "EMAIL_FORWARDING", "x@evil.example"), forwarding(None, Some("x@evil.example".into()), None));
        assert_eq!(setting("CREATE_GMAIL_SETTING", "USER_FILTER", "").name(), "inbox_rule_created");
        assert_eq!(setting("CHANGE_EMAIL_SETTING", "ENABLE_IMAP_ACCESS", "true").name(), "mailbox_settings_changed");
        assert_eq!(
            setting("CREATE_GMAIL_SETTING", "MESSAGE_SECURITY_RULE", ""),
            Action::TransportRule { change: RuleChange::Created, name: Some("r1".into()), recipients: vec![] }
        );
    }

    #[test]
    fn token_authorize_is_app_consent() {
        let e = ev("token", r#"{"name":"authorize","parameters":[{"name":"client_id","value":"123.apps.googleusercontent.com"},{"name":"app_name","value":"Mail Helper"},{"name":"scope","multiValue":["https://mail.google.com/"]}]}"#);
        let Action::AppConsent(c) = &e.action else { panic!("{:?}", e.action) };
        assert_eq!(c.app_name.as_deref(), Some("Mail Helper"));
        assert_eq!(c.scopes, vec!["https://mail.google.com/".to_string()]);
        assert_eq!(e.client.app_id.as_deref(), Some("123.apps.googleusercontent.com"));
        let r = ev("token", r#"{"name":"revoke","parameters":[]}"#);
        assert_eq!(r.action, Action::Other { operation: "token:revoke".into() });
    }

    #[test]
    fn flattened_shapes() {
        let panther = r#"{"id":{"applicationName":"user_accounts","time":"2022-12-10 23:38:45.125000000"},"actor":{"email":"u@example.io"},"type":"email_forwarding_change","name":"email_forwarding_out_of_domain","parameters":{"email_forwarding_destination_address":"HS@gmail.com"}}"#;
        let e = to_event(panther, &ctx()).unwrap();
        assert_eq!(e.action, forwarding(None, Some("HS@gmail.com".into()), None));
        assert_eq!(e.time.to_rfc3339(), "2022-12-10T23:38:45.125+00:00");
        let dotted = r#"{"id.time":"2024-01-01T00:00:00Z","id.applicationName":"user_accounts","actor.email":"a@b.c","events.name":"2sv_disable"}"#;
        let d = to_event(dotted, &ctx()).unwrap();
        assert_eq!(d.action.name(), "mfa_method_removed");
        assert_eq!(d.account.as_ref().map(Account::as_str), Some("a@b.c"));
    }

    #[test]
    fn time_from_file_or_error() {
        let timeless = r#"{"id":{"applicationName":"user_accounts"},"name":"2sv_enroll"}"#;
        let err = to_event(timeless, &ctx()).unwrap_err();
        assert!(err.contains("id.time"), "{err}");
        let file_time = DateTime::parse_from_rfc3339("2024-02-02T00:00:00Z").unwrap().with_timezone(&Utc);
        let e = to_event(timeless, &RecordCtx { file_time: Some(file_time), ..ctx() }).unwrap();
        assert_eq!(e.time, file_time);
        assert!(to_event(r#"{"id":{"time":"yesterday"},"name":"x"}"#, &ctx()).unwrap_err().contains("yesterday"));
        assert!(to_event(r#"{"id":{"time":"2024-01-01T00:00:00Z"}}"#, &ctx()).is_err());
        let bare = to_event(r#"{"id":{"time":"2024-01-01T00:00:00Z","applicationName":"rules"}}"#, &ctx()).unwrap();
        assert_eq!(bare.action, Action::Other { operation: "rules".into() });
        assert!(to_event("[1]", &ctx()).is_err());
    }

    #[test]
    fn sniffs_activities_only() {
        assert!(sniff(&activity("login", "[]")));
        assert!(sniff(r#"{"kind":"admin#reports#activities","items":[]}"#));
        assert!(sniff(r#"{"id": { "applicationName": "login" }, "type": "login"}"#));
        assert!(!sniff(r#"{"id":"1","createdDateTime":"x","appDisplayName":"y"}"#));
        assert!(!sniff(r#"{"id":{"x":1},"applicationName":"y"}"#));
    }

    #[test]
    fn hostile_records_never_panic() {
        let sample = activity(
            "admin",
            r#"[{"name":"CHANGE_EMAIL_SETTING","parameters":[{"name":"SETTING_NAME","value":"FORWARD"},{"name":"NEW_VALUE","multiValue":["a"]},{"name":"scope_data","multiMessageValue":[{"parameter":[{"name":"scope_name","value":"s"}]}]}]}]"#,
        );
        for (cut, _) in sample.char_indices() {
            let _ = to_event(&sample[..cut], &ctx());
        }
        let variants = crate::fields::mutations(&sample);
        assert!(variants.len() > 10, "{}", variants.len());
        for v in variants {
            let _ = to_event(&v, &ctx());
        }
    }
}
