//! `mailcase pivot`: every account an indicator touches (qualification 3.c).

use std::io;
use std::process::ExitCode;

use anyhow::{Result, bail};

use mailcase_case::{Case, FindingFilter};
use mailcase_model::IndicatorKind;

use crate::Ctx;
use crate::args::PivotArgs;
use crate::output::Listing;

const COLUMNS: [&str; 9] =
    ["indicator", "account", "events", "signins_ok", "signins_failed", "first", "last", "actions", "sources"];

pub fn run(ctx: &Ctx, a: PivotArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    let searches: Vec<(String, &'static str, String)> = if let Some(ip) = &a.ip {
        vec![(format!("ip {ip}"), "ip", ip.trim().to_owned())]
    } else if let Some(ua) = &a.user_agent {
        vec![(format!("user_agent {ua}"), "user_agent", ua.clone())]
    } else if let Some(asn) = a.asn {
        vec![(format!("asn {asn}"), "asn", asn.to_string())]
    } else if let Some(s) = &a.session {
        vec![(format!("session_id {s}"), "session_id", s.clone())]
    } else if let Some(account) = &a.account {
        account_indicators(&case, account)?
    } else {
        bail!(t!("pivot-what"));
    };
    let mut listing = Listing::new(a.format, io::stdout().lock(), &COLUMNS)?;
    for (label, column, value) in &searches {
        // Columns come from a fixed list; the value is bound as text.
        let sql = format!(
            "SELECT ?1 AS indicator, account, count(*) AS events, \
             count(*) FILTER (WHERE action = 'sign_in' AND outcome = 'success') AS signins_ok, \
             count(*) FILTER (WHERE action = 'sign_in' AND outcome = 'failure') AS signins_failed, \
             min(time) AS first, max(time) AS last, group_concat(DISTINCT action) AS actions, \
             group_concat(DISTINCT source) AS sources \
             FROM events WHERE CAST({column} AS TEXT) = ?2 GROUP BY account ORDER BY first"
        );
        let result = case.query_readonly_params(&sql, &[label.as_str(), value.as_str()], 100_000)?;
        for row in &result.rows {
            listing.row(row)?;
        }
    }
    listing.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// The indicators found on an account's findings, to search elsewhere.
fn account_indicators(case: &Case, account: &str) -> Result<Vec<(String, &'static str, String)>> {
    let filter = FindingFilter { account: Some(account.trim().to_lowercase()), ..Default::default() };
    let mut out = Vec::new();
    for f in case.findings(&filter)? {
        for ind in &f.finding.indicators {
            let column = match ind.kind {
                IndicatorKind::Ip => "ip",
                IndicatorKind::UserAgent => "user_agent",
                IndicatorKind::SessionId => "session_id",
                IndicatorKind::Asn => "asn",
                IndicatorKind::AppId => "app_id",
                _ => continue,
            };
            let item = (format!("{} {}", ind.kind.as_str(), ind.value), column, ind.value.clone());
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    if out.is_empty() {
        eprintln!("{}", t!("pivot-no-indicators", account = account.to_owned()));
    }
    Ok(out)
}
