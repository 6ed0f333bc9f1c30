//! The public SigmaHQ cloud rules, loaded unchanged from `../shared/fixtures` (Detection
//! Rule License: read there, never copied here), then run over real public events.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use mailcase_detect::sigma::{ProblemKind, RuleSet, to_findings};
use mailcase_model::{Action, Event, EvidenceRef, RawRecord, SourceKind};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn public_rules() -> Option<PathBuf> {
    let dir = workspace().join("../shared/fixtures/sigmahq_cloud/rules");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent (public SigmaHQ rules are read from there)", dir.display());
        None
    }
}

/// Rule folders whose logsource is about evidence mailcase does not read.
const OUT_OF_SCOPE: [&str; 3] =
    ["azure/activity_logs", "azure/privileged_identity_management", "windows/msexchange"];

fn load() -> Option<(RuleSet, Vec<mailcase_detect::sigma::LoadProblem>, PathBuf)> {
    let dir = public_rules()?;
    let (set, problems) = RuleSet::load_dirs(&[dir.as_path()]);
    Some((set, problems, dir))
}

#[test]
fn every_in_scope_public_rule_loads() {
    let Some((set, problems, dir)) = load() else { return };
    let mut grouped: BTreeMap<String, usize> = BTreeMap::new();
    for p in &problems {
        *grouped.entry(p.reason.clone()).or_default() += 1;
    }
    println!("{} loaded, {} unsupported", set.rules().len(), problems.len());
    for (reason, n) in &grouped {
        println!("  {n:3} × {reason}");
    }
    let unexpected: Vec<String> = problems
        .iter()
        .filter(|p| {
            let rel = p.path.strip_prefix(&dir).unwrap_or(&p.path).to_string_lossy().replace('\\', "/");
            !OUT_OF_SCOPE.iter().any(|d| rel.starts_with(d)) || p.kind != ProblemKind::UnsupportedLogsource
        })
        .map(|p| p.to_string())
        .collect();
    assert!(unexpected.is_empty(), "m365 / azure / gworkspace rules that did not load:\n{}", unexpected.join("\n"));
    // 159 files: 35 activity logs, 7 PIM and 7 Exchange on-premises rules are out of scope.
    assert_eq!(set.rules().len(), 159 - 35 - 7 - 7);
    assert!(problems.iter().all(|p| !p.reason.contains("would not compile")), "{problems:?}");
}

/// Events from a JSON-lines file, as a source module would leave them for Sigma (the
/// raw record is what public rules read).
fn events(path: &Path, source: SourceKind, evidence: i64) -> Vec<Event> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let at = Utc.with_ymd_and_hms(2025, 1, 15, 0, 0, 0).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let evidence = EvidenceRef { evidence, record: i as u64 + 1 };
            let action = Action::Other { operation: "x".into() };
            let mut e = Event::new(evidence, at, source, action, RawRecord(line.to_string()));
            e.time = at + chrono::Duration::minutes(i as i64);
            e
        })
        .collect()
}

#[test]
fn public_rules_run_over_real_events() {
    let Some((set, _, _)) = load() else { return };
    let fixtures = workspace().join("fixtures");
    let inputs = [
        ("panther/entra_signin.jsonl", SourceKind::EntraSignIn),
        ("panther/entra_audit.jsonl", SourceKind::EntraAudit),
        ("otrf/AADAuditEvents.json", SourceKind::EntraAudit),
        ("otrf/OfficeActivityEvents.json", SourceKind::M365Ual),
    ];
    let mut matcher = set.matcher();
    let mut hits = Vec::new();
    let mut fired = Vec::new();
    for (n, (file, source)) in inputs.iter().enumerate() {
        let evs = events(&fixtures.join(file), *source, n as i64 + 1);
        assert!(!evs.is_empty(), "{file} has no events");
        for e in &evs {
            let m = matcher.matches(e);
            for h in &m {
                println!("{file} record {}: {}", e.evidence.record, set.rules()[h.rule].title);
            }
            fired.extend(matcher.feed_correlations(e, &m));
            hits.extend(m);
        }
    }
    let titles: Vec<&str> = hits.iter().map(|h| set.rules()[h.rule].title.as_str()).collect();
    println!("{} matches", hits.len());
    // The Panther device-code and ROPC / legacy-auth test events are what these public
    // rules are about.
    assert!(!hits.is_empty(), "no public rule matched the public events");
    let findings = to_findings(&set, &hits, &fired);
    assert!(findings.iter().all(|f| !f.events.is_empty() && f.first <= f.last));
    assert!(!titles.is_empty());
}

#[test]
fn hostile_events_do_not_stop_the_public_rules() {
    let Some((set, _, _)) = load() else { return };
    let at = Utc.with_ymd_and_hms(2025, 1, 15, 0, 0, 0).unwrap();
    let deep = format!("{}{}", "{\"a\":".repeat(100), "1".to_string() + &"}".repeat(100));
    let raws = ["", "not json", "[]", "null", "{\"properties\":\"{broken\"}", deep.as_str(),
        "{\"Parameters\":[{\"Name\":null,\"Value\":{}}],\"ResultType\":[[],{}]}"];
    let mut m = set.matcher();
    for (i, raw) in raws.iter().enumerate() {
        for source in [SourceKind::M365Ual, SourceKind::EntraSignIn, SourceKind::EntraAudit, SourceKind::GoogleWorkspace] {
            let evidence = EvidenceRef { evidence: 9, record: i as u64 };
            let action = Action::Other { operation: "x".into() };
            let e = Event::new(evidence, at, source, action, RawRecord(raw.to_string()));
            let hits = m.matches(&e);
            m.feed_correlations(&e, &hits);
        }
    }
}
