//! Exchange Online message trace.
//!
//! Shapes read (field names matched ignoring ASCII case):
//! - `Get-MessageTrace` / `Get-MessageTraceV2` exported to CSV or JSON, and the admin
//!   center's CSV download: `Received, SenderAddress, RecipientAddress, Subject, Status,
//!   ToIP, FromIP, Size, MessageId, MessageTraceId` (and `Organization` in API output);
//!   `Received` is ISO 8601 or a locale date such as `9/20/2023 4:05:03 AM`, read in
//!   the file's day/month order;
//! - Microsoft Graph message traces (`receivedDateTime`, `senderAddress`...);
//! - historical search reports (`origin_timestamp_utc`, `sender_address`,
//!   `recipient_status` as `address##events;...`, `message_subject`, `total_bytes`,
//!   `original_client_ip`, `directionality`).
//!
//! Account choice, kept simple on purpose: the recipient for inbound mail, the sender
//! otherwise. Inbound is known from a `directionality`/`Direction` field, or when the
//! recipient's domain is the record's `Organization` domain and the sender's is not.
//! Without either (this module does not know the case's domains), the sender.
//!
//! Outcome: `Delivered`, `Expanded` and `Resolved` are successes, `Failed` a failure
//! with the status as code; other statuses (`Pending`, `Quarantined`, `FilteredAsSpam`...)
//! are unknown outcomes, and the status itself is kept in the action.

use mailcase_model::{
    Account, Action, Client, Event, MessageTrace, Outcome, RawRecord, SourceKind, parse_ip_port,
};

use crate::RecordCtx;
use crate::fields::{self, Layers, Object};

/// Turns one message trace record (JSON text) into an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let top = fields::parse_object(json)?;
    let rec = Layers::new(None, &top);
    let time = rec.time(
        &[
            "Received",
            "receivedDateTime",
            "origin_timestamp_utc",
            "date_time_utc",
        ],
        ctx,
    )?;
    let trace = read_trace(&rec);
    let account = account(&top, &trace).and_then(|a| Account::new(&a));
    let outcome = outcome(trace.status.as_deref());
    let (ip, port) = trace
        .from_ip
        .as_deref()
        .and_then(parse_ip_port)
        .map_or((None, None), |(ip, port)| (Some(ip), port));
    let mut event = Event::new(
        ctx.at,
        time,
        SourceKind::ExoMessageTrace,
        Action::MessageTrace(trace),
        RawRecord(json.to_owned()),
    );
    event.account = account;
    event.outcome = outcome;
    event.client = Client {
        ip,
        port,
        ..Client::default()
    };
    Ok(event)
}

fn read_trace(rec: &Layers<'_>) -> MessageTrace {
    MessageTrace {
        sender: rec.text(&["SenderAddress", "sender_address"]),
        recipient: rec
            .text(&["RecipientAddress"])
            .or_else(|| rec.text(&["recipient_status"]).and_then(|s| recipients(&s))),
        subject: rec.text(&["Subject", "message_subject"]),
        status: rec.text(&["Status"]),
        message_id: rec.text(&["MessageId", "message_id"]),
        size: rec.text(&["Size", "total_bytes"]).and_then(|s| size(&s)),
        from_ip: rec.text(&["FromIP", "original_client_ip"]),
        to_ip: rec.text(&["ToIP", "original_server_ip"]),
    }
}

/// `a@x.fr##Receive, Deliver;b@y.fr##Receive, Fail` -> `a@x.fr;b@y.fr`.
fn recipients(status: &str) -> Option<String> {
    let addresses: Vec<&str> = status
        .split(';')
        .map(|part| {
            part.split_once("##")
                .map_or(part, |(address, _)| address)
                .trim()
        })
        .filter(|a| !a.is_empty())
        .collect();
    (!addresses.is_empty()).then(|| addresses.join(";"))
}

/// A byte count, tolerating thousands separators (`87,891`).
fn size(text: &str) -> Option<u64> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    digits.parse().ok()
}

fn account(top: &Object, trace: &MessageTrace) -> Option<String> {
    let first_recipient = trace
        .recipient
        .as_deref()
        .and_then(|r| r.split(';').next())
        .map(str::to_owned);
    let direction = fields::text_of(top, &["directionality", "Direction"])
        .map(|d| d.trim().to_ascii_lowercase());
    let inbound = match direction.as_deref() {
        Some("incoming" | "inbound") => true,
        Some(_) => false,
        None => organisation_says_inbound(top, trace),
    };
    if inbound {
        first_recipient.or_else(|| trace.sender.clone())
    } else {
        trace.sender.clone().or(first_recipient)
    }
}

fn organisation_says_inbound(top: &Object, trace: &MessageTrace) -> bool {
    let Some(org) = fields::text_of(top, &["Organization"]) else {
        return false;
    };
    let in_org = |address: Option<&str>| {
        address
            .and_then(|a| a.rsplit_once('@'))
            .is_some_and(|(_, domain)| domain.trim().eq_ignore_ascii_case(org.trim()))
    };
    let first_recipient = trace.recipient.as_deref().and_then(|r| r.split(';').next());
    !in_org(trace.sender.as_deref()) && in_org(first_recipient)
}

fn outcome(status: Option<&str>) -> Outcome {
    let Some(status) = status else {
        return Outcome::Unknown;
    };
    match status.trim().to_ascii_lowercase().as_str() {
        "delivered" | "expanded" | "resolved" => Outcome::Success,
        "failed" => Outcome::Failure {
            code: Some(status.trim().to_owned()),
            reason: None,
        },
        _ => Outcome::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx(order: DateOrder) -> RecordCtx {
        RecordCtx {
            at: EvidenceRef {
                evidence: 3,
                record: 2,
            },
            date_order: order,
            file_time: None,
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn trace(e: &Event) -> &MessageTrace {
        match &e.action {
            Action::MessageTrace(t) => t,
            other => panic!("{other:?}"),
        }
    }

    const CSV_ROW: &str = r#"{"Received":"9/20/2023 4:05:03 AM","SenderAddress":"Jane@Contoso.fr",
        "RecipientAddress":"payments@partner.example","Subject":"Nouvelles coordonnées bancaires / RIB",
        "Status":"Delivered","ToIP":"","FromIP":"203.0.113.50","Size":"48,213",
        "MessageId":"<abc@mail.contoso.fr>","MessageTraceId":"4b2f-..."}"#;

    #[test]
    fn csv_row_us_locale() {
        let e = to_event(CSV_ROW, &ctx(DateOrder::MonthFirst)).unwrap();
        assert_eq!(e.time, utc("2023-09-20T04:05:03Z"));
        assert_eq!(e.source, SourceKind::ExoMessageTrace);
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("jane@contoso.fr")
        );
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.client.ip, "203.0.113.50".parse().ok());
        let t = trace(&e);
        assert_eq!(t.sender.as_deref(), Some("Jane@Contoso.fr"));
        assert_eq!(t.recipient.as_deref(), Some("payments@partner.example"));
        assert_eq!(
            t.subject.as_deref(),
            Some("Nouvelles coordonnées bancaires / RIB")
        );
        assert_eq!(t.size, Some(48213));
        assert_eq!(t.to_ip, None);
        assert_eq!(t.message_id.as_deref(), Some("<abc@mail.contoso.fr>"));
    }

    #[test]
    fn truncated_and_retyped_records_never_panic() {
        let sample: String = CSV_ROW.to_owned();
        for (cut, _) in sample.char_indices() {
            let _ = to_event(&sample[..cut], &ctx(DateOrder::MonthFirst));
        }
        let variants = crate::fields::mutations(&sample);
        assert!(variants.len() > 50, "{}", variants.len());
        for variant in variants {
            let _ = to_event(&variant, &ctx(DateOrder::MonthFirst));
        }
    }

    #[test]
    fn french_locale_date() {
        let row = CSV_ROW.replace("9/20/2023 4:05:03 AM", "20/09/2023 16:05:03");
        assert_eq!(
            to_event(&row, &ctx(DateOrder::DayFirst)).unwrap().time,
            utc("2023-09-20T16:05:03Z")
        );
        assert!(to_event(&row, &ctx(DateOrder::MonthFirst)).is_err());
    }

    #[test]
    fn organisation_domain_makes_inbound_mail_the_recipients() {
        let json = r#"{"Received":"2022-09-05T18:10:13.4907658","SenderAddress":"azure-noreply@microsoft.com",
            "RecipientAddress":"Linus@wildsecurity.onmicrosoft.com","Organization":"wildsecurity.onmicrosoft.com",
            "Size":87891,"Status":"Failed"}"#;
        let e = to_event(json, &ctx(DateOrder::MonthFirst)).unwrap();
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("linus@wildsecurity.onmicrosoft.com")
        );
        assert_eq!(
            e.outcome,
            Outcome::Failure {
                code: Some("Failed".into()),
                reason: None
            }
        );
        assert_eq!(trace(&e).size, Some(87891));
    }

    #[test]
    fn historical_search_row() {
        let json = r#"{"origin_timestamp_utc":"2023-09-20T04:05:03.123Z","sender_address":"x@evil.example",
            "recipient_status":"A@contoso.fr##Receive, Deliver;b@contoso.fr##Receive, Fail",
            "message_subject":"Invoice","total_bytes":"1024","directionality":"Incoming","original_client_ip":"192.0.2.1"}"#;
        let e = to_event(json, &ctx(DateOrder::MonthFirst)).unwrap();
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("a@contoso.fr")
        );
        assert_eq!(
            trace(&e).recipient.as_deref(),
            Some("A@contoso.fr;b@contoso.fr")
        );
        assert_eq!(e.client.ip, "192.0.2.1".parse().ok());
        assert_eq!(e.outcome, Outcome::Unknown);
    }

    #[test]
    fn missing_and_null_fields() {
        let json = r#"{"Received":"2023-09-20T04:05:03Z","SenderAddress":null,"RecipientAddress":"r@x.fr","Size":"n/a"}"#;
        let e = to_event(json, &ctx(DateOrder::MonthFirst)).unwrap();
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("r@x.fr"));
        assert_eq!(trace(&e).size, None);
        assert_eq!(e.outcome, Outcome::Unknown);
        for bad in [
            "",
            "[]",
            r#"{"SenderAddress":"a@b.fr"}"#,
            r#"{"Received":"13/45/2023"}"#,
        ] {
            assert!(to_event(bad, &ctx(DateOrder::MonthFirst)).is_err(), "{bad}");
        }
    }

    #[test]
    fn elastic_fixture() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/elastic_integrations/microsoft_exchange_online_message_trace/test-log.log");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!(
                "skipped: {} is absent (Elastic License data is read, never copied)",
                path.display()
            );
            return;
        };
        let events: Vec<Event> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| to_event(l, &ctx(DateOrder::MonthFirst)).unwrap())
            .collect();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.time, utc("2022-09-05T18:10:13.4907658Z"));
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("linus@wildsecurity.onmicrosoft.com")
        );
        assert_eq!(trace(e).to_ip.as_deref(), Some("216.160.83.56"));
        assert_eq!(
            trace(e).message_id.as_deref(),
            Some("<a210cf91-4f2e-484c-8ada-3b27064ee5e3@az.uksouth.production.microsoft.com>")
        );
        assert_eq!(e.outcome, Outcome::Success);
    }
}
