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
use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

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
    pub(crate) fn raw_fields<'s>(&'s self, line: &'s str) -> RawFields<'s> {
        let mut raw = RawFields::default();
        raw.insert("line", line);
        raw.insert("time", RawValue::Time(self.time));
        if let Some(host) = self.host {
            raw.insert("host", host);
        }
        if !self.program.is_empty() {
            raw.insert("program", self.program);
        }
        if let Some(pid) = self.pid {
            raw.insert("pid", pid);
        }
        raw
    }
}

/// A value of a line's raw record.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RawValue<'a> {
    /// A JSON string.
    Text(&'a str),
    /// A JSON boolean.
    Flag(bool),
    /// A time, written as RFC 3339 the way `DateTime::to_rfc3339` does.
    Time(DateTime<Utc>),
    /// An address, written as its `Display`.
    Ip(IpAddr),
}

impl<'a> From<&'a str> for RawValue<'a> {
    fn from(text: &'a str) -> Self {
        RawValue::Text(text)
    }
}

impl From<bool> for RawValue<'_> {
    fn from(flag: bool) -> Self {
        RawValue::Flag(flag)
    }
}

/// The raw record of a framed line, as a JSON object. It gives the text a
/// `serde_json::Map` built by the same inserts gives (keys sorted, a later value
/// replacing an earlier one of the same key), without building a map and its strings
/// for every line.
#[derive(Debug, Default)]
pub(crate) struct RawFields<'a> {
    pairs: SmallList<(&'a str, RawValue<'a>), 24>,
}

impl Default for RawValue<'_> {
    fn default() -> Self {
        RawValue::Flag(false)
    }
}

impl<'a> RawFields<'a> {
    /// Sets `key`; a later insert of the same key wins.
    pub(crate) fn insert(&mut self, key: &'a str, value: impl Into<RawValue<'a>>) {
        self.pairs.push((key, value.into()));
    }

    /// How many inserts were made.
    pub(crate) fn len(&self) -> usize {
        self.pairs.as_slice().len()
    }

    /// Whether `key` was inserted by the inserts from number `start` on.
    pub(crate) fn contains_key_from(&self, start: usize, key: &str) -> bool {
        self.pairs.as_slice().get(start..).is_some_and(|after| after.iter().any(|(k, _)| *k == key))
    }

    /// The JSON object text.
    pub(crate) fn into_json(mut self) -> String {
        // Stable: among equal keys the last inserted stays last, and is the one written.
        let pairs = self.pairs.as_mut_slice();
        // The first bytes decide most comparisons without a call to `memcmp`.
        pairs.sort_by(|a, b| a.0.as_bytes().first().cmp(&b.0.as_bytes().first()).then_with(|| a.0.cmp(b.0)));
        let size: usize = pairs.iter().map(|(k, v)| k.len() + v.size_hint() + 4).sum();
        let mut out = String::with_capacity(size + 2);
        out.push('{');
        let mut pairs = pairs.iter().peekable();
        while let Some((key, value)) = pairs.next() {
            if pairs.peek().is_some_and(|(next, _)| next == key) {
                continue;
            }
            if out.len() > 1 {
                out.push(',');
            }
            json_string(&mut out, key);
            out.push(':');
            value.write(&mut out);
        }
        out.push('}');
        out
    }
}

impl RawValue<'_> {
    /// About how many bytes the value takes in JSON.
    fn size_hint(&self) -> usize {
        match self {
            RawValue::Text(text) => text.len() + 8,
            RawValue::Flag(_) => 5,
            RawValue::Time(_) => 40,
            RawValue::Ip(_) => 48,
        }
    }

    /// Appends the value as JSON. Times and addresses are ASCII without quotes or
    /// backslashes: they need no escaping.
    fn write(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            RawValue::Text(text) => json_string(out, text),
            RawValue::Flag(flag) => out.push_str(if *flag { "true" } else { "false" }),
            RawValue::Time(time) => {
                let _ = write!(out, "\"{}\"", Rfc3339(*time));
            }
            RawValue::Ip(ip) => {
                let _ = write!(out, "\"{ip}\"");
            }
        }
    }
}

/// Appends `text` as a JSON string: as is when nothing needs escaping (almost every
/// log value), else escaped by serde_json.
fn json_string(out: &mut String, text: &str) {
    if !needs_escape(text.as_bytes()) {
        out.reserve(text.len() + 2);
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        match serde_json::to_string(text) {
            Ok(json) => out.push_str(&json),
            Err(_) => out.push_str("\"\""),
        }
    }
}

/// Whether `bytes` hold a byte JSON escapes (control, `"` or `\\`); eight bytes at a
/// time with the classic "has a zero byte" bit trick.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS != 0;
    let special = |w: u64| {
        // Bytes below 0x20: subtracting 0x20 borrows into their high bit (ASCII only;
        // bytes of 0x80 and more are never special and are masked out by `!w`).
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS != 0;
        control || zero_byte(w ^ (ONES * u64::from(b'"'))) || zero_byte(w ^ (ONES * u64::from(b'\\')))
    };
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if special(u64::from_le_bytes(w)) {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// A list kept inline up to `N` items (no allocation for a usual line), on the heap
/// beyond.
#[derive(Debug)]
pub(crate) struct SmallList<T, const N: usize> {
    inline: [T; N],
    len: usize,
    /// Every item once there are more than `N`.
    spilled: Vec<T>,
}

impl<T: Copy + Default, const N: usize> Default for SmallList<T, N> {
    fn default() -> Self {
        SmallList { inline: [T::default(); N], len: 0, spilled: Vec::new() }
    }
}

impl<T: Copy + Default, const N: usize> SmallList<T, N> {
    /// Appends `item`.
    pub(crate) fn push(&mut self, item: T) {
        if !self.spilled.is_empty() {
            self.spilled.push(item);
        } else if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = item;
            self.len += 1;
        } else {
            self.spilled.extend_from_slice(&self.inline);
            self.spilled.push(item);
        }
    }

    /// The items, in order.
    pub(crate) fn as_slice(&self) -> &[T] {
        if self.spilled.is_empty() { self.inline.get(..self.len).unwrap_or_default() } else { &self.spilled }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        if self.spilled.is_empty() { self.inline.get_mut(..self.len).unwrap_or_default() } else { &mut self.spilled }
    }
}

impl<T: Copy + Default, const N: usize> FromIterator<T> for SmallList<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = SmallList::default();
        for item in iter {
            list.push(item);
        }
        list
    }
}

/// `DateTime::to_rfc3339`, written without chrono's general formatter for whole seconds
/// of years 0 to 9999 (every line of a classic syslog file).
struct Rfc3339(DateTime<Utc>);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, time) = (self.0.date_naive(), self.0.time());
        let Ok(year) = u32::try_from(date.year()) else { return f.write_str(&self.0.to_rfc3339()) };
        if year > 9999 || time.nanosecond() != 0 {
            return f.write_str(&self.0.to_rfc3339());
        }
        let mut out = *b"0000-00-00T00:00:00+00:00";
        let digits = [(0, year, 4), (5, date.month(), 2), (8, date.day(), 2), (11, time.hour(), 2), (14, time.minute(), 2), (17, time.second(), 2)];
        for (at, mut value, width) in digits {
            for i in (at..at + width).rev() {
                if let Some(b) = out.get_mut(i) {
                    // `value % 10` is below 10: the cast cannot truncate.
                    *b = b'0' + (value % 10) as u8;
                }
                value /= 10;
            }
        }
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

/// `text.split_once(byte)` for an ASCII byte, by `memchr` (the `char` searcher's
/// set-up costs more than the search on a short line).
pub(crate) fn split_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = memchr::memchr(byte, text.as_bytes())?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text.contains(byte)` for an ASCII byte, by `memchr`.
pub(crate) fn has_byte(text: &str, byte: u8) -> bool {
    memchr::memchr(byte, text.as_bytes()).is_some()
}

/// `text.split_once(": ")` without the set-up of the general substring search, which
/// costs more than the search on a short log line (this runs several times a line).
pub(crate) fn split_colon(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(b':', bytes.get(from..)?)?;
        if bytes.get(at + 1) == Some(&b' ') {
            return Some((text.get(..at)?, text.get(at + 2..)?));
        }
        from = at + 1;
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
    let Some((day, rest)) = split_byte(rest, b' ') else { return Ok(None) };
    let Some((clock, rest)) = split_byte(rest, b' ') else { return Ok(None) };
    let Ok(day) = day.parse::<u32>() else { return Ok(None) };
    if !looks_like_clock(clock) {
        return Ok(None);
    }
    let time = clock_time(clock).ok_or_else(|| format!("invalid syslog time `{}`", quote(clock)))?;
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

/// The time of a `HH:MM:SS[.f]` clock: plain `HH:MM:SS` read directly, anything else
/// (fractions, leap seconds, errors) by chrono's parser.
fn clock_time(clock: &str) -> Option<NaiveTime> {
    if let [h1, h2, b':', m1, m2, b':', s1, s2] = *clock.as_bytes() {
        let two = |a: u8, b: u8| (a.is_ascii_digit() && b.is_ascii_digit()).then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'));
        if let (Some(h), Some(m), Some(s)) = (two(h1, h2), two(m1, m2), two(s1, s2))
            && let Some(time) = NaiveTime::from_hms_opt(h, m, s)
        {
            return Some(time);
        }
    }
    NaiveTime::parse_from_str(clock, "%H:%M:%S%.f").ok()
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
    let first = split_byte(rest, b' ').map_or(rest, |(first, _)| first);
    let (host, after_host) = if first.ends_with(':') || first.is_empty() {
        (None, rest)
    } else {
        (Some(first), rest.get(first.len()..).unwrap_or_default().trim_start_matches(' '))
    };
    let (tag, message) = match split_colon(after_host) {
        Some((tag, msg)) if !has_byte(tag, b' ') => (tag, msg),
        _ => match after_host.strip_suffix(':') {
            Some(tag) if !has_byte(tag, b' ') => (tag, ""),
            _ => ("", after_host),
        },
    };
    let (program, pid) = match tag.strip_suffix(']').and_then(|t| split_byte(t, b'[')) {
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
/// without `=` are flags. Values keep their brackets. At most [`MAX_PAIRS`] pairs.
pub(crate) fn key_values(text: &str) -> Vec<(&str, &str)> {
    KeyValues::new(text).collect()
}

/// Most pairs [`KeyValues`] yields: the rest of a longer list is ignored.
pub(crate) const MAX_PAIRS: usize = 64;

/// The pairs of [`key_values`], one at a time (no list built).
pub(crate) struct KeyValues<'a> {
    rest: &'a str,
    count: usize,
}

impl<'a> KeyValues<'a> {
    /// The pairs of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        KeyValues { rest: text, count: 0 }
    }
}

impl<'a> Iterator for KeyValues<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        if rest.is_empty() || self.count >= MAX_PAIRS {
            return None;
        }
        self.count += 1;
        // Free text that Dovecot and Postfix write last: it may hold `, `.
        let end = if rest.starts_with("subject=") || rest.starts_with("status=") { rest.len() } else { item_end(rest) };
        let item = rest.get(..end).unwrap_or_default();
        let after = rest.get(end..).unwrap_or_default();
        self.rest = after.strip_prefix(", ").unwrap_or(after);
        // Items are short: a plain scan beats `memchr`'s set-up.
        let pair = item.bytes().position(|b| b == b'=').and_then(|at| Some((item.get(..at)?, item.get(at + 1..)?)));
        Some(match pair {
            Some((k, v)) if !k.is_empty() && !k.bytes().any(|b| b == b' ') => (k, v),
            _ => (item.trim(), ""),
        })
    }
}

/// Where the item starting `text` ends: the first `, ` outside brackets.
fn item_end(text: &str) -> usize {
    let mut angle = 0usize;
    let mut paren = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(b) = bytes.get(i) {
        if angle == 0 && paren == 0 && !matches!(b, b',' | b'<' | b'(') {
            // Outside brackets only these three matter (a stray `>` or `)` changes nothing).
            match memchr::memchr3(b',', b'<', b'(', bytes.get(i..).unwrap_or_default()) {
                Some(skip) => i += skip,
                None => return text.len(),
            }
            continue;
        }
        match b {
            b'<' => angle += 1,
            b'>' => angle = angle.saturating_sub(1),
            b'(' => paren += 1,
            b')' => paren = paren.saturating_sub(1),
            b',' if angle == 0 && paren == 0 && bytes.get(i + 1) == Some(&b' ') => return i,
            _ => {}
        }
        i += 1;
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
    fn raw_fields_write_what_a_json_map_writes() {
        let hostile = ["plain", "", "a\"b\\c", "tab\there\u{1}\u{1f}\u{7f}", "é\u{2028}ü", "12345678\"", "1234567\n"];
        for (i, text) in hostile.iter().enumerate() {
            let mut raw = RawFields::default();
            let mut map = serde_json::Map::new();
            let ip: IpAddr = [192, 0, 2, u8::try_from(i).unwrap_or(0)].into();
            let time = at("2026-11-22T10:00:00Z") + Duration::milliseconds(i64::try_from(i).unwrap_or(0) * 250);
            for (k, v) in [("line", *text), ("zeta", "z"), ("alpha", *text), ("line", "again"), ("beta", "b")] {
                raw.insert(k, v);
                map.insert(k.into(), v.into());
            }
            raw.insert("time", RawValue::Time(time));
            map.insert("time".into(), time.to_rfc3339().into());
            raw.insert("ip", RawValue::Ip(ip));
            map.insert("ip".into(), ip.to_string().into());
            raw.insert("tls", i % 2 == 0);
            map.insert("tls".into(), (i % 2 == 0).into());
            assert_eq!(raw.into_json(), serde_json::Value::Object(map).to_string(), "{text:?}");
        }
    }

    #[test]
    fn many_raw_fields_spill_to_the_heap() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i:02}")).collect();
        let mut raw = RawFields::default();
        let mut map = serde_json::Map::new();
        for k in keys.iter().rev() {
            raw.insert(k, k.as_str());
            map.insert(k.clone(), k.as_str().into());
        }
        assert_eq!(raw.len(), 40);
        assert!(raw.contains_key_from(39, "k00") && !raw.contains_key_from(39, "k39"));
        assert_eq!(raw.into_json(), serde_json::Value::Object(map).to_string());
    }

    #[test]
    fn escape_check_agrees_with_serde_json() {
        for b in 0u8..=127 {
            for at in 0..17 {
                let mut text = "x".repeat(16);
                text.insert(at, char::from(b));
                let escaped = serde_json::to_string(&text).unwrap_or_default() != format!("\"{text}\"");
                assert_eq!(needs_escape(text.as_bytes()), escaped, "byte {b} at {at}");
            }
        }
        assert!(!needs_escape("é日本語 with ünïcödé, long enough for words".as_bytes()));
    }

    #[test]
    fn times_are_written_like_chrono() {
        let times = ["2026-11-22T10:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-02T03:04:05.120Z", "2026-01-02T03:04:05.000000001Z"];
        for text in times {
            let time = at(text);
            assert_eq!(Rfc3339(time).to_string(), time.to_rfc3339(), "{text}");
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500));
        let leap = Utc.from_utc_datetime(&leap.unwrap_or_default());
        assert_eq!(Rfc3339(leap).to_string(), leap.to_rfc3339());
        assert_eq!(clock_time("23:59:60"), NaiveTime::parse_from_str("23:59:60", "%H:%M:%S").ok());
        assert_eq!(clock_time("24:00:00"), None);
        assert_eq!(clock_time("09:05:07"), NaiveTime::from_hms_opt(9, 5, 7));
    }

    #[test]
    fn byte_splits_agree_with_str_splits() {
        for text in ["", "a", "a: b", "a:b: c", ":", ": ", "x: ", "é: ü: z", "no colon"] {
            assert_eq!(split_colon(text), text.split_once(": "), "{text}");
            assert_eq!(split_byte(text, b':'), text.split_once(':'), "{text}");
            assert_eq!(has_byte(text, b' '), text.contains(' '), "{text}");
        }
    }

    #[test]
    fn splits_key_values() {
        let kv = key_values("user=<a, b>, method=PLAIN, rip=1.2.3.4, TLS, status=sent (250 ok, queued)");
        assert_eq!(
            kv,
            vec![("user", "<a, b>"), ("method", "PLAIN"), ("rip", "1.2.3.4"), ("TLS", ""), ("status", "sent (250 ok, queued)")]
        );
        assert_eq!(key_values("a=<x, (y>, z)>, b=1"), vec![("a", "<x, (y>, z)>"), ("b", "1")]);
        assert_eq!(key_values("a=x), b=(1, 2), c"), vec![("a", "x)"), ("b", "(1, 2)"), ("c", "")]);
        assert_eq!(KeyValues::new(&"k=v, ".repeat(100)).count(), MAX_PAIRS);
        assert_eq!(unbracket("<x>"), "x");
        assert_eq!(quote(&"é".repeat(100)).chars().count(), 67);
    }
}
