//! `mailcase hunt --url U --domain D`: who else visited the phishing site (proxy logs),
//! and who else received mail from its domain (message traces).
//!
//! Everything is grouped in SQL so memory does not grow with the proxy logs: one row
//! per visitor (account and client address) and one per recipient.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::Value;

use mailcase_case::Case;

use crate::Ctx;
use crate::args::HuntArgs;
use crate::journal_util;
use crate::output::{Listing, terminal_safe};

/// Columns of the listing; web visits and mail recipients share them.
pub const COLUMNS: [&str; 10] =
    ["kind", "indicator", "account", "ip", "first", "last", "count", "methods", "credentials_likely_typed", "detail"];

/// Most rows one search returns (a proxy log of a whole organisation stays bounded).
const MAX_ROWS: usize = 100_000;

/// One thing to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL: its host (lower-case) and what follows it (path and query, as given).
    Url { label: String, host: String, rest: String },
    /// A domain, lower-case, without leading `*.` or trailing dot.
    Domain(String),
}

impl Target {
    /// A URL as typed: the scheme and any credentials are dropped, the host lower-cased.
    pub fn url(text: &str) -> Option<Target> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        let after_scheme = ["https://", "http://"]
            .iter()
            .find(|s| lower.starts_with(*s))
            .map_or(trimmed, |s| trimmed.get(s.len()..).unwrap_or(""));
        let cut = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
        let (authority, rest) = after_scheme.split_at(cut);
        // `user:pass@host` in a pasted URL: the proxy logs the host only.
        let host = authority.rsplit('@').next().unwrap_or(authority).to_ascii_lowercase();
        (!host.is_empty()).then(|| Target::Url { label: trimmed.to_owned(), host, rest: rest.to_owned() })
    }

    /// A domain as typed (`Evil.example.`, `*.evil.example`).
    pub fn domain(text: &str) -> Option<Target> {
        let d = text.trim().trim_start_matches("*.").trim_matches('.').to_ascii_lowercase();
        (!d.is_empty() && !d.contains(['/', '@', ' '])).then_some(Target::Domain(d))
    }

    fn label(&self) -> String {
        match self {
            Target::Url { label, .. } => format!("url {label}"),
            Target::Domain(d) => format!("domain {d}"),
        }
    }
}

/// The scheme-less URL of a `web_request` (full URL through a proxy, `host:443` for CONNECT).
const STRIPPED_URL: &str = "CASE \
     WHEN lower(substr(u, 1, 7)) = 'http://' THEN substr(u, 8) \
     WHEN lower(substr(u, 1, 8)) = 'https://' THEN substr(u, 9) ELSE u END";

/// Web visits, grouped per account and address; `?1` label, `?2` host, `?3` rest (URL
/// searches) or `?2` domain (domain searches).
fn visits_sql(url: bool) -> String {
    let matches = if url {
        // Host compared without case; the rest is a prefix, and a bare host must end
        // there so that `evil.com` does not find `evil.community`.
        "lower(substr(s, 1, length(?2))) = ?2 \
         AND substr(s, length(?2) + 1, length(?3)) = ?3 \
         AND (?3 <> '' OR length(s) = length(?2) OR substr(s, length(?2) + 1, 1) IN ('/', ':', '?', '#'))"
    } else {
        "(host = ?2 OR substr(host, -(length(?2) + 1)) = '.' || ?2)"
    };
    format!(
        "WITH w AS (SELECT account, ip, time, upper(json_extract(details, '$.method')) AS method, \
           json_extract(details, '$.url') AS u, lower(json_extract(raw, '$.host')) AS host \
           FROM events WHERE action = 'web_request'), \
         m AS (SELECT *, {STRIPPED_URL} AS s FROM w) \
         SELECT 'web_visit' AS kind, ?1 AS indicator, coalesce(account, '') AS account, coalesce(ip, '') AS ip, \
           min(time) AS first, max(time) AS last, count(*) AS count, \
           group_concat(DISTINCT method) AS methods, max(method = 'POST') AS post, \
           count(DISTINCT u) || ' URL(s)' AS detail \
         FROM m WHERE {matches} GROUP BY account, ip ORDER BY first"
    )
}

/// The sender's domain of a `message_trace`, lower-case, `<...>` removed.
const SENDER_DOMAIN: &str =
    "lower(rtrim(substr(json_extract(details, '$.sender'), instr(json_extract(details, '$.sender'), '@') + 1), '>'))";

/// Recipients of mail from the domain `?2`, grouped per recipient. Postfix logs the
/// sender and each recipient on separate lines tied by the queue id (`session_id`).
fn mail_sql() -> String {
    let from_domain = format!(
        "(instr(coalesce(json_extract(details, '$.sender'), ''), '@') > 0 \
          AND ({SENDER_DOMAIN} = ?2 OR substr({SENDER_DOMAIN}, -(length(?2) + 1)) = '.' || ?2))"
    );
    format!(
        "WITH q AS (SELECT session_id, min(json_extract(details, '$.sender')) AS sender FROM events \
           WHERE action = 'message_trace' AND source = 'postfix' AND session_id IS NOT NULL AND {from_domain} \
           GROUP BY session_id), \
         r AS (SELECT json_extract(details, '$.recipient') AS recipient, time, \
           coalesce(json_extract(details, '$.sender'), \
             (SELECT q.sender FROM q WHERE q.session_id = events.session_id)) AS sender, \
           json_extract(details, '$.from_ip') AS from_ip \
           FROM events WHERE action = 'message_trace' \
           AND ({from_domain} OR (source = 'postfix' AND session_id IN (SELECT session_id FROM q)))) \
         SELECT 'mail_received' AS kind, ?1 AS indicator, recipient AS account, \
           coalesce(group_concat(DISTINCT from_ip), '') AS ip, min(time) AS first, max(time) AS last, \
           count(*) AS count, '' AS methods, 0 AS post, coalesce(group_concat(DISTINCT sender), '') AS detail \
         FROM r WHERE recipient IS NOT NULL AND recipient <> '' GROUP BY recipient ORDER BY first"
    )
}

/// What a hunt found, for the summary and the journal.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HuntTally {
    /// Distinct visitors (account and address pairs).
    pub visitors: usize,
    /// Visitors that sent a POST.
    pub posted: usize,
    /// Recipients of mail from a hunted domain.
    pub recipients: usize,
}

/// Every row of the hunt, in listing order (columns: [`COLUMNS`]).
pub fn search(case: &Case, targets: &[Target]) -> Result<Vec<Vec<Value>>> {
    let mut rows = Vec::new();
    for target in targets {
        let label = target.label();
        match target {
            Target::Url { host, rest, .. } => {
                let sql = visits_sql(true);
                let params = [label.as_str(), host.as_str(), rest.as_str()];
                rows.extend(case.query_readonly_params(&sql, &params, MAX_ROWS)?.rows);
            }
            Target::Domain(domain) => {
                let params = [label.as_str(), domain.as_str()];
                rows.extend(case.query_readonly_params(&visits_sql(false), &params, MAX_ROWS)?.rows);
                rows.extend(case.query_readonly_params(&mail_sql(), &params, MAX_ROWS)?.rows);
            }
        }
    }
    for row in &mut rows {
        // SQLite gives 0/1; the listing says true/false.
        if let Some(post) = row.get_mut(8) {
            *post = Value::Bool(post.as_i64().is_some_and(|v| v != 0));
        }
    }
    Ok(rows)
}

/// Counts visitors, POST senders and recipients in the rows of [`search`].
pub fn tally(rows: &[Vec<Value>]) -> HuntTally {
    let mut t = HuntTally::default();
    for row in rows {
        match row.first().and_then(Value::as_str) {
            Some("web_visit") => {
                t.visitors += 1;
                t.posted += usize::from(row.get(8).and_then(Value::as_bool).unwrap_or(false));
            }
            Some("mail_received") => t.recipients += 1,
            _ => {}
        }
    }
    t
}

/// Runs the URL and domain hunt of `hunt --url/--domain`.
pub fn run(ctx: &Ctx, a: &HuntArgs) -> Result<ExitCode> {
    let case = ctx.open_case(&a.case.dir)?;
    let mut targets = Vec::new();
    for u in &a.urls {
        match Target::url(u) {
            Some(t) => targets.push(t),
            None => eprintln!("{}", terminal_safe(&t!("hunt-bad-url", url = u.clone()))),
        }
    }
    for d in &a.domains {
        match Target::domain(d) {
            Some(t) => targets.push(t),
            None => eprintln!("{}", terminal_safe(&t!("hunt-bad-domain", domain = d.clone()))),
        }
    }
    let rows = search(&case, &targets)?;
    let mut listing = Listing::new(a.format, io::stdout().lock(), &COLUMNS)?;
    for row in &rows {
        listing.row(row)?;
    }
    listing.finish()?;
    report_posts(&rows);
    let t = tally(&rows);
    let searched: Vec<String> = targets.iter().map(Target::label).collect();
    let text = t!(
        "journal-hunt-url",
        searched = searched.join(", "),
        visitors = t.visitors,
        posted = t.posted,
        recipients = t.recipients
    );
    eprintln!("{}", terminal_safe(&text));
    let author = journal_util::author_or_default(a.author.as_deref());
    journal_util::system(&case, &author, text, vec![])?;
    Ok(ExitCode::SUCCESS)
}

/// One warning line per visitor that sent a POST (on stderr: stdout is the listing).
fn report_posts(rows: &[Vec<Value>]) {
    let text = |row: &[Value], i: usize| row.get(i).map(crate::output::cell_text).unwrap_or_default();
    for row in rows.iter().filter(|r| r.get(8).and_then(Value::as_bool) == Some(true)) {
        let line = t!("hunt-url-posted", account = text(row, 2), ip = text(row, 3), indicator = text(row, 1));
        eprintln!("{}", terminal_safe(&line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailcase_case::CaseSettings;

    #[test]
    fn urls_lose_scheme_credentials_and_host_case() {
        let t = Target::url(" HTTPS://user:pw@Evil.Example/Login.php?x=1 ").expect("url");
        assert_eq!(
            t,
            Target::Url {
                label: "HTTPS://user:pw@Evil.Example/Login.php?x=1".into(),
                host: "evil.example".into(),
                rest: "/Login.php?x=1".into()
            }
        );
        assert_eq!(Target::url("evil.example").map(|t| t.label()), Some("url evil.example".into()));
        assert_eq!(Target::url("https://"), None);
        assert_eq!(Target::domain("*.Evil.Example."), Some(Target::Domain("evil.example".into())));
        assert_eq!(Target::domain("a@b"), None);
    }

    /// A case holding the events these log lines give.
    fn case_with(dir: &std::path::Path, files: &[(&str, &str)]) -> Case {
        let case = Case::create(dir.join("case"), CaseSettings::new("t")).expect("case");
        let mut writer = case.event_writer(false).expect("writer");
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write log");
            let id = case.register_evidence(&path, false).expect("register").id();
            let format = mailcase_sources::sniff_file(&path).expect("sniff").expect("format");
            let mut events = Vec::new();
            mailcase_sources::read_file(&path, format, id, |b| {
                events.extend(b.events);
                Ok(())
            })
            .expect("read");
            writer.write(&events).expect("store");
        }
        writer.finish().expect("finish");
        case
    }

    const SQUID: &str = "\
1732285000.100    120 10.0.0.5 TCP_MISS/200 5120 GET http://evil.example/login.php alice DIRECT/203.0.113.9 text/html
1732285060.200     80 10.0.0.5 TCP_MISS/302 310 POST http://evil.example/login.php?step=2 alice DIRECT/203.0.113.9 text/html
1732285100.300     90 10.0.0.7 TCP_MISS/200 4000 GET https://EVIL.example/login.php bob DIRECT/203.0.113.9 text/html
1732285200.400     70 10.0.0.8 TCP_MISS/200 900 GET http://evil.example.community/login.php carol DIRECT/198.51.100.1 text/html
1732285300.500     60 10.0.0.9 TCP_TUNNEL/200 700 CONNECT cdn.evil.example:443 dave HIER_DIRECT/203.0.113.10 -
1732285400.600     50 10.0.0.10 TCP_MISS/200 800 GET http://good.example/evil.example/login.php erin DIRECT/192.0.2.1 text/html
";

    fn accounts(rows: &[Vec<Value>], kind: &str) -> Vec<String> {
        rows.iter()
            .filter(|r| r.first().and_then(Value::as_str) == Some(kind))
            .map(|r| r.get(2).map(crate::output::cell_text).unwrap_or_default())
            .collect()
    }

    #[test]
    fn url_hunt_finds_visitors_by_prefix_and_marks_posts() {
        let dir = tempfile::tempdir().expect("dir");
        let case = case_with(dir.path(), &[("access.log", SQUID)]);
        let target = Target::url("https://evil.example/login.php").expect("url");
        let rows = search(&case, &[target]).expect("search");
        assert_eq!(accounts(&rows, "web_visit"), ["alice", "bob"], "{rows:?}");
        let alice = rows.first().expect("alice");
        assert_eq!(alice.get(6), Some(&Value::from(2)));
        assert_eq!(alice.get(8), Some(&Value::Bool(true)));
        assert_eq!(rows.get(1).and_then(|r| r.get(8)), Some(&Value::Bool(false)));
        assert_eq!(tally(&rows), HuntTally { visitors: 2, posted: 1, recipients: 0 });
        // A bare host does not match a longer host name.
        let bare = search(&case, &[Target::url("evil.example").expect("url")]).expect("search");
        assert_eq!(accounts(&bare, "web_visit"), ["alice", "bob"]);
    }

    const POSTFIX: &str = "\
2026-11-22T09:00:00+00:00 mx1 postfix/qmgr[100]: 4A1B2C3D4E: from=<billing@mail.evil.example>, size=2048, nrcpt=2 (queue active)
2026-11-22T09:00:01+00:00 mx1 postfix/lmtp[101]: 4A1B2C3D4E: to=<alice@contoso.fr>, relay=mbox[10.0.0.2]:24, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 OK)
2026-11-22T09:00:01+00:00 mx1 postfix/lmtp[101]: 4A1B2C3D4E: to=<bob@contoso.fr>, relay=mbox[10.0.0.2]:24, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 OK)
2026-11-22T09:05:00+00:00 mx1 postfix/qmgr[100]: 5B2C3D4E5F: from=<news@good.example>, size=2048, nrcpt=1 (queue active)
2026-11-22T09:05:01+00:00 mx1 postfix/lmtp[101]: 5B2C3D4E5F: to=<carol@contoso.fr>, relay=mbox[10.0.0.2]:24, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 OK)
";

    #[test]
    fn domain_hunt_finds_subdomain_visitors_and_mail_recipients() {
        let dir = tempfile::tempdir().expect("dir");
        let case = case_with(dir.path(), &[("access.log", SQUID), ("mail.log", POSTFIX)]);
        let rows = search(&case, &[Target::domain("evil.example").expect("domain")]).expect("search");
        assert_eq!(accounts(&rows, "web_visit"), ["alice", "bob", "dave"], "{rows:?}");
        let mut recipients = accounts(&rows, "mail_received");
        recipients.sort();
        assert_eq!(recipients, ["alice@contoso.fr", "bob@contoso.fr"], "{rows:?}");
        assert_eq!(tally(&rows).recipients, 2);
        let alice = rows.iter().find(|r| r.get(2) == Some(&Value::from("alice@contoso.fr"))).expect("alice");
        assert_eq!(alice.get(9), Some(&Value::from("billing@mail.evil.example")), "the sender is named");
    }
}
