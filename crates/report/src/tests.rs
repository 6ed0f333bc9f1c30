//! Whole-report tests: rendering, escaping, languages, JSON, writing.

use chrono::{DateTime, TimeZone, Utc};

use crate::*;

mod detection;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().unwrap()
}

const EVIL: &str = "<script>alert(1)</script>";

/// A case with hostile text in every attacker-controlled field.
pub(crate) fn sample(lang: Lang) -> ReportData {
    ReportData {
        case_name: "CERT-2023-042 Contoso".into(),
        generated_at: utc(2023, 9, 21, 8, 0, 0),
        time_zone: "Europe/Paris".into(),
        lang,
        tool_version: "0.1.0".into(),
        org_domains: vec!["contoso.fr".into()],
        evidence: vec![EvidenceItem {
            id: 1,
            file_name: format!("ual{EVIL}.csv"),
            sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            size: 1_234_567,
            format: "Microsoft 365 Unified Audit Log (CSV)".into(),
            imported_at: utc(2023, 9, 21, 7, 30, 0),
            records: 5321,
            events: 5300,
            warnings: 21,
        }],
        accounts: vec![
            AccountSummary {
                account: "alice@contoso.fr".into(),
                events: 4000,
                signins_ok: 120,
                signins_failed: 37,
                countries: vec!["FR".into(), "NG".into()],
                first_seen: Some(utc(2023, 9, 1, 6, 0, 0)),
                last_seen: Some(utc(2023, 9, 20, 4, 5, 3)),
            },
            AccountSummary {
                account: "mallory\u{202E}rf.osotnoc@evil.example".into(),
                events: 3,
                signins_ok: 0,
                signins_failed: 0,
                countries: vec![],
                first_seen: None,
                last_seen: None,
            },
        ],
        signins_by_country: vec![
            CountRow {
                key: "FR".into(),
                label: "France".into(),
                signins_ok: 110,
                signins_failed: 2,
                accounts: vec!["alice@contoso.fr".into()],
            },
            CountRow {
                key: "NG".into(),
                label: "Nigeria".into(),
                signins_ok: 10,
                signins_failed: 35,
                accounts: vec!["alice@contoso.fr".into()],
            },
        ],
        signins_by_asn: vec![AsnRow {
            asn: 64500,
            org: format!("Bullet Hosting {EVIL}"),
            country: Some("NG".into()),
            signins_ok: 10,
            signins_failed: 35,
            accounts: vec!["alice@contoso.fr".into()],
        }],
        timeline: vec![
            TimelineItem {
                time: utc(2023, 9, 20, 4, 5, 3),
                source: "M365 UAL".into(),
                actor: Some("203.0.113.7".into()),
                account: Some("alice@contoso.fr".into()),
                action: format!("New-InboxRule {EVIL}"),
                comment: "Rule moves mail from the bank to RSS Feeds.\nSee http://evil.example/x".into(),
                event_id: Some("4398046511105".into()),
            },
            TimelineItem {
                time: utc(2023, 1, 10, 9, 0, 0),
                source: "Entra sign-in".into(),
                actor: None,
                account: Some("alice@contoso.fr".into()),
                action: "Sign-in from Nigeria".into(),
                comment: String::new(),
                event_id: None,
            },
        ],
        journal: vec![
            JournalItem {
                seq: 1,
                occurred_at: utc(2023, 9, 21, 7, 0, 0),
                recorded_at: utc(2023, 9, 21, 7, 1, 0),
                author: "analyst".into(),
                kind: "note".into(),
                text: "Compromise reported by the bank on 19/09.".into(),
                struck_by: Some(2),
                strike_reason: Some("Wrong date: the bank called on 20/09.".into()),
                hash: "aa11".into(),
            },
            JournalItem {
                seq: 2,
                occurred_at: utc(2023, 9, 21, 7, 2, 0),
                recorded_at: utc(2023, 9, 21, 7, 2, 0),
                author: "analyst".into(),
                kind: "strike".into(),
                text: "Strikes entry 1.".into(),
                struck_by: None,
                strike_reason: None,
                hash: "bb22".into(),
            },
        ],
        journal_verified: true,
        warnings_total: 21,
        geo_attribution: vec!["This product includes GeoLite2 data created by MaxMind.".into()],
        verdicts: detection::verdicts(lang),
        findings: detection::findings(lang),
        indicators: detection::indicators(),
        detection: Some(DetectionSummary {
            rules_loaded: 142,
            rules_unsupported: 3,
            findings: 5,
            finished_at: utc(2023, 9, 21, 7, 45, 0),
        }),
    }
}

fn empty(lang: Lang) -> ReportData {
    ReportData {
        evidence: vec![],
        accounts: vec![],
        signins_by_country: vec![],
        signins_by_asn: vec![],
        timeline: vec![],
        journal: vec![],
        geo_attribution: vec![],
        ..sample(lang)
    }
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let html = render_html(&sample(Lang::En)).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"), "escaped form missing");
    assert!(!html.to_lowercase().contains("<script"));
    // File name, timeline action and the ASN name in the SVG chart and table: all escaped.
    assert!(html.matches("&lt;script&gt;").count() >= 4);
}

#[test]
fn bidi_override_never_reaches_the_page() {
    let html = render_html(&sample(Lang::En)).unwrap();
    assert!(!html.contains('\u{202E}'));
    assert!(html.contains("mallory[U+202E]rf.osotnoc@evil.example"));
}

#[test]
fn report_loads_nothing_from_the_network() {
    let mut data = sample(Lang::Fr);
    data.timeline[0].comment = "no URL here".into();
    for lang in [Lang::Fr, Lang::En] {
        data.lang = lang;
        let html = render_html(&data).unwrap().to_lowercase();
        for needle in ["http://", "https://", "src=", "url(", "@import", "<script", "<link"] {
            assert!(!html.contains(needle), "{needle} found in {lang:?} report");
        }
    }
}

#[test]
fn url_in_evidence_is_text_not_a_link() {
    let html = render_html(&sample(Lang::En)).unwrap();
    assert!(html.contains("See http:&#x2f;&#x2f;evil.example&#x2f;x"));
    assert!(!html.contains("href=\"http"));
}

#[test]
fn each_language_renders_its_own_labels() {
    let fr = render_html(&sample(Lang::Fr)).unwrap();
    let en = render_html(&sample(Lang::En)).unwrap();
    assert!(fr.contains("<html lang=\"fr\">"));
    assert!(fr.contains("Chronologie de la compromission"));
    assert!(fr.contains("Éléments de preuve"));
    assert!(!fr.contains("Compromise timeline"));
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Compromise timeline"));
    assert!(en.contains("Incident log"));
    assert!(!en.contains("Main courante"));
}

#[test]
fn times_are_shown_in_the_case_zone_across_dst() {
    // minijinja escapes '/' as an entity; the browser shows it as '/'.
    let fr = render_html(&sample(Lang::Fr)).unwrap().replace("&#x2f;", "/");
    // 2023-09-20 04:05:03 UTC is 06:05:03 summer time in Paris.
    assert!(fr.contains("<time datetime=\"2023-09-20T04:05:03Z\">20/09/2023</time>"));
    assert!(fr.contains("<td class=\"nowrap\">06:05:03</td>"));
    // 2023-01-10 09:00 UTC is 10:00 winter time.
    assert!(fr.contains("<td class=\"nowrap\">10:00:00</td>\n<td class=\"nowrap off\">UTC+01:00</td>"));
    assert!(fr.contains("21/09/2023 10:00:00 (Europe/Paris, UTC+02:00)"));
    let en = render_html(&sample(Lang::En)).unwrap().replace("&#x2f;", "/");
    assert!(en.contains("2023-09-21 10:00:00 (Europe/Paris, UTC+02:00)"));
}

#[test]
fn timeline_is_in_time_order() {
    let html = render_html(&sample(Lang::En)).unwrap();
    let january = html.find("Sign-in from Nigeria").unwrap();
    let september = html.find("New-InboxRule").unwrap();
    assert!(january < september);
}

#[test]
fn struck_entry_stays_readable_with_its_reason() {
    let html = render_html(&sample(Lang::En)).unwrap();
    assert!(html.contains("<tr id=\"j1\" class=\"struck\">"));
    assert!(html.contains("<del class=\"pre\">Compromise reported by the bank on 19&#x2f;09.</del>"));
    assert!(html.contains("Struck by entry <a href=\"#j2\">#2</a>"));
    assert!(html.contains("Wrong date: the bank called on 20&#x2f;09."));
    assert!(!html.contains("<tr id=\"j2\" class=\"struck\">"));
}

#[test]
fn chain_status_is_stated_either_way() {
    let mut data = sample(Lang::En);
    assert!(render_html(&data).unwrap().contains("Hash chain verified"));
    data.journal_verified = false;
    let html = render_html(&data).unwrap();
    assert!(html.contains("Hash chain NOT verified"));
    assert!(html.contains("chain-bad"));
}

#[test]
fn evidence_hash_attribution_and_external_accounts_are_shown() {
    let html = render_html(&sample(Lang::Fr)).unwrap();
    assert!(html.contains("SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    assert!(html.contains("This product includes GeoLite2 data created by MaxMind."));
    assert_eq!(html.matches("<span class=\"badge\">externe</span>").count(), 1);
    assert!(html.contains("1\u{202F}234\u{202F}567"));
}

#[test]
fn empty_case_renders_with_no_data_notes() {
    for lang in [Lang::Fr, Lang::En] {
        let html = render_html(&empty(lang)).unwrap();
        let note = if lang == Lang::Fr { "Aucune donnée." } else { "No data." };
        assert!(html.matches(note).count() >= 5, "{lang:?}");
        assert!(!html.contains("<svg"));
    }
}

#[test]
fn unknown_time_zone_is_reported() {
    let mut data = sample(Lang::En);
    data.time_zone = "Europe/Atlantis".into();
    let err = render_html(&data).unwrap_err();
    assert!(matches!(err, ReportError::UnknownTimeZone { .. }));
}

#[test]
fn json_round_trips() {
    let data = sample(Lang::Fr);
    let text = render_json(&data).unwrap();
    assert_eq!(parse_json(&text).unwrap(), data);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], JSON_FORMAT);
    assert_eq!(value["format_version"], JSON_FORMAT_VERSION);
    assert_eq!(value["lang"], "fr");
    assert_eq!(value["totals"]["events"], 5300);
    assert_eq!(value["timeline"][0]["time"], "2023-09-20T04:05:03Z");
    assert!(value["accounts"][1]["first_seen"].is_null());
}

#[test]
fn json_of_another_format_is_refused() {
    let text = render_json(&sample(Lang::En)).unwrap().replace("\"mailcase-report\"", "\"other\"");
    assert!(matches!(parse_json(&text), Err(ReportError::UnsupportedJson { .. })));
}

#[test]
fn reports_are_written_and_replace_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join(HTML_FILE), "old").unwrap();
    let data = sample(Lang::En);
    let paths = write_reports(&data, &out).unwrap();
    assert_eq!(paths, vec![out.join(HTML_FILE), out.join(JSON_FILE)]);
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), render_html(&data).unwrap());
    assert_eq!(std::fs::read_to_string(&paths[1]).unwrap(), render_json(&data).unwrap());
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);
}

#[test]
fn failed_render_leaves_existing_reports_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(HTML_FILE), "previous").unwrap();
    let mut data = sample(Lang::En);
    data.time_zone = "Nowhere/Nothing".into();
    assert!(write_reports(&data, dir.path()).is_err());
    assert_eq!(std::fs::read_to_string(dir.path().join(HTML_FILE)).unwrap(), "previous");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn missing_directory_is_created_and_unwritable_target_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    assert_eq!(write_reports(&sample(Lang::Fr), &nested).unwrap().len(), 2);
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let err = write_reports(&sample(Lang::Fr), &file).unwrap_err();
    assert!(err.to_string().contains("plain-file"), "{err}");
}

/// Writes sample reports for a human to look at:
/// `REPORT_SAMPLE_DIR=/tmp cargo test -p mailcase-report -- --ignored write_sample`
#[test]
#[ignore = "writes files for manual review"]
fn write_sample() {
    let dir = std::env::var("REPORT_SAMPLE_DIR").unwrap_or_else(|_| "/tmp".into());
    for lang in [Lang::Fr, Lang::En] {
        let html = render_html(&sample(lang)).unwrap();
        let name = format!("report-sample-{}.html", lang.tag());
        std::fs::write(std::path::Path::new(&dir).join(name), html).unwrap();
    }
}

#[test]
fn any_character_in_any_text_field_renders_safely() {
    // Every code point of the first planes that matter (controls, Latin, bidi, specials).
    let nasty: String = (0u32..0x3000)
        .chain(0xFE00..0xFFFF)
        .filter_map(char::from_u32)
        .collect();
    let mut data = sample(Lang::Fr);
    data.case_name = nasty.clone();
    data.evidence[0].file_name = nasty.clone();
    data.accounts[0].account = nasty.clone();
    data.timeline[0].comment = nasty.clone();
    data.journal[0].text = nasty.clone();
    data.signins_by_asn[0].org = nasty.clone();
    data.findings[0].title = nasty.clone();
    data.findings[0].explanation = nasty.clone();
    data.findings[0].indicators[0].value = nasty.clone();
    data.verdicts[2].reasons[0] = nasty.clone();
    data.indicators[0].value = nasty.clone();
    data.indicators[0].kind = nasty;
    let html = render_html(&data).unwrap();
    let bad = html.chars().find(|&c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c));
    assert_eq!(bad, None);
    assert!(!html.contains("<script"));
}
