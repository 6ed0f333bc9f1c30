//! End-to-end tests: run the `mailcase` binary as a user would, on generated sample
//! evidence and on the public fixtures, and check what the user sees.
//!
//! One test binary for the whole CLI (linking once is what costs on small machines).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// A temporary directory and helpers to run the binary in it.
struct Harness {
    dir: tempfile::TempDir,
}

impl Harness {
    fn new() -> Self {
        Harness { dir: tempfile::tempdir().expect("temp dir") }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn case(&self) -> PathBuf {
        self.path("case")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mailcase"));
        c.current_dir(self.dir.path())
            .env_remove("MAILCASE_CASE")
            .env_remove("MAILCASE_GEOIP_DIR")
            .env("XDG_DATA_HOME", self.path("xdg"))
            .env("LANG", "en_US.UTF-8")
            .env("MAILCASE_AUTHOR", "tester");
        c
    }

    /// Runs with these arguments; panics with the output when the exit code differs.
    fn run(&self, args: &[&str], expect_code: i32) -> Output {
        let out = self.cmd().args(args).output().expect("run mailcase");
        assert_eq!(
            out.status.code(),
            Some(expect_code),
            "mailcase {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.run(args, 0).stdout).expect("utf-8 stdout")
    }

    fn json(&self, args: &[&str]) -> Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{text}"))
    }

    fn query(&self, sql: &str) -> Vec<Value> {
        let case = self.case();
        let v = self.json(&["query", "--case", case.to_str().unwrap(), "--format", "json", sql]);
        v.as_array().expect("array").clone()
    }

    fn scalar(&self, sql: &str) -> i64 {
        let rows = self.query(sql);
        let row = rows.first().and_then(Value::as_object).expect("one row");
        row.values().next().and_then(Value::as_i64).expect("a number")
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_fixtures() -> Option<PathBuf> {
    let p = workspace().join("../shared/fixtures");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/fixtures is absent");
        None
    }
}

fn geoip_test_dir() -> PathBuf {
    workspace().join("fixtures/geo")
}

/// Sample evidence generated once for the whole test binary.
fn sample_evidence() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("evidence");
        let status = Command::new(env!("CARGO_BIN_EXE_mailcase"))
            .args(["--quiet", "sample", "generate", "--out", out.to_str().unwrap(), "--seed", "7", "--users", "12", "--days", "10"])
            .status()
            .expect("run sample generate");
        assert!(status.success());
        (dir, out)
    });
    path
}

/// The accounts of `accounts --format json` output with this verdict.
fn accounts_judged<'v>(verdicts: &'v Value, verdict: &str) -> Vec<&'v str> {
    verdicts
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter(|v| v["verdict"] == verdict)
        .filter_map(|v| v["account"].as_str())
        .collect()
}

fn ground_truth() -> Value {
    let text = std::fs::read_to_string(sample_evidence().join("ground-truth.json")).expect("ground truth");
    serde_json::from_str(&text).expect("ground truth JSON")
}

fn investigate_sample(h: &Harness) -> String {
    let case = h.case();
    let ev = sample_evidence();
    h.ok(&[
        "--quiet",
        "investigate",
        "--case",
        case.to_str().unwrap(),
        "--org-domain",
        "hopital-exemple.fr",
        "--geoip-dir",
        geoip_test_dir().to_str().unwrap(),
        ev.to_str().unwrap(),
    ])
}

#[test]
fn investigate_imports_every_sample_file_and_reports() {
    let h = Harness::new();
    let out = investigate_sample(&h);
    assert!(out.contains("Summary"), "{out}");
    assert!(!out.contains("not recognised") || out.contains("ground-truth.json"), "{out}");
    let case = h.case();
    // Every export was recognised and parsed into events.
    let evidence = h.json(&["evidence", "list", "--case", case.to_str().unwrap(), "--format", "json"]);
    let rows = evidence.as_array().unwrap();
    for row in rows {
        let name = row["original_path"].as_str().unwrap();
        if name.ends_with("ground-truth.json") {
            continue;
        }
        assert_eq!(row["status"], "complete", "{row}");
        assert!(row["events"].as_u64().unwrap() > 0, "no events from {name}: {row}");
        assert_eq!(row["sha256"].as_str().unwrap().len(), 64);
    }
    assert!(h.scalar("SELECT count(*) FROM events") > 100);
    assert!(case.join("reports/report.html").is_file());
    assert!(case.join("reports/report.json").is_file());
    // The attacker's rule from the story is in the case, with its name.
    let truth = ground_truth();
    let rule = truth["rule_name"].as_str().or_else(|| truth["attacker"]["rule_name"].as_str());
    if let Some(rule) = rule {
        let n = h.scalar(&format!(
            "SELECT count(*) FROM events WHERE action = 'inbox_rule_created' AND json_extract(details, '$.name') = '{}'",
            rule.replace('\'', "''")
        ));
        assert!(n >= 1, "rule {rule} not found");
    }
}

#[test]
fn reimport_is_a_no_op_and_says_so() {
    let h = Harness::new();
    investigate_sample(&h);
    let before = h.scalar("SELECT count(*) FROM events");
    let out = investigate_sample(&h);
    assert!(out.contains("already imported"), "{out}");
    assert_eq!(h.scalar("SELECT count(*) FROM events"), before);
}

#[test]
fn events_filter_by_account_in_any_case() {
    let h = Harness::new();
    investigate_sample(&h);
    let account: String = h.query("SELECT account FROM events WHERE account IS NOT NULL GROUP BY account ORDER BY count(*) DESC LIMIT 1")[0]
        ["account"]
        .as_str()
        .unwrap()
        .to_owned();
    let case = h.case();
    let upper = account.to_uppercase();
    let v = h.json(&["events", "--case", case.to_str().unwrap(), "--account", &upper, "--format", "json", "--limit", "50"]);
    let events = v.as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["account"] == account.as_str()));
    // The documented fields are there.
    for field in ["id", "time", "source", "evidence_id", "account", "action", "outcome", "ip", "country", "asn", "raw"] {
        assert!(events[0].get(field).is_some(), "missing {field}");
    }
    let csv = h.ok(&["events", "--case", case.to_str().unwrap(), "--account", &account, "--format", "csv", "--limit", "5"]);
    assert!(csv.lines().next().unwrap().starts_with("id,time,"), "{csv}");
    let table = h.ok(&["events", "--case", case.to_str().unwrap(), "--account", &account, "--limit", "5"]);
    assert!(table.contains(&account));
}

#[test]
fn query_is_read_only() {
    let h = Harness::new();
    investigate_sample(&h);
    let case = h.case();
    for sql in ["DELETE FROM events", "DROP TABLE events", "UPDATE journal SET text = 'x'", "ATTACH DATABASE 'x.db' AS x"] {
        let out = h.run(&["query", "--case", case.to_str().unwrap(), sql], 2);
        assert!(!out.stderr.is_empty());
    }
    assert!(h.scalar("SELECT count(*) FROM events") > 0);
}

#[test]
fn journal_add_strike_show_and_verify() {
    let h = Harness::new();
    investigate_sample(&h);
    let case = h.case();
    let c = case.to_str().unwrap();
    h.ok(&["journal", "add", "--case", c, "--at", "2026-11-20 14:35", "--tz", "Europe/Paris", "--concerns", "pc-042,debra@x.fr", "User called the helpdesk"]);
    let entries = h.json(&["journal", "show", "--case", c, "--format", "json"]);
    let last = entries.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["text"], "User called the helpdesk");
    assert_eq!(last["occurred_at"], "2026-11-20T13:35:00Z");
    assert_eq!(last["author"], "tester");
    let seq = last["seq"].as_i64().unwrap();
    h.ok(&["journal", "strike", "--case", c, &seq.to_string(), "--reason", "wrong day"]);
    let entries = h.json(&["journal", "show", "--case", c, "--format", "json"]);
    let struck = entries.as_array().unwrap().iter().find(|e| e["seq"] == seq).unwrap();
    assert!(struck["struck_by"].as_i64().is_some(), "{struck}");
    assert_eq!(struck["text"], "User called the helpdesk", "struck entries stay readable");
    let out = h.ok(&["journal", "verify", "--case", c]);
    assert!(out.contains("verified"), "{out}");

    // An attacker with the database edits an entry behind the tool's back.
    let conn = rusqlite::Connection::open(case.join("case.sqlite")).unwrap();
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\"")).unwrap();
    }
    conn.execute("UPDATE journal SET text = 'nothing happened' WHERE seq = ?1", [seq]).unwrap();
    drop(conn);
    let out = h.run(&["journal", "verify", "--case", c], 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ALTERED"), "{text}");
    assert!(text.contains(&format!("entry {seq}")), "{text}");
}

#[test]
fn timeline_lists_notable_events_and_manual_entries_in_the_case_zone() {
    let h = Harness::new();
    investigate_sample(&h);
    let c = h.case();
    let c = c.to_str().unwrap();
    h.ok(&["timeline", "add", "--case", c, "--at", "2026-11-20 14:35", "--source", "user interview", "--action", "typed password on phishing page"]);
    let rows = h.json(&["timeline", "--case", c, "--format", "json"]);
    let rows = rows.as_array().unwrap();
    assert!(rows.iter().any(|r| r["action"].as_str().unwrap().contains("phishing page") && r["time_zone"] == "Europe/Paris"));
    assert!(rows.iter().any(|r| r["event_id"].is_string()), "notable events are in the timeline");
    let table = h.ok(&["timeline", "--case", c]);
    assert!(table.contains("+01:00") || table.contains("+02:00"), "{table}");
}

#[test]
fn messages_follow_the_language() {
    let h = Harness::new();
    let case = h.case();
    let ev = sample_evidence();
    let out = h.ok(&["--quiet", "--lang", "fr", "investigate", "--case", case.to_str().unwrap(), ev.join("message-trace.csv").to_str().unwrap()]);
    assert!(out.contains("Bilan"), "{out}");
    // The case remembers French.
    let out = h.ok(&["--quiet", "investigate", "--case", case.to_str().unwrap(), ev.join("message-trace.csv").to_str().unwrap()]);
    assert!(out.contains("déjà importé"), "{out}");
    let out = h.ok(&["--quiet", "--lang", "en", "investigate", "--case", case.to_str().unwrap(), ev.join("message-trace.csv").to_str().unwrap()]);
    assert!(out.contains("already imported"), "{out}");
}

#[test]
fn unrecognised_and_hostile_files_do_not_stop_the_import() {
    let h = Harness::new();
    let dir = h.path("mixed");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "just some notes\n").unwrap();
    std::fs::write(dir.join("garbage.bin"), [0u8, 159, 146, 150, 255, 0, 1, 2]).unwrap();
    std::fs::copy(sample_evidence().join("message-trace.csv"), dir.join("trace.csv")).unwrap();
    let case = h.case();
    let out = h.ok(&["--quiet", "investigate", "--case", case.to_str().unwrap(), dir.to_str().unwrap()]);
    assert!(out.contains("format not recognised"), "{out}");
    assert!(h.scalar("SELECT count(*) FROM events") > 0);
}

#[test]
fn an_interrupted_import_resumes_without_duplicates() {
    let h = Harness::new();
    investigate_sample(&h);
    let full = h.scalar("SELECT count(*) FROM events");
    // Simulate a kill in the middle of the biggest file: half its events are stored and
    // the file is still `importing`.
    let conn = rusqlite::Connection::open(h.case().join("case.sqlite")).unwrap();
    let id: i64 = conn.query_row("SELECT evidence_id FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    conn.execute("DELETE FROM finding_events WHERE event_id IN (SELECT id FROM events WHERE evidence_id = ?1 AND id % 2 = 0)", [id]).unwrap();
    conn.execute("DELETE FROM events WHERE evidence_id = ?1 AND id % 2 = 0", [id]).unwrap();
    conn.execute("UPDATE evidence SET status = 'importing' WHERE id = ?1", [id]).unwrap();
    drop(conn);
    let out = investigate_sample(&h);
    assert!(out.contains("resuming") || out.contains("did not finish"), "{out}");
    assert_eq!(h.scalar("SELECT count(*) FROM events"), full);
}

#[test]
fn killed_investigation_leaves_a_consistent_case_and_rerun_completes() {
    let h = Harness::new();
    let big = h.path("big");
    h.ok(&["--quiet", "sample", "generate", "--out", big.to_str().unwrap(), "--size", "40MB"]);
    let case = h.case();
    let mut child = h
        .cmd()
        .args(["--quiet", "investigate", "--case", case.to_str().unwrap(), big.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until events are being written (the database exists and grows), then kill.
    let db = case.join("case.sqlite");
    for _ in 0..600 {
        if std::fs::metadata(case.join("case.sqlite-wal")).map(|m| m.len() > 4_000_000).unwrap_or(false) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(db.exists());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    h.ok(&["--quiet", "investigate", "--case", case.to_str().unwrap(), big.to_str().unwrap()]);
    let after = h.scalar("SELECT count(*) FROM events");
    // A clean import of the same files gives the same count.
    let h2 = Harness::new();
    let case2 = h2.case();
    h2.ok(&["--quiet", "investigate", "--case", case2.to_str().unwrap(), big.to_str().unwrap()]);
    assert_eq!(h2.scalar("SELECT count(*) FROM events"), after);
    let out = h.ok(&["journal", "verify", "--case", case.to_str().unwrap()]);
    assert!(out.contains("verified"), "{out}");
}

#[test]
fn public_microsoft_exports_are_read() {
    let Some(shared) = shared_fixtures() else { return };
    let h = Harness::new();
    let case = h.case();
    let inputs = [
        "elastic_integrations/o365_audit",
        "elastic_integrations/azure_signinlogs",
        "elastic_integrations/azure_auditlogs",
        "elastic_integrations/microsoft_exchange_online_message_trace",
        "otrf_security_datasets/OfficeActivityEvents.json",
        "otrf_security_datasets/AADAuditEvents.json",
    ];
    let mut args: Vec<String> = ["--quiet", "investigate", "--case", case.to_str().unwrap()].iter().map(|s| s.to_string()).collect();
    args.extend(inputs.iter().map(|i| shared.join(i).to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    h.ok(&args);
    let sources: Vec<String> = h
        .query("SELECT DISTINCT source FROM events ORDER BY 1")
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_owned())
        .collect();
    for s in ["entra_audit", "entra_signin", "exo_message_trace", "m365_ual"] {
        assert!(sources.iter().any(|x| x == s), "no {s} events: {sources:?}");
    }
    // The Azure Monitor sign-in fixture's first record: test@elastic.co from 81.2.69.144.
    let n = h.scalar("SELECT count(*) FROM events WHERE source = 'entra_signin' AND account = 'test@elastic.co' AND ip = '81.2.69.144'");
    assert!(n >= 1);
}

#[test]
fn geoip_lookup_uses_the_given_databases() {
    let h = Harness::new();
    let v = h.json(&["geoip", "lookup", "--geoip-dir", geoip_test_dir().to_str().unwrap(), "--format", "json", "81.2.69.142", "10.1.2.3"]);
    assert_eq!(v[0]["country"], "GB");
    assert_eq!(v[1]["net_class"], "private");
}

/// A GeoIP directory built from the real ip-location-db tarballs in ../shared, once.
fn real_geoip() -> Option<&'static Path> {
    static DIR: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    DIR.get_or_init(|| {
        let shared = shared_fixtures()?.join("geo");
        let dir = tempfile::tempdir().expect("temp dir");
        let src = dir.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        for entry in std::fs::read_dir(&shared).ok()?.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tgz") {
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                let out = src.join(name);
                std::fs::create_dir_all(&out).unwrap();
                let ok = Command::new("tar").arg("-xzf").arg(&path).arg("-C").arg(&out).status().ok()?.success();
                assert!(ok, "cannot extract {}", path.display());
            }
        }
        let out = dir.path().join("geoip");
        let status = Command::new(env!("CARGO_BIN_EXE_mailcase"))
            .args(["geoip", "import", src.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .status()
            .ok()?;
        assert!(status.success());
        Some((dir, out))
    })
    .as_ref()
    .map(|(_, p)| p.as_path())
}

#[test]
fn the_sample_story_is_found_and_nobody_else_is_called_compromised() {
    let Some(geoip) = real_geoip() else { return };
    let h = Harness::new();
    let case = h.case();
    let ev = h.path("ev");
    h.ok(&["--quiet", "sample", "generate", "--out", ev.to_str().unwrap(), "--seed", "42"]);
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(ev.join("ground-truth.json")).unwrap()).unwrap();
    std::fs::remove_file(ev.join("ground-truth.json")).unwrap();
    let out = h.ok(&[
        "--quiet", "investigate", "--case", case.to_str().unwrap(), "--org-domain", "hopital-exemple.fr",
        "--geoip-dir", geoip.to_str().unwrap(), ev.to_str().unwrap(),
    ]);
    assert!(out.contains("COMPROMISED"), "{out}");
    let verdicts = h.json(&["accounts", "--case", case.to_str().unwrap(), "--format", "json"]);
    let compromised = accounts_judged(&verdicts, "compromised");
    let victims: Vec<&str> = truth["victims"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(compromised, victims, "exactly the victims are compromised");
    // The aggregator user is flagged for policy, not as compromised.
    let aggregator = truth["aggregator"]["upn"].as_str().unwrap();
    assert!(verdicts.as_array().unwrap().iter().any(|v| v["account"] == aggregator && v["verdict"] == "suspicious"));
    // The findings of the victim include the foreign sign-in and the hiding rule.
    let findings = h.json(&["findings", "--case", case.to_str().unwrap(), "--account", victims[0], "--format", "json"]);
    let rules: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap()).collect();
    assert!(rules.iter().any(|r| r.starts_with("mc-rule-")), "{rules:?}");
    assert!(rules.iter().any(|r| *r == "mc-new-country" || *r == "mc-aitm-sign-in"), "{rules:?}");
    // The attacker's addresses are indicators; pivoting on one finds the victim.
    let indicators = h.json(&["indicators", "--case", case.to_str().unwrap(), "--format", "json"]);
    let replay_ip = truth["attacker"]["ips"][1]["ip"].as_str().unwrap();
    assert!(indicators.as_array().unwrap().iter().any(|i| i["value"] == replay_ip), "{indicators}");
    let pivot = h.json(&["pivot", "--case", case.to_str().unwrap(), "--ip", replay_ip, "--format", "json"]);
    assert!(pivot.as_array().unwrap().iter().any(|r| r["account"] == victims[0]));
    // The public SigmaHQ rules run as written beside the pack; alone they never make an
    // account compromised.
    if let Some(shared) = shared_fixtures() {
        let sigmahq = shared.join("sigmahq_cloud/rules");
        h.ok(&["--quiet", "hunt", "--case", case.to_str().unwrap(), "--rules", sigmahq.to_str().unwrap()]);
        let verdicts = h.json(&["accounts", "--case", case.to_str().unwrap(), "--format", "json"]);
        let again = accounts_judged(&verdicts, "compromised");
        assert_eq!(again, victims, "public rules do not add compromised accounts");
    }
    // The report has the verdicts.
    let html = std::fs::read_to_string(case.join("reports/report.html")).unwrap();
    assert!(html.contains(&victims[0].replace('/', "&#x2f;")) || html.contains(victims[0]));
}

/// The Dovecot/Postfix university: the brute-forced account is `compromised` (the
/// brute force then success, followed by the spam run through authenticated submission,
/// counted without subjects), the myMail user is an aggregator (policy) and nobody else
/// is called compromised.
#[test]
fn the_dovecot_sample_tells_the_attacker_from_the_aggregator() {
    let Some(geoip) = real_geoip() else { return };
    let h = Harness::new();
    let case = h.case();
    let ev = h.path("ev");
    h.ok(&["--quiet", "sample", "generate", "--platform", "dovecot", "--out", ev.to_str().unwrap(), "--seed", "42"]);
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(ev.join("ground-truth.json")).unwrap()).unwrap();
    std::fs::remove_file(ev.join("ground-truth.json")).unwrap();
    h.ok(&[
        "--quiet", "investigate", "--case", case.to_str().unwrap(), "--org-domain", "univ-exemple.fr",
        "--geoip-dir", geoip.to_str().unwrap(), ev.to_str().unwrap(),
    ]);
    let verdicts = h.json(&["accounts", "--case", case.to_str().unwrap(), "--format", "json"]);
    let verdict = |account: &str| {
        verdicts.as_array().unwrap().iter().find(|v| v["account"] == account).map(|v| v["verdict"].as_str().unwrap().to_owned())
    };
    let victim = truth["victims"][0].as_str().unwrap();
    assert_eq!(verdict(victim).as_deref(), Some("compromised"), "{verdicts}");
    let findings = h.json(&["findings", "--case", case.to_str().unwrap(), "--account", victim, "--format", "json"]);
    let rules: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap()).collect();
    assert!(rules.contains(&"mc-brute-force-success"), "{rules:?}");
    assert!(rules.contains(&"mc-hosting-asn") || rules.contains(&"mc-new-country"), "{rules:?}");
    assert!(rules.contains(&"mc-mass-submission"), "{rules:?}");
    assert!(!rules.contains(&"mc-legacy-protocol"), "IMAP is the platform's own protocol: {rules:?}");
    let aggregator = truth["aggregator"]["upn"].as_str().unwrap();
    assert_eq!(verdict(aggregator).as_deref(), Some("suspicious"));
    let agg_findings = h.json(&["findings", "--case", case.to_str().unwrap(), "--account", aggregator, "--format", "json"]);
    let agg_rules: Vec<&str> = agg_findings.as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap()).collect();
    assert!(agg_rules.contains(&"mc-imap-aggregator"), "{agg_rules:?}");
    assert!(!agg_rules.iter().any(|r| ["mc-new-country", "mc-impossible-travel", "mc-brute-force-success"].contains(r)), "{agg_rules:?}");
    let compromised = accounts_judged(&verdicts, "compromised");
    assert_eq!(compromised, [victim], "exactly the victim is compromised");
    // The attacker's address is an indicator, the aggregator's are not.
    let indicators = h.json(&["indicators", "--case", case.to_str().unwrap(), "--format", "json"]);
    let attacker_ip = truth["attacker"]["ips"][0]["ip"].as_str().unwrap();
    assert!(indicators.as_array().unwrap().iter().any(|i| i["value"] == attacker_ip), "{indicators}");
    for ip in truth["aggregator"]["ips"].as_array().unwrap() {
        assert!(!indicators.as_array().unwrap().iter().any(|i| i["value"] == *ip), "{ip} in {indicators}");
    }
}

#[test]
fn rules_list_and_test_report_the_pack_and_user_rules() {
    let h = Harness::new();
    let list = h.json(&["rules", "list", "--format", "json"]);
    assert!(list.as_array().unwrap().iter().filter(|r| r["status"] == "loaded").count() >= 30);
    let out = h.ok(&["rules", "test"]);
    assert!(out.contains(" 0 failed"), "{out}");
    // A user rule whose positive example does not match fails the command, naming it.
    let dir = h.path("my-rules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("wrong.yml"),
        r#"title: Wrong example
id: 5b1f3d55-0f7e-4d7a-9a4e-3c1b1e0f0a01
name: my_wrong_rule
logsource: {product: m365}
detection:
  selection: {Operation: New-InboxRule}
  condition: selection
level: medium
tests:
  positive:
    - source: m365_ual
      raw: {"CreationTime": "2024-03-01T10:00:00", "Id": "1", "Operation": "Set-Mailbox", "RecordType": 1, "UserId": "a@b.fr", "Workload": "Exchange", "ResultStatus": "True"}
"#,
    )
    .unwrap();
    let out = h.run(&["rules", "test", "--rules", dir.to_str().unwrap()], 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("my_wrong_rule") && text.contains("FAIL"), "{text}");
}

#[test]
fn missing_evidence_creates_no_case() {
    let h = Harness::new();
    let case = h.case();
    let out = h.run(&["investigate", "--case", case.to_str().unwrap(), h.path("nothing-here.csv").to_str().unwrap()], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing-here.csv"));
    assert!(!case.exists(), "no case directory for evidence that does not exist");
}
