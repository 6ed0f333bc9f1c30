//! Rule files: reading, parsing, compiling, and what we keep about each rule.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mailcase_model::{Severity, SourceKind};
use rsigma_eval::CompiledRule;
use rsigma_parser::{
    ConditionOperator, CorrelationCondition, CorrelationRule, CorrelationType, FilterRule,
    LogSource, SigmaCollection, SigmaRule,
};

use super::logsource::{Refusal, sources_for};

/// Custom attribute that carries a rule's index through the evaluation library.
pub(crate) const INDEX_ATTRIBUTE: &str = "mailcase.index";

/// Largest rule file read: a rule is a few kilobytes.
const MAX_RULE_FILE: u64 = 4 << 20;

/// Directory levels followed below each rule directory.
const MAX_DIR_DEPTH: usize = 32;

/// A single-event rule or a correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleKind {
    /// Matches one event at a time.
    Single,
    /// Aggregates the matches of other rules over time.
    Correlation,
}

/// What a rule set knows about one of its rules.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    /// The rule's `id` (a UUID in public rules); the title when it has none.
    pub id: String,
    /// The rule's `name`, which correlations may reference instead of the id.
    pub name: Option<String>,
    /// English title.
    pub title: String,
    /// French title (custom key `title_fr`), when given.
    pub title_fr: Option<String>,
    /// English description.
    pub description: Option<String>,
    /// French description (custom key `description_fr`), when given.
    pub description_fr: Option<String>,
    /// Severity from `level` (medium when absent or unknown).
    pub level: Severity,
    /// Tags as written (`attack.t1114.003`, `attack.persistence`...).
    pub tags: Vec<String>,
    /// Qualification sheet items (custom key `qualification: ['2.b']`).
    pub qualification: Vec<String>,
    /// The logsource as written.
    pub logsource: LogSource,
    /// The sources it applies to.
    pub sources: Vec<SourceKind>,
    /// The file it came from (or the origin given to [`super::RuleSet::load_str`]).
    pub path: PathBuf,
    /// Single-event rule or correlation.
    pub kind: RuleKind,
    /// A rule referenced by a correlation with `generate: false`: its matches feed the
    /// correlation but are not findings of their own.
    pub correlation_only: bool,
}

impl RuleInfo {
    /// ATT&CK technique ids from the tags (`attack.t1114.003` gives `T1114.003`).
    pub fn attack_techniques(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack.").or_else(|| t.strip_prefix("ATTACK.")))
            .filter(|t| {
                t.len() > 1 && t.as_bytes()[0].eq_ignore_ascii_case(&b't')
                    && t.as_bytes()[1].is_ascii_digit()
            })
            .map(str::to_ascii_uppercase)
            .collect()
    }
}

/// What kind of problem kept a rule out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file could not be read.
    Io,
    /// Not valid Sigma YAML.
    Parse,
    /// Valid Sigma that the engine cannot compile.
    Compile,
    /// A logsource about evidence mailcase does not read.
    UnsupportedLogsource,
    /// A logsource mailcase does not know.
    UnknownLogsource,
    /// A correlation naming rules that are not loaded, or whose rules are all out.
    Correlation,
}

/// A rule (or file) that could not be loaded or cannot run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file, or the origin given to [`super::RuleSet::load_str`].
    pub path: PathBuf,
    /// The rule's id, when it could be read.
    pub rule_id: Option<String>,
    /// The rule's title, when it could be read.
    pub title: Option<String>,
    /// The kind of problem.
    pub kind: ProblemKind,
    /// Why, in words.
    pub reason: String,
}

impl std::fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(t) = &self.title {
            write!(f, " ({t})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A single-event rule ready for the engines.
#[derive(Debug, Clone)]
pub(crate) struct LoadedRule {
    /// Index into the rule set's infos.
    pub(crate) index: usize,
    pub(crate) compiled: CompiledRule,
}

/// Everything read from rule files, before engines are built.
#[derive(Debug, Default, Clone)]
pub(crate) struct Loaded {
    pub(crate) infos: Vec<RuleInfo>,
    pub(crate) rules: Vec<LoadedRule>,
    pub(crate) correlations: Vec<(usize, CorrelationRule)>,
    pub(crate) filters: Vec<FilterRule>,
    /// Correlations whose rules are missing: kept so that a merge can resolve them.
    pub(crate) unresolved: Vec<(usize, CorrelationRule)>,
    pub(crate) problems: Vec<LoadProblem>,
}

impl Loaded {
    /// Every `.yml` / `.yaml` file under `dir`, recursively, in name order.
    pub(crate) fn load_dir(&mut self, dir: &Path) {
        let mut files = Vec::new();
        if let Err(e) = collect_files(dir, &mut files, MAX_DIR_DEPTH) {
            self.problem(dir, None, None, ProblemKind::Io, format!("cannot list: {e}"));
        }
        files.sort();
        for file in files {
            match read_rule_file(&file) {
                Ok(text) => self.load_str(&text, &file),
                Err(reason) => self.problem(&file, None, None, ProblemKind::Io, reason),
            }
        }
    }

    /// The documents of one YAML text.
    pub(crate) fn load_str(&mut self, yaml: &str, path: &Path) {
        let collection = match rsigma_parser::parse_sigma_yaml(yaml) {
            Ok(c) => c,
            Err(e) => {
                let (id, title) = scan_identity(yaml);
                return self.problem(path, id, title, ProblemKind::Parse, e.to_string());
            }
        };
        self.add_collection(collection, yaml, path);
    }

    fn add_collection(&mut self, collection: SigmaCollection, yaml: &str, path: &Path) {
        for error in &collection.errors {
            let (id, title) = scan_identity(yaml);
            self.problem(path, id, title, ProblemKind::Parse, error.clone());
        }
        for rule in collection.rules {
            self.add_rule(rule, path);
        }
        for corr in collection.correlations {
            self.add_correlation(corr, path);
        }
        self.filters.extend(collection.filters);
    }

    fn add_rule(&mut self, rule: SigmaRule, path: &Path) {
        let id = rule.id.clone();
        let title = Some(rule.title.clone());
        let sources = match sources_for(&rule.logsource) {
            Ok(s) => s,
            Err(Refusal::Unsupported(r)) => {
                // Still compiled, so that a report tells engine gaps from scope gaps.
                let r = match rsigma_eval::compile_rule(&rule) {
                    Ok(_) => r,
                    Err(e) => format!("{r}; it would not compile either: {e}"),
                };
                return self.problem(path, id, title, ProblemKind::UnsupportedLogsource, r);
            }
            Err(Refusal::Unknown(r)) => {
                let r = format!("unknown logsource ({r})");
                return self.problem(path, id, title, ProblemKind::UnknownLogsource, r);
            }
        };
        let mut compiled = match rsigma_eval::compile_rule(&rule) {
            Ok(c) => c,
            Err(e) => return self.problem(path, id, title, ProblemKind::Compile, e.to_string()),
        };
        let index = self.infos.len();
        Arc::make_mut(&mut compiled.custom_attributes)
            .insert(INDEX_ATTRIBUTE.into(), serde_json::Value::from(index));
        let info = info_for_rule(&rule, sources, path);
        self.infos.push(info);
        self.rules.push(LoadedRule { index, compiled });
    }

    fn add_correlation(&mut self, mut corr: CorrelationRule, path: &Path) {
        require_all_temporal_rules(&mut corr);
        let index = self.infos.len();
        // The attribute map holds the parser's YAML values: build one from JSON
        // through serde, so its type need not be named here.
        match serde_json::from_value(serde_json::Value::from(index)) {
            Ok(v) => {
                corr.custom_attributes.insert(INDEX_ATTRIBUTE.into(), v);
            }
            Err(e) => {
                let (id, title) = (corr.id.clone(), Some(corr.title.clone()));
                return self.problem(path, id, title, ProblemKind::Compile, e.to_string());
            }
        }
        if let Err(e) = rsigma_eval::correlation::compile_correlation(&corr) {
            let (id, title) = (corr.id.clone(), Some(corr.title.clone()));
            return self.problem(path, id, title, ProblemKind::Compile, e.to_string());
        }
        self.infos.push(info_for_correlation(&corr, path));
        self.correlations.push((index, corr));
    }

    pub(crate) fn problem(
        &mut self,
        path: &Path,
        rule_id: Option<String>,
        title: Option<String>,
        kind: ProblemKind,
        reason: String,
    ) {
        self.problems.push(LoadProblem { path: path.to_path_buf(), rule_id, title, kind, reason });
    }
}

/// A `temporal` correlation without a condition means "all the rules, in the window"
/// (Sigma specification). rsigma-parser 0.23 gives such rules `gte: 1` instead, which
/// fires on the first rule alone; `gte: 1` written by hand makes no sense for
/// `temporal` either, so it is read as the default here.
fn require_all_temporal_rules(corr: &mut CorrelationRule) {
    if corr.correlation_type != CorrelationType::Temporal {
        return;
    }
    if let CorrelationCondition::Threshold { predicates, field: None, .. } = &mut corr.condition
        && predicates.as_slice() == [(ConditionOperator::Gte, 1)]
    {
        let mut distinct: Vec<&String> = corr.rules.iter().collect();
        distinct.sort();
        distinct.dedup();
        let all = u64::try_from(distinct.len()).unwrap_or(u64::MAX);
        *predicates = vec![(ConditionOperator::Gte, all)];
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth == 0 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out, depth - 1)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn read_rule_file(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_RULE_FILE {
        return Err(format!("{size} bytes: larger than the {MAX_RULE_FILE} allowed for rules"));
    }
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

/// The top-level `id:` and `title:` of a YAML text the parser refused, for the report.
fn scan_identity(yaml: &str) -> (Option<String>, Option<String>) {
    let value = |key: &str| {
        yaml.lines().find_map(|l| {
            let v = l.strip_prefix(key)?.strip_prefix(':')?;
            let v = v.trim().trim_matches(|c| c == '\'' || c == '"');
            (!v.is_empty()).then(|| v.to_string())
        })
    };
    (value("id"), value("title"))
}

fn severity(level: Option<rsigma_parser::Level>) -> Severity {
    level.and_then(|l| Severity::from_name(l.as_str())).unwrap_or(Severity::Medium)
}

/// A text custom attribute.
fn attr_text<V: serde::Serialize>(attrs: &HashMap<String, V>, key: &str) -> Option<String> {
    match serde_json::to_value(attrs.get(key)?).ok()? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

/// A list custom attribute (a single text counts as a one-item list).
fn attr_list<V: serde::Serialize>(attrs: &HashMap<String, V>, key: &str) -> Vec<String> {
    let Some(v) = attrs.get(key).and_then(|v| serde_json::to_value(v).ok()) else {
        return Vec::new();
    };
    match v {
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(items) => items
            .into_iter()
            .filter_map(|i| match i {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn info_for_rule(rule: &SigmaRule, sources: Vec<SourceKind>, path: &Path) -> RuleInfo {
    let attrs = &rule.custom_attributes;
    RuleInfo {
        id: rule.id.clone().unwrap_or_else(|| rule.title.clone()),
        name: rule.name.clone(),
        title: rule.title.clone(),
        title_fr: attr_text(attrs, "title_fr"),
        description: rule.description.clone(),
        description_fr: attr_text(attrs, "description_fr"),
        level: severity(rule.level),
        tags: rule.tags.clone(),
        qualification: attr_list(attrs, "qualification"),
        logsource: rule.logsource.clone(),
        sources,
        path: path.to_path_buf(),
        kind: RuleKind::Single,
        correlation_only: false,
    }
}

fn info_for_correlation(corr: &CorrelationRule, path: &Path) -> RuleInfo {
    let attrs = &corr.custom_attributes;
    RuleInfo {
        id: corr.id.clone().unwrap_or_else(|| corr.title.clone()),
        name: corr.name.clone(),
        title: corr.title.clone(),
        title_fr: attr_text(attrs, "title_fr"),
        description: corr.description.clone(),
        description_fr: attr_text(attrs, "description_fr"),
        level: severity(corr.level),
        tags: corr.tags.clone(),
        qualification: attr_list(attrs, "qualification"),
        logsource: LogSource::default(),
        sources: Vec::new(),
        path: path.to_path_buf(),
        kind: RuleKind::Correlation,
        correlation_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_scanned_from_broken_yaml() {
        let (id, title) = scan_identity("title: 'Broken'\nid: abc\ndetection: [\n");
        assert_eq!(id.as_deref(), Some("abc"));
        assert_eq!(title.as_deref(), Some("Broken"));
    }

    #[test]
    fn attack_techniques_come_from_tags() {
        let mut loaded = Loaded::default();
        let yaml = "title: T\nlogsource: {product: m365}\ntags: [attack.t1114.003, attack.persistence]\n\
                    qualification: ['2.b', '3.a']\ntitle_fr: Titre\n\
                    detection: {sel: {Operation: x}, condition: sel}\n";
        loaded.load_str(yaml, Path::new("t.yml"));
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let info = &loaded.infos[0];
        assert_eq!(info.attack_techniques(), vec!["T1114.003"]);
        assert_eq!(info.qualification, vec!["2.b", "3.a"]);
        assert_eq!(info.title_fr.as_deref(), Some("Titre"));
        assert_eq!(info.level, Severity::Medium);
    }
}
