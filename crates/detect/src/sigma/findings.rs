//! Matches to findings: one finding per rule, account and run of matches less than a day apart.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use mailcase_model::{
    Account, Confidence, EventId, Finding, FindingSource, Localized, Severity,
};

use super::{CorrelationMatch, RuleMatch, RuleSet};

/// A new finding starts when a match comes this long after the first of the current one.
/// Matches of one rule and account closer than this in time are one finding: a
/// recurring pattern (a client polling every hour) is one finding with all its events.
const WINDOW: Duration = Duration::hours(24);

/// Matched field values quoted in an explanation, at most.
const MAX_QUOTED: usize = 5;

/// Longest quoted value: attackers write long subjects and rule names.
const MAX_QUOTE_CHARS: usize = 120;

/// One match, whatever its kind, reduced to what grouping needs.
struct Hit<'m> {
    time: DateTime<Utc>,
    events: &'m [EventId],
    details: Vec<(&'m str, &'m str)>,
}

/// Groups matches into findings: one per (rule, account, run of matches less than a day apart),
/// keeping every event id. Matches of rules that only feed correlations are left out.
/// The French text falls back to the English one when the rule has none.
pub fn to_findings(
    set: &RuleSet,
    matches: &[RuleMatch],
    correlations: &[CorrelationMatch],
) -> Vec<Finding> {
    let mut groups: BTreeMap<(usize, Option<&Account>), Vec<Hit<'_>>> = BTreeMap::new();
    for m in matches {
        if set.rules().get(m.rule).is_some_and(|r| !r.correlation_only) {
            let details = m.matched_fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let hit = Hit { time: m.time, events: std::slice::from_ref(&m.event), details };
            groups.entry((m.rule, m.account.as_ref())).or_default().push(hit);
        }
    }
    for c in correlations {
        let details = c.group.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let hit = Hit { time: c.time, events: &c.events, details };
        groups.entry((c.rule, c.account.as_ref())).or_default().push(hit);
    }
    let mut out = Vec::new();
    for ((rule, account), mut hits) in groups {
        hits.sort_by_key(|h| h.time);
        for window in split_windows(&hits) {
            if let Some(f) = finding(set, rule, account, window) {
                out.push(f);
            }
        }
    }
    out.sort_by(|a, b| a.first.cmp(&b.first).then_with(|| a.rule_id.cmp(&b.rule_id)));
    out
}

fn split_windows<'h, 'm>(hits: &'h [Hit<'m>]) -> Vec<&'h [Hit<'m>]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, hit) in hits.iter().enumerate() {
        if i > 0 && hits.get(i - 1).is_some_and(|prev| hit.time - prev.time > WINDOW) {
            out.push(&hits[start..i]);
            start = i;
        }
    }
    if start < hits.len() {
        out.push(&hits[start..]);
    }
    out
}

fn finding(set: &RuleSet, rule: usize, account: Option<&Account>, hits: &[Hit<'_>]) -> Option<Finding> {
    let info = set.rules().get(rule)?;
    let first = hits.first()?.time;
    let last = hits.last()?.time;
    let mut events: Vec<EventId> = hits.iter().flat_map(|h| h.events.iter().copied()).collect();
    events.sort_unstable();
    events.dedup();
    let quoted = quote_details(hits);
    let who = account.map_or_else(|| "-".to_string(), |a| a.to_string());
    let n = events.len();
    let en = format!(
        "Sigma rule \"{}\" matched {n} event(s) of {who} from {first} to {last}.{quoted}{}",
        info.title,
        info.description.as_deref().map(|d| format!(" {}", d.trim())).unwrap_or_default()
    );
    let title_fr = info.title_fr.clone().unwrap_or_else(|| info.title.clone());
    let desc_fr = info.description_fr.as_deref().or(info.description.as_deref());
    let fr = format!(
        "La règle Sigma « {title_fr} » correspond à {n} événement(s) de {who} du {first} au \
         {last}.{quoted}{}",
        desc_fr.map(|d| format!(" {}", d.trim())).unwrap_or_default()
    );
    let source = match info.kind {
        super::RuleKind::Correlation => FindingSource::SigmaCorrelation,
        _ => FindingSource::SigmaRule,
    };
    Some(Finding {
        // The readable name (`mc_inbox_rule_forwarding`) when the rule has one; its id otherwise.
        rule_id: info.name.clone().unwrap_or_else(|| info.id.clone()),
        source,
        title: Localized::new(info.title.clone(), title_fr),
        explanation: Localized::new(en, fr),
        severity: info.level,
        confidence: confidence(info.level),
        account: account.cloned(),
        other_accounts: Vec::new(),
        first,
        last,
        events,
        attack: info.attack_techniques(),
        qualification: info.qualification.clone(),
        indicators: Vec::new(),
    })
}

/// Sigma has no confidence: the rule's level stands in for it.
fn confidence(level: Severity) -> Confidence {
    match level {
        Severity::Informational | Severity::Low => Confidence::Low,
        Severity::Medium => Confidence::Medium,
        Severity::High | Severity::Critical => Confidence::High,
    }
}

/// ` [field=value, ...]` from the distinct matched values, bounded.
fn quote_details(hits: &[Hit<'_>]) -> String {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for pair in hits.iter().flat_map(|h| h.details.iter()) {
        if seen.len() >= MAX_QUOTED {
            break;
        }
        if !seen.contains(pair) {
            seen.push(*pair);
        }
    }
    if seen.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = seen.iter().map(|(k, v)| format!("{k}={}", clip(v))).collect();
    format!(" [{}]", parts.join(", "))
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(MAX_QUOTE_CHARS).collect();
    if s.chars().count() > MAX_QUOTE_CHARS {
        out.push('…');
    }
    out
}
