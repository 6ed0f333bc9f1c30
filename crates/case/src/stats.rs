//! Aggregates for reports: per account, per country, per network, per source.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use serde::Serialize;

use crate::error::{Result, SqlContext};
use crate::store::Case;
use crate::times::from_stored;

/// What the evidence shows for one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// The account, lower-case.
    pub account: String,
    /// Events about it.
    pub events: u64,
    /// Successful sign-ins.
    pub signins_ok: u64,
    /// Failed sign-ins.
    pub signins_failed: u64,
    /// Countries its events came from, sorted.
    pub countries: Vec<String>,
    /// First event.
    pub first: Option<DateTime<Utc>>,
    /// Last event.
    pub last: Option<DateTime<Utc>>,
}

/// Sign-ins grouped by country or by autonomous system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignInGroup {
    /// Country code or AS number; `None` when unknown (not enriched).
    pub key: Option<String>,
    /// AS organisation (by ASN only).
    pub label: Option<String>,
    /// Successful sign-ins.
    pub success: u64,
    /// Failed sign-ins.
    pub failure: u64,
    /// Distinct accounts.
    pub accounts: u64,
    /// The distinct accounts, sorted (the first [`MAX_GROUP_ACCOUNTS`]).
    pub account_list: Vec<String>,
}

/// Accounts listed per sign-in group at most: a password spray touches hundreds.
pub const MAX_GROUP_ACCOUNTS: usize = 50;

/// Events per source kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    /// Source kind name.
    pub source: String,
    /// Events.
    pub events: u64,
}

const ACCOUNTS_SQL: &str = "SELECT account, count(*), \
    count(*) FILTER (WHERE action = 'sign_in' AND outcome = 'success'), \
    count(*) FILTER (WHERE action = 'sign_in' AND outcome = 'failure'), \
    json_group_array(DISTINCT country) FILTER (WHERE country IS NOT NULL), min(time), max(time) \
    FROM events WHERE account IS NOT NULL GROUP BY account ORDER BY account";

const SIGNINS_SQL: &str = "SELECT {key}, {label}, \
    count(*) FILTER (WHERE outcome = 'success'), count(*) FILTER (WHERE outcome = 'failure'), \
    count(DISTINCT account), json_group_array(DISTINCT account) FILTER (WHERE account IS NOT NULL) \
    FROM events WHERE action = 'sign_in' \
    GROUP BY {key} ORDER BY count(*) DESC, {key}";

impl Case {
    /// Every account seen, with its sign-in counts, countries and time span.
    pub fn accounts_seen(&self) -> Result<Vec<AccountSummary>> {
        self.collect(ACCOUNTS_SQL, |r| {
            let countries: String = r.get(4)?;
            let mut countries: Vec<String> = serde_json::from_str(&countries).unwrap_or_default();
            countries.sort();
            Ok(AccountSummary {
                account: r.get(0)?,
                events: count(r, 1)?,
                signins_ok: count(r, 2)?,
                signins_failed: count(r, 3)?,
                countries,
                first: r
                    .get::<_, Option<String>>(5)?
                    .as_deref()
                    .and_then(from_stored),
                last: r
                    .get::<_, Option<String>>(6)?
                    .as_deref()
                    .and_then(from_stored),
            })
        })
    }

    /// Sign-ins per country, most first.
    pub fn signins_by_country(&self) -> Result<Vec<SignInGroup>> {
        let sql = SIGNINS_SQL
            .replace("{key}", "country")
            .replace("{label}", "NULL");
        self.collect(&sql, read_group)
    }

    /// Sign-ins per autonomous system, most first.
    pub fn signins_by_asn(&self) -> Result<Vec<SignInGroup>> {
        let sql = SIGNINS_SQL
            .replace("{key}", "CAST(asn AS TEXT)")
            .replace("{label}", "max(as_org)");
        self.collect(&sql, read_group)
    }

    /// Events per source kind.
    pub fn counts_by_source(&self) -> Result<Vec<SourceCount>> {
        self.collect(
            "SELECT source, count(*) FROM events GROUP BY source ORDER BY source",
            |r| {
                Ok(SourceCount {
                    source: r.get(0)?,
                    events: count(r, 1)?,
                })
            },
        )
    }

    fn collect<T>(
        &self,
        sql: &str,
        read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let path = self.db_path();
        let mut stmt = self.conn().prepare(sql).at(path)?;
        let rows = stmt.query_map([], read).at(path)?;
        rows.collect::<rusqlite::Result<Vec<T>>>().at(path)
    }
}

fn read_group(r: &Row<'_>) -> rusqlite::Result<SignInGroup> {
    Ok(SignInGroup {
        key: r.get(0)?,
        label: r.get(1)?,
        success: count(r, 2)?,
        failure: count(r, 3)?,
        accounts: count(r, 4)?,
        account_list: {
            let list: String = r.get(5)?;
            let mut list: Vec<String> = serde_json::from_str(&list).unwrap_or_default();
            list.sort();
            list.truncate(MAX_GROUP_ACCOUNTS);
            list
        },
    })
}

fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{evidence, new_case, new_rule, sign_in};

    #[test]
    fn summarises_accounts_countries_networks_and_sources() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let mut w = case.event_writer(false).unwrap();
        w.write(&[
            sign_in(ev, 1, "a@x.fr", 1, false),
            sign_in(ev, 2, "a@x.fr", 2, false),
            sign_in(ev, 3, "a@x.fr", 3, true),
            sign_in(ev, 4, "b@x.fr", 4, true),
            new_rule(ev, 5, "a@x.fr", 9),
        ])
        .unwrap();
        let accounts = case.accounts_seen().unwrap();
        assert_eq!(accounts.len(), 2);
        assert_eq!(case.count_accounts().unwrap(), 2);
        let a = &accounts[0];
        assert_eq!(
            (a.account.as_str(), a.events, a.signins_ok, a.signins_failed),
            ("a@x.fr", 4, 1, 2)
        );
        assert_eq!(a.countries, vec!["FR", "NG"]);
        assert!(a.first < a.last);
        let by_country = case.signins_by_country().unwrap();
        let got: Vec<_> = by_country
            .iter()
            .map(|g| (g.key.as_deref(), g.success, g.failure, g.accounts))
            .collect();
        assert_eq!(got, vec![(Some("FR"), 2, 0, 2), (Some("NG"), 0, 2, 1)]);
        let by_asn = case.signins_by_asn().unwrap();
        assert_eq!(by_asn.len(), 1);
        assert_eq!(
            (
                by_asn[0].key.as_deref(),
                by_asn[0].label.as_deref(),
                by_asn[0].success
            ),
            (Some("3215"), Some("Orange"), 2)
        );
        let sources = case.counts_by_source().unwrap();
        let got: Vec<_> = sources
            .iter()
            .map(|s| (s.source.as_str(), s.events))
            .collect();
        assert_eq!(got, vec![("entra_signin", 4), ("m365_ual", 1)]);
    }
}
