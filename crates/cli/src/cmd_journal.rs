//! `mailcase journal add|strike|show|verify`: the incident log (main courante).

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Value, json};

use mailcase_case::{Case, Entry, EntryKind, JournalProblem, NewEntry};

use crate::Ctx;
use crate::args::{EntryKindArg, Format, JournalCmd};
use crate::journal_util::author_or_default;
use crate::output::{Listing, terminal_safe};

pub fn run(ctx: &Ctx, cmd: JournalCmd) -> Result<ExitCode> {
    match cmd {
        JournalCmd::Add(a) => {
            let case = ctx.open_case(&a.case.dir)?;
            let tz = match &a.tz {
                Some(z) => crate::times::zone(z)?,
                None => crate::times::zone(&case.settings().time_zone)?,
            };
            let occurred_at = a.at.as_deref().map(|t| crate::times::parse_user_time(t, tz)).transpose()?;
            let kind = match a.kind {
                EntryKindArg::Note => EntryKind::Note,
                EntryKindArg::Action => EntryKind::Action,
            };
            let entry = case.journal_add(NewEntry {
                occurred_at,
                author: author_or_default(a.author.as_deref()),
                kind,
                text: a.text,
                concerns: a.concerns.into_iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect(),
                links: Vec::new(),
            })?;
            println!("{}", t!("journal-added", seq = entry.seq));
            Ok(ExitCode::SUCCESS)
        }
        JournalCmd::Strike(a) => {
            let case = ctx.open_case(&a.case.dir)?;
            let entry = case.journal_strike(a.seq, &a.reason, &author_or_default(a.author.as_deref()))?;
            println!("{}", t!("journal-struck", seq = a.seq, by = entry.seq));
            Ok(ExitCode::SUCCESS)
        }
        JournalCmd::Show(a) => {
            let case = ctx.open_case(&a.case.dir)?;
            show(&case, a.format)?;
            Ok(ExitCode::SUCCESS)
        }
        JournalCmd::Verify(a) => {
            let case = ctx.open_case(&a.case.dir)?;
            verify(&case, a.format)
        }
    }
}


const COLUMNS: [&str; 12] =
    ["seq", "occurred_at", "recorded_at", "author", "kind", "text", "concerns", "strikes", "reason", "struck_by", "id", "hash"];

fn show(case: &Case, format: Format) -> Result<()> {
    let tz = crate::times::zone(&case.settings().time_zone)?;
    let entries = case.journal_entries()?;
    if format == Format::Table {
        return show_table(&entries, tz);
    }
    let mut listing = Listing::new(format, io::stdout().lock(), &COLUMNS)?;
    for e in &entries {
        listing.row(&[
            json!(e.seq),
            json!(crate::times::utc(e.occurred_at)),
            json!(crate::times::utc(e.recorded_at)),
            json!(e.author),
            json!(e.kind.as_str()),
            json!(e.text),
            json!(e.concerns),
            e.strikes.map_or(Value::Null, Value::from),
            e.reason.clone().map_or(Value::Null, Value::from),
            e.struck_by.map_or(Value::Null, Value::from),
            json!(e.id),
            json!(e.hash),
        ])?;
    }
    listing.finish()?;
    Ok(())
}

/// For people: times in the case zone, struck entries marked and still readable.
fn show_table(entries: &[Entry], tz: chrono_tz::Tz) -> Result<()> {
    let columns = [t!("col-seq"), t!("col-occurred"), t!("col-author"), t!("col-kind"), t!("col-text")];
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut listing = Listing::new(Format::Table, io::stdout().lock(), &columns)?;
    for e in entries {
        let mut text = if e.kind == EntryKind::Strike {
            t!("journal-strike-text", seq = e.strikes.unwrap_or(0), reason = e.reason.clone().unwrap_or_default())
        } else {
            e.text.clone()
        };
        if !e.concerns.is_empty() {
            text = format!("{text} [{}]", e.concerns.join(", "));
        }
        if let Some(by) = e.struck_by {
            text = format!("{} {}", t!("journal-struck-mark", by = by), text);
        }
        let occurred = crate::times::show(e.occurred_at, tz);
        listing.row(&[json!(e.seq), json!(occurred), json!(e.author), json!(e.kind.as_str()), json!(text)])?;
    }
    listing.finish()?;
    println!("({})", tz.name());
    Ok(())
}

fn verify(case: &Case, format: Format) -> Result<ExitCode> {
    let report = case.journal_verify()?;
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if report.is_ok() {
        println!("{}", t!("journal-verify-ok", count = report.entries));
        if let Some(head) = &report.head {
            println!("{}", t!("journal-head", hash = head.clone()));
        }
    } else {
        println!("{}", t!("journal-verify-bad", count = report.problems.len()));
        for p in &report.problems {
            println!("  {}", terminal_safe(&describe_problem(p)));
        }
    }
    Ok(if report.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn describe_problem(p: &JournalProblem) -> String {
    match p {
        JournalProblem::Altered { seq } => t!("journal-problem", seq = *seq, problem = t!("problem-altered")),
        JournalProblem::Missing { from, to } => t!("journal-problem-missing", from = *from, to = *to),
        JournalProblem::BrokenLink { seq, links_to } => {
            let problem = match links_to {
                Some(other) => t!("problem-reordered", other = *other),
                None => t!("problem-broken-link"),
            };
            t!("journal-problem", seq = *seq, problem = problem)
        }
        JournalProblem::TailRemoved { from, to } => t!("journal-problem-tail", from = *from, to = *to),
        JournalProblem::Unreadable { seq, reason } => {
            t!("journal-problem", seq = *seq, problem = t!("problem-unreadable", reason = reason.clone()))
        }
        other => format!("{other:?}"),
    }
}
