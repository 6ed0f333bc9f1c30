//! Google Workspace activities and web proxy logs against real public data:
//! - Elastic's Google Workspace test inputs (Elastic License: read from
//!   `../shared/fixtures`, skipped with a message when absent);
//! - Panther's Google Workspace rule test events (Apache-2.0, copied to `fixtures/panther`);
//! - the combined-format lines of crowdsec's nginx test log and fail2ban's SOGo log
//!   (read from `../shared/fixtures`, skipped when absent).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mailcase_model::{Action, Event, Outcome};
use mailcase_sources::{Format, read_file, sniff_file};
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/fixtures/<sub>` when present; `None` (saying so) when not.
fn shared(sub: &str) -> Option<PathBuf> {
    let dir = workspace().join("../shared/fixtures").join(sub);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

/// Events and warnings (record, message) of a file read as `format`.
fn read(path: &Path, format: Format) -> (Vec<Event>, Vec<(u64, String)>) {
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    read_file(path, format, 1, |batch| {
        events.extend(batch.events);
        warnings.extend(batch.warnings.into_iter().map(|w| (w.record, w.message)));
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (events, warnings)
}

/// The event name of an activity's first event, as the raw record holds it.
fn event_name(e: &Event) -> String {
    let raw: Value = serde_json::from_str(e.raw.as_str()).expect("raw is JSON");
    let events = &raw["events"];
    let first = if events.is_array() { &events[0] } else { events };
    first["name"].as_str().or(raw["name"].as_str()).unwrap_or("").trim().to_string()
}

/// Expected action name and outcome per event name, for the events the module maps;
/// every other event name must give `other`.
fn expected(name: &str) -> (&'static str, Option<&'static str>) {
    match name {
        "login_success" | "login_challenge" | "login_verification" => ("sign_in", None),
        "login_failure" => ("sign_in", Some("failure")),
        n if n.starts_with("account_disabled") => ("account_disabled", Some("success")),
        "authorize" => ("app_consent", Some("success")),
        "2sv_enroll" => ("mfa_method_added", Some("success")),
        "2sv_disable" => ("mfa_method_removed", Some("success")),
        "email_forwarding_out_of_domain" => ("forwarding_set", Some("success")),
        "CREATE_USER" => ("account_created", Some("success")),
        "CHANGE_EMAIL_SETTING" => ("mailbox_settings_changed", Some("success")),
        "CREATE_GMAIL_SETTING" | "CHANGE_GMAIL_SETTING" | "DELETE_GMAIL_SETTING" => {
            ("transport_rule_changed", Some("success"))
        }
        _ => ("other", Some("unknown")),
    }
}

fn check_expected(events: &[Event], origin: &str) -> BTreeMap<&'static str, usize> {
    let mut tally = BTreeMap::new();
    for e in events {
        let name = event_name(e);
        let (action, outcome) = expected(&name);
        assert_eq!(e.action.name(), action, "{origin} record {}: {name}", e.evidence.record);
        if let Some(outcome) = outcome {
            assert_eq!(e.outcome.as_str(), outcome, "{origin} record {}: {name}", e.evidence.record);
        }
        *tally.entry(action).or_default() += 1;
    }
    tally
}

#[test]
fn elastic_google_workspace_inputs() {
    let Some(dir) = shared("elastic_integrations/google_workspace") else { return };
    let mut all = Vec::new();
    for sub in ["admin/test-admin-gmail.log", "login/test-login.log", "token/test-token.log"] {
        let path = dir.join(sub);
        assert_eq!(sniff_file(&path).unwrap(), Some(Format::GoogleWorkspaceJson), "{sub}");
        let (events, warnings) = read(&path, Format::GoogleWorkspaceJson);
        assert!(warnings.is_empty(), "{sub}: {warnings:?}");
        let lines = std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(events.len(), lines, "{sub}");
        all.extend(events);
    }
    let tally = check_expected(&all, "elastic");
    assert_eq!(tally.get("sign_in"), Some(&6), "{tally:?}");
    assert_eq!(tally.get("account_disabled"), Some(&5), "{tally:?}");

    let failure = all.iter().find(|e| event_name(e) == "login_failure").unwrap();
    assert_eq!(failure.outcome.code(), Some("login_failure_access_code_disallowed"));
    assert_eq!(failure.account.as_ref().map(|a| a.as_str()), Some("foo@bar.com"));
    assert_eq!(failure.client.ip, "67.43.156.13".parse().ok());
    assert_eq!(failure.time.to_rfc3339(), "2020-10-02T15:00:00+00:00");

    let hijacked = all.iter().find(|e| event_name(e) == "account_disabled_hijacked").unwrap();
    assert_eq!(hijacked.account.as_ref().map(|a| a.as_str()), Some("foo@elastic.co"));
    assert_eq!(hijacked.actor.as_deref(), Some("foo@bar.com"));

    let consent = all.iter().find(|e| event_name(e) == "authorize").unwrap();
    let Action::AppConsent(c) = &consent.action else { unreachable!() };
    assert_eq!(c.app_name.as_deref(), Some("Gmail Add-on"));
    assert_eq!(c.app_id.as_deref(), Some("923474483785-sqf6uk8vq1rqe853il0g2h4m98ji2fq6.apps.googleusercontent.com"));
    assert_eq!(c.scopes.len(), 5);
    assert_eq!(consent.time.to_rfc3339(), "2023-01-01T06:24:42.442+00:00");

    let second_factor = all.iter().rfind(|e| event_name(e) == "login_verification").unwrap();
    let Action::SignIn(s) = &second_factor.action else { unreachable!() };
    assert_eq!(s.mfa, Some(true));
    assert_eq!(second_factor.outcome, Outcome::Success);
    assert_eq!(second_factor.account.as_ref().map(|a| a.as_str()), Some("tl.zeous.daclitan@company.com"));
}

#[test]
fn panther_google_workspace_events() {
    let dir = workspace().join("fixtures/panther");
    let mut all = Vec::new();
    for file in ["gsuite_activityevent.jsonl", "gsuite_reports.jsonl"] {
        let path = dir.join(file);
        assert_eq!(sniff_file(&path).unwrap(), Some(Format::GoogleWorkspaceJson), "{file}");
        let (events, warnings) = read(&path, Format::GoogleWorkspaceJson);
        // Test events without `id.time` take the file's time: none is refused.
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
        let lines = std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(events.len(), lines, "{file}");
        all.extend(events);
    }
    let tally = check_expected(&all, "panther");
    for action in ["forwarding_set", "mfa_method_removed", "app_consent", "account_created", "sign_in"] {
        assert!(tally.contains_key(action), "no {action}: {tally:?}");
    }
    let forwarding = all.iter().find(|e| event_name(e) == "email_forwarding_out_of_domain").unwrap();
    let Action::Forwarding(f) = &forwarding.action else { unreachable!() };
    assert!(f.target.as_deref().is_some_and(|t| t.ends_with("@gmail.com")), "{f:?}");
    let flattened_time = all.iter().find(|e| event_name(e) == "CREATE_GMAIL_SETTING").unwrap();
    assert_eq!(flattened_time.time.to_rfc3339(), "2022-12-11T00:50:03.493+00:00");
}

#[test]
fn api_page_with_items_is_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.json");
    let page = r#"{"kind":"admin#reports#activities","etag":"\"x\"","items":[
 {"kind":"admin#reports#activity","id":{"time":"2024-05-01T10:00:00Z","applicationName":"login"},"actor":{"email":"a@example.com"},"events":[{"type":"login","name":"login_success"}]},
 {"kind":"admin#reports#activity","id":{"time":"2024-05-01T10:01:00Z","applicationName":"token"},"actor":{"email":"a@example.com"},"events":[{"type":"auth","name":"authorize","parameters":[{"name":"app_name","value":"x"}]}]}
],"nextPageToken":"abc"}"#;
    std::fs::write(&path, page).unwrap();
    assert_eq!(sniff_file(&path).unwrap(), Some(Format::GoogleWorkspaceJson));
    let (events, warnings) = read(&path, Format::GoogleWorkspaceJson);
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = events.iter().map(|e| e.action.name()).collect();
    assert_eq!(names, ["sign_in", "app_consent"]);
    assert_eq!(events[1].evidence.record, 2);
}

#[test]
fn crowdsec_nginx_access_lines() {
    let Some(dir) = shared("crowdsec_hub/tests/nginx-mail-logs") else { return };
    let (events, warnings) = read(&dir.join("nginx-mail-logs.log"), Format::WebProxyCombined);
    assert!(warnings.is_empty(), "{warnings:?}");
    // The nginx error-log lines of the file are not access lines: only the two are.
    let got: Vec<(String, String, Option<u16>, String)> = events
        .iter()
        .map(|e| {
            let Action::WebRequest(w) = &e.action else { unreachable!() };
            (e.client.ip.map(|i| i.to_string()).unwrap_or_default(), w.url.clone(), w.status, e.time.to_rfc3339())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("174.233.1.144".to_string(), "/".to_string(), Some(403), "2022-04-02T15:11:53+00:00".to_string()),
            ("34.77.162.21".to_string(), "/".to_string(), Some(403), "2022-04-05T02:45:57+00:00".to_string()),
        ]
    );
    assert!(events[1].client.user_agent.as_deref().is_some_and(|u| u.starts_with("Expanse")));
}

#[test]
fn fail2ban_sogo_access_lines() {
    let Some(dir) = shared("fail2ban/logs") else { return };
    let (events, warnings) = read(&dir.join("sogo-auth"), Format::WebProxyCombined);
    assert!(warnings.is_empty(), "{warnings:?}");
    let times: Vec<String> = events.iter().map(|e| e.time.format("%H:%M:%S").to_string()).collect();
    assert_eq!(times, ["08:58:32", "08:58:40", "08:58:50", "08:58:59"]);
    for e in &events {
        let Action::WebRequest(w) = &e.action else { unreachable!() };
        assert_eq!((w.method.as_deref(), w.url.as_str(), w.status), (Some("POST"), "/SOGo/connect", Some(403)));
        assert_eq!(e.client.ip, "173.194.44.31".parse().ok());
        assert_eq!(e.outcome.code(), Some("403"));
    }
}
