//! The `mailcase` binary: a thin layer of commands over the library crates.

#[macro_use]
mod i18n;
mod args;
mod cmd_evidence;
mod cmd_events;
mod cmd_findings;
mod cmd_geoip;
mod cmd_hunt;
mod cmd_hunt_url;
mod cmd_pivot;
mod cmd_rules;
mod cmd_investigate;
mod cmd_journal;
mod cmd_query;
mod cmd_report;
mod cmd_sample;
mod cmd_timeline;
mod describe;
mod detection;
mod geoip_dir;
mod help_i18n;
mod ingest;
mod journal_util;
mod output;
mod progress;
mod rule_examples;
mod times;

use std::process::ExitCode;

use args::{Command, LangArg};
use i18n::Lang;

fn main() -> ExitCode {
    // Help, usage and clap's errors follow the user's language too.
    let cli = help_i18n::parse();
    let lang = match cli.lang {
        Some(LangArg::Fr) => Some(Lang::Fr),
        Some(LangArg::En) => Some(Lang::En),
        None => None,
    };
    // Without --lang, commands on a case take the case's language; others the locale.
    if let Some(lang) = lang {
        i18n::init(lang);
    }
    let ctx = Ctx { lang_forced: lang.is_some(), quiet: cli.quiet };
    let result = match cli.command {
        Command::Investigate(a) => cmd_investigate::run(&ctx, a),
        Command::Events(a) => cmd_events::run(&ctx, a),
        Command::Query(a) => cmd_query::run(&ctx, a),
        Command::Timeline(a) => cmd_timeline::run(&ctx, a),
        Command::Journal(a) => cmd_journal::run(&ctx, a),
        Command::Evidence(a) => cmd_evidence::run(&ctx, a),
        Command::Report(a) => cmd_report::run(&ctx, a),
        Command::Findings(a) => cmd_findings::run(&ctx, a),
        Command::Accounts(a) => cmd_findings::accounts(&ctx, a),
        Command::Indicators(a) => cmd_findings::indicators(&ctx, a),
        Command::Hunt(a) => cmd_hunt::run(&ctx, a),
        Command::Pivot(a) => cmd_pivot::run(&ctx, a),
        Command::Rules(a) => cmd_rules::run(&ctx, a),
        Command::Sample(a) => cmd_sample::run(&ctx, a),
        Command::Geoip(a) => cmd_geoip::run(&ctx, a),
    };
    match result {
        Ok(code) => code,
        // `mailcase events ... | head` closing the pipe is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            i18n::init(Lang::from_env());
            eprintln!("{} {}", t!("error-prefix"), output::terminal_safe(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// What every command gets besides its arguments.
pub struct Ctx {
    /// `--lang` was given: it wins over the case's language.
    pub lang_forced: bool,
    /// No progress bars.
    pub quiet: bool,
}

impl Ctx {
    /// Sets the language from the case unless `--lang` was given.
    pub fn use_case_lang(&self, case_lang: &str) {
        if !self.lang_forced {
            i18n::init(Lang::from_code(case_lang).unwrap_or_else(Lang::from_env));
        }
    }

    /// Opens an existing case and takes its language unless `--lang` was given.
    pub fn open_case(&self, dir: &std::path::Path) -> anyhow::Result<mailcase_case::Case> {
        use anyhow::Context;
        let case = mailcase_case::Case::open(dir).with_context(|| t!("case-open-failed", dir = dir.display().to_string()))?;
        self.use_case_lang(cmd_investigate::lang_code(case.settings().language));
        Ok(case)
    }

    /// Sets the language from the environment unless `--lang` was given.
    pub fn use_env_lang(&self) {
        if !self.lang_forced {
            i18n::init(Lang::from_env());
        }
    }
}
