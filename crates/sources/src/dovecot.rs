//! Dovecot logs (2.x, 2.4 included, and the 1.x phrasing still met in old archives),
//! through syslog or Dovecot's own log files (see [`crate::syslog`] for the framing and
//! how times are read).
//!
//! What becomes an event:
//! - `imap-login` / `pop3-login` / `submission-login` / `managesieve-login`
//!   `Login: user=<u>, method=PLAIN, rip=IP, lip=IP, mpid=N, TLS, session=<id>`: a
//!   successful sign-in. `client.protocol` is `IMAP`, `POP3`, `Submission` or
//!   `ManageSieve`; `SignIn.client_app` uses the Entra names for legacy clients
//!   (`IMAP4`, `POP3`, `Authenticated SMTP`); the method is the `auth_protocol`;
//!   `session` is the session id;
//! - the same processes' `Disconnected` / `Aborted login` / `Login aborted` lines whose
//!   reason says `auth failed` (2.4: `(auth_failed)`), `tried to use disabled/disallowed
//!   ... auth`, or (1.x) `N authentication attempts`: a failed sign-in with the reason.
//!   Disconnections without an authentication attempt are not events;
//! - `auth` / `auth-worker` lines of a password database (`pam(u,ip): unknown user`,
//!   `sql(u,ip,<session>): Password mismatch`, `ldap(...): invalid credentials`,
//!   2.4's `auth(u,ip,sasl:mech)<session>: sql: Password mismatch`) and
//!   `pam_unix(dovecot:auth): authentication failure; ... rhost=IP user=u`: failed
//!   sign-ins (code `unknown_user` or `invalid_credentials`). A password Dovecot was
//!   told to log (`given password: ...`) is kept out of the reason; it stays in the
//!   raw line, like everything else in the evidence;
//! - `ID sent: name=...` (`imap_id_log`): an `Other { operation: "imap_id" }` event whose
//!   user agent is the ID the client sent, with the session id to join it to its login;
//! - `mail_log` plugin lines of mail processes (`imap(u)<pid><session>: delete: box=...,
//!   uid=..., msgid=<...>`): `delete` is a soft delete, `expunge` a hard delete, `copy`
//!   a move to `box`, other events (`flag_change`, `save`, `mailbox_delete`...) are
//!   `Other` with the event name;
//! - Sieve script changes logged by `managesieve(u)` or `doveadm(u)` (a script put,
//!   uploaded, activated or deleted, with its quoted name): an inbox rule change.
//!   Pigeonhole logs these only at higher verbosity; the name is the first quoted word.
//!
//! Lines of other programs are not events, except Postfix lines, which are handed to
//! the Postfix module (Debian's `mail.log` mixes both).

use mailcase_model::{
    Account, Action, DeleteKind, Event, InboxRule, MailDeleted, Outcome, RawRecord, RuleChange, SignIn, SourceKind,
    parse_ip_port,
};

use crate::RecordCtx;
use crate::syslog::{self, KeyValues, RawFields, SyslogLine, key_values, quote, split_colon, unbracket};

/// Log levels Dovecot writes before or after the process name.
const LEVELS: [&str; 8] = ["Info", "Warning", "Warn", "Error", "Fatal", "Panic", "Debug", "Notice"];

/// Lines of the file start examined by [`sniff`].
const SNIFF_LINES: usize = 200;

/// Whether the start of a file (decoded text) is a Dovecot log: several lines (or the
/// only one) are Dovecot's, and no fewer than Postfix's.
pub(crate) fn sniff(text: &str) -> bool {
    let (mut dovecot, mut postfix, mut lines) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).take(SNIFF_LINES) {
        lines += 1;
        let Ok(Some(frame)) = syslog::parse(line, None) else { continue };
        if crate::postfix::is_postfix(frame.program) {
            postfix += 1;
        } else if is_dovecot(&frame) {
            dovecot += 1;
        }
    }
    (dovecot >= 2 || (dovecot == 1 && lines == 1)) && dovecot >= postfix
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(line: &str, _header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let Some(frame) = syslog::parse(line, ctx.file_time)? else { return Ok(None) };
    if crate::postfix::is_postfix(frame.program) {
        return crate::postfix::frame_to_event(line, &frame, ctx);
    }
    frame_to_event(line, &frame, ctx)
}

/// The event of a framed line, if it is a Dovecot line we model.
pub(crate) fn frame_to_event(line: &str, frame: &SyslogLine<'_>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    if !is_dovecot(frame) {
        return Ok(None);
    }
    let said = Said::split(dovecot_text(frame));
    let base = Base { line, frame, ctx, process: said.process };
    match process_name(said.process) {
        name if name.ends_with("-login") => login_line(&base, name, said.text),
        "auth" | "auth-worker" | "dovecot-auth" => auth_line(&base, said.text),
        "" => Ok(None),
        _ => mail_process_line(&base, said.text),
    }
}

/// Whether a framed line was written by Dovecot: tagged `dovecot`, or from Dovecot's
/// own log file (no host), or PAM's report for the `dovecot` service.
fn is_dovecot(frame: &SyslogLine<'_>) -> bool {
    let program = frame.program;
    program.starts_with("dovecot")
        || (frame.host.is_none() && !program.is_empty() && !crate::postfix::is_postfix(program))
        || (program == "auth" && frame.message.contains("(dovecot:"))
}

/// The text that starts with Dovecot's process name.
fn dovecot_text<'a>(frame: &'a SyslogLine<'_>) -> &'a str {
    if frame.program == "dovecot" { frame.message } else { &frame.tagged }
}

/// A Dovecot message split into the process that logged it and what it said, levels
/// and repeated `dovecot:` tags removed.
struct Said<'a> {
    process: &'a str,
    text: &'a str,
}

impl<'a> Said<'a> {
    fn split(mut text: &'a str) -> Self {
        for _ in 0..6 {
            let Some((word, rest)) = split_colon(text) else { break };
            if syslog::has_byte(word, b' ') {
                break;
            }
            if LEVELS.contains(&word) || word == "dovecot" || word.starts_with("dovecot[") {
                text = rest;
                continue;
            }
            return Said { process: word, text: strip_levels(rest) };
        }
        Said { process: "", text }
    }
}

fn strip_levels(mut text: &str) -> &str {
    while let Some((word, rest)) = split_colon(text) {
        if !LEVELS.contains(&word) {
            break;
        }
        text = rest;
    }
    text
}

/// `imap-login`, `auth-worker(12)` -> `auth-worker`, `imap(u)<1><s>` -> `imap`.
fn process_name(process: &str) -> &str {
    let end = process.find(['(', '<', '[']).unwrap_or(process.len());
    process.get(..end).unwrap_or_default()
}

/// What every event of a line shares.
struct Base<'a> {
    line: &'a str,
    frame: &'a SyslogLine<'a>,
    ctx: &'a RecordCtx,
    process: &'a str,
}

impl<'a> Base<'a> {
    /// The raw record's frame fields, to which a line adds its own.
    fn raw(&self) -> RawFields<'a> {
        let mut raw = self.frame.raw_fields(self.line);
        raw.insert("process", self.process);
        raw
    }

    fn event(&self, action: Action, raw: RawFields<'_>) -> Event {
        Event::new(self.ctx.at, self.frame.time, SourceKind::Dovecot, action, RawRecord(raw.into_json()))
    }
}

/// The parsed `user=<>, method=, rip=, lip=, session=<>` list of a login process.
#[derive(Default)]
struct LoginFields<'a> {
    user: Option<&'a str>,
    method: Option<&'a str>,
    rip: Option<&'a str>,
    lip: Option<&'a str>,
    session: Option<&'a str>,
    tls: bool,
}

impl<'a> LoginFields<'a> {
    fn read(tail: &'a str) -> Self {
        let mut f = LoginFields::default();
        for (k, v) in KeyValues::new(tail) {
            let first_word = || v.split(' ').next().unwrap_or_default();
            match k {
                "user" => f.user = Some(unbracket(v)).filter(|u| !u.is_empty()),
                "method" => f.method = Some(v).filter(|m| !m.is_empty()),
                "rip" => f.rip = Some(first_word()),
                "lip" => f.lip = Some(first_word()),
                "session" => f.session = Some(unbracket(first_word())).filter(|s| !s.is_empty()),
                flag if flag.starts_with("TLS") || flag == "secured" => f.tls = true,
                _ => {}
            }
        }
        f
    }

    fn add_raw(&self, raw: &mut RawFields<'a>) {
        let pairs = [("user", self.user), ("method", self.method), ("rip", self.rip), ("lip", self.lip), ("session", self.session)];
        for (k, v) in pairs {
            if let Some(v) = v {
                raw.insert(k, v);
            }
        }
        raw.insert("tls", self.tls);
    }
}

/// Where the `user=<...>, rip=...` list of a login-process line starts: the first
/// `: user=<` (or `: method=`, `: rip=`), so that a user name cannot fake the fields
/// after it.
fn login_list_start(text: &str) -> Option<usize> {
    [": user=<", ": method=", ": rip="].iter().filter_map(|p| text.find(p)).min()
}

fn login_line(base: &Base<'_>, name: &str, text: &str) -> Result<Option<Event>, String> {
    let protocol = name.strip_suffix("-login").unwrap_or(name);
    if let Some(list) = text.strip_prefix("Login: ") {
        let fields = LoginFields::read(list);
        return signin(base, protocol, &fields, Outcome::Success).map(Some);
    }
    if let Some(id) = text.strip_prefix("ID sent: ") {
        // The ID is the client's text: take the list after its last `: user=<`.
        let at = id.rfind(": user=<").or_else(|| id.rfind(": rip="));
        let (agent, list) = match at {
            Some(at) => (id.get(..at).unwrap_or_default(), id.get(at + 2..).unwrap_or_default()),
            None => (id, ""),
        };
        return imap_id(base, protocol, agent, &LoginFields::read(list)).map(Some);
    }
    let Some(at) = login_list_start(text) else { return Ok(None) };
    let head = text.get(..at).unwrap_or_default();
    let Some(code) = failure_code(head) else { return Ok(None) };
    let fields = LoginFields::read(text.get(at + 2..).unwrap_or_default());
    let outcome = Outcome::Failure { code: Some(code.into()), reason: Some(head.trim().to_owned()) };
    signin(base, protocol, &fields, outcome).map(Some)
}

/// The failure a login process reports before its field list, if any.
fn failure_code(head: &str) -> Option<&'static str> {
    let lower = head.to_ascii_lowercase();
    if lower.contains("auth failed") || lower.contains("(auth_failed)") {
        return Some("auth_failed");
    }
    if lower.contains("tried to use disabled plaintext auth") || lower.contains("tried to use disallowed plaintext auth") {
        return Some("plaintext_auth_disallowed");
    }
    if lower.contains("tried to use disallowed") || lower.contains("tried to use disabled") {
        return Some("auth_mechanism_disallowed");
    }
    // Dovecot 1.x: `Aborted login (3 authentication attempts)`.
    let attempts = lower.split_once(" authentication attempts)").and_then(|(before, _)| before.rsplit('(').next());
    attempts.and_then(|n| n.trim().parse::<u32>().ok()).filter(|n| *n > 0).map(|_| "auth_failed")
}

/// Protocol names: ours for `client.protocol`, Entra's for `SignIn.client_app`.
fn protocol_names(protocol: &str) -> (String, Option<&'static str>) {
    match protocol {
        "imap" => ("IMAP".into(), Some("IMAP4")),
        "pop3" => ("POP3".into(), Some("POP3")),
        "submission" => ("Submission".into(), Some("Authenticated SMTP")),
        "managesieve" => ("ManageSieve".into(), None),
        other => (other.to_ascii_uppercase(), None),
    }
}

fn remote_ip(rip: Option<&str>) -> Result<Option<std::net::IpAddr>, String> {
    match rip {
        None | Some("") => Ok(None),
        Some(rip) => parse_ip_port(rip)
            .map(|(ip, _)| Some(ip.to_canonical()))
            .ok_or_else(|| format!("rip `{}` is not an IP address", quote(rip))),
    }
}

fn signin(base: &Base<'_>, protocol: &str, f: &LoginFields<'_>, outcome: Outcome) -> Result<Event, String> {
    let ip = remote_ip(f.rip)?;
    let (name, client_app) = protocol_names(protocol);
    let action = Action::SignIn(SignIn {
        client_app: client_app.map(str::to_owned),
        auth_protocol: f.method.map(str::to_owned),
        ..SignIn::default()
    });
    let mut raw = base.raw();
    f.add_raw(&mut raw);
    let mut event = base.event(action, raw);
    event.account = f.user.and_then(Account::new);
    event.outcome = outcome;
    event.client.ip = ip;
    event.client.protocol = Some(name);
    event.client.session_id = f.session.map(str::to_owned);
    Ok(event)
}

/// Longest client ID kept as a user agent.
const MAX_AGENT: usize = 512;

fn imap_id(base: &Base<'_>, protocol: &str, agent: &str, f: &LoginFields<'_>) -> Result<Event, String> {
    let ip = remote_ip(f.rip)?;
    let agent = match agent.char_indices().nth(MAX_AGENT) {
        Some((cut, _)) => agent.get(..cut).unwrap_or(agent),
        None => agent,
    };
    let mut raw = base.raw();
    f.add_raw(&mut raw);
    raw.insert("id", agent);
    let mut event = base.event(Action::Other { operation: "imap_id".into() }, raw);
    event.account = f.user.and_then(Account::new);
    event.client.ip = ip;
    event.client.protocol = Some(protocol_names(protocol).0);
    event.client.user_agent = Some(agent.to_owned()).filter(|a| !a.is_empty());
    event.client.session_id = f.session.map(str::to_owned);
    Ok(event)
}

/// Password database drivers that report failures as `driver(user,ip...): reason`.
const PASSDBS: [&str; 13] =
    ["pam", "sql", "ldap", "passwd-file", "passwd", "shadow", "checkpassword", "bsdauth", "static", "imap", "lua", "oauth2", "vpopmail"];

/// A failed authentication of the auth processes.
struct AuthFailure<'a> {
    user: Option<&'a str>,
    ip: Option<&'a str>,
    session: Option<&'a str>,
    mechanism: Option<&'a str>,
    driver: &'a str,
    reason: String,
}

fn auth_line(base: &Base<'_>, text: &str) -> Result<Option<Event>, String> {
    let found = if text.starts_with("pam_unix(dovecot") { pam_unix(text) } else { passdb_failure(base.process, text) };
    let Some(failure) = found else { return Ok(None) };
    let Some(code) = auth_failure_code(&failure.reason) else { return Ok(None) };
    let ip = remote_ip(failure.ip)?;
    let mut raw = base.raw();
    let pairs = [("user", failure.user), ("ip", failure.ip), ("session", failure.session), ("mechanism", failure.mechanism)];
    for (k, v) in pairs {
        if let Some(v) = v {
            raw.insert(k, v);
        }
    }
    raw.insert("driver", failure.driver);
    raw.insert("reason", failure.reason.as_str());
    let action = Action::SignIn(SignIn { auth_protocol: failure.mechanism.map(str::to_ascii_uppercase), ..SignIn::default() });
    let mut event = base.event(action, raw);
    event.account = failure.user.and_then(Account::new);
    event.outcome = Outcome::Failure { code: Some(code.into()), reason: Some(failure.reason) };
    event.client.ip = ip;
    event.client.session_id = failure.session.map(str::to_owned);
    Ok(Some(event))
}

/// `unknown_user` or `invalid_credentials` when the reason is a failed sign-in.
fn auth_failure_code(reason: &str) -> Option<&'static str> {
    let lower = reason.to_ascii_lowercase();
    if lower.contains("unknown user") || lower.contains("user not known") {
        return Some("unknown_user");
    }
    let bad = ["password mismatch", "pam_authenticate() failed", "invalid credentials", "authentication failure"];
    bad.iter().any(|b| lower.contains(b)).then_some("invalid_credentials")
}

/// `... driver(user,ip[,<session>]): reason`, or 2.4's process
/// `auth(user,ip,sasl:mech)<session>` with `driver: reason`.
fn passdb_failure<'a>(process: &'a str, text: &'a str) -> Option<AuthFailure<'a>> {
    // 2.4 names the user and address in the process; older `auth(default)` does not.
    let v24 = process.strip_prefix("auth(").and_then(|inner| inner.split_once(')')).and_then(|(args, after)| {
        split_user_ip(args).filter(|(_, ip, _)| ip.is_some()).map(|parts| (parts, after))
    });
    if let Some(((user, ip, extra), after)) = v24 {
        let (driver, reason) = split_colon(text).unwrap_or(("", text));
        let session = after.strip_prefix('<').and_then(|s| s.strip_suffix('>'));
        let mechanism = extra.and_then(|e| e.strip_prefix("sasl:"));
        return Some(AuthFailure { user, ip, session, mechanism, driver, reason: clean_reason(reason) });
    }
    let (driver, at) = PASSDBS.iter().filter_map(|d| find_call(text, d).map(|at| (*d, at))).min_by_key(|(_, at)| *at)?;
    let call = text.get(at + driver.len() + 1..)?;
    let (args, reason) = call.split_once("): ")?;
    let (user, ip, extra) = split_user_ip(args)?;
    let session = extra.map(unbracket).filter(|s| !s.is_empty());
    Some(AuthFailure { user, ip, session, mechanism: None, driver, reason: clean_reason(reason) })
}

/// Where `driver(` starts as a word in `text`.
fn find_call(text: &str, driver: &str) -> Option<usize> {
    let pattern = format!("{driver}(");
    text.match_indices(&pattern).map(|(at, _)| at).find(|&at| {
        at == 0 || text.get(..at).is_some_and(|before| before.ends_with([' ', ':']))
    })
}

/// `user,ip[,extra]`: the IP is the last part that reads as one, so a user name with
/// commas stays whole.
fn split_user_ip(args: &str) -> Option<(Option<&str>, Option<&str>, Option<&str>)> {
    let parts: Vec<(usize, &str)> = args.match_indices(',').map(|(i, _)| i).scan(0, |start, comma| {
        let part = (*start, args.get(*start..comma).unwrap_or_default());
        *start = comma + 1;
        Some(part)
    }).collect();
    let last_start = parts.last().map_or(0, |(s, p)| s + p.len() + 1);
    let all: Vec<(usize, &str)> = parts.into_iter().chain([(last_start, args.get(last_start..).unwrap_or_default())]).collect();
    let ip_at = all.iter().skip(1).rposition(|(_, p)| parse_ip_port(p).is_some()).map(|i| i + 1);
    let Some(ip_at) = ip_at else {
        let user = all.first().map(|(_, u)| *u).filter(|u| !u.is_empty());
        return Some((user, None, None));
    };
    let (ip_start, ip) = *all.get(ip_at)?;
    let user = args.get(..ip_start.saturating_sub(1)).filter(|u| !u.is_empty());
    let extra = all.get(ip_at + 1).map(|(_, e)| *e).filter(|e| !e.is_empty());
    Some((user, Some(ip), extra))
}

/// The reason without a password Dovecot was asked to log.
fn clean_reason(reason: &str) -> String {
    let mut out = reason.trim().to_owned();
    for marker in ["(given password:", "(SHA1 of given password:"] {
        if let Some(at) = out.find(marker) {
            let end = out.get(at..).and_then(|r| r.find(')')).map_or(out.len(), |e| at + e + 1);
            out.replace_range(at..end, "");
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    out.strip_suffix(':').map(str::to_owned).unwrap_or(out)
}

/// `pam_unix(dovecot:auth): authentication failure; logname= uid=0 ... rhost=IP user=u`.
fn pam_unix(text: &str) -> Option<AuthFailure<'_>> {
    let (_, detail) = text.split_once("): ")?;
    let (reason, fields) = detail.split_once("; ").unwrap_or((detail, ""));
    // Keys are matched as whole words: `ruser=rhost=1.2.3.4` must not give an rhost.
    let value = |key: &str| {
        fields.split(' ').find_map(|w| w.strip_prefix(key)).filter(|v| !v.is_empty())
    };
    Some(AuthFailure {
        user: value("user="),
        ip: value("rhost="),
        session: None,
        mechanism: None,
        driver: "pam_unix",
        reason: reason.trim().to_owned(),
    })
}

/// `imap(user)<pid><session>`, `lmtp(123, user)`: the user and session.
fn mail_process_user(process: &str) -> (Option<&str>, Option<&str>) {
    let Some((_, rest)) = process.split_once('(') else { return (None, None) };
    let Some((inner, after)) = rest.rsplit_once(')') else { return (None, None) };
    let user = match inner.split_once(", ") {
        Some((pid, user)) if pid.bytes().all(|b| b.is_ascii_digit()) => user,
        _ => inner,
    };
    // `<pid><session>`: the session is the last bracketed part.
    let session = after.rsplit_once('<').and_then(|(_, s)| s.strip_suffix('>')).filter(|s| !s.is_empty());
    let session = session.filter(|s| !s.bytes().all(|b| b.is_ascii_digit()));
    (Some(user).filter(|u| !u.is_empty()), session)
}

fn mail_process_line(base: &Base<'_>, text: &str) -> Result<Option<Event>, String> {
    let (user, session) = mail_process_user(base.process);
    if let Some(id) = text.strip_prefix("ID sent: ") {
        let fields = LoginFields { user, session, ..LoginFields::default() };
        return imap_id(base, process_name(base.process), id, &fields).map(Some);
    }
    let name = process_name(base.process);
    if matches!(name, "managesieve" | "doveadm")
        && let Some(event) = sieve_change(base, text)
    {
        return Ok(Some(with_user(event, user, session)));
    }
    Ok(mail_log(base, text).map(|e| with_user(e, user, session)))
}

fn with_user(mut event: Event, user: Option<&str>, session: Option<&str>) -> Event {
    event.account = user.and_then(Account::new);
    event.client.session_id = session.map(str::to_owned);
    event
}

/// Events of the `mail_log` plugin.
const MAIL_LOG_EVENTS: [&str; 12] = [
    "delete", "undelete", "expunge", "copy", "flag_change", "save", "append", "mailbox_create", "mailbox_delete",
    "mailbox_rename", "fetch", "autoexpunge",
];

/// `delete: box=INBOX, uid=1, msgid=<x>, size=12` (and `copy from INBOX: box=Trash...`).
fn mail_log(base: &Base<'_>, text: &str) -> Option<Event> {
    let (head, list) = split_colon(text)?;
    let name = head.split(' ').next().unwrap_or_default();
    if !MAIL_LOG_EVENTS.contains(&name) {
        return None;
    }
    let fields = key_values(list);
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let folder = get("box").map(str::to_owned);
    let mut raw = base.raw();
    raw.insert("event", head);
    for (k, v) in &fields {
        if !v.is_empty() {
            raw.insert(k, *v);
        }
    }
    let action = match name {
        "delete" | "expunge" | "autoexpunge" => Action::MailDeleted(MailDeleted {
            kind: if name == "delete" { DeleteKind::SoftDelete } else { DeleteKind::HardDelete },
            count: 1,
            folder,
            subjects: get("subject").map(str::to_owned).into_iter().collect(),
        }),
        "copy" => Action::MailMoved { to_folder: folder, count: 1 },
        other => Action::Other { operation: other.to_owned() },
    };
    let mut event = base.event(action, raw);
    event.outcome = Outcome::Success;
    Some(event)
}

/// A Sieve script stored, activated or removed, with its quoted name.
fn sieve_change(base: &Base<'_>, text: &str) -> Option<Event> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("script") {
        return None;
    }
    let verbs = ["putscript", "setactive", "deletescript", "renamescript", "activat", "stored", "upload", "put ", "delet", "renam"];
    if !verbs.iter().any(|v| lower.contains(v)) {
        return None;
    }
    let removed = lower.contains("deletescript") || lower.contains("delet");
    let mut rule = InboxRule::new(if removed { RuleChange::Removed } else { RuleChange::Modified });
    rule.name = quoted(text).map(str::to_owned);
    if lower.contains("deactivat") {
        rule.enabled = Some(false);
    } else if lower.contains("activat") || lower.contains("setactive") {
        rule.enabled = Some(true);
    }
    let mut raw = base.raw();
    raw.insert("sieve", text);
    let mut event = base.event(Action::InboxRule(rule), raw);
    event.outcome = Outcome::Success;
    Some(event)
}

/// The first `"..."`, `'...'` or `` `...' `` quoted word.
fn quoted(text: &str) -> Option<&str> {
    let at = text.find(['"', '\'', '`'])?;
    let open = text.get(at..at + 1)?;
    let close = if open == "`" { '\'' } else { open.chars().next()? };
    let rest = text.get(at + 1..)?;
    rest.find(close).and_then(|end| rest.get(..end))
}

#[cfg(test)]
mod tests {
    use mailcase_model::EvidenceRef;

    use super::*;

    fn ctx() -> RecordCtx {
        let file_time = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").ok().map(|t| t.to_utc());
        RecordCtx { at: EvidenceRef { evidence: 1, record: 7 }, date_order: crate::time::DateOrder::default(), file_time }
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

    #[test]
    fn successful_login() {
        let e = event("Nov 22 10:00:00 mx dovecot[42]: imap-login: Login: user=<Debra@Example.FR>, method=PLAIN, rip=203.0.113.9, lip=10.0.0.1, mpid=18, TLS, session=<PeYcgjjOGOisEQAB>");
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("debra@example.fr"));
        assert_eq!(ip(&e), "203.0.113.9");
        assert_eq!(e.client.protocol.as_deref(), Some("IMAP"));
        assert_eq!(e.client.session_id.as_deref(), Some("PeYcgjjOGOisEQAB"));
        let Action::SignIn(s) = &e.action else { panic!("{:?}", e.action) };
        assert_eq!((s.client_app.as_deref(), s.auth_protocol.as_deref()), (Some("IMAP4"), Some("PLAIN")));
        assert_eq!(e.source, SourceKind::Dovecot);
        let raw: serde_json::Value = serde_json::from_str(e.raw.as_str()).expect("json");
        assert_eq!(raw["rip"], "203.0.113.9");
        assert_eq!(raw["host"], "mx");
        assert!(raw["line"].as_str().is_some_and(|l| l.starts_with("Nov 22")));
        let sub = event("Nov 22 10:00:00 mx dovecot: submission-login: Login: user=<a>, method=LOGIN, rip=::ffff:1.2.3.4, lip=1.1.1.1");
        assert_eq!(sub.client.protocol.as_deref(), Some("Submission"));
        assert_eq!(ip(&sub), "1.2.3.4");
    }

    #[test]
    fn failed_logins_of_all_versions() {
        let cases = [
            ("Nov 22 10:00:00 mx dovecot: pop3-login: Info: Disconnected: Connection closed (auth failed, 2 attempts in 30 secs): user=<hess@lol.fr>, method=PLAIN, rip=172.17.0.1, lip=172.17.0.2, TLS: Connection closed, session=<o>", "auth_failed", "hess@lol.fr"),
            ("Nov 22 10:00:00 h dovecot[241]: imap-login: Login aborted: Connection closed (auth failed, 3 attempts in 16 secs) (auth_failed): user=<test>, method=PLAIN, rip=192.0.2.241, lip=203.0.113.104, TLS, session=<9Z>", "auth_failed", "test"),
            ("Nov 22 10:00:00 h dovecot: pop3-login: Aborted login (tried to use disallowed plaintext auth): rip=190.210.136.21, lip=113.212.99.193", "plaintext_auth_disallowed", ""),
            ("May 31 09:43:57 Info: pop3-login: Aborted login (1 authentication attempts): user=<u>, method=PLAIN, rip=::ffff:1.2.3.4, lip=::ffff:1.2.3.5, secured", "auth_failed", "u"),
        ];
        for (line, code, user) in cases {
            let e = event(line);
            assert_eq!(e.outcome.code(), Some(code), "{line}");
            assert_eq!(e.account.map(|a| a.to_string()).unwrap_or_default(), user, "{line}");
            assert!(e.client.ip.is_some(), "{line}");
        }
        none("Nov 22 10:00:00 h dovecot: imap-login: Disconnected (no auth attempts in 4 secs): user=<>, rip=192.0.2.7, lip=1.1.1.1, TLS handshaking");
        none("Nov 22 10:00:00 h dovecot: imap-login: Disconnected: a: a: test no match");
        // A user name cannot fake the address.
        let e = event("Nov 22 10:00:00 h dovecot: imap-login: Disconnected (auth failed, 1 attempts): user=<x, rip=6.6.6.6>, rip=192.0.2.1, lip=1.1.1.1");
        assert_eq!(ip(&e), "192.0.2.1");
    }

    #[test]
    fn auth_process_failures() {
        let e = event("Apr 29 15:54:19 mail dovecot: auth-worker(14864): conn unix:auth-worker (pid=14830,uid=109): auth-worker<6>: pam(caliph@x.com,5.34.207.151): pam_authenticate() failed: Authentication failure (Password mismatch?)");
        assert_eq!((ip(&e), e.outcome.code()), ("5.34.207.151".into(), Some("invalid_credentials")));
        assert_eq!(e.account.map(|a| a.to_string()).as_deref(), Some("caliph@x.com"));
        let e = event("Dec 31 06:56:17 mail dovecot: auth-worker(1): sql(testing@example.com,192.168.1.1): unknown user (given password: Password123$)");
        assert_eq!(e.outcome.code(), Some("unknown_user"));
        let Outcome::Failure { reason, .. } = &e.outcome else { panic!() };
        assert_eq!(reason.as_deref(), Some("unknown user"));
        let e = event("Aug 30 00:10:57 auth(info@example.com,192.0.2.110,sasl:login)<CvN+E95U>: Info: sql: Password mismatch (given password: XxxxXXxx123)");
        assert_eq!((ip(&e).as_str(), e.client.session_id.as_deref()), ("192.0.2.110", Some("CvN+E95U")));
        assert!(!e.outcome.code().unwrap_or_default().is_empty());
        let e = event("Nov 22 10:00:00 h dovecot: auth: sql(we,ird,user,192.0.2.9,<sess>): Password mismatch");
        assert_eq!((e.account.clone().map(|a| a.to_string()), ip(&e)), (Some("we,ird,user".into()), "192.0.2.9".into()));
        let e = event("Apr 19 05:22:20 vm5 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=rhost=1.2.3.4 rhost=192.0.43.10  user=root");
        assert_eq!((ip(&e), e.account.clone().map(|a| a.to_string())), ("192.0.43.10".to_string(), Some("root".into())));
        none("Jan 07 14:46:28 Warn: auth(default): userdb(username,::ffff:127.0.0.1): user not found from userdb");
        none("Jun 17 10:15:24 hostname dovecot: Fatal: auth(default): Support not compiled in for passdb driver 'ldap'");
        none("Jan 11 03:45:09 hostname sshd[1]: pam(x,1.2.3.4): unknown user");
    }

    #[test]
    fn invalid_addresses_are_errors() {
        let err = line_to_event("Nov 22 10:00:00 h dovecot: imap-login: Login: user=<a>, rip=not-an-ip, lip=1.1.1.1", None, &ctx());
        assert!(err.is_err_and(|e| e.contains("not-an-ip")));
    }

    #[test]
    fn client_id_and_mail_log() {
        let e = event("Nov 22 10:00:00 h dovecot: imap-login: ID sent: name=Thunderbird, version=115.3: x: user=<>, rip=198.51.100.4, lip=10.0.0.1, TLS, session=<s1>");
        assert_eq!(e.client.user_agent.as_deref(), Some("name=Thunderbird, version=115.3: x"));
        assert_eq!((ip(&e).as_str(), e.client.session_id.as_deref()), ("198.51.100.4", Some("s1")));
        let d = event("Nov 22 10:00:00 h dovecot: imap(bob@x.fr)<123><abcDEF>: Info: expunge: box=INBOX, uid=5, msgid=<m@x>, size=100, subject=Hi, there");
        let Action::MailDeleted(m) = &d.action else { panic!("{:?}", d.action) };
        assert_eq!((m.kind, m.folder.as_deref()), (DeleteKind::HardDelete, Some("INBOX")));
        assert_eq!(m.subjects, vec!["Hi, there".to_owned()]);
        assert_eq!((d.account.map(|a| a.to_string()), d.client.session_id), (Some("bob@x.fr".into()), Some("abcDEF".into())));
        let c = event("Nov 22 10:00:00 h dovecot: imap(bob): copy from INBOX: box=Trash, uid=9, msgid=<m@x>");
        assert_eq!(c.action, Action::MailMoved { to_folder: Some("Trash".into()), count: 1 });
        let f = event("Nov 22 10:00:00 h dovecot: imap(bob): flag_change: box=INBOX, uid=9, msgid=<m@x>, flags=(\\Seen)");
        assert_eq!(f.action, Action::Other { operation: "flag_change".into() });
        none("Nov 22 10:00:00 h dovecot: imap(bob): Disconnected: Logged out in=10 out=20");
    }

    #[test]
    fn sieve_changes() {
        let e = event("Nov 22 10:00:00 h dovecot: managesieve(bob@x.fr)<1><s>: Info: sieve: PUTSCRIPT: stored script \"forward-all\"");
        let Action::InboxRule(r) = &e.action else { panic!("{:?}", e.action) };
        assert_eq!((r.change, r.name.as_deref()), (RuleChange::Modified, Some("forward-all")));
        assert_eq!(e.account.map(|a| a.to_string()).as_deref(), Some("bob@x.fr"));
        let a = event("Nov 22 10:00:00 h dovecot: doveadm(bob): Info: sieve: activated script `evil'");
        let Action::InboxRule(r) = &a.action else { panic!() };
        assert_eq!((r.name.as_deref(), r.enabled), (Some("evil"), Some(true)));
    }

    #[test]
    fn sniffs_several_dovecot_lines() {
        let two = "Nov 22 10:00:00 h dovecot: imap-login: Login: user=<a>, rip=1.2.3.4\nNov 22 10:00:01 h dovecot: auth: x\n";
        assert!(sniff(two));
        assert!(sniff("Jan 29 09:33:58 pop3-login: Info: Aborted login (auth failed, 1 attempts): user=<g>, rip=1.2.3.4\n"));
        assert!(!sniff("Nov 22 10:00:00 h postfix/smtpd[1]: connect from x[1.2.3.4]\nNov 22 10:00:00 h postfix/smtpd[1]: connect from x[1.2.3.4]\n"));
        assert!(!sniff("hello\nworld\n"));
    }

    #[test]
    fn hostile_lines_never_panic() {
        let lines = [
            "Nov 22 10:00:00 h dovecot: imap-login: Login: ",
            "Nov 22 10:00:00 h dovecot: auth: pam(",
            "Nov 22 10:00:00 h dovecot: auth: pam(,,,,): unknown user",
            "Nov 22 10:00:00 h dovecot: auth(,): x",
            "Nov 22 10:00:00 h dovecot: imap(): delete: ",
            "Nov 22 10:00:00 h dovecot: managesieve(é)<: script \"",
            "Nov 22 10:00:00 h dovecot: imap-login: ID sent: é: user=<",
            "Nov 22 10:00:00 h dovecot: pop3-login: Aborted login (é authentication attempts)",
        ];
        for line in lines {
            let _ = line_to_event(line, None, &ctx());
        }
    }
}
