//! `mailcase evidence list|warnings`: the evidence registry.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Value, json};

use mailcase_case::Case;

use crate::Ctx;
use crate::args::{EvidenceCmd, Format};
use crate::output::Listing;

const COLUMNS: [&str; 12] = [
    "id", "sha256", "size", "format", "format_description", "status", "records", "events", "warnings", "imported_at",
    "original_path", "stored_path",
];

const TABLE_COLUMNS: [&str; 8] = ["id", "original_path", "format_description", "status", "events", "warnings", "size", "sha256"];

pub fn run(ctx: &Ctx, cmd: EvidenceCmd) -> Result<ExitCode> {
    match cmd {
        EvidenceCmd::List(a) => {
            let case = ctx.open_case(&a.case.dir)?;
            list(&case, a.format)?;
        }
        EvidenceCmd::Warnings(a) => {
            let case = ctx.open_case(&a.case.dir)?;
            let warnings = case.warnings(a.id)?;
            let mut listing = Listing::new(a.format, io::stdout().lock(), &["record", "message"])?;
            for w in warnings {
                listing.row(&[w.record.map_or(Value::Null, Value::from), json!(w.message)])?;
            }
            listing.finish()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}


/// Human description of a stored format id.
pub fn format_description(id: Option<&str>) -> String {
    match id {
        Some(crate::ingest::UNRECOGNISED) => t!("format-unrecognised"),
        Some(crate::ingest::EMPTY) => t!("format-empty"),
        Some(id) => mailcase_sources::Format::from_id(id).map_or_else(|| id.to_owned(), |f| f.description().to_owned()),
        None => String::new(),
    }
}

fn list(case: &Case, format: Format) -> Result<()> {
    let columns: &[&str] = if format == Format::Table { &TABLE_COLUMNS } else { &COLUMNS };
    let mut listing = Listing::new(format, io::stdout().lock(), columns)?;
    for e in case.list_evidence()? {
        let mut object = serde_json::Map::new();
        object.insert("id".into(), json!(e.id));
        object.insert("sha256".into(), json!(e.sha256));
        object.insert("size".into(), json!(e.size));
        object.insert("format".into(), e.format.clone().map_or(Value::Null, Value::from));
        object.insert("format_description".into(), json!(format_description(e.format.as_deref())));
        object.insert("status".into(), json!(e.status.as_str()));
        object.insert("records".into(), json!(e.records));
        object.insert("events".into(), json!(e.events));
        object.insert("warnings".into(), json!(e.warnings));
        object.insert("imported_at".into(), json!(crate::times::utc(e.imported_at)));
        object.insert("original_path".into(), json!(e.original_path));
        object.insert("stored_path".into(), json!(e.stored_path));
        let values: Vec<Value> = columns.iter().map(|c| object.remove(*c).unwrap_or(Value::Null)).collect();
        listing.row(&values)?;
    }
    listing.finish()?;
    Ok(())
}
