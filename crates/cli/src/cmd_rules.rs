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
        RulesCmd::Test(_a) => {
            eprintln!("{}", t!("rules-test-missing"));
            Ok(ExitCode::from(2))
        }
    }
}
