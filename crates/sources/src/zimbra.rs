//! Zimbra `audit.log` and `mailbox.log`: authentications and their failures, password,
//! app-specific password, forwarding and filter (Sieve) changes.
//!
//! Both logs share one layout (log4j):
//! `2026-11-22 14:35:01,123 INFO  [thread] [key=value;key=value;] category - message`.
//! The thread often names the request URL (`qtp...:https://host:7071/service/admin/soap/`),
//! the bracketed context holds `name=` (the authenticated account), `oip=` (the
//! original client address; `ip=` is the proxy's when `oip` is absent; a list keeps its
//! first address), `ua=`, `oproto=`.
//!
//! What becomes an event:
//! - audit.log `security - cmd=Auth|AdminAuth|PreAuth; account=...; protocol=...;`:
//!   a sign-in, failed when `error=` is present (`error=authentication failed for [u],
//!   invalid password;`); `cmd=ChangePassword` (password changed), `cmd=SetPassword` /
//!   `ResetPassword` (reset), `cmd=CreateAppSpecificPassword` /
//!   `RevokeAppSpecificPassword`, other `cmd=` as [`Action::Other`];
//! - mailbox.log `authentication failed for [user]...` (any category: `imap`, `pop`,
//!   `SoapEngine - handler exception: ...`) and `user u authenticated` lines;
//! - a bare `SoapEngine - handler exception` on an `AuthRequest` URL, or on the admin SOAP
//!   port with `oproto=smtp` (how the MTA checks SMTP passwords): a failed sign-in whose
//!   reason is on the stack trace lines that follow (the crowdsec parsers count these
//!   as authentication failures too);
//! - any line naming `zimbraPrefMailForwardingAddress=` / `zimbraMailForwardingAddress=`
//!   (forwarding set, or cleared when empty), `zimbraMailSieveScript` or a filter-rule
//!   request (`ModifyFilterRules`, `SaveRules`) (inbox rule modified),
//!   `CreateAppSpecificPassword` (app password).
//!
//! Everything else (stack traces, GC lines, mail delivery) is `Ok(None)`. A line that
//! starts with the Zimbra timestamp but has no level, thread or category is an error.
//!
//! Times: Zimbra writes local time without a zone; they are read as UTC (the zone of a
//! file cannot be given yet): shift them by hand if the server was not on UTC.

use chrono::{DateTime, NaiveDateTime, Utc};
use mailcase_model::{
    Account, Action, Client, Event, ForwardingChange, InboxRule, Outcome, RawRecord, RuleChange,
    SignIn, SourceKind, parse_ip_port,
};
use serde_json::{Map, Value};

use crate::RecordCtx;

/// Length of the timestamp that starts every line (`2021-03-03 19:26:38,616`).
const TIME_LEN: usize = 23;

/// Whether the start of a file (decoded text) is a Zimbra audit.log.
pub(crate) fn sniff_audit(text: &str) -> bool {
    first_lines(text).any(|l| parse_layout(l).is_some_and(|p| p.category == "security" && p.message.contains("cmd=")))
}

/// Whether the start of a file (decoded text) is a Zimbra mailbox.log.
pub(crate) fn sniff_mailbox(text: &str) -> bool {
    // Several lines of the layout, and a thread or context only Zimbra writes.
    let mut layout = 0;
    let mut zimbra = false;
    for line in first_lines(text) {
        if let Some(p) = parse_layout(line) {
            layout += 1;
            zimbra |= p.thread.contains("/service/")
                || p.thread.starts_with("qtp")
                || p.thread.contains("Server-")
                || p.context.contains("oip=")
                || p.context.contains("mid=");
        }
    }
    layout >= 1 && zimbra
}

fn first_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty()).take(20)
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(line: &str, _header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let Some(time) = line.get(..TIME_LEN).and_then(parse_time) else {
        return Ok(None);
    };
    let parts = parse_layout(line).ok_or_else(|| {
        "Zimbra line without the `LEVEL [thread] [context] category - message` layout".to_owned()
    })?;
    let context = Context::parse(parts.context);
    let Some(found) = classify(&parts, &context) else {
        return Ok(None);
    };
    Ok(Some(build(line, time, &parts, &context, found, ctx)))
}

/// The pieces of a line.
struct Parts<'a> {
    level: &'a str,
    thread: &'a str,
    context: &'a str,
    category: &'a str,
    message: &'a str,
}

/// `2021-03-03 19:26:38,616` (read as UTC, see the module documentation).
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S,%3f")
        .ok()
        .map(|t| t.and_utc())
}

fn parse_layout(line: &str) -> Option<Parts<'_>> {
    parse_time(line.get(..TIME_LEN)?)?;
    let rest = line.get(TIME_LEN..)?.trim_start();
    let (level, rest) = rest.split_once(' ')?;
    if !level.chars().all(|c| c.is_ascii_uppercase()) || level.is_empty() {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('[')?;
    let (thread, rest) = rest.split_once("] ")?;
    let rest = rest.trim_start();
    let (context, rest) = match rest.strip_prefix('[') {
        // The context ends with `;]` (or is `[]`); a user agent may hold a `]`.
        Some(inner) => match inner.find(";] ").map(|at| at + 1).or_else(|| inner.find("] ")) {
            Some(end) => (inner.get(..end)?, inner.get(end + 1..)?.trim_start()),
            None => return None,
        },
        None => ("", rest),
    };
    let (category, message) = rest.split_once(" - ").or_else(|| rest.split_once(" – "))?;
    Some(Parts { level, thread, context, category: category.trim(), message: message.trim() })
}

/// The `key=value;` pairs of the bracketed context.
struct Context<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Context<'a> {
    fn parse(text: &'a str) -> Self {
        Context { pairs: key_values(text) }
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).filter(|v| !v.is_empty())
    }
}

/// `a=1; b=2;` -> pairs, keys trimmed, at most 64 of them. A piece that does not start
/// with `key=` belongs to the value before it: user agents hold `;` (`(Windows NT 10.0;
/// Win64)`).
fn key_values(text: &str) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, usize, usize)> = Vec::new();
    let mut start = 0;
    for piece in text.split(';') {
        let end = start + piece.len();
        let key = piece.split_once('=').map(|(k, _)| k.trim()).filter(|k| is_key(k));
        let room = pairs.len() < 64;
        match (key, pairs.last_mut()) {
            (Some(k), _) if room => {
                let value_start = start + piece.find('=').map_or(0, |i| i + 1);
                pairs.push((k, value_start, end));
            }
            (None, Some(last)) if !piece.trim().is_empty() => last.2 = end,
            _ => {}
        }
        start = end + 1;
    }
    pairs
        .into_iter()
        .map(|(k, from, to)| (k, text.get(from..to).unwrap_or_default().trim()))
        .collect()
}

fn is_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 64 && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// What a line says.
enum Found {
    SignIn { user: Option<String>, protocol: Option<String>, failure: Option<String>, admin: bool },
    Other(Action, Option<String>),
}

fn classify(parts: &Parts<'_>, context: &Context<'_>) -> Option<Found> {
    let message = parts.message;
    if parts.category == "security" && message.contains("cmd=") {
        return audit_command(message);
    }
    if let Some(found) = settings_change(message, context) {
        return Some(found);
    }
    if let Some((user, reason)) = failed_for(message) {
        return Some(Found::SignIn { user: Some(user), protocol: None, failure: Some(reason), admin: false });
    }
    if let Some(user) = authenticated_user(message) {
        return Some(Found::SignIn { user: Some(user), protocol: None, failure: None, admin: false });
    }
    let auth_thread = parts.thread.ends_with("AuthRequest")
        || (parts.thread.contains("/service/admin/soap") && context.get("oproto") == Some("smtp"));
    if parts.category == "SoapEngine" && message.starts_with("handler exception") && auth_thread {
        return Some(Found::SignIn {
            user: None,
            protocol: None,
            failure: Some("handler exception (reason on the following stack trace lines)".to_owned()),
            admin: false,
        });
    }
    None
}

/// `cmd=Auth; account=u@x; protocol=soap; [error=...;]` and the other audit commands.
fn audit_command(message: &str) -> Option<Found> {
    let pairs = key_values(message);
    let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string()).filter(|v| !v.is_empty());
    let cmd = get("cmd")?;
    let account = get("account").or_else(|| get("name"));
    let action = match cmd.as_str() {
        "Auth" | "AdminAuth" | "PreAuth" | "AuthRequest" => {
            // `authentication failed for [u], invalid password` -> `invalid password`.
            let failure = get("error").map(|e| failed_for(&e).map_or(e, |(_, reason)| reason));
            return Some(Found::SignIn { user: account, protocol: get("protocol"), failure, admin: cmd == "AdminAuth" });
        }
        "ChangePassword" => Action::Password { reset: false },
        "SetPassword" | "ResetPassword" => Action::Password { reset: true },
        "CreateAppSpecificPassword" => Action::AppPassword { added: true, name: get("appName").or_else(|| get("name")) },
        "RevokeAppSpecificPassword" => Action::AppPassword { added: false, name: get("appName") },
        "CreateAccount" => Action::AccountCreated,
        "DeleteAccount" => Action::AccountDisabled,
        _ => return settings_change(message, &Context { pairs: Vec::new() })
            .or(Some(Found::Other(Action::Other { operation: cmd }, account))),
    };
    Some(Found::Other(action, account))
}

const FORWARDING_ATTRIBUTES: [&str; 2] = ["zimbraPrefMailForwardingAddress", "zimbraMailForwardingAddress"];

/// Forwarding, filter and app-password changes named anywhere in a message.
fn settings_change(message: &str, context: &Context<'_>) -> Option<Found> {
    let mailbox = target_account(message).or_else(|| context.get("name").map(str::to_owned));
    for attribute in FORWARDING_ATTRIBUTES {
        if let Some(at) = message.find(attribute) {
            let after = message.get(at + attribute.len()..).unwrap_or_default();
            let value = after
                .strip_prefix('=')
                .or_else(|| after.strip_prefix(": "))
                .map(|v| v.split([';', ',', ' ', ']']).next().unwrap_or_default().trim())
                .filter(|v| !v.is_empty() && *v != "\"\"");
            let change = ForwardingChange { mailbox: mailbox.clone(), target: value.map(str::to_owned), keep_copy: None };
            return Some(Found::Other(Action::Forwarding(change), mailbox));
        }
    }
    let filter_words = ["zimbraMailSieveScript", "ModifyFilterRules", "SaveRules", "zimbraMailOutgoingSieveScript"];
    if filter_words.iter().any(|w| message.contains(w)) {
        let mut rule = InboxRule::new(RuleChange::Modified);
        rule.mailbox.clone_from(&mailbox);
        return Some(Found::Other(Action::InboxRule(rule), mailbox));
    }
    if message.contains("CreateAppSpecificPassword") {
        return Some(Found::Other(Action::AppPassword { added: true, name: None }, mailbox));
    }
    None
}

/// The account a `modifying account u@x` / `account=u@x` message is about.
fn target_account(message: &str) -> Option<String> {
    for marker in ["account=", "modifying account ", "account: ", "name="] {
        if let Some(at) = message.find(marker) {
            let rest = message.get(at + marker.len()..).unwrap_or_default();
            let word = rest.split([';', ',', ' ', ']']).next().unwrap_or_default().trim();
            if !word.is_empty() {
                return Some(word.to_owned());
            }
        }
    }
    None
}

/// `authentication failed for [u], invalid password` -> (u, reason).
fn failed_for(message: &str) -> Option<(String, String)> {
    const MARKER: &str = "authentication failed for [";
    let at = message.find(MARKER)?;
    let rest = message.get(at + MARKER.len()..)?;
    let (user, after) = rest.split_once(']')?;
    let reason = after.trim_start_matches([',', ' ', '(']).trim_end_matches([')', ';', ' ']);
    let reason = if reason.is_empty() { "authentication failed" } else { reason };
    Some((user.trim().to_owned(), reason.to_owned()))
}

/// `user u@x authenticated, mechanism=PLAIN` -> u@x.
fn authenticated_user(message: &str) -> Option<String> {
    let rest = message.strip_prefix("user ")?;
    let (user, after) = rest.split_once(' ')?;
    after.starts_with("authenticated").then(|| user.to_owned())
}

/// The protocol when the line does not name it: the category (`imap`, `pop`), the
/// original protocol, or the request URL of the thread.
fn protocol_of(parts: &Parts<'_>, context: &Context<'_>) -> Option<String> {
    if let Some(p) = context.get("oproto") {
        return Some(p.to_owned());
    }
    let category = parts.category.to_ascii_lowercase();
    if ["imap", "pop", "pop3", "smtp", "lmtp"].contains(&category.as_str()) {
        return Some(category);
    }
    let thread = parts.thread.to_ascii_lowercase();
    if thread.starts_with("imap") {
        Some("imap".to_owned())
    } else if thread.starts_with("pop3") {
        Some("pop3".to_owned())
    } else if thread.contains("/service/") {
        Some("soap".to_owned())
    } else {
        None
    }
}

fn client(context: &Context<'_>) -> Client {
    // `oip` may list the whole proxy chain: the first is the client.
    let address = context.get("oip").or_else(|| context.get("ip")).map(|a| a.split(',').next().unwrap_or(a));
    let parsed = address.and_then(parse_ip_port);
    let port = context.get("oport").or_else(|| context.get("port")).and_then(|p| p.parse().ok());
    Client {
        ip: parsed.map(|(ip, _)| ip),
        port: parsed.and_then(|(_, p)| p).or(port),
        user_agent: context.get("ua").map(str::to_owned),
        ..Client::default()
    }
}

fn build(line: &str, time: DateTime<Utc>, parts: &Parts<'_>, context: &Context<'_>, found: Found, ctx: &RecordCtx) -> Event {
    let mut raw = Map::new();
    raw.insert("level".into(), Value::from(parts.level));
    raw.insert("thread".into(), Value::from(parts.thread));
    for (k, v) in &context.pairs {
        raw.entry(k.to_string()).or_insert_with(|| Value::from(*v));
    }
    raw.insert("category".into(), Value::from(parts.category));
    raw.insert("message".into(), Value::from(parts.message));
    raw.insert("line".into(), Value::from(line));
    let raw = RawRecord(Value::Object(raw).to_string());
    let mut client = client(context);
    let (action, account, outcome) = match found {
        Found::SignIn { user, protocol, failure, admin } => {
            let protocol = protocol.or_else(|| protocol_of(parts, context));
            client.protocol.clone_from(&protocol);
            let sign_in = SignIn {
                client_app: protocol,
                resource: admin.then(|| "admin console".to_owned()),
                ..SignIn::default()
            };
            let outcome = match failure {
                Some(reason) => Outcome::Failure { code: None, reason: Some(reason) },
                None => Outcome::Success,
            };
            (Action::SignIn(sign_in), user.or_else(|| context.get("name").map(str::to_owned)), outcome)
        }
        Found::Other(action, account) => (action, account, Outcome::Success),
    };
    let mut event = Event::new(ctx.at, time, SourceKind::Zimbra, action, raw);
    event.account = account.as_deref().and_then(Account::new);
    // The authenticated session acted on someone else's account (an administrator).
    let actor = context.get("name").filter(|n| Some(n.to_lowercase()) != event.account.as_ref().map(|a| a.as_str().to_owned()));
    if !matches!(event.action, Action::SignIn(_)) {
        event.actor = actor.map(str::to_owned);
    }
    event.outcome = outcome;
    event.client = client;
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: 1, record: 7 }, date_order: DateOrder::MonthFirst, file_time: None }
    }

    fn parse(line: &str) -> Event {
        match line_to_event(line, None, &ctx()) {
            Ok(Some(e)) => e,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn account(e: &Event) -> Option<&str> {
        e.account.as_ref().map(Account::as_str)
    }

    #[test]
    fn audit_sign_in_success() {
        let e = parse("2015-12-05 18:47:36,435 INFO  [qtp1545357780-7135140:http://127.0.0.1:80/service/soap/AuthRequest] [name=Pepe@domain.com;oip=10.1.2.123;ua=zclient/2.0.5_GA_1839;] security - cmd=Auth; account=Pepe@domain.com; protocol=soap;");
        assert_eq!(e.time.to_rfc3339(), "2015-12-05T18:47:36.435+00:00");
        assert_eq!(account(&e), Some("pepe@domain.com"));
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.client.ip, Some("10.1.2.123".parse().unwrap()));
        assert_eq!(e.client.user_agent.as_deref(), Some("zclient/2.0.5_GA_1839"));
        assert_eq!(e.client.protocol.as_deref(), Some("soap"));
        assert_eq!(e.source, SourceKind::Zimbra);
        let raw: Value = serde_json::from_str(e.raw.as_str()).unwrap();
        assert_eq!(raw["oip"], "10.1.2.123");
        assert!(raw["line"].as_str().unwrap().ends_with("protocol=soap;"));
    }

    #[test]
    fn audit_sign_in_failure_and_proxy_chain() {
        let e = parse("2026-09-01 00:15:45,087 WARN  [qtp1:https://mail.example.local:7073/service/admin/soap/] [name=admin@example.local;oip=203.0.113.5, 10.0.0.1;oport=51288;oproto=smtp;] security - cmd=Auth; account=admin@example.local; protocol=soap; error=authentication failed for [admin], invalid password;");
        assert_eq!(e.client.ip, Some("203.0.113.5".parse().unwrap()));
        assert_eq!(e.client.port, Some(51288));
        match &e.outcome {
            Outcome::Failure { reason: Some(r), .. } => assert_eq!(r, "invalid password"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mailbox_failures() {
        let e = parse("2021-03-03 19:51:53,762 INFO  [qtp93314457-324:smtp://smtp.test.fr:7073/service/admin/soap/] [oip=192.168.7.15;oport=57752;oproto=smtp;soapId=688cb579;] SoapEngine - handler exception: authentication failed for [toto.tata], account not found");
        assert_eq!(account(&e), Some("toto.tata"));
        assert_eq!(e.outcome, Outcome::Failure { code: None, reason: Some("account not found".into()) });
        assert_eq!(e.client.protocol.as_deref(), Some("smtp"));
        let ua = parse("2024-01-02 10:00:00,001 INFO  [qtp1:https://m/service/soap/AuthRequest] [name=u@x.fr;oip=198.51.100.7;ua=Mozilla/5.0 (Windows NT 10.0; Win64; x64);soapId=1;] security - cmd=Auth; account=u@x.fr; protocol=soap;");
        assert_eq!(ua.client.user_agent.as_deref(), Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64)"));
        let imap = parse("2024-01-02 10:00:00,001 INFO  [ImapSSLServer-42] [name=u@x.fr;ip=198.51.100.7;] imap - authentication failed for [u@x.fr] (invalid password)");
        assert_eq!(imap.outcome.as_str(), "failure");
        assert_eq!(imap.client.protocol.as_deref(), Some("imap"));
        let bare = parse("2021-03-03 19:53:06,536 WARN  [qtp93314457-589:smtp://smtp.test.fr:7073/service/admin/soap/] [name=tata@test.fr;oip=192.168.7.15;oport=41496;oproto=smtp;soapId=688cb582;] SoapEngine - handler exception");
        assert_eq!(account(&bare), Some("tata@test.fr"));
        assert_eq!(bare.outcome.as_str(), "failure");
    }

    #[test]
    fn forwarding_filters_and_passwords() {
        let set = parse("2024-01-02 10:00:00,001 INFO  [qtp1-2:https://m/service/soap/ModifyPrefsRequest] [name=u@x.fr;oip=198.51.100.7;ua=ZimbraWebClient;] mailbox - modifying account u@x.fr zimbraPrefMailForwardingAddress=evil@attacker.example");
        match &set.action {
            Action::Forwarding(f) => assert_eq!(f.target.as_deref(), Some("evil@attacker.example")),
            other => panic!("{other:?}"),
        }
        assert_eq!(account(&set), Some("u@x.fr"));
        let cleared = parse("2024-01-02 10:00:00,001 INFO  [qtp1-2] [name=u@x.fr;] mailbox - modifying account u@x.fr zimbraPrefMailForwardingAddress=");
        assert_eq!(cleared.action.name(), "forwarding_cleared");
        let sieve = parse("2024-01-02 10:00:00,001 INFO  [qtp1-2] [name=u@x.fr;oip=198.51.100.7;] mailbox - modifying account u@x.fr zimbraMailSieveScript");
        assert_eq!(sieve.action.name(), "inbox_rule_modified");
        let app = parse("2024-01-02 10:00:00,001 INFO  [qtp1-2] [name=u@x.fr;oip=198.51.100.7;] security - cmd=CreateAppSpecificPassword; account=u@x.fr; appName=thunder;");
        assert_eq!(app.action, Action::AppPassword { added: true, name: Some("thunder".into()) });
        let pw = parse("2024-01-02 10:00:00,001 INFO  [qtp1-2] [name=u@x.fr;] security - cmd=ChangePassword; account=u@x.fr;");
        assert_eq!(pw.action, Action::Password { reset: false });
    }

    #[test]
    fn admin_acting_on_another_account_is_the_actor() {
        let e = parse("2024-01-02 10:00:00,001 INFO  [qtp1-2] [name=admin@x.fr;oip=198.51.100.7;] account - modifying account u@x.fr zimbraMailForwardingAddress=out@y.example");
        assert_eq!(account(&e), Some("u@x.fr"));
        assert_eq!(e.actor.as_deref(), Some("admin@x.fr"));
    }

    #[test]
    fn unrelated_and_broken_lines() {
        for line in [
            "\tat com.zimbra.cs.service.AuthRequest.handle(Auth.java:12)",
            "2024-01-02 10:00:00,001 INFO  [GC Daemon] [] system - GC overhead: 5%",
            "2024-01-02 10:00:00,001 INFO  [LmtpServer-1] [ip=127.0.0.1;] lmtp - Delivering message",
            "",
        ] {
            assert!(matches!(line_to_event(line, None, &ctx()), Ok(None)), "{line}");
        }
        assert!(line_to_event("2024-01-02 10:00:00,001 garbage", None, &ctx()).is_err());
        assert!(line_to_event("2024-01-02 10:00:00,001 INFO  [x] [name=a;] no separator here", None, &ctx()).is_err());
    }

    #[test]
    fn no_panic_on_cut_or_hostile_lines() {
        let line = "2021-03-03 19:26:38,616 INFO  [qtp9-1:https://t.fr:7071/service/admin/soap/AuthRequest] [name=é@t.fr;oip=1.2.3.4;ua=x;y (z]);] security - cmd=Auth; account=é@t.fr; error=authentication failed for [é, invalid;";
        for (at, _) in line.char_indices() {
            let _ = line_to_event(&line[..at], None, &ctx());
            let _ = line_to_event(&line[at..], None, &ctx());
        }
    }

    #[test]
    fn sniffs() {
        let audit = "2015-03-26 21:51:36,505 INFO  [Pop3Server-13] [ip=172.16.0.3;oip=200.111.128.196;] security - cmd=Auth; account=j@example.com; protocol=pop3;\n";
        assert!(sniff_audit(audit));
        let mailbox = "2021-03-03 19:26:38,616 INFO  [qtp93314457-137:https://test.fr:7071/service/admin/soap/AuthRequest] [name=toto@test.fr;oip=192.168.7.101;] SoapEngine - handler exception: authentication failed for [toto@test.fr], invalid password\n";
        assert!(!sniff_audit(mailbox));
        assert!(sniff_mailbox(mailbox));
        assert!(!sniff_mailbox("2021-03-03 19:26:38,616 INFO  main - started\n"));
        assert!(!sniff_mailbox("Nov 22 14:35:01 host dovecot: imap-login: Login: user=<a>\n"));
    }
}
