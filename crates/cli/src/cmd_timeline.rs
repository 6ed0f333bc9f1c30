//! `mailcase timeline [add]`: the compromise timeline.

use std::io;
use std::process::ExitCode;

use anyhow::{Result, bail};
use serde_json::{Value, json};

use mailcase_case::{Case, ManualEntry, TimelineRow};

use crate::Ctx;
use crate::args::{Format, TimelineAddArgs, TimelineArgs, TimelineCmd};
use crate::journal_util::{self, author_or_default};

/// The columns of the responders' spreadsheet, plus links back to the evidence.
const COLUMNS: [&str; 12] =
    ["date", "time", "time_zone", "utc_offset", "utc", "source", "actor", "account", "action", "comment", "ip", "event_id"];

pub fn run(ctx: &Ctx, a: TimelineArgs) -> Result<ExitCode> {
    match a.cmd {
        Some(TimelineCmd::Add(add)) => self::add(ctx, add),
        None => {
            let Some(dir) = a.case else {
                bail!(t!("case-required"));
            };
            let case = ctx.open_case(&dir)?;
            show(&case, a.format)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}


fn add(ctx: &Ctx, a: TimelineAddArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    let tz = crate::times::zone(a.tz.as_deref().unwrap_or(&case.settings().time_zone))?;
    let time = crate::times::parse_user_time(&a.at, tz)?;
    let entry = ManualEntry {
        time,
        source: Some(a.source),
        actor: a.actor,
        account: a.account.map(|s| s.trim().to_lowercase()),
        action: a.action.clone(),
        comment: a.comment,
    };
    case.timeline_add(&entry)?;
    let author = author_or_default(a.author.as_deref());
    journal_util::system(&case, &author, t!("journal-timeline-added", action = a.action), vec![])?;
    println!("{}", t!("timeline-added"));
    Ok(ExitCode::SUCCESS)
}

/// The text of a row's action: for events, a sentence built from the stored details.
pub fn action_text(row: &TimelineRow) -> String {
    row.details
        .as_deref()
        .and_then(|d| serde_json::from_str::<mailcase_model::Action>(d).ok())
        .map_or_else(|| row.action.clone(), |a| crate::describe::describe(&a))
}

fn show(case: &Case, format: Format) -> Result<()> {
    let zone_name = case.settings().time_zone.clone();
    let tz = crate::times::zone(&zone_name)?;
    let mut listing = crate::output::Listing::new(format, io::stdout().lock(), &COLUMNS)?;
    let mut result: std::io::Result<()> = Ok(());
    case.for_each_timeline_row(|row| {
        if result.is_err() {
            return Ok(());
        }
        let local = row.time.with_timezone(&tz);
        let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::from);
        let values = [
            json!(local.format("%Y-%m-%d").to_string()),
            json!(local.format("%H:%M:%S").to_string()),
            json!(zone_name),
            json!(local.format("%:z").to_string()),
            json!(crate::times::utc(row.time)),
            opt(&row.source),
            opt(&row.actor),
            opt(&row.account),
            json!(action_text(&row)),
            opt(&row.comment),
            opt(&row.ip),
            row.event_id.map_or(Value::Null, |id| json!(mailcase_model::EventId(id).to_string())),
        ];
        result = listing.row(&values);
        Ok(())
    })?;
    result?;
    listing.finish()?;
    Ok(())
}
