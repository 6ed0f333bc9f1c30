//! The template's view of a report: every text cleaned, every time in the case's
//! zone, every number formatted for the language.
//!
//! Keeping this in Rust leaves the template with layout only, and makes the
//! neutralising of hostile text impossible to forget in one cell.

use serde::Serialize;

use crate::chart::{Chart, chart};
use crate::detection_view::{self, DetectionView};
use crate::data::{AccountSummary, AsnRow, CountRow, EvidenceItem, JournalItem, Lang, ReportData, TimelineItem};
use crate::display_text::{Lines, clean, clean_list};
use crate::error::ReportError;
use crate::labels::{Labels, labels};
use crate::zoned_time::{ShownTime, ZonedClock};

/// The whole template context.
#[derive(Serialize)]
pub(crate) struct ReportView {
    lang: &'static str,
    l: Labels,
    case_name: String,
    generated: ShownTime,
    zone: &'static str,
    tool_version: String,
    org_domains: String,
    totals: Totals,
    evidence: Vec<EvidenceView>,
    accounts: Vec<AccountView>,
    countries: Vec<CountView>,
    country_chart: Chart,
    asns: Vec<AsnView>,
    asn_chart: Chart,
    timeline: Vec<TimelineView>,
    journal: Vec<JournalView>,
    journal_verified: bool,
    geo_attribution: Vec<String>,
    detection: DetectionView,
}

#[derive(Serialize)]
struct Totals {
    evidence: String,
    events: String,
    accounts: String,
    warnings: String,
    timeline: String,
    journal: String,
}

#[derive(Serialize)]
struct EvidenceView {
    id: i64,
    file_name: String,
    sha256: String,
    size: String,
    format: String,
    imported: ShownTime,
    records: String,
    events: String,
    warnings: String,
    has_warnings: bool,
}

#[derive(Serialize)]
struct AccountView {
    account: String,
    external: bool,
    events: String,
    ok: String,
    failed: String,
    countries: String,
    first_seen: Option<ShownTime>,
    last_seen: Option<ShownTime>,
}

#[derive(Serialize)]
struct CountView {
    key: String,
    label: String,
    ok: String,
    failed: String,
    accounts_count: String,
    accounts: String,
}

#[derive(Serialize)]
struct AsnView {
    asn: u32,
    org: String,
    country: String,
    ok: String,
    failed: String,
    accounts_count: String,
    accounts: String,
}

#[derive(Serialize)]
struct TimelineView {
    time: ShownTime,
    source: String,
    actor: String,
    account: String,
    action: String,
    comment: String,
    event_id: String,
}

#[derive(Serialize)]
struct JournalView {
    seq: i64,
    occurred: ShownTime,
    recorded: ShownTime,
    author: String,
    kind: String,
    text: String,
    struck: bool,
    struck_by: Option<i64>,
    strike_reason: String,
    hash: String,
}

/// Builds the view of `data`.
pub(crate) fn build(data: &ReportData) -> Result<ReportView, ReportError> {
    let clock = ZonedClock::new(&data.time_zone, data.lang)?;
    let lang = data.lang;
    let n = |v: u64| group_digits(v, lang);
    let total_events: u64 = data.evidence.iter().map(|e| e.events).sum();
    let totals = Totals {
        evidence: n(data.evidence.len() as u64),
        events: n(total_events),
        accounts: n(data.accounts.len() as u64),
        warnings: n(data.warnings_total),
        timeline: n(data.timeline.len() as u64),
        journal: n(data.journal.len() as u64),
    };
    let org_domains: Vec<String> = data.org_domains.iter().map(|d| d.to_lowercase()).collect();
    let l = labels(lang)?;
    let detection = detection_view::build(data, &l, &clock);
    Ok(ReportView {
        lang: lang.tag(),
        l,
        case_name: flat(&data.case_name),
        generated: clock.show(data.generated_at),
        zone: clock.zone_name(),
        tool_version: flat(&data.tool_version),
        org_domains: clean_list(&org_domains),
        totals,
        evidence: data.evidence.iter().map(|e| evidence_view(e, &clock, lang)).collect(),
        accounts: data.accounts.iter().map(|a| account_view(a, &org_domains, &clock, lang)).collect(),
        countries: data.signins_by_country.iter().map(|c| count_view(c, lang)).collect(),
        country_chart: chart(data.signins_by_country.iter().map(|c| {
            (country_chart_label(c), c.signins_ok, c.signins_failed)
        })),
        asns: data.signins_by_asn.iter().map(|a| asn_view(a, lang)).collect(),
        asn_chart: chart(data.signins_by_asn.iter().map(|a| {
            (format!("AS{} {}", a.asn, flat(&a.org)), a.signins_ok, a.signins_failed)
        })),
        timeline: timeline_views(&data.timeline, &clock),
        journal: journal_views(&data.journal, &clock),
        journal_verified: data.journal_verified,
        geo_attribution: data.geo_attribution.iter().map(|g| flat(g)).collect(),
        detection,
    })
}

fn flat(text: &str) -> String {
    clean(text, Lines::Flatten)
}

fn flat_opt(text: Option<&String>) -> String {
    text.map(|t| flat(t)).unwrap_or_default()
}

fn evidence_view(e: &EvidenceItem, clock: &ZonedClock, lang: Lang) -> EvidenceView {
    EvidenceView {
        id: e.id,
        file_name: flat(&e.file_name),
        sha256: flat(&e.sha256),
        size: group_digits(e.size, lang),
        format: flat(&e.format),
        imported: clock.show(e.imported_at),
        records: group_digits(e.records, lang),
        events: group_digits(e.events, lang),
        warnings: group_digits(e.warnings, lang),
        has_warnings: e.warnings > 0,
    }
}

fn account_view(a: &AccountSummary, org: &[String], clock: &ZonedClock, lang: Lang) -> AccountView {
    AccountView {
        account: flat(&a.account),
        external: !org.is_empty() && !in_org(&a.account, org),
        events: group_digits(a.events, lang),
        ok: group_digits(a.signins_ok, lang),
        failed: group_digits(a.signins_failed, lang),
        countries: clean_list(&a.countries),
        first_seen: clock.show_opt(a.first_seen),
        last_seen: clock.show_opt(a.last_seen),
    }
}

/// Whether `account`'s domain is one of the organisation's (or a subdomain of one).
fn in_org(account: &str, org: &[String]) -> bool {
    let Some((_, domain)) = account.rsplit_once('@') else {
        return false;
    };
    let domain = domain.to_lowercase();
    org.iter().any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
}

fn count_view(c: &CountRow, lang: Lang) -> CountView {
    CountView {
        key: flat(&c.key),
        label: flat(&c.label),
        ok: group_digits(c.signins_ok, lang),
        failed: group_digits(c.signins_failed, lang),
        accounts_count: group_digits(c.accounts.len() as u64, lang),
        accounts: clean_list(&c.accounts),
    }
}

fn country_chart_label(c: &CountRow) -> String {
    match (c.key.is_empty(), c.label.is_empty()) {
        (true, true) => "?".to_string(),
        (false, true) => flat(&c.key),
        _ => flat(&c.label),
    }
}

fn asn_view(a: &AsnRow, lang: Lang) -> AsnView {
    AsnView {
        asn: a.asn,
        org: flat(&a.org),
        country: flat_opt(a.country.as_ref()),
        ok: group_digits(a.signins_ok, lang),
        failed: group_digits(a.signins_failed, lang),
        accounts_count: group_digits(a.accounts.len() as u64, lang),
        accounts: clean_list(&a.accounts),
    }
}

/// The timeline in time order (stable, so equal times keep the case's order).
fn timeline_views(items: &[TimelineItem], clock: &ZonedClock) -> Vec<TimelineView> {
    let mut sorted: Vec<&TimelineItem> = items.iter().collect();
    sorted.sort_by_key(|t| t.time);
    sorted
        .into_iter()
        .map(|t| TimelineView {
            time: clock.show(t.time),
            source: flat(&t.source),
            actor: flat_opt(t.actor.as_ref()),
            account: flat_opt(t.account.as_ref()),
            action: flat(&t.action),
            comment: clean(&t.comment, Lines::Keep),
            event_id: flat_opt(t.event_id.as_ref()),
        })
        .collect()
}

/// The journal in sequence order.
fn journal_views(items: &[JournalItem], clock: &ZonedClock) -> Vec<JournalView> {
    let mut sorted: Vec<&JournalItem> = items.iter().collect();
    sorted.sort_by_key(|j| j.seq);
    sorted
        .into_iter()
        .map(|j| JournalView {
            seq: j.seq,
            occurred: clock.show(j.occurred_at),
            recorded: clock.show(j.recorded_at),
            author: flat(&j.author),
            kind: flat(&j.kind),
            text: clean(&j.text, Lines::Keep),
            struck: j.struck_by.is_some(),
            struck_by: j.struck_by,
            strike_reason: j.strike_reason.as_deref().map(|r| clean(r, Lines::Keep)).unwrap_or_default(),
            hash: flat(&j.hash),
        })
        .collect()
}

/// `1234567` as `1 234 567` (fr, narrow no-break spaces) or `1,234,567` (en).
pub(crate) fn group_digits(value: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::Fr => '\u{202F}',
        Lang::En => ',',
    };
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_per_language() {
        assert_eq!(group_digits(0, Lang::En), "0");
        assert_eq!(group_digits(999, Lang::En), "999");
        assert_eq!(group_digits(1000, Lang::En), "1,000");
        assert_eq!(group_digits(1_234_567, Lang::En), "1,234,567");
        assert_eq!(group_digits(1_234_567, Lang::Fr), "1\u{202F}234\u{202F}567");
    }

    #[test]
    fn org_membership_is_by_domain_not_substring() {
        let org = vec!["contoso.fr".to_string()];
        assert!(in_org("alice@contoso.fr", &org));
        assert!(in_org("bob@mail.contoso.fr", &org));
        assert!(in_org("Carol@CONTOSO.FR", &org));
        assert!(!in_org("eve@evilcontoso.fr", &org));
        assert!(!in_org("eve@contoso.fr.evil.com", &org));
        assert!(!in_org("no-at-sign", &org));
    }
}
