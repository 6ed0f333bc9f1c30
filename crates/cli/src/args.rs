//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// mailcase: incident response for compromised mailboxes.
#[derive(Parser, Debug)]
#[command(name = "mailcase", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Language of messages and reports (default: the case's, then the system locale).
    #[arg(long, global = true, value_enum, env = "MAILCASE_LANG")]
    pub lang: Option<LangArg>,

    /// Do not show progress bars.
    #[arg(long, global = true)]
    pub quiet: bool,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Languages for what users read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Français.
    Fr,
    /// English.
    En,
}

/// Output formats of listing commands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// CSV (spreadsheet formulas neutralised).
    Csv,
    /// JSON array of objects with stable field names.
    Json,
}

/// The case directory option shared by most commands.
#[derive(Args, Debug, Clone)]
pub struct CaseArg {
    /// Case directory.
    #[arg(long = "case", short = 'c', env = "MAILCASE_CASE", value_name = "DIR")]
    pub dir: PathBuf,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import evidence into a case (created if needed), normalise, enrich, and write the report.
    Investigate(InvestigateArgs),
    /// List the normalised events of a case.
    Events(EventsArgs),
    /// Run read-only SQL on the case database (table `events`, `evidence`, `journal`...).
    Query(QueryArgs),
    /// Show the compromise timeline, or add an entry to it.
    Timeline(TimelineArgs),
    /// The incident log (main courante): add, strike, show, verify.
    #[command(subcommand)]
    Journal(JournalCmd),
    /// The evidence registry of a case.
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Write the case report again (HTML and JSON in `reports/`).
    Report(ReportArgs),
    /// Findings of the last detection run.
    Findings(FindingsArgs),
    /// Verdict per account, with the reasons.
    Accounts(AccountsArgs),
    /// The attacker's indicators, with where each was seen.
    Indicators(IndicatorsArgs),
    /// Run detection again (after adding rules, or to use your own rule folders).
    Hunt(HuntArgs),
    /// Everything one indicator touches: accounts, times, actions.
    Pivot(PivotArgs),
    /// The detection rules: what is loaded, what is not and why.
    #[command(subcommand)]
    Rules(RulesCmd),
    /// Generate realistic sample evidence (a small organisation and a BEC story).
    #[command(subcommand)]
    Sample(SampleCmd),
    /// GeoIP databases: import the redistributable ones, look an address up.
    #[command(subcommand)]
    Geoip(GeoipCmd),
}

/// `investigate`.
#[derive(Args, Debug)]
pub struct InvestigateArgs {
    /// Case directory.
    #[arg(long = "case", short = 'c', env = "MAILCASE_CASE", value_name = "DIR")]
    pub case: PathBuf,
    /// Evidence files or directories (searched recursively).
    #[arg(required = true, value_name = "EVIDENCE")]
    pub evidence: Vec<PathBuf>,
    /// Domains of the organisation (repeat or separate with commas).
    #[arg(long = "org-domain", value_delimiter = ',')]
    pub org_domains: Vec<String>,
    /// Name of the case (new cases; default: the directory name).
    #[arg(long)]
    pub name: Option<String>,
    /// Time zone of the case, IANA name (new cases; default Europe/Paris).
    #[arg(long)]
    pub tz: Option<String>,
    /// Reference the evidence in place instead of copying it into the case.
    #[arg(long)]
    pub no_copy: bool,
    /// Directory of MaxMind-format GeoIP databases.
    #[arg(long, env = "MAILCASE_GEOIP_DIR", value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
    /// Who runs the investigation (journal author; default: the system user).
    #[arg(long, env = "MAILCASE_AUTHOR")]
    pub author: Option<String>,
    /// Do not write the report at the end.
    #[arg(long)]
    pub no_report: bool,
    /// Do not run detection after the import.
    #[arg(long)]
    pub no_detect: bool,
    /// More Sigma rule folders to run besides the shipped pack.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

/// `events`.
#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Only this account.
    #[arg(long)]
    pub account: Option<String>,
    /// Only this source (`m365_ual`, `entra_signin`...).
    #[arg(long)]
    pub source: Option<String>,
    /// Only this action (`sign_in`, `inbox_rule_created`...).
    #[arg(long)]
    pub action: Option<String>,
    /// Only this client address.
    #[arg(long)]
    pub ip: Option<String>,
    /// From this time (ISO 8601; without zone: the case's zone).
    #[arg(long)]
    pub since: Option<String>,
    /// Until this time.
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many events.
    #[arg(long, default_value_t = 1000)]
    pub limit: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `query`.
#[derive(Args, Debug)]
pub struct QueryArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// The SQL (read-only).
    pub sql: String,
    /// At most this many rows.
    #[arg(long, default_value_t = 10_000)]
    pub limit: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `timeline`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TimelineArgs {
    /// Add an entry instead of showing.
    #[command(subcommand)]
    pub cmd: Option<TimelineCmd>,
    /// Case directory.
    #[arg(long = "case", short = 'c', env = "MAILCASE_CASE", value_name = "DIR")]
    pub case: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `timeline add`.
#[derive(Subcommand, Debug)]
pub enum TimelineCmd {
    /// Add an entry by hand.
    Add(TimelineAddArgs),
}

/// `timeline add`.
#[derive(Args, Debug)]
pub struct TimelineAddArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// When it happened ("2026-11-20 14:35", ISO 8601).
    #[arg(long)]
    pub at: String,
    /// Zone of `--at` when it has none (default: the case's).
    #[arg(long)]
    pub tz: Option<String>,
    /// Where it is known from (a log, a user's account, a call...).
    #[arg(long)]
    pub source: String,
    /// Who acted (the attacker, a user, an address).
    #[arg(long)]
    pub actor: Option<String>,
    /// The account concerned.
    #[arg(long)]
    pub account: Option<String>,
    /// What happened.
    #[arg(long)]
    pub action: String,
    /// Comment.
    #[arg(long)]
    pub comment: Option<String>,
    /// Author of the entry (default: the system user).
    #[arg(long, env = "MAILCASE_AUTHOR")]
    pub author: Option<String>,
}

/// `journal`.
#[derive(Subcommand, Debug)]
pub enum JournalCmd {
    /// Record what happened or was done.
    Add(JournalAddArgs),
    /// Strike an entry (it stays readable), with the reason.
    Strike(JournalStrikeArgs),
    /// Show the journal.
    Show(JournalShowArgs),
    /// Check that no entry was altered, removed or reordered.
    Verify(JournalVerifyArgs),
}

/// `journal add`.
#[derive(Args, Debug)]
pub struct JournalAddArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// The text of the entry.
    pub text: String,
    /// When it happened, if earlier than now ("2026-11-20 14:35").
    #[arg(long)]
    pub at: Option<String>,
    /// Zone of `--at` when it has none (default: the case's).
    #[arg(long)]
    pub tz: Option<String>,
    /// Author (default: the system user).
    #[arg(long, env = "MAILCASE_AUTHOR")]
    pub author: Option<String>,
    /// Machines or accounts concerned (repeat or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub concerns: Vec<String>,
    /// Kind of entry.
    #[arg(long, value_enum, default_value_t = EntryKindArg::Note)]
    pub kind: EntryKindArg,
}

/// Kinds of journal entries a user writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EntryKindArg {
    /// Something observed or learnt.
    Note,
    /// Something done.
    Action,
}

/// `journal strike`.
#[derive(Args, Debug)]
pub struct JournalStrikeArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Number of the entry to strike.
    pub seq: i64,
    /// Why it is wrong.
    #[arg(long)]
    pub reason: String,
    /// Author (default: the system user).
    #[arg(long, env = "MAILCASE_AUTHOR")]
    pub author: Option<String>,
}

/// `journal show`.
#[derive(Args, Debug)]
pub struct JournalShowArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `journal verify`.
#[derive(Args, Debug)]
pub struct JournalVerifyArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `evidence`.
#[derive(Subcommand, Debug)]
pub enum EvidenceCmd {
    /// List the evidence files with their hashes and counts.
    List(EvidenceListArgs),
    /// Show the parse warnings of one evidence file.
    Warnings(EvidenceWarningsArgs),
}

/// `evidence list`.
#[derive(Args, Debug)]
pub struct EvidenceListArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `evidence warnings`.
#[derive(Args, Debug)]
pub struct EvidenceWarningsArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Evidence id (see `evidence list`).
    pub id: i64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Directory of GeoIP databases (only for the attribution lines).
    #[arg(long, env = "MAILCASE_GEOIP_DIR", value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
}

/// `sample`.
#[derive(Subcommand, Debug)]
pub enum SampleCmd {
    /// Write sample exports and their ground truth into a directory.
    Generate(SampleGenerateArgs),
}

/// `sample generate`.
#[derive(Args, Debug)]
pub struct SampleGenerateArgs {
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// Random seed (same seed, same files).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of users.
    #[arg(long)]
    pub users: Option<usize>,
    /// Number of days.
    #[arg(long)]
    pub days: Option<u32>,
    /// Grow the files to about this size (`500MB`, `1GB`) with normal activity.
    #[arg(long)]
    pub size: Option<String>,
    /// Leave the attack out: ordinary activity only, to measure detection noise.
    #[arg(long)]
    pub benign: bool,
    /// Mail platform whose evidence is generated.
    #[arg(long, value_enum, default_value_t = SamplePlatform::M365)]
    pub platform: SamplePlatform,
}

/// Platforms of `sample generate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum SamplePlatform {
    /// Microsoft 365 exports of a hospital.
    #[default]
    M365,
    /// Debian mail.log (Dovecot and Postfix) of a university.
    Dovecot,
}

/// `geoip`.
#[derive(Subcommand, Debug)]
pub enum GeoipCmd {
    /// Import the ip-location-db packages (extracted) into a GeoIP directory.
    Import(GeoipImportArgs),
    /// Look addresses up.
    Lookup(GeoipLookupArgs),
}

/// `geoip import`.
#[derive(Args, Debug)]
pub struct GeoipImportArgs {
    /// Directory holding the extracted npm packages.
    pub src: PathBuf,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
}

/// `geoip lookup`.
#[derive(Args, Debug)]
pub struct GeoipLookupArgs {
    /// Addresses.
    #[arg(required = true)]
    pub ips: Vec<String>,
    /// Directory of GeoIP databases.
    #[arg(long, env = "MAILCASE_GEOIP_DIR", value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Severities for filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Informational and above.
    Informational,
    /// Low and above.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
}

/// `findings`.
#[derive(Args, Debug)]
pub struct FindingsArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Only findings about this account.
    #[arg(long)]
    pub account: Option<String>,
    /// Only findings at least this severe.
    #[arg(long, value_enum)]
    pub min_severity: Option<SeverityArg>,
    /// Only this rule or analytic.
    #[arg(long)]
    pub rule: Option<String>,
    /// Also list each finding's events.
    #[arg(long)]
    pub events: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `accounts`.
#[derive(Args, Debug)]
pub struct AccountsArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Also list the accounts with no evidence.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `indicators`.
#[derive(Args, Debug)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `hunt`.
#[derive(Args, Debug)]
pub struct HuntArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// More Sigma rule folders (searched recursively).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Who runs it (journal author).
    #[arg(long, env = "MAILCASE_AUTHOR")]
    pub author: Option<String>,
    /// Directory of GeoIP databases (for the report's attribution).
    #[arg(long, env = "MAILCASE_GEOIP_DIR", value_name = "DIR")]
    pub geoip_dir: Option<PathBuf>,
    /// A phishing URL: list who visited it in the proxy logs (prefix match, any scheme; repeatable).
    #[arg(long = "url", value_name = "URL")]
    pub urls: Vec<String>,
    /// A phishing domain: its visitors in the proxy logs and the recipients of mail sent from it (repeatable).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Output format (with --url or --domain).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `pivot`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(false)))]
pub struct PivotArgs {
    #[command(flatten)]
    pub case: CaseArg,
    /// A client address.
    #[arg(long, group = "what")]
    pub ip: Option<String>,
    /// An account: its addresses, user agents and sessions, searched in other accounts.
    #[arg(long, group = "what")]
    pub account: Option<String>,
    /// A user agent (exact).
    #[arg(long, group = "what")]
    pub user_agent: Option<String>,
    /// An autonomous system number.
    #[arg(long, group = "what")]
    pub asn: Option<u32>,
    /// A session id.
    #[arg(long, group = "what")]
    pub session: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `rules`.
#[derive(Subcommand, Debug)]
pub enum RulesCmd {
    /// List the loaded rules and those that cannot run, with the reason.
    List(RulesListArgs),
    /// Run each rule's own positive and negative examples.
    Test(RulesListArgs),
}

/// `rules list|test`.
#[derive(Args, Debug)]
pub struct RulesListArgs {
    /// More Sigma rule folders.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
