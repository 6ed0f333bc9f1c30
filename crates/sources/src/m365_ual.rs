//! Microsoft 365 Unified Audit Log records: Management Activity API JSON, Sentinel
//! `OfficeActivity` rows, and the `AuditData` of Purview / `Search-UnifiedAuditLog` CSV
//! exports (or their columns when `AuditData` is unusable).
//!
//! Records are read into a borrowing struct (only the fields we map); the nested parts
//! (`Parameters`, `Folders`, `Item`...) stay raw until an operation needs them. Sentinel
//! writes those nested parts as JSON *strings*, so [`nested`] accepts both forms.

use std::borrow::Cow;
use std::fmt;

use mailcase_model::{
    Account, Action, DeleteKind, Event, ForwardingChange, InboxRule, MailAccess, MailDeleted,
    MailSent, Outcome, Permission, PermissionScope, RawRecord, RuleChange, SendKind, SignIn, SourceKind,
    parse_ip_port,
};
use serde::de::{DeserializeOwned, IgnoredAny, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::RecordCtx;
use crate::entra_audit;
use self::lenient::lenient_struct;
use crate::time::{DateOrder, parse_timestamp};

/// Message ids kept per `MailItemsAccessed` event; the raw record keeps them all.
const MAX_MESSAGE_IDS: usize = 1000;

/// A scalar as text, whatever JSON type the exporter chose (`"2"`, `2`, `true`).
#[derive(Debug, Default)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(if v { "True" } else { "False" })))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Text::default())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Text::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text::default())
            }
        }
        d.deserialize_any(V)
    }
}

lenient_struct! {
    /// The fields of a UAL record that we map. The names after the canonical one cover
    /// Sentinel's column names, the CSV columns, and pipelines that lower-case keys.
    struct Record<'a> {
        creation_time: Text<'a> = ["CreationTime", "creationtime"],
        time_generated: Text<'a> = ["TimeGenerated", "timegenerated"],
        creation_date: Text<'a> = ["CreationDate", "creationdate"],
        operation: Text<'a> = ["Operation", "operation", "Operations", "operations"],
        record_type: Text<'a> = ["RecordType", "recordtype"],
        user_id: Text<'a> = ["UserId", "userid", "UserIds", "userids"],
        mailbox_owner: Text<'a> = ["MailboxOwnerUPN", "mailboxownerupn"],
        object_id: Text<'a> = ["ObjectId", "objectid", "OfficeObjectId"],
        client_ip: Text<'a> = ["ClientIP", "clientip"],
        client_ip_address: Text<'a> = ["ClientIPAddress", "clientipaddress", "Client_IPAddress"],
        actor_ip: Text<'a> = ["ActorIpAddress", "actoripaddress"],
        client_info: Text<'a> = ["ClientInfoString", "clientinfostring"],
        user_agent: Text<'a> = ["UserAgent", "useragent"],
        app_id: Text<'a> = ["AppId", "appid"],
        client_app_id: Text<'a> = ["ClientAppId", "clientappid"],
        application_id: Text<'a> = ["ApplicationId", "applicationid"],
        session_id: Text<'a> = ["SessionId", "sessionid"],
        result_status: Text<'a> = ["ResultStatus", "resultstatus"],
        error_code: Text<'a> = ["ErrorCode", "errorcode"],
        logon_error: Text<'a> = ["LogonError", "logonerror"],
        operation_count: Text<'a> = ["OperationCount", "operationcount"],
        query_text: Text<'a> = ["QueryText", "querytext"],
        parameters: &'a RawValue = ["Parameters", "parameters"],
        operation_properties: &'a RawValue = ["OperationProperties", "operationproperties"],
        extended_properties: &'a RawValue = ["ExtendedProperties", "extendedproperties"],
        modified_properties: &'a RawValue = ["ModifiedProperties", "modifiedproperties"],
        target: &'a RawValue = ["Target", "target"],
        folders: &'a RawValue = ["Folders", "folders"],
        item: &'a RawValue = ["Item", "item"],
        affected_items: &'a RawValue = ["AffectedItems", "affecteditems"],
        folder: &'a RawValue = ["Folder", "folder"],
        dest_folder: &'a RawValue = ["DestFolder", "destfolder"],
        app_access_context: &'a RawValue = ["AppAccessContext", "appaccesscontext"],
        workload: Text<'a> = ["Workload", "workload", "OfficeWorkload", "officeworkload"],
        error_number: Text<'a> = ["ErrorNumber", "errornumber"],
    }
}

impl<'a> Record<'a> {
    fn text(field: &'a Option<Text<'a>>) -> Option<&'a str> {
        field.as_ref().map(|t| t.0.trim()).filter(|s| !s.is_empty())
    }
}

lenient_struct! {
    /// One of the `{Name, Value}` pairs of `Parameters`, `ExtendedProperties` and
    /// `OperationProperties` as written, borrowing from the record where it holds no
    /// escapes: most records have such lists and most of their pairs are never used.
    struct NameValueIn<'a> {
        name: Text<'a> = ["Name", "name"],
        value: Text<'a> = ["Value", "value"],
    }
}

/// A pair of a parameter list; pairs without a name are dropped.
struct NameValue<'a> {
    name: Cow<'a, str>,
    value: Text<'a>,
}

impl<'a> NameValue<'a> {
    fn from_in(pair: NameValueIn<'a>) -> Option<Self> {
        Some(NameValue { name: pair.name?.0, value: pair.value.unwrap_or_default() })
    }
}

/// A nested part, written as JSON or (Sentinel) as a string holding JSON.
fn nested<T: DeserializeOwned>(raw: Option<&RawValue>) -> Option<T> {
    let text = raw?.get();
    if text.starts_with('"') {
        let inner: String = serde_json::from_str(text).ok()?;
        serde_json::from_str(&inner).ok()
    } else {
        serde_json::from_str(text).ok()
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Parameter list with case-insensitive lookup.
struct Params<'a>(Vec<NameValue<'a>>);

impl<'a> Params<'a> {
    /// The list in `raw`; empty when absent or not a list of `{Name, Value}`.
    fn from(raw: Option<&'a RawValue>) -> Self {
        let Some(text) = raw.map(RawValue::get) else { return Params(Vec::new()) };
        if !text.starts_with('"') {
            let list: Vec<NameValueIn> = serde_json::from_str(text).unwrap_or_default();
            return Params(list.into_iter().filter_map(NameValue::from_in).collect());
        }
        // Sentinel writes the list as a string holding JSON: the pairs cannot borrow.
        let Ok(inner) = serde_json::from_str::<String>(text) else { return Params(Vec::new()) };
        let list: Vec<NameValueIn> = serde_json::from_str(&inner).unwrap_or_default();
        let owned = list.into_iter().filter_map(NameValue::from_in).map(|nv| NameValue {
            name: Cow::Owned(nv.name.into_owned()),
            value: Text(Cow::Owned(nv.value.0.into_owned())),
        });
        Params(owned.collect())
    }

    /// The pairs as owned strings, for actions that keep them all.
    fn to_owned_pairs(&self) -> Vec<(String, String)> {
        self.0.iter().map(|nv| (nv.name.to_string(), nv.value.0.to_string())).collect()
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|nv| nv.name.eq_ignore_ascii_case(name)).map(|nv| nv.value.0.trim())
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("$null"))
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1" || v.is_empty())
    }
}

/// Splits a `;`-separated list, dropping quotes, `smtp:` prefixes and empties.
fn list(value: &str) -> Vec<String> {
    value.split(';').map(clean_address).filter(|s| !s.is_empty()).collect()
}

/// `"Name" [SMTP:a@b.c]` -> `a@b.c`; `smtp:a@b.c` -> `a@b.c`.
fn clean_address(raw: &str) -> String {
    let s = raw.trim().trim_matches('"').trim();
    let s = match (s.find("[SMTP:").or_else(|| s.find("[smtp:")), s.rfind(']')) {
        (Some(start), Some(end)) if end > start + 6 => s.get(start + 6..end).unwrap_or(s),
        _ => s,
    };
    let s = s.strip_prefix("smtp:").or_else(|| s.strip_prefix("SMTP:")).unwrap_or(s);
    s.trim().to_string()
}

/// Turns one UAL record into an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let rec: Record = serde_json::from_str(json).map_err(|e| format!("invalid JSON: {e}"))?;
    let time = record_time(&rec, ctx.date_order)?;
    let operation = Record::text(&rec.operation).ok_or("no Operation in the record")?;
    let user_id = Record::text(&rec.user_id);
    let params = Params::from(rec.parameters);
    let mapped = map_action(&rec, operation, &params);
    let mut event =
        Event::new(ctx.at, time, SourceKind::M365Ual, mapped.action, RawRecord(json.to_string()));
    // An account named by the action wins, even when it turns out empty.
    let account = match mapped.account.as_deref() {
        Some(named) => Account::new(named),
        None => Record::text(&rec.mailbox_owner).or(user_id).and_then(Account::new),
    };
    event.actor = user_id
        .filter(|u| account.as_ref().is_none_or(|a| !a.as_str().eq_ignore_ascii_case(u)))
        .map(str::to_string);
    event.account = account;
    event.outcome = outcome(&rec, operation);
    fill_client(&rec, &mut event.client);
    Ok(event)
}

fn record_time(rec: &Record, order: DateOrder) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let fields = [(&rec.creation_time, "CreationTime"), (&rec.time_generated, "TimeGenerated"), (&rec.creation_date, "CreationDate")];
    for (field, name) in fields {
        if let Some(text) = Record::text(field) {
            if let Some(time) = parse_plain_iso(text) {
                return Ok(time);
            }
            return parse_timestamp(text, order).ok_or_else(|| format!("{name} is not a time: {:?}", clip(text)));
        }
    }
    Err("no time in the record (CreationTime, TimeGenerated or CreationDate)".to_string())
}

/// `2024-03-01T10:00:00`, with an optional fraction of up to 9 digits and an
/// optional `Z`: the form of nearly every UAL time, read here without chrono's
/// format machinery (which tries several formats in turn). `None` for anything else,
/// which [`parse_timestamp`] then reads; both give the same time where both apply.
fn parse_plain_iso(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    let bytes = text.as_bytes();
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let field = |range: std::ops::Range<usize>| bytes.get(range).and_then(number);
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators.iter().all(|(at, c)| bytes.get(*at) == Some(c)) {
        return None;
    }
    let rest = bytes.get(19..)?;
    let rest = rest.strip_suffix(b"Z").unwrap_or(rest);
    let nanos = match rest {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(field(0..4)?).ok()?, field(5..7)?, field(8..10)?)?;
    let second = field(17..19).filter(|s| *s < 60)?;
    let time = NaiveTime::from_hms_nano_opt(field(11..13)?, field(14..16)?, second, nanos)?;
    Some(chrono::Utc.from_utc_datetime(&date.and_time(time)))
}

/// At most 80 characters of attacker-controlled text, for messages.
fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

fn outcome(rec: &Record, operation: &str) -> Outcome {
    // As for Entra sign-ins: the code is the number (`ErrorNumber`, 50126), the
    // reason the text (`LogonError`, `InvalidUserNameOrPassword`).
    let failure = || Outcome::Failure {
        code: Record::text(&rec.error_number).or(Record::text(&rec.error_code)).map(str::to_string),
        reason: Record::text(&rec.logon_error).map(str::to_string),
    };
    if operation.eq_ignore_ascii_case("UserLoginFailed") {
        return failure();
    }
    let status = Record::text(&rec.result_status).unwrap_or_default();
    let is = |words: &[&str]| words.iter().any(|w| status.eq_ignore_ascii_case(w));
    if is(&["succeeded", "success", "true", "partiallysucceeded"]) {
        Outcome::Success
    } else if is(&["failed", "failure", "false"]) {
        failure()
    } else {
        Outcome::Unknown
    }
}

fn fill_client(rec: &Record, client: &mut mailcase_model::Client) {
    let ips = [&rec.client_ip, &rec.client_ip_address, &rec.actor_ip];
    if let Some((ip, port)) = ips.into_iter().filter_map(Record::text).find_map(parse_ip_port) {
        client.ip = Some(ip);
        client.port = port;
    }
    // `ExtendedProperties` is read only when `ClientInfoString` does not name the client.
    client.user_agent = match Record::text(&rec.client_info) {
        Some(info) => Some(info.to_string()),
        None => {
            let ext = Params::from(rec.extended_properties);
            ext.non_empty("UserAgent").or(Record::text(&rec.user_agent)).map(str::to_string)
        }
    };
    // ClientAppId names the client software; AppId is often the resource (Graph).
    client.app_id = [&rec.client_app_id, &rec.app_id, &rec.application_id]
        .into_iter()
        .find_map(Record::text)
        .map(str::to_string);
    client.protocol = Record::text(&rec.client_info).and_then(client_protocol);
    #[derive(Deserialize)]
    struct AccessContext {
        #[serde(rename = "AADSessionId", default)]
        aad_session_id: Option<String>,
    }
    client.session_id = Record::text(&rec.session_id).map(str::to_string).or_else(|| {
        nested::<AccessContext>(rec.app_access_context).and_then(|c| c.aad_session_id).filter(|s| !s.is_empty())
    });
}

/// `Client=OWA;Action=ViaProxy` -> `OWA`.
fn client_protocol(info: &str) -> Option<String> {
    let rest = info.strip_prefix("Client=")?;
    let name = rest.split(';').next()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// `text` in ASCII lower case, in `buffer` when it fits: operation names are short and
/// every record needs one.
fn ascii_lowercase<'b>(text: &str, buffer: &'b mut [u8; 64]) -> Cow<'b, str> {
    if let Some(out) = buffer.get_mut(..text.len()) {
        out.copy_from_slice(text.as_bytes());
        out.make_ascii_lowercase();
        // Changing only ASCII bytes keeps the text valid UTF-8.
        if let Ok(lower) = std::str::from_utf8(out) {
            return Cow::Borrowed(lower);
        }
    }
    Cow::Owned(text.to_ascii_lowercase())
}

/// The action, and the account it concerns when that is not the record's owner.
struct Mapped {
    action: Action,
    account: Option<String>,
}

impl From<Action> for Mapped {
    fn from(action: Action) -> Self {
        Mapped { action, account: None }
    }
}

fn map_action(rec: &Record, operation: &str, params: &Params) -> Mapped {
    let op = operation.trim();
    let mut buffer = [0u8; 64];
    let lower = ascii_lowercase(op, &mut buffer);
    if let Some(m) = map_exchange_admin(rec, op, &lower, params) {
        return m;
    }
    if let Some(m) = map_mailbox_activity(rec, &lower) {
        return m.into();
    }
    if let Some(m) = map_directory(rec, op, &lower) {
        return m;
    }
    Action::Other { operation: op.to_string() }.into()
}

/// Exchange cmdlets (`Parameters` list).
fn map_exchange_admin(rec: &Record, op: &str, lower: &str, params: &Params) -> Option<Mapped> {
    let identity = params.non_empty("Identity");
    // Built only for the cmdlets that use it: this runs for every record.
    let target = || identity.or(Record::text(&rec.object_id)).map(str::to_string);
    let settings = || Action::MailboxSettings { operation: op.to_string(), parameters: params.to_owned_pairs() };
    let audit = || Action::AuditConfigChanged { operation: op.to_string(), parameters: params.to_owned_pairs() };
    let action = match lower {
        "new-inboxrule" | "set-inboxrule" | "enable-inboxrule" | "disable-inboxrule" | "remove-inboxrule" => {
            return Some(inbox_rule_cmdlet(rec, lower, params));
        }
        "updateinboxrules" => return Some(update_inbox_rules(rec).into()),
        "set-mailbox" => {
            if params.has("ForwardingSmtpAddress") || params.has("ForwardingAddress") {
                let target_addr = params
                    .non_empty("ForwardingSmtpAddress")
                    .or(params.non_empty("ForwardingAddress"))
                    .map(clean_address);
                let keep_copy = params.get("DeliverToMailboxAndForward").map(|v| v.eq_ignore_ascii_case("true"));
                Action::Forwarding(ForwardingChange { mailbox: target(), target: target_addr, keep_copy })
            } else if params.has("GrantSendOnBehalfTo") {
                let grantee = params.non_empty("GrantSendOnBehalfTo").map(clean_address);
                Action::Permission(Permission {
                    granted: grantee.is_some(),
                    mailbox: target(),
                    grantee,
                    scope: PermissionScope::SendOnBehalf,
                    rights: Vec::new(),
                })
            } else if params.0.iter().any(|nv| nv.name.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("audit"))) {
                audit()
            } else {
                settings()
            }
        }
        "set-casmailbox" => settings(),
        "set-adminauditlogconfig" | "set-mailboxauditbypassassociation" => audit(),
        "set-organizationconfig" if params.has("AuditDisabled") => audit(),
        "new-transportrule" | "set-transportrule" | "remove-transportrule" | "enable-transportrule"
        | "disable-transportrule" => transport_rule(lower, params),
        "add-mailboxpermission" | "remove-mailboxpermission" => {
            permission(lower, target(), params.non_empty("User"), PermissionScope::Mailbox, params)
        }
        "add-recipientpermission" | "remove-recipientpermission" => {
            permission(lower, target(), params.non_empty("Trustee"), PermissionScope::SendAs, params)
        }
        "add-mailboxfolderpermission" | "set-mailboxfolderpermission" | "remove-mailboxfolderpermission" => {
            let (mailbox, folder) = match identity.and_then(|i| i.split_once(':')) {
                Some((m, f)) => (Some(m.to_string()), Some(f.to_string())),
                None => (identity.map(str::to_string), None),
            };
            let action = permission(lower, mailbox.clone(), params.non_empty("User"), PermissionScope::Folder(folder), params);
            return Some(Mapped { action, account: mailbox });
        }
        "new-mailboxexportrequest" => Action::Export { what: params.non_empty("Mailbox").or(params.non_empty("FilePath")).map(str::to_string) },
        "new-compliancesearchaction" if !params.has("Purge") => {
            Action::Export { what: params.non_empty("SearchName").map(str::to_string) }
        }
        _ => return None,
    };
    let account = if lower.contains("mailbox") || lower.contains("permission") { target() } else { None };
    Some(Mapped { action, account })
}

fn permission(lower: &str, mailbox: Option<String>, grantee: Option<&str>, scope: PermissionScope, params: &Params) -> Action {
    let rights = params.get("AccessRights").map(|r| r.split([',', ';']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
    Action::Permission(Permission {
        granted: !lower.starts_with("remove-"),
        mailbox,
        grantee: grantee.map(clean_address),
        scope,
        rights: rights.unwrap_or_default(),
    })
}

fn transport_rule(lower: &str, params: &Params) -> Action {
    let change = if lower.starts_with("new-") {
        RuleChange::Created
    } else if lower.starts_with("remove-") {
        RuleChange::Removed
    } else if lower.starts_with("enable-") {
        RuleChange::Enabled
    } else if lower.starts_with("disable-") {
        RuleChange::Disabled
    } else {
        RuleChange::Modified
    };
    let recipients = ["BlindCopyTo", "RedirectMessageTo", "CopyTo", "AddToRecipients"]
        .iter()
        .filter_map(|p| params.non_empty(p))
        .flat_map(list)
        .collect();
    let name = params.non_empty("Name").or(params.non_empty("Identity")).map(str::to_string);
    Action::TransportRule { change, name, recipients }
}

/// Parameters of `*-InboxRule` that are conditions.
fn is_condition(name: &str) -> bool {
    const NAMED: &[&str] = &[
        "from", "sentto", "hasattachment", "messagetypematches", "withimportance", "withsensitivity",
        "flaggedforaction", "fromsubscription", "hasclassification", "mynameintobox", "mynameinccbox",
        "mynameintoorccbox", "mynamenotintobox", "sentonlytome", "receivedafterdate", "receivedbeforedate",
        "withinsizerangeminimum", "withinsizerangemaximum",
    ];
    const WORDS: &str = "containswords";
    let bytes = name.as_bytes();
    let ends_with_words =
        bytes.get(bytes.len().saturating_sub(WORDS.len())..).is_some_and(|b| b.eq_ignore_ascii_case(WORDS.as_bytes()));
    let starts_with_except = bytes.get(..6).is_some_and(|b| b.eq_ignore_ascii_case(b"except"));
    ends_with_words || starts_with_except || NAMED.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn inbox_rule_cmdlet(rec: &Record, lower: &str, params: &Params) -> Mapped {
    let change = match lower {
        "new-inboxrule" => RuleChange::Created,
        "enable-inboxrule" => RuleChange::Enabled,
        "disable-inboxrule" => RuleChange::Disabled,
        "remove-inboxrule" => RuleChange::Removed,
        _ => RuleChange::Modified,
    };
    let mut rule = InboxRule::new(change);
    let identity = params.non_empty("Identity");
    // `Identity` is the rule, sometimes written `mailbox\rule`.
    let (id_mailbox, id_rule) = match identity.and_then(|i| i.rsplit_once('\\')) {
        Some((m, r)) => (Some(m), Some(r)),
        None => (None, identity),
    };
    rule.name = params.non_empty("Name").or(id_rule).map(str::to_string);
    rule.mailbox = params
        .non_empty("Mailbox")
        .or(id_mailbox)
        .or(Record::text(&rec.mailbox_owner))
        .or(Record::text(&rec.user_id))
        .map(str::to_string);
    rule.enabled = match change {
        RuleChange::Enabled => Some(true),
        RuleChange::Disabled => Some(false),
        _ => params.get("Enabled").map(|v| !v.eq_ignore_ascii_case("false")),
    };
    rule.conditions = params
        .0
        .iter()
        .filter(|nv| is_condition(&nv.name) && !nv.value.0.trim().is_empty())
        .map(|nv| (nv.name.to_string(), list(&nv.value.0)))
        .collect();
    rule.forward_to = params.get("ForwardTo").map(list).unwrap_or_default();
    rule.forward_as_attachment_to = params.get("ForwardAsAttachmentTo").map(list).unwrap_or_default();
    rule.redirect_to = params.get("RedirectTo").map(list).unwrap_or_default();
    rule.move_to_folder = params.non_empty("MoveToFolder").map(str::to_string);
    rule.copy_to_folder = params.non_empty("CopyToFolder").map(str::to_string);
    rule.delete = params.flag("DeleteMessage") || params.flag("SoftDeleteMessage");
    rule.mark_as_read = params.flag("MarkAsRead");
    rule.stop_processing = params.flag("StopProcessingRules");
    let account = rule.mailbox.clone();
    Mapped { action: Action::InboxRule(rule), account }
}

/// Outlook's `UpdateInboxRules`: the rule is described in `OperationProperties`.
fn update_inbox_rules(rec: &Record) -> Action {
    let props = Params::from(rec.operation_properties);
    let change = match props.get("RuleOperation").map(str::to_ascii_lowercase).as_deref() {
        Some("addmailboxrule") => RuleChange::Created,
        Some("removemailboxrule") => RuleChange::Removed,
        _ => RuleChange::Modified,
    };
    let mut rule = InboxRule::new(change);
    rule.name = props.non_empty("RuleName").map(str::to_string);
    rule.mailbox = Record::text(&rec.mailbox_owner).map(str::to_string);
    if let Some(condition) = props.non_empty("RuleCondition") {
        rule.conditions.push(("RuleCondition".to_string(), vec![condition.to_string()]));
    }
    let actions = props.get("RuleActions").unwrap_or("");
    let parsed: Option<serde_json::Value> = serde_json::from_str(actions).ok();
    match parsed {
        Some(serde_json::Value::Array(items)) => items.iter().for_each(|a| apply_rule_action(&mut rule, a)),
        Some(item @ serde_json::Value::Object(_)) => apply_rule_action(&mut rule, &item),
        _ => apply_rule_action_text(&mut rule, actions),
    }
    Action::InboxRule(rule)
}

/// One action of `RuleActions` (`{"ActionType":"MoveToFolderAction","Folder":...}`).
fn apply_rule_action(rule: &mut InboxRule, action: &serde_json::Value) {
    let kind = action.get("ActionType").or_else(|| action.get("Type")).map(value_text).unwrap_or_default();
    let mut addresses = Vec::new();
    collect_addresses(action, &mut addresses);
    let folder = ["FolderName", "Folder", "FolderPath", "Path"]
        .iter()
        .find_map(|k| action.get(*k).map(value_text).filter(|s| !s.is_empty()));
    apply_kind(rule, &kind, addresses, folder);
}

fn apply_rule_action_text(rule: &mut InboxRule, text: &str) {
    for part in text.split([',', ';']) {
        apply_kind(rule, part.trim(), Vec::new(), None);
    }
}

fn apply_kind(rule: &mut InboxRule, kind: &str, addresses: Vec<String>, folder: Option<String>) {
    let k = kind.to_ascii_lowercase();
    if k.contains("forwardasattachment") {
        rule.forward_as_attachment_to.extend(addresses);
    } else if k.contains("redirect") {
        rule.redirect_to.extend(addresses);
    } else if k.contains("forward") {
        rule.forward_to.extend(addresses);
    } else if k.contains("delete") {
        rule.delete = true;
    } else if k.contains("markasread") || k.contains("markread") {
        rule.mark_as_read = true;
    } else if k.contains("stopprocessing") {
        rule.stop_processing = true;
    } else if k.contains("copy") {
        rule.copy_to_folder = folder.or(rule.copy_to_folder.take());
    } else if k.contains("move") {
        rule.move_to_folder = folder.or(rule.move_to_folder.take());
    }
}

/// Every string that looks like a mail address, anywhere in `v` (bounded depth).
fn collect_addresses(v: &serde_json::Value, out: &mut Vec<String>) {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>, depth: u8) {
        if depth > 8 || out.len() > 100 {
            return;
        }
        match v {
            serde_json::Value::String(s) if s.contains('@') && !s.contains(' ') => out.push(clean_address(s)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out, depth + 1)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out, depth + 1)),
            _ => {}
        }
    }
    walk(v, out, 0);
}

/// Mailbox audit records (what a user or delegate did with messages).
fn map_mailbox_activity(rec: &Record, lower: &str) -> Option<Action> {
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Item {
        #[serde(rename = "Subject")]
        subject: Option<String>,
        #[serde(rename = "InternetMessageId")]
        internet_message_id: Option<String>,
        #[serde(rename = "ParentFolder")]
        parent_folder: Option<FolderRef>,
    }
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct FolderRef {
        #[serde(rename = "Path")]
        path: Option<String>,
        #[serde(rename = "MemberRights")]
        member_rights: Option<String>,
        #[serde(rename = "MemberUpn")]
        member_upn: Option<String>,
    }
    let action = match lower {
        "send" | "sendas" | "sendonbehalf" => {
            let item: Item = nested(rec.item).unwrap_or_default();
            let kind = match lower {
                "sendas" => SendKind::SendAs,
                "sendonbehalf" => SendKind::SendOnBehalf,
                _ => SendKind::Send,
            };
            Action::MailSent(MailSent { kind, subject: item.subject, message_id: item.internet_message_id })
        }
        "mailitemsaccessed" => Action::MailAccessed(mail_access(rec)),
        "softdelete" | "harddelete" | "movetodeleteditems" => {
            let items: Vec<Item> = nested(rec.affected_items).unwrap_or_default();
            let folder: Option<FolderRef> = nested(rec.folder);
            let kind = match lower {
                "softdelete" => DeleteKind::SoftDelete,
                "harddelete" => DeleteKind::HardDelete,
                _ => DeleteKind::MoveToDeletedItems,
            };
            Action::MailDeleted(MailDeleted {
                kind,
                count: (items.len() as u64).max(1),
                folder: folder.and_then(|f| f.path),
                subjects: items.into_iter().filter_map(|i| i.subject).collect(),
            })
        }
        "move" => {
            let items: Vec<IgnoredAny> = nested(rec.affected_items).unwrap_or_default();
            let dest: Option<FolderRef> = nested(rec.dest_folder);
            Action::MailMoved { to_folder: dest.and_then(|f| f.path), count: (items.len() as u64).max(1) }
        }
        "searchqueryinitiatedexchange" | "searchqueryinitiatedsharepoint" => {
            Action::Search { query: Record::text(&rec.query_text).map(str::to_string) }
        }
        "addfolderpermissions" | "modifyfolderpermissions" | "removefolderpermissions" => {
            let item: Item = nested(rec.item).unwrap_or_default();
            let folder = item.parent_folder.unwrap_or_default();
            Action::Permission(Permission {
                granted: lower != "removefolderpermissions",
                mailbox: Record::text(&rec.mailbox_owner).map(str::to_string),
                grantee: folder.member_upn,
                scope: PermissionScope::Folder(folder.path),
                rights: folder
                    .member_rights
                    .map(|r| r.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
                    .unwrap_or_default(),
            })
        }
        _ => return None,
    };
    Some(action)
}

fn mail_access(rec: &Record) -> MailAccess {
    #[derive(Deserialize)]
    struct Folder {
        #[serde(rename = "Path", default)]
        path: Option<String>,
        #[serde(rename = "FolderItems", default)]
        items: Vec<FolderItem>,
    }
    #[derive(Deserialize)]
    struct FolderItem {
        #[serde(rename = "InternetMessageId", default)]
        internet_message_id: Option<String>,
    }
    let mut folders: Vec<Folder> = nested(rec.folders).unwrap_or_default();
    let props = Params::from(rec.operation_properties);
    let items: usize = folders.iter().map(|f| f.items.len()).sum();
    let count = Record::text(&rec.operation_count).and_then(|c| c.parse().ok()).unwrap_or(items.max(1) as u64);
    MailAccess {
        count,
        access_type: props.non_empty("MailAccessType").map(str::to_string),
        folders: folders.iter_mut().filter_map(|f| f.path.take()).collect(),
        message_ids: folders
            .into_iter()
            .flat_map(|f| f.items)
            .filter_map(|i| i.internet_message_id)
            .take(MAX_MESSAGE_IDS)
            .collect(),
    }
}

/// Entra (Azure AD) records in the UAL: sign-ins here; directory changes through the
/// Entra audit log's own mapping (see [`directory`]), so that both sources agree.
fn map_directory(rec: &Record, op: &str, lower: &str) -> Option<Mapped> {
    // Sign-ins, the most frequent, need neither of the nested lists read below.
    if matches!(lower.trim_end(), "userloggedin" | "userloginfailed") {
        let ext = Params::from(rec.extended_properties);
        let sign_in = SignIn {
            auth_protocol: ext.non_empty("RequestType").map(str::to_string),
            resource: Record::text(&rec.object_id).map(str::to_string),
            ..SignIn::default()
        };
        return Some(Action::SignIn(sign_in).into());
    }
    if !is_directory(rec) {
        return None;
    }
    let targets = directory::targets(rec.target, rec.modified_properties);
    let action = entra_audit::operation_action(op, &targets, None);
    // Consent and app credentials concern the acting user's mailbox (the default
    // account); the other changes concern the target user.
    let account = match action {
        Action::Other { .. } => return None,
        Action::AppConsent(_) | Action::AppCredentialAdded { .. } => None,
        _ => Record::text(&rec.object_id)
            .filter(|o| o.contains('@'))
            .map(str::to_string)
            .or_else(|| targets.iter().find_map(|t| t.upn.clone())),
    };
    Some(Mapped { action, account })
}

/// Whether a record comes from Entra: its workload says so, or, without a workload,
/// its record type (8, 9, 15 or their names) does; a record that says neither is
/// tried too, by its operation name.
fn is_directory(rec: &Record) -> bool {
    if let Some(workload) = Record::text(&rec.workload) {
        return workload.eq_ignore_ascii_case("AzureActiveDirectory");
    }
    match Record::text(&rec.record_type) {
        Some(kind) => ["8", "9", "15", "AzureActiveDirectory", "AzureActiveDirectoryAccountLogon", "AzureActiveDirectoryStsLogon"]
            .iter()
            .any(|k| kind.eq_ignore_ascii_case(k)),
        None => true,
    }
}

mod directory;
mod lenient;

#[cfg(test)]
mod tests;
