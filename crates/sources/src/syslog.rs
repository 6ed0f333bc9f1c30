//! Syslog framing shared by the mail server logs: the time, host and program in front
//! of each line, whatever wrote it. Several hosts may share one file.
//!
//! Line shapes read:
//! - RFC 3164 / BSD syslog and journald's default output:
//!   `Nov 22 14:35:01 host prog[pid]: msg` (day space- or zero-padded, optional
//!   fractional seconds as `journalctl -o short-precise` writes them), with or without a
//!   `<PRI>` prefix;
//! - RFC 5424: `<pri>1 2026-11-22T14:35:01Z host app procid msgid [sd] msg`, `-` for
//!   absent values;
//! - ISO 8601 prefixes (rsyslog high precision, `journalctl -o short-iso`):
//!   `2026-11-22T14:35:01.123456+01:00 host prog[pid]: msg`;
//! - Dovecot's own log files (`log_path`), without host: `Nov 22 14:35:01 imap-login:
//!   Info: ...` and `2026-11-22 14:35:01 imap-login: ...`;
//! - daemontools / s6 `multilog` lines: `@4000000063a1b2c3........ imap-login: ...`
//!   (TAI64N label; converted with the daemontools convention TAI = UTC + 10 s, so
//!   s6 logs, which count leap seconds, read up to 27 s late).
//!
//! Times:
//! - a timestamp with a zone (RFC 5424, ISO 8601 with offset) is exact;
//! - a timestamp without a zone (RFC 3164, Dovecot's `YYYY-MM-DD HH:MM:SS`) is local
//!   time of the server, which we cannot know per file yet: it is read as UTC;
//! - RFC 3164 has no year: it is taken from the file's modification time (the export
//!   time), minus one when the date would then fall more than a day after that time
//!   (a December line in a file written in January). Without a file time, the current
//!   year is used the same way.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::{Map, Value};

use crate::time::{DateOrder, parse_timestamp};

/// The frame of one syslog-style line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyslogLine<'a> {
    /// When it was logged, UTC (see the module documentation for zone-less times).
    pub time: DateTime<Utc>,
    /// The host that logged it; `None` in files written by the program itself.
    pub host: Option<&'a str>,
    /// The program (syslog tag) without its pid: `dovecot`, `postfix/smtpd`,
    /// `imap-login`, `auth-worker(123)`; empty when the line has no tag.
    pub program: &'a str,
    /// The pid written in brackets after the program, if any.
    pub pid: Option<&'a str>,
    /// What follows the tag.
    pub message: &'a str,
    /// The tag and the message as written (`prog[pid]: msg`), for programs whose own
    /// output starts with the process name (Dovecot's log files).
    pub tagged: Cow<'a, str>,
}

impl SyslogLine<'_> {
    /// The frame's fields for the raw record of an event, with the original line.
    pub(crate) fn raw_fields(&self, line: &str) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("line".into(), line.into());
        map.insert("time".into(), self.time.to_rfc3339().into());
        if let Some(host) = self.host {
            map.insert("host".into(), host.into());
        }
        if !self.program.is_empty() {
            map.insert("program".into(), self.program.into());
        }
        if let Some(pid) = self.pid {
            map.insert("pid".into(), pid.into());
        }
        map
    }
}

/// Splits a line into its frame. `Ok(None)` when the line has no syslog shape at all;
/// `Err` when it has one but its time is impossible (`Feb 30`, hour 25...).
/// `file_time` resolves the year of RFC 3164 dates.
pub(crate) fn parse(line: &str, file_time: Option<DateTime<Utc>>) -> Result<Option<SyslogLine<'_>>, String> {
    let line = line.trim_start_matches('\u{feff}');
    if let Some(rest) = line.strip_prefix('@') {
        return tai64n(rest).map(Some);
    }
    let line = strip_priority(line);
    if let Some(rest) = line.strip_prefix("1 ") {
        return rfc5424(rest).map(Some);
    }
    let first = line.get(..1).unwrap_or_default();
    if first.bytes().all(|b| b.is_ascii_digit()) && !first.is_empty() {
        return iso(line);
    }
    bsd(line, file_time)
}

/// Drops an RFC 3164/5424 `<PRI>` prefix.
fn strip_priority(line: &str) -> &str {
    let Some(rest) = line.strip_prefix('<') else { return line };
    match rest.split_once('>') {
        Some((pri, after)) if (1..=3).contains(&pri.len()) && pri.bytes().all(|b| b.is_ascii_digit()) => after,
        _ => line,
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `Nov 22 14:35:01[.123] rest`.
fn bsd(line: &str, file_time: Option<DateTime<Utc>>) -> Result<Option<SyslogLine<'_>>, String> {
    let Some(month) = line.get(..3).and_then(|m| MONTHS.iter().position(|n| n.eq_ignore_ascii_case(m))) else {
        return Ok(None);
    };
    let rest = line.get(3..).unwrap_or_default();
    let Some(rest) = rest.strip_prefix(' ') else { return Ok(None) };
    let rest = rest.trim_start_matches(' ');
    let Some((day, rest)) = rest.split_once(' ') else { return Ok(None) };
    let Some((clock, rest)) = rest.split_once(' ') else { return Ok(None) };
    let Ok(day) = day.parse::<u32>() else { return Ok(None) };
    if !looks_like_clock(clock) {
        return Ok(None);
    }
    let time = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .map_err(|_| format!("invalid syslog time `{}`", quote(clock)))?;
    let month = u32::try_from(month).unwrap_or(0) + 1;
    let time = resolve_year(month, day, time, file_time)?;
    Ok(Some(tagged_rest(time, rest.trim_start_matches(' '))))
}

/// `2026-11-22T14:35:01+01:00 rest` or `2026-11-22 14:35:01 rest`.
fn iso(line: &str) -> Result<Option<SyslogLine<'_>>, String> {
    let Some((first, rest)) = line.split_once(' ') else { return Ok(None) };
    let is_date = |s: &str| s.len() >= 10 && s.get(4..5) == Some("-") && s.get(7..8) == Some("-");
    if !is_date(first) {
        return Ok(None);
    }
    if first.len() == 10 {
        // Dovecot's own `YYYY-MM-DD HH:MM:SS`, local time without zone.
        let Some((clock, rest)) = rest.split_once(' ') else { return Ok(None) };
        if !looks_like_clock(clock) {
            return Ok(None);
        }
        let text = format!("{first} {clock}");
        let time = NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S%.f")
            .map_err(|_| format!("invalid timestamp `{}`", quote(&text)))?;
        return Ok(Some(tagged_rest(Utc.from_utc_datetime(&time), rest.trim_start_matches(' '))));
    }
    let time = parse_timestamp(first, DateOrder::default()).ok_or_else(|| format!("invalid timestamp `{}`", quote(first)))?;
    Ok(Some(tagged_rest(time, rest.trim_start_matches(' '))))
}

/// `HH:MM:SS` with optional fraction: the shape, not the values.
fn looks_like_clock(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b.get(2) == Some(&b':') && b.get(5) == Some(&b':') && b.first().is_some_and(u8::is_ascii_digit)
}

/// `4000000063a1b2c312345678 rest`: a TAI64N label (after the `@`).
fn tai64n(rest: &str) -> Result<SyslogLine<'_>, String> {
    let (label, tail) = rest.split_once(' ').unwrap_or((rest, ""));
    let (Some(secs), Some(nanos)) = (label.get(..16), label.get(16..)) else {
        return Err(format!("invalid TAI64N label `@{}`", quote(label)));
    };
    let parsed = (u64::from_str_radix(secs, 16), u32::from_str_radix(nanos, 16));
    let (Ok(secs), Ok(nanos), 8) = (parsed.0, parsed.1, nanos.len()) else {
        return Err(format!("invalid TAI64N label `@{}`", quote(label)));
    };
    // daemontools writes 2^62 + 10 + Unix seconds.
    let unix = secs.checked_sub((1u64 << 62) + 10).and_then(|s| i64::try_from(s).ok());
    let time = unix
        .and_then(|s| Utc.timestamp_opt(s, nanos).single())
        .ok_or_else(|| format!("TAI64N label `@{}` is out of range", quote(label)))?;
    Ok(tagged_rest(time, tail.trim_start_matches(' ')))
}

/// `TIMESTAMP HOST APP PROCID MSGID SD [MSG]` (after `<pri>1 `).
fn rfc5424(rest: &str) -> Result<SyslogLine<'_>, String> {
    let mut parts = rest.splitn(6, ' ');
    let mut next = || parts.next().unwrap_or("-");
    let (stamp, host, app, procid, _msgid, after) = (next(), next(), next(), next(), next(), next());
    if stamp == "-" {
        return Err("RFC 5424 line without a timestamp".into());
    }
    let time = parse_timestamp(stamp, DateOrder::default()).ok_or_else(|| format!("invalid RFC 5424 timestamp `{}`", quote(stamp)))?;
    let message = skip_structured_data(after).trim_start_matches('\u{feff}');
    let program = if app == "-" { "" } else { app };
    let tagged = if program.is_empty() { Cow::Borrowed(message) } else { Cow::Owned(format!("{program}: {message}")) };
    Ok(SyslogLine {
        time,
        host: (host != "-").then_some(host),
        program,
        pid: (procid != "-").then_some(procid),
        message,
        tagged,
    })
}

/// The message after RFC 5424 structured data (`-` or `[id k="v"]...`; `"`, `\\` and
/// `]` escaped with `\\` inside values).
fn skip_structured_data(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix('-') {
        return rest.strip_prefix(' ').unwrap_or(rest);
    }
    let (mut element, mut value, mut escaped) = (false, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if value => escaped = true,
            '"' if element => value = !value,
            _ if value => {}
            '[' if !element => element = true,
            ']' if element => element = false,
            ' ' if !element => return text.get(i + 1..).unwrap_or_default(),
            _ if !element => return text.get(i..).unwrap_or_default(),
            _ => {}
        }
    }
    ""
}

/// Splits `[host] tag[pid]: message` after the timestamp. A first word ending in `:`
/// is a tag, so the line has no host (Dovecot's own log files).
fn tagged_rest(time: DateTime<Utc>, rest: &str) -> SyslogLine<'_> {
    let first = rest.split(' ').next().unwrap_or_default();
    let (host, after_host) = if first.ends_with(':') || first.is_empty() {
        (None, rest)
    } else {
        (Some(first), rest.get(first.len()..).unwrap_or_default().trim_start_matches(' '))
    };
    let (tag, message) = match after_host.split_once(": ") {
        Some((tag, msg)) if !tag.contains(' ') => (tag, msg),
        _ => match after_host.strip_suffix(':') {
            Some(tag) if !tag.contains(' ') => (tag, ""),
            _ => ("", after_host),
        },
    };
    let (program, pid) = match tag.strip_suffix(']').and_then(|t| t.split_once('[')) {
        Some((program, pid)) => (program, Some(pid)),
        None => (tag, None),
    };
    SyslogLine { time, host, program, pid, message, tagged: Cow::Borrowed(after_host) }
}

/// A year-less date resolved against the file time (see the module documentation).
fn resolve_year(month: u32, day: u32, time: NaiveTime, file_time: Option<DateTime<Utc>>) -> Result<DateTime<Utc>, String> {
    let reference = file_time.unwrap_or_else(Utc::now);
    let at = |year: i32| {
        // 29 February: the latest leap year not after `year`.
        (0..8).find_map(|back| NaiveDate::from_ymd_opt(year - back, month, day)).map(|d| Utc.from_utc_datetime(&d.and_time(time)))
    };
    let invalid = || format!("invalid syslog date: month {month} has no day {day}");
    let this_year = at(reference.year()).ok_or_else(invalid)?;
    if this_year > reference + Duration::days(1) {
        return at(reference.year() - 1).ok_or_else(invalid);
    }
    Ok(this_year)
}

/// A value quoted back in a message, cut to a readable length.
pub(crate) fn quote(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

/// `key=value` pairs of a Dovecot or Postfix list (`user=<a, b>, method=PLAIN, TLS,
/// status=sent (250 ok, queued)`): a value ends at `, ` outside `<>` and `()`; words
/// without `=` are flags. Values keep their brackets.
pub(crate) fn key_values(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        // Free text that Dovecot and Postfix write last: it may hold `, `.
        let end = if rest.starts_with("subject=") || rest.starts_with("status=") { rest.len() } else { item_end(rest) };
        let item = rest.get(..end).unwrap_or_default();
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() && !k.contains(' ') => out.push((k, v)),
            _ => out.push((item.trim(), "")),
        }
        rest = rest.get(end..).unwrap_or_default();
        rest = rest.strip_prefix(", ").unwrap_or(rest);
        if out.len() >= 64 {
            break;
        }
    }
    out
}

/// Where the item starting `text` ends: the first `, ` outside brackets.
fn item_end(text: &str) -> usize {
    let mut angle = 0usize;
    let mut paren = 0usize;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'<' => angle += 1,
            b'>' => angle = angle.saturating_sub(1),
            b'(' => paren += 1,
            b')' => paren = paren.saturating_sub(1),
            b',' if angle == 0 && paren == 0 && bytes.get(i + 1) == Some(&b' ') => return i,
            _ => {}
        }
    }
    text.len()
}

/// A value without its `<>` brackets.
pub(crate) fn unbracket(value: &str) -> &str {
    value.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    fn parse_ok(line: &str) -> SyslogLine<'_> {
        parse(line, Some(at("2026-11-22T12:00:00Z"))).expect("valid").expect("syslog")
    }

    #[test]
    fn reads_rfc3164_with_host_and_pid() {
        let l = parse_ok("Nov 22 10:35:01 mx1 postfix/smtpd[123]: warning: x");
        assert_eq!(l.time, at("2026-11-22T10:35:01Z"));
        assert_eq!((l.host, l.program, l.pid, l.message), (Some("mx1"), "postfix/smtpd", Some("123"), "warning: x"));
        let padded = parse_ok("May  6 09:25:41 mail dovecot: imap-login: Login: user=<a>");
        assert_eq!(padded.time, at("2026-05-06T09:25:41Z"));
        assert_eq!(padded.message, "imap-login: Login: user=<a>");
        assert_eq!(parse_ok("<34>Jun 04 22:24:28.250 h p: m").time, at("2026-06-04T22:24:28.250Z"));
    }

    #[test]
    fn year_comes_from_the_file_time() {
        let jan = Some(at("2027-01-03T08:00:00Z"));
        let dec = parse("Dec 31 23:59:59 h p: m", jan).expect("ok").expect("some");
        assert_eq!(dec.time, at("2026-12-31T23:59:59Z"));
        // Within a day after the file time: same year (zone-less times read as UTC).
        let soon = parse("Jan 3 20:00:00 h p: m", jan).expect("ok").expect("some");
        assert_eq!(soon.time, at("2027-01-03T20:00:00Z"));
        let leap = parse("Feb 29 10:00:00 h p: m", Some(at("2027-03-01T00:00:00Z"))).expect("ok").expect("some");
        assert_eq!(leap.time, at("2024-02-29T10:00:00Z"));
        assert!(parse("Feb 30 10:00:00 h p: m", jan).is_err());
        assert!(parse("Feb 3 25:00:00 h p: m", jan).is_err());
    }

    #[test]
    fn reads_dovecot_own_files_without_host() {
        let l = parse_ok("Jan 29 13:54:06 auth-worker(22401): Info: sql(a,192.0.2.5): unknown user");
        assert_eq!((l.host, l.program, l.message), (None, "auth-worker(22401)", "Info: sql(a,192.0.2.5): unknown user"));
        let iso = parse_ok("2013-08-11 03:56:40 auth-worker(default): Info: pam(u,1.2.3.4): x");
        assert_eq!(iso.time, at("2013-08-11T03:56:40Z"));
        assert_eq!(iso.host, None);
        let v24 = parse_ok("Aug 30 00:10:57 auth(i@e.com,192.0.2.110,sasl:login)<CvN+E95U>: Info: sql: Password mismatch");
        assert_eq!(v24.program, "auth(i@e.com,192.0.2.110,sasl:login)<CvN+E95U>");
        assert_eq!(v24.message, "Info: sql: Password mismatch");
    }

    #[test]
    fn reads_iso_rfc5424_and_tai64n() {
        let l = parse_ok("2024-12-31T06:56:17.784598+01:00 mail dovecot: auth: x");
        assert_eq!(l.time, at("2024-12-31T05:56:17.784598Z"));
        assert_eq!((l.host, l.program), (Some("mail"), "dovecot"));
        let r = parse_ok("<34>1 2026-11-22T14:35:01Z mx postfix/smtpd 42 - [m@1 a=\"x]\\\"\"][n b=\"c\"] \u{feff}hello: there");
        assert_eq!((r.host, r.program, r.pid, r.message), (Some("mx"), "postfix/smtpd", Some("42"), "hello: there"));
        assert_eq!(r.tagged, "postfix/smtpd: hello: there");
        let nil = parse_ok("<13>1 2026-11-22T14:35:01.5+02:00 - - - - - msg");
        assert_eq!((nil.host, nil.program, nil.message), (None, "", "msg"));
        assert_eq!(nil.time, at("2026-11-22T12:35:01.5Z"));
        let t = parse_ok("@400000004c91b04e077a9e94 imap-login: Info: Aborted login");
        assert_eq!(t.time, at("2010-09-16T05:51:00.125476500Z"));
        assert_eq!((t.program, t.message), ("imap-login", "Info: Aborted login"));
        assert!(parse("@4000zz h", None).is_err());
        assert!(parse("<1>1 - h a - - - m", None).is_err());
    }

    #[test]
    fn other_text_is_not_syslog() {
        for line in ["", "hello world", "Nov", "Novembre 22 10:00:00 x", "192.168.1.1 - - [x]", "2026-11-22", "Nov 22 10 h"] {
            assert_eq!(parse(line, None), Ok(None), "{line}");
        }
    }

    #[test]
    fn splits_key_values() {
        let kv = key_values("user=<a, b>, method=PLAIN, rip=1.2.3.4, TLS, status=sent (250 ok, queued)");
        assert_eq!(
            kv,
            vec![("user", "<a, b>"), ("method", "PLAIN"), ("rip", "1.2.3.4"), ("TLS", ""), ("status", "sent (250 ok, queued)")]
        );
        assert_eq!(unbracket("<x>"), "x");
        assert_eq!(quote(&"é".repeat(100)).chars().count(), 67);
    }
}
