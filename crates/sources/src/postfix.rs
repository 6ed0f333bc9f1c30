//! Postfix logs through syslog (see [`crate::syslog`] for the framing and how times
//! are read). Programs are `postfix/<service>` and their variants
//! (`postfix/submission/smtpd`, `postfix-incoming/smtpd`...).
//!
//! What becomes an event; the queue id is the `client.session_id` of every event of a
//! message, so that `mailcase query` can join its lines:
//! - smtpd `QUEUEID: client=host[IP], sasl_method=PLAIN, sasl_username=u`: a
//!   successful sign-in (`Authenticated SMTP`, the method as `auth_protocol`); without
//!   `sasl_username`, a message trace of the unauthenticated client (`from_ip`);
//! - `warning: host[IP]: SASL LOGIN authentication failed: reason[, sasl_username=u]`: a
//!   failed sign-in (account from `sasl_username` when logged); `Connection lost to
//!   authentication server` is the server's problem, not the client's: an
//!   `Other { operation: "sasl_server_unavailable" }` event with an unknown outcome;
//! - qmgr `QUEUEID: from=<a>, size=N, nrcpt=M (queue active)`: a message trace whose
//!   account is the sender (`status=expired` is a failure);
//! - pickup `QUEUEID: uid=N from=<a>` (local submission): a message trace, account the
//!   sender; cleanup `QUEUEID: message-id=<id>`: a message trace with the message id;
//! - delivery agents (`smtp`, `lmtp`, `local`, `virtual`, `pipe`, `error`...)
//!   `QUEUEID: to=<b>, relay=host[IP]:port, ..., dsn=X, status=sent (...)`: a message
//!   trace with the recipient and status; `sent` is a success, `bounced`/`expired` a
//!   failure (dsn as code), `deferred` unknown (it will be retried). Local agents
//!   deliver to a mailbox of ours: the account is the recipient;
//! - `NOQUEUE: reject: RCPT from host[IP]: 554 5.7.1 ...; from=<a> to=<b> proto=ESMTP
//!   helo=<h>` (and `QUEUEID: reject:`, `milter-reject:`, postscreen's form): a message
//!   trace with status `rejected`, failure with the SMTP code;
//! - protocol abuse from an address (non-SMTP commands, pipelining, too many errors,
//!   postscreen violations, rate limits, illegal address syntax): `Other` events
//!   failing, with the client address, so that hunts on an IP find them.
//!
//! Connection bookkeeping (`connect from`, `disconnect from`, `lost connection`) is not
//! an event: the failed authentication itself is the SASL warning line.

use std::net::IpAddr;

use mailcase_model::{Account, Action, Event, MessageTrace, Outcome, RawRecord, SignIn, SourceKind, parse_ip_port};

use crate::RecordCtx;
use crate::syslog::{self, KeyValues, RawFields, RawValue, SmallList, SyslogLine, quote, split_colon, unbracket};

/// Lines of the file start examined by [`sniff`].
const SNIFF_LINES: usize = 200;

/// Whether the start of a file (decoded text) is a Postfix log: a line of a
/// `postfix/...` program.
pub(crate) fn sniff(text: &str) -> bool {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .take(SNIFF_LINES)
        .any(|l| matches!(syslog::parse(l, None), Ok(Some(frame)) if is_postfix(frame.program)))
}

/// Whether a syslog program is one of Postfix's (`postfix/smtpd`, `postfix-in/qmgr`).
pub(crate) fn is_postfix(program: &str) -> bool {
    program.starts_with("postfix") && syslog::has_byte(program, b'/')
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(line: &str, _header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let Some(frame) = syslog::parse(line, ctx.file_time)? else { return Ok(None) };
    if is_postfix(frame.program) {
        return frame_to_event(line, &frame, ctx);
    }
    // Debian's mail.log mixes Dovecot and Postfix.
    crate::dovecot::frame_to_event(line, &frame, ctx)
}

/// The event of a framed Postfix line, if it tells something we model.
pub(crate) fn frame_to_event(line: &str, frame: &SyslogLine<'_>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let program = frame.program;
    let service = memchr::memrchr(b'/', program.as_bytes()).and_then(|at| program.get(at + 1..)).unwrap_or(program);
    // `postfix/submission/smtpd`: the part after the first `/` when there are two or more.
    let instance = syslog::split_byte(program, b'/').and_then(|(_, after)| syslog::split_byte(after, b'/')).map(|(instance, _)| instance);
    let base = Base { line, frame, ctx, service, instance };
    let text = frame.message;
    if let Some(rest) = text.strip_prefix("warning: ") {
        return warning(&base, rest);
    }
    if let Some((queue_id, rest)) = split_colon(text)
        && is_queue_id(queue_id)
    {
        return queued(&base, queue_id, rest);
    }
    abuse(&base, text, ABUSE)
}

/// Queue ids: `NOQUEUE`, short hex (`00ADB3C0899`) or long (`44JCRG5tYPzCqt2`) ids.
fn is_queue_id(word: &str) -> bool {
    word == "NOQUEUE" || ((5..=20).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What every event of a line shares.
struct Base<'a> {
    line: &'a str,
    frame: &'a SyslogLine<'a>,
    ctx: &'a RecordCtx,
    /// `smtpd`, `qmgr`, `smtp`...
    service: &'a str,
    /// The master.cf service between (`submission`, `smtps`), if any.
    instance: Option<&'a str>,
}

impl<'a> Base<'a> {
    /// The raw record's frame fields, to which a line adds its own.
    fn raw(&self) -> RawFields<'a> {
        let mut raw = self.frame.raw_fields(self.line);
        raw.insert("service", self.service);
        if let Some(instance) = self.instance {
            raw.insert("instance", instance);
        }
        raw
    }

    /// [`Base::raw`] with a line's `key=value` list (the first of a repeated key).
    fn raw_of<'f>(&self, fields: &[(&'f str, &'f str)]) -> RawFields<'f>
    where
        'a: 'f,
    {
        let mut raw = self.raw();
        let start = raw.len();
        for (k, v) in fields {
            if !v.is_empty() && !raw.contains_key_from(start, k) {
                raw.insert(k, *v);
            }
        }
        raw
    }

    fn event(&self, action: Action, raw: RawFields<'_>) -> Event {
        Event::new(self.ctx.at, self.frame.time, SourceKind::Postfix, action, RawRecord(raw.into_json()))
    }
}

/// A client as Postfix names it: host name, address (`None` for `unknown`) and port.
type Peer<'a> = (&'a str, Option<IpAddr>, Option<u16>);

/// `host[IP]` or `host[IP]:port` (postscreen writes `[IP]:port`): the host, the address
/// (`None` for `unknown`) and the port. `Err` when the brackets hold something else.
fn host_ip(text: &str) -> Result<Option<Peer<'_>>, String> {
    let Some((host, rest)) = text.split_once('[') else { return Ok(None) };
    let Some((inside, after)) = rest.split_once(']') else { return Ok(None) };
    if host.contains(' ') {
        return Ok(None);
    }
    let port = after.strip_prefix(':').and_then(|p| p.split(|c: char| !c.is_ascii_digit()).next()).and_then(|p| p.parse().ok());
    if inside == "unknown" {
        return Ok(Some((host, None, port)));
    }
    let inside = inside.strip_prefix("IPv6:").unwrap_or(inside);
    match parse_ip_port(inside) {
        Some((ip, _)) => Ok(Some((host, Some(ip.to_canonical()), port))),
        None => Err(format!("client address `{}` is not an IP address", quote(inside))),
    }
}

fn set_client(event: &mut Event, found: Option<Peer<'_>>) {
    if let Some((_, ip, port)) = found {
        event.client.ip = ip;
        event.client.port = port;
    }
}

fn raw_client<'a>(raw: &mut RawFields<'a>, found: Option<Peer<'a>>) {
    if let Some((host, ip, _)) = found {
        raw.insert("client_host", host);
        if let Some(ip) = ip {
            raw.insert("client_ip", RawValue::Ip(ip));
        }
    }
}

/// `warning: ...` lines: SASL failures and some abuse.
fn warning(base: &Base<'_>, text: &str) -> Result<Option<Event>, String> {
    if let Some(at) = text.find(": SASL ") {
        let detail = text.get(at + 7..).unwrap_or_default();
        if let Some((mechanism, reason)) = detail.split_once(" authentication failed") {
            let client = host_ip(text.get(..at).unwrap_or_default())?;
            return Ok(Some(sasl_failure(base, client, mechanism, reason.trim_start_matches(':').trim())));
        }
    }
    abuse(base, text, WARNING_ABUSE)
}

fn sasl_failure(base: &Base<'_>, client: Option<Peer<'_>>, mechanism: &str, reason: &str) -> Event {
    let (reason, user) = match reason.rsplit_once(", sasl_username=") {
        Some((reason, user)) => (reason, Some(user.trim())),
        None => (reason, None),
    };
    let mut raw = base.raw();
    raw_client(&mut raw, client);
    raw.insert("sasl_method", mechanism);
    raw.insert("reason", reason);
    if let Some(user) = user {
        raw.insert("sasl_username", user);
    }
    let server_side = reason.eq_ignore_ascii_case("Connection lost to authentication server");
    let action = if server_side {
        Action::Other { operation: "sasl_server_unavailable".into() }
    } else {
        Action::SignIn(SignIn {
            client_app: Some("Authenticated SMTP".into()),
            auth_protocol: Some(mechanism.to_ascii_uppercase()),
            ..SignIn::default()
        })
    };
    let mut event = base.event(action, raw);
    event.account = user.and_then(Account::new);
    event.outcome = if server_side {
        Outcome::Unknown
    } else {
        Outcome::Failure { code: Some("sasl_auth_failed".into()), reason: Some(reason.to_owned()).filter(|r| !r.is_empty()) }
    };
    event.client.protocol = Some("Authenticated SMTP".into());
    set_client(&mut event, client);
    event
}

/// `QUEUEID: rest` lines.
fn queued(base: &Base<'_>, queue_id: &str, rest: &str) -> Result<Option<Event>, String> {
    let verb = split_colon(rest).map_or(rest, |(verb, _)| verb);
    if verb == "reject" || verb == "milter-reject" || verb == "discard" || verb == "reject_warning" {
        return reject(base, queue_id, rest);
    }
    if queue_id == "NOQUEUE" {
        return abuse(base, rest, ABUSE);
    }
    let list: SmallList<(&str, &str), 16> = KeyValues::new(rest).collect();
    let fields = list.as_slice();
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let event = if let Some(client) = get("client") {
        client_line(base, client, fields)?
    } else if let Some(to) = get("to") {
        delivery(base, to, fields)?
    } else if let Some(from) = get("from").or_else(|| pickup_from(rest)) {
        sender_line(base, from, fields)
    } else if let Some(id) = get("message-id") {
        let trace = MessageTrace { message_id: Some(unbracket(id).to_owned()), ..MessageTrace::default() };
        base.event(Action::MessageTrace(trace), base.raw_of(fields))
    } else {
        return Ok(None);
    };
    Ok(Some(with_queue(event, queue_id)))
}

fn with_queue(mut event: Event, queue_id: &str) -> Event {
    if queue_id != "NOQUEUE" {
        event.client.session_id = Some(queue_id.to_owned());
    }
    event
}

/// pickup's `uid=1000 from=<a>` (space separated).
fn pickup_from(rest: &str) -> Option<&str> {
    rest.split(' ').find_map(|w| w.strip_prefix("from="))
}

/// smtpd `client=host[IP], sasl_method=PLAIN, sasl_username=u`.
fn client_line(base: &Base<'_>, client: &str, fields: &[(&str, &str)]) -> Result<Event, String> {
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).filter(|v| !v.is_empty());
    let found = host_ip(client)?;
    let mut raw = base.raw_of(fields);
    raw_client(&mut raw, found);
    let mut event = match get("sasl_username") {
        Some(user) => {
            let method = get("sasl_method");
            let action = Action::SignIn(SignIn {
                client_app: Some("Authenticated SMTP".into()),
                auth_protocol: method.map(str::to_ascii_uppercase),
                ..SignIn::default()
            });
            let mut event = base.event(action, raw);
            event.account = Account::new(user);
            event.outcome = Outcome::Success;
            event.client.protocol = Some("Authenticated SMTP".into());
            event
        }
        None => {
            let trace = MessageTrace { from_ip: found.and_then(|f| f.1).map(|ip| ip.to_string()), ..MessageTrace::default() };
            let mut event = base.event(Action::MessageTrace(trace), raw);
            event.client.protocol = Some("SMTP".into());
            event
        }
    };
    set_client(&mut event, found);
    Ok(event)
}

/// qmgr `from=<a>, size=N, nrcpt=M (queue active)` and pickup `uid=N from=<a>`.
fn sender_line(base: &Base<'_>, from: &str, fields: &[(&str, &str)]) -> Event {
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let sender = unbracket(from);
    let status = get("status").map(|s| s.split(' ').next().unwrap_or(s).to_owned());
    let size = get("size").and_then(|s| s.parse().ok());
    let expired = status.as_deref() == Some("expired");
    let trace = MessageTrace {
        sender: Some(sender.to_owned()).filter(|s| !s.is_empty()),
        size,
        status: status.or_else(|| Some(if base.service == "pickup" { "submitted" } else { "queued" }.into())),
        ..MessageTrace::default()
    };
    let mut event = base.event(Action::MessageTrace(trace), base.raw_of(fields));
    event.account = Account::new(sender);
    event.outcome = if expired { Outcome::Failure { code: Some("expired".into()), reason: get("status").map(str::to_owned) } } else { Outcome::Unknown };
    event
}

/// Delivery agents' `to=<b>, relay=host[IP]:port, ..., dsn=X, status=S (text)`.
fn delivery(base: &Base<'_>, to: &str, fields: &[(&str, &str)]) -> Result<Event, String> {
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).filter(|v| !v.is_empty());
    let recipient = unbracket(to);
    let status_text = get("status").unwrap_or_default();
    let (status, detail) = status_text.split_once(' ').unwrap_or((status_text, ""));
    let detail = detail.trim().strip_prefix('(').and_then(|d| d.strip_suffix(')')).unwrap_or(detail.trim());
    // A relay may be a socket (`host[private/dovecot-lmtp]`): only an address counts.
    let relay = get("relay").and_then(|r| host_ip(r).ok().flatten());
    let trace = MessageTrace {
        recipient: Some(recipient.to_owned()).filter(|r| !r.is_empty()),
        status: Some(status.to_owned()).filter(|s| !s.is_empty()),
        to_ip: relay.and_then(|r| r.1).map(|ip| ip.to_string()),
        ..MessageTrace::default()
    };
    let mut event = base.event(Action::MessageTrace(trace), base.raw_of(fields));
    let local = matches!(base.service, "local" | "lmtp" | "virtual" | "pipe");
    if local {
        event.account = Account::new(recipient);
    }
    event.outcome = match status {
        "sent" | "delivered" => Outcome::Success,
        "bounced" | "expired" | "undeliverable" => Outcome::Failure {
            code: get("dsn").map(str::to_owned),
            reason: Some(detail.to_owned()).filter(|d| !d.is_empty()),
        },
        _ => Outcome::Unknown,
    };
    Ok(event)
}

/// `reject: RCPT from host[IP]: 554 5.7.1 <x>: reason; from=<a> to=<b> proto=ESMTP helo=<h>`.
fn reject(base: &Base<'_>, queue_id: &str, rest: &str) -> Result<Option<Event>, String> {
    let (verb, detail) = split_colon(rest).unwrap_or((rest, ""));
    let Some((command, after_from)) = detail.split_once(" from ") else { return Ok(None) };
    let client = host_ip(after_from)?;
    // The reply follows the client: `host[IP]: ` or postscreen's `[IP]:port: `.
    let reply = after_from.split_once("]: ").or_else(|| after_from.split_once("]:").and_then(|(_, r)| r.split_once(": ")));
    let reply = reply.map_or("", |(_, r)| r);
    let (reason, trailer) = reply.split_once("; from=<").map_or((reply, ""), |(r, t)| (r, t));
    let reason = reason.trim_end_matches(';');
    let code: String = reason.split(' ').take_while(|w| w.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !w.is_empty()).collect::<Vec<_>>().join(" ");
    let text = reason.get(code.len()..).unwrap_or_default().trim();
    let sender = trailer.split_once('>').map(|(s, _)| s).filter(|s| !s.is_empty());
    let recipient = angle_after(trailer, "to=<");
    let trace = MessageTrace {
        sender: sender.map(str::to_owned),
        recipient: recipient.map(str::to_owned),
        status: Some("rejected".into()),
        from_ip: client.and_then(|c| c.1).map(|ip| ip.to_string()),
        ..MessageTrace::default()
    };
    let mut raw = base.raw();
    raw.insert("action", verb);
    raw.insert("command", command);
    raw_client(&mut raw, client);
    raw.insert("reply", reason);
    let pairs = [("from", sender), ("to", recipient), ("helo", angle_after(trailer, "helo=<"))];
    for (k, v) in pairs {
        if let Some(v) = v {
            raw.insert(k, v);
        }
    }
    let mut event = base.event(Action::MessageTrace(trace), raw);
    event.outcome = Outcome::Failure {
        code: Some(code).filter(|c| !c.is_empty()),
        reason: Some(text.to_owned()).filter(|t| !t.is_empty()),
    };
    set_client(&mut event, client);
    Ok(Some(with_queue(event, queue_id)))
}

/// The `<...>` value after `key` (`to=<`), if any.
fn angle_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(key)?;
    rest.split_once('>').map(|(v, _)| v).filter(|v| !v.is_empty())
}

/// Abuse lines: the phrase that starts them, and the operation name.
const ABUSE: &[(&str, &str)] = &[
    ("improper command pipelining after ", "smtp_pipelining"),
    ("too many errors after ", "smtp_too_many_errors"),
    ("PREGREET ", "postscreen_pregreet"),
    ("HANGUP after ", "postscreen_hangup"),
    ("COMMAND TIME LIMIT ", "postscreen_command_limit"),
    ("COMMAND COUNT LIMIT ", "postscreen_command_limit"),
    ("COMMAND LENGTH LIMIT ", "postscreen_command_limit"),
    ("COMMAND PIPELINING ", "postscreen_pipelining"),
    ("NON-SMTP COMMAND ", "postscreen_non_smtp_command"),
    ("BARE NEWLINE ", "postscreen_bare_newline"),
];

/// Abuse reported as `warning: ...`.
const WARNING_ABUSE: &[(&str, &str)] = &[
    ("non-SMTP command from ", "smtp_non_smtp_command"),
    ("Connection rate limit exceeded", "smtp_rate_limit"),
    ("Connection concurrency limit exceeded", "smtp_rate_limit"),
    ("Message delivery request rate limit exceeded", "smtp_rate_limit"),
    ("Recipient address rate limit exceeded", "smtp_rate_limit"),
    ("New TLS session rate limit exceeded", "smtp_rate_limit"),
    ("Illegal address syntax from ", "smtp_illegal_address"),
];

/// A line starting with one of `phrases`: an `Other` event failing, with the client
/// taken after ` from `.
fn abuse(base: &Base<'_>, text: &str, phrases: &[(&str, &str)]) -> Result<Option<Event>, String> {
    let Some((_, operation)) = phrases.iter().find(|(p, _)| text.starts_with(p)) else { return Ok(None) };
    let Some((_, after)) = text.split_once(" from ").or_else(|| text.split_once("from ")) else { return Ok(None) };
    let client = host_ip(after)?;
    let mut raw = base.raw();
    raw_client(&mut raw, client);
    let mut event = base.event(Action::Other { operation: (*operation).into() }, raw);
    event.outcome = Outcome::Failure { code: Some((*operation).into()), reason: Some(text.chars().take(200).collect()) };
    event.client.protocol = Some("SMTP".into());
    set_client(&mut event, client);
    Ok(Some(event))
}

#[cfg(test)]
mod tests {
    use mailcase_model::EvidenceRef;

    use super::*;

    fn ctx() -> RecordCtx {
        let file_time = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").ok().map(|t| t.to_utc());
        RecordCtx { at: EvidenceRef { evidence: 1, record: 3 }, date_order: crate::time::DateOrder::default(), file_time }
    }

    fn event(line: &str) -> Event {
        line_to_event(line, None, &ctx()).expect("no error").expect("an event")
    }

    fn none(line: &str) {
        assert_eq!(line_to_event(line, None, &ctx()).expect("no error"), None, "{line}");
    }

    fn ip(e: &Event) -> String {
        e.client.ip.map(|i| i.to_string()).unwrap_or_default()
    }

    fn trace(e: &Event) -> &MessageTrace {
        match &e.action {
            Action::MessageTrace(t) => t,
            other => panic!("not a trace: {other:?}"),
        }
    }

    #[test]
    fn authenticated_submission() {
        let e = event("Nov 22 10:00:00 mx postfix/submission/smtpd[9]: 4F2A51C0A2B: client=laptop.example[203.0.113.7]:51234, sasl_method=PLAIN, sasl_username=Debra@Example.fr");
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("debra@example.fr"));
        assert_eq!((ip(&e).as_str(), e.client.port), ("203.0.113.7", Some(51234)));
        assert_eq!(e.client.session_id.as_deref(), Some("4F2A51C0A2B"));
        assert_eq!(e.client.protocol.as_deref(), Some("Authenticated SMTP"));
        let raw: serde_json::Value = serde_json::from_str(e.raw.as_str()).expect("json");
        assert_eq!((raw["instance"].as_str(), raw["service"].as_str()), (Some("submission"), Some("smtpd")));
        let anon = event("Nov 22 10:00:00 mx postfix/smtpd[9]: 4F2A51C0A2B: client=unknown[198.51.100.1]");
        assert_eq!(trace(&anon).from_ip.as_deref(), Some("198.51.100.1"));
        assert_eq!(anon.account, None);
    }

    #[test]
    fn sasl_failures() {
        let e = event("May 11 04:02:36 host1 postfix/smtpd[26897]: warning: unknown[192.168.1.1]: SASL LOGIN authentication failed: authentication failure");
        assert!(matches!(e.action, Action::SignIn(_)));
        assert_eq!((ip(&e).as_str(), e.outcome.as_str(), e.account.clone()), ("192.168.1.1", "failure", None));
        let u = event("May  6 09:25:41 mail postfix/smtps/smtpd[1]: warning: unknown[203.0.113.10]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=postmaster@example.org");
        assert_eq!(u.account.as_ref().map(Account::as_str), Some("postmaster@example.org"));
        let p = event("Aug 4 16:47:52 mail3 postfix/smtpd[31152]: warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure");
        assert_eq!((ip(&p).as_str(), p.client.port), ("192.0.2.237", Some(55729)));
        let lost = event("Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[1.1.1.1]: SASL LOGIN authentication failed: Connection lost to authentication server");
        assert_eq!((lost.action.name(), lost.outcome.as_str()), ("other", "unknown"));
        let bad = line_to_event("May 11 04:02:36 h postfix/smtpd[1]: warning: unknown[x.y]: SASL LOGIN authentication failed: z", None, &ctx());
        assert!(bad.is_err_and(|e| e.contains("x.y")));
    }

    #[test]
    fn message_lifecycle() {
        let q = event("Nov 22 10:00:01 mx postfix/qmgr[5]: 4F2A51C0A2B: from=<debra@example.fr>, size=2048, nrcpt=3 (queue active)");
        assert_eq!((trace(&q).sender.as_deref(), trace(&q).size), (Some("debra@example.fr"), Some(2048)));
        assert_eq!(q.account.as_ref().map(Account::as_str), Some("debra@example.fr"));
        assert_eq!(q.client.session_id.as_deref(), Some("4F2A51C0A2B"));
        let s = event("Nov 22 10:00:02 mx postfix/smtp[6]: 4F2A51C0A2B: to=<x@partner.com>, relay=mx.partner.com[192.0.2.25]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ABC)");
        assert_eq!((trace(&s).recipient.as_deref(), trace(&s).status.as_deref()), (Some("x@partner.com"), Some("sent")));
        assert_eq!((trace(&s).to_ip.as_deref(), s.outcome.as_str(), s.account.clone()), (Some("192.0.2.25"), "success", None));
        let b = event("Nov 22 10:00:02 mx postfix/local[6]: 4F2A51C0A2B: to=<bob@example.fr>, relay=local, delay=0, dsn=5.2.2, status=bounced (cannot update mailbox, quota exceeded)");
        assert_eq!(b.outcome, Outcome::Failure { code: Some("5.2.2".into()), reason: Some("cannot update mailbox, quota exceeded".into()) });
        assert_eq!(b.account.as_ref().map(Account::as_str), Some("bob@example.fr"));
        let d = event("Nov 22 10:00:02 mx postfix/smtp[6]: 4F2A51C0A2B: to=<x@y>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect timed out)");
        assert_eq!(d.outcome, Outcome::Unknown);
        let m = event("Nov 22 10:00:00 mx postfix/cleanup[7]: 4F2A51C0A2B: message-id=<abc@example.fr>");
        assert_eq!(trace(&m).message_id.as_deref(), Some("abc@example.fr"));
        let p = event("Nov 22 10:00:00 mx postfix/pickup[7]: 4F2A51C0A2B: uid=33 from=<www-data>");
        assert_eq!(p.account.as_ref().map(Account::as_str), Some("www-data"));
        none("Nov 22 10:00:03 mx postfix/qmgr[5]: 4F2A51C0A2B: removed");
        none("Nov 22 10:00:03 mx postfix/smtpd[5]: connect from unknown[1.2.3.4]");
        none("Nov 22 10:00:03 mx postfix/smtpd[5]: disconnect from unknown[192.0.2.1] helo=1 auth=0/1 quit=1 commands=2/3");
    }

    #[test]
    fn rejects() {
        let r = event("2024-08-25T12:31:56.154748+00:00 machine postfix/smtpd[3887453]: NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<a@b.c> to=<d@e.f> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>");
        assert_eq!(trace(&r).status.as_deref(), Some("rejected"));
        assert_eq!((trace(&r).sender.as_deref(), trace(&r).recipient.as_deref()), (Some("a@b.c"), Some("d@e.f")));
        assert_eq!(r.outcome, Outcome::Failure { code: Some("454 4.7.1".into()), reason: Some("<spammer@domain.tld>: Relay access denied".into()) });
        assert_eq!((ip(&r).as_str(), r.client.session_id.clone()), ("192.168.1.1", None));
        let ps = event("May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<s@example.com>, to=<g@example.com>, proto=ESMTP, helo=<b>");
        assert_eq!((ip(&ps).as_str(), ps.client.port), ("216.245.194.173", Some(60591)));
        assert_eq!(trace(&ps).recipient.as_deref(), Some("g@example.com"));
        let m = event("Mar 7 02:09:33 server postfix/smtpd[27246]: 1D8CC1CA0A7F: milter-reject: DATA from a.example.com[192.0.2.151]: 550 5.7.1 Command rejected; from=<s@m.example.com> to=<h@example.com> proto=ESMTP helo=<x>");
        assert_eq!((m.client.session_id.as_deref(), ip(&m).as_str()), (Some("1D8CC1CA0A7F"), "192.0.2.151"));
    }

    #[test]
    fn abuse_lines() {
        let n = event("2024-10-31T12:38:21.817327+00:00 machine postfix/submission/smtpd[2634372]: warning: non-SMTP command from unknown[192.168.1.1]: GET / HTTP/1.1");
        assert_eq!((n.action.name(), n.outcome.as_str(), ip(&n).as_str()), ("other", "failure", "192.168.1.1"));
        let p = event("Dec 23 19:39:13 xxx postfix/postscreen[21057]: PREGREET 14 after 0.08 from [192.0.2.2]:59415: EHLO ylmf-pc\\r\\n");
        assert_eq!(ip(&p), "192.0.2.2");
        let r = event("Sep 19 12:10:57 hostname postfix/smtpd[23244]: warning: Connection rate limit exceeded: 31 from spamhost.domain.org[192.0.2.123] for service smtpd");
        assert_eq!(ip(&r), "192.0.2.123");
        none("Aug 14 10:00:01 mail postfix/smtpd[1234]: warning: hostname bad.example.com does not resolve to address 192.0.2.44: Name or service not known");
    }

    #[test]
    fn mixed_mail_log_and_sniffing() {
        let d = event("Nov 22 10:00:00 mx dovecot: imap-login: Login: user=<a@b.c>, method=PLAIN, rip=1.2.3.4, lip=5.6.7.8");
        assert_eq!(d.source, SourceKind::Dovecot);
        assert!(sniff("# x\nNov 22 10:00:00 mx postfix/smtpd[1]: connect from x[1.2.3.4]\n"));
        assert!(!sniff("Nov 22 10:00:00 mx dovecot: imap-login: x\n"));
        assert!(!is_postfix("postfix") && is_postfix("postfix-in/smtpd"));
    }

    #[test]
    fn hostile_lines_never_panic() {
        let lines = [
            "Nov 22 10:00:00 h postfix/smtpd[1]: ABCDE12345: client=",
            "Nov 22 10:00:00 h postfix/smtpd[1]: ABCDE12345: client=[",
            "Nov 22 10:00:00 h postfix/smtpd[1]: NOQUEUE: reject: RCPT from [",
            "Nov 22 10:00:00 h postfix/smtpd[1]: NOQUEUE: reject: RCPT from x]: ; from=<",
            "Nov 22 10:00:00 h postfix/smtpd[1]: warning: : SASL ",
            "Nov 22 10:00:00 h postfix/smtpd[1]: warning: é[: SASL é authentication failed",
            "Nov 22 10:00:00 h postfix/smtp[1]: ABCDE12345: to=<é, relay=é[é]:é, status=",
            "Nov 22 10:00:00 h postfix/postscreen[1]: PREGREET from é",
        ];
        for line in lines {
            let _ = line_to_event(line, None, &ctx());
        }
    }
}
