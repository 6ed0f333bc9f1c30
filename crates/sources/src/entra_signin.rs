//! Entra ID (Azure AD) sign-in logs.
//!
//! Shapes read, told apart by their keys (names are matched ignoring ASCII case, so
//! `ipAddress`, `IPAddress` and a lower-cased re-export all work):
//! - Microsoft Graph `signIn` objects (`createdDateTime`, `userPrincipalName`,
//!   `status{errorCode, failureReason}`, `deviceDetail{...}`...);
//! - Azure Monitor diagnostic exports (`time`, `resultType`, `callerIpAddress`, the
//!   Graph object under `properties`);
//! - Sentinel `SigninLogs` / `AADNonInteractiveUserSignInLogs` table exports (flat
//!   columns such as `TimeGenerated`, `UserPrincipalName`, `IPAddress`, `ResultType`;
//!   `Status`, `DeviceDetail`... may be JSON text inside a cell);
//! - portal CSV downloads, handed over by the framing as flat objects of display
//!   labels (`Date (UTC)`, `Username`, `IP address`, `Status`, `Sign-in error code`...).
//!
//! Every record becomes an [`Action::SignIn`]. The outcome is a success only when the
//! error code is 0 (or, without a code, when the portal's `Status` says `Success`);
//! interrupts such as 50140 or 50074 are failures with their code: deciding whether a
//! flow later completed is the detection's job.

use mailcase_model::{
    Account, Action, Client, Event, Outcome, RawRecord, SignIn, SourceKind, parse_ip_port,
};

use crate::RecordCtx;

use crate::fields::{self, Layers, Object};

/// Turns one sign-in record (JSON text of any shape above) into an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let top = fields::parse_object(json)?;
    let props = fields::get(&top, "properties").and_then(fields::nested_object);
    let rec = Layers::new(props.as_deref(), &top);
    let time = rec.time(
        &[
            "createdDateTime",
            "Date (UTC)",
            "Date",
            "TimeGenerated",
            "time",
        ],
        ctx,
    )?;
    let status = rec.get(&["status"]).and_then(fields::nested_object);
    let outcome = outcome(&rec, status.as_deref());
    let sign_in = SignIn {
        interactive: interactive(&rec),
        client_app: rec.text(&["clientAppUsed", "Client app"]),
        auth_protocol: rec.text(&["authenticationProtocol", "Authentication Protocol"]),
        mfa: mfa(&rec, status.as_deref(), &outcome),
        resource: rec.text(&["resourceDisplayName", "Resource"]),
    };
    let client = client(&rec, sign_in.client_app.clone());
    let raw = RawRecord(json.to_owned());
    let mut event = Event::new(
        ctx.at,
        time,
        SourceKind::EntraSignIn,
        Action::SignIn(sign_in),
        raw,
    );
    event.account = rec
        .text(&[
            "userPrincipalName",
            "Username",
            "User principal name",
            "Sign-in identifier",
        ])
        .and_then(|upn| Account::new(&upn));
    event.outcome = outcome;
    event.client = client;
    Ok(event)
}

/// Success for error code 0; failure with the code otherwise. Without a numeric code,
/// the portal's `Status` word decides (`Interrupted` is a failure, as its code would be).
fn outcome(rec: &Layers<'_>, status: Option<&Object>) -> Outcome {
    let code = status
        .and_then(|s| fields::text_of(s, &["errorCode"]))
        .or_else(|| rec.text(&["Sign-in error code", "ResultType", "errorCode"]));
    let reason = status
        .and_then(|s| fields::text_of(s, &["failureReason"]))
        .or_else(|| rec.text(&["Failure reason", "ResultDescription", "failureReason"]));
    let word = match status {
        Some(_) => None,
        None => rec.text(&["Status"]),
    };
    match code.as_deref().map(str::trim) {
        Some("0") => Outcome::Success,
        Some(c) if c.parse::<i64>().is_ok() => Outcome::Failure {
            code: code.clone(),
            reason,
        },
        // A non-numeric result type (`Success`, `Failure`) is a word, not a code.
        Some(other) => outcome_from_word(other, reason),
        None => match word {
            Some(w) => outcome_from_word(&w, reason),
            None => Outcome::Unknown,
        },
    }
}

fn outcome_from_word(word: &str, reason: Option<String>) -> Outcome {
    match word.trim().to_ascii_lowercase().as_str() {
        "success" | "succeeded" => Outcome::Success,
        "failure" | "failed" | "interrupted" => Outcome::Failure { code: None, reason },
        _ => Outcome::Unknown,
    }
}

/// `isInteractive` when given; otherwise the log category or table says it
/// (`SignInLogs` is the interactive one, the others are not).
fn interactive(rec: &Layers<'_>) -> Option<bool> {
    if let Some(flag) = rec
        .get(&["isInteractive", "Interactive"])
        .and_then(fields::boolish)
    {
        return Some(flag);
    }
    let category = rec.text(&["category", "Type"])?.to_ascii_lowercase();
    match category.as_str() {
        "signinlogs" => Some(true),
        "noninteractiveusersigninlogs"
        | "aadnoninteractiveusersigninlogs"
        | "serviceprincipalsigninlogs"
        | "aadserviceprincipalsigninlogs"
        | "managedidentitysigninlogs"
        | "aadmanagedidentitysigninlogs"
        | "microsoftserviceprincipalsigninlogs" => Some(false),
        _ => None,
    }
}

/// MFA satisfied (`true`) or single factor only (`false`). The structured
/// `authenticationRequirement` wins; the free-text MFA result (`status.additionalDetails`,
/// the portal's "Multifactor authentication result") is used only without it.
fn mfa(rec: &Layers<'_>, status: Option<&Object>, outcome: &Outcome) -> Option<bool> {
    // `singleFactorAuthentication` in JSON, `Single-factor authentication` in the portal.
    let requirement: Option<String> = rec
        .text(&["authenticationRequirement", "Authentication requirement"])
        .map(|r| {
            r.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        });
    match requirement.as_deref() {
        Some("singlefactorauthentication") => return Some(false),
        Some("multifactorauthentication") if *outcome == Outcome::Success => return Some(true),
        _ => {}
    }
    let detail = status
        .and_then(|s| fields::text_of(s, &["additionalDetails"]))
        .or_else(|| rec.text(&["Multifactor authentication result"]))?
        .to_ascii_lowercase();
    let satisfied = ["satisfied", "completed", "successfully"]
        .iter()
        .any(|w| detail.contains(w));
    (detail.contains("mfa") && satisfied).then_some(true)
}

/// Address, user agent, application, session (`sessionId`, else the correlation id)
/// and device (name, else id, else operating system).
fn client(rec: &Layers<'_>, protocol: Option<String>) -> Client {
    let (ip, port) = rec
        .text(&["ipAddress", "IP address", "callerIpAddress"])
        .and_then(|s| parse_ip_port(&s))
        .map_or((None, None), |(ip, port)| (Some(ip), port));
    Client {
        ip,
        port,
        user_agent: rec.text(&["userAgent", "User agent"]),
        app_id: rec.text(&["appId", "Application ID"]),
        app_name: rec.text(&["appDisplayName", "Application"]),
        protocol,
        session_id: rec.text(&["sessionId", "Session ID", "correlationId", "Correlation ID"]),
        device: device(rec),
    }
}

fn device(rec: &Layers<'_>) -> Option<String> {
    let detail = rec.get(&["deviceDetail"]).and_then(fields::nested_object);
    detail
        .as_deref()
        .and_then(|d| fields::text_of(d, &["displayName", "deviceId", "operatingSystem"]))
        .or_else(|| rec.text(&["Device ID", "Operating System"]))
}


#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use mailcase_model::EvidenceRef;
    use serde_json::Value;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx {
            at: EvidenceRef {
                evidence: 1,
                record: 1,
            },
            date_order: DateOrder::MonthFirst,
            file_time: None,
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn sign_in(event: &Event) -> &SignIn {
        match &event.action {
            Action::SignIn(s) => s,
            other => panic!("not a sign-in: {other:?}"),
        }
    }

    const GRAPH: &str = r#"{
        "id": "66ea54eb-6301-4ee5-be62-ff5a759b0100",
        "createdDateTime": "2024-03-14T08:02:11Z",
        "userPrincipalName": "Debra.Berger@Contoso.FR",
        "appId": "4765445b-32c6-49b0-83e6-1d93765276ca",
        "appDisplayName": "OfficeHome",
        "ipAddress": "81.2.69.144",
        "clientAppUsed": "Browser",
        "correlationId": "d79f5bee-5860-4832-928f-3133e22ae912",
        "sessionId": "a1b2c3",
        "isInteractive": true,
        "userAgent": "axios/1.6.7",
        "authenticationRequirement": "multiFactorAuthentication",
        "authenticationProtocol": "none",
        "resourceDisplayName": "Office 365 Exchange Online",
        "status": {"errorCode": 0, "failureReason": "Other.", "additionalDetails": null},
        "deviceDetail": {"deviceId": "", "displayName": "", "operatingSystem": "Linux", "browser": "Node"}
    }"#;

    #[test]
    fn graph_success() {
        let e = to_event(GRAPH, &ctx()).unwrap();
        assert_eq!(e.time, utc("2024-03-14T08:02:11Z"));
        assert_eq!(e.source, SourceKind::EntraSignIn);
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("debra.berger@contoso.fr")
        );
        assert_eq!(e.outcome, Outcome::Success);
        let s = sign_in(&e);
        assert_eq!(s.interactive, Some(true));
        assert_eq!(s.client_app.as_deref(), Some("Browser"));
        assert_eq!(s.auth_protocol.as_deref(), Some("none"));
        assert_eq!(s.mfa, Some(true));
        assert_eq!(s.resource.as_deref(), Some("Office 365 Exchange Online"));
        assert_eq!(e.client.ip, "81.2.69.144".parse().ok());
        assert_eq!(e.client.user_agent.as_deref(), Some("axios/1.6.7"));
        assert_eq!(
            e.client.app_id.as_deref(),
            Some("4765445b-32c6-49b0-83e6-1d93765276ca")
        );
        assert_eq!(e.client.app_name.as_deref(), Some("OfficeHome"));
        assert_eq!(e.client.session_id.as_deref(), Some("a1b2c3"));
        assert_eq!(e.client.device.as_deref(), Some("Linux"));
        assert_eq!(e.client.protocol.as_deref(), Some("Browser"));
        assert_eq!(e.raw.as_str(), GRAPH);
    }

    #[test]
    fn failure_code_as_string_or_number() {
        for code in ["50126", "\"50126\""] {
            let json = format!(
                r#"{{"createdDateTime":"2024-03-14T08:02:11Z","userPrincipalName":"a@b.fr",
                "status":{{"errorCode":{code},"failureReason":"Invalid username or password."}}}}"#
            );
            let e = to_event(&json, &ctx()).unwrap();
            assert_eq!(
                e.outcome,
                Outcome::Failure {
                    code: Some("50126".into()),
                    reason: Some("Invalid username or password.".into())
                }
            );
        }
    }

    #[test]
    fn interrupt_is_a_failure_with_its_code() {
        let json = r#"{"createdDateTime":"2024-03-14T08:02:11Z","status":{"errorCode":50074}}"#;
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(e.outcome.code(), Some("50074"));
        assert_eq!(e.account, None);
    }

    #[test]
    fn sentinel_flat_columns_with_json_text_cells() {
        let json = r#"{"TimeGenerated":"2024-03-14T08:02:11.123Z","UserPrincipalName":"EVE@X.FR",
            "IPAddress":"[2001:db8::7]:5050","ResultType":"53003","ResultDescription":"Blocked by CA",
            "AppDisplayName":"Azure Portal","ClientAppUsed":"Browser","UserAgent":"Mozilla/5.0",
            "DeviceDetail":"{\"deviceId\":\"dev-1\",\"operatingSystem\":\"Windows10\"}",
            "Status":"{\"errorCode\":53003,\"failureReason\":\"Blocked by CA\"}",
            "AuthenticationRequirement":"singleFactorAuthentication","Type":"SigninLogs"}"#;
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(e.account.as_ref().map(Account::as_str), Some("eve@x.fr"));
        assert_eq!(e.client.ip, "2001:db8::7".parse().ok());
        assert_eq!(e.client.port, Some(5050));
        assert_eq!(e.client.device.as_deref(), Some("dev-1"));
        assert_eq!(e.outcome.code(), Some("53003"));
        let s = sign_in(&e);
        assert_eq!(s.mfa, Some(false));
        assert_eq!(s.interactive, Some(true));
    }

    #[test]
    fn portal_csv_row() {
        let json = r#"{"Date (UTC)":"9/20/2023 4:05:03 AM","Request ID":"r-1","User agent":"BAV2ROPC",
            "Correlation ID":"c-1","User":"Jane Doe","Username":"Jane@Contoso.fr","IP address":"203.0.113.9:443",
            "Location":"Lagos, Lagos, NG","Status":"Interrupted","Sign-in error code":"50140",
            "Failure reason":"Keep me signed in interrupt","Client app":"Other clients",
            "Application":"Office 365 Exchange Online","Application ID":"00000002-0000-0ff1-ce00-000000000000",
            "Resource":"Office 365 Exchange Online","Authentication requirement":"Multifactor authentication",
            "Multifactor authentication result":"MFA requirement satisfied by claim in the token",
            "Operating System":"Windows","Authentication Protocol":"ropc"}"#;
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(e.time, utc("2023-09-20T04:05:03Z"));
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("jane@contoso.fr")
        );
        assert_eq!(e.client.ip, "203.0.113.9".parse().ok());
        assert_eq!(e.client.port, Some(443));
        assert_eq!(e.client.session_id.as_deref(), Some("c-1"));
        assert_eq!(e.client.device.as_deref(), Some("Windows"));
        assert_eq!(e.outcome.code(), Some("50140"));
        let s = sign_in(&e);
        assert_eq!(s.client_app.as_deref(), Some("Other clients"));
        assert_eq!(s.auth_protocol.as_deref(), Some("ropc"));
        assert_eq!(s.mfa, Some(true));
        assert_eq!(s.interactive, None);
    }

    #[test]
    fn portal_requirement_labels() {
        let json = r#"{"Date (UTC)":"2023-09-20T04:05:03Z","Status":"Success","Authentication requirement":"Single-factor authentication"}"#;
        assert_eq!(sign_in(&to_event(json, &ctx()).unwrap()).mfa, Some(false));
        let json = json.replace("Single-factor", "Multifactor");
        assert_eq!(sign_in(&to_event(&json, &ctx()).unwrap()).mfa, Some(true));
    }

    #[test]
    fn portal_status_word_without_code() {
        let ok =
            r#"{"Date (UTC)":"2023-09-20T04:05:03Z","Status":"Success","Sign-in error code":""}"#;
        assert_eq!(to_event(ok, &ctx()).unwrap().outcome, Outcome::Success);
        let bad =
            r#"{"Date (UTC)":"2023-09-20T04:05:03Z","Status":"Failure","Failure reason":"x"}"#;
        assert_eq!(
            to_event(bad, &ctx()).unwrap().outcome,
            Outcome::Failure {
                code: None,
                reason: Some("x".into())
            }
        );
        let none = r#"{"Date (UTC)":"2023-09-20T04:05:03Z"}"#;
        assert_eq!(to_event(none, &ctx()).unwrap().outcome, Outcome::Unknown);
    }

    #[test]
    fn nulls_and_missing_fields() {
        let json = r#"{"createdDateTime":"2024-03-14T08:02:11Z","userPrincipalName":null,"ipAddress":null,
            "status":null,"deviceDetail":null,"isInteractive":null}"#;
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(e.account, None);
        assert_eq!(e.client, Client::default());
        assert_eq!(e.outcome, Outcome::Unknown);
        assert_eq!(sign_in(&e), &SignIn::default());
    }

    #[test]
    fn bad_records_are_errors_not_panics() {
        for bad in [
            "",
            "[]",
            "42",
            "{",
            r#"{"userPrincipalName":"a@b.fr"}"#,
            r#"{"createdDateTime":"soon"}"#,
        ] {
            assert!(to_event(bad, &ctx()).is_err(), "{bad}");
        }
        // Nesting past serde_json's depth limit is an error, not a stack overflow.
        let deep = format!(
            "{{\"createdDateTime\":\"2024-03-14T08:02:11Z\",\"status\":{}0{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(to_event(&deep, &ctx()).is_err());
        let err = to_event(r#"{"createdDateTime":"soon"}"#, &ctx()).unwrap_err();
        assert!(err.contains("\"soon\""), "{err}");
    }

    #[test]
    fn category_tells_interactive_when_flag_missing() {
        let json = r#"{"time":"2024-03-14T08:02:11Z","category":"NonInteractiveUserSignInLogs",
            "properties":{"userPrincipalName":"a@b.fr"}}"#;
        assert_eq!(
            sign_in(&to_event(json, &ctx()).unwrap()).interactive,
            Some(false)
        );
    }

    fn shared_fixture(rel: &str) -> Option<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures")
            .join(rel);
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(_) => {
                eprintln!(
                    "skipped: {} is absent (Elastic License data is read, never copied)",
                    path.display()
                );
                None
            }
        }
    }

    #[test]
    fn elastic_azure_monitor_fixture() {
        let Some(text) =
            shared_fixture("elastic_integrations/azure_signinlogs/test-signinlogs-raw.log")
        else {
            return;
        };
        let events: Vec<Event> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| to_event(l, &ctx()))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(events.len(), 5);
        let first = &events[0];
        assert_eq!(first.time, utc("2019-10-18T09:45:48.0729893Z"));
        assert_eq!(
            first.account.as_ref().map(Account::as_str),
            Some("test@elastic.co")
        );
        assert_eq!(first.outcome.code(), Some("50140"));
        assert_eq!(first.client.ip, "81.2.69.144".parse().ok());
        assert_eq!(first.client.device.as_deref(), Some("MacOs"));
        assert_eq!(sign_in(first).interactive, Some(false));
        assert_eq!(sign_in(first).client_app.as_deref(), Some("Browser"));
    }

    #[test]
    fn panther_fixture_events() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/panther/entra_signin.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut legacy_success = 0;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let e = to_event(line, &ctx()).unwrap_or_else(|err| panic!("line {}: {err}", n + 1));
            let s = sign_in(&e);
            if s.client_app.as_deref() == Some("Authenticated SMTP")
                && e.outcome == Outcome::Success
            {
                legacy_success += 1;
                assert_eq!(e.client.user_agent.as_deref(), Some("BAV2ROPC"));
                assert_eq!(s.mfa, Some(false));
            }
        }
        assert!(legacy_success >= 1);
    }

    #[test]
    fn truncated_and_retyped_records_never_panic() {
        let sample: String = GRAPH.to_owned();
        for (cut, _) in sample.char_indices() {
            let _ = to_event(&sample[..cut], &ctx());
        }
        let variants = crate::fields::mutations(&sample);
        assert!(variants.len() > 50, "{}", variants.len());
        for variant in variants {
            let _ = to_event(&variant, &ctx());
        }
    }

    #[test]
    fn value_type_check() {
        // Untouched raw text even for odd but valid JSON.
        let json =
            "{\"createdDateTime\":\"2024-03-14T08:02:11Z\",\"userAgent\":\"<script>\\u0000\"}";
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(e.client.user_agent.as_deref(), Some("<script>\u{0}"));
        assert!(matches!(
            serde_json::from_str::<Value>(e.raw.as_str()),
            Ok(Value::Object(_))
        ));
    }
}
