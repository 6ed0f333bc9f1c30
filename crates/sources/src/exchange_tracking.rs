//! Exchange on-premises logs written as CSV under W3C directives (`#Software: Microsoft
//! Exchange Server`, `#Log-type: ...`, `#Fields: a,b,c`): message tracking logs first,
//! and, since they share the framing, the other Exchange logs of that family.
//!
//! The `#Fields:` directive in force says which log a line belongs to:
//! - **message tracking** (`date-time,client-ip,...,event-id,...,sender-address,...`):
//!   one [`MessageTrace`] per line, `event-id` (RECEIVE, SEND, SENDEXTERNAL, DELIVER,
//!   FAIL, DSN...) as status, the `;`-separated recipients kept joined. The account is
//!   the sender for SEND, SENDEXTERNAL and SUBMIT, the first recipient otherwise (the
//!   sender when there is none). FAIL and HAREDIRECTFAIL are failures (code: the
//!   recipient status, else the event id); RECEIVE, SEND, SENDEXTERNAL, DELIVER, SUBMIT,
//!   TRANSFER, EXPAND, RESOLVE, REDIRECT successes; others unknown. The client is
//!   `original-client-ip`, else `client-ip`;
//! - **IMAP4 / POP3 protocol logs** (`dateTime,sessionId,seqNumber,sIP,cIP,user,...,
//!   command,parameters,context`): authentication commands (`authenticate`, `login`,
//!   `auth`, `pass`, `apop`) become sign-ins; the context says the outcome (`R=OK`,
//!   `+OK` or `OK` answers succeed; `AuthFailed`, `NO`, `-ERR` fail, code `ErrMsg`);
//! - **SMTP receive protocol logs** (`date-time,connector-id,session-id,...,event,data,
//!   context`): `535` answers are failed SMTP sign-ins (no user: Exchange logs it on
//!   another line, and lines are read independently); `*,USER,authenticated` lines are
//!   successful ones;
//! - **HttpProxy logs** (`DateTime,RequestId,...`): handed to `exchange_http_proxy`;
//! - **ECP server logs** (`DateTime,ServerName,EventID,EventData`): requests that ran
//!   a cmdlet (`S:CMD=Set-Mailbox...`) become [`Action::Other`] named after the cmdlet.
//!
//! Lines without any `#Fields:` directive (fragments copied out of these logs, as in
//! public test sets) are recognised by their shape and read with the default columns of
//! Exchange 2013-2019. Times are UTC (Exchange writes these logs in UTC).

use chrono::{DateTime, Utc};
use mailcase_model::{
    Account, Action, Client, Event, MessageTrace, Outcome, RawRecord, SignIn, SourceKind, parse_ip_port,
};
use serde_json::{Map, Value};

use crate::RecordCtx;
use crate::fields::quote;

/// Most fields read from a line; the rest is ignored.
const MAX_FIELDS: usize = 256;

/// Message tracking columns of Exchange 2013-2019.
const TRACKING_COLUMNS: [&str; 30] = [
    "date-time",
    "client-ip",
    "client-hostname",
    "server-ip",
    "server-hostname",
    "source-context",
    "connector-id",
    "source",
    "event-id",
    "internal-message-id",
    "message-id",
    "network-message-id",
    "recipient-address",
    "recipient-status",
    "total-bytes",
    "recipient-count",
    "related-recipient-address",
    "reference",
    "message-subject",
    "sender-address",
    "return-path",
    "message-info",
    "directionality",
    "tenant-id",
    "original-client-ip",
    "original-server-ip",
    "custom-data",
    "transport-traffic-type",
    "log-id",
    "schema-version",
];

/// IMAP4 and POP3 protocol log columns.
const POP_IMAP_COLUMNS: [&str; 12] =
    ["dateTime", "sessionId", "seqNumber", "sIP", "cIP", "user", "duration", "rqsize", "rpsize", "command", "parameters", "context"];

/// SMTP receive and send protocol log columns.
const SMTP_COLUMNS: [&str; 9] =
    ["date-time", "connector-id", "session-id", "sequence-number", "local-endpoint", "remote-endpoint", "event", "data", "context"];

/// ECP server log columns.
const ECP_COLUMNS: [&str; 4] = ["DateTime", "ServerName", "EventID", "EventData"];

/// Which log a line belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Tracking,
    PopImap,
    Smtp,
    HttpProxy,
    Ecp,
}

/// Whether the start of a file (decoded text) is one of these logs.
pub(crate) fn sniff(text: &str) -> bool {
    if text.lines().take(8).any(|l| l.starts_with("#Software: Microsoft Exchange Server")) {
        return true;
    }
    if let Some(fields) = text.lines().find(|l| l.starts_with("#Fields:")) {
        return kind_of_header(fields).is_some();
    }
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).take(5).peekable();
    lines.peek().is_some() && lines.all(|l| split(l).is_ok_and(|f| guess_kind(&f).is_some()))
}

/// Which of the Exchange logs read here the start of a file is (for the evidence
/// registry's format and description); `None` when it is none of them.
pub(crate) fn sniff_format(text: &str) -> Option<crate::Format> {
    use crate::Format;
    if !sniff(text) {
        return None;
    }
    let kind = match text.lines().find(|l| l.starts_with("#Fields:")) {
        Some(fields) => kind_of_header(fields),
        None => text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .find_map(|l| split(l).ok().and_then(|f| guess_kind(&f))),
    };
    Some(match kind.unwrap_or(Kind::Tracking) {
        Kind::Tracking => Format::ExchangeMessageTracking,
        Kind::PopImap | Kind::Smtp => Format::ExchangeProtocolLog,
        Kind::HttpProxy => Format::ExchangeHttpProxyLog,
        Kind::Ecp => Format::ExchangeEcpLog,
    })
}

/// One line to an event (see [`crate::LineToEvent`]).
pub(crate) fn line_to_event(line: &str, header: Option<&str>, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let values = split(line)?;
    let (kind, names): (Kind, Vec<String>) = match header {
        Some(h) => {
            let kind = kind_of_header(h).ok_or("unknown Exchange log: the #Fields directive names none of the known columns")?;
            (kind, header_names(h))
        }
        None => {
            let kind = guess_kind(&values).ok_or("Exchange log line of an unknown layout (and no #Fields directive)")?;
            (kind, default_columns(kind).iter().map(|c| (*c).to_owned()).collect())
        }
    };
    let row = Row { names: &names, values: &values };
    match kind {
        Kind::HttpProxy => {
            crate::exchange_http_proxy::from_columns(&|name| row.get(name), row.raw(line), ctx).map(Some)
        }
        Kind::Tracking => tracking(&row, line, ctx).map(Some),
        Kind::PopImap => pop_imap(&row, line, ctx),
        Kind::Smtp => smtp(&row, line, ctx),
        Kind::Ecp => ecp(&row, line, ctx),
    }
}

/// The fields of a CSV line (quotes as Exchange writes them: `""` inside quotes).
fn split(line: &str) -> Result<Vec<String>, String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => Ok(record.iter().take(MAX_FIELDS).map(str::to_owned).collect()),
        Ok(false) => Ok(Vec::new()),
        Err(e) => Err(format!("unreadable CSV line: {e}")),
    }
}

fn header_names(header: &str) -> Vec<String> {
    header.trim_start_matches("#Fields:").split(',').take(MAX_FIELDS).map(|n| n.trim().to_owned()).collect()
}

fn kind_of_header(header: &str) -> Option<Kind> {
    let names = header_names(header);
    let has = |n: &str| names.iter().any(|c| c.eq_ignore_ascii_case(n));
    if has("event-id") && has("sender-address") {
        Some(Kind::Tracking)
    } else if crate::exchange_http_proxy::is_header(header.trim_start_matches("#Fields:")) {
        Some(Kind::HttpProxy)
    } else if has("cIP") && has("command") {
        Some(Kind::PopImap)
    } else if has("remote-endpoint") && has("event") && has("data") {
        Some(Kind::Smtp)
    } else if has("EventData") && has("EventID") {
        Some(Kind::Ecp)
    } else {
        None
    }
}

fn default_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Tracking => &TRACKING_COLUMNS,
        Kind::PopImap => &POP_IMAP_COLUMNS,
        Kind::Smtp => &SMTP_COLUMNS,
        Kind::HttpProxy => &crate::exchange_http_proxy::COLUMNS,
        Kind::Ecp => &ECP_COLUMNS,
    }
}

/// The log a line without header comes from, by the shape of its fields.
fn guess_kind(f: &[String]) -> Option<Kind> {
    let at = |i: usize| f.get(i).map_or("", String::as_str);
    crate::time::parse_timestamp(at(0), crate::time::DateOrder::MonthFirst)?;
    let endpoint = |i: usize| parse_ip_port(at(i)).is_some_and(|(_, port)| port.is_some());
    let upper_word = |i: usize| !at(i).is_empty() && at(i).chars().all(|c| c.is_ascii_uppercase() || c == '_');
    let digits = |i: usize| !at(i).is_empty() && at(i).chars().all(|c| c.is_ascii_digit());
    if f.len() >= 20 && upper_word(7) && upper_word(8) {
        Some(Kind::Tracking)
    } else if f.len() >= 23 && at(1).len() == 36 && at(1).matches('-').count() == 4 && (2..6).all(digits) {
        Some(Kind::HttpProxy)
    } else if f.len() >= 11 && digits(2) && endpoint(3) && endpoint(4) {
        Some(Kind::PopImap)
    } else if f.len() >= 8 && endpoint(4) && endpoint(5) && matches!(at(6), ">" | "<" | "*" | "+" | "-") {
        Some(Kind::Smtp)
    } else if f.len() == 4 && at(2).starts_with("ECP.") {
        Some(Kind::Ecp)
    } else {
        None
    }
}

/// A line's values under its column names.
struct Row<'a> {
    names: &'a [String],
    values: &'a [String],
}

impl Row<'_> {
    /// The value of column `name` (ignoring case); empty is absent.
    fn get(&self, name: &str) -> Option<String> {
        let at = self.names.iter().position(|n| n.eq_ignore_ascii_case(name))?;
        self.values.get(at).filter(|v| !v.trim().is_empty()).cloned()
    }

    /// Column name to value, plus the original line under `line`.
    fn raw(&self, line: &str) -> RawRecord {
        let mut map = Map::new();
        for (name, text) in self.names.iter().zip(self.values) {
            map.entry(name.clone()).or_insert_with(|| Value::from(text.as_str()));
        }
        map.insert("line".into(), Value::from(line));
        RawRecord(Value::Object(map).to_string())
    }

    fn time(&self, column: &str) -> Result<DateTime<Utc>, String> {
        let text = self.get(column).ok_or_else(|| format!("no {column} on the line"))?;
        crate::time::parse_timestamp(&text, crate::time::DateOrder::MonthFirst)
            .ok_or_else(|| format!("unreadable {column} {}", quote(&text)))
    }
}

fn endpoint(text: Option<String>) -> (Option<std::net::IpAddr>, Option<u16>) {
    text.as_deref().and_then(parse_ip_port).map_or((None, None), |(ip, port)| (Some(ip), port))
}

fn tracking(row: &Row<'_>, line: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let time = row.time("date-time")?;
    let event_id = row.get("event-id");
    let trace = MessageTrace {
        sender: row.get("sender-address"),
        recipient: row.get("recipient-address"),
        subject: row.get("message-subject"),
        status: event_id.clone(),
        message_id: row.get("message-id"),
        size: row.get("total-bytes").and_then(|b| b.trim().parse().ok()),
        from_ip: row.get("original-client-ip").or_else(|| row.get("client-ip")),
        to_ip: row.get("original-server-ip").or_else(|| row.get("server-ip")),
    };
    let id = event_id.as_deref().unwrap_or_default().to_ascii_uppercase();
    let first_recipient = trace.recipient.as_deref().and_then(|r| r.split(';').next()).map(str::to_owned);
    let account = match id.as_str() {
        "SEND" | "SENDEXTERNAL" | "SUBMIT" => trace.sender.clone().or(first_recipient),
        _ => first_recipient.or_else(|| trace.sender.clone()),
    };
    let outcome = match id.as_str() {
        "FAIL" | "HAREDIRECTFAIL" => Outcome::Failure { code: row.get("recipient-status").or(event_id), reason: None },
        "RECEIVE" | "SEND" | "SENDEXTERNAL" | "DELIVER" | "SUBMIT" | "TRANSFER" | "EXPAND" | "RESOLVE" | "REDIRECT" => {
            Outcome::Success
        }
        _ => Outcome::Unknown,
    };
    let (ip, port) = endpoint(trace.from_ip.clone());
    let mut event = Event::new(ctx.at, time, SourceKind::ExchangeTracking, Action::MessageTrace(trace), row.raw(line));
    event.account = account.as_deref().and_then(Account::new);
    event.outcome = outcome;
    event.client = Client { ip, port, ..Client::default() };
    Ok(event)
}

/// `R="2 NO AUTHENTICATE failed.";Msg="...";ErrMsg=AuthFailed:LogonDenied` -> its pairs.
fn context_value(context: &str, key: &str) -> Option<String> {
    context.split(';').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn pop_imap(row: &Row<'_>, line: &str, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let command = row.get("command").unwrap_or_default().trim().to_ascii_lowercase();
    let protocol = match command.as_str() {
        "authenticate" | "login" => "IMAP4",
        "auth" | "pass" | "apop" => "POP3",
        _ => return Ok(None),
    };
    let time = row.time("dateTime")?;
    let context = row.get("context").unwrap_or_default();
    let answer = context_value(&context, "R").unwrap_or_default();
    let failed = context.contains("AuthFailed") || answer.contains(" NO ") || answer.starts_with("-ERR") || answer.starts_with("NO");
    let succeeded = answer == "OK" || answer.starts_with("+OK") || answer.contains(" OK");
    let outcome = if failed {
        Outcome::Failure { code: context_value(&context, "ErrMsg"), reason: Some(answer).filter(|a| !a.is_empty()) }
    } else if succeeded {
        Outcome::Success
    } else {
        Outcome::Unknown
    };
    let user = row.get("user").or_else(|| context_value(&context, "Msg").and_then(|m| m.split_once("User: ").map(|(_, u)| u.to_owned())));
    let sign_in = SignIn { client_app: Some(protocol.to_owned()), auth_protocol: row.get("parameters").map(|p| p.trim().to_owned()), ..SignIn::default() };
    let (ip, port) = endpoint(row.get("cIP"));
    let mut event = Event::new(ctx.at, time, SourceKind::ExchangeTracking, Action::SignIn(sign_in), row.raw(line));
    event.account = user.as_deref().and_then(Account::new);
    event.outcome = outcome;
    event.client = Client { ip, port, protocol: Some(protocol.to_owned()), session_id: row.get("sessionId"), ..Client::default() };
    Ok(Some(event))
}

fn smtp(row: &Row<'_>, line: &str, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let data = row.get("data").unwrap_or_default();
    let context = row.get("context").unwrap_or_default();
    let (user, outcome) = if data.starts_with("535") {
        let (code, reason) = smtp_reply(&data);
        (None, Outcome::Failure { code: Some(code), reason })
    } else if row.get("event").as_deref() == Some("*") && context.trim().eq_ignore_ascii_case("authenticated") {
        (Some(data), Outcome::Success)
    } else {
        return Ok(None);
    };
    let time = row.time("date-time")?;
    let protocol = "Authenticated SMTP";
    let sign_in = SignIn { client_app: Some(protocol.to_owned()), ..SignIn::default() };
    let (ip, port) = endpoint(row.get("remote-endpoint"));
    let mut event = Event::new(ctx.at, time, SourceKind::ExchangeTracking, Action::SignIn(sign_in), row.raw(line));
    event.account = user.as_deref().and_then(Account::new);
    event.outcome = outcome;
    event.client = Client { ip, port, protocol: Some(protocol.to_owned()), session_id: row.get("session-id"), ..Client::default() };
    Ok(Some(event))
}

/// `535 5.7.3 Authentication unsuccessful` -> (`535 5.7.3`, `Authentication unsuccessful`).
fn smtp_reply(data: &str) -> (String, Option<String>) {
    let mut words = data.splitn(3, ' ');
    let code = words.next().unwrap_or_default();
    match words.next() {
        Some(enhanced) if enhanced.starts_with(|c: char| c.is_ascii_digit()) => {
            (format!("{code} {enhanced}"), words.next().map(str::to_owned))
        }
        Some(word) => (code.to_owned(), Some(format!("{word} {}", words.next().unwrap_or_default()).trim().to_owned())),
        None => (code.to_owned(), None),
    }
}

fn ecp(row: &Row<'_>, line: &str, ctx: &RecordCtx) -> Result<Option<Event>, String> {
    let data = row.get("EventData").unwrap_or_default();
    let Some(command) = data.split(';').find_map(|p| p.trim().trim_start_matches('\'').strip_prefix("S:CMD=")) else {
        return Ok(None);
    };
    let cmdlet = command.split(['.', ' ']).next().unwrap_or_default().trim();
    if cmdlet.is_empty() {
        return Ok(None);
    }
    let time = row.time("DateTime")?;
    let action = Action::Other { operation: cmdlet.to_owned() };
    let mut event = Event::new(ctx.at, time, SourceKind::ExchangeTracking, action, row.raw(line));
    event.actor = data.split(';').find_map(|p| p.trim().strip_prefix("S:AUTHUSER=")).map(str::to_owned);
    Ok(Some(event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: 1, record: 9 }, date_order: DateOrder::DayFirst, file_time: None }
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

    const TRACKING: &str = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data";

    #[test]
    fn tracking_send_and_receive() {
        let send = "2024-03-04T08:05:00.123Z,10.0.0.9,EX1,10.0.0.5,EX1,,Default EX1,SMTP,SENDEXTERNAL,123,<m1@contoso.fr>,guid,a@partner.example;b@partner.example,250 2.1.5 OK,4821,2,,,\"RIB, nouvelles coordonnées\",Jane@Contoso.fr,jane@contoso.fr,,Originating,,203.0.113.7,,";
        let e = parse(send, Some(TRACKING));
        assert_eq!(e.time.to_rfc3339(), "2024-03-04T08:05:00.123+00:00");
        assert_eq!(account(&e), Some("jane@contoso.fr"));
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.client.ip, Some("203.0.113.7".parse().unwrap()));
        match &e.action {
            Action::MessageTrace(t) => {
                assert_eq!(t.recipient.as_deref(), Some("a@partner.example;b@partner.example"));
                assert_eq!(t.subject.as_deref(), Some("RIB, nouvelles coordonnées"));
                assert_eq!(t.status.as_deref(), Some("SENDEXTERNAL"));
                assert_eq!(t.size, Some(4821));
            }
            other => panic!("{other:?}"),
        }
        let receive = send.replace("SENDEXTERNAL", "RECEIVE");
        assert_eq!(account(&parse(&receive, Some(TRACKING))), Some("a@partner.example"));
        let fail = send.replace("SENDEXTERNAL", "FAIL");
        assert_eq!(parse(&fail, Some(TRACKING)).outcome.code(), Some("250 2.1.5 OK"));
        let raw: Value = serde_json::from_str(e.raw.as_str()).unwrap();
        assert_eq!(raw["event-id"], "SENDEXTERNAL");
        assert_eq!(raw["line"], send);
    }

    #[test]
    fn imap_and_pop_protocol_logs() {
        let imap = "2022-07-20T21:28:50.530Z,000000000000000E,2,192.168.9.241:143,192.168.9.212:35070,testuser,168,31,31,authenticate,PLAIN,\"R=\"\"2 NO AUTHENTICATE failed.\"\";Msg=\"\"AuthFailed:LogonDenied,User: testuser\"\";ErrMsg=AuthFailed:LogonDenied\",";
        let e = parse(imap, None);
        assert_eq!(account(&e), Some("testuser"));
        assert_eq!(e.client.ip, Some("192.168.9.212".parse().unwrap()));
        assert_eq!(e.client.port, Some(35070));
        assert_eq!(e.outcome.code(), Some("AuthFailed:LogonDenied"));
        assert_eq!(e.client.protocol.as_deref(), Some("IMAP4"));
        let ok = "2024-01-24T15:30:19.847Z,00000000000ABC12,2,1.2.3.4:143,10.11.12.13:65468,example123,118,31,34,authenticate,PLAIN,\"R=OK;Msg=\"\"Proxy:Host123.domain.tld:1993:SSL;ProxySuccess\"\"\",";
        assert_eq!(parse(ok, None).outcome, Outcome::Success);
        let select = "2024-01-24T15:30:19.847Z,00000000000ABC12,3,1.2.3.4:143,10.11.12.13:65468,example123,1,31,34,select,INBOX,R=OK,";
        assert!(matches!(line_to_event(select, None, &ctx()), Ok(None)));
    }

    #[test]
    fn smtp_receive_protocol_log() {
        let fail = "2022-07-20T21:12:06.270Z,EXCHANGE-1\\Default Frontend EXCHANGE-1,08DA4F7C11473A60,9,192.168.9.241:25,192.168.9.212:53722,>,535 5.7.3 Authentication unsuccessful,";
        let e = parse(fail, None);
        assert_eq!(e.outcome, Outcome::Failure { code: Some("535 5.7.3".into()), reason: Some("Authentication unsuccessful".into()) });
        assert_eq!(e.client.ip, Some("192.168.9.212".parse().unwrap()));
        let ok = "2022-07-20T21:12:06.270Z,EX1\\Client Frontend EX1,08DA4F7C11473A61,7,192.168.9.241:587,192.168.9.212:53723,*,CONTOSO\\jane,authenticated";
        let e = parse(ok, None);
        assert_eq!(account(&e), Some("contoso\\jane"));
        assert_eq!(e.outcome, Outcome::Success);
        let ehlo = "2022-07-20T21:12:06.270Z,EX1\\Default EX1,08DA4F7C11473A61,1,192.168.9.241:25,192.168.9.212:53723,<,EHLO x,";
        assert!(matches!(line_to_event(ehlo, None, &ctx()), Ok(None)));
    }

    #[test]
    fn ecp_and_http_proxy_lines() {
        let ecp = "2021-04-06T14:54:38.677Z,WIN-03FGEGKLSPR,ECP.Request,\"S:TIME=4365;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://o/''';S:REQID=\"";
        assert_eq!(parse(ecp, None).action, Action::Other { operation: "Set-OabVirtualDirectory".into() });
        let header = format!("#Fields: {}", crate::exchange_http_proxy::COLUMNS.join(","));
        let proxy = "2024-01-24T15:26:47.957Z,3422ea93-768f-4cd4-8b0c-578038deb0b2,15,1,2507,35,,Mapi,mail.domain.tld,/mapi/emsmdb/,,Negotiate,true,DOMAIN\\user,domain.tld,,Outlook,10.12.13.14,Host123,200,200,,POST,Proxy,,,,,";
        let e = parse(proxy, Some(&header));
        assert_eq!(e.source, SourceKind::ExchangeHttpProxy);
        assert_eq!(account(&e), Some("domain\\user"));
        assert_eq!(parse(proxy, None).source, SourceKind::ExchangeHttpProxy);
    }

    #[test]
    fn errors() {
        assert!(line_to_event("a,b,c", None, &ctx()).is_err());
        assert!(line_to_event("a,b", Some("#Fields: x,y"), &ctx()).is_err());
        let bad_time = "yesterday,,,,EX,,,SMTP,RECEIVE,1,<m>,g,a@b.fr,,1,1,,,s,c@d.fr,c@d.fr,,Incoming,,,,";
        assert!(line_to_event(bad_time, Some(TRACKING), &ctx()).unwrap_err().contains("date-time"));
    }

    #[test]
    fn no_panic_on_cut_or_hostile_lines() {
        let lines = [
            "2022-07-20T21:28:50.530Z,000000000000000E,2,192.168.9.241:143,192.168.9.212:35070,tëst,168,31,31,authenticate,PLAIN,\"R=\"\"2 NO\"\";ErrMsg=AuthFailed\",",
            "2021-04-06T14:54:38.677Z,W,ECP.Request,\"S:CMD=;S:CMD=.x\"",
        ];
        for line in lines {
            for (at, _) in line.char_indices() {
                for header in [None, Some(TRACKING)] {
                    let _ = line_to_event(&line[..at], header, &ctx());
                    let _ = line_to_event(&line[at..], header, &ctx());
                }
            }
        }
    }

    #[test]
    fn sniffs() {
        assert!(sniff("#Software: Microsoft Exchange Server\n#Version: 15.02.0330.005\n#Log-type: Message Tracking Log\n"));
        assert!(sniff(&format!("{TRACKING}\n")));
        assert!(sniff("2022-07-20T21:12:06.270Z,EX1\\Default EX1,08DA4F7C11473A60,9,192.168.9.241:25,192.168.9.212:53722,>,535 5.7.3 Authentication unsuccessful,\n"));
        assert!(!sniff("Received,SenderAddress,RecipientAddress\n"));
        assert!(!sniff("2024-01-01 10:00:00,001 INFO  [x] [] y - z\n"));
        assert!(!sniff(""));
    }
}
