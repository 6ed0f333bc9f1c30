//! The template's view of the detection results: verdicts per account, findings and
//! attacker indicators, each text cleaned and each time in the case's zone.
//!
//! Levels, severities and kinds arrive as strings (the JSON may come from another
//! version): known values get a translated label and a style class from a fixed
//! list; unknown ones are shown as cleaned text with a neutral style, never dropped.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::data::{DetectionSummary, FindingItem, IndicatorItem, IndicatorRef, Lang, ReportData, VerdictItem};
use crate::display_text::{Lines, MAX_LIST_ITEMS, clean, clean_list};
use crate::labels::Labels;
use crate::view::group_digits;
use crate::zoned_time::{ShownTime, ZonedClock};

/// Severities from least to most severe.
const SEVERITIES: [&str; 5] = ["informational", "low", "medium", "high", "critical"];
const CONFIDENCES: [&str; 3] = ["low", "medium", "high"];
/// Indicator kinds, in the order the indicator table groups them.
const INDICATOR_KINDS: [&str; 11] = [
    "ip", "asn", "user_agent", "session_id", "app_id", "rule_name", "forwarding_address", "email",
    "domain", "url", "subject",
];
const COMPROMISED: &str = "compromised";
const SUSPICIOUS: &str = "suspicious";
const NO_EVIDENCE: &str = "no_evidence";

/// Everything the template shows about detection.
#[derive(Serialize)]
pub(crate) struct DetectionView {
    /// Whether detection ran on the case; when not, the sections say so.
    ran: bool,
    summary: Option<SummaryView>,
    /// Compromised then suspicious accounts (then any unknown level).
    verdicts: Vec<VerdictView>,
    /// Accounts with no evidence, counted rather than listed.
    no_evidence: String,
    has_no_evidence: bool,
    compromised: String,
    has_compromised: bool,
    suspicious: String,
    findings_total: String,
    /// Most severe first, then oldest first.
    findings: Vec<FindingView>,
    indicators: Vec<IndicatorView>,
}

#[derive(Serialize)]
struct SummaryView {
    rules_loaded: String,
    rules_unsupported: String,
    has_unsupported: bool,
    findings: String,
    finished: ShownTime,
}

#[derive(Serialize)]
struct VerdictView {
    account: String,
    /// `compromised`, `suspicious` or `other`: a style class from a fixed list.
    class: &'static str,
    level: String,
    reasons: Vec<String>,
    findings: Vec<FindingLink>,
    more_findings: usize,
}

/// A reference to a finding; `linked` only when the finding is in the report.
#[derive(Serialize, Clone)]
struct FindingLink {
    id: i64,
    linked: bool,
    title: String,
    severity_class: &'static str,
    severity: String,
}

#[derive(Serialize)]
struct FindingView {
    id: i64,
    /// Whether this finding carries the `finding-<id>` anchor (the first with the id).
    anchor: bool,
    rule_id: String,
    title: String,
    explanation: String,
    severity_class: &'static str,
    severity: String,
    confidence: String,
    account: String,
    other_accounts: String,
    first: ShownTime,
    /// `None` when the finding is a single instant.
    last: Option<ShownTime>,
    event_count: String,
    attack: String,
    qualification: String,
    indicators: Vec<IndicatorRefView>,
    more_indicators: usize,
}

#[derive(Serialize)]
struct IndicatorRefView {
    kind: String,
    value: String,
}

#[derive(Serialize)]
struct IndicatorView {
    kind: String,
    value: String,
    first_seen: Option<ShownTime>,
    last_seen: Option<ShownTime>,
    findings: Vec<FindingLink>,
    more_findings: usize,
}

/// Builds the detection view of `data` with the label table `l`.
pub(crate) fn build(data: &ReportData, l: &Labels, clock: &ZonedClock) -> DetectionView {
    let lang = data.lang;
    let n = |v: usize| group_digits(v as u64, lang);
    let findings = finding_views(&data.findings, l, clock, lang);
    let links: HashMap<i64, FindingLink> = findings
        .iter()
        .filter(|f| f.anchor)
        .map(|f| (f.id, link_to(f)))
        .collect();
    let count = |level: &str| data.verdicts.iter().filter(|v| normalised(&v.level) == level).count();
    let (compromised, suspicious, no_evidence) = (count(COMPROMISED), count(SUSPICIOUS), count(NO_EVIDENCE));
    DetectionView {
        ran: data.detection.is_some(),
        summary: data.detection.as_ref().map(|d| summary_view(d, clock, lang)),
        verdicts: verdict_views(&data.verdicts, &links, l),
        no_evidence: n(no_evidence),
        has_no_evidence: no_evidence > 0,
        compromised: n(compromised),
        has_compromised: compromised > 0,
        suspicious: n(suspicious),
        findings_total: n(data.findings.len()),
        findings,
        indicators: indicator_views(&data.indicators, &links, l, clock),
    }
}

fn flat(text: &str) -> String {
    clean(text, Lines::Flatten)
}

fn normalised(value: &str) -> String {
    value.trim().to_ascii_lowercase()
}

/// The translated label `prefix + value` when `value` is one of `known`, else the
/// cleaned value itself (an unknown level is still shown, as found).
fn label_of(l: &Labels, prefix: &str, value: &str, known: &[&str]) -> String {
    let key = normalised(value);
    if known.contains(&key.as_str())
        && let Some(label) = l.get(&format!("{prefix}{key}"))
    {
        return label.clone();
    }
    flat(value)
}

/// Rank of a severity, most severe highest; unknown names rank below all known ones.
fn severity_rank(severity: &str) -> Option<usize> {
    let key = normalised(severity);
    SEVERITIES.iter().position(|s| *s == key)
}

fn severity_class(severity: &str) -> &'static str {
    match severity_rank(severity).and_then(|i| SEVERITIES.get(i)) {
        Some(&"critical") => "sev-critical",
        Some(&"high") => "sev-high",
        Some(&"medium") => "sev-medium",
        Some(&"low") => "sev-low",
        Some(_) => "sev-info",
        None => "sev-unknown",
    }
}

fn summary_view(d: &DetectionSummary, clock: &ZonedClock, lang: Lang) -> SummaryView {
    SummaryView {
        rules_loaded: group_digits(d.rules_loaded, lang),
        rules_unsupported: group_digits(d.rules_unsupported, lang),
        has_unsupported: d.rules_unsupported > 0,
        findings: group_digits(d.findings, lang),
        finished: clock.show(d.finished_at),
    }
}

fn link_to(f: &FindingView) -> FindingLink {
    FindingLink {
        id: f.id,
        linked: true,
        title: f.title.clone(),
        severity_class: f.severity_class,
        severity: f.severity.clone(),
    }
}

/// Links to the findings `ids` (duplicates dropped), at most [`MAX_LIST_ITEMS`];
/// also returns how many were left out.
fn links_for(ids: &[i64], links: &HashMap<i64, FindingLink>) -> (Vec<FindingLink>, usize) {
    let mut seen = HashSet::new();
    let unique: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let shown = unique
        .iter()
        .take(MAX_LIST_ITEMS)
        .map(|id| links.get(id).cloned().unwrap_or_else(|| dangling(*id)))
        .collect();
    (shown, unique.len().saturating_sub(MAX_LIST_ITEMS))
}

/// A reference to a finding that is not in the report: shown, but not as a link.
fn dangling(id: i64) -> FindingLink {
    FindingLink {
        id,
        linked: false,
        title: String::new(),
        severity_class: "sev-unknown",
        severity: String::new(),
    }
}

fn verdict_rank(level: &str) -> u8 {
    match normalised(level).as_str() {
        COMPROMISED => 0,
        SUSPICIOUS => 1,
        _ => 2,
    }
}

/// The verdicts worth reading one by one: all but `no_evidence`, worst first, then by account.
fn verdict_views(items: &[VerdictItem], links: &HashMap<i64, FindingLink>, l: &Labels) -> Vec<VerdictView> {
    let mut listed: Vec<&VerdictItem> = items.iter().filter(|v| normalised(&v.level) != NO_EVIDENCE).collect();
    listed.sort_by(|a, b| verdict_rank(&a.level).cmp(&verdict_rank(&b.level)).then_with(|| a.account.cmp(&b.account)));
    listed
        .into_iter()
        .map(|v| {
            let (findings, more_findings) = links_for(&v.finding_ids, links);
            VerdictView {
                account: flat(&v.account),
                class: match verdict_rank(&v.level) {
                    0 => COMPROMISED,
                    1 => SUSPICIOUS,
                    _ => "other",
                },
                level: label_of(l, "level_", &v.level, &[COMPROMISED, SUSPICIOUS]),
                reasons: v.reasons.iter().take(MAX_LIST_ITEMS).map(|r| clean(r, Lines::Keep)).collect(),
                findings,
                more_findings,
            }
        })
        .collect()
}

/// Findings, most severe first, then by first event, then by id (a stable order).
fn finding_views(items: &[FindingItem], l: &Labels, clock: &ZonedClock, lang: Lang) -> Vec<FindingView> {
    let mut sorted: Vec<&FindingItem> = items.iter().collect();
    sorted.sort_by(|a, b| {
        severity_rank(&b.severity)
            .cmp(&severity_rank(&a.severity))
            .then_with(|| a.first.cmp(&b.first))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut anchored = HashSet::new();
    sorted
        .into_iter()
        .map(|f| finding_view(f, anchored.insert(f.id), l, clock, lang))
        .collect()
}

fn finding_view(f: &FindingItem, anchor: bool, l: &Labels, clock: &ZonedClock, lang: Lang) -> FindingView {
    FindingView {
        id: f.id,
        anchor,
        rule_id: flat(&f.rule_id),
        title: flat(&f.title),
        explanation: clean(&f.explanation, Lines::Keep),
        severity_class: severity_class(&f.severity),
        severity: label_of(l, "sev_", &f.severity, &SEVERITIES),
        confidence: label_of(l, "conf_", &f.confidence, &CONFIDENCES),
        account: f.account.as_deref().map(flat).unwrap_or_default(),
        other_accounts: clean_list(&f.other_accounts),
        first: clock.show(f.first),
        last: (f.last != f.first).then(|| clock.show(f.last)),
        event_count: group_digits(f.event_count, lang),
        attack: clean_list(&f.attack),
        qualification: clean_list(&f.qualification),
        indicators: f.indicators.iter().take(MAX_LIST_ITEMS).map(|i| indicator_ref_view(i, l)).collect(),
        more_indicators: f.indicators.len().saturating_sub(MAX_LIST_ITEMS),
    }
}

fn indicator_ref_view(i: &IndicatorRef, l: &Labels) -> IndicatorRefView {
    IndicatorRefView {
        kind: label_of(l, "ind_", &i.kind, &INDICATOR_KINDS),
        value: flat(&i.value),
    }
}

/// Indicators grouped by kind (known kinds in a fixed order, unknown ones last),
/// then oldest first, then by value.
fn indicator_views(
    items: &[IndicatorItem],
    links: &HashMap<i64, FindingLink>,
    l: &Labels,
    clock: &ZonedClock,
) -> Vec<IndicatorView> {
    let kind_rank = |kind: &str| {
        let key = normalised(kind);
        INDICATOR_KINDS.iter().position(|k| *k == key).unwrap_or(INDICATOR_KINDS.len())
    };
    let mut sorted: Vec<&IndicatorItem> = items.iter().collect();
    // `None` sorts before `Some`; an unknown first sighting belongs after the dated ones.
    sorted.sort_by(|a, b| {
        kind_rank(&a.kind)
            .cmp(&kind_rank(&b.kind))
            .then_with(|| a.first_seen.is_none().cmp(&b.first_seen.is_none()))
            .then_with(|| a.first_seen.cmp(&b.first_seen))
            .then_with(|| a.value.cmp(&b.value))
    });
    sorted
        .into_iter()
        .map(|i| {
            let (findings, more_findings) = links_for(&i.finding_ids, links);
            IndicatorView {
                kind: label_of(l, "ind_", &i.kind, &INDICATOR_KINDS),
                value: flat(&i.value),
                first_seen: clock.show_opt(i.first_seen),
                last_seen: clock.show_opt(i.last_seen),
                findings,
                more_findings,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_rank_known_above_unknown() {
        assert!(severity_rank("critical") > severity_rank("high"));
        assert!(severity_rank(" High ") > severity_rank("medium"));
        assert!(severity_rank("informational") > severity_rank("bogus"));
        assert_eq!(severity_rank("bogus"), None);
        assert_eq!(severity_class("CRITICAL"), "sev-critical");
        assert_eq!(severity_class("<b>"), "sev-unknown");
    }

    #[test]
    fn unknown_values_are_shown_cleaned_not_looked_up() {
        let mut l = Labels::new();
        l.insert("sev_high".into(), "élevée".into());
        l.insert("sev_title".into(), "WRONG".into());
        assert_eq!(label_of(&l, "sev_", "HIGH", &SEVERITIES), "élevée");
        assert_eq!(label_of(&l, "sev_", "title", &SEVERITIES), "title");
        assert_eq!(label_of(&l, "sev_", "x\u{202E}y", &SEVERITIES), "x[U+202E]y");
    }

    #[test]
    fn links_are_deduplicated_bounded_and_dangling_ones_unlinked() {
        let mut links = HashMap::new();
        links.insert(1, FindingLink { linked: true, ..dangling(1) });
        let (shown, more) = links_for(&[1, 2, 1], &links);
        assert_eq!(shown.iter().map(|f| (f.id, f.linked)).collect::<Vec<_>>(), vec![(1, true), (2, false)]);
        assert_eq!(more, 0);
        let many: Vec<i64> = (0..MAX_LIST_ITEMS as i64 + 7).collect();
        let (shown, more) = links_for(&many, &links);
        assert_eq!((shown.len(), more), (MAX_LIST_ITEMS, 7));
    }
}
