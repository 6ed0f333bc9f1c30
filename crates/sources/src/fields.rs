//! Reading fields of JSON records whatever their origin: names matched ignoring ASCII
//! case, JSON text inside a string cell read as JSON, null and blank values absent.
//! Shared by the Entra, message trace, inbox rule and (for directory records) UAL modules.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::RecordCtx;

/// A JSON object.
pub(crate) type Object = Map<String, Value>;

/// Longest value quoted back in an error message.
const QUOTE_MAX: usize = 64;

/// Parses a record that must be a JSON object.
pub(crate) fn parse_object(json: &str) -> Result<Object, String> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the record is not a JSON object".to_owned()),
        Err(e) => Err(format!("the record is not valid JSON: {e}")),
    }
}

/// The value of `key`: the exact name first, then any name equal ignoring ASCII
/// case. Null counts as absent.
pub(crate) fn get<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null()).or_else(|| {
        obj.iter()
            .find(|(k, v)| !v.is_null() && k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A scalar as text: strings as written, numbers and booleans in JSON form;
/// blank strings, arrays and objects are absent.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The text of the first of `keys` that has some.
pub(crate) fn text_of(obj: &Object, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| get(obj, k).and_then(text))
}

/// An object, or a string holding one (Sentinel exports write dynamic columns as
/// JSON text).
pub(crate) fn nested_object(value: &Value) -> Option<Cow<'_, Object>> {
    match value {
        Value::Object(map) => Some(Cow::Borrowed(map)),
        Value::String(s) if s.trim_start().starts_with('{') => match serde_json::from_str(s) {
            Ok(Value::Object(map)) => Some(Cow::Owned(map)),
            _ => None,
        },
        _ => None,
    }
}

/// An array, or a string holding one.
pub(crate) fn nested_array(value: &Value) -> Option<Cow<'_, [Value]>> {
    match value {
        Value::Array(items) => Some(Cow::Borrowed(items.as_slice())),
        Value::String(s) if s.trim_start().starts_with('[') => match serde_json::from_str(s) {
            Ok(Value::Array(items)) => Some(Cow::Owned(items)),
            _ => None,
        },
        _ => None,
    }
}

/// A boolean written as JSON, `True`/`False`, `Yes`/`No` or `1`/`0`.
pub(crate) fn boolish(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `text` cut to a length fit for an error message, debug-quoted so that control
/// characters from hostile input stay visible and harmless.
pub(crate) fn quote(text: &str) -> String {
    let cut: String = text.chars().take(QUOTE_MAX).collect();
    format!("{cut:?}")
}

/// Parses a timestamp; portal exports may put a comma between date and time.
pub(crate) fn timestamp(text: &str, ctx: &RecordCtx) -> Option<DateTime<Utc>> {
    crate::time::parse_timestamp(text, ctx.date_order)
        .or_else(|| crate::time::parse_timestamp(&text.replacen(',', "", 1), ctx.date_order))
}

/// The objects a record's fields are looked up in, most specific first: the
/// `properties` object of Azure Monitor exports, then the record itself.
pub(crate) struct Layers<'a> {
    layers: [Option<&'a Object>; 2],
}

impl<'a> Layers<'a> {
    /// `inner` (when present) is searched before `outer`.
    pub(crate) fn new(inner: Option<&'a Object>, outer: &'a Object) -> Self {
        Layers {
            layers: [inner, Some(outer)],
        }
    }

    /// The first of `keys` (in order of preference) present in any layer.
    pub(crate) fn get(&self, keys: &[&str]) -> Option<&'a Value> {
        keys.iter()
            .find_map(|k| self.layers.iter().flatten().find_map(|layer| get(layer, k)))
    }

    /// The first of `keys` that has some text.
    pub(crate) fn text(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.layers
                .iter()
                .flatten()
                .find_map(|layer| get(layer, k).and_then(text))
        })
    }

    /// The time in the first of `keys` present; an error names the keys or the
    /// unreadable value.
    pub(crate) fn time(&self, keys: &[&str], ctx: &RecordCtx) -> Result<DateTime<Utc>, String> {
        let raw = self
            .text(keys)
            .ok_or_else(|| format!("no time: none of {} is present", keys.join(", ")))?;
        timestamp(&raw, ctx).ok_or_else(|| format!("unreadable time {}", quote(&raw)))
    }
}

/// Test inputs: `sample` (a JSON object) with each value in turn replaced by values
/// of other types and hostile shapes, so that parsers meet every type confusion.
#[cfg(test)]
pub(crate) fn mutations(sample: &str) -> Vec<String> {
    let Ok(original) = serde_json::from_str::<Value>(sample) else {
        return Vec::new();
    };
    let replacements = [
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1),
        serde_json::json!(1e300),
        serde_json::json!(""),
        serde_json::json!("\u{0}<>\\"),
        serde_json::json!("[{\"a\": 1}]"),
        serde_json::json!("{\"errorCode\": \"x\"}"),
        serde_json::json!([]),
        serde_json::json!([null, 1, {"x": []}]),
        serde_json::json!({}),
    ];
    let mut paths = Vec::new();
    collect_paths(&original, &mut Vec::new(), &mut paths);
    let mut out = Vec::new();
    for path in paths {
        for replacement in &replacements {
            let mut copy = original.clone();
            if let Some(slot) = path.iter().try_fold(&mut copy, |v, step| match step {
                Step::Key(k) => v.get_mut(k.as_str()),
                Step::Index(i) => v.get_mut(*i),
            }) {
                *slot = replacement.clone();
                out.push(copy.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Adds every path below the root of `value` to `out`.
#[cfg(test)]
fn collect_paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let children: Vec<(Step, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Step::Index(i), v))
            .collect(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        prefix.push(step);
        out.push(prefix.clone());
        collect_paths(child, prefix, out);
        prefix.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        match v {
            Value::Object(m) => m,
            _ => Object::new(),
        }
    }

    #[test]
    fn get_ignores_case_and_nulls() {
        let o = obj(json!({"IPAddress": "1.2.3.4", "ipaddress2": null, "A": null, "a": 5}));
        assert_eq!(get(&o, "ipAddress"), Some(&json!("1.2.3.4")));
        assert_eq!(get(&o, "a"), Some(&json!(5)));
        assert_eq!(get(&o, "ipaddress2"), None);
        assert_eq!(get(&o, "missing"), None);
    }

    #[test]
    fn text_and_booleans() {
        assert_eq!(text(&json!("  ")), None);
        assert_eq!(text(&json!(50126)), Some("50126".to_owned()));
        assert_eq!(text(&json!({"a": 1})), None);
        assert_eq!(boolish(&json!("True")), Some(true));
        assert_eq!(boolish(&json!("no")), Some(false));
        assert_eq!(boolish(&json!("maybe")), None);
    }

    #[test]
    fn nested_json_in_strings() {
        let v = json!("{\"errorCode\": 0}");
        assert_eq!(
            nested_object(&v).and_then(|o| text_of(&o, &["errorCode"])),
            Some("0".into())
        );
        assert!(nested_object(&json!("{broken")).is_none());
        assert_eq!(nested_array(&json!("[1, 2]")).map(|a| a.len()), Some(2));
        assert!(nested_array(&json!("Success")).is_none());
    }

    #[test]
    fn quote_is_bounded_and_escaped() {
        let long = "x".repeat(500) + "\u{1b}";
        assert!(quote(&long).len() < 80);
        assert_eq!(quote("a\u{1b}b"), "\"a\\u{1b}b\"");
    }
}
