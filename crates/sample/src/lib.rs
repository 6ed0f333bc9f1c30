//! Sample evidence with ground truth: a French hospital's Microsoft 365 tenant over a few
//! weeks of ordinary work, with a business e-mail compromise in the middle and the
//! administrator's response at the end, written in the formats real exports have.
//!
//! Files written by [`generate`]:
//! `ual-purview.csv`, `ual-management-api.jsonl`, `entra-signins.json`, `entra-audit.json`,
//! `message-trace.csv`, `inbox-rules.csv` and `ground-truth.json` (the [`GroundTruth`]).
//! Output depends only on [`SampleOptions`]: same options, same bytes.
//!
//! With [`Platform::Dovecot`], [`generate_any`] writes instead a university's Debian
//! `mail.log` (Dovecot 2.3 and Postfix) with an IMAP aggregator and an attacker, and its
//! [`MailServerTruth`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod clock;
mod ids;
mod maillog;
mod network;
mod normal;
mod org;
mod output;
mod records;
mod story;
mod truth;
mod university;

pub use truth::{
    Aggregator, Attacker, AttackerIp, FileCount, GroundTruth, KeyTimes, MailServerAttacker,
    MailServerKeyTimes, MailServerOrganisation, MailServerTruth, Organisation, PartnerEntry, Spray,
    UserEntry,
};

use chrono::{Duration, NaiveDate};
use fastrand::Rng;
use normal::World;
use org::{Org, Person, Role};
use output::{Batch, Sinks, UalDest};
use records::Tenant;
use std::path::{Path, PathBuf};

/// The mail platform whose evidence is generated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Platform {
    /// Microsoft 365: a hospital's tenant and a business e-mail compromise.
    #[default]
    M365,
    /// Dovecot and Postfix: a university's mail server, an IMAP aggregator, a password
    /// guessed and spam sent.
    Dovecot,
}

impl Platform {
    /// The organisation's domain when none is chosen.
    pub fn default_domain(self) -> &'static str {
        match self {
            Platform::M365 => "hopital-exemple.fr",
            Platform::Dovecot => "univ-exemple.fr",
        }
    }
}

/// The answer key of a generated sample, by platform.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum SampleTruth {
    /// A Microsoft 365 sample.
    M365(Box<GroundTruth>),
    /// A Dovecot/Postfix sample.
    Dovecot(Box<MailServerTruth>),
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct SampleOptions {
    /// Seed of the random generator: same seed, same output.
    pub seed: u64,
    /// The organisation's mail domain.
    pub org_domain: String,
    /// Number of people who sign in (at least 10).
    pub users: usize,
    /// Number of days covered (at least 7).
    pub days: u32,
    /// First day covered.
    pub start: NaiveDate,
    /// Total size to reach by adding background activity, in bytes; `None` for the
    /// natural size (a few megabytes).
    pub target_bytes: Option<u64>,
    /// Leave the attack out: only ordinary activity (and the IMAP aggregator user), to
    /// measure how noisy detection is on a benign organisation. The ground truth then
    /// names no victim and no attacker activity is written.
    pub benign: bool,
    /// The mail platform.
    pub platform: Platform,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 42,
            org_domain: "hopital-exemple.fr".to_owned(),
            users: 40,
            days: 21,
            start: NaiveDate::from_ymd_opt(2025, 11, 3).unwrap_or(NaiveDate::MIN),
            target_bytes: None,
            benign: false,
            platform: Platform::M365,
        }
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// The options cannot make a coherent sample.
    #[error("invalid sample options: {0}")]
    InvalidOptions(String),
    /// A file could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn check(opts: &SampleOptions) -> Result<(), SampleError> {
    if opts.users < 10 {
        return Err(SampleError::InvalidOptions(format!(
            "users must be at least 10 (got {})",
            opts.users
        )));
    }
    if opts.users > 5_000 {
        return Err(SampleError::InvalidOptions(format!(
            "users must be at most 5000 (got {})",
            opts.users
        )));
    }
    if !(7..=3_650).contains(&opts.days) {
        return Err(SampleError::InvalidOptions(format!(
            "days must be between 7 and 3650 (got {})",
            opts.days
        )));
    }
    let d = &opts.org_domain;
    let valid = d.contains('.')
        && d.len() <= 200
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !valid {
        return Err(SampleError::InvalidOptions(format!(
            "org_domain {d:?} is not a plain ASCII domain name"
        )));
    }
    Ok(())
}

/// Writes the sample of any platform into `out_dir` (created if missing) and returns its
/// ground truth, also written to `out_dir/ground-truth.json`.
pub fn generate_any(opts: &SampleOptions, out_dir: &Path) -> Result<SampleTruth, SampleError> {
    match opts.platform {
        Platform::M365 => generate(opts, out_dir).map(|t| SampleTruth::M365(Box::new(t))),
        Platform::Dovecot => {
            prepare(opts, out_dir)?;
            university::generate(opts, out_dir).map(|t| SampleTruth::Dovecot(Box::new(t)))
        }
    }
}

fn prepare(opts: &SampleOptions, out_dir: &Path) -> Result<(), SampleError> {
    check(opts)?;
    std::fs::create_dir_all(out_dir).map_err(|source| SampleError::Io {
        path: out_dir.to_owned(),
        source,
    })
}

/// Writes the Microsoft 365 sample into `out_dir` (created if missing) and returns its
/// ground truth, also written to `out_dir/ground-truth.json`. Other platforms are
/// refused: use [`generate_any`].
pub fn generate(opts: &SampleOptions, out_dir: &Path) -> Result<GroundTruth, SampleError> {
    if opts.platform != Platform::M365 {
        return Err(SampleError::InvalidOptions(format!(
            "generate writes Microsoft 365 samples only (platform {:?}): use generate_any",
            opts.platform
        )));
    }
    prepare(opts, out_dir)?;
    let mut rng = Rng::with_seed(opts.seed);
    let org = Org::new(&mut rng, &opts.org_domain.to_ascii_lowercase(), opts.users);
    let tenant_name = format!(
        "{}.onmicrosoft.com",
        org.domain
            .split('.')
            .next()
            .unwrap_or("tenant")
            .replace('-', "")
    );
    let world = World {
        org: &org,
        tenant: Tenant {
            id: &org.tenant_id,
            name: &tenant_name,
        },
        aggregator_ips: normal::aggregator_ips(&mut rng),
    };
    let last = opts.start + Duration::days(i64::from(opts.days) - 1);
    let phish = last - Duration::days(2);
    let window = phish - Duration::days(3);
    let mut story_batch = Batch::default();
    let facts = story::play(
        &mut rng,
        &world,
        &mut story_batch,
        story::StoryDays {
            phish,
            first: opts.start,
        },
    );
    if opts.benign {
        story_batch = Batch::default();
    }
    let mut sinks = Sinks::create(out_dir)?;
    core_days(
        &mut rng,
        &world,
        &mut sinks,
        &mut story_batch,
        (opts.start, last, window),
    )?;
    if let Some(target) = opts.target_bytes {
        pad(&mut rng, &world, &mut sinks, (opts.start, last), target)?;
    }
    let attacker_rule = facts.attacker.rule_name.clone();
    let rules: Vec<_> = facts
        .rules_csv_rows
        .iter()
        .filter(|row| !opts.benign || !row.contains(&attacker_rule))
        .cloned()
        .collect();
    write_rules(out_dir, &rules, clock::paris_to_utc(last, 18 * 3600))?;
    let files = sinks.finish()?;
    let truth = build_truth(opts, &world, facts, (window, last), files);
    write_truth(out_dir, &truth)?;
    Ok(truth)
}

/// Every day of every core user, with the story's records merged in time order.
fn core_days(
    rng: &mut Rng,
    w: &World,
    sinks: &mut Sinks,
    story: &mut Batch,
    (first, last, window): (NaiveDate, NaiveDate, NaiveDate),
) -> Result<(), SampleError> {
    let mut day = first;
    let mut batch = Batch::default();
    while day <= last {
        for p in &w.org.people {
            normal::person_day(rng, w, &mut batch, p, day, true);
        }
        let end = clock::paris_to_utc(day + Duration::days(1), 0);
        take_before(story, &mut batch, end);
        let dest = if day >= window {
            UalDest::Purview
        } else {
            UalDest::Api
        };
        batch.flush(sinks, dest)?;
        day += Duration::days(1);
    }
    Ok(())
}

/// Moves the story's records dated before `end` into the day's batch.
fn take_before(story: &mut Batch, day: &mut Batch, end: chrono::DateTime<chrono::Utc>) {
    fn split<T>(
        from: &mut Vec<(chrono::DateTime<chrono::Utc>, T)>,
        to: &mut Vec<(chrono::DateTime<chrono::Utc>, T)>,
        end: chrono::DateTime<chrono::Utc>,
    ) {
        let (now, later): (Vec<_>, Vec<_>) = from.drain(..).partition(|(t, _)| *t < end);
        to.extend(now);
        *from = later;
    }
    split(&mut story.ual, &mut day.ual, end);
    split(&mut story.signins, &mut day.signins, end);
    split(&mut story.audits, &mut day.audits, end);
    split(&mut story.trace, &mut day.trace, end);
}

/// Background staff (UAL only, to the Management API file) until `target` bytes.
fn pad(
    rng: &mut Rng,
    w: &World,
    sinks: &mut Sinks,
    (first, last): (NaiveDate, NaiveDate),
    target: u64,
) -> Result<(), SampleError> {
    let mut batch = Batch::default();
    let mut index = w.org.people.len();
    while sinks.bytes() < target {
        // A cohort of background users per pass, every day, so time coverage stays even.
        let cohort: Vec<Person> = (0..200)
            .map(|i| Person::new(rng, index + i, &w.org.domain, Role::Staff))
            .collect();
        index += cohort.len();
        let mut day = first;
        while day <= last && sinks.bytes() < target {
            for p in &cohort {
                normal::person_day(rng, w, &mut batch, p, day, false);
            }
            batch.flush(sinks, UalDest::Api)?;
            day += Duration::days(1);
        }
    }
    Ok(())
}

/// Writes the `Get-InboxRule` export, dated (modification time) when the responders
/// would have exported it: the rules carry no time of their own.
fn write_rules(dir: &Path, rows: &[[String; 20]], exported: chrono::DateTime<chrono::Utc>) -> Result<(), SampleError> {
    let path = dir.join(output::RULES_CSV);
    let err = |e: csv::Error| SampleError::Io {
        path: path.clone(),
        source: e.into(),
    };
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_path(&path)
        .map_err(err)?;
    w.write_record(story::RULES_HEADER).map_err(err)?;
    for r in rows {
        w.write_record(r).map_err(err)?;
    }
    let io = |source| SampleError::Io { path: path.clone(), source };
    w.flush().map_err(io)?;
    drop(w);
    let file = std::fs::File::options().write(true).open(&path).map_err(io)?;
    file.set_modified(std::time::SystemTime::from(exported)).map_err(io)
}

fn write_truth(dir: &Path, truth: &GroundTruth) -> Result<(), SampleError> {
    let path = dir.join(output::TRUTH_JSON);
    let text = serde_json::to_string_pretty(truth).map_err(|e| SampleError::Io {
        path: path.clone(),
        source: e.into(),
    })?;
    std::fs::write(&path, text + "\n").map_err(|source| SampleError::Io { path, source })
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Staff => "staff",
        Role::Billing => "billing",
        Role::Treasury => "treasury",
        Role::Admin => "admin",
        Role::Aggregator => "aggregator",
    }
}

fn build_truth(
    opts: &SampleOptions,
    w: &World,
    facts: story::StoryFacts,
    (window, last): (NaiveDate, NaiveDate),
    files: Vec<FileCount>,
) -> GroundTruth {
    let org = w.org;
    GroundTruth {
        seed: opts.seed,
        organisation: Organisation {
            name: org.name.clone(),
            domain: org.domain.clone(),
            tenant_id: org.tenant_id.clone(),
            office_ips: org.office_ips.clone(),
        },
        period: (opts.start, last),
        purview_window_start: clock::paris_to_utc(window, 0),
        users: org
            .people
            .iter()
            .map(|p| UserEntry {
                upn: p.upn.clone(),
                display_name: p.display.clone(),
                title: p.title.to_owned(),
                role: role_name(p.role).to_owned(),
            })
            .collect(),
        shared_mailboxes: org.shared.clone(),
        victims: if opts.benign { Vec::new() } else { vec![org.with_role(Role::Billing).upn.clone()] },
        admin: org.with_role(Role::Admin).upn.clone(),
        partner: PartnerEntry {
            name: org::PARTNER.name.into(),
            domain: org::PARTNER.domain.into(),
            contact: org::PARTNER.contact.into(),
        },
        attacker: facts.attacker,
        phishing_recipients: facts.recipients,
        key_times: facts.times,
        aggregator: Aggregator {
            upn: org.with_role(Role::Aggregator).upn.clone(),
            service: "myMail (IMAP)".to_owned(),
            ips: w.aggregator_ips.to_vec(),
            asn: network::VK.asn,
            as_org: network::VK.org.to_owned(),
            country: network::VK.country.to_owned(),
        },
        spray: facts.spray,
        files,
    }
}
