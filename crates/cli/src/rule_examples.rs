//! `mailcase rules test`: each rule file carries its own examples (`tests: {positive,
//! negative}`), real export records or log lines; they are read by the real parsers and
//! matched by the rule, so a rule is checked on what an investigation would see.
//!
//! An example is `{source, raw, mailcase?}` (a JSON record), `{source, raw_line,
//! format?}` (a text log line; the format is sniffed unless named by its id), or
//! `{sequence: [...]}` of those for correlations. The pack's own test
//! (`crates/detect/tests/rule_pack.rs`) reads the same shape.

use std::path::Path;

use mailcase_detect::sigma::RuleSet;
use mailcase_model::Event;
use mailcase_sources::{Format, read_file, sniff_file};
use serde_json::Value;

/// The outcome of one example.
pub struct ExampleResult {
    /// Where the rule file is.
    pub origin: String,
    /// The rule's name or id.
    pub rule: String,
    /// `positive` or `negative`.
    pub kind: &'static str,
    /// Index in its list.
    pub index: usize,
    /// `None` when the example behaves as it should, else why not.
    pub failure: Option<String>,
}

/// Runs the examples of one rule file.
pub fn run_file(origin: &str, yaml: &str) -> Vec<ExampleResult> {
    let (set, problems) = RuleSet::load_str(yaml, origin);
    let mut out: Vec<ExampleResult> = problems
        .iter()
        .map(|p| ExampleResult {
            origin: origin.to_owned(),
            rule: p.rule_id.clone().unwrap_or_default(),
            kind: "load",
            index: 0,
            failure: Some(p.reason.clone()),
        })
        .collect();
    for (id, tests) in tests_of(yaml) {
        let Some(rule) = set.rules().iter().position(|r| r.id == id) else { continue };
        let name = set.rules()[rule].name.clone().unwrap_or_else(|| id.clone());
        for (kind, expect) in [("positive", true), ("negative", false)] {
            let items = tests.get(kind).and_then(Value::as_array).cloned().unwrap_or_default();
            for (index, item) in items.iter().enumerate() {
                let failure = match events(item) {
                    Err(e) => Some(format!("bad example: {e}")),
                    Ok(events) if fires(&set, rule, &events) != expect => Some(
                        if expect { "the rule does not match it" } else { "the rule matches it" }.to_owned(),
                    ),
                    Ok(_) => None,
                };
                out.push(ExampleResult { origin: origin.to_owned(), rule: name.clone(), kind, index, failure });
            }
        }
    }
    out
}

/// The `tests` of every rule document, keyed by rule id.
fn tests_of(yaml: &str) -> Vec<(String, Value)> {
    let Ok(collection) = rsigma_parser::parse_sigma_yaml(yaml) else { return Vec::new() };
    let rules = collection.rules.iter().map(|r| (r.id.clone(), r.custom_attributes.get("tests")));
    let corrs = collection.correlations.iter().map(|c| (c.id.clone(), c.custom_attributes.get("tests")));
    rules
        .chain(corrs)
        .filter_map(|(id, tests)| Some((id?, serde_json::to_value(tests?).ok()?)))
        .collect()
}

fn fires(set: &RuleSet, rule: usize, events: &[Event]) -> bool {
    let mut m = set.matcher();
    let mut hit = false;
    for e in events {
        let single = m.matches(e);
        hit |= single.iter().any(|h| h.rule == rule);
        hit |= m.feed_correlations(e, &single).iter().any(|c| c.rule == rule);
    }
    hit
}

fn events(item: &Value) -> Result<Vec<Event>, String> {
    let items: Vec<&Value> = match item.get("sequence").and_then(Value::as_array) {
        Some(seq) => seq.iter().collect(),
        None => vec![item],
    };
    let mut out = Vec::new();
    for (n, it) in items.into_iter().enumerate() {
        let source = it.get("source").and_then(Value::as_str).ok_or("example without `source`")?;
        let forced = match it.get("format").and_then(Value::as_str) {
            Some(id) => Some(Format::from_id(id).ok_or_else(|| format!("unknown format {id}"))?),
            None => None,
        };
        let text = match (it.get("raw_line").and_then(Value::as_str), it.get("raw")) {
            (Some(line), _) => line.to_owned(),
            (None, Some(raw)) => serde_json::to_string(raw).map_err(|e| e.to_string())?,
            (None, None) => return Err("example without `raw` or `raw_line`".into()),
        };
        let event = parse(&text, forced, n as i64 + 1)?;
        if event.source.as_str() != source {
            return Err(format!("read as {} rather than {source}", event.source));
        }
        out.push(event);
    }
    Ok(out)
}

/// One record or line, written to a file and read as an export would be.
fn parse(text: &str, forced: Option<Format>, evidence: i64) -> Result<Event, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("example.log");
    std::fs::write(&path, format!("{text}\n")).map_err(|e| e.to_string())?;
    let format = match forced {
        Some(f) => f,
        None => sniff_file(&path).map_err(|e| e.to_string())?.ok_or("format not recognised")?,
    };
    read_one(&path, format, evidence)
}

fn read_one(path: &Path, format: Format, evidence: i64) -> Result<Event, String> {
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    read_file(path, format, evidence, |batch| {
        events.extend(batch.events);
        warnings.extend(batch.warnings.into_iter().map(|w| w.message));
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    events.pop().ok_or_else(|| format!("no event ({}): {warnings:?}", format.id()))
}
