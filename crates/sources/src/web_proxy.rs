//! Web proxy and web server access logs: who asked for which URL, when.
//!
//! Two line formats, each one request per line:
//! - squid's native `access.log`: `time elapsed client code/status bytes method URL
//!   user hierarchy/peer type`, the time in Unix seconds with milliseconds (UTC by
//!   definition); the user is the authenticated proxy user, `-` when none;
//! - the common / combined format of Apache, nginx and many proxies:
//!   `client ident user [22/Nov/2026:14:35:01 +0100] "METHOD target PROTO" status bytes`
//!   and, for combined, `"referer" "user agent"`. The zone is in the line; `GMT`/`UTC`
//!   are read as +0000. Anything after the bytes that is not two quoted strings
//!   (SOGo and other variants) is kept in the raw record, not interpreted.
//!
//! Every line gives a [`WebRequest`] whose `url` is the target exactly as logged: a
//! full URL for proxied HTTP, `host:443` for HTTPS tunnelled with `CONNECT`, a path for
//! a web server. The raw record holds the parsed fields and the original `line`, plus
//! `host` (lower-case, without port) when the target names one, so that `mailcase hunt`
//! can search visitors of a domain. The account is the logged user, lower-case, when
//! not `-`. Outcome: status below 400 success, 400 and above failure (code = status,
//! reason = squid's result code when there is one), 0 or absent unknown.
//!
//! Sniffing is strict: every one of the first lines (up to five, blank and `#` comment
//! lines aside) must parse.

use chrono::{DateTime, Utc};
use mailcase_model::{Account, Action, Event, Outcome, RawRecord, SourceKind, WebRequest, parse_ip_port};
use serde_json::{Map, Value, json};

use crate::RecordCtx;

/// Lines looked at when sniffing.
const SNIFF_LINES: usize = 5;

/// Whether the start of a file (decoded text) is a squid native access log.
pub(crate) fn sniff_squid(text: &str) -> bool {
    sniff_with(text, |l| parse_squid(l).is_ok_and(|r| r.is_some()))
}

/// Whether the start of a file (decoded text) is a common / combined access log.
pub(crate) fn sniff_combined(text: &str) -> bool {
    sniff_with(text, |l| parse_combined(l).is_ok_and(|r| r.is_some_and(|c| c.strict)))
}

/// `check` holds for every one of the first complete lines that are not blank or `#`
/// comments, and for at least one. The last line of the sniffed text may be cut, so it is ignored when others exist.
fn sniff_with(text: &str, check: impl Fn(&str) -> bool) -> bool {
    let mut lines: Vec<&str> =
        text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).take(SNIFF_LINES + 1).collect();
    if lines.len() > 1 && !text.ends_with('\n') {
        lines.pop();
    }
    lines.truncate(SNIFF_LINES);
    !lines.is_empty() && lines.iter().all(|l| check(l))
}

/// One line to an event (see [`crate::LineToEvent`]): squid lines first (their first
/// field, a decimal Unix time, cannot start a combined line), then combined.
pub(crate) fn line_to_event(line: &str, _header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    if let Some(parsed) = parse_squid(line)? {
        return Ok(Some(parsed.into_event(line, ctx)));
    }
    match parse_combined(line)? {
        Some(parsed) => Ok(Some(parsed.into_event(line, ctx))),
        None => Ok(None),
    }
}

// ---------------------------------------------------------------------------------
// squid
// ---------------------------------------------------------------------------------

/// A parsed squid native line.
#[derive(Debug)]
struct Squid<'a> {
    time: DateTime<Utc>,
    time_text: &'a str,
    elapsed_ms: Option<u64>,
    client: &'a str,
    result_code: &'a str,
    status: Option<u16>,
    bytes: Option<u64>,
    method: &'a str,
    url: &'a str,
    user: &'a str,
    hierarchy: Option<&'a str>,
    content_type: Option<&'a str>,
}

/// `Ok(None)` when the line does not start like a squid line (a decimal Unix time then
/// a number); `Err` when it does but the rest is wrong.
fn parse_squid(line: &str) -> Result<Option<Squid<'_>>, String> {
    let mut f = line.split_ascii_whitespace();
    let (Some(time_text), Some(elapsed)) = (f.next(), f.next()) else { return Ok(None) };
    let Some(time) = unix_time(time_text) else { return Ok(None) };
    if !elapsed.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Ok(None);
    }
    let mut need = |what: &str| f.next().ok_or_else(|| format!("squid line without {what}"));
    let client = need("client address")?;
    let code_status = need("result code/status")?;
    let bytes = need("size")?;
    let method = need("method")?;
    let url = need("URL")?;
    let user = f.next().unwrap_or("-");
    let hierarchy = f.next();
    let content_type = f.next();
    let (result_code, status) = code_status
        .split_once('/')
        .ok_or_else(|| format!("squid result {} is not CODE/STATUS", crate::fields::quote(code_status)))?;
    let status = parse_status(status)
        .ok_or_else(|| format!("squid HTTP status {} is not a number", crate::fields::quote(status)))?;
    Ok(Some(Squid {
        time,
        time_text,
        elapsed_ms: elapsed.parse().ok(),
        client,
        result_code,
        status,
        bytes: parse_bytes(bytes)?,
        method,
        url,
        user,
        hierarchy,
        content_type: content_type.filter(|t| *t != "-"),
    }))
}

/// `1700000000.123` (squid writes milliseconds; any fraction is accepted).
fn unix_time(text: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = text.split_once('.')?;
    if secs.is_empty() || secs.len() > 12 || !secs.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = format!("{frac:0<9}").parse().ok()?;
    DateTime::from_timestamp(secs.parse().ok()?, nanos)
}

impl Squid<'_> {
    fn into_event(self, line: &str, ctx: &RecordCtx) -> Event {
        let mut raw = Map::new();
        raw.insert("time".into(), json!(self.time_text));
        raw.insert("elapsed_ms".into(), json!(self.elapsed_ms));
        raw.insert("client".into(), json!(self.client));
        raw.insert("result_code".into(), json!(self.result_code));
        raw.insert("status".into(), json!(self.status));
        raw.insert("bytes".into(), json!(self.bytes));
        raw.insert("method".into(), json!(self.method));
        raw.insert("url".into(), json!(self.url));
        raw.insert("user".into(), json!(self.user));
        raw.insert("hierarchy".into(), json!(self.hierarchy));
        raw.insert("content_type".into(), json!(self.content_type));
        let request = Request {
            time: self.time,
            client: self.client,
            user: self.user,
            // `NONE`: squid got no request (the client closed first).
            method: Some(self.method).filter(|m| *m != "NONE"),
            target: self.url,
            status: self.status,
            bytes: self.bytes,
            reason: Some(self.result_code),
            user_agent: None,
        };
        request.into_event(raw, line, ctx)
    }
}

// ---------------------------------------------------------------------------------
// common / combined
// ---------------------------------------------------------------------------------

/// A parsed common / combined line.
#[derive(Debug)]
struct Combined<'a> {
    client: &'a str,
    ident: &'a str,
    user: &'a str,
    time: DateTime<Utc>,
    time_text: &'a str,
    request: String,
    status: Option<u16>,
    bytes: Option<u64>,
    referer: Option<String>,
    user_agent: Option<String>,
    /// What follows the bytes when it is not `"referer" "user agent"`.
    extra: Option<&'a str>,
    /// The line is exactly the common or combined format (used by sniffing).
    strict: bool,
}

/// `Ok(None)` when the line does not start like a common-format line (`client ident
/// user [`); `Err` when it does but the rest is wrong.
fn parse_combined(line: &str) -> Result<Option<Combined<'_>>, String> {
    let mut rest = line.trim_start();
    let mut word = || {
        let (w, r) = rest.split_once(' ').unwrap_or((rest, ""));
        rest = r.trim_start_matches(' ');
        w
    };
    let (client, ident, user) = (word(), word(), word());
    if client.is_empty() || user.is_empty() || !rest.starts_with('[') || !plausible_host(client) {
        return Ok(None);
    }
    let (time_text, after) = rest
        .get(1..)
        .and_then(|r| r.split_once(']'))
        .ok_or("access line: the [time] is not closed")?;
    let time = clf_time(time_text).ok_or_else(|| format!("unreadable access log time {}", crate::fields::quote(time_text)))?;
    let after = after.trim_start();
    let (request, after) = quoted(after).ok_or("access line: the request is not a quoted string")?;
    let mut tail = after.trim_start().splitn(3, ' ');
    let status_text = tail.next().unwrap_or("");
    let status = parse_status(status_text)
        .ok_or_else(|| format!("access line: status {} is not a number", crate::fields::quote(status_text)))?;
    let bytes_text = tail.next().unwrap_or("-");
    let bytes = parse_bytes(bytes_text).ok().flatten();
    let remainder = tail.next().unwrap_or("").trim();
    let mut parsed = Combined {
        client,
        ident,
        user,
        time,
        time_text,
        request,
        status,
        bytes,
        referer: None,
        user_agent: None,
        extra: None,
        strict: status.is_some() && parse_bytes(bytes_text).is_ok(),
    };
    if !remainder.is_empty() {
        match quoted(remainder).and_then(|(r, a)| quoted(a.trim_start()).map(|(ua, end)| (r, ua, end))) {
            Some((referer, ua, end)) if end.trim().is_empty() => {
                parsed.referer = Some(referer).filter(|r| r != "-");
                parsed.user_agent = Some(ua).filter(|u| u != "-" && !u.is_empty());
            }
            _ => {
                parsed.extra = Some(remainder);
                parsed.strict = false;
            }
        }
    }
    Ok(Some(parsed))
}

/// An address or a host name as a log's first field: no quotes, brackets or slashes.
fn plausible_host(s: &str) -> bool {
    s.len() <= 255 && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '_' | '%'))
}

/// `22/Nov/2026:14:35:01 +0100`; `GMT` / `UTC` / `Z` for +0000.
fn clf_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let (clock, zone) = text.split_once(' ').unwrap_or((text, "+0000"));
    let zone = match zone.trim() {
        "GMT" | "UTC" | "Z" => "+0000",
        z => z,
    };
    DateTime::parse_from_str(&format!("{clock} {zone}"), "%d/%b/%Y:%H:%M:%S%.f %z")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A double-quoted string with backslash escapes (as Apache and nginx write them) at
/// the start of `text`: its unescaped content and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, body.get(i + 1..).unwrap_or(""))),
            // `\"` and `\\` stand for themselves; other escapes (`\x16`) stay as
            // written, so the raw bytes a scanner sent remain visible.
            '\\' => match chars.next() {
                Some((_, q @ ('"' | '\\'))) => out.push(q),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => return None,
            },
            other => out.push(other),
        }
    }
    None
}

impl Combined<'_> {
    fn into_event(self, line: &str, ctx: &RecordCtx) -> Event {
        // `GET /x HTTP/1.1`; a request that is not three words (garbage sent by
        // scanners, `-`) is kept whole as the target.
        let words: Vec<&str> = self.request.split(' ').collect();
        let (method, target) = match words.as_slice() {
            [m, t] | [m, t, _] if is_method(m) => (Some(*m), *t),
            _ => (None, self.request.as_str()),
        };
        let mut raw = Map::new();
        raw.insert("client".into(), json!(self.client));
        raw.insert("ident".into(), json!(self.ident));
        raw.insert("user".into(), json!(self.user));
        raw.insert("time".into(), json!(self.time_text));
        raw.insert("request".into(), json!(self.request));
        raw.insert("method".into(), json!(method));
        raw.insert("url".into(), json!(target));
        raw.insert("status".into(), json!(self.status));
        raw.insert("bytes".into(), json!(self.bytes));
        raw.insert("referer".into(), json!(self.referer));
        raw.insert("user_agent".into(), json!(self.user_agent));
        if let Some(extra) = self.extra {
            raw.insert("extra".into(), json!(extra));
        }
        let request = Request {
            time: self.time,
            client: self.client,
            user: self.user,
            method,
            target,
            status: self.status,
            bytes: self.bytes,
            reason: None,
            user_agent: self.user_agent.as_deref(),
        };
        request.into_event(raw, line, ctx)
    }
}

/// An HTTP method token: upper-case letters (and `-`, for WebDAV extensions).
fn is_method(s: &str) -> bool {
    !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
}

// ---------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------

/// The fields both formats share, ready to become an event.
struct Request<'a> {
    time: DateTime<Utc>,
    client: &'a str,
    user: &'a str,
    method: Option<&'a str>,
    target: &'a str,
    status: Option<u16>,
    bytes: Option<u64>,
    reason: Option<&'a str>,
    user_agent: Option<&'a str>,
}

impl Request<'_> {
    fn into_event(self, mut raw: Map<String, Value>, line: &str, ctx: &RecordCtx) -> Event {
        if let Some(host) = host_of(self.target, self.method) {
            raw.insert("host".into(), json!(host));
        }
        raw.insert("line".into(), json!(line));
        let action = Action::WebRequest(WebRequest {
            method: self.method.map(str::to_owned),
            url: self.target.to_owned(),
            status: self.status,
            bytes: self.bytes,
        });
        let mut event = Event::new(ctx.at, self.time, SourceKind::WebProxy, action, RawRecord(Value::Object(raw).to_string()));
        event.account = Some(self.user).filter(|u| *u != "-").and_then(Account::new);
        if let Some((ip, port)) = parse_ip_port(self.client) {
            event.client.ip = Some(ip);
            event.client.port = port;
        }
        event.client.user_agent = self.user_agent.map(str::to_owned);
        event.outcome = match self.status {
            Some(s) if s >= 400 => Outcome::Failure { code: Some(s.to_string()), reason: self.reason.map(str::to_owned) },
            Some(s) if s > 0 => Outcome::Success,
            _ => Outcome::Unknown,
        };
        event
    }
}

/// HTTP status: three digits (squid writes `000` when no reply was sent: `None`).
fn parse_status(text: &str) -> Option<Option<u16>> {
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u16 = text.parse().ok()?;
    Some(Some(n).filter(|n| *n > 0))
}

/// Byte count: digits, or `-` for none.
fn parse_bytes(text: &str) -> Result<Option<u64>, String> {
    if text == "-" {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("size {} is not a number", crate::fields::quote(text)))
}

/// The host a request target names, lower-case without port or credentials:
/// `http://user@Host:8080/x` gives `host`, `CONNECT host:443` gives `host`; a path
/// names none.
fn host_of(target: &str, method: Option<&str>) -> Option<String> {
    let authority = match target.split_once("://") {
        Some((scheme, rest)) if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+') => {
            rest.split(['/', '?', '#']).next().unwrap_or("")
        }
        Some(_) => return None,
        None if method.is_some_and(|m| m.eq_ignore_ascii_case("CONNECT")) => target,
        None => return None,
    };
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    Some(host.to_ascii_lowercase()).filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: 1, record: 7 }, date_order: DateOrder::default(), file_time: None }
    }

    fn event(line: &str) -> Event {
        line_to_event(line, None, &ctx()).unwrap().unwrap()
    }

    fn web(e: &Event) -> &WebRequest {
        match &e.action {
            Action::WebRequest(w) => w,
            other => panic!("not a web request: {other:?}"),
        }
    }

    fn raw(e: &Event) -> Value {
        serde_json::from_str(e.raw.as_str()).unwrap()
    }

    const SQUID: &str =
        "1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://Login.Example.COM:8080/y?a=1 Alice HIER_DIRECT/1.2.3.4 text/html";
    const CONNECT: &str = "1700000001.5 12 10.0.0.6 TCP_TUNNEL/200 5120 CONNECT evil.example:443 - HIER_DIRECT/203.0.113.9 -";
    const COMBINED: &str = r#"10.0.0.5 - alice [22/Nov/2026:14:35:01 +0100] "POST /login HTTP/1.1" 200 512 "https://ref.example/" "Mozilla/5.0 \"x\"""#;

    #[test]
    fn squid_line_gives_request_user_and_host() {
        let e = event(SQUID);
        assert_eq!(e.time.to_rfc3339(), "2023-11-14T22:13:20.123+00:00");
        assert_eq!(e.source, SourceKind::WebProxy);
        let w = web(&e);
        assert_eq!(w.method.as_deref(), Some("GET"));
        assert_eq!(w.url, "http://Login.Example.COM:8080/y?a=1");
        assert_eq!((w.status, w.bytes), (Some(200), Some(1234)));
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("alice"));
        assert_eq!(e.client.ip, "10.0.0.5".parse().ok());
        assert_eq!(e.outcome, Outcome::Success);
        let r = raw(&e);
        assert_eq!(r["host"], "login.example.com");
        assert_eq!(r["hierarchy"], "HIER_DIRECT/1.2.3.4");
        assert_eq!(r["line"], SQUID);
    }

    #[test]
    fn squid_connect_keeps_authority_as_url() {
        let e = event(CONNECT);
        assert_eq!(web(&e).url, "evil.example:443");
        assert_eq!(raw(&e)["host"], "evil.example");
        assert_eq!(e.account, None);
        assert_eq!(raw(&e)["content_type"], Value::Null);
    }

    #[test]
    fn squid_denied_is_a_failure_with_the_result_code() {
        let e = event("1700000000.000 0 192.0.2.1 TCP_DENIED/403 3900 GET http://x.example/ - HIER_NONE/- text/html");
        assert_eq!(e.outcome, Outcome::Failure { code: Some("403".into()), reason: Some("TCP_DENIED".into()) });
        let aborted = event("1700000000.000 0 192.0.2.1 NONE/000 0 NONE error:transaction-end-before-headers - HIER_NONE/- -");
        assert_eq!(aborted.outcome, Outcome::Unknown);
        assert_eq!(web(&aborted).status, None);
        assert_eq!(web(&aborted).method, None);
    }

    #[test]
    fn broken_squid_lines_are_errors() {
        for bad in [
            "1700000000.123 456 10.0.0.5 TCP_MISS 1234 GET http://x/ - HIER_NONE/- -",
            "1700000000.123 456 10.0.0.5 TCP_MISS/2x0 1234 GET http://x/ - HIER_NONE/- -",
            "1700000000.123 456 10.0.0.5 TCP_MISS/200 many GET http://x/ - HIER_NONE/- -",
            "1700000000.123 456 10.0.0.5",
        ] {
            assert!(line_to_event(bad, None, &ctx()).is_err(), "{bad}");
        }
    }

    #[test]
    fn combined_line_with_escaped_quotes() {
        let e = event(COMBINED);
        assert_eq!(e.time.to_rfc3339(), "2026-11-22T13:35:01+00:00");
        let w = web(&e);
        assert_eq!((w.method.as_deref(), w.url.as_str()), (Some("POST"), "/login"));
        assert_eq!((w.status, w.bytes), (Some(200), Some(512)));
        assert_eq!(e.client.user_agent.as_deref(), Some("Mozilla/5.0 \"x\""));
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("alice"));
        let r = raw(&e);
        assert_eq!(r["referer"], "https://ref.example/");
        assert_eq!(r["host"], Value::Null);
    }

    #[test]
    fn common_format_and_proxy_targets() {
        let e = event(r#"2001:db8::7 - - [01/Jan/2025:00:00:00 -0500] "GET http://Phish.example/a HTTP/1.0" 404 -"#);
        assert_eq!(e.time.to_rfc3339(), "2025-01-01T05:00:00+00:00");
        assert_eq!(e.client.ip, "2001:db8::7".parse().ok());
        assert_eq!(raw(&e)["host"], "phish.example");
        assert_eq!(web(&e).bytes, None);
        assert_eq!(e.outcome.code(), Some("404"));
        assert_eq!(e.account, None);
    }

    #[test]
    fn odd_requests_and_variants_are_kept() {
        let e = event(r#"192.0.2.9 - - [01/Jan/2025:00:00:00 +0000] "\x16\x03\x01" 400 157 "-" "-""#);
        assert_eq!(web(&e).method, None);
        assert_eq!(web(&e).url, r"\x16\x03\x01");
        assert_eq!(e.client.user_agent, None);
        // SOGo: GMT zone, `sent/received` sizes and timing after the status.
        let sogo = event(r#"173.194.44.31 - - [24/Mar/2013:08:58:32 GMT] "POST /SOGo/connect HTTP/1.1" 403 34/38 0.311 - - 2M"#);
        assert_eq!(sogo.time.to_rfc3339(), "2013-03-24T08:58:32+00:00");
        assert_eq!(web(&sogo).status, Some(403));
        assert_eq!(raw(&sogo)["extra"], "0.311 - - 2M");
    }

    #[test]
    fn broken_combined_lines_are_errors_and_others_ignored() {
        for bad in [
            r#"10.0.0.5 - - [22/Nov/2026:14:35:01 +0100 "GET / HTTP/1.1" 200 1"#,
            r#"10.0.0.5 - - [32/Nov/2026:14:35:01 +0100] "GET / HTTP/1.1" 200 1"#,
            r#"10.0.0.5 - - [22/Nov/2026:14:35:01 +0100] "GET / HTTP/1.1 200 1"#,
            r#"10.0.0.5 - - [22/Nov/2026:14:35:01 +0100] "GET / HTTP/1.1" OK 1"#,
        ] {
            assert!(line_to_event(bad, None, &ctx()).is_err(), "{bad}");
        }
        for unrelated in ["", "   ", "2022/04/02 15:45:23 [info] 8#8: *15950 client connected", "hello world"] {
            assert_eq!(line_to_event(unrelated, None, &ctx()), Ok(None), "{unrelated}");
        }
    }

    #[test]
    fn sniffing_is_strict() {
        assert!(sniff_squid(&format!("{SQUID}\n{CONNECT}\n")));
        assert!(!sniff_squid(&format!("{SQUID}\nsomething else\n")));
        assert!(!sniff_squid(COMBINED));
        assert!(sniff_combined(&format!("{COMBINED}\n{COMBINED}\n")));
        // The last line of a sniffed head may be cut.
        assert!(sniff_combined(&format!("{COMBINED}\n10.0.0.5 - alice [22/Nov/20")));
        assert!(!sniff_combined(SQUID));
        assert!(!sniff_combined("2022/04/02 15:45:23 [info] 8#8: *15950 client\n"));
        assert!(!sniff_combined(r#"1.2.3.4 - - [24/Mar/2013:08:58:32 GMT] "POST / HTTP/1.1" 403 34/38 0.311 - - 2M"#));
        assert!(!sniff_squid("") && !sniff_combined(""));
    }

    #[test]
    fn hosts_from_targets() {
        assert_eq!(host_of("https://u:p@[2001:db8::1]:8443/x", Some("GET")).as_deref(), Some("2001:db8::1"));
        assert_eq!(host_of("HTTP://A.example?q", None).as_deref(), Some("a.example"));
        assert_eq!(host_of("/path?u=http://x", Some("GET")), None);
        assert_eq!(host_of("x.example:443", Some("connect")).as_deref(), Some("x.example"));
    }

    #[test]
    fn no_panic_on_cut_or_hostile_lines() {
        for sample in [SQUID, CONNECT, COMBINED] {
            for (cut, _) in sample.char_indices() {
                let _ = line_to_event(&sample[..cut], None, &ctx());
            }
        }
        let _ = line_to_event("99999999999999.9 1 a b/ 1 GET u", None, &ctx());
        let _ = line_to_event("a b c [\u{0}\u{ffff}] \"\\", None, &ctx());
    }
}
