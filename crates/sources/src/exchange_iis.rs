//! Exchange on-premises IIS logs: OWA, EWS, ActiveSync, MAPI, autodiscover, ECP, RPC
//! (Outlook Anywhere), PowerShell and OAB requests.
//!
//! Shapes read:
//! - W3C extended logs: fields in the order of the `#Fields:` directive in force (any
//!   order, any subset), separated by spaces, `-` for empty. Times are UTC (IIS writes
//!   W3C logs in UTC whatever the server's zone);
//! - lines without any `#Fields:` directive (fragments copied out of a log): the layout
//!   is guessed around the HTTP method and the `status substatus win32-status` triple,
//!   following the order IIS writes its fields in; the raw record then says
//!   `"layout": "guessed"`. After the status triple, a token made only of addresses is
//!   taken as `X-Forwarded-For`;
//! - IIS events forwarded to the Windows event log (`<Event>` XML, provider
//!   `Microsoft-Windows-IIS-Logging`, one event per line).
//!
//! Only Exchange paths become events; other requests are `Ok(None)`.
//!
//! Sign-in rules (an IIS log only shows HTTP, so outcomes are inferred):
//! - `POST /owa/auth.owa` is an interactive OWA sign-in: a failure when the status is
//!   4xx; a success when it is 2xx/3xx and IIS logged the user; otherwise unknown
//!   (Exchange answers 302 either way: the failure shows as the redirect below);
//! - `GET /owa/auth/logon.aspx?...reason=2` (the logon page shown again after bad
//!   credentials) is a failed interactive OWA sign-in, code `reason=2`;
//! - any other request to an Exchange path with a known user: a non-interactive
//!   sign-in, failed on 401/403 (code: the status), successful on 2xx/3xx, unknown
//!   otherwise. A 401 without a user is the first leg of NTLM/Negotiate, not a
//!   failure: it stays a [`Action::WebRequest`], as do requests without a user.
//!
//! The user is `cs-username` (`DOMAIN\user` is kept as written, lower-cased:
//! mapping it to an address needs the directory), else `User=` in the query string
//! (ActiveSync). `Anonymous` is no user. The client address is the first address of
//! `X-Forwarded-For` when logged (behind a load balancer), else `c-ip`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use mailcase_model::{
    Account, Action, Client, Event, Outcome, RawRecord, SignIn, SourceKind, WebRequest, parse_ip_port,
};
use serde_json::{Map, Value};

use crate::RecordCtx;

/// Most fields a line may have; longer lines are refused rather than allocated.
const MAX_FIELDS: usize = 128;

/// Exchange virtual directories, lower-case.
const EXCHANGE_PATHS: [&str; 10] = [
    "/owa",
    "/ews",
    "/microsoft-server-activesync",
    "/mapi/",
    "/autodiscover",
    "/ecp",
    "/rpc/",
    "/powershell",
    "/oab/",
    "/rpcwithcert/",
];

/// Whether the start of a file (decoded text) is an IIS log of an Exchange server.
pub(crate) fn sniff(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if lower.contains("#software: microsoft internet information services") {
        return true;
    }
    let exchange = EXCHANGE_PATHS.iter().any(|p| lower.contains(p));
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    if first.starts_with("<Event") {
        return lower.contains("microsoft-windows-iis-logging");
    }
    if !exchange {
        return false;
    }
    let w3c = text.lines().any(|l| l.starts_with("#Fields:") && l.contains("cs-uri-stem"));
    let headerless = text.lines().filter(|l| !l.trim().is_empty()).take(5).all(|l| guess_fields(l).is_some());
    w3c || (!first.starts_with('#') && headerless)
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(line: &str, header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let trimmed = line.trim();
    let (fields, guessed) = if trimmed.starts_with('<') {
        match xml_fields(trimmed) {
            Some(f) => (f, false),
            None => return Ok(None),
        }
    } else if let Some(header) = header {
        (w3c_fields(trimmed, header)?, false)
    } else {
        match guess_fields(trimmed) {
            Some(f) => (f, true),
            None if looks_exchange(trimmed) => {
                return Err("IIS line without a #Fields directive whose layout could not be recognised".into());
            }
            None => return Ok(None),
        }
    };
    let request = Request::new(&fields);
    let Some(service) = request.stem.and_then(Service::of) else {
        return Ok(None);
    };
    let time = request.time()?;
    Ok(Some(build(line, &fields, guessed, &request, service, time, ctx)))
}

fn looks_exchange(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    EXCHANGE_PATHS.iter().any(|p| lower.contains(&format!(" {p}")))
}

/// Field name (lower-case, as in `#Fields:`) and value (`-` already removed).
type Fields = Vec<(String, String)>;

fn value(text: &str) -> String {
    if text == "-" { String::new() } else { text.to_owned() }
}

fn w3c_fields(line: &str, header: &str) -> Result<Fields, String> {
    let names: Vec<&str> = header.trim_start_matches("#Fields:").split_whitespace().collect();
    let values: Vec<&str> = line.split(' ').filter(|v| !v.is_empty()).collect();
    if names.len() > MAX_FIELDS || values.len() != names.len() {
        return Err(format!(
            "IIS line has {} fields where the #Fields directive names {}",
            values.len(),
            names.len()
        ));
    }
    Ok(names.iter().zip(values).map(|(n, v)| (n.to_ascii_lowercase(), value(v))).collect())
}

const METHODS: [&str; 12] = [
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "RPC_IN_DATA", "RPC_OUT_DATA", "SEARCH", "MOVE",
];

/// The fields of a line without `#Fields:`, named after the order IIS writes them in.
fn guess_fields(line: &str) -> Option<Fields> {
    let tokens: Vec<&str> = line.split(' ').filter(|t| !t.is_empty()).take(MAX_FIELDS).collect();
    NaiveDate::parse_from_str(tokens.first()?, "%Y-%m-%d").ok()?;
    NaiveTime::parse_from_str(tokens.get(1)?, "%H:%M:%S").ok()?;
    let method_at = (2..6).find(|&i| tokens.get(i).is_some_and(|t| METHODS.contains(t)))?;
    let mut fields: Fields = vec![("date".into(), value(tokens.first()?)), ("time".into(), value(tokens.get(1)?))];
    for token in tokens.get(2..method_at)? {
        let name = if parse_ip_port(token).is_some() {
            "s-ip"
        } else if token.starts_with("W3SVC") {
            "s-sitename"
        } else {
            "s-computername"
        };
        fields.push((name.into(), value(token)));
    }
    let names = ["cs-method", "cs-uri-stem", "cs-uri-query", "s-port", "cs-username", "c-ip"];
    for (i, name) in names.iter().enumerate() {
        fields.push(((*name).into(), value(tokens.get(method_at + i)?)));
    }
    let rest = tokens.get(method_at + names.len()..)?;
    let status_at = (0..rest.len()).find(|&i| is_status_triple(rest.get(i..i + 3)))?;
    let mut middle = rest.get(..status_at)?;
    if middle.first().is_some_and(|t| t.starts_with("HTTP/")) {
        fields.push(("cs-version".into(), value(middle.first()?)));
        middle = middle.get(1..)?;
    }
    let middle_names: &[&str] = match middle.len() {
        0 => &[],
        1 => &["cs(user-agent)"],
        2 => &["cs(user-agent)", "cs(referer)"],
        3 => &["cs(user-agent)", "cs(referer)", "cs-host"],
        _ => &["cs(user-agent)", "cs(cookie)", "cs(referer)", "cs-host"],
    };
    if middle.len() > 4 {
        return None;
    }
    for (name, token) in middle_names.iter().zip(middle) {
        fields.push(((*name).into(), value(token)));
    }
    for (name, token) in ["sc-status", "sc-substatus", "sc-win32-status"].iter().zip(rest.get(status_at..)?) {
        fields.push(((*name).into(), value(token)));
    }
    push_tail(&mut fields, rest.get(status_at + 3..)?);
    Some(fields)
}

/// After the status triple: numbers (`time-taken`, or `sc-bytes cs-bytes time-taken`),
/// then an address list taken as `X-Forwarded-For`, then what cannot be named.
fn push_tail(fields: &mut Fields, tail: &[&str]) {
    let numbers = tail.iter().take_while(|t| t.parse::<u64>().is_ok()).count();
    let names: &[&str] = match numbers {
        0 => &[],
        1 => &["time-taken"],
        2 => &["sc-bytes", "time-taken"],
        _ => &["sc-bytes", "cs-bytes", "time-taken"],
    };
    let named = names.len().min(numbers);
    for (name, token) in names.iter().zip(tail) {
        fields.push(((*name).into(), value(token)));
    }
    let mut extras = 0;
    for token in tail.iter().skip(named) {
        let addresses = token.split(',').all(|a| parse_ip_port(a).is_some());
        let name = if addresses && !fields.iter().any(|(n, _)| n == "cs(x-forwarded-for)") {
            "cs(x-forwarded-for)".to_owned()
        } else {
            extras += 1;
            format!("extra-{extras}")
        };
        fields.push((name, value(token)));
    }
}

fn is_status_triple(tokens: Option<&[&str]>) -> bool {
    let Some([status, sub, win32]) = tokens else {
        return false;
    };
    let status_ok = status.len() == 3 && status.parse::<u16>().is_ok_and(|s| (100..600).contains(&s));
    status_ok && sub.parse::<u32>().is_ok() && win32.parse::<u64>().is_ok()
}

/// The `<Data Name="...">` elements of an IIS event in the Windows event log.
fn xml_fields(line: &str) -> Option<Fields> {
    if !line.contains("Microsoft-Windows-IIS-Logging") {
        return None;
    }
    let mut fields = Fields::new();
    let mut rest = line;
    while let Some(at) = rest.find("<Data Name=\"") {
        rest = rest.get(at + 12..)?;
        let (name, after) = rest.split_once('"')?;
        let after = after.trim_start();
        let text = match after.strip_prefix('>') {
            Some(body) => body.split_once("</Data>").map_or("", |(v, _)| v),
            None => "",
        };
        fields.push((xml_name(name), value(&unescape_xml(text))));
        if fields.len() > MAX_FIELDS {
            return None;
        }
        rest = after;
    }
    (!fields.is_empty()).then_some(fields)
}

/// `csUser-Agent` (the event log's name) -> `cs(user-agent)` (the W3C name).
fn xml_name(name: &str) -> String {
    match name.strip_prefix("cs") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => format!("cs({})", rest.to_ascii_lowercase()),
        _ => name.to_ascii_lowercase(),
    }
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The fields this module uses.
struct Request<'a> {
    date: Option<&'a str>,
    time: Option<&'a str>,
    method: Option<&'a str>,
    stem: Option<&'a str>,
    query: Option<&'a str>,
    username: Option<&'a str>,
    c_ip: Option<&'a str>,
    forwarded: Option<&'a str>,
    user_agent: Option<&'a str>,
    status: Option<&'a str>,
    bytes: Option<&'a str>,
}

impl<'a> Request<'a> {
    fn new(fields: &'a Fields) -> Self {
        let get = |names: &[&str]| {
            fields.iter().find(|(n, v)| !v.is_empty() && names.contains(&n.as_str())).map(|(_, v)| v.as_str())
        };
        Request {
            date: get(&["date"]),
            time: get(&["time"]),
            method: get(&["cs-method"]),
            stem: get(&["cs-uri-stem"]),
            query: get(&["cs-uri-query"]),
            username: get(&["cs-username"]),
            c_ip: get(&["c-ip"]),
            forwarded: get(&["cs(x-forwarded-for)", "x-forwarded-for", "cs-x-forwarded-for"]),
            user_agent: get(&["cs(user-agent)"]),
            status: get(&["sc-status"]),
            bytes: get(&["sc-bytes"]),
        }
    }

    fn time(&self) -> Result<DateTime<Utc>, String> {
        let (Some(date), Some(time)) = (self.date, self.time) else {
            return Err("IIS line without date and time fields".into());
        };
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| format!("bad IIS date {}", crate::fields::quote(date)))?;
        let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f").map_err(|_| format!("bad IIS time {}", crate::fields::quote(time)))?;
        Ok(date.and_time(time).and_utc())
    }

    fn status(&self) -> Option<u16> {
        self.status.and_then(|s| s.parse().ok())
    }

    /// `cs-username`, else `User=` of the query string; `Anonymous` is nobody.
    fn user(&self) -> Option<String> {
        let logged = self.username.filter(|u| !u.eq_ignore_ascii_case("anonymous")).map(str::to_owned);
        logged.or_else(|| query_param(self.query?, "User")).filter(|u| !u.trim().is_empty())
    }

    fn client(&self, service: Service) -> Client {
        let forwarded = self.forwarded.and_then(|f| f.split(',').find_map(|a| parse_ip_port(a.trim())));
        let address = forwarded.or_else(|| self.c_ip.and_then(parse_ip_port));
        let device = match (self.query.and_then(|q| query_param(q, "DeviceId")), self.query.and_then(|q| query_param(q, "DeviceType"))) {
            (Some(id), Some(kind)) => Some(format!("{id} ({kind})")),
            (id, kind) => id.or(kind),
        };
        Client {
            ip: address.map(|(ip, _)| ip),
            port: address.and_then(|(_, p)| p),
            // IIS writes spaces of the user agent as `+`.
            user_agent: self.user_agent.map(|ua| ua.replace('+', " ")),
            protocol: Some(service.name().to_owned()),
            device,
            ..Client::default()
        }
    }
}

/// The value of `name` (ignoring case) in a query string, percent-decoded.
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split(['&', ';'])
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| percent_decode(v))
        .filter(|v| !v.is_empty())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The Exchange service a URL belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Service {
    OwaLogon,
    OwaLogonPage,
    Owa,
    Ews,
    ActiveSync,
    Mapi,
    Autodiscover,
    Ecp,
    Rpc,
    PowerShell,
    Oab,
}

impl Service {
    fn of(stem: &str) -> Option<Service> {
        let s = stem.to_ascii_lowercase();
        let under = |dir: &str| s == dir || s.starts_with(&format!("{dir}/"));
        let service = if s == "/owa/auth.owa" {
            Service::OwaLogon
        } else if s.starts_with("/owa/auth/logon.aspx") {
            Service::OwaLogonPage
        } else if under("/owa") {
            Service::Owa
        } else if under("/ews") {
            Service::Ews
        } else if under("/microsoft-server-activesync") {
            Service::ActiveSync
        } else if under("/mapi") {
            Service::Mapi
        } else if under("/autodiscover") {
            Service::Autodiscover
        } else if under("/ecp") {
            Service::Ecp
        } else if under("/rpc") || under("/rpcwithcert") {
            Service::Rpc
        } else if under("/powershell") {
            Service::PowerShell
        } else if under("/oab") {
            Service::Oab
        } else {
            return None;
        };
        Some(service)
    }

    fn name(self) -> &'static str {
        match self {
            Service::OwaLogon | Service::OwaLogonPage | Service::Owa => "OWA",
            Service::Ews => "EWS",
            Service::ActiveSync => "Exchange ActiveSync",
            Service::Mapi => "MAPI over HTTP",
            Service::Autodiscover => "Autodiscover",
            Service::Ecp => "ECP",
            Service::Rpc => "Outlook Anywhere (RPC over HTTP)",
            Service::PowerShell => "Remote PowerShell",
            Service::Oab => "OAB",
        }
    }
}

/// The sign-in a request shows, if any, and its outcome (see the module documentation).
fn sign_in(request: &Request<'_>, service: Service, user: Option<&str>) -> Option<(bool, Outcome)> {
    let status = request.status();
    let failed = |code: String| Outcome::Failure { code: Some(code), reason: None };
    match service {
        Service::OwaLogon if request.method == Some("POST") => {
            let outcome = match status {
                Some(s @ 400..=499) => failed(s.to_string()),
                Some(200..=399) if user.is_some() => Outcome::Success,
                _ => Outcome::Unknown,
            };
            Some((true, outcome))
        }
        Service::OwaLogonPage => {
            let reason = request.query.and_then(|q| query_param(q, "reason"));
            (reason.as_deref() == Some("2")).then(|| {
                let outcome = Outcome::Failure {
                    code: Some("reason=2".into()),
                    reason: Some("OWA logon page shown again: bad user name or password".into()),
                };
                (true, outcome)
            })
        }
        _ => {
            user?;
            let outcome = match status {
                Some(s @ (401 | 403)) => failed(s.to_string()),
                Some(200..=399) => Outcome::Success,
                _ => Outcome::Unknown,
            };
            Some((false, outcome))
        }
    }
}

fn build(
    line: &str,
    fields: &Fields,
    guessed: bool,
    request: &Request<'_>,
    service: Service,
    time: DateTime<Utc>,
    ctx: &RecordCtx,
) -> Event {
    let user = request.user();
    let action_outcome = sign_in(request, service, user.as_deref());
    let (action, outcome) = match action_outcome {
        Some((interactive, outcome)) => {
            let sign_in = SignIn {
                interactive: Some(interactive),
                client_app: Some(service.name().to_owned()),
                ..SignIn::default()
            };
            (Action::SignIn(sign_in), outcome)
        }
        None => (Action::WebRequest(web_request(request)), Outcome::Unknown),
    };
    let mut raw = Map::new();
    for (name, text) in fields {
        raw.entry(name.clone()).or_insert_with(|| Value::from(text.as_str()));
    }
    if guessed {
        raw.insert("layout".into(), Value::from("guessed"));
    }
    raw.insert("line".into(), Value::from(line));
    let mut event = Event::new(ctx.at, time, SourceKind::ExchangeIis, action, RawRecord(Value::Object(raw).to_string()));
    event.account = user.as_deref().and_then(Account::new);
    event.outcome = outcome;
    event.client = request.client(service);
    event
}

fn web_request(request: &Request<'_>) -> WebRequest {
    let stem = request.stem.unwrap_or_default();
    let url = match request.query {
        Some(q) => format!("{stem}?{q}"),
        None => stem.to_owned(),
    };
    WebRequest {
        method: request.method.map(str::to_owned),
        url,
        status: request.status(),
        bytes: request.bytes.and_then(|b| b.parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    const FIELDS: &str = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    fn ctx() -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: 1, record: 5 }, date_order: DateOrder::MonthFirst, file_time: None }
    }

    fn parse(line: &str, header: Option<&str>) -> Event {
        match line_to_event(line, header, &ctx()) {
            Ok(Some(e)) => e,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn account(e: &Event) -> Option<&str> {
        e.account.as_ref().map(Account::as_str)
    }

    #[test]
    fn owa_logon_success_and_failure() {
        let ok = parse("2024-03-04 08:05:00 10.0.0.5 POST /owa/auth.owa - 443 CONTOSO\\Jane 203.0.113.9 Mozilla/5.0+(Windows+NT+10.0) - 302 0 0 120", Some(FIELDS));
        assert_eq!(ok.time.to_rfc3339(), "2024-03-04T08:05:00+00:00");
        assert_eq!(account(&ok), Some("contoso\\jane"));
        assert_eq!(ok.outcome, Outcome::Success);
        assert_eq!(ok.client.ip, Some("203.0.113.9".parse().unwrap()));
        assert_eq!(ok.client.user_agent.as_deref(), Some("Mozilla/5.0 (Windows NT 10.0)"));
        match &ok.action {
            Action::SignIn(s) => assert_eq!(s.interactive, Some(true)),
            other => panic!("{other:?}"),
        }
        let unknown = parse("2024-03-04 08:05:00 10.0.0.5 POST /owa/auth.owa - 443 - 203.0.113.9 UA - 302 0 0 120", Some(FIELDS));
        assert_eq!(unknown.outcome, Outcome::Unknown);
        let page = parse("2024-03-04 08:05:01 10.0.0.5 GET /owa/auth/logon.aspx url=https%3a%2f%2fmail%2fowa%2f&reason=2 443 - 203.0.113.9 UA - 200 0 0 12", Some(FIELDS));
        assert_eq!(page.outcome.as_str(), "failure");
        assert_eq!(page.outcome.code(), Some("reason=2"));
    }

    #[test]
    fn activesync_user_device_and_forwarded_for() {
        let header = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken cs(X-Forwarded-For)";
        let line = "2024-03-04 08:05:00 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync&User=CONTOSO%5Cjane&DeviceId=ABC123&DeviceType=iPhone 443 - 10.0.0.1 Apple-iPhone/1 401 1 2148074254 15 198.51.100.4,10.0.0.1";
        let e = parse(line, Some(header));
        assert_eq!(account(&e), Some("contoso\\jane"));
        assert_eq!(e.client.ip, Some("198.51.100.4".parse().unwrap()));
        assert_eq!(e.client.device.as_deref(), Some("ABC123 (iPhone)"));
        assert_eq!(e.client.protocol.as_deref(), Some("Exchange ActiveSync"));
        assert_eq!(e.outcome.code(), Some("401"));
    }

    #[test]
    fn ntlm_challenge_is_a_web_request_and_other_urls_are_ignored() {
        let e = parse("2024-03-04 08:05:00 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 203.0.113.9 UA - 401 0 0 1", Some(FIELDS));
        assert_eq!(e.action.name(), "web_request");
        let none = line_to_event("2024-03-04 08:05:00 10.0.0.5 GET /index.html - 80 - 203.0.113.9 UA - 200 0 0 1", Some(FIELDS), &ctx());
        assert!(matches!(none, Ok(None)));
        let short = line_to_event("2024-03-04 08:05:00 10.0.0.5 GET /owa/", Some(FIELDS), &ctx());
        assert!(short.unwrap_err().contains("fields"));
        let bad_time = line_to_event("2024-03-04 25:05:00 10.0.0.5 POST /owa/auth.owa - 443 - 203.0.113.9 UA - 302 0 0 1", Some(FIELDS), &ctx());
        assert!(bad_time.unwrap_err().contains("time"));
    }

    #[test]
    fn guesses_layouts_without_fields() {
        let e = parse("2023-08-28 07:37:00 exchange01 10.44.0.131 POST /EWS/Exchange.asmx &CorrelationID=<empty>;&cafeReqId=12d6; 443 EXAMPLE\\user01 10.119.1.75 OC/16.0.5266.1000+(Skype+for+Business) - 200 0 0 52 10.10.10.7 59050", None);
        assert_eq!(account(&e), Some("example\\user01"));
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.client.ip, Some("10.10.10.7".parse().unwrap()));
        let raw: Value = serde_json::from_str(e.raw.as_str()).unwrap();
        assert_eq!(raw["layout"], "guessed");
        assert_eq!(raw["extra-1"], "59050");
        let mapi = parse("2023-08-28 08:58:45 exchange02 fe80::d9e3:e981:da2d:427b%3 POST /mapi/emsmdb/ MailboxId=df2f@example.com 444 Anonymous fe80::d9e3:e981:da2d:427b%3 Microsoft+Office/16.0 - 200 0 0 4 10.0.61.69,10.93.4.75 36391", None);
        assert_eq!(mapi.account, None);
        assert_eq!(mapi.client.ip, Some("10.0.61.69".parse().unwrap()));
        assert!(matches!(line_to_event("2018-01-01 08:09:10 127.0.0.1 GET / q=100 80 - 67.43.156.13 UA - 200 0 0 123", None, &ctx()), Ok(None)));
        assert!(line_to_event("2018-01-01 08:09:10 nonsense /owa/ here", None, &ctx()).is_err());
    }

    #[test]
    fn event_log_xml() {
        let line = r#"<Event xmlns="x"> <System> <Provider Name="Microsoft-Windows-IIS-Logging" /> </System> <EventData> <Data Name="date">2022-10-01</Data> <Data Name="time">11:25:51</Data> <Data Name="c-ip">192.168.9.212</Data> <Data Name="cs-username">-</Data> <Data Name="cs-method">GET</Data> <Data Name="cs-uri-stem">/autodiscover/autodiscover.json</Data> <Data Name="cs-uri-query">bla=powershell&amp;x=1</Data> <Data Name="sc-status">400</Data> <Data Name="csUser-Agent">Mozilla/5.0</Data> <Data Name="CustomFields" /> </EventData> </Event>"#;
        let e = parse(line, None);
        match &e.action {
            Action::WebRequest(w) => {
                assert_eq!(w.url, "/autodiscover/autodiscover.json?bla=powershell&x=1");
                assert_eq!(w.status, Some(400));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.client.user_agent.as_deref(), Some("Mozilla/5.0"));
        assert_eq!(e.time.to_rfc3339(), "2022-10-01T11:25:51+00:00");
    }

    #[test]
    fn no_panic_on_cut_or_hostile_lines() {
        let lines = [
            "2024-03-04 08:07:00 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync&User=%E9%&DeviceId=%ZZ 443 - 198.51.100.4 ü - 401 1 2148074254 15",
            r#"<Event><Provider Name="Microsoft-Windows-IIS-Logging"/><Data Name="cs-uri-stem">/owa/</Data><Data Name="date">2022-10-01</Data><Data Name="x"#,
        ];
        for line in lines {
            for (at, _) in line.char_indices() {
                for header in [None, Some(FIELDS)] {
                    let _ = line_to_event(&line[..at], header, &ctx());
                    let _ = line_to_event(&line[at..], header, &ctx());
                }
            }
        }
    }

    #[test]
    fn sniffs() {
        assert!(sniff("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"));
        assert!(sniff(&format!("#Version: 1.0\n{FIELDS}\n2024-03-04 08:05:00 10.0.0.5 GET /owa/ - 443 - 1.2.3.4 UA - 200 0 0 1\n")));
        assert!(!sniff(&format!("{FIELDS}\n2024-03-04 08:05:00 10.0.0.5 GET /index.html - 443 - 1.2.3.4 UA - 200 0 0 1\n")));
        assert!(sniff("2023-08-28 07:37:00 ex01 10.44.0.131 POST /EWS/Exchange.asmx - 443 u 10.1.1.1 UA - 200 0 0 52\n"));
        assert!(!sniff("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /owa/ HTTP/1.0\" 200 2326\n"));
    }
}
