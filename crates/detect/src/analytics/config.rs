//! Settings of the analytics, with defaults chosen for a mid-size organisation.

use std::net::IpAddr;

use chrono::TimeDelta;

/// Thresholds and the organisation's own infrastructure. Every field has a documented
/// default ([`AnalyticsConfig::default`]); change the fields you need.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AnalyticsConfig {
    /// The organisation's mail domains (forwarding inside them is not exfiltration).
    /// Default: none.
    pub org_domains: Vec<String>,
    /// The organisation's own addresses (office egress, VPN concentrator, mail servers):
    /// never a new network, never an indicator. Default: none.
    pub org_ips: Vec<IpAddr>,
    /// How long an account's history is only learned from, counted from its first
    /// successful sign-in. Default: 7 days.
    pub learning_period: TimeDelta,
    /// Successful sign-ins needed as well before new countries and networks are reported.
    /// Default: 5.
    pub learning_min_sign_ins: u32,
    /// Speed above which travel between two sign-ins is impossible. Default: 900 km/h
    /// (an airliner's cruising speed).
    pub travel_max_speed_kmh: f64,
    /// Distances shorter than this are never reported (country centres are coarse).
    /// Default: 500 km.
    pub travel_min_distance_km: f64,
    /// Failed sign-ins of one account that make a success suspicious. Default: 5.
    pub brute_force_failures: usize,
    /// How far back failures count, for brute force and spray. Default: 1 hour.
    pub failure_window: TimeDelta,
    /// Distinct accounts one address must fail against to be a spray. Default: 3
    /// (crowdsec's Dovecot user-enumeration scenarios fire on 3 to 4 accounts); the
    /// shared-egress guard (many successes from the address) still applies.
    pub spray_min_accounts: usize,
    /// Credential failures of one account (or without an account) from one address
    /// within the failure window, never followed by a success from that address, that
    /// make a brute-force attempt. Default: 4 (crowdsec's Dovecot slow brute-force
    /// scenario fires on 4).
    pub brute_force_attempt_failures: usize,
    /// Two uses of one session from different networks closer than this are a replay.
    /// Default: 30 minutes.
    pub token_replay_window: TimeDelta,
    /// How long after a suspicious sign-in a rule, forwarding, MFA method or consent is
    /// tied to it. Default: 24 hours.
    pub chain_window: TimeDelta,
    /// Window of the mail bursts (deletion, sending, synchronisation). Default: 10 minutes.
    pub burst_window: TimeDelta,
    /// Messages deleted within the burst window for a mass deletion. Default: 100.
    pub mass_delete_count: u64,
    /// Messages with one subject sent within one hour for a mass sending. Default: 20.
    pub mass_send_same_subject: usize,
    /// Items synchronised (`MailItemsAccessed`, `Sync`) within the burst window for a
    /// burst. Default: 150.
    pub mail_sync_items: u64,
    /// Messages submitted by one account within one hour for a mass submission.
    /// Default: 100 (a busy person sends a few dozen a day).
    pub mass_submission_messages: usize,
    /// Recipients of the messages submitted by one account within one hour for a mass
    /// submission. Default: 300.
    pub mass_submission_recipients: u64,
    /// Accesses from an aggregator network before the aggregator is reported. Default: 3.
    pub aggregator_min_accesses: usize,
    /// Findings of the same analytic, account and subject closer than this are merged
    /// into one. Default: 10 minutes.
    pub group_gap: TimeDelta,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            org_domains: Vec::new(),
            org_ips: Vec::new(),
            learning_period: TimeDelta::days(7),
            learning_min_sign_ins: 5,
            travel_max_speed_kmh: 900.0,
            travel_min_distance_km: 500.0,
            brute_force_failures: 5,
            failure_window: TimeDelta::hours(1),
            spray_min_accounts: 3,
            brute_force_attempt_failures: 4,
            token_replay_window: TimeDelta::minutes(30),
            chain_window: TimeDelta::hours(24),
            burst_window: TimeDelta::minutes(10),
            mass_delete_count: 100,
            mass_send_same_subject: 20,
            mail_sync_items: 150,
            mass_submission_messages: 100,
            mass_submission_recipients: 300,
            aggregator_min_accesses: 3,
            group_gap: TimeDelta::minutes(10),
        }
    }
}

impl AnalyticsConfig {
    /// The defaults, with the organisation's mail domains (trimmed, lower case, without `@`).
    pub fn with_org_domains<I, S>(domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        AnalyticsConfig {
            org_domains: domains
                .into_iter()
                .map(|d| d.as_ref().trim().trim_start_matches('@').to_lowercase())
                .filter(|d| !d.is_empty())
                .collect(),
            ..AnalyticsConfig::default()
        }
    }

    /// Whether `address` is in one of the organisation's domains.
    pub fn is_org_address(&self, address: &str) -> bool {
        let lower = address.trim().to_lowercase();
        let domain = lower.rsplit_once('@').map_or(lower.as_str(), |(_, d)| d);
        self.org_domains.iter().any(|d| domain == d || domain.ends_with(&format!(".{d}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_addresses_are_recognised() {
        let cfg = AnalyticsConfig::with_org_domains(["@Example.FR", " "]);
        assert_eq!(cfg.org_domains, vec!["example.fr".to_owned()]);
        assert!(cfg.is_org_address("Jane@example.fr"));
        assert!(cfg.is_org_address("jane@mail.example.fr"));
        assert!(!cfg.is_org_address("jane@example.fr.evil.com"));
        assert!(!cfg.is_org_address("jane@notexample.fr"));
    }
}
