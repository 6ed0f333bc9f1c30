//! `mailcase findings`, `accounts`, `indicators`: what detection concluded.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Value, json};

use mailcase_case::{Case, FindingFilter, StoredFinding};
use mailcase_model::{Severity, VerdictLevel};

use crate::Ctx;
use crate::args::{AccountsArgs, FindingsArgs, Format, IndicatorsArgs, SeverityArg};
use crate::output::Listing;
use crate::times::utc;

const FINDING_COLUMNS: [&str; 16] = [
    "id", "severity", "confidence", "rule_id", "source", "title", "explanation", "account", "other_accounts", "first",
    "last", "event_count", "attack", "qualification", "indicators", "events",
];
const FINDING_TABLE: [&str; 7] = ["id", "severity", "account", "first", "title", "event_count", "rule_id"];

fn lang() -> &'static str {
    crate::i18n::lang().code()
}

fn last_run_or_hint(case: &Case) -> Result<bool> {
    if case.last_detection_run()?.is_none() {
        eprintln!("{}", t!("detection-not-run", case = case.dir().display().to_string()));
        return Ok(false);
    }
    Ok(true)
}

pub fn run(ctx: &Ctx, a: FindingsArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    last_run_or_hint(&case)?;
    let tz = crate::times::zone(&case.settings().time_zone)?;
    let filter = FindingFilter {
        account: a.account.map(|s| s.trim().to_lowercase()),
        min_severity: a.min_severity.map(severity),
        rule_id: a.rule,
        limit: None,
    };
    let findings = case.findings(&filter)?;
    let columns: &[&str] = if a.format == Format::Table { &FINDING_TABLE } else { &FINDING_COLUMNS };
    let mut listing = Listing::new(a.format, io::stdout().lock(), columns)?;
    for f in &findings {
        let mut object = finding_object(f);
        if a.format == Format::Table {
            object.insert("first".into(), json!(crate::times::show(f.finding.first, tz)));
        }
        if a.events && a.format != Format::Table {
            let ids: Vec<String> = case.finding_events(f.id)?.iter().map(|e| mailcase_model::EventId(e.id).to_string()).collect();
            object.insert("events".into(), json!(ids));
        }
        let values: Vec<Value> = columns.iter().map(|c| object.remove(*c).unwrap_or(Value::Null)).collect();
        listing.row(&values)?;
    }
    listing.finish()?;
    if a.events && a.format == Format::Table {
        for f in &findings {
            println!("\n#{} {}", f.id, crate::output::terminal_safe(f.finding.title.get(lang())));
            crate::cmd_events::print_rows(&case, &case.finding_events(f.id)?, Format::Table, tz)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Informational => Severity::Informational,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}

fn finding_object(f: &StoredFinding) -> serde_json::Map<String, Value> {
    let x = &f.finding;
    let mut o = serde_json::Map::new();
    o.insert("id".into(), json!(f.id));
    o.insert("severity".into(), json!(x.severity.as_str()));
    o.insert("confidence".into(), json!(x.confidence));
    o.insert("rule_id".into(), json!(x.rule_id));
    o.insert("source".into(), json!(x.source));
    o.insert("title".into(), json!(x.title.get(lang())));
    o.insert("explanation".into(), json!(x.explanation.get(lang())));
    o.insert("account".into(), x.account.as_ref().map_or(Value::Null, |a| json!(a.as_str())));
    o.insert("other_accounts".into(), json!(x.other_accounts));
    o.insert("first".into(), json!(utc(x.first)));
    o.insert("last".into(), json!(utc(x.last)));
    o.insert("event_count".into(), json!(f.event_count));
    o.insert("attack".into(), json!(x.attack));
    o.insert("qualification".into(), json!(x.qualification));
    o.insert("indicators".into(), json!(x.indicators));
    o
}

pub fn accounts(ctx: &Ctx, a: AccountsArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    last_run_or_hint(&case)?;
    let columns = ["account", "verdict", "reasons", "finding_ids"];
    let mut listing = Listing::new(a.format, io::stdout().lock(), &columns)?;
    for v in case.verdicts()? {
        if v.level == VerdictLevel::NoEvidence && !a.all {
            continue;
        }
        let reasons: Vec<&str> = v.reasons.iter().map(|r| r.get(lang())).collect();
        let reasons = if a.format == Format::Json { json!(reasons) } else { json!(reasons.join(" | ")) };
        listing.row(&[json!(v.account.as_str()), json!(verdict_label(v.level, a.format)), reasons, json!(v.finding_ids)])?;
    }
    listing.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Stable names for scripts, words for people.
fn verdict_label(level: VerdictLevel, format: Format) -> String {
    if format != Format::Table {
        return level.as_str().to_owned();
    }
    match level {
        VerdictLevel::Compromised => t!("verdict-compromised"),
        VerdictLevel::Suspicious => t!("verdict-suspicious"),
        VerdictLevel::NoEvidence => t!("verdict-no-evidence"),
    }
}

pub fn indicators(ctx: &Ctx, a: IndicatorsArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    last_run_or_hint(&case)?;
    let columns = ["kind", "value", "first_seen", "last_seen", "finding_ids"];
    let mut listing = Listing::new(a.format, io::stdout().lock(), &columns)?;
    for i in case.indicators()? {
        listing.row(&[
            json!(i.kind.as_str()),
            json!(i.value),
            i.first_seen.map_or(Value::Null, |t| json!(utc(t))),
            i.last_seen.map_or(Value::Null, |t| json!(utc(t))),
            json!(i.finding_ids),
        ])?;
    }
    listing.finish()?;
    Ok(ExitCode::SUCCESS)
}
