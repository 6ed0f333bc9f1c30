//! Tests of the detection sections: verdicts, findings, indicators, the header line
//! and the JSON versions.

use super::{EVIL, sample, utc};
use crate::*;

const IMG: &str = "<img src=x onerror=alert(1)>";

fn tr(lang: Lang, en: &str, fr: &str) -> String {
    match lang {
        Lang::En => en.into(),
        Lang::Fr => fr.into(),
    }
}

fn ioc(kind: &str, value: &str) -> IndicatorRef {
    IndicatorRef { kind: kind.into(), value: value.into() }
}

/// Verdicts of the sample case, in no particular order (the report sorts them).
pub(super) fn verdicts(lang: Lang) -> Vec<VerdictItem> {
    let verdict = |account: &str, level: &str, reasons: Vec<String>, ids: Vec<i64>| VerdictItem {
        account: account.into(),
        level: level.into(),
        reasons,
        finding_ids: ids,
    };
    vec![
        verdict("dave@contoso.fr", "no_evidence", vec![], vec![]),
        verdict("bob@contoso.fr", "suspicious", vec![tr(lang,
            "Suspicious: findings that a person must check; no proof of compromise.",
            "Suspect : des constats à vérifier par une personne ; pas de preuve de compromission.")], vec![12]),
        verdict("alice@contoso.fr", "compromised", vec![
            tr(lang, "Compromised: at least one finding proves access by someone else on its own.",
                "Compromis : au moins un constat prouve à lui seul un accès par un tiers."),
            tr(lang, "Mail forwarded outside after a suspicious sign-in (2023-09-20 04:10 UTC).",
                "Courrier transféré à l'extérieur après une connexion suspecte (20/09/2023 04:10 UTC)."),
        ], vec![20, 11, 7]),
        verdict("erin@contoso.fr", "no_evidence", vec![], vec![]),
        verdict("carol@contoso.fr", "suspicious", vec![tr(lang,
            "Suspicious for policy reasons only: a mail aggregator holds the password; not an attacker.",
            "Suspect pour des raisons de politique seulement : un agrégateur de courrier détient le mot de passe ; pas un attaquant.")], vec![3]),
    ]
}

#[allow(clippy::too_many_arguments)]
fn finding(id: i64, rule: &str, title: String, severity: &str, confidence: &str, account: &str,
    first: chrono::DateTime<chrono::Utc>, last: chrono::DateTime<chrono::Utc>) -> FindingItem {
    FindingItem {
        id,
        rule_id: rule.into(),
        title,
        explanation: String::new(),
        severity: severity.into(),
        confidence: confidence.into(),
        account: Some(account.into()),
        other_accounts: vec![],
        first,
        last,
        event_count: 1,
        attack: vec![],
        qualification: vec![],
        indicators: vec![],
    }
}

/// Findings of the sample case, in no particular order (the report sorts them).
pub(super) fn findings(lang: Lang) -> Vec<FindingItem> {
    let t = |en: &str, fr: &str| tr(lang, en, fr);
    let mut new_country = finding(7, "mc-new-country", t("Sign-in from a new country", "Connexion depuis un nouveau pays"),
        "medium", "medium", "alice@contoso.fr", utc(2023, 9, 19, 22, 10, 0), utc(2023, 9, 20, 3, 55, 0));
    new_country.event_count = 12;
    new_country.attack = vec!["T1078.004".into()];
    new_country.qualification = vec!["2.c".into()];
    new_country.indicators = vec![ioc("ip", "203.0.113.7"), ioc("asn", "64500")];
    new_country.explanation = t("First sign-in from Nigeria (NG) in 90 days of history.\nThe account usually signs in from France.",
        "Première connexion depuis le Nigeria (NG) en 90 jours d'historique.\nLe compte se connecte d'habitude depuis la France.");
    let mut rule = finding(11, "mc-inbox-rule-hides-mail", format!("{} {EVIL}", t("Inbox rule hides mail", "Une règle de boîte cache du courrier")),
        "high", "high", "alice@contoso.fr", utc(2023, 9, 20, 4, 5, 3), utc(2023, 9, 20, 4, 5, 3));
    rule.attack = vec!["T1564.008".into()];
    rule.qualification = vec!["2.a".into()];
    rule.indicators = vec![ioc("rule_name", &format!(".{EVIL}")), ioc("ip", "203.0.113.7")];
    rule.explanation = t("The rule moves mail from the bank to RSS Feeds and marks it read.",
        "La règle déplace le courrier de la banque vers Flux RSS et le marque comme lu.");
    let mut spray = finding(12, "mc-password-spray", t("Password spray", "Pulvérisation de mots de passe"),
        "medium", "high", "bob@contoso.fr", utc(2023, 9, 18, 1, 0, 0), utc(2023, 9, 18, 1, 40, 0));
    spray.other_accounts = vec!["carol@contoso.fr".into(), "dave@contoso.fr".into()];
    spray.event_count = 240;
    spray.attack = vec!["T1110.003".into()];
    spray.indicators = vec![ioc("ip", "198.51.100.23"), ioc("user_agent", "python-requests/2.31.0")];
    let mut aggregator = finding(3, "mc-imap-aggregator", t("Mail aggregator signs in with IMAP", "Un agrégateur de courrier se connecte en IMAP"),
        "low", "high", "carol@contoso.fr", utc(2023, 9, 1, 0, 0, 0), utc(2023, 9, 20, 0, 0, 0));
    aggregator.event_count = 1_480;
    let mut forward = finding(20, "mc-forwarding-after-suspicious-sign-in",
        t("Mail forwarded outside after a suspicious sign-in", "Courrier transféré à l'extérieur après une connexion suspecte"),
        "critical", "high", "alice@contoso.fr", utc(2023, 9, 20, 4, 10, 0), utc(2023, 9, 20, 4, 10, 30));
    forward.event_count = 2;
    forward.attack = vec!["T1114.003".into()];
    forward.qualification = vec!["2.b".into(), "2.c".into()];
    forward.indicators = vec![ioc("forwarding_address", "x@evil.example"), ioc("ip", "203.0.113.7")];
    vec![new_country, rule, spray, aggregator, forward]
}

/// Indicators of the sample case.
pub(super) fn indicators() -> Vec<IndicatorItem> {
    let item = |kind: &str, value: &str, first: Option<(u32, u32)>, ids: Vec<i64>| IndicatorItem {
        kind: kind.into(),
        value: value.into(),
        first_seen: first.map(|(d, h)| utc(2023, 9, d, h, 0, 0)),
        last_seen: first.map(|(d, h)| utc(2023, 9, d, h + 1, 0, 0)),
        finding_ids: ids,
    };
    vec![
        item("user_agent", "python-requests/2.31.0", Some((18, 1)), vec![12]),
        item("ip", "203.0.113.7", Some((19, 22)), vec![7, 11, 20]),
        item("forwarding_address", "x@evil.example", Some((20, 4)), vec![20]),
        item("ip", "198.51.100.23", Some((18, 1)), vec![12]),
        item("rule_name", &format!(".{EVIL}"), None, vec![11]),
        item("asn", "64500", Some((19, 22)), vec![7]),
    ]
}

/// The part of `html` from the section `id` to the next section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\">")).unwrap();
    let rest = &html[start..];
    let end = rest.find("</section>").unwrap();
    &rest[..end]
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle} not found"))
}

#[test]
fn hostile_detection_text_is_escaped_and_neutralised() {
    let evil = format!("{IMG}\u{202E}gpj.exe");
    let mut data = sample(Lang::En);
    let f = &mut data.findings[0];
    f.title = evil.clone();
    f.explanation = evil.clone();
    f.rule_id = evil.clone();
    f.account = Some(evil.clone());
    f.attack = vec![evil.clone()];
    f.indicators[0] = ioc(&evil, &evil);
    data.verdicts[1].reasons = vec![evil.clone()];
    data.verdicts[1].account = evil.clone();
    data.verdicts[1].level = evil.clone();
    data.indicators[0].value = evil.clone();
    data.indicators[0].kind = evil.clone();
    let html = render_html(&data).unwrap();
    assert!(!html.contains("<img"));
    assert!(!html.contains('\u{202E}'));
    let shown = "&lt;img src=x onerror=alert(1)&gt;[U+202E]gpj.exe";
    // Finding title (twice: card and verdict link), explanation, rule, account, ATT&CK,
    // indicator kind and value, reason, verdict account and level, table kind and value.
    assert!(html.matches(shown).count() >= 12, "{}", html.matches(shown).count());
    assert!(!html.contains("verdict-&lt;"), "an unknown level must not become a class");
}

#[test]
fn verdicts_come_first_worst_first_and_no_evidence_is_only_counted() {
    let html = render_html(&sample(Lang::En)).unwrap();
    assert!(position(&html, "<section id=\"verdicts\">") < position(&html, "<section id=\"evidence\">"));
    let verdicts = section(&html, "verdicts");
    let alice = position(verdicts, "verdict-compromised");
    let bob = position(verdicts, "bob@contoso.fr");
    let carol = position(verdicts, "carol@contoso.fr");
    assert!(alice < bob && bob < carol, "compromised first, then suspicious by account");
    assert_eq!(verdicts.matches("<div class=\"verdict verdict-suspicious\">").count(), 2);
    assert!(!verdicts.contains("dave@contoso.fr"));
    assert!(verdicts.contains("Accounts with no evidence of compromise (not listed): <strong>2</strong>"));
    assert!(verdicts.contains("<span class=\"level\">Compromised</span>"));
}

#[test]
fn findings_are_sorted_by_severity_then_time() {
    let html = render_html(&sample(Lang::En)).unwrap();
    let anchors: Vec<usize> = [20, 11, 12, 7, 3]
        .iter()
        .map(|id| position(&html, &format!("id=\"finding-{id}\"")))
        .collect();
    assert!(anchors.windows(2).all(|w| w[0] < w[1]), "{anchors:?}");
}

#[test]
fn every_finding_link_has_its_anchor_once() {
    let mut data = sample(Lang::En);
    data.verdicts[2].finding_ids.push(99);
    // Two findings with one id: only the first gets the anchor, so ids stay unique.
    let mut twin = data.findings[3].clone();
    twin.title = "Twin".into();
    data.findings.push(twin);
    let html = render_html(&data).unwrap();
    let mut linked = 0;
    for part in html.split("href=\"#finding-").skip(1) {
        let id = part.split('"').next().unwrap();
        assert_eq!(html.matches(&format!("id=\"finding-{id}\"")).count(), 1, "finding {id}");
        linked += 1;
    }
    // Verdicts link to 5 findings, indicators to 8.
    assert_eq!(linked, 13);
    assert!(!html.contains("href=\"#finding-99\""));
    assert!(html.contains("Finding 99 (not in this report)"));
}

#[test]
fn finding_details_are_shown_in_the_case_zone() {
    let html = render_html(&sample(Lang::Fr)).unwrap().replace("&#x2f;", "/");
    let findings = section(&html, "findings");
    // 04:05:03 UTC is 06:05:03 in Paris in September.
    assert!(findings.contains("<time class=\"nowrap\" datetime=\"2023-09-20T04:05:03Z\">20/09/2023 06:05:03</time>"));
    assert!(findings.contains("<span class=\"sev sev-critical\">Critique</span>"));
    assert!(findings.contains("1\u{202F}480"));
    assert!(findings.contains("T1564.008"));
    assert!(findings.contains("2.b, 2.c"));
    assert!(findings.contains("<span class=\"muted\">Adresse de transfert</span> <code>x@evil.example</code>"));
    assert!(findings.contains("carol@contoso.fr, dave@contoso.fr"));
    assert!(findings.contains("Le compte se connecte"), "explanation kept");
}

#[test]
fn indicators_are_grouped_by_kind_then_time() {
    let html = render_html(&sample(Lang::En)).unwrap();
    let table = section(&html, "indicators");
    let order = ["198.51.100.23", "203.0.113.7", "64500", "python-requests"];
    let spots: Vec<usize> = order.iter().map(|v| position(table, v)).collect();
    assert!(spots.windows(2).all(|w| w[0] < w[1]), "{spots:?}");
    assert!(position(table, "Inbox rule name") < position(table, "Forwarding address"));
    assert!(table.contains("<a href=\"#finding-7\">7</a>, <a href=\"#finding-11\">11</a>, <a href=\"#finding-20\">20</a>"));
}

#[test]
fn header_states_detection_and_counts() {
    let html = render_html(&sample(Lang::En)).unwrap();
    assert!(html.contains("<dt>Detection</dt><dd>142 rules, 5 findings (3 rules not supported, skipped) · finished"));
    assert!(html.contains("<li class=\"bad\"><strong>1</strong> compromised accounts</li>"));
    assert!(html.contains("<strong>5</strong> findings</li>"));
    let fr = render_html(&sample(Lang::Fr)).unwrap();
    assert!(fr.contains("<dt>Détection</dt><dd>142 règles, 5 constats"));
    assert!(fr.contains("<strong>1</strong> comptes compromis</li>"));
}

#[test]
fn sections_say_when_detection_has_not_run() {
    for (lang, note) in [
        (Lang::En, "Detection has not run on this case"),
        (Lang::Fr, "La détection n&#x27;a pas été lancée sur ce dossier"),
    ] {
        let mut data = sample(lang);
        data.detection = None;
        let html = render_html(&data).unwrap();
        assert_eq!(html.matches(note).count(), 3, "{lang:?}");
        assert!(!html.contains("id=\"finding-"));
        assert!(!html.contains("class=\"bad\""));
    }
}

#[test]
fn detection_with_nothing_found_says_so() {
    let mut data = sample(Lang::En);
    data.verdicts.retain(|v| v.level == "no_evidence");
    data.findings.clear();
    data.indicators.clear();
    let html = render_html(&data).unwrap();
    assert!(html.contains("No account is compromised or suspicious according to detection."));
    assert!(html.contains("Detection found nothing."));
    assert!(html.contains("No indicator."));
    assert!(html.contains("<li><strong>0</strong> compromised accounts</li>"));
}

#[test]
fn detection_labels_follow_the_language() {
    let fr = render_html(&sample(Lang::Fr)).unwrap();
    let en = render_html(&sample(Lang::En)).unwrap();
    for label in ["Verdicts par compte", "Indicateurs de l&#x27;attaquant", "<span class=\"level\">Suspect</span>"] {
        assert!(fr.contains(label), "{label}");
    }
    for label in ["Verdicts per account", "Attacker indicators", "<span class=\"level\">Suspicious</span>"] {
        assert!(en.contains(label), "{label}");
        assert!(!fr.contains(label), "{label} in French report");
    }
}

#[test]
fn json_carries_detection_and_totals() {
    let text = render_json(&sample(Lang::En)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format_version"], 2);
    assert_eq!(value["totals"]["findings"], 5);
    assert_eq!(value["totals"]["indicators"], 6);
    assert_eq!(value["totals"]["compromised_accounts"], 1);
    assert_eq!(value["totals"]["suspicious_accounts"], 2);
    assert_eq!(value["detection"]["finished_at"], "2023-09-21T07:45:00Z");
    assert_eq!(value["findings"][1]["title"], format!("Inbox rule hides mail {EVIL}"));
}

#[test]
fn json_version_1_still_parses_with_detection_empty() {
    let mut value: serde_json::Value = serde_json::from_str(&render_json(&sample(Lang::Fr)).unwrap()).unwrap();
    let doc = value.as_object_mut().unwrap();
    for key in ["verdicts", "findings", "indicators", "detection"] {
        doc.remove(key);
    }
    let totals = doc["totals"].as_object_mut().unwrap();
    for key in ["findings", "indicators", "compromised_accounts", "suspicious_accounts"] {
        totals.remove(key);
    }
    doc.insert("format_version".into(), 1.into());
    let parsed = parse_json(&value.to_string()).unwrap();
    let expected = ReportData {
        verdicts: vec![],
        findings: vec![],
        indicators: vec![],
        detection: None,
        ..sample(Lang::Fr)
    };
    assert_eq!(parsed, expected);
    let html = render_html(&parsed).unwrap();
    assert_eq!(html.matches("La détection n&#x27;a pas été lancée").count(), 3);
}

#[test]
fn json_of_a_future_version_is_refused() {
    for version in ["0", "3"] {
        let text = render_json(&sample(Lang::En))
            .unwrap()
            .replace("\"format_version\": 2", &format!("\"format_version\": {version}"));
        let err = parse_json(&text).unwrap_err();
        assert!(matches!(err, ReportError::UnsupportedJson { .. }), "{version}: {err}");
    }
}
