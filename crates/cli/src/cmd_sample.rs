//! `mailcase sample generate`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::args::{SampleCmd, SampleGenerateArgs, SamplePlatform};

pub fn run(ctx: &Ctx, cmd: SampleCmd) -> Result<ExitCode> {
    ctx.use_env_lang();
    match cmd {
        SampleCmd::Generate(a) => generate(ctx, a),
    }
}

fn generate(ctx: &Ctx, a: SampleGenerateArgs) -> Result<ExitCode> {
    let platform = match a.platform {
        SamplePlatform::M365 => mailcase_sample::Platform::M365,
        SamplePlatform::Dovecot => mailcase_sample::Platform::Dovecot,
    };
    let mut opts = mailcase_sample::SampleOptions {
        seed: a.seed,
        benign: a.benign,
        platform,
        org_domain: platform.default_domain().to_owned(),
        ..Default::default()
    };
    if let Some(users) = a.users {
        opts.users = users;
    }
    if let Some(days) = a.days {
        opts.days = days;
    }
    if let Some(size) = &a.size {
        opts.target_bytes = Some(parse_size(size)?);
    }
    std::fs::create_dir_all(&a.out).with_context(|| a.out.display().to_string())?;
    let bar = crate::progress::spinner(t!("sample-generating", dir = a.out.display().to_string()), ctx.quiet);
    let truth = mailcase_sample::generate_any(&opts, &a.out).with_context(|| a.out.display().to_string())?;
    bar.finish_and_clear();
    let _ = truth;
    println!("{}", t!("sample-done", dir = a.out.display().to_string()));
    Ok(ExitCode::SUCCESS)
}

/// `500MB`, `1GB`, `1.5G`, `2048` (bytes); decimal units as disks are sold.
pub fn parse_size(text: &str) -> Result<u64> {
    let s = text.trim().to_ascii_uppercase();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num.parse().map_err(|_| anyhow::anyhow!(t!("bad-size", size = text.to_owned())))?;
    let mult = match unit.trim().trim_end_matches('B') {
        "" => 1.0,
        "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => bail!(t!("bad-size", size = text.to_owned())),
    };
    Ok((value * mult) as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1GB").unwrap(), 1_000_000_000);
        assert_eq!(parse_size("500mb").unwrap(), 500_000_000);
        assert_eq!(parse_size("1.5G").unwrap(), 1_500_000_000);
        assert_eq!(parse_size("2048").unwrap(), 2048);
        assert!(parse_size("big").is_err());
        assert!(parse_size("3XB").is_err());
    }
}
