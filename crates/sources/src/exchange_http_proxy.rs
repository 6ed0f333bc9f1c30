//! Exchange on-premises HttpProxy logs (`Logging\HttpProxy\<protocol>\*.log`): one row
//! per request the front end proxied to a mailbox server, with the authenticated user.
//!
//! Shapes read:
//! - CSV with a plain header line (`DateTime,RequestId,MajorVersion,...,Protocol,UrlHost,
//!   UrlStem,...,AuthenticatedUser,...,UserAgent,ClientIpAddress,...,HttpStatus,...`),
//!   rows handed over by the framing as flat JSON objects ([`to_event`]);
//! - the files as Exchange writes them (`#Software: Microsoft Exchange Server` ...
//!   `#Fields: DateTime,RequestId,...`) and single lines without any header: those are
//!   read as text logs by `exchange_tracking`, which hands each row here
//!   ([`from_columns`]); headerless rows take the column order of Exchange 2013-2019
//!   ([`COLUMNS`]).
//!
//! A row with an `AuthenticatedUser` is a sign-in to the service named by `Protocol`
//! (`Owa`, `Ews`, `Eas`, `Mapi`, `RpcHttp`, `Ecp`, `Autodiscover`, `PowerShell`...):
//! successful for HTTP 2xx/3xx, failed for 401/403 (code: the status), unknown
//! otherwise. Other rows are web requests (URL: `UrlStem` and `UrlQuery`). The client
//! is `ClientIpAddress` (its first address when it lists several).

use chrono::{DateTime, Utc};
use mailcase_model::{Account, Action, Client, Event, Outcome, RawRecord, SignIn, SourceKind, WebRequest, parse_ip_port};

use crate::RecordCtx;
use crate::fields;

/// The first columns of HttpProxy logs, in the order Exchange 2013 to 2019 write them
/// (later columns vary between versions and are not used).
pub(crate) const COLUMNS: [&str; 29] = [
    "DateTime",
    "RequestId",
    "MajorVersion",
    "MinorVersion",
    "BuildVersion",
    "RevisionVersion",
    "ClientRequestId",
    "Protocol",
    "UrlHost",
    "UrlStem",
    "ProtocolAction",
    "AuthenticationType",
    "IsAuthenticated",
    "AuthenticatedUser",
    "Organization",
    "AnchorMailbox",
    "UserAgent",
    "ClientIpAddress",
    "ServerHostName",
    "HttpStatus",
    "BackEndStatus",
    "ErrorCode",
    "Method",
    "ProxyAction",
    "TargetServer",
    "TargetServerVersion",
    "RoutingType",
    "RoutingHint",
    "BackEndCookie",
];

/// Columns a header must have to be an HttpProxy log.
const REQUIRED: [&str; 7] =
    ["DateTime", "RequestId", "Protocol", "UrlStem", "AuthenticatedUser", "ClientIpAddress", "HttpStatus"];

/// Whether the start of a file (decoded text) is an HttpProxy log with a plain CSV
/// header line. Strict: every column of [`REQUIRED`] must be in the header.
pub(crate) fn sniff(text: &str) -> bool {
    let Some(header) = text.lines().find(|l| !crate::input::is_preamble_line(l)) else {
        return false;
    };
    is_header(header)
}

/// Whether `names` (a header line, comma separated) are HttpProxy columns.
pub(crate) fn is_header(names: &str) -> bool {
    let columns: Vec<&str> = names.split(',').map(|c| c.trim().trim_matches('"')).collect();
    REQUIRED.iter().all(|r| columns.iter().any(|c| c.eq_ignore_ascii_case(r)))
}

/// One record (a CSV row as a flat JSON object) to an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let object = fields::parse_object(json)?;
    let get = |name: &str| fields::text_of(&object, &[name]);
    from_columns(&get, RawRecord(json.to_owned()), ctx)
}

/// One row, read through `get` (column name to value), to an event; `raw` is the
/// record as the caller built it.
pub(crate) fn from_columns(get: &dyn Fn(&str) -> Option<String>, raw: RawRecord, ctx: &RecordCtx) -> Result<Event, String> {
    let time = time(get, ctx)?;
    let status: Option<u16> = get("HttpStatus").and_then(|s| s.trim().parse().ok());
    let user = get("AuthenticatedUser").filter(|u| !u.trim().is_empty());
    let protocol = get("Protocol");
    let (action, outcome) = match &user {
        Some(_) => {
            let sign_in = SignIn { client_app: protocol.clone(), resource: get("UrlHost"), ..SignIn::default() };
            (Action::SignIn(sign_in), outcome(status))
        }
        None => (Action::WebRequest(web_request(get, status)), Outcome::Unknown),
    };
    let mut event = Event::new(ctx.at, time, SourceKind::ExchangeHttpProxy, action, raw);
    event.account = user.as_deref().and_then(Account::new);
    event.outcome = outcome;
    let address = get("ClientIpAddress").and_then(|a| a.split([',', ' ']).find_map(parse_ip_port));
    event.client = Client {
        ip: address.map(|(ip, _)| ip),
        port: address.and_then(|(_, p)| p),
        user_agent: get("UserAgent"),
        protocol,
        session_id: get("RequestId"),
        ..Client::default()
    };
    Ok(event)
}

fn time(get: &dyn Fn(&str) -> Option<String>, ctx: &RecordCtx) -> Result<DateTime<Utc>, String> {
    let text = get("DateTime").ok_or("HttpProxy row without DateTime")?;
    crate::time::parse_timestamp(&text, ctx.date_order)
        .ok_or_else(|| format!("HttpProxy row with an unreadable DateTime {}", fields::quote(&text)))
}

fn outcome(status: Option<u16>) -> Outcome {
    match status {
        Some(200..=399) => Outcome::Success,
        Some(s @ (401 | 403)) => Outcome::Failure { code: Some(s.to_string()), reason: None },
        _ => Outcome::Unknown,
    }
}

fn web_request(get: &dyn Fn(&str) -> Option<String>, status: Option<u16>) -> WebRequest {
    let stem = get("UrlStem").unwrap_or_default();
    let url = match get("UrlQuery") {
        Some(q) if q.starts_with('?') => format!("{stem}{q}"),
        Some(q) => format!("{stem}?{q}"),
        None => stem,
    };
    WebRequest {
        method: get("Method"),
        url,
        status,
        bytes: get("ResponseBytes").and_then(|b| b.trim().parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: 1, record: 2 }, date_order: DateOrder::MonthFirst, file_time: None }
    }

    #[test]
    fn authenticated_row_is_a_sign_in() {
        let json = r#"{"DateTime":"2024-01-24T15:26:47.957Z","RequestId":"3422ea93","Protocol":"Mapi","UrlHost":"mail.domain.tld","UrlStem":"/mapi/emsmdb/","IsAuthenticated":"true","AuthenticatedUser":"DOMAIN\\User","UserAgent":"Microsoft Office/16.0","ClientIpAddress":"10.12.13.14","HttpStatus":"200","Method":"POST"}"#;
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(e.action.name(), "sign_in");
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("domain\\user"));
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.client.ip, Some("10.12.13.14".parse().unwrap()));
        assert_eq!(e.client.protocol.as_deref(), Some("Mapi"));
        assert_eq!(e.time.to_rfc3339(), "2024-01-24T15:26:47.957+00:00");
        assert_eq!(e.source, SourceKind::ExchangeHttpProxy);
    }

    #[test]
    fn anonymous_row_is_a_web_request() {
        let json = r#"{"DateTime":"2021-04-06T14:54:34.255Z","Protocol":"Ecp","UrlStem":"/ecp/lkO.js","AuthenticatedUser":"","ClientIpAddress":"192.168.0.127","HttpStatus":"200","Method":"POST","UrlQuery":"?a=1"}"#;
        let e = to_event(json, &ctx()).unwrap();
        match &e.action {
            Action::WebRequest(w) => {
                assert_eq!(w.url, "/ecp/lkO.js?a=1");
                assert_eq!(w.method.as_deref(), Some("POST"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.account, None);
    }

    #[test]
    fn failures_and_bad_rows() {
        let json = r#"{"DateTime":"2024-01-24T15:26:47Z","AuthenticatedUser":"a@b.fr","HttpStatus":"401"}"#;
        assert_eq!(to_event(json, &ctx()).unwrap().outcome.code(), Some("401"));
        assert!(to_event(r#"{"DateTime":"yesterday"}"#, &ctx()).unwrap_err().contains("DateTime"));
        assert!(to_event(r#"{"HttpStatus":"200"}"#, &ctx()).is_err());
        assert!(to_event("not json", &ctx()).is_err());
    }

    #[test]
    fn sniffs_only_the_http_proxy_header() {
        assert!(sniff(&format!("{}\n", COLUMNS.join(","))));
        assert!(!sniff("DateTime,RequestId,Protocol\n"));
        assert!(!sniff("Received,SenderAddress,RecipientAddress\n"));
    }
}
