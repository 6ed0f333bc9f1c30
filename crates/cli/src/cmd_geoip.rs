//! `mailcase geoip import|lookup`.

use std::io;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::Ctx;
use crate::args::{GeoipCmd, GeoipImportArgs, GeoipLookupArgs};
use crate::output::Listing;

pub fn run(ctx: &Ctx, cmd: GeoipCmd) -> Result<ExitCode> {
    ctx.use_env_lang();
    match cmd {
        GeoipCmd::Import(a) => import(a),
        GeoipCmd::Lookup(a) => lookup(a),
    }
}

fn import(a: GeoipImportArgs) -> Result<ExitCode> {
    let summary = mailcase_enrich::ip_location_db::import(&a.src, &a.out)
        .with_context(|| t!("geoip-import-failed", dir = a.src.display().to_string()))?;
    println!("{}", t!("geoip-imported", dir = a.out.display().to_string()));
    println!(
        "{}",
        t!(
            "geoip-import-summary",
            countries = summary.country_databases.len(),
            v4 = summary.ipv4_ranges,
            v6 = summary.ipv6_ranges,
            skipped = summary.skipped_rows
        )
    );
    for e in &summary.row_errors {
        eprintln!("{}", crate::output::terminal_safe(e));
    }
    Ok(ExitCode::SUCCESS)
}

fn lookup(a: GeoipLookupArgs) -> Result<ExitCode> {
    let enricher = open_enricher(a.geoip_dir)?;
    let mut listing = Listing::new(a.format, io::stdout().lock(), &["ip", "country", "asn", "as_org", "net_class"])?;
    for text in &a.ips {
        let Some((ip, _)) = mailcase_model::parse_ip_port(text) else {
            anyhow::bail!(t!("bad-ip", ip = text.clone()));
        };
        let geo = enricher.lookup(ip);
        listing.row(&[
            json!(ip.to_string()),
            geo.country.map_or(Value::Null, Value::from),
            geo.asn.map_or(Value::Null, Value::from),
            geo.as_org.map_or(Value::Null, Value::from),
            json!(geo.net_class.as_str()),
        ])?;
    }
    listing.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the GeoIP databases, or only network classes (with a warning) when there are none.
pub fn open_enricher(given: Option<std::path::PathBuf>) -> Result<mailcase_enrich::Enricher> {
    match crate::geoip_dir::resolve(given) {
        Some(dir) => mailcase_enrich::Enricher::open_dir(&dir)
            .with_context(|| t!("geoip-open-failed", dir = dir.display().to_string())),
        None => {
            eprintln!("{}", t!("geoip-missing"));
            Ok(mailcase_enrich::Enricher::empty())
        }
    }
}

/// The GeoIP databases if they open, else none (for attribution lines only).
pub fn open_enricher_quietly(given: Option<std::path::PathBuf>) -> mailcase_enrich::Enricher {
    crate::geoip_dir::resolve(given)
        .and_then(|dir| mailcase_enrich::Enricher::open_dir(&dir).ok())
        .unwrap_or_else(mailcase_enrich::Enricher::empty)
}
