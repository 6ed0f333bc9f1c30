//! The answer key: what happened in the generated evidence, for tests, demos and
//! benchmarks of detection quality.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Everything a perfect investigation of the sample should find.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GroundTruth {
    /// Seed the sample was generated from.
    pub seed: u64,
    /// The organisation.
    pub organisation: Organisation,
    /// First and last day covered (inclusive).
    pub period: (NaiveDate, NaiveDate),
    /// Start of the window exported from Purview (`ual-purview.csv`); UAL records before
    /// it, and those of background users, are in `ual-management-api.jsonl`.
    pub purview_window_start: DateTime<Utc>,
    /// Every account that signs in, with its role.
    pub users: Vec<UserEntry>,
    /// Shared mailboxes.
    pub shared_mailboxes: Vec<String>,
    /// The compromised account(s).
    pub victims: Vec<String>,
    /// The administrator who contains the incident.
    pub admin: String,
    /// The partner targeted by the fraud.
    pub partner: PartnerEntry,
    /// The attacker's infrastructure and artefacts.
    pub attacker: Attacker,
    /// Who received the phishing mail.
    pub phishing_recipients: Vec<String>,
    /// Key moments of the compromise.
    pub key_times: KeyTimes,
    /// The legitimate IMAP aggregator (a policy risk, not an attacker).
    pub aggregator: Aggregator,
    /// The password spray.
    pub spray: Spray,
    /// Records and bytes per output file.
    pub files: Vec<FileCount>,
}

/// The organisation.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Organisation {
    /// Name.
    pub name: String,
    /// Mail domain.
    pub domain: String,
    /// Entra tenant id.
    pub tenant_id: String,
    /// Office egress addresses.
    pub office_ips: Vec<String>,
}

/// One account.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct UserEntry {
    /// Sign-in name (lower case).
    pub upn: String,
    /// Display name.
    pub display_name: String,
    /// Job title.
    pub title: String,
    /// `staff`, `billing`, `treasury`, `admin` or `aggregator`.
    pub role: String,
}

/// The partner.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct PartnerEntry {
    /// Name.
    pub name: String,
    /// Mail domain.
    pub domain: String,
    /// The contact who receives the fraudulent bank details.
    pub contact: String,
}

/// One attacker address.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct AttackerIp {
    /// Address.
    pub ip: String,
    /// AS number.
    pub asn: u32,
    /// AS organisation.
    pub as_org: String,
    /// Country code.
    pub country: String,
    /// What it was used for.
    pub role: String,
}

/// The attacker.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Attacker {
    /// Addresses used.
    pub ips: Vec<AttackerIp>,
    /// User agents used.
    pub user_agents: Vec<String>,
    /// Countries seen.
    pub countries: Vec<String>,
    /// Domain of the phishing sender.
    pub phishing_domain: String,
    /// Phishing sender address.
    pub phishing_sender: String,
    /// Phishing subject.
    pub phishing_subject: String,
    /// Lookalike of the organisation's domain.
    pub org_lookalike_domain: String,
    /// Inbox rule name.
    pub rule_name: String,
    /// Folder the rule moves mail to.
    pub rule_folder: String,
    /// Words the rule matches.
    pub rule_keywords: Vec<String>,
    /// External forwarding address.
    pub forwarding_address: String,
    /// Application consented.
    pub consented_app: String,
    /// Its application id.
    pub consented_app_id: String,
    /// Session id shared by the phishing proxy and the replay.
    pub stolen_session_id: String,
    /// Subject of the fraudulent mail.
    pub fraud_subject: String,
}

/// Key moments (UTC).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct KeyTimes {
    /// Phishing mail delivered.
    pub phish_received: DateTime<Utc>,
    /// Sign-in through the phishing proxy.
    pub first_malicious_signin: DateTime<Utc>,
    /// Stolen session replayed from another network.
    pub token_replay: DateTime<Utc>,
    /// Inbox rule created.
    pub rule_created: DateTime<Utc>,
    /// MFA method registered by the attacker.
    pub mfa_registered: DateTime<Utc>,
    /// Application consented.
    pub app_consented: DateTime<Utc>,
    /// Forwarding set.
    pub forwarding_set: DateTime<Utc>,
    /// Fraudulent mail sent from the victim's mailbox.
    pub fraudulent_mail_sent: DateTime<Utc>,
    /// Fraudulent mail from the lookalike domain received.
    pub lookalike_mail_received: DateTime<Utc>,
    /// Password reset by the administrator (start of containment).
    pub containment: DateTime<Utc>,
}

/// The IMAP aggregator.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Aggregator {
    /// The user whose mailbox is polled.
    pub upn: String,
    /// Service name.
    pub service: String,
    /// Poller addresses.
    pub ips: Vec<String>,
    /// Their AS.
    pub asn: u32,
    /// AS organisation.
    pub as_org: String,
    /// Country.
    pub country: String,
}

/// The password spray.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Spray {
    /// Source address.
    pub ip: String,
    /// Its AS.
    pub asn: u32,
    /// Country.
    pub country: String,
    /// When it started.
    pub start: DateTime<Utc>,
    /// Accounts tried.
    pub targets: Vec<String>,
    /// The account whose password was guessed.
    pub success: String,
}

/// Size of one output file.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct FileCount {
    /// File name inside the output directory.
    pub file: String,
    /// Records (rows, lines or array elements).
    pub records: u64,
    /// Bytes.
    pub bytes: u64,
}

/// The answer key of a mail-server sample (Dovecot and Postfix), written to
/// `ground-truth.json` like [`GroundTruth`], with the keys both share (`victims`,
/// `attacker.ips`, `aggregator`, `key_times`, `files`).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MailServerTruth {
    /// Seed the sample was generated from.
    pub seed: u64,
    /// `dovecot`.
    pub platform: String,
    /// The organisation and its mail server.
    pub organisation: MailServerOrganisation,
    /// First and last day covered (inclusive).
    pub period: (NaiveDate, NaiveDate),
    /// Every account, with its role (`staff`, `admin`, `aggregator`).
    pub users: Vec<UserEntry>,
    /// The compromised account(s); empty in a benign sample.
    pub victims: Vec<String>,
    /// The administrator.
    pub admin: String,
    /// The attacker; no address in a benign sample.
    pub attacker: MailServerAttacker,
    /// Key moments of the compromise (UTC); `None` in a benign sample.
    pub key_times: Option<MailServerKeyTimes>,
    /// The legitimate IMAP aggregator (a policy risk, not an attacker).
    pub aggregator: Aggregator,
    /// Records and bytes per output file.
    pub files: Vec<FileCount>,
}

/// The organisation of a mail-server sample.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MailServerOrganisation {
    /// Name.
    pub name: String,
    /// Mail domain.
    pub domain: String,
    /// Host name the server logs under, and its address (`lip`).
    pub mail_host: String,
    /// The server's address.
    pub mail_ip: String,
    /// Campus networks (CIDR) where staff work.
    pub campus_networks: Vec<String>,
    /// Time zone of the log timestamps (the server's clock).
    pub log_time_zone: String,
}

/// The attacker of a mail-server sample.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MailServerAttacker {
    /// Addresses used.
    pub ips: Vec<AttackerIp>,
    /// Countries seen.
    pub countries: Vec<String>,
    /// Password guesses before the right one.
    pub failed_guesses: usize,
    /// Spam messages submitted with the victim's credentials.
    pub spam_messages: usize,
    /// Recipients of the spam.
    pub spam_recipients: usize,
}

/// Key moments of a mail-server compromise (UTC).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MailServerKeyTimes {
    /// First failed guess.
    pub brute_force_start: DateTime<Utc>,
    /// The right password found: the first malicious sign-in.
    pub first_malicious_signin: DateTime<Utc>,
    /// First spam message submitted.
    pub spam_start: DateTime<Utc>,
    /// Last spam message submitted.
    pub spam_end: DateTime<Utc>,
    /// Password changed by the administrator: the attacker's later tries fail.
    pub containment: DateTime<Utc>,
}
