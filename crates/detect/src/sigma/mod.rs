//! The Sigma engine: rules, modifiers, conditions and correlations over our events.
//!
//! Parsing and evaluation are done by `rsigma-parser` / `rsigma-eval` (pinned), behind
//! this adapter: nothing of theirs appears in the public API, so the engine can be
//! upgraded, forked or replaced without touching callers.
//!
//! ```text
//! let (set, problems) = RuleSet::load_dirs(&[dir]);   // once; Send + Sync
//! let mut m = set.matcher();                          // one per thread
//! for event in events_in_time_order {
//!     let hits = m.matches(&event);
//!     let corr = m.feed_correlations(&event, &hits);
//! }
//! let findings = to_findings(&set, &all_hits, &all_corr);
//! ```
//!
//! # Field resolution
//!
//! A rule's field name is looked up in the event's raw record, parsed once per event
//! (cells that hold JSON text, as in Sentinel exports, are parsed too):
//!
//! 1. `mailcase.<column>`: the normalised event: `source`, `account`, `actor`, `action`
//!    (`Action::name()`), `outcome`, `error_code`, `ip`, `port`, `country`, `asn`,
//!    `as_org`, `net_class`, `user_agent`, `app_id`, `app`, `protocol`, `session_id`,
//!    `device`, and `mailcase.details.<path>` into the serialised action
//!    (`mailcase.details.move_to_folder`, `mailcase.details.forward_to`...).
//! 2. The exact key, then the same key ignoring ASCII case.
//! 3. A `{Name, Value}` pair of that name (also `{key, value}` and
//!    `{displayName, newValue}`) in the record's `Parameters`, `ExtendedProperties`,
//!    `ModifiedProperties`, `OperationProperties`... arrays (the list is in the alias
//!    data file): `ForwardTo` finds `Parameters[Name=ForwardTo].Value`.
//! 4. A dotted path (`properties.status.errorCode`), each step exact then ignoring case;
//!    an array on the way is crossed element by element (any element matches), and a
//!    step may name a pair (`Parameters.ForwardTo`).
//! 5. The same inside the source's prefix objects (`properties` for Entra exports from
//!    Azure Monitor).
//! 6. The source's aliases from `data/field_aliases.toml`, so that rules written for
//!    Sentinel / Azure Monitor names (`ResultType`, `ResultDescription`, `ClientApp`,
//!    `Status`, `OperationName`, `properties.message`, `Category`...) find the value in
//!    Graph-shaped and Azure-Monitor-shaped records too.
//!
//! Values: scalars as they are; arrays of scalars as lists (any element matches);
//! objects and arrays of objects as their JSON text, as Sentinel columns hold them, so
//! `TargetResources|contains: ...` works. Keywords search every string of the record.
//!
//! # Logsources
//!
//! The mapping (its full table is in `logsource.rs`): m365 → `m365_ual`; azure signinlogs and
//! riskdetection → `entra_signin`, auditlogs → `entra_audit`; google workspace →
//! `google_workspace`; `product: mailcase` → any source or the one named by `service`.
//! Azure activity logs and PIM alerts, and Windows `msexchange-management`, are
//! reported as unsupported (no such evidence is read); any other logsource is a load
//! problem. Rules are grouped by source once, so an event is only evaluated against
//! the rules of its own source.
//!
//! # Correlations
//!
//! Correlation rules (`event_count`, `value_count`, `temporal`, `temporal_ordered`, and
//! the value aggregations) run per [`Matcher`], fed with its single-event matches in
//! event time order. Group-by fields resolve as above. Rules referenced only by
//! correlations with `generate: false` (the default) feed them but make no findings.

mod fields;
mod findings;
mod logsource;
mod record_index;
mod rules;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use mailcase_model::{Account, Event, EventId};
use rsigma_eval::{
    CorrelationAction, CorrelationConfig, CorrelationEngine, CorrelationEventMode, DetectionBody, Engine,
    EvaluationResult, ResultBody, RuleHeader, TimestampFallback,
};
use rsigma_parser::FilterRule;

use fields::{AliasTable, EventView, Parsed};
pub use findings::to_findings;
use logsource::ALL_SOURCES;
pub use rules::{LoadProblem, ProblemKind, RuleInfo, RuleKind};
use rules::{INDEX_ATTRIBUTE, Loaded};

/// Events kept per correlation group as evidence of a firing.
const MAX_CORRELATION_EVENTS: usize = 1000;

/// Correlation state entries kept before the oldest are evicted.
const MAX_CORRELATION_STATE: usize = 100_000;

/// Compiled rules, grouped by the source they apply to. Compiled once, shared by the
/// matchers of every thread.
pub struct RuleSet {
    loaded: Loaded,
    /// One engine per entry of `ALL_SOURCES`.
    engines: Vec<Engine>,
    /// Rule ids and names that some correlation references.
    correlation_refs: HashSet<String>,
    aliases: &'static AliasTable,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet").field("rules", &self.loaded.infos.len()).finish()
    }
}

impl RuleSet {
    /// Every `.yml` / `.yaml` file under the directories, recursively. A rule that
    /// cannot be loaded or run is a [`LoadProblem`], never silently dropped.
    pub fn load_dirs(dirs: &[&Path]) -> (RuleSet, Vec<LoadProblem>) {
        let mut loaded = Loaded::default();
        for dir in dirs {
            loaded.load_dir(dir);
        }
        Self::build(loaded)
    }

    /// The rules of one YAML text (one or more documents); `origin` names it in
    /// problems and in [`RuleInfo::path`].
    pub fn load_str(yaml: &str, origin: &str) -> (RuleSet, Vec<LoadProblem>) {
        let mut loaded = Loaded::default();
        loaded.load_str(yaml, Path::new(origin));
        Self::build(loaded)
    }

    /// The rules of several YAML texts, each with its origin (one build for all: merging
    /// them one at a time rebuilds every engine each time).
    pub fn load_texts<'a, I>(texts: I) -> (RuleSet, Vec<LoadProblem>)
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut loaded = Loaded::default();
        for (origin, yaml) in texts {
            loaded.load_str(yaml, Path::new(origin));
        }
        Self::build(loaded)
    }

    /// The rules, indexed by [`RuleMatch::rule`] and [`CorrelationMatch::rule`].
    pub fn rules(&self) -> &[RuleInfo] {
        &self.loaded.infos
    }

    /// Adds the rules of `other` (correlations may then reference rules of either).
    /// Indexes of this set's rules do not change. Problems found now (a correlation
    /// whose rules are still missing) are returned.
    pub fn merge(&mut self, other: RuleSet) -> Vec<LoadProblem> {
        let mut loaded = std::mem::take(&mut self.loaded);
        let offset = loaded.infos.len();
        let Loaded { infos, rules, correlations, filters, unresolved, .. } = other.loaded;
        loaded.infos.extend(infos);
        for mut rule in rules {
            rule.index += offset;
            set_index(&mut rule.compiled.custom_attributes, rule.index);
            loaded.rules.push(rule);
        }
        for (index, mut corr) in correlations.into_iter().chain(unresolved) {
            if let Ok(v) = serde_json::from_value(serde_json::Value::from(index + offset)) {
                corr.custom_attributes.insert(INDEX_ATTRIBUTE.into(), v);
            }
            loaded.correlations.push((index + offset, corr));
        }
        loaded.filters.extend(filters);
        let (set, problems) = Self::build(loaded);
        *self = set;
        problems
    }

    /// A matcher for one thread.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher { set: self, correlation: self.correlation_engine() }
    }

    /// A matcher for [`Matcher::matches`] only, without correlation state: cheap to
    /// make, for the threads that match events in parallel while one other matcher
    /// feeds the correlations in time order.
    pub fn event_matcher(&self) -> Matcher<'_> {
        Matcher { set: self, correlation: None }
    }

    fn build(mut loaded: Loaded) -> (RuleSet, Vec<LoadProblem>) {
        check_filters(&mut loaded);
        check_correlations(&mut loaded);
        let correlation_refs = mark_correlation_only(&mut loaded);
        let mut batches: Vec<Vec<_>> = ALL_SOURCES.iter().map(|_| Vec::new()).collect();
        for rule in &loaded.rules {
            let sources = loaded.infos.get(rule.index).map_or(&[][..], |i| &i.sources[..]);
            for source in sources {
                if let Some(pos) = ALL_SOURCES.iter().position(|s| s == source) {
                    batches[pos].push(rule.compiled.clone());
                }
            }
        }
        let engines = batches
            .into_iter()
            .map(|batch| {
                let mut engine = Engine::new();
                engine.extend_compiled_rules(batch);
                for filter in &loaded.filters {
                    // Checked above on an empty engine: cannot fail here.
                    let _ = engine.apply_filter(filter);
                }
                engine
            })
            .collect();
        let problems = std::mem::take(&mut loaded.problems);
        let set = RuleSet { loaded, engines, correlation_refs, aliases: AliasTable::builtin() };
        (set, problems)
    }

    fn correlation_engine(&self) -> Option<CorrelationEngine> {
        if self.loaded.correlations.is_empty() {
            return None;
        }
        let config = CorrelationConfig {
            timestamp_fallback: TimestampFallback::Skip,
            max_state_entries: MAX_CORRELATION_STATE,
            correlation_event_mode: CorrelationEventMode::Refs,
            // Once fired, a group starts again: one firing per burst, not one per event
            // after the threshold.
            action_on_match: CorrelationAction::Reset,
            max_correlation_events: MAX_CORRELATION_EVENTS,
            ..CorrelationConfig::default()
        };
        let mut engine = CorrelationEngine::new(config);
        for (_, corr) in &self.loaded.correlations {
            // Compiled once at load time: an error here cannot happen.
            let _ = engine.add_correlation(corr);
        }
        Some(engine)
    }
}

fn set_index(attrs: &mut Arc<HashMap<String, serde_json::Value>>, index: usize) {
    Arc::make_mut(attrs).insert(INDEX_ATTRIBUTE.into(), serde_json::Value::from(index));
}

/// Filters whose detections do not compile are reported and dropped.
fn check_filters(loaded: &mut Loaded) {
    let filters = std::mem::take(&mut loaded.filters);
    for filter in filters {
        match Engine::new().apply_filter(&filter) {
            Ok(()) => loaded.filters.push(filter),
            Err(e) => {
                let path = std::path::PathBuf::from("(filter)");
                let kind = ProblemKind::Compile;
                let title = Some(filter_title(&filter));
                loaded.problem(&path, filter.id.clone(), title, kind, e.to_string());
            }
        }
    }
}

fn filter_title(filter: &FilterRule) -> String {
    filter.title.clone()
}

/// Correlations naming a rule that is not loaded cannot run: they are reported, and
/// kept out of the engines (their entry in `rules()` stays, so indexes are stable).
fn check_correlations(loaded: &mut Loaded) {
    let retry = std::mem::take(&mut loaded.unresolved);
    loaded.correlations.extend(retry);
    loaded.correlations.sort_by_key(|(index, _)| *index);
    let mut known: HashSet<&str> = HashSet::new();
    for info in &loaded.infos {
        known.insert(info.id.as_str());
        if let Some(name) = &info.name {
            known.insert(name.as_str());
        }
    }
    let mut bad = Vec::new();
    for (i, (index, corr)) in loaded.correlations.iter().enumerate() {
        let missing: Vec<&String> =
            corr.rules.iter().filter(|r| !known.contains(r.as_str())).collect();
        if !missing.is_empty() {
            bad.push((i, *index, format!("references rules that are not loaded: {missing:?}")));
        }
    }
    for (i, index, reason) in bad.into_iter().rev() {
        let (_, corr) = loaded.correlations.remove(i);
        let path = loaded.infos.get(index).map(|info| info.path.clone()).unwrap_or_default();
        let title = Some(corr.title.clone());
        loaded.problem(&path, corr.id.clone(), title, ProblemKind::Correlation, reason);
        loaded.unresolved.push((index, corr));
    }
}

/// Marks the rules whose matches only feed correlations; returns every identifier
/// (id or name) that correlations reference.
fn mark_correlation_only(loaded: &mut Loaded) -> HashSet<String> {
    let mut refs = HashSet::new();
    let mut generating = HashSet::new();
    for (_, corr) in &loaded.correlations {
        for r in &corr.rules {
            refs.insert(r.clone());
            if corr.generate {
                generating.insert(r.clone());
            }
        }
    }
    for info in &mut loaded.infos {
        let named = |set: &HashSet<String>| {
            set.contains(&info.id) || info.name.as_ref().is_some_and(|n| set.contains(n))
        };
        info.correlation_only = named(&refs) && !named(&generating);
    }
    refs
}

/// One single-event rule matching one event.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMatch {
    /// Index of the rule in [`RuleSet::rules`].
    pub rule: usize,
    /// The event.
    pub event: EventId,
    /// When it happened.
    pub time: DateTime<Utc>,
    /// The event's account.
    pub account: Option<Account>,
    /// The fields that matched and their values, as text.
    pub matched_fields: Vec<(String, String)>,
}

/// A correlation rule firing.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatch {
    /// Index of the correlation in [`RuleSet::rules`].
    pub rule: usize,
    /// Time of the event that made it fire.
    pub time: DateTime<Utc>,
    /// Account of the event that made it fire.
    pub account: Option<Account>,
    /// The group-by fields and their values.
    pub group: Vec<(String, String)>,
    /// The aggregated value (count, distinct count...) that met the condition.
    pub value: f64,
    /// The events of the group kept as evidence (at most 1000 per group).
    pub events: Vec<EventId>,
}

/// Evaluates rules for one thread; holds the correlation state.
pub struct Matcher<'a> {
    set: &'a RuleSet,
    correlation: Option<CorrelationEngine>,
}

impl std::fmt::Debug for Matcher<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("set", self.set).finish()
    }
}

impl Matcher<'_> {
    /// The single-event rules of the event's source that match it.
    pub fn matches(&mut self, event: &Event) -> Vec<RuleMatch> {
        let Some(engine) = self.engine_for(event) else { return Vec::new() };
        let parsed = Parsed::new(event);
        let view = EventView::new(event, &parsed, self.set.aliases);
        engine
            .evaluate(&view)
            .into_iter()
            .filter_map(|result| {
                let rule = index_of(&result.header)?;
                let ResultBody::Detection(body) = result.body else { return None };
                let matched_fields = body
                    .matched_fields
                    .into_iter()
                    .map(|f| (f.field, value_text(&f.value)))
                    .collect();
                Some(RuleMatch {
                    rule,
                    event: event.id,
                    time: event.time,
                    account: event.account.clone(),
                    matched_fields,
                })
            })
            .collect()
    }

    /// Feeds an event's matches to the correlations; events must come in time order.
    /// Returns the correlations that fire on this event.
    pub fn feed_correlations(&mut self, event: &Event, matched: &[RuleMatch]) -> Vec<CorrelationMatch> {
        let set = self.set;
        let Some(engine) = self.correlation.as_mut() else { return Vec::new() };
        let detections = detections_for(set, matched);
        if detections.is_empty() {
            return Vec::new();
        }
        let parsed = Parsed::new(event);
        let view = EventView::new(event, &parsed, set.aliases);
        let results = engine.process_with_detections(&view, detections, event.time.timestamp());
        results
            .into_iter()
            .filter_map(|result| {
                let rule = index_of(&result.header)?;
                let ResultBody::Correlation(body) = result.body else { return None };
                let events = body
                    .event_refs
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| r.id.as_deref()?.parse().ok().map(EventId))
                    .collect();
                Some(CorrelationMatch {
                    rule,
                    time: event.time,
                    account: event.account.clone(),
                    group: body.group_key,
                    value: body.aggregated_value,
                    events,
                })
            })
            .collect()
    }

    fn engine_for(&self, event: &Event) -> Option<&Engine> {
        let pos = ALL_SOURCES.iter().position(|s| *s == event.source)?;
        self.set.engines.get(pos).filter(|e| e.rule_count() > 0)
    }
}

/// The library's view of our matches: one detection per identifier a correlation uses.
fn detections_for(set: &RuleSet, matched: &[RuleMatch]) -> Vec<EvaluationResult> {
    let mut out = Vec::new();
    for m in matched {
        let Some(info) = set.loaded.infos.get(m.rule) else { continue };
        // A name equal to the id is one identifier, not two matches.
        let name = info.name.as_ref().filter(|n| **n != info.id);
        let idents = std::iter::once(&info.id).chain(name);
        for ident in idents.filter(|i| set.correlation_refs.contains(*i)) {
            out.push(EvaluationResult {
                header: RuleHeader {
                    rule_title: info.title.clone(),
                    rule_id: Some(ident.clone()),
                    level: None,
                    tags: Vec::new(),
                    custom_attributes: Arc::default(),
                    enrichments: None,
                },
                body: ResultBody::Detection(DetectionBody {
                    matched_selections: Vec::new(),
                    matched_fields: Vec::new(),
                    event: None,
                }),
            });
        }
    }
    out
}

fn index_of(header: &RuleHeader) -> Option<usize> {
    let v = header.custom_attributes.get(INDEX_ATTRIBUTE)?;
    usize::try_from(v.as_u64()?).ok()
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
