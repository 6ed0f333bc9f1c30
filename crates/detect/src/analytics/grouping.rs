//! Findings under construction, and the merging of identical findings that come in a
//! burst (38 rules created in one minute make one finding, with the 38 events).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use mailcase_model::{
    Account, Confidence, EventId, Finding, FindingSource, Indicator, Localized, Severity,
};

use super::catalog::Catalog;

/// Most events kept in one finding; beyond it the explanation says how many were left out.
pub(crate) const MAX_EVENTS: usize = 10_000;
/// Most indicators and other accounts kept in one finding.
const MAX_LIST: usize = 1_000;

/// How a draft merges with earlier drafts of the same analytic, account and subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Merge {
    /// Only when it follows the previous one within the grouping gap.
    Burst,
    /// Always: one finding per subject for the whole input (a new country is new once).
    Always,
}

/// A finding before its static parts (title, ATT&CK, qualification) are added.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub rule: &'static str,
    pub account: Option<Account>,
    /// What makes two drafts "the same finding" besides rule and account.
    pub subject: String,
    pub merge: Merge,
    pub severity: Severity,
    pub confidence: Confidence,
    pub explanation: Localized,
    pub events: Vec<(EventId, DateTime<Utc>)>,
    pub indicators: Vec<Indicator>,
    pub other_accounts: Vec<Account>,
}

impl Draft {
    /// A draft with no events, indicators or other accounts yet.
    pub(crate) fn new(
        rule: &'static str,
        account: Option<Account>,
        subject: impl Into<String>,
        (severity, confidence): (Severity, Confidence),
        explanation: Localized,
    ) -> Draft {
        Draft {
            rule,
            account,
            subject: subject.into(),
            merge: Merge::Burst,
            severity,
            confidence,
            explanation,
            events: Vec::new(),
            indicators: Vec::new(),
            other_accounts: Vec::new(),
        }
    }

    fn into_finding(self, catalog: &Catalog) -> Option<Finding> {
        let first = self.events.iter().map(|(_, t)| *t).min()?;
        let last = self.events.iter().map(|(_, t)| *t).max()?;
        let meta = catalog.rule(self.rule);
        Some(Finding {
            rule_id: self.rule.to_owned(),
            source: FindingSource::Analytic,
            title: meta.map_or_else(
                || Localized::new(self.rule, self.rule),
                |m| Localized::new(&m.en, &m.fr),
            ),
            explanation: self.explanation,
            severity: self.severity,
            confidence: self.confidence,
            account: self.account,
            other_accounts: self.other_accounts,
            first,
            last,
            events: self.events.iter().map(|(id, _)| *id).collect(),
            attack: meta.map(|m| m.attack.clone()).unwrap_or_default(),
            qualification: meta.map(|m| m.qualification.clone()).unwrap_or_default(),
            indicators: self.indicators,
        })
    }
}

struct Group {
    finding: Finding,
    merge: Merge,
    merged: usize,
    dropped_events: usize,
}

type Key = (&'static str, Option<Account>, String);

/// Holds open findings until no more of the same can come.
#[derive(Default)]
pub(crate) struct Grouper {
    open: HashMap<Key, Group>,
    done: Vec<Finding>,
}

impl Grouper {
    /// Adds a draft, merging it into the open finding of the same key when it may.
    pub(crate) fn add(&mut self, draft: Draft, gap: TimeDelta, catalog: &Catalog) {
        let key: Key = (draft.rule, draft.account.clone(), draft.subject.clone());
        let merge = draft.merge;
        let Some(finding) = draft.into_finding(catalog) else { return };
        if let Some(group) = self.open.get_mut(&key) {
            let close = finding.first <= group.finding.last + gap;
            if merge == Merge::Always || close {
                absorb(group, finding);
                return;
            }
            if let Some(old) = self.open.remove(&key) {
                self.done.push(close_group(old));
            }
        }
        self.open.insert(key, Group { finding, merge, merged: 1, dropped_events: 0 });
    }

    /// Closes the burst findings that nothing can join any more.
    pub(crate) fn sweep(&mut self, now: DateTime<Utc>, gap: TimeDelta) {
        let stale: Vec<Key> = self
            .open
            .iter()
            .filter(|(_, g)| g.merge == Merge::Burst && g.finding.last + gap < now)
            .map(|(k, _)| k.clone())
            .collect();
        for key in stale {
            if let Some(group) = self.open.remove(&key) {
                self.done.push(close_group(group));
            }
        }
    }

    /// Every finding, in time order.
    pub(crate) fn finish(mut self) -> Vec<Finding> {
        let open: Vec<Group> = self.open.drain().map(|(_, g)| g).collect();
        self.done.extend(open.into_iter().map(close_group));
        self.done.sort_by(|a, b| {
            (a.first, &a.rule_id, &a.account).cmp(&(b.first, &b.rule_id, &b.account))
        });
        self.done
    }
}

fn absorb(group: &mut Group, other: Finding) {
    let g = &mut group.finding;
    group.merged += 1;
    g.first = g.first.min(other.first);
    g.last = g.last.max(other.last);
    g.severity = g.severity.max(other.severity);
    g.confidence = g.confidence.max(other.confidence);
    for id in other.events {
        if g.events.len() < MAX_EVENTS {
            g.events.push(id);
        } else {
            group.dropped_events += 1;
        }
    }
    push_unique(&mut g.indicators, other.indicators);
    push_unique(&mut g.other_accounts, other.other_accounts);
}

fn push_unique<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
    for item in from {
        if into.len() < MAX_LIST && !into.contains(&item) {
            into.push(item);
        }
    }
}

fn close_group(mut group: Group) -> Finding {
    let f = &mut group.finding;
    f.events.sort_unstable();
    f.events.dedup();
    if group.merged > 1 {
        let n = group.merged;
        f.explanation.en.push_str(&format!(" ({n} occurrences grouped.)"));
        f.explanation.fr.push_str(&format!(" ({n} occurrences regroupées.)"));
    }
    if group.dropped_events > 0 {
        let n = group.dropped_events;
        f.explanation.en.push_str(&format!(" {n} more events are not listed."));
        f.explanation.fr.push_str(&format!(" {n} autres événements ne sont pas listés."));
    }
    group.finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft(minute: u32, record: u64) -> Draft {
        let mut d = Draft::new(
            "mc-mass-deletion",
            Account::new("a@example.fr"),
            "x",
            (Severity::Medium, Confidence::Low),
            Localized::new("e", "f"),
        );
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 10, minute, 0).single().unwrap_or_default();
        d.events.push((EventId::new(1, record), t));
        d
    }

    #[test]
    fn a_burst_becomes_one_finding() {
        let c = Catalog::embedded().unwrap();
        let mut g = Grouper::default();
        for i in 0..38 {
            g.add(draft(i % 2, u64::from(i) + 1), TimeDelta::minutes(10), &c);
        }
        let all = g.finish();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].events.len(), 38);
        assert!(all[0].explanation.en.contains("38 occurrences"));
        assert_eq!(all[0].title.en, "Many messages deleted in a short time");
    }

    #[test]
    fn separate_bursts_stay_separate() {
        let c = Catalog::embedded().unwrap();
        let mut g = Grouper::default();
        g.add(draft(0, 1), TimeDelta::minutes(10), &c);
        g.add(draft(30, 2), TimeDelta::minutes(10), &c);
        g.sweep(Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap(), TimeDelta::minutes(10));
        assert_eq!(g.finish().len(), 2);
    }
}
