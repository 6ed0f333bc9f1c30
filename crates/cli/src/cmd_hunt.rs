//! `mailcase hunt`: run detection again on the whole case (with `--url`/`--domain`:
//! the phishing-site hunt of `cmd_hunt_url`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use mailcase_case::Case;

use crate::Ctx;
use crate::args::HuntArgs;
use crate::journal_util;
use crate::output::terminal_safe;

pub fn run(ctx: &Ctx, a: HuntArgs) -> Result<ExitCode> {
    if !a.urls.is_empty() || !a.domains.is_empty() {
        return crate::cmd_hunt_url::run(ctx, &a);
    }
    let case = ctx.open_case(&a.case.dir)?;
    let author = journal_util::author_or_default(a.author.as_deref());
    detect_and_report(&case, &a.rules, &author, ctx.quiet)?;
    let enricher = crate::cmd_geoip::open_enricher_quietly(a.geoip_dir);
    let paths = crate::cmd_report::write(&case, &enricher)?;
    if let Some(html) = paths.iter().find(|p| p.extension().is_some_and(|e| e == "html")) {
        println!("{}", t!("report-written", path = html.display().to_string()));
        journal_util::system(&case, &author, t!("journal-report-written", path = html.display().to_string()), vec![])?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs detection, writes its journal entry and prints what it concluded.
pub fn detect_and_report(case: &Case, rules: &[PathBuf], author: &str, quiet: bool) -> Result<()> {
    let summary = crate::detection::run(case, rules, quiet)?;
    let text = t!(
        "journal-detection",
        rules = summary.rules_loaded,
        findings = summary.findings,
        compromised = summary.compromised.len(),
        suspicious = summary.suspicious.len()
    );
    journal_util::system(case, author, text, vec![])?;
    println!();
    println!("{}", t!("detect-title"));
    println!("  {}", t!("detect-rules", loaded = summary.rules_loaded, unsupported = summary.problems.len()));
    println!("  {}", t!("detect-findings", findings = summary.findings));
    if summary.skipped_events > 0 {
        eprintln!("{}", t!("detect-skipped", count = summary.skipped_events));
    }
    for a in &summary.compromised {
        println!("  {}", terminal_safe(&t!("detect-compromised", account = a.clone())));
    }
    for a in &summary.suspicious {
        println!("  {}", terminal_safe(&t!("detect-suspicious", account = a.clone())));
    }
    if summary.compromised.is_empty() && summary.suspicious.is_empty() {
        println!("  {}", t!("detect-nothing"));
    }
    Ok(())
}
