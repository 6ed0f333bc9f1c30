//! `mailcase investigate`: the main job.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use mailcase_case::{Case, CaseSettings, Language};

use crate::Ctx;
use crate::args::InvestigateArgs;
use crate::ingest::{self, FileOutcome, FileReport};
use crate::journal_util::{self, author_or_default};
use crate::output::terminal_safe;

/// Default zone of new cases: the first users are French.
const DEFAULT_ZONE: &str = "Europe/Paris";

pub fn run(ctx: &Ctx, a: InvestigateArgs) -> Result<ExitCode> {
    // The evidence is checked before a case is created for it.
    let files = ingest::collect_files(&a.evidence)?;
    if files.is_empty() {
        bail!(t!("no-evidence-files"));
    }
    let (case, created) = open_or_create(ctx, &a)?;
    ctx.use_case_lang(lang_code(case.settings().language));
    let shown_dir = a.case.display().to_string();
    println!("{}", if created { t!("case-created", dir = shown_dir.clone()) } else { t!("case-opened", dir = shown_dir.clone()) });
    let author = author_or_default(a.author.as_deref());
    let paths: Vec<String> = a.evidence.iter().map(|p| p.display().to_string()).collect();
    journal_util::system(&case, &author, t!("journal-investigate-start", count = paths.len(), paths = paths.join(", ")), vec![])?;

    let enricher = crate::cmd_geoip::open_enricher(a.geoip_dir.clone())?;
    let mut reports = Vec::new();
    for file in &files {
        let report = ingest::import_file(&case, file, !a.no_copy, &enricher, ctx.quiet)?;
        print_outcome(&case, &report);
        journal_file(&case, &author, &report)?;
        reports.push(report);
    }

    let total_events = case.event_count()?;
    journal_util::system(&case, &author, t!("journal-investigate-end", events = total_events), vec![])?;
    if !a.no_detect {
        crate::cmd_hunt::detect_and_report(&case, &a.rules, &author, ctx.quiet)?;
    }
    let report_path = if a.no_report {
        None
    } else {
        let paths = crate::cmd_report::write(&case, &enricher)?;
        let html = paths.into_iter().find(|p| p.extension().is_some_and(|e| e == "html"));
        if let Some(p) = &html {
            journal_util::system(&case, &author, t!("journal-report-written", path = p.display().to_string()), vec![])?;
        }
        html
    };
    print_summary(&case, &a.case, &reports, total_events, report_path.as_deref())?;
    let failed = reports.iter().any(|r| matches!(r.outcome, FileOutcome::Failed(_)));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn open_or_create(ctx: &Ctx, a: &InvestigateArgs) -> Result<(Case, bool)> {
    let domains: Vec<String> = a.org_domains.iter().map(|d| d.trim().to_lowercase()).filter(|d| !d.is_empty()).collect();
    if a.case.join("case.toml").exists() {
        let mut case = Case::open(&a.case).with_context(|| t!("case-open-failed", dir = a.case.display().to_string()))?;
        let mut settings = case.settings().clone();
        let before = settings.org_domains.len();
        for d in domains {
            if !settings.org_domains.contains(&d) {
                settings.org_domains.push(d);
            }
        }
        if settings.org_domains.len() != before {
            case.save_settings(settings)?;
        }
        return Ok((case, false));
    }
    let name = a.name.clone().unwrap_or_else(|| dir_name(&a.case));
    let zone = a.tz.clone().unwrap_or_else(|| DEFAULT_ZONE.to_owned());
    crate::times::zone(&zone)?;
    let mut settings = CaseSettings::new(name);
    settings.org_domains = domains;
    settings.time_zone = zone;
    let lang = if ctx.lang_forced { crate::i18n::lang() } else { crate::i18n::Lang::from_env() };
    settings.language = match lang {
        crate::i18n::Lang::Fr => Language::Fr,
        crate::i18n::Lang::En => Language::En,
    };
    settings.platforms = vec!["m365".to_owned()];
    let case = Case::create(&a.case, settings).with_context(|| a.case.display().to_string())?;
    Ok((case, true))
}

fn dir_name(p: &Path) -> String {
    std::fs::canonicalize(p)
        .ok()
        .as_deref()
        .unwrap_or(p)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".to_owned())
}

/// `fr` or `en` for a case language.
pub fn lang_code(l: Language) -> &'static str {
    match l {
        Language::Fr => "fr",
        _ => "en",
    }
}

fn print_outcome(case: &Case, r: &FileReport) {
    let file = r.path.display().to_string();
    let line = match &r.outcome {
        FileOutcome::Imported { events, warnings, format, .. } => {
            let head = t!("evidence-format", file = file.clone(), format = format.description());
            let done = t!("import-done", file = file.clone(), events = *events, warnings = *warnings);
            if *warnings > 0 {
                print_warnings(case, r, *warnings);
            }
            println!("{}", terminal_safe(&head));
            done
        }
        FileOutcome::AlreadyImported => t!("evidence-already", file = file),
        FileOutcome::Unrecognised => t!("evidence-unrecognised", file = file),
        FileOutcome::Empty => t!("evidence-empty", file = file),
        FileOutcome::Failed(reason) => t!("evidence-failed", file = file, reason = reason.clone()),
    };
    println!("{}", terminal_safe(&line));
}

/// The first few warnings of a file, and where to see the rest.
fn print_warnings(case: &Case, r: &FileReport, total: u64) {
    const SHOWN: usize = 5;
    let file = r.path.display().to_string();
    let Ok(kept) = case.warnings(r.evidence_id) else { return };
    for w in kept.iter().take(SHOWN) {
        let record = w.record.map_or_else(|| "?".to_owned(), |n| n.to_string());
        eprintln!("{}", terminal_safe(&t!("import-warning", file = file.clone(), record = record, message = w.message.clone())));
    }
    if total > SHOWN as u64 {
        let more = total - SHOWN as u64;
        eprintln!(
            "{}",
            terminal_safe(&t!(
                "import-more-warnings",
                file = file.clone(),
                count = more,
                case = case.dir().display().to_string(),
                id = r.evidence_id
            ))
        );
    }
}

fn journal_file(case: &Case, author: &str, r: &FileReport) -> Result<()> {
    let file = r.path.display().to_string();
    let text = match &r.outcome {
        FileOutcome::Imported { events, warnings, format, .. } => t!(
            "journal-evidence-imported",
            file = file,
            sha256 = r.sha256.clone(),
            format = format.description(),
            events = *events,
            warnings = *warnings
        ),
        FileOutcome::Unrecognised => t!("journal-evidence-unrecognised", file = file, sha256 = r.sha256.clone()),
        FileOutcome::Empty => t!("journal-evidence-empty", file = file, sha256 = r.sha256.clone()),
        FileOutcome::Failed(reason) => t!("evidence-failed", file = file, reason = reason.clone()),
        FileOutcome::AlreadyImported => return Ok(()),
    };
    journal_util::system(case, author, text, vec![])
}

fn print_summary(case: &Case, dir: &Path, reports: &[FileReport], events: u64, report: Option<&Path>) -> Result<()> {
    let new = reports.iter().filter(|r| matches!(r.outcome, FileOutcome::Imported { .. })).count();
    let skipped = reports.iter().filter(|r| matches!(r.outcome, FileOutcome::AlreadyImported)).count();
    let failed = reports.len() - new - skipped;
    let accounts = case.count_accounts()?;
    println!();
    println!("{}", t!("summary-title"));
    println!("  {}", t!("summary-files", new = new, skipped = skipped, failed = failed));
    println!("  {}", t!("summary-events", events = events, accounts = accounts));
    if let Some(p) = report {
        println!("  {}", t!("summary-report", path = p.display().to_string()));
    }
    println!("  {}", terminal_safe(&t!("summary-next", case = dir.display().to_string())));
    Ok(())
}
