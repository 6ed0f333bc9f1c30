//! Entra ID (Azure AD) audit logs.
//!
//! Shapes read, told apart by their keys (matched ignoring ASCII case):
//! - Microsoft Graph `directoryAudit` objects (`activityDateTime`, `activityDisplayName`,
//!   `result`, `initiatedBy{user|app}`, `targetResources[{..., modifiedProperties}]`,
//!   `additionalDetails[{key, value}]`);
//! - Azure Monitor diagnostic exports (`time`, `operationName`, `callerIpAddress`, the
//!   Graph object under `properties`);
//! - Sentinel `AuditLogs` table exports (`TimeGenerated`, `OperationName`, and
//!   `InitiatedBy` / `TargetResources` / `AdditionalDetails` as JSON text in cells).
//!
//! Operation names are compared trimmed, ignoring case and a final period, because the
//! Unified Audit Log copies of the same operations end with one (`Consent to application.`).
//!
//! The account is the target user (the first target with a `userPrincipalName`); when
//! no target is a user (consent, app credentials), it is the initiating user, whose
//! mailbox the change concerns. The actor is the initiating user or application, left
//! empty when it is the account itself (self-service changes).

use mailcase_model::{
    Account, Action, AppConsent, Client, Event, Outcome, RawRecord, SourceKind, parse_ip_port,
};
use serde_json::Value;

use crate::RecordCtx;
use crate::fields::{self, Layers, Object};

/// Turns one audit record (JSON text of any shape above) into an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let top = fields::parse_object(json)?;
    let props = fields::get(&top, "properties").and_then(fields::nested_object);
    let rec = Layers::new(props.as_deref(), &top);
    let operation = rec
        .text(&["activityDisplayName", "operationName"])
        .ok_or("no operation: neither activityDisplayName nor operationName is present")?;
    let time = rec.time(&["activityDateTime", "time", "TimeGenerated"], ctx)?;
    let targets = targets(&rec);
    let initiator = Initiator::read(&rec);
    let action = operation_action(&operation, &targets, rec.text(&["resultReason"]).as_deref());
    let account = targets
        .iter()
        .find_map(|t| t.upn.as_deref())
        .or(initiator.upn.as_deref())
        .and_then(Account::new);
    let mut event = Event::new(
        ctx.at,
        time,
        SourceKind::EntraAudit,
        action,
        RawRecord(json.to_owned()),
    );
    event.actor = initiator
        .name()
        .filter(|name| account.as_ref() != Account::new(name).as_ref());
    event.account = account;
    event.outcome = outcome(&rec);
    event.client = client(&rec, &initiator);
    Ok(event)
}

/// One modified property of a target, values as logged (JSON text, usually quoted).
#[derive(Debug, Default)]
pub(crate) struct Change {
    /// Property name (`ConsentAction.Permissions`, `AccountEnabled`...).
    pub name: String,
    /// Value before.
    pub old: Option<String>,
    /// Value after.
    pub new: Option<String>,
}

/// One target resource.
#[derive(Debug, Default)]
pub(crate) struct Target {
    /// Object id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `User`, `ServicePrincipal`, `Application`, `Role`...
    pub kind: Option<String>,
    /// User principal name, for users.
    pub upn: Option<String>,
    /// Modified properties.
    pub changes: Vec<Change>,
}

impl Target {
    fn is(&self, kind: &str) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case(kind))
    }
}

fn targets(rec: &Layers<'_>) -> Vec<Target> {
    let Some(items) = rec.get(&["targetResources"]).and_then(fields::nested_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(fields::nested_object)
        .map(|t| read_target(&t))
        .collect()
}

fn read_target(t: &Object) -> Target {
    let changes = fields::get(t, "modifiedProperties")
        .and_then(fields::nested_array)
        .map(|props| {
            props
                .iter()
                .filter_map(fields::nested_object)
                .map(|p| Change {
                    name: fields::text_of(&p, &["displayName", "Name"]).unwrap_or_default(),
                    old: fields::text_of(&p, &["oldValue"]),
                    new: fields::text_of(&p, &["newValue"]),
                })
                .collect()
        })
        .unwrap_or_default();
    Target {
        id: fields::text_of(t, &["id"]),
        name: fields::text_of(t, &["displayName"]),
        kind: fields::text_of(t, &["type"]),
        upn: fields::text_of(t, &["userPrincipalName"]),
        changes,
    }
}

/// Who did it: a user or an application.
#[derive(Debug, Default)]
struct Initiator {
    upn: Option<String>,
    user_name: Option<String>,
    ip: Option<String>,
    app_id: Option<String>,
    app_name: Option<String>,
}

impl Initiator {
    fn read(rec: &Layers<'_>) -> Initiator {
        let Some(by) = rec.get(&["initiatedBy"]).and_then(fields::nested_object) else {
            return Initiator::default();
        };
        let user = fields::get(&by, "user").and_then(fields::nested_object);
        let app = fields::get(&by, "app").and_then(fields::nested_object);
        let user_text = |keys: &[&str]| user.as_deref().and_then(|u| fields::text_of(u, keys));
        let app_text = |keys: &[&str]| app.as_deref().and_then(|a| fields::text_of(a, keys));
        Initiator {
            upn: user_text(&["userPrincipalName"]),
            user_name: user_text(&["displayName"]),
            ip: user_text(&["ipAddress"]),
            app_id: app_text(&["appId"]),
            app_name: app_text(&["displayName", "servicePrincipalName"]),
        }
    }

    fn name(&self) -> Option<String> {
        self.upn
            .clone()
            .or_else(|| self.user_name.clone())
            .or_else(|| self.app_name.clone())
            .or_else(|| self.app_id.clone())
    }
}

fn outcome(rec: &Layers<'_>) -> Outcome {
    let reason = rec.text(&["resultReason"]);
    match rec
        .text(&["result"])
        .map(|r| r.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("success") => Outcome::Success,
        Some("failure" | "failed") => Outcome::Failure { code: None, reason },
        _ => Outcome::Unknown,
    }
}

/// The initiating user's address (`callerIpAddress` in Azure Monitor exports when the
/// user object has none), the user agent from `additionalDetails` or the Sentinel
/// `UserAgent` column, and the initiating application.
fn client(rec: &Layers<'_>, initiator: &Initiator) -> Client {
    let (ip, port) = initiator
        .ip
        .clone()
        .or_else(|| rec.text(&["callerIpAddress", "ipAddress"]))
        .and_then(|s| parse_ip_port(&s))
        .map_or((None, None), |(ip, port)| (Some(ip), port));
    Client {
        ip,
        port,
        user_agent: detail(rec, "User-Agent").or_else(|| rec.text(&["UserAgent"])),
        app_id: initiator.app_id.clone(),
        app_name: initiator.app_name.clone(),
        ..Client::default()
    }
}

/// The value of `key` in `additionalDetails[{key, value}]`.
fn detail(rec: &Layers<'_>, key: &str) -> Option<String> {
    let items = rec
        .get(&["additionalDetails"])
        .and_then(fields::nested_array)?;
    items
        .iter()
        .filter_map(fields::nested_object)
        .find_map(|item| {
            let name = fields::text_of(&item, &["key"])?;
            name.eq_ignore_ascii_case(key)
                .then(|| fields::text_of(&item, &["value"]))
                .flatten()
        })
}

/// `operation` trimmed, lower-case, without a final period.
pub(crate) fn normalise_operation(operation: &str) -> String {
    let trimmed = operation.trim();
    trimmed
        .strip_suffix('.')
        .unwrap_or(trimmed)
        .trim_end()
        .to_lowercase()
}

/// Maps an Entra audit operation, with its targets and result reason, to an action.
/// Usable for the Unified Audit Log copies too (their names end with a period).
pub(crate) fn operation_action(
    operation: &str,
    targets: &[Target],
    result_reason: Option<&str>,
) -> Action {
    let op = normalise_operation(operation);
    match op.as_str() {
        "consent to application"
        | "add oauth2permissiongrant"
        | "add app role assignment grant to user"
        | "add delegated permission grant"
        | "add app role assignment to service principal" => Action::AppConsent(consent(targets)),
        "add service principal credentials" => Action::AppCredentialAdded {
            app: app_target_name(targets),
        },
        _ if is_credentials_update(&op) => Action::AppCredentialAdded {
            app: app_target_name(targets),
        },
        "user registered security info"
        | "admin registered security info"
        | "user registered all required security info" => Action::MfaMethod {
            added: true,
            method: security_info_method(result_reason),
        },
        "user deleted security info" | "admin deleted security info" => Action::MfaMethod {
            added: false,
            method: security_info_method(result_reason),
        },
        "change user password" | "change password (self-service)" => {
            Action::Password { reset: false }
        }
        "reset user password" | "reset password (self-service)" | "reset password (by admin)" => {
            Action::Password { reset: true }
        }
        "add user" => Action::AccountCreated,
        "delete user" | "hard delete user" | "disable account" => Action::AccountDisabled,
        "enable account" | "restore user" => Action::AccountEnabled,
        "update user" => update_user(targets).unwrap_or_else(|| other(operation)),
        _ => role_change(&op, targets).unwrap_or_else(|| other(operation)),
    }
}

fn other(operation: &str) -> Action {
    Action::Other {
        operation: operation.trim().to_owned(),
    }
}

/// `Update application – Certificates and secrets management` (en dash in the log;
/// a hyphen when retyped).
fn is_credentials_update(op: &str) -> bool {
    op.starts_with("update application") && op.ends_with("certificates and secrets management")
}

/// `Add member to role` (and its PIM `... completed` forms) grant; the `Remove ...`
/// forms remove. PIM requests are not grants yet and stay `Other`.
fn role_change(op: &str, targets: &[Target]) -> Option<Action> {
    let added = if op == "add member to role"
        || (op.starts_with("add member to role") && op.contains("completed"))
    {
        true
    } else if op == "remove member from role"
        || (op.starts_with("remove member from role") && op.contains("completed"))
    {
        false
    } else {
        return None;
    };
    let from_property = find_change(targets, "Role.DisplayName")
        .and_then(|c| {
            if added {
                c.new.as_deref()
            } else {
                c.old.as_deref()
            }
        })
        .and_then(|v| unquote(v).into_iter().next());
    let role = from_property.or_else(|| {
        targets
            .iter()
            .find(|t| t.is("Role"))
            .and_then(|t| t.name.clone())
    });
    Some(Action::RoleChanged { added, role })
}

/// `Update user` changing `AccountEnabled` (enabled or disabled) or a
/// `StrongAuthentication*` property. For the latter the old and new method sets are
/// compared: a method present only in the new value is an addition, one present only
/// in the old value a removal; a change that adds and removes nothing (the default
/// method switched, the same list rewritten) is no MFA event at all (`None`, so the
/// caller reports `Other`).
fn update_user(targets: &[Target]) -> Option<Action> {
    if let Some(change) = find_change(targets, "AccountEnabled") {
        let enabled = change
            .new
            .as_deref()
            .and_then(|v| unquote(v).into_iter().next())?;
        return Some(if enabled.eq_ignore_ascii_case("true") {
            Action::AccountEnabled
        } else {
            Action::AccountDisabled
        });
    }
    let strong: Vec<&Change> = targets
        .iter()
        .flat_map(|t| &t.changes)
        .filter(|c| {
            c.name
                .to_ascii_lowercase()
                .starts_with("strongauthentication")
        })
        .collect();
    let differences: Vec<(&Change, bool, bool)> = strong
        .into_iter()
        .map(|c| {
            let (old, new) = (method_set(c.old.as_deref()), method_set(c.new.as_deref()));
            let added = new.iter().any(|m| !old.contains(m));
            let removed = old.iter().any(|m| !new.contains(m));
            (c, added, removed)
        })
        .collect();
    // An addition wins over a removal: a method replaced is a method added.
    let (change, added) = differences
        .iter()
        .find(|d| d.1)
        .map(|d| (d.0, true))
        .or_else(|| differences.iter().find(|d| d.2).map(|d| (d.0, false)))?;
    Some(Action::MfaMethod {
        added,
        method: Some(change.name.clone()),
    })
}

/// The entries of a `StrongAuthentication*` value (`[{"MethodType":6,"Default":true}]`,
/// possibly as a string holding that JSON): each entry's `MethodType` when it has one
/// (so that switching the default method changes nothing), else the entry's JSON text;
/// text that is not JSON counts as one entry.
fn method_set(value: Option<&str>) -> Vec<String> {
    let text = value.unwrap_or_default().trim();
    let parsed = match serde_json::from_str::<Value>(text) {
        Ok(Value::String(inner)) => serde_json::from_str(&inner).unwrap_or(Value::String(inner)),
        Ok(v) => v,
        Err(_) if text.is_empty() => Value::Null,
        Err(_) => Value::String(text.to_owned()),
    };
    let items = match parsed {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    };
    items
        .iter()
        .filter(|v| !v.is_null())
        .map(|item| {
            let method_type = item
                .as_object()
                .and_then(|o| fields::get(o, "MethodType"))
                .map(|t| t.to_string());
            method_type.unwrap_or_else(|| item.to_string())
        })
        .collect()
}

/// `User registered Mobile Phone SMS` -> `Mobile Phone SMS`.
fn security_info_method(result_reason: Option<&str>) -> Option<String> {
    let reason = result_reason?.trim();
    let prefixes = [
        "User registered ",
        "User deleted ",
        "Admin registered ",
        "Admin deleted ",
    ];
    let method = prefixes
        .iter()
        .find_map(|p| reason.strip_prefix(p))
        .unwrap_or(reason);
    (!method.is_empty()).then(|| method.to_owned())
}

fn find_change<'a>(targets: &'a [Target], name: &str) -> Option<&'a Change> {
    targets
        .iter()
        .flat_map(|t| &t.changes)
        .find(|c| c.name.eq_ignore_ascii_case(name))
}

fn app_target_name(targets: &[Target]) -> Option<String> {
    targets
        .iter()
        .find(|t| t.is("Application") || t.is("ServicePrincipal"))
        .or(targets.first())
        .and_then(|t| t.name.clone())
}

/// The application, its scopes and whether an administrator consented for everyone.
fn consent(targets: &[Target]) -> AppConsent {
    let (app_name, app_id) = consented_app(targets);
    AppConsent {
        app_id,
        app_name,
        scopes: scopes(targets),
        admin_consent: admin_consent(targets),
    }
}

/// For permission grants the first target is the resource API (often Microsoft Graph)
/// and `ServicePrincipal.ObjectID` names the client: that one is the app. Otherwise
/// (consent, app role grants) the first service principal target is.
fn consented_app(targets: &[Target]) -> (Option<String>, Option<String>) {
    let first_value = |name: &str| {
        find_change(targets, name)
            .and_then(|c| c.new.as_deref())
            .and_then(|v| unquote(v).into_iter().next())
    };
    if let Some(client_id) = first_value("ServicePrincipal.ObjectID") {
        let name = targets
            .iter()
            .find(|t| t.id.as_deref() == Some(client_id.as_str()))
            .and_then(|t| t.name.clone());
        return (name, first_value("ServicePrincipal.AppId"));
    }
    let Some(app) = targets
        .iter()
        .find(|t| t.is("ServicePrincipal"))
        .or(targets.first())
    else {
        return (None, None);
    };
    let app_id = app
        .changes
        .iter()
        .find(|c| {
            c.name
                .eq_ignore_ascii_case("TargetId.ServicePrincipalNames")
        })
        .and_then(|c| c.new.as_deref())
        .and_then(|v| {
            unquote(v)
                .into_iter()
                .flat_map(|s| split_owned(&s, ';'))
                .find(|s| looks_like_guid(s))
        });
    (app.name.clone(), app_id)
}

fn scopes(targets: &[Target]) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for change in targets.iter().flat_map(|t| &t.changes) {
        let Some(new) = change.new.as_deref() else {
            continue;
        };
        let found: Vec<String> = match change.name.to_ascii_lowercase().as_str() {
            "delegatedpermissiongrant.scope" => unquote(new)
                .iter()
                .flat_map(|s| split_owned(s, ' '))
                .collect(),
            "consentaction.permissions" => permission_scopes(new),
            "approle.value" => unquote(new),
            _ => continue,
        };
        for scope in found {
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
    }
    scopes
}

/// Scopes in `ConsentAction.Permissions`, whose value reads
/// `[old grants] => [[Id: ..., ConsentType: Principal, Scope:  Mail.Read offline_access, CreatedDateTime: ...]]`:
/// only the part after `=>` (the new grants) counts.
fn permission_scopes(value: &str) -> Vec<String> {
    let new_part = value.split_once("=>").map_or(value, |(_, new)| new);
    new_part
        .split("Scope:")
        .skip(1)
        .flat_map(|rest| {
            let end = rest.find([',', ']']).unwrap_or(rest.len());
            split_owned(rest.get(..end).unwrap_or_default(), ' ')
        })
        .collect()
}

fn admin_consent(targets: &[Target]) -> Option<bool> {
    let value = |name: &str| {
        find_change(targets, name)
            .and_then(|c| c.new.as_deref())
            .and_then(|v| unquote(v).into_iter().next())
    };
    if let Some(flag) = value("ConsentContext.IsAdminConsent") {
        return fields::boolish(&Value::String(flag));
    }
    if let Some(kind) = value("DelegatedPermissionGrant.ConsentType") {
        return Some(kind.eq_ignore_ascii_case("AllPrincipals"));
    }
    let permissions =
        find_change(targets, "ConsentAction.Permissions").and_then(|c| c.new.as_deref())?;
    let new_part = permissions
        .split_once("=>")
        .map_or(permissions, |(_, new)| new);
    if new_part.contains("ConsentType: AllPrincipals") {
        Some(true)
    } else if new_part.contains("ConsentType: Principal") {
        Some(false)
    } else {
        None
    }
}

/// A modified-property value as plain strings: `"\"True\""` -> `["True"]`,
/// `"[\"Mail.Read\",\"User.Read\"]"` -> both, `[false]` -> `["false"]`; anything that is
/// not JSON is kept as written.
pub(crate) fn unquote(value: &str) -> Vec<String> {
    match serde_json::from_str::<Value>(value.trim()) {
        Ok(Value::Array(items)) => items.iter().filter_map(fields::text).collect(),
        Ok(Value::Null) => Vec::new(),
        Ok(v) => fields::text(&v).into_iter().collect(),
        Err(_) if value.trim().is_empty() => Vec::new(),
        Err(_) => vec![value.trim().to_owned()],
    }
}

fn split_owned(text: &str, sep: char) -> Vec<String> {
    text.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn looks_like_guid(s: &str) -> bool {
    s.len() == 36
        && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && s.matches('-').count() == 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx() -> RecordCtx {
        RecordCtx {
            at: EvidenceRef {
                evidence: 2,
                record: 7,
            },
            date_order: DateOrder::MonthFirst,
            file_time: None,
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    /// A Graph `directoryAudit` record with the given operation, targets and result reason.
    fn graph(operation: &str, targets: &str, reason: &str) -> String {
        format!(
            r#"{{"id":"Directory_1","activityDateTime":"2024-03-14T08:05:00Z","activityDisplayName":"{operation}",
            "category":"UserManagement","result":"success","resultReason":"{reason}",
            "initiatedBy":{{"user":{{"userPrincipalName":"Admin@Contoso.fr","ipAddress":"198.51.100.7:1234"}},"app":null}},
            "targetResources":{targets},
            "additionalDetails":[{{"key":"User-Agent","value":"Mozilla/5.0 (evil)"}}]}}"#
        )
    }

    const USER_TARGET: &str = r#"[{"id":"u1","displayName":"Jane","type":"User","userPrincipalName":"Jane@Contoso.FR","modifiedProperties":[]}]"#;

    fn action(operation: &str, targets: &str, reason: &str) -> Action {
        to_event(&graph(operation, targets, reason), &ctx())
            .unwrap()
            .action
    }

    #[test]
    fn graph_record_fields() {
        let e = to_event(&graph("Reset user password", USER_TARGET, ""), &ctx()).unwrap();
        assert_eq!(e.time, utc("2024-03-14T08:05:00Z"));
        assert_eq!(e.source, SourceKind::EntraAudit);
        assert_eq!(e.action, Action::Password { reset: true });
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("jane@contoso.fr")
        );
        assert_eq!(e.actor.as_deref(), Some("Admin@Contoso.fr"));
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.client.ip, "198.51.100.7".parse().ok());
        assert_eq!(e.client.port, Some(1234));
        assert_eq!(e.client.user_agent.as_deref(), Some("Mozilla/5.0 (evil)"));
        assert_eq!(
            e.id,
            EvidenceRef {
                evidence: 2,
                record: 7
            }
            .event_id()
        );
    }

    #[test]
    fn password_account_and_role_operations() {
        assert_eq!(
            action("Change user password", USER_TARGET, ""),
            Action::Password { reset: false }
        );
        assert_eq!(
            action("Change password (self-service)", USER_TARGET, ""),
            Action::Password { reset: false }
        );
        assert_eq!(
            action("Reset password (self-service)", USER_TARGET, ""),
            Action::Password { reset: true }
        );
        assert_eq!(action("Add user", USER_TARGET, ""), Action::AccountCreated);
        assert_eq!(
            action("Delete user", USER_TARGET, ""),
            Action::AccountDisabled
        );
        assert_eq!(
            action("Disable account", USER_TARGET, ""),
            Action::AccountDisabled
        );
        assert_eq!(
            action("Enable account", USER_TARGET, ""),
            Action::AccountEnabled
        );
        let role = r#"[{"type":"Role","displayName":"Global Administrator"},
            {"type":"User","userPrincipalName":"x@y.fr","modifiedProperties":[{"displayName":"Role.DisplayName","oldValue":null,"newValue":"\"Exchange Administrator\""}]}]"#;
        assert_eq!(
            action("Add member to role", role, ""),
            Action::RoleChanged {
                added: true,
                role: Some("Exchange Administrator".into())
            }
        );
        let plain_role = r#"[{"type":"Role","displayName":"Global Administrator"}]"#;
        assert_eq!(
            action("Remove member from role", plain_role, ""),
            Action::RoleChanged {
                added: false,
                role: Some("Global Administrator".into())
            }
        );
        assert!(matches!(
            action(
                "Add member to role in PIM requested (permanent)",
                plain_role,
                ""
            ),
            Action::Other { .. }
        ));
        assert!(matches!(
            action(
                "Add member to role in PIM completed (permanent)",
                plain_role,
                ""
            ),
            Action::RoleChanged { added: true, .. }
        ));
    }

    #[test]
    fn ual_names_with_a_period_and_spaces_map_too() {
        assert_eq!(
            action("Reset user password.", USER_TARGET, ""),
            Action::Password { reset: true }
        );
        assert_eq!(
            action("  ADD USER.  ", USER_TARGET, ""),
            Action::AccountCreated
        );
        assert_eq!(
            action("Set federation settings on domain", "[]", ""),
            Action::Other {
                operation: "Set federation settings on domain".into()
            }
        );
    }

    #[test]
    fn security_info_and_strong_authentication() {
        assert_eq!(
            action(
                "User registered security info",
                USER_TARGET,
                "User registered Mobile Phone SMS"
            ),
            Action::MfaMethod {
                added: true,
                method: Some("Mobile Phone SMS".into())
            }
        );
        assert_eq!(
            action("User deleted security info", USER_TARGET, ""),
            Action::MfaMethod {
                added: false,
                method: None
            }
        );
        let strong = r#"[{"type":"User","userPrincipalName":"j@x.fr","modifiedProperties":[
            {"displayName":"StrongAuthenticationMethod","oldValue":"[{\"MethodType\":6,\"Default\":true}]",
             "newValue":"[{\"MethodType\":6,\"Default\":true},{\"MethodType\":7,\"Default\":false}]"}]}]"#;
        assert_eq!(
            action("Update user", strong, ""),
            Action::MfaMethod {
                added: true,
                method: Some("StrongAuthenticationMethod".into())
            }
        );
        // The same methods, the default switched: not an addition, not an MFA event.
        let switched = r#"[{"type":"User","userPrincipalName":"j@x.fr","modifiedProperties":[
            {"displayName":"StrongAuthenticationMethod","oldValue":"[{\"MethodType\":6,\"Default\":true},{\"MethodType\":7,\"Default\":false}]",
             "newValue":"[{\"MethodType\":7,\"Default\":true},{\"MethodType\":6,\"Default\":false}]"}]}]"#;
        assert_eq!(
            action("Update user", switched, ""),
            Action::Other {
                operation: "Update user".into()
            }
        );
        // As many methods as before, but one replaced: an addition.
        let replaced = switched.replace(r#"\"MethodType\":6,\"Default\":false"#, r#"\"MethodType\":1,\"Default\":false"#);
        assert!(matches!(
            action("Update user", &replaced, ""),
            Action::MfaMethod { added: true, .. }
        ));
        // A phone number changed in StrongAuthenticationUserDetails: the new one is added.
        let phone = r#"[{"type":"User","userPrincipalName":"j@x.fr","modifiedProperties":[
            {"displayName":"StrongAuthenticationUserDetails","oldValue":"[{\"PhoneNumber\":\"+33 1\"}]","newValue":"[{\"PhoneNumber\":\"+44 9\"}]"}]}]"#;
        assert!(matches!(
            action("Update user", phone, ""),
            Action::MfaMethod { added: true, .. }
        ));
        let removed = strong
            .replace("\"oldValue\"", "\"tmp\"")
            .replace("\"newValue\"", "\"oldValue\"")
            .replace("\"tmp\"", "\"newValue\"");
        assert!(matches!(
            action("Update user", &removed, ""),
            Action::MfaMethod { added: false, .. }
        ));
    }

    #[test]
    fn update_user_account_enabled() {
        let t = |v: &str| {
            format!(
                r#"[{{"type":"User","userPrincipalName":"j@x.fr","modifiedProperties":[{{"displayName":"AccountEnabled","oldValue":"[true]","newValue":"{v}"}}]}}]"#
            )
        };
        assert_eq!(
            action("Update user", &t("[false]"), ""),
            Action::AccountDisabled
        );
        assert_eq!(
            action("Update user", &t("[true]"), ""),
            Action::AccountEnabled
        );
        assert_eq!(
            action("Update user", "[]", ""),
            Action::Other {
                operation: "Update user".into()
            }
        );
    }

    #[test]
    fn consent_to_application() {
        let targets = r#"[{"id":"sp-1","displayName":"PERFECTDATA SOFTWARE","type":"ServicePrincipal","modifiedProperties":[
            {"displayName":"ConsentContext.IsAdminConsent","oldValue":null,"newValue":"\"False\""},
            {"displayName":"ConsentAction.Permissions","oldValue":null,"newValue":"[] => [[Id: abc, ClientId: sp-1, PrincipalId: u1, ResourceId: r1, ConsentType: Principal, Scope:  Mail.ReadWrite offline_access User.Read, CreatedDateTime: , LastModifiedDateTime ]]; "},
            {"displayName":"TargetId.ServicePrincipalNames","oldValue":null,"newValue":"\"ff8d92dc-3d82-41d6-bcbd-b9174d163620;https://perfectdata.example\""}]}]"#;
        let e = to_event(&graph("Consent to application", targets, ""), &ctx()).unwrap();
        assert_eq!(
            e.action,
            Action::AppConsent(AppConsent {
                app_id: Some("ff8d92dc-3d82-41d6-bcbd-b9174d163620".into()),
                app_name: Some("PERFECTDATA SOFTWARE".into()),
                scopes: vec![
                    "Mail.ReadWrite".into(),
                    "offline_access".into(),
                    "User.Read".into()
                ],
                admin_consent: Some(false),
            })
        );
        // No user target: the consenting user is the account, and no actor.
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("admin@contoso.fr")
        );
        assert_eq!(e.actor, None);
    }

    #[test]
    fn credentials_added() {
        let app = r#"[{"id":"a1","displayName":"SimuLandApp","type":"Application","modifiedProperties":[]}]"#;
        let expected = Action::AppCredentialAdded {
            app: Some("SimuLandApp".into()),
        };
        assert_eq!(
            action("Add service principal credentials", app, ""),
            expected
        );
        assert_eq!(
            action(
                "Update application \u{2013} Certificates and secrets management ",
                app,
                ""
            ),
            expected
        );
        assert_eq!(
            action(
                "Update application - Certificates and secrets management",
                app,
                ""
            ),
            expected
        );
        assert_eq!(
            action("Update application", app, ""),
            Action::Other {
                operation: "Update application".into()
            }
        );
    }

    #[test]
    fn failure_app_initiator_and_nulls() {
        let json = r#"{"activityDateTime":"2024-03-14T08:05:00Z","activityDisplayName":"Add user","result":"failure",
            "resultReason":"Quota exceeded","initiatedBy":{"user":null,"app":{"appId":"app-9","displayName":"Sync Agent"}},
            "targetResources":null,"additionalDetails":null}"#;
        let e = to_event(json, &ctx()).unwrap();
        assert_eq!(
            e.outcome,
            Outcome::Failure {
                code: None,
                reason: Some("Quota exceeded".into())
            }
        );
        assert_eq!(e.actor.as_deref(), Some("Sync Agent"));
        assert_eq!(e.account, None);
        assert_eq!(e.client.app_id.as_deref(), Some("app-9"));
        assert_eq!(e.client.ip, None);
    }

    #[test]
    fn bad_records_are_errors() {
        for bad in [
            "",
            "null",
            "[1]",
            r#"{"activityDisplayName":"Add user"}"#,
            r#"{"activityDateTime":"2024-03-14T08:05:00Z"}"#,
        ] {
            assert!(to_event(bad, &ctx()).is_err(), "{bad}");
        }
    }

    #[test]
    fn truncated_and_retyped_records_never_panic() {
        let sample: String = graph("Consent to application", USER_TARGET, "User registered x");
        for (cut, _) in sample.char_indices() {
            let _ = to_event(&sample[..cut], &ctx());
        }
        let variants = crate::fields::mutations(&sample);
        assert!(variants.len() > 50, "{}", variants.len());
        for variant in variants {
            let _ = to_event(&variant, &ctx());
        }
    }

    #[test]
    fn unquote_forms() {
        assert_eq!(unquote("\"True\""), vec!["True"]);
        assert_eq!(unquote("[\"a\",\"b\"]"), vec!["a", "b"]);
        assert_eq!(unquote("[false]"), vec!["false"]);
        assert_eq!(unquote("not json"), vec!["not json"]);
        assert!(unquote("null").is_empty());
        assert!(unquote("  ").is_empty());
    }

    #[test]
    fn otrf_sentinel_audit_logs() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/otrf/AADAuditEvents.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let events: Vec<Event> = text.lines().map(|l| to_event(l, &ctx()).unwrap()).collect();
        assert_eq!(events.len(), 4);
        assert_eq!(
            events[0].action,
            Action::AppCredentialAdded {
                app: Some("SimuLandApp".into())
            }
        );
        assert_eq!(events[0].actor, None);
        assert_eq!(
            events[0].account.as_ref().map(Account::as_str),
            Some("pgustavo@simulandlabs.com")
        );
        assert_eq!(events[0].time, utc("2021-08-02T13:29:25.983Z"));
        assert!(
            events[0]
                .client
                .user_agent
                .as_deref()
                .is_some_and(|ua| ua.contains("WindowsPowerShell"))
        );
        assert_eq!(
            events[2].action,
            Action::Other {
                operation: "Update application".into()
            }
        );
        let Action::AppConsent(consent) = &events[3].action else {
            panic!("{:?}", events[3].action)
        };
        assert_eq!(consent.scopes, vec!["User.Read", "Mail.ReadWrite"]);
        assert_eq!(consent.admin_consent, Some(true));
        assert_eq!(consent.app_name, None);
    }

    #[test]
    fn panther_fixture_events() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/panther/entra_audit.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut seen = (0, 0);
        for (n, line) in text.lines().enumerate() {
            let e = to_event(line, &ctx()).unwrap_or_else(|err| panic!("line {}: {err}", n + 1));
            match e.action {
                Action::AppCredentialAdded { app } => {
                    assert_eq!(app.as_deref(), Some("Production API Service"));
                    seen.0 += 1;
                }
                Action::RoleChanged { added: true, .. } => seen.1 += 1,
                _ => {}
            }
        }
        assert_eq!(seen, (1, 2));
    }

    #[test]
    fn elastic_azure_monitor_fixture() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../../shared/fixtures/elastic_integrations/azure_auditlogs/test-auditlogs-raw.log",
        );
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!(
                "skipped: {} is absent (Elastic License data is read, never copied)",
                path.display()
            );
            return;
        };
        let events: Vec<Event> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| to_event(l, &ctx()).unwrap())
            .collect();
        assert_eq!(events.len(), 3);
        assert_eq!(
            events[0].actor.as_deref(),
            Some("Device Registration Service")
        );
        assert_eq!(
            events[0].action,
            Action::Other {
                operation: "Update device".into()
            }
        );
        // No user target: the initiating user is the account, so no separate actor.
        assert_eq!(
            events[1].account.as_ref().map(Account::as_str),
            Some("username")
        );
        assert_eq!(events[1].actor, None);
        assert_eq!(events[1].client.ip, "0.0.0.0".parse().ok());
        assert_eq!(events[2].time, utc("2019-10-18T15:30:51.0273716Z"));
    }
}
