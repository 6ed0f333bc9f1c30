//! `mailcase query`: read-only SQL over the case.

use std::io;
use std::process::ExitCode;

use anyhow::Result;


use crate::Ctx;
use crate::args::QueryArgs;
use crate::output::Listing;

pub fn run(ctx: &Ctx, a: QueryArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    let result = case.query_readonly_limit(&a.sql, usize::try_from(a.limit).unwrap_or(usize::MAX))?;
    let columns: Vec<&str> = result.columns.iter().map(String::as_str).collect();
    let mut listing = Listing::new(a.format, io::stdout().lock(), &columns)?;
    for row in &result.rows {
        listing.row(row)?;
    }
    listing.finish()?;
    if result.truncated {
        eprintln!("{}", t!("query-truncated", limit = a.limit));
    }
    Ok(ExitCode::SUCCESS)
}
