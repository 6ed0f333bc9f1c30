//! Dovecot and Postfix logs against real public data, line by line:
//! - crowdsecurity/hub tests (MIT, copied into `fixtures/crowdsec_hub`): every line
//!   gives the user, source IP, outcome and time its `parser.assert` expects;
//! - fail2ban's labelled logs (GPL, read from `../shared/fixtures`, skipped when absent):
//!   every `# failJSON:` line gets the same time, failure or not, and source IP;
//! - wazuh's rule tests (GPL, read from `../shared/fixtures`): every Dovecot and Postfix
//!   line parses without a warning.
//!
//! Agreement counts are printed (`cargo test -- --nocapture`); the few lines where we
//! differ on purpose are listed with the reason, and everything else must agree.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, TimeZone, Timelike, Utc};
use mailcase_model::{Action, Event, Outcome};
use mailcase_sources::{Format, read_file, sniff_file};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared(sub: &str) -> Option<PathBuf> {
    let dir = crate_dir().join("../../../shared/fixtures").join(sub);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent (GPL data is only read from the shared folder)", dir.display());
        None
    }
}

/// Events and warnings of a file, keyed by line number.
struct Read {
    events: BTreeMap<u64, Event>,
    warnings: Vec<(u64, String)>,
}

fn read(path: &Path, format: Format) -> Read {
    let mut events = BTreeMap::new();
    let mut warnings = Vec::new();
    read_file(path, format, 1, |batch| {
        events.extend(batch.events.into_iter().map(|e| (e.evidence.record, e)));
        warnings.extend(batch.warnings.into_iter().map(|w| (w.record, w.message)));
        Ok(())
    })
    .expect("readable");
    Read { events, warnings }
}

/// A copy of `text` in a temporary file whose modification time is `mtime` (the year of
/// RFC 3164 dates comes from it).
fn with_mtime(dir: &Path, name: &str, text: &str, mtime: DateTime<Utc>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    let file = File::options().write(true).open(&path).expect("open");
    file.set_modified(mtime.into()).expect("set mtime");
    path
}

fn ip_of(event: &Event) -> String {
    event.client.ip.map(|ip| ip.to_string()).unwrap_or_default()
}

/// Counts of checks that agreed, and what did not.
#[derive(Default)]
struct Tally {
    checked: usize,
    agreed: usize,
    excused: Vec<String>,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.checked += 1;
        if ok {
            self.agreed += 1;
        } else {
            self.failures.push(what());
        }
    }

    fn finish(self, name: &str) {
        println!("{name}: {}/{} checks agree, {} excused", self.agreed, self.checked, self.excused.len());
        for e in &self.excused {
            println!("  excused: {e}");
        }
        assert!(self.failures.is_empty(), "{name}: {} disagreements:\n{}", self.failures.len(), self.failures.join("\n"));
        assert!(self.checked > 0, "{name}: nothing checked");
    }
}

// ------------------------------------------------------------------------------------
// crowdsecurity/hub
// ------------------------------------------------------------------------------------

/// One expectation of a `parser.assert`: line index, field and value. `[4:]` slices
/// (values without their year) are kept as `suffix`.
struct Expect {
    index: usize,
    stage: &'static str,
    field: String,
    value: String,
    suffix: bool,
}

fn parse_assert(text: &str) -> Vec<Expect> {
    let mut out = Vec::new();
    for line in text.lines() {
        let stage = if line.starts_with("results[\"s01-parse\"]") {
            "parse"
        } else if line.starts_with("results[\"s02-enrich\"][\"crowdsecurity/dateparse-enrich\"]") {
            "enrich"
        } else {
            continue;
        };
        let Some((left, value)) = line.split_once(" == ") else { continue };
        let Some(value) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else { continue };
        let Some(index) = left.split("][").nth(2).and_then(|s| s.split(']').next()).and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Some(field) = left.rsplit("[\"").next().and_then(|f| f.split('"').next()) else { continue };
        let field = if left.contains(".Evt.Meta[") { format!("meta.{field}") } else { format!("parsed.{field}") };
        out.push(Expect { index, stage, field, value: value.to_owned(), suffix: left.ends_with("[4:]") });
    }
    out
}

/// The time as crowdsec writes each field, to compare with its expectations.
fn crowdsec_time(field: &str, time: DateTime<Utc>) -> Vec<String> {
    match field {
        "parsed.timestamp" => vec![time.format("%b %-d %H:%M:%S").to_string(), time.format("%b %d %H:%M:%S").to_string()],
        "parsed.timestamp8601" => vec![time.to_rfc3339_opts(SecondsFormat::AutoSi, false)],
        _ => vec![time.to_rfc3339_opts(SecondsFormat::AutoSi, true)],
    }
}

fn check_crowdsec_expect(tally: &mut Tally, dir: &str, line: &str, event: Option<&Event>, e: &Expect) {
    let what = || format!("{dir} line {}: {} == {:?}; line: {line}; event: {event:?}", e.index, e.field, e.value);
    let Some(event) = event else {
        if line.contains("(no auth attempts") {
            tally.excused.push(format!("{dir} line {} {}: a connection that never tried to authenticate is not an event", e.index, e.field));
        } else {
            tally.check(false, what);
        }
        return;
    };
    let agrees = match e.field.as_str() {
        "parsed.dovecot_user" => event.account.as_ref().is_some_and(|a| a.as_str().eq_ignore_ascii_case(&e.value)),
        "meta.source_ip" | "parsed.dovecot_remote_ip" | "parsed.remote_addr" => ip_of(event) == e.value,
        "meta.dovecot_login_result" => e.value == "auth_failed" && matches!(event.outcome, Outcome::Failure { .. }),
        "parsed.timestamp" | "parsed.timestamp8601" | "meta.timestamp" => {
            let ours = crowdsec_time(&e.field, event.time);
            let exact = DateTime::parse_from_rfc3339(&e.value).is_ok_and(|t| t == event.time);
            // `[4:]` values come without their year; crowdsec's enrichment guesses the
            // year of year-less lines from its own clock, so years are not compared.
            exact
                || ours.iter().any(|t| match (e.suffix, e.stage) {
                    (true, _) => t.get(4..) == Some(e.value.as_str()),
                    (false, "enrich") => t.get(4..) == e.value.get(4..),
                    _ => *t == e.value,
                })
        }
        _ => return,
    };
    tally.check(agrees, what);
}

#[test]
fn crowdsec_hub_dovecot_and_postfix() {
    let root = crate_dir().join("../../fixtures/crowdsec_hub/tests");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root).expect("fixtures").filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.retain(|d| d.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("dovecot-") || n.starts_with("postfix-")));
    dirs.sort();
    assert!(dirs.len() >= 14, "crowdsec Dovecot/Postfix fixtures missing: {dirs:?}");
    let mut tally = Tally::default();
    let mut lines_seen = 0;
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let Some(log) = std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).find(|p| p.extension().is_some_and(|x| x == "log")) else {
            continue;
        };
        let text = std::fs::read_to_string(&log).expect("log");
        let lines: Vec<(u64, &str)> = text.lines().zip(1u64..).filter(|(l, _)| !l.trim().is_empty()).map(|(l, n)| (n, l)).collect();
        if lines.is_empty() {
            continue;
        }
        let format = if name.starts_with("dovecot") { Format::DovecotLog } else { Format::PostfixLog };
        assert_eq!(sniff_file(&log).expect("sniff"), Some(format), "{}", log.display());
        let got = read(&log, format);
        assert!(got.warnings.is_empty(), "{name}: {:?}", got.warnings);
        // Every line: a failure from an address, or a successful login.
        for (number, line) in &lines {
            lines_seen += 1;
            let event = got.events.get(number);
            if line.contains("(no auth attempts") && event.is_none() {
                continue;
            }
            let ok = event.is_some_and(|e| !ip_of(e).is_empty() && (e.outcome != Outcome::Unknown));
            tally.check(ok, || format!("{name} line {number}: no event with an address and an outcome: {line}"));
        }
        let expectations = parse_assert(&std::fs::read_to_string(dir.join("parser.assert")).unwrap_or_default());
        for e in &expectations {
            let Some((number, line)) = lines.get(e.index) else {
                tally.check(false, || format!("{name}: no line {}", e.index));
                continue;
            };
            check_crowdsec_expect(&mut tally, &name, line, got.events.get(number), e);
        }
    }
    assert!(lines_seen >= 60, "only {lines_seen} lines");
    tally.finish("crowdsec_hub dovecot/postfix");
}

// ------------------------------------------------------------------------------------
// fail2ban
// ------------------------------------------------------------------------------------

/// fail2ban's test clock (`MyTime.setTime(1124013600)`): the year of its year-less lines.
fn fail2ban_now() -> DateTime<Utc> {
    Utc.timestamp_opt(1_124_013_600, 0).single().expect("time")
}

/// One labelled line.
struct Labelled {
    line_no: u64,
    line: String,
    matches: bool,
    time: Option<NaiveDateTime>,
    host: Option<String>,
    /// The `filterOptions` in force (the jail mode the label is for).
    options: String,
}

fn labelled_lines(text: &str) -> Vec<Labelled> {
    let mut out = Vec::new();
    let mut pending: Option<serde_json::Value> = None;
    let mut options = String::new();
    for (line, line_no) in text.lines().zip(1u64..) {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix('#') {
            let rest = rest.trim();
            if let Some(json) = rest.strip_prefix("failJSON:") {
                pending = serde_json::from_str(json.trim()).ok();
            } else if let Some(o) = rest.strip_prefix("filterOptions:") {
                options = o.trim().to_owned();
            }
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let Some(label) = pending.take() else { continue };
        let time = label["time"].as_str().and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").ok());
        out.push(Labelled {
            line_no,
            line: line.to_owned(),
            matches: label["match"].as_bool().unwrap_or(false),
            time,
            host: label["host"].as_str().map(str::to_owned),
            options: options.clone(),
        });
    }
    out
}

/// Why a fail2ban label is not ours to meet, if it is one of the deliberate differences.
fn fail2ban_excuse(file: &str, l: &Labelled) -> Option<&'static str> {
    let aggressive_only = l.options.contains("aggressive") && !l.options.contains("{}") && !l.options.contains("normal");
    if file == "dovecot" && aggressive_only && l.matches {
        return Some("fail2ban's aggressive mode bans connections that never tried to authenticate (TLS probes); they are not failed sign-ins");
    }
    if file != "postfix" {
        return None;
    }
    let line = l.line.as_str();
    if line.contains(" disconnect from ") || line.contains("lost connection after ") {
        return Some("connection bookkeeping is not an event; the failed AUTH itself is the SASL warning line");
    }
    if line.contains("does not resolve to address") {
        return Some("a reverse DNS mismatch of a client is not a failure of anything in a mailbox");
    }
    if l.options.contains("\"errors\"") && !l.matches {
        return Some("mode-dependent label: fail2ban's normal mode labels the same pipelining line a failure, as we do");
    }
    if l.options.contains("\"auth\"") && !l.options.contains("aggressive") && !l.matches {
        return Some("mode-dependent label: fail2ban's aggressive mode counts a refused SASL mechanism as a failure, as we do");
    }
    None
}

/// fail2ban's times are Europe/Zurich local time (its test zone) for TAI64N lines,
/// which carry UTC; it ignores the 10 s TAI offset and the fraction of a second. Other lines are zone-less and
/// read as UTC by both.
fn fail2ban_time_agrees(l: &Labelled, ours: DateTime<Utc>) -> bool {
    let Some(want) = l.time else { return true };
    if l.line.starts_with('@') {
        // September 2010: CEST, UTC+2.
        let whole = ours.naive_utc().with_nanosecond(0).unwrap_or(ours.naive_utc());
        return whole + Duration::hours(2) + Duration::seconds(10) == want;
    }
    ours.naive_utc() == want
}

fn check_fail2ban(file: &str, format: Format) {
    let Some(dir) = shared("fail2ban/logs") else { return };
    let text = std::fs::read_to_string(dir.join(file)).expect("fail2ban log");
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = with_mtime(tmp.path(), file, &text, fail2ban_now());
    let got = read(&path, format);
    let mut tally = Tally::default();
    for l in labelled_lines(&text) {
        let event = got.events.get(&l.line_no);
        let warning = got.warnings.iter().find(|(n, _)| *n == l.line_no);
        tally.check(warning.is_none(), || format!("{file}:{} warns {warning:?}", l.line_no));
        let failed = event.is_some_and(|e| matches!(e.outcome, Outcome::Failure { .. }));
        let ip_ok = l.host.as_deref().is_none_or(|h| event.is_some_and(|e| ip_of(e) == h));
        let time_ok = event.is_none_or(|e| fail2ban_time_agrees(&l, e.time));
        // Authentication lines must be sign-ins; Postfix's other bans (rejects,
        // protocol abuse) are message traces or `Other` events that fail.
        let signin_expected = file == "dovecot" || l.line.contains("SASL");
        let kind_ok = !l.matches || !signin_expected || event.is_some_and(|e| matches!(e.action, Action::SignIn(_)));
        let agrees = if l.matches { failed && ip_ok && time_ok && kind_ok } else { !failed };
        if !agrees && let Some(why) = fail2ban_excuse(file, &l) {
            tally.excused.push(format!("{file}:{} {why}", l.line_no));
            continue;
        }
        if l.line.starts_with('@') {
            tally.excused.push(format!("{file}:{} time compared in Europe/Zurich without the TAI offset, as fail2ban writes it", l.line_no));
        }
        tally.check(agrees, || {
            format!(
                "{file}:{} match={} failed={failed} ip_ok={ip_ok} time_ok={time_ok} kind_ok={kind_ok}\n  {}\n  {:?}",
                l.line_no, l.matches, l.line, event
            )
        });
    }
    tally.finish(&format!("fail2ban {file}"));
}

#[test]
fn fail2ban_dovecot() {
    check_fail2ban("dovecot", Format::DovecotLog);
}

#[test]
fn fail2ban_postfix() {
    check_fail2ban("postfix", Format::PostfixLog);
}

// ------------------------------------------------------------------------------------
// wazuh
// ------------------------------------------------------------------------------------

#[test]
fn wazuh_lines_parse_without_error() {
    let Some(dir) = shared("wazuh") else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let sources = [("dovecot.ini", Format::DovecotLog), ("postfix.ini", Format::PostfixLog), ("log-entries/postfix.ini", Format::PostfixLog)];
    let mut total = 0;
    for (name, format) in sources {
        let text = std::fs::read_to_string(dir.join(name)).expect("wazuh file");
        // `log 1 pass = LINE` in rule tests; bare lines in log-entries.
        let lines: Vec<&str> = text
            .lines()
            .filter_map(|l| match l.split_once(" = ") {
                Some((k, v)) if k.starts_with("log ") => Some(v),
                _ => l.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit())).map(|_| l),
            })
            .collect();
        let path = with_mtime(tmp.path(), &name.replace('/', "_"), &(lines.join("\n") + "\n"), fail2ban_now());
        let got = read(&path, format);
        assert!(got.warnings.is_empty(), "{name}: {:?}", got.warnings);
        println!("wazuh {name}: {} lines, {} events, no warning", lines.len(), got.events.len());
        total += lines.len();
        if name == "dovecot.ini" {
            // The three auth failures of the first rule test.
            for n in 1..=3 {
                let e = got.events.get(&n).unwrap_or_else(|| panic!("line {n} of {name}"));
                assert!(matches!(e.outcome, Outcome::Failure { .. }) && e.client.ip.is_some(), "{e:?}");
            }
        }
    }
    assert!(total >= 20, "only {total} wazuh lines");
}
