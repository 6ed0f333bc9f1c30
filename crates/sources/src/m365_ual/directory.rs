//! Entra (Azure AD) directory changes found in the Unified Audit Log, mapped with
//! [`crate::entra_audit::operation_action`] so that the same operation gives the same
//! action from either source.
//!
//! The UAL flattens the audit log's target: `Target` is a list of `{ID, Type}` where a
//! `Kind_<id>` entry opens a target (`User_1f2e...`, `ServicePrincipal_...`), a bare
//! kind word (`User`) names its kind, Type 1 its display name, Type 5 (or any ID with
//! `@`) its user principal name, and a GUID its object id. `ModifiedProperties`
//! (`{Name, NewValue, OldValue}`, values as plain text) belong to the first target.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::entra_audit::{Change, Target};
use crate::fields;

/// Kinds of directory objects the UAL names in `Target`.
const KINDS: &[&str] = &["User", "ServicePrincipal", "Application", "Role", "Group", "Device", "Policy"];

/// The targets of a UAL directory record in the shape `operation_action` reads.
pub(super) fn targets(target: Option<&RawValue>, modified: Option<&RawValue>) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for entry in list(target).iter().filter_map(fields::nested_object) {
        let Some(id) = fields::text_of(&entry, &["ID", "Id"]) else { continue };
        let kind = fields::text_of(&entry, &["Type"]).unwrap_or_default();
        if let Some(prefix) = id.split_once('_').map(|(p, _)| p).filter(|p| is_kind(p)) {
            out.push(Target { kind: Some(prefix.to_owned()), ..Target::default() });
            continue;
        }
        if out.is_empty() {
            out.push(Target::default());
        }
        let Some(current) = out.last_mut() else { continue };
        if is_kind(&id) {
            current.kind.get_or_insert(id);
        } else if kind == "5" || id.contains('@') {
            current.upn.get_or_insert(id);
        } else if kind == "1" {
            current.name.get_or_insert(id);
        } else if looks_like_guid(&id) {
            current.id.get_or_insert(id);
        }
    }
    let changes = changes(modified);
    if !changes.is_empty() {
        if out.is_empty() {
            out.push(Target::default());
        }
        if let Some(first) = out.first_mut() {
            first.changes = changes;
        }
    }
    out
}

fn changes(modified: Option<&RawValue>) -> Vec<Change> {
    list(modified)
        .iter()
        .filter_map(fields::nested_object)
        .filter_map(|p| {
            Some(Change {
                name: fields::text_of(&p, &["Name", "displayName"])?,
                old: fields::text_of(&p, &["OldValue"]),
                new: fields::text_of(&p, &["NewValue"]),
            })
        })
        .collect()
}

/// A list written as JSON or (Sentinel) as a string holding JSON; empty otherwise.
fn list(raw: Option<&RawValue>) -> Vec<Value> {
    let Some(value) = raw.and_then(|r| serde_json::from_str::<Value>(r.get()).ok()) else {
        return Vec::new();
    };
    fields::nested_array(&value).map(|items| items.into_owned()).unwrap_or_default()
}

fn is_kind(word: &str) -> bool {
    KINDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

fn looks_like_guid(s: &str) -> bool {
    s.len() == 36 && s.bytes().enumerate().all(|(i, b)| if [8, 13, 18, 23].contains(&i) { b == b'-' } else { b.is_ascii_hexdigit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap_or_else(|_| RawValue::from_string("null".into()).unwrap())
    }

    #[test]
    fn flattened_targets_are_split_and_named() {
        let target = raw(r#"[{"ID":"Role_62e9","Type":2},{"ID":"Role","Type":2},{"ID":"Global Administrator","Type":1},
            {"ID":"User_111","Type":2},{"ID":"11111111-2222-3333-4444-555555555555","Type":"2"},{"ID":"User","Type":2},{"ID":"j@x.com","Type":5}]"#);
        let modified = raw(r#""[{\"Name\":\"Role.DisplayName\",\"NewValue\":\"Global Administrator\",\"OldValue\":\"\"}]""#);
        let t = targets(Some(&target), Some(&modified));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].kind.as_deref(), Some("Role"));
        assert_eq!(t[0].name.as_deref(), Some("Global Administrator"));
        assert_eq!(t[0].changes.len(), 1);
        assert_eq!(t[0].changes[0].new.as_deref(), Some("Global Administrator"));
        assert_eq!(t[0].changes[0].old, None);
        assert_eq!(t[1].kind.as_deref(), Some("User"));
        assert_eq!(t[1].upn.as_deref(), Some("j@x.com"));
        assert_eq!(t[1].id.as_deref(), Some("11111111-2222-3333-4444-555555555555"));
    }

    #[test]
    fn broken_shapes_give_no_targets() {
        for bad in ["7", "\"x\"", "{}", "[1, null, {\"Type\":1}]", "null"] {
            let value = raw(bad);
            assert!(targets(Some(&value), Some(&value)).is_empty(), "{bad}");
        }
        assert!(targets(None, None).is_empty());
    }
}
