//! `mailcase rules list|test`.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::Ctx;
use crate::args::{Format, RulesCmd};
use crate::output::Listing;

pub fn run(ctx: &Ctx, cmd: RulesCmd) -> Result<ExitCode> {
    ctx.use_env_lang();
    match cmd {
        RulesCmd::List(a) => {
            let (set, problems) = crate::detection::load_rules(&a.rules);
            let fr = crate::i18n::lang() == crate::i18n::Lang::Fr;
            let mut listing =
                Listing::new(a.format, io::stdout().lock(), &["status", "id", "level", "title", "sources", "kind", "origin", "reason"])?;
            for r in set.rules() {
                let title = if fr { r.title_fr.clone().unwrap_or_else(|| r.title.clone()) } else { r.title.clone() };
                listing.row(&[
                    json!("loaded"),
                    json!(r.id),
                    json!(r.level.as_str()),
                    json!(title),
                    json!(r.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
                    json!(format!("{:?}", r.kind).to_lowercase()),
                    json!(r.path.display().to_string()),
                    json!(null),
                ])?;
            }
            for p in &problems {
                listing.row(&[
                    json!("unsupported"),
                    json!(p.rule_id),
                    json!(null),
                    json!(p.title),
                    json!(null),
                    json!(format!("{:?}", p.kind).to_lowercase()),
                    json!(p.path.display().to_string()),
                    json!(p.reason),
                ])?;
            }
            listing.finish()?;
            if a.format == Format::Table {
                println!("{}", t!("rules-count", loaded = set.rules().len(), unsupported = problems.len()));
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCmd::Test(a) => test(&a.rules, a.format),
    }
}

/// Runs the examples of the shipped rules and of the given folders.
fn test(dirs: &[std::path::PathBuf], format: Format) -> Result<ExitCode> {
    let mut files: Vec<(String, String)> =
        mailcase_detect::shipped::SHIPPED.iter().map(|(p, y)| (format!("rules/{p}"), (*y).to_owned())).collect();
    for dir in dirs {
        for path in crate::ingest::collect_files(std::slice::from_ref(dir))? {
            if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                let text = std::fs::read_to_string(&path)?;
                files.push((path.display().to_string(), text));
            }
        }
    }
    let results: Vec<_> = files.iter().flat_map(|(origin, yaml)| crate::rule_examples::run_file(origin, yaml)).collect();
    let failed = results.iter().filter(|r| r.failure.is_some()).count();
    let mut listing = Listing::new(format, io::stdout().lock(), &["status", "rule", "example", "origin", "reason"])?;
    for r in &results {
        // People see the failures; scripts get every example.
        if format == Format::Table && r.failure.is_none() {
            continue;
        }
        listing.row(&[
            json!(if r.failure.is_some() { "FAIL" } else { "ok" }),
            json!(r.rule),
            json!(format!("{}[{}]", r.kind, r.index)),
            json!(r.origin),
            json!(r.failure),
        ])?;
    }
    listing.finish()?;
    if format == Format::Table {
        println!("{}", t!("rules-test-summary", total = results.len(), failed = failed));
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
