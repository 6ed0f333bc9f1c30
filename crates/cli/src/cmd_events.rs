//! `mailcase events`: the normalised events, filtered.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Value, json};

use mailcase_case::{Case, EventFilter, EventRow};

use crate::Ctx;
use crate::args::{EventsArgs, Format};
use crate::output::Listing;

/// Columns of `--format json|csv`: the documented columns of the `events` table.
const COLUMNS: [&str; 24] = [
    "id", "time", "source", "evidence_id", "record", "account", "actor", "action", "outcome", "error_code", "ip", "port",
    "country", "asn", "as_org", "net_class", "user_agent", "app_id", "app", "protocol", "session_id", "device", "details",
    "raw",
];

/// Columns of the table for people.
const TABLE_COLUMNS: [&str; 9] = ["time", "account", "action", "outcome", "ip", "country", "as_org", "app", "user_agent"];

pub fn run(ctx: &Ctx, a: EventsArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    let tz = crate::times::zone(&case.settings().time_zone)?;
    let time = |s: &Option<String>| s.as_deref().map(|t| crate::times::parse_user_time(t, tz)).transpose();
    let filter = EventFilter {
        account: a.account.map(|s| s.trim().to_lowercase()),
        source: a.source,
        action: a.action,
        since: time(&a.since)?,
        until: time(&a.until)?,
        ip: a.ip,
        limit: Some(a.limit.saturating_add(1)),
        offset: 0,
    };
    let rows = case.events(&filter)?;
    let truncated = rows.len() as u64 > a.limit;
    let shown = &rows[..rows.len().min(a.limit as usize)];
    print_rows(&case, shown, a.format, tz)?;
    if truncated {
        eprintln!("{}", t!("events-truncated", limit = a.limit));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints event rows in a format (the table shows times in the case zone).
pub fn print_rows(_case: &Case, rows: &[EventRow], format: Format, tz: chrono_tz::Tz) -> Result<()> {
    let columns: &[&str] = if format == Format::Table { &TABLE_COLUMNS } else { &COLUMNS };
    let mut listing = Listing::new(format, io::stdout().lock(), columns)?;
    for row in rows {
        let mut object = to_object(row, format);
        if format == Format::Table {
            let local = mailcase_case::times::from_stored(&row.time).map(|t| crate::times::show(t, tz));
            object.insert("time".into(), local.map_or(Value::Null, Value::from));
        }
        let values: Vec<Value> = columns.iter().map(|c| object.remove(*c).unwrap_or(Value::Null)).collect();
        listing.row(&values)?;
    }
    listing.finish()?;
    Ok(())
}

/// The row as a JSON object; in JSON output `details` and `raw` are nested JSON, in
/// CSV they stay JSON text.
fn to_object(row: &EventRow, format: Format) -> serde_json::Map<String, Value> {
    let Ok(Value::Object(mut object)) = serde_json::to_value(row) else {
        return serde_json::Map::new();
    };
    if format == Format::Json {
        for key in ["details", "raw"] {
            if let Some(Value::String(text)) = object.get(key) {
                let parsed = serde_json::from_str::<Value>(text).unwrap_or_else(|_| json!(text));
                object.insert(key.to_owned(), parsed);
            }
        }
    }
    object
}
