//! Exchange on-premises and Zimbra logs against real public data.
//!
//! - crowdsec hub test logs (MIT, copied into `fixtures/crowdsec_hub/`): every line its
//!   parsers keep must give the user, source IP, outcome and time its `parser.assert`
//!   expects; brute-force logs must give one failed sign-in per line from the source of
//!   `scenario.assert`;
//! - Elastic integration inputs and wazuh lines (read only from `../shared/fixtures`,
//!   skipped when absent): every line must parse without a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mailcase_model::{Event, Outcome};
use mailcase_sources::{Format, RecordWarning, read_file, sniff_file};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn crowdsec(dir: &str) -> PathBuf {
    workspace().join("fixtures/crowdsec_hub/tests").join(dir)
}

fn shared(dir: &str) -> Option<PathBuf> {
    let path = workspace().join("../shared/fixtures").join(dir);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent (its licence keeps it out of the repository)", path.display());
        None
    }
}

fn read(path: &Path, format: Format) -> (Vec<Event>, Vec<RecordWarning>, u64) {
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    let summary = read_file(path, format, 1, |b| {
        events.extend(b.events);
        warnings.extend(b.warnings);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (events, warnings, summary.records)
}

fn log_file(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "log"))
        .expect("a .log file")
}

/// `results["s01-parse"]["parser"][i].Evt.Parsed["key"] == "value"` -> i -> key -> value
/// (`Parsed.key` and `Meta.key`).
fn expectations(dir: &Path) -> BTreeMap<usize, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("parser.assert")).expect("parser.assert");
    let mut out: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("results[\"s01-parse\"]")) {
        let Some((lhs, rhs)) = line.split_once(" == ") else { continue };
        let Some(index) = lhs.split('[').nth(3).and_then(|s| s.trim_end_matches(|c| c != ']').strip_suffix(']')) else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else { continue };
        for kind in ["Parsed", "Meta"] {
            let marker = format!(".Evt.{kind}[\"");
            if let Some(at) = lhs.find(&marker) {
                let key = lhs[at + marker.len()..].trim_end_matches("\"]");
                let value: String = serde_json::from_str(rhs).unwrap_or_else(|_| rhs.to_owned());
                out.entry(index).or_default().insert(format!("{kind}.{key}"), value);
            }
        }
    }
    out
}

fn account(e: &Event) -> Option<&str> {
    e.account.as_ref().map(|a| a.as_str())
}

/// Checks the events of a crowdsec `*-logs` test against its parser.assert.
fn check_parser_assert(dir: &str, format: Format) {
    let dir = crowdsec(dir);
    let path = log_file(&dir);
    assert_eq!(sniff_file(&path).expect("sniff"), Some(format), "sniffing {}", path.display());
    let (events, warnings, records) = read(&path, format);
    assert!(warnings.is_empty(), "{}: {warnings:?}", path.display());
    let expected = expectations(&dir);
    println!("{}: {records} lines, {} events, {} expected by crowdsec", path.display(), events.len(), expected.len());
    assert_eq!(events.len(), expected.len(), "{}", path.display());
    for (i, want) in &expected {
        let e = &events[*i];
        let get = |k: &str| want.get(k).map(String::as_str);
        if let Some(user) = get("Parsed.username").or(get("Parsed.user")).or(get("Meta.user")) {
            assert_eq!(account(e), Some(user.to_lowercase().as_str()), "line {i} user");
        }
        if let Some(ip) = get("Meta.source_ip") {
            assert_eq!(e.client.ip.map(|a| a.to_string()).as_deref(), Some(ip), "line {i} ip");
        }
        let auth_fail = get("Meta.sub_type") == Some("auth_fail") || get("Meta.log_type") == Some("zimbra_auth_fail");
        if auth_fail {
            assert!(matches!(e.outcome, Outcome::Failure { .. }), "line {i}: {:?}", e.outcome);
            assert_eq!(e.action.name(), "sign_in", "line {i}");
        }
        if let Some(date) = get("Parsed.date") {
            let want = chrono::DateTime::parse_from_rfc3339(date).expect("date");
            assert_eq!(e.time, want, "line {i} time");
        }
        if let Some(local) = get("Parsed.time_local") {
            assert_eq!(e.time.format("%Y-%m-%d %H:%M").to_string(), local, "line {i} time");
        }
        if let Some(status) = get("Meta.http_status") {
            let raw: serde_json::Value = serde_json::from_str(e.raw.as_str()).expect("raw");
            assert_eq!(raw["sc-status"], status, "line {i} status");
        }
    }
}

#[test]
fn crowdsec_exchange_protocol_logs() {
    for dir in ["exchange-imap-logs", "exchange-pop-logs", "exchange-smtp-logs"] {
        check_parser_assert(dir, Format::ExchangeProtocolLog);
    }
}

#[test]
fn crowdsec_zimbra_logs() {
    check_parser_assert("zimbra-logs", Format::ZimbraMailboxLog);
}

#[test]
fn crowdsec_iis_event_log() {
    check_parser_assert("iis-xml-logs", Format::ExchangeIisW3c);
    let path = log_file(&crowdsec("iis-xml-logs"));
    let (events, _, _) = read(&path, Format::ExchangeIisW3c);
    assert_eq!(events[0].time.to_rfc3339(), "2022-10-01T11:25:51+00:00");
    assert_eq!(events[0].action.name(), "web_request");
}

/// Brute-force logs: every line a failed sign-in from the scenario's source.
#[test]
fn crowdsec_brute_force_logs() {
    for (dir, format) in [
        ("exchange-imap-bf", Format::ExchangeProtocolLog),
        ("exchange-pop-bf", Format::ExchangeProtocolLog),
        ("exchange-smtp-bf", Format::ExchangeProtocolLog),
        ("zimbra-bf", Format::ZimbraMailboxLog),
    ] {
        let dir = crowdsec(dir);
        let path = log_file(&dir);
        let scenario = std::fs::read_to_string(dir.join("scenario.assert")).expect("scenario.assert");
        let source = scenario
            .lines()
            .find_map(|l| l.strip_prefix('"').and_then(|l| l.split_once("\" in results")).map(|(ip, _)| ip.to_owned()))
            .expect("a source in scenario.assert");
        let (events, warnings, records) = read(&path, format);
        println!("{}: {records} lines, {} events", path.display(), events.len());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(events.len() as u64, records, "{}", path.display());
        for e in &events {
            assert!(matches!(e.outcome, Outcome::Failure { .. }), "{}", e.raw.as_str());
            assert_eq!(e.client.ip.map(|a| a.to_string()), Some(source.clone()));
        }
    }
}

/// Every line of `path` read without a warning; returns (records, events).
fn without_warnings(path: &Path, format: Format) -> (u64, usize) {
    let (events, warnings, records) = read(path, format);
    for w in &warnings {
        println!("  exception {}:{}: {}", path.display(), w.record, w.message);
    }
    assert!(warnings.is_empty(), "{}", path.display());
    println!("{}: {records} lines, {} events", path.display(), events.len());
    (records, events.len())
}

#[test]
fn elastic_iis_access_logs() {
    let Some(dir) = shared("elastic_integrations/iis_access") else { return };
    let mut events = 0;
    for name in ["test-iis-access.log", "test-iis10-access.log"] {
        events += without_warnings(&dir.join(name), Format::ExchangeIisW3c).1;
    }
    // The EWS, MAPI (twice) and autodiscover requests of test-iis10-access.log.
    assert_eq!(events, 4);
}

#[test]
fn elastic_exchange_server_logs() {
    let Some(dir) = shared("elastic_integrations/microsoft_exchange_server") else { return };
    for (name, format) in [
        ("messagetracking/test-messagetracking.log", Format::ExchangeMessageTracking),
        ("imap4_pop3/imappop_Imap4.log", Format::ExchangeProtocolLog),
        ("httpproxy/test-httpproxy.log", Format::ExchangeHttpProxyLog),
    ] {
        let path = dir.join(name);
        assert_eq!(sniff_file(&path).expect("sniff"), Some(format), "{name}");
        let (records, events) = without_warnings(&path, format);
        assert_eq!(records as usize, events, "{name}: every line is an event");
    }
    // The HttpProxy line again, as a CSV export with its header line.
    let line = std::fs::read_to_string(dir.join("httpproxy/test-httpproxy.log")).expect("read");
    let header = "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer";
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = tmp.path().join("httpproxy.csv");
    std::fs::write(&csv, format!("{header}\n{line}")).expect("write");
    assert_eq!(sniff_file(&csv).expect("sniff"), Some(Format::ExchangeHttpProxyCsv));
    let (events, warnings, _) = read(&csv, Format::ExchangeHttpProxyCsv);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(events.len(), 1);
    assert_eq!(account(&events[0]), Some("domain\\user"));
    assert_eq!(events[0].client.ip, Some("10.12.13.14".parse().expect("ip")));
    assert_eq!(events[0].outcome, Outcome::Success);
}

#[test]
fn wazuh_exchange_lines() {
    let Some(dir) = shared("wazuh") else { return };
    let ini = std::fs::read_to_string(dir.join("exchange.ini")).expect("exchange.ini");
    let lines: Vec<&str> = ini.lines().filter_map(|l| l.split_once(" pass = ").map(|(_, v)| v)).collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("exchange.log");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let (events, warnings, records) = read(&path, Format::ExchangeMessageTracking);
    assert!(warnings.is_empty(), "{warnings:?}");
    println!("wazuh exchange.ini: {records} lines, {} events", events.len());
    assert_eq!(events.len(), lines.len());
    assert_eq!(events[0].action.name(), "web_request");
    assert_eq!(events[1].action.name(), "other");
    // Non-Exchange IIS lines: read without error, no event.
    let (iis, _) = without_warnings(&dir.join("log-entries/iis6"), Format::ExchangeIisW3c);
    assert!(iis > 0);
}
