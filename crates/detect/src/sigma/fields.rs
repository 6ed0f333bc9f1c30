//! Field resolution: how a Sigma field name finds its value in one of our events.
//!
//! The record's raw JSON is parsed once per event ([`Parsed`]); every rule then reads it
//! through an [`EventView`], the adapter the evaluation library sees. See the module
//! documentation of [`crate::sigma`] for the lookup order.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use mailcase_model::{Event, EventId};
use rsigma_eval::event::{Event as SigmaEvent, EventValue};
use serde_json::{Map, Value};

use super::record_index::{FnvBuild, KeyIndex, PairIndex, get_ci};

/// The alias table shipped with the crate.
const ALIASES_TOML: &str = include_str!("../../data/field_aliases.toml");

/// Deepest nesting walked for keywords and paths: records are attacker-shaped.
const MAX_DEPTH: usize = 64;

/// Longest embedded JSON text (a Sentinel cell) parsed into a value.
const MAX_EMBEDDED_JSON: usize = 1 << 20;

/// Keys that name a `{Name, Value}`-style pair, compared ignoring case.
const PAIR_NAME_KEYS: [&str; 3] = ["name", "key", "displayname"];

/// Keys that hold the pair's value, in order, compared ignoring case.
const PAIR_VALUE_KEYS: [&str; 2] = ["value", "newvalue"];

static NULL: Value = Value::Null;

/// How one aliased field is found.
#[derive(Debug, Clone)]
enum Alias {
    /// Paths tried in order after the field itself; the first present wins.
    First(Vec<String>),
    /// Paths whose values are all collected (the field itself is not tried first).
    Any(Vec<String>),
    /// `prefix{path}suffix`.
    Template { prefix: String, path: String, suffix: String },
}

/// The aliases of one source.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceAliases {
    prefixes: Vec<String>,
    /// Keyed by the lower-case Sigma field name.
    entries: HashMap<String, Alias, FnvBuild>,
}

/// The whole alias table (`data/field_aliases.toml`).
#[derive(Debug, Clone, Default)]
pub(crate) struct AliasTable {
    containers: Vec<String>,
    sources: HashMap<String, SourceAliases>,
}

impl AliasTable {
    /// The table shipped with the crate; empty if the data file is broken (a unit test
    /// guards that it is not).
    pub(crate) fn builtin() -> &'static AliasTable {
        static TABLE: LazyLock<AliasTable> =
            LazyLock::new(|| AliasTable::parse(ALIASES_TOML).unwrap_or_default());
        &TABLE
    }

    /// Parses the TOML form described in the data file.
    pub(crate) fn parse(text: &str) -> Result<AliasTable, String> {
        let doc: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut table = AliasTable::default();
        for (key, value) in &doc {
            match (key.as_str(), value) {
                ("name_value_containers", toml::Value::Array(items)) => {
                    table.containers = strings(items)?;
                }
                (source, toml::Value::Table(t)) => {
                    table.sources.insert(source.to_string(), parse_source(t)?);
                }
                (other, _) => return Err(format!("unexpected key `{other}`")),
            }
        }
        Ok(table)
    }

    /// The aliases of a source (by `SourceKind::as_str`), if any.
    pub(crate) fn source(&self, name: &str) -> Option<&SourceAliases> {
        self.sources.get(name)
    }
}

fn strings(items: &[toml::Value]) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(|| format!("not a string: {v}")))
        .collect()
}

fn parse_source(t: &toml::Table) -> Result<SourceAliases, String> {
    let mut out = SourceAliases::default();
    for (key, value) in t {
        match (key.as_str(), value) {
            ("prefixes", toml::Value::Array(items)) => out.prefixes = strings(items)?,
            ("first" | "any", toml::Value::Table(fields)) => {
                for (field, paths) in fields {
                    let paths = paths.as_array().ok_or_else(|| format!("`{field}`: not a list"))?;
                    let paths = strings(paths)?;
                    let alias = if key == "first" { Alias::First(paths) } else { Alias::Any(paths) };
                    out.entries.insert(field.to_ascii_lowercase(), alias);
                }
            }
            ("template", toml::Value::Table(fields)) => {
                for (field, text) in fields {
                    let text = text.as_str().ok_or_else(|| format!("`{field}`: not a string"))?;
                    out.entries.insert(field.to_ascii_lowercase(), parse_template(text)?);
                }
            }
            (other, _) => return Err(format!("unexpected key `{other}`")),
        }
    }
    Ok(out)
}

fn parse_template(text: &str) -> Result<Alias, String> {
    let (prefix, rest) = text.split_once('{').ok_or_else(|| format!("no {{path}} in `{text}`"))?;
    let (path, suffix) = rest.split_once('}').ok_or_else(|| format!("unclosed {{ in `{text}`"))?;
    Ok(Alias::Template { prefix: prefix.into(), path: path.into(), suffix: suffix.into() })
}

/// One event's raw record parsed once, shared by every rule that reads it.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The event it was parsed from.
    pub(crate) id: EventId,
    /// The record; `Null` when the raw text is not JSON (only `mailcase.*` then resolve).
    raw: Value,
    /// `client.ip` as text.
    ip: Option<String>,
    /// The serialised action, built on first use.
    details: OnceCell<Value>,
}

impl Parsed {
    /// Parses the event's raw record, expanding cells that hold JSON text.
    pub(crate) fn new(event: &Event) -> Parsed {
        let mut raw = serde_json::from_str(event.raw.as_str()).unwrap_or(Value::Null);
        expand_embedded_json(&mut raw, 2);
        Parsed {
            id: event.id,
            raw,
            ip: event.client.ip.map(|ip| ip.to_string()),
            details: OnceCell::new(),
        }
    }
}

/// Sentinel exports keep nested parts (`Parameters`, `TargetResources`) as JSON text:
/// parse them so paths reach inside, to `levels` levels of objects.
fn expand_embedded_json(value: &mut Value, levels: usize) {
    let Value::Object(map) = value else { return };
    for member in map.values_mut() {
        if let Value::String(text) = member {
            let trimmed = text.trim_start();
            if (trimmed.starts_with('{') || trimmed.starts_with('['))
                && text.len() <= MAX_EMBEDDED_JSON
                && let Ok(parsed) = serde_json::from_str::<Value>(text)
            {
                *member = parsed;
            }
        } else if levels > 1 {
            expand_embedded_json(member, levels - 1);
        }
    }
}

/// An event as the evaluation library sees it.
pub(crate) struct EventView<'v> {
    event: &'v Event,
    parsed: &'v Parsed,
    table: &'v AliasTable,
    aliases: Option<&'v SourceAliases>,
    /// The record's keys and pairs, indexed on the first lookup (`None`: not an object).
    root: OnceCell<Option<RootIndex<'v>>>,
}

/// The indexes of the record's top-level object.
struct RootIndex<'v> {
    keys: KeyIndex<'v>,
    pairs: PairIndex<'v>,
}

impl<'v> EventView<'v> {
    /// A view of `event`, whose record `parsed` holds.
    pub(crate) fn new(event: &'v Event, parsed: &'v Parsed, table: &'v AliasTable) -> Self {
        EventView { event, parsed, table, aliases: table.source(event.source.as_str()), root: OnceCell::new() }
    }

    fn root_index(&self) -> Option<&RootIndex<'v>> {
        self.root
            .get_or_init(|| {
                let raw: &'v Value = &self.parsed.raw;
                let map = raw.as_object()?;
                let mut holders = Vec::new();
                for container in &self.table.containers {
                    walk(raw, container, &mut holders, MAX_DEPTH);
                }
                let pairs = PairIndex::new(&holders, &PAIR_NAME_KEYS, &PAIR_VALUE_KEYS, &NULL);
                Some(RootIndex { keys: KeyIndex::new(map), pairs })
            })
            .as_ref()
    }

    /// [`lookup`] in the record itself, through its indexes.
    fn lookup_root(&self, path: &str) -> Option<EventValue<'v>> {
        let index = self.root_index()?;
        if let Some(v) = index.keys.get(path) {
            return Some(to_event_value(v));
        }
        let mut found = if index.pairs.is_empty() { Vec::new() } else { index.pairs.values(path) };
        if found.is_empty() && path.contains('.') {
            self.walk_root(path, &mut found);
        }
        collapse(found)
    }

    /// [`walk`] from the record's root, its first step through the key index.
    fn walk_root(&self, path: &str, found: &mut Vec<&'v Value>) {
        let Some(index) = self.root_index() else { return };
        let map = self.parsed.raw.as_object();
        let mut split = Some(path.len());
        while let Some(end) = split {
            let (head, tail) = (&path[..end], path[end..].trim_start_matches('.'));
            let child = index.keys.get(head).or_else(|| map.and_then(|m| pair_value(m, head)));
            if let Some(child) = child {
                walk(child, tail, found, MAX_DEPTH - 1);
                return;
            }
            split = path[..end].rfind('.');
        }
    }

    /// Full resolution: the field as written, then its aliases.
    fn resolve(&self, path: &str) -> Option<EventValue<'_>> {
        let alias = self.aliases.and_then(|a| find_alias(a, path));
        if let Some(Alias::Any(paths)) = alias {
            let mut all = Vec::new();
            for p in paths {
                if let Some(v) = self.resolve_plain(p) {
                    push_flat(&mut all, v);
                }
            }
            return (!all.is_empty()).then_some(EventValue::Array(all));
        }
        if let Some(v) = self.resolve_plain(path) {
            return Some(v);
        }
        match alias? {
            Alias::First(paths) => paths.iter().find_map(|p| self.resolve_plain(p)),
            Alias::Template { prefix, path, suffix } => {
                let inner = self.resolve_plain(path)?;
                let text = inner.as_str()?;
                Some(EventValue::Str(Cow::Owned(format!("{prefix}{text}{suffix}"))))
            }
            Alias::Any(_) => None,
        }
    }

    /// The field as written: `mailcase.*`, the record, then the source's prefixes.
    fn resolve_plain(&self, path: &str) -> Option<EventValue<'_>> {
        if let Some(rest) = strip_prefix_ci(path, "mailcase.") {
            return self.normalised(rest);
        }
        if let Some(v) = self.lookup_root(path) {
            return Some(v);
        }
        let prefixes = self.aliases.map_or(&[][..], |a| &a.prefixes[..]);
        let containers = &self.table.containers;
        let index = self.root_index()?;
        prefixes
            .iter()
            .filter_map(|p| index.keys.get(p))
            .find_map(|inner| lookup(inner, path, containers))
    }

    /// The normalised columns of the event (`mailcase.<column>`).
    fn normalised(&self, column: &str) -> Option<EventValue<'_>> {
        let e = self.event;
        let text = |s: Option<&'v str>| s.map(|s| EventValue::Str(Cow::Borrowed(s)));
        if let Some(rest) = strip_prefix_ci(column, "details.") {
            let details = self.parsed.details.get_or_init(|| {
                serde_json::to_value(&e.action).unwrap_or(Value::Null)
            });
            return lookup(details, rest, &[]);
        }
        let geo = e.geo.as_ref();
        match column.to_ascii_lowercase().as_str() {
            "source" => text(Some(e.source.as_str())),
            "account" => text(e.account.as_ref().map(|a| a.as_str())),
            "actor" => text(e.actor.as_deref()),
            "action" => text(Some(e.action.name())),
            "outcome" => text(Some(e.outcome.as_str())),
            "error_code" => text(e.outcome.code()),
            "ip" => self.parsed.ip.as_deref().map(|s| EventValue::Str(Cow::Borrowed(s))),
            "port" => e.client.port.map(|p| EventValue::Int(i64::from(p))),
            "country" => text(geo.and_then(|g| g.country.as_deref())),
            "asn" => geo.and_then(|g| g.asn).map(|n| EventValue::Int(i64::from(n))),
            "as_org" => text(geo.and_then(|g| g.as_org.as_deref())),
            "net_class" => text(geo.map(|g| g.net_class.as_str())),
            "user_agent" => text(e.client.user_agent.as_deref()),
            "app_id" => text(e.client.app_id.as_deref()),
            "app" => text(e.client.app_name.as_deref()),
            "protocol" => text(e.client.protocol.as_deref()),
            "session_id" => text(e.client.session_id.as_deref()),
            "device" => text(e.client.device.as_deref()),
            _ => None,
        }
    }
}

/// The alias for `path`, compared ignoring ASCII case without allocating for the
/// usual short names.
fn find_alias<'a>(aliases: &'a SourceAliases, path: &str) -> Option<&'a Alias> {
    if aliases.entries.is_empty() {
        return None;
    }
    let mut buf = [0u8; 64];
    let bytes = path.as_bytes();
    if bytes.len() <= buf.len() {
        let lower = &mut buf[..bytes.len()];
        lower.copy_from_slice(bytes);
        lower.make_ascii_lowercase();
        // Lower-casing ASCII bytes keeps the text valid UTF-8.
        return std::str::from_utf8(lower).ok().and_then(|k| aliases.entries.get(k));
    }
    aliases.entries.get(&path.to_ascii_lowercase())
}

fn strip_prefix_ci<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let head = path.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &path[prefix.len()..])
}


/// The value of a `{Name, Value}`-style pair named `name` (ignoring case).
fn pair_value<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    // Most objects are not pairs: one scan for a name key settles them.
    if !map.keys().any(|k| PAIR_NAME_KEYS.iter().any(|n| k.eq_ignore_ascii_case(n))) {
        return None;
    }
    let named = PAIR_NAME_KEYS.iter().any(|k| {
        get_ci(map, k).and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name))
    });
    if !named {
        return None;
    }
    Some(PAIR_VALUE_KEYS.iter().find_map(|k| get_ci(map, k)).unwrap_or(&NULL))
}

/// Looks `path` up in `root`: as one key, then as a pair name in the containers, then
/// as a dotted path.
fn lookup<'a>(root: &'a Value, path: &str, containers: &[String]) -> Option<EventValue<'a>> {
    let map = root.as_object()?;
    if let Some(v) = get_ci(map, path) {
        return Some(to_event_value(v));
    }
    let mut found = Vec::new();
    for container in containers {
        let mut holders = Vec::new();
        walk(root, container, &mut holders, MAX_DEPTH);
        for holder in holders {
            collect_pairs(holder, path, &mut found);
        }
    }
    if found.is_empty() && path.contains('.') {
        walk(root, path, &mut found, MAX_DEPTH);
    }
    collapse(found)
}

fn collect_pairs<'a>(holder: &'a Value, name: &str, out: &mut Vec<&'a Value>) {
    if let Value::Array(items) = holder {
        for item in items {
            if let Some(v) = item.as_object().and_then(|m| pair_value(m, name)) {
                out.push(v);
            }
        }
    }
}

/// Follows a dotted path; arrays fan out (any element), pairs answer for their name.
fn walk<'a>(node: &'a Value, path: &str, out: &mut Vec<&'a Value>, depth: usize) {
    if depth == 0 {
        return;
    }
    if path.is_empty() {
        out.push(node);
        return;
    }
    match node {
        Value::Array(items) => {
            for item in items {
                walk(item, path, out, depth - 1);
            }
        }
        Value::Object(map) => {
            // A key may itself hold dots: try the longest prefix that is a key first.
            let mut split = Some(path.len());
            while let Some(end) = split {
                let (head, tail) = (&path[..end], path[end..].trim_start_matches('.'));
                if let Some(child) = get_ci(map, head).or_else(|| pair_value(map, head)) {
                    walk(child, tail, out, depth - 1);
                    return;
                }
                split = path[..end].rfind('.');
            }
        }
        _ => {}
    }
}

fn collapse(mut found: Vec<&Value>) -> Option<EventValue<'_>> {
    match found.len() {
        0 => None,
        1 => found.pop().map(to_event_value),
        _ => {
            let mut all = Vec::with_capacity(found.len());
            for v in found {
                push_flat(&mut all, to_event_value(v));
            }
            Some(EventValue::Array(all))
        }
    }
}

fn push_flat<'a>(all: &mut Vec<EventValue<'a>>, v: EventValue<'a>) {
    match v {
        EventValue::Array(items) => all.extend(items),
        other => all.push(other),
    }
}

/// Scalars as they are; arrays of scalars as arrays (any element matches); objects and
/// other arrays as their JSON text, the way Sentinel columns hold them, so that
/// `TargetResources|contains` works.
fn to_event_value(v: &Value) -> EventValue<'_> {
    match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(is_scalar) => {
            EventValue::Array(items.iter().map(EventValue::from).collect())
        }
        Value::Array(_) | Value::Object(_) => EventValue::Str(Cow::Owned(v.to_string())),
        scalar => EventValue::from(scalar),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn visit_strings(v: &Value, visit: &mut dyn FnMut(&str) -> bool, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    match v {
        Value::String(s) => visit(s),
        Value::Array(items) => items.iter().any(|i| visit_strings(i, visit, depth - 1)),
        Value::Object(map) => map.values().any(|i| visit_strings(i, visit, depth - 1)),
        _ => false,
    }
}

impl SigmaEvent for EventView<'_> {
    fn get_field(&self, path: &str) -> Option<EventValue<'_>> {
        self.resolve(path)
    }

    fn any_string_value(&self, pred: &dyn Fn(&str) -> bool) -> bool {
        visit_strings(&self.parsed.raw, &mut |s| pred(s), MAX_DEPTH)
    }

    fn all_string_values(&self) -> Vec<Cow<'_, str>> {
        let mut out = Vec::new();
        visit_strings(
            &self.parsed.raw,
            &mut |s| {
                out.push(Cow::Owned(s.to_string()));
                false
            },
            MAX_DEPTH,
        );
        out
    }

    fn visit_string_values(&self, visit: &mut dyn FnMut(&str)) {
        visit_strings(
            &self.parsed.raw,
            &mut |s| {
                visit(s);
                false
            },
            MAX_DEPTH,
        );
    }

    /// Only the event id: correlation keeps this as its reference to the event, and the
    /// record itself stays in the case.
    fn to_json(&self) -> Value {
        serde_json::json!({ "id": self.parsed.id.0.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use mailcase_model::{Action, EvidenceRef, RawRecord, SourceKind};

    fn event(source: SourceKind, raw: &str) -> Event {
        let at = chrono::Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
        let action = Action::Other { operation: "x".into() };
        Event::new(EvidenceRef { evidence: 1, record: 1 }, at, source, action, RawRecord(raw.into()))
    }

    fn get(source: SourceKind, raw: &str, field: &str) -> Option<serde_json::Value> {
        let e = event(source, raw);
        let parsed = Parsed::new(&e);
        let view = EventView::new(&e, &parsed, AliasTable::builtin());
        view.get_field(field).map(|v| v.to_json())
    }

    #[test]
    fn the_shipped_alias_table_parses() {
        let table = AliasTable::parse(ALIASES_TOML).unwrap();
        assert!(table.containers.iter().any(|c| c == "Parameters"));
        assert!(table.source("entra_signin").is_some());
    }

    #[test]
    fn keys_match_exactly_then_ignoring_case() {
        let raw = r#"{"Operation":"New-InboxRule","operation":"other","Workload":"Exchange"}"#;
        assert_eq!(get(SourceKind::M365Ual, raw, "Operation"), Some("New-InboxRule".into()));
        assert_eq!(get(SourceKind::M365Ual, raw, "WORKLOAD"), Some("Exchange".into()));
        assert_eq!(get(SourceKind::M365Ual, raw, "Missing"), None);
    }

    #[test]
    fn dotted_paths_arrays_and_pairs() {
        let raw = r#"{"properties":{"status":{"errorCode":50126}},
            "Parameters":[{"Name":"ForwardTo","Value":"x@evil.example"},{"Name":"Name","Value":"."}],
            "Target":[{"ID":"a"},{"ID":"b"}], "Tags":["t1","t2"]}"#;
        let s = SourceKind::M365Ual;
        assert_eq!(get(s, raw, "properties.status.errorCode"), Some(50126.into()));
        assert_eq!(get(s, raw, "Parameters.ForwardTo"), Some("x@evil.example".into()));
        assert_eq!(get(s, raw, "forwardto"), Some("x@evil.example".into()));
        assert_eq!(get(s, raw, "Target.ID"), Some(serde_json::json!(["a", "b"])));
        assert_eq!(get(s, raw, "Tags"), Some(serde_json::json!(["t1", "t2"])));
        let target = get(s, raw, "Target").unwrap();
        assert!(target.as_str().unwrap().contains(r#""ID":"b""#));
    }

    #[test]
    fn sentinel_json_text_cells_are_walked() {
        let raw = r#"{"Parameters":"[{\"Name\":\"RedirectTo\",\"Value\":\"r@evil.example\"}]"}"#;
        assert_eq!(get(SourceKind::M365Ual, raw, "RedirectTo"), Some("r@evil.example".into()));
    }

    #[test]
    fn entra_aliases_reach_graph_and_azure_monitor_shapes() {
        let graph = r#"{"status":{"errorCode":50126,"failureReason":"bad password"},"clientAppUsed":"IMAP4"}"#;
        let monitor = r#"{"resultType":"50126","properties":{"clientAppUsed":"IMAP4","userAgent":"BAV2ROPC"}}"#;
        let s = SourceKind::EntraSignIn;
        assert_eq!(get(s, graph, "ResultType"), Some(50126.into()));
        assert_eq!(get(s, monitor, "ResultType"), Some("50126".into()));
        assert_eq!(get(s, graph, "ResultDescription"), Some("bad password".into()));
        assert_eq!(get(s, monitor, "ClientApp"), Some("IMAP4".into()));
        assert_eq!(get(s, monitor, "userAgent"), Some("BAV2ROPC".into()));
    }

    #[test]
    fn normalised_fields_and_details() {
        let mut e = event(SourceKind::M365Ual, "{}");
        let mut rule = mailcase_model::InboxRule::new(mailcase_model::RuleChange::Created);
        rule.move_to_folder = Some("RSS Feeds".into());
        rule.mark_as_read = true;
        e.action = Action::InboxRule(rule);
        e.client.ip = "81.2.69.144".parse().ok();
        let parsed = Parsed::new(&e);
        let view = EventView::new(&e, &parsed, AliasTable::builtin());
        let f = |name: &str| view.get_field(name).map(|v| v.to_json());
        assert_eq!(f("mailcase.action"), Some("inbox_rule_created".into()));
        assert_eq!(f("mailcase.source"), Some("m365_ual".into()));
        assert_eq!(f("mailcase.ip"), Some("81.2.69.144".into()));
        assert_eq!(f("mailcase.details.move_to_folder"), Some("RSS Feeds".into()));
        assert_eq!(f("mailcase.details.mark_as_read"), Some(true.into()));
        assert_eq!(f("mailcase.account"), None);
        assert_eq!(f("mailcase.nonsense"), None);
    }

    /// The indexed lookup answers as the plain scan of the record does, for present,
    /// missing, case-folded, pair and dotted names.
    #[test]
    fn indexed_lookups_agree_with_the_plain_scan() {
        let records = [
            r#"{"Operation":"Set-Mailbox","operation":"dup","Workload":"Exchange","UserId":"a@b.fr",
                "Parameters":[{"Name":"ForwardingSmtpAddress","Value":"x@evil.example"},
                              {"Name":"Identity","Value":"a"},{"name":"identity","Value":"b"}],
                "ExtendedProperties":[{"Name":"UserAgent","Value":"curl"}],
                "properties":{"additionalDetails":[{"key":"UserAgent","value":"python"}],
                              "status":{"errorCode":50126}},
                "events":[{"parameters":[{"name":"doc","value":"d"}]}],
                "a.b":{"c":1},"Name":"RootPair","Value":"root value"}"#,
            r#"{"Parameters":"[{\"Name\":\"RedirectTo\",\"Value\":\"r@evil.example\"}]"}"#,
            r#"[1,2,3]"#,
            "not json",
        ];
        let fields = [
            "Operation", "OPERATION", "operation", "workload", "Missing", "ForwardingSmtpAddress",
            "identity", "useragent", "doc", "RedirectTo", "properties.status.errorCode",
            "Properties.Status.ErrorCode", "a.b.c", "a.b", "Parameters.Identity", "RootPair",
            "Parameters.Name", "events.parameters.doc", "x.y.z", "", ".", "..",
        ];
        let table = AliasTable::builtin();
        for raw in records {
            let e = event(SourceKind::EntraAudit, raw);
            let parsed = Parsed::new(&e);
            let view = EventView::new(&e, &parsed, table);
            for field in fields {
                let indexed = view.lookup_root(field).map(|v| v.to_json());
                let plain = lookup(&parsed.raw, field, &table.containers).map(|v| v.to_json());
                assert_eq!(indexed, plain, "{field} in {raw}");
            }
        }
    }

    #[test]
    fn hostile_records_do_not_break_lookups() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(get(SourceKind::M365Ual, &deep, "a.b"), None);
        assert_eq!(get(SourceKind::M365Ual, "not json", "a"), None);
        let e = event(SourceKind::M365Ual, r#"{"a":{"b":"x"}}"#);
        let parsed = Parsed::new(&e);
        let view = EventView::new(&e, &parsed, AliasTable::builtin());
        assert!(view.any_string_value(&|s| s == "x"));
        assert_eq!(view.get_field("a.b.c"), None);
        assert_eq!(view.get_field("a.b").map(|v| v.to_json()), Some("x".into()));
    }
}
