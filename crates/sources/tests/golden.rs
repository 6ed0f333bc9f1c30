//! Golden corpus: every input under `tests/golden/<format-id>/` (and `malformed/`, whose
//! format is sniffed) is read, and the result as pretty JSON is compared with
//! `<input>.expected.json`. `MAILCASE_BLESS=1 cargo test -p mailcase-sources --test golden`
//! rewrites the expected files: review the diff before keeping it.

use std::path::{Path, PathBuf};

use mailcase_sources::{Format, read_file, sniff_file};
use serde_json::json;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads `path` and renders everything the caller would see.
fn render(path: &Path, format: Option<Format>) -> serde_json::Value {
    let sniffed = sniff_file(path).expect("sniff");
    let Some(format) = format.or(sniffed) else {
        return json!({ "sniffed": null });
    };
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    let result = read_file(path, format, 1, |batch| {
        events.extend(batch.events);
        warnings.extend(batch.warnings.into_iter().map(|w| json!({ "record": w.record, "message": w.message })));
        Ok(())
    });
    let (summary, error) = match result {
        Ok(s) => (json!({ "records": s.records, "events": s.events, "warnings": s.warnings }), None),
        Err(e) => (json!(null), Some(e.to_string().replace(&*crate_dir().to_string_lossy(), "$CRATE"))),
    };
    json!({
        "sniffed": sniffed.map(Format::id),
        "format": format.id(),
        "error": error,
        "summary": summary,
        "warnings": warnings,
        "events": events,
    })
}

fn check(input: &Path, expected: &Path, format: Option<Format>, failures: &mut Vec<String>) {
    let got = serde_json::to_string_pretty(&render(input, format)).expect("json") + "\n";
    if std::env::var_os("MAILCASE_BLESS").is_some() {
        std::fs::write(expected, &got).expect("bless");
        return;
    }
    match std::fs::read_to_string(expected) {
        Ok(want) if want == got => {}
        Ok(_) => failures.push(format!("{} differs from {}", input.display(), expected.display())),
        Err(_) => failures.push(format!("{} has no {}", input.display(), expected.display())),
    }
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && !p.to_string_lossy().ends_with(".expected.json"));
    files.sort();
    files
}

fn expected_for(input: &Path) -> PathBuf {
    PathBuf::from(format!("{}.expected.json", input.display()))
}

#[test]
fn golden_corpus() {
    let root = crate_dir().join("tests/golden");
    let mut failures = Vec::new();
    let mut seen = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root).expect("golden dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let format = match name {
            "malformed" | "otrf" => None,
            id => Some(Format::from_id(id).unwrap_or_else(|| panic!("unknown format directory {id}"))),
        };
        if name == "otrf" {
            continue;
        }
        for input in inputs(dir) {
            if let Some(f) = format {
                assert_eq!(sniff_file(&input).expect("sniff"), Some(f), "sniffing {}", input.display());
            }
            check(&input, &expected_for(&input), format, &mut failures);
            seen += 1;
        }
    }
    // Public data copied into the repository's fixtures (MIT, see fixtures/README.md).
    let fixtures = crate_dir().join("../../fixtures/otrf");
    let input = fixtures.join("OfficeActivityEvents.json");
    assert_eq!(sniff_file(&input).expect("sniff"), Some(Format::UalSentinel));
    check(&input, &root.join("otrf/OfficeActivityEvents.json.expected.json"), None, &mut failures);
    seen += 1;
    assert!(seen >= 10, "only {seen} golden inputs found");
    assert!(failures.is_empty(), "golden mismatches (run with MAILCASE_BLESS=1 and review):\n{}", failures.join("\n"));
}

/// Elastic's o365 fixtures may only be read from the shared folder (Elastic License).
#[test]
fn elastic_o365_fixtures() {
    let dir = crate_dir().join("../../../shared/fixtures/elastic_integrations/o365_audit");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent (Elastic-licensed data is not copied into the repository)", dir.display());
        return;
    }
    for input in inputs(&dir) {
        assert_eq!(sniff_file(&input).expect("sniff"), Some(Format::UalJson), "{}", input.display());
        let mut events = Vec::new();
        let summary = read_file(&input, Format::UalJson, 9, |b| {
            assert!(b.warnings.is_empty(), "{:?}", b.warnings);
            events.extend(b.events);
            Ok(())
        })
        .expect("read");
        assert!(summary.events > 0 && summary.events == summary.records, "{}: {summary:?}", input.display());
        for e in &events {
            assert!(e.account.is_some(), "{}: no account in {}", input.display(), e.raw.as_str());
        }
    }
    let sts = dir.join("test-azuread-sts-logon-events.first3.ndjson");
    let mut first = None;
    read_file(&sts, Format::UalJson, 9, |b| {
        first = first.take().or(b.events.into_iter().next());
        Ok(())
    })
    .expect("read");
    let first = first.expect("an event");
    assert_eq!(first.action.name(), "sign_in");
    assert_eq!(first.client.ip, Some("67.43.156.15".parse().expect("ip")));
    assert_eq!(first.evidence.record, 1);
}

#[test]
fn huge_line_and_garbage_do_not_stop_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.jsonl");
    let good = r#"{"CreationTime":"2024-01-01T00:00:00","RecordType":2,"Operation":"Send","UserId":"a@b.c"}"#;
    let mut text = format!("{good}\n{{\"Subject\":\"");
    text.push_str(&"A".repeat(20 * 1024 * 1024));
    text.push_str("\"}\n\u{0}\u{1}\u{2}garbage\n");
    text.push_str(good);
    text.push('\n');
    std::fs::write(&path, text).expect("write");
    let mut warnings = Vec::new();
    let mut records = Vec::new();
    let summary = read_file(&path, Format::UalJson, 2, |b| {
        warnings.extend(b.warnings);
        records.extend(b.events.iter().map(|e| e.evidence.record));
        Ok(())
    })
    .expect("read");
    assert_eq!(records, vec![1, 4]);
    assert_eq!(summary.records, 4);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].record, 2);
    assert!(warnings[0].message.contains("16 MiB"), "{}", warnings[0].message);
    assert_eq!(warnings[1].record, 3);
}

#[test]
fn sink_errors_stop_reading_and_name_the_file() {
    let input = crate_dir().join("tests/golden/ual_json/array_pretty.json");
    let err = read_file(&input, Format::UalJson, 1, |_| Err("disk full".into())).expect_err("must fail");
    let text = err.to_string();
    assert!(text.contains("array_pretty.json") && text.contains("disk full"), "{text}");
}

#[test]
fn binary_files_are_unreadable() {
    let input = crate_dir().join("tests/golden/malformed/binary_garbage.bin");
    let err = read_file(&input, Format::UalJson, 1, |_| Ok(())).expect_err("binary");
    assert!(err.to_string().contains("binary"), "{err}");
}

/// Malformed input generated here (not committed: it is 20 MiB): a CSV row whose quote
/// never closes. Reading must stop within the record limit with a warning naming the
/// row, keeping the rows before it, and without an error for the file.
#[test]
fn unclosed_csv_quote_followed_by_megabytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("unclosed.csv");
    let mut text = String::from("Received,SenderAddress,RecipientAddress,Subject\n");
    text.push_str("2024-03-04T08:05:00Z,a@x.fr,b@y.fr,ok\n");
    text.push_str("2024-03-04T08:06:00Z,a@x.fr,b@y.fr,\"never closed\n");
    let filler = "2024-03-04T08:07:00Z,a@x.fr,b@y.fr,swallowed\n";
    text.push_str(&filler.repeat(20 * 1024 * 1024 / filler.len()));
    std::fs::write(&path, text).expect("write");
    assert_eq!(sniff_file(&path).expect("sniff"), Some(Format::MessageTraceCsv));
    let mut warnings = Vec::new();
    let mut records = Vec::new();
    let summary = read_file(&path, Format::MessageTraceCsv, 2, |b| {
        warnings.extend(b.warnings);
        records.extend(b.events.iter().map(|e| e.evidence.record));
        Ok(())
    })
    .expect("read");
    assert_eq!(records, vec![2]);
    assert_eq!(summary.records, 2);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].record, 3);
    assert!(warnings[0].message.contains("unclosed quote"), "{}", warnings[0].message);
}
