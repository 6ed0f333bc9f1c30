//! End-to-end checks of the generated files: formats, determinism, ground truth, size.

use mailcase_sample::{GroundTruth, SampleOptions, generate};
use serde_json::Value;
use std::path::Path;

fn small(seed: u64) -> SampleOptions {
    SampleOptions {
        seed,
        users: 12,
        days: 8,
        ..SampleOptions::default()
    }
}

fn run(opts: &SampleOptions) -> (tempfile::TempDir, GroundTruth) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let truth = generate(opts, dir.path()).unwrap_or_else(|e| panic!("generate: {e}"));
    (dir, truth)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn csv_rows(dir: &Path, name: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let header = r
        .headers()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = r
        .records()
        .map(|x| x.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    (header, rows)
}

/// Every UAL record of both files, as JSON.
fn ual_records(dir: &Path) -> Vec<Value> {
    let (_, rows) = csv_rows(dir, "ual-purview.csv");
    let mut out: Vec<Value> = rows
        .iter()
        .map(|r| {
            serde_json::from_str(r.get(5).unwrap_or(""))
                .unwrap_or_else(|e| panic!("AuditData: {e}"))
        })
        .collect();
    for line in read(dir, "ual-management-api.jsonl").lines() {
        out.push(serde_json::from_str(line).unwrap_or_else(|e| panic!("jsonl line: {e}: {line}")));
    }
    out
}

fn graph_values(dir: &Path, name: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(&read(dir, name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    v.get("value")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_else(|| panic!("{name}: no value array"))
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, _) = run(&small(5));
    let (b, _) = run(&small(5));
    let (c, _) = run(&small(6));
    for f in [
        "ual-purview.csv",
        "ual-management-api.jsonl",
        "entra-signins.json",
        "entra-audit.json",
        "message-trace.csv",
        "inbox-rules.csv",
        "ground-truth.json",
    ] {
        assert_eq!(
            read(a.path(), f),
            read(b.path(), f),
            "{f} differs between runs"
        );
    }
    assert_ne!(
        read(a.path(), "ual-purview.csv"),
        read(c.path(), "ual-purview.csv")
    );
}

#[test]
fn files_parse_in_their_formats() {
    let (dir, truth) = run(&small(1));
    let d = dir.path();
    let (h, rows) = csv_rows(d, "ual-purview.csv");
    assert_eq!(
        h,
        [
            "RecordId",
            "CreationDate",
            "RecordType",
            "Operation",
            "UserId",
            "AuditData",
            "AssociatedAdminUnits",
            "AssociatedAdminUnitsNames"
        ]
    );
    assert!(!rows.is_empty());
    for r in &rows {
        let date = r.get(1).unwrap_or("");
        assert!(date.ends_with(" AM") || date.ends_with(" PM"), "{date}");
        let audit: Value = serde_json::from_str(r.get(5).unwrap_or("")).unwrap_or(Value::Null);
        assert_eq!(
            audit["Id"].as_str(),
            r.get(0),
            "RecordId is the AuditData Id"
        );
        assert_eq!(audit["Operation"].as_str(), r.get(3));
        let ct = audit["CreationTime"].as_str().unwrap_or("");
        assert!(
            chrono::NaiveDateTime::parse_from_str(ct, "%Y-%m-%dT%H:%M:%S").is_ok(),
            "{ct}"
        );
    }
    let (h, rows) = csv_rows(d, "message-trace.csv");
    assert_eq!(
        h,
        [
            "Received",
            "SenderAddress",
            "RecipientAddress",
            "Subject",
            "Status",
            "ToIP",
            "FromIP",
            "Size",
            "MessageId",
            "MessageTraceId"
        ]
    );
    assert!(rows.len() > 50);
    let (h, rows) = csv_rows(d, "inbox-rules.csv");
    assert_eq!(h.first().map(String::as_str), Some("Name"));
    assert!(h.iter().any(|c| c == "MoveToFolder") && h.iter().any(|c| c == "MarkAsRead"));
    assert_eq!(rows.len(), 2);
    let signins = graph_values(d, "entra-signins.json");
    assert!(
        signins
            .iter()
            .all(|s| s["status"]["errorCode"].is_u64() && s["userPrincipalName"].is_string())
    );
    assert!(!graph_values(d, "entra-audit.json").is_empty());
    // Record counts in the ground truth match the files.
    let count = |f: &str| {
        truth
            .files
            .iter()
            .find(|c| c.file == f)
            .map_or(0, |c| c.records)
    };
    assert_eq!(count("entra-signins.json"), signins.len() as u64);
    assert_eq!(
        count("ual-purview.csv"),
        csv_rows(d, "ual-purview.csv").1.len() as u64
    );
}

#[test]
fn ground_truth_matches_the_evidence() {
    let (dir, truth) = run(&SampleOptions {
        users: 15,
        days: 10,
        ..SampleOptions::default()
    });
    let d = dir.path();
    let ual = ual_records(d);
    let rule = ual.iter().find(|r| {
        r["Operation"] == "New-InboxRule"
            && r["Parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["Name"] == "Name" && p["Value"] == truth.attacker.rule_name.as_str())
            })
    });
    let rule =
        rule.unwrap_or_else(|| panic!("no New-InboxRule named {}", truth.attacker.rule_name));
    let rule_ip = rule["ClientIP"].as_str().unwrap_or("");
    assert!(
        truth
            .attacker
            .ips
            .iter()
            .any(|i| rule_ip.starts_with(&i.ip)),
        "{rule_ip}"
    );
    assert_eq!(
        rule["UserId"].as_str(),
        truth.victims.first().map(String::as_str)
    );

    let signins = graph_values(d, "entra-signins.json");
    for ip in &truth.attacker.ips {
        assert!(
            signins.iter().any(|s| s["ipAddress"] == ip.ip.as_str()),
            "attacker IP {} not in sign-ins",
            ip.ip
        );
    }
    let aitm = signins
        .iter()
        .find(|s| s["ipAddress"] == truth.attacker.ips[0].ip.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(aitm["appId"], "4765445b-32c6-49b0-83e6-1d93765276ca");
    let spray_fail = signins
        .iter()
        .filter(|s| s["ipAddress"] == truth.spray.ip.as_str() && s["status"]["errorCode"] == 50126)
        .count();
    assert_eq!(spray_fail, truth.spray.targets.len() - 1);
    assert!(
        signins
            .iter()
            .any(|s| s["ipAddress"] == truth.spray.ip.as_str()
                && s["status"]["errorCode"] == 0
                && s["userPrincipalName"].as_str().map(str::to_lowercase)
                    == Some(truth.spray.success.clone()))
    );
    assert!(signins.iter().any(|s| {
        truth
            .aggregator
            .ips
            .iter()
            .any(|i| s["ipAddress"] == i.as_str())
            && s["clientAppUsed"] == "IMAP4"
    }));

    let trace = read(d, "message-trace.csv");
    assert!(trace.contains(&truth.attacker.phishing_sender));
    assert!(trace.contains(&truth.attacker.org_lookalike_domain));
    assert!(ual.iter().any(|r| r["Operation"] == "Send"
        && r["Item"]["Subject"] == truth.attacker.fraud_subject.as_str()));
    assert!(ual.iter().any(|r| r["Operation"] == "MailItemsAccessed"
        && r["OperationProperties"][0]["Value"] == "Sync"
        && r["UserId"].as_str() == truth.victims.first().map(String::as_str)));
    assert!(ual.iter().any(|r| r["Operation"] == "Remove-InboxRule"));
    let audits = read(d, "entra-audit.json");
    for act in [
        "Consent to application",
        "User registered security info",
        "Reset user password",
    ] {
        assert!(audits.contains(act), "{act}");
    }
    let k = &truth.key_times;
    assert!(
        k.phish_received < k.first_malicious_signin && k.first_malicious_signin < k.rule_created
    );
    assert!(k.rule_created < k.fraudulent_mail_sent && k.fraudulent_mail_sent < k.containment);
    let on_disk: Value = serde_json::from_str(&read(d, "ground-truth.json")).unwrap_or(Value::Null);
    assert_eq!(
        on_disk["attacker"]["rule_name"],
        truth.attacker.rule_name.as_str()
    );
}

#[test]
fn ual_files_do_not_share_records_and_vary_in_form() {
    let (dir, _) = run(&small(3));
    let ual = ual_records(dir.path());
    let mut ids: Vec<&str> = ual.iter().filter_map(|r| r["Id"].as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate UAL record ids");
    let ips: Vec<&str> = ual.iter().filter_map(|r| r["ClientIP"].as_str()).collect();
    assert!(
        ips.iter().any(|i| i.starts_with('[') && i.contains("]:")),
        "no [v6]:port ClientIP"
    );
    assert!(
        ips.iter().any(|i| i.matches(':').count() == 1),
        "no v4:port ClientIP"
    );
    assert!(ual.iter().any(|r| {
        r["UserId"]
            .as_str()
            .is_some_and(|u| u.chars().any(|c| c.is_ascii_uppercase()))
    }));
}

#[test]
fn target_bytes_is_reached_approximately() {
    let target = 6_000_000;
    let (dir, truth) = run(&SampleOptions {
        target_bytes: Some(target),
        ..small(9)
    });
    let total: u64 = std::fs::read_dir(dir.path())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    assert!(
        total >= target && total < target + target / 5,
        "total {total}"
    );
    assert!(
        truth
            .files
            .iter()
            .any(|f| f.file == "ual-management-api.jsonl" && f.bytes > target / 2)
    );
}

#[test]
fn bad_options_are_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for opts in [
        SampleOptions {
            users: 3,
            ..SampleOptions::default()
        },
        SampleOptions {
            days: 2,
            ..SampleOptions::default()
        },
        SampleOptions {
            org_domain: "a b\"c".into(),
            ..SampleOptions::default()
        },
    ] {
        assert!(generate(&opts, dir.path()).is_err());
    }
}

#[test]
fn benign_samples_carry_no_attack() {
    let dir = tempfile::tempdir().unwrap();
    let base = mailcase_sample::SampleOptions { users: 12, days: 10, ..Default::default() };
    let attacked = mailcase_sample::generate(&base, &dir.path().join("a")).unwrap();
    let benign_opts = mailcase_sample::SampleOptions { benign: true, ..base };
    let benign = mailcase_sample::generate(&benign_opts, &dir.path().join("b")).unwrap();
    let truth = serde_json::to_value(&benign).unwrap();
    assert_eq!(truth["victims"], serde_json::json!([]));
    let attacked = serde_json::to_value(&attacked).unwrap();
    let rule = attacked["attacker"]["rule_name"].as_str().unwrap().to_owned();
    let replay_ip = attacked["attacker"]["ips"][1]["ip"].as_str().unwrap().to_owned();
    for entry in std::fs::read_dir(dir.path().join("b")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "ground-truth.json" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&replay_ip), "{} has the attacker's address", path.display());
        assert!(!text.contains(&format!("\"{rule}\"")) && !text.contains(&format!(",{rule},")), "{} has the attacker's rule", path.display());
    }
}
