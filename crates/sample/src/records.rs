//! Builders for single log records, in the field names of each Microsoft export:
//! UAL (`AuditData` JSON), Entra sign-ins and directory audits (Graph), message trace.

use crate::clock::{graph_time, ual_time};
use crate::ids;
use crate::network::{ClientKind, Place};
use crate::org::Person;
use chrono::{DateTime, Utc};
use fastrand::Rng;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Who did something, from where, with what: the common part of most records.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Access<'a> {
    /// The account used.
    pub who: &'a Person,
    /// When.
    pub time: DateTime<Utc>,
    /// Public IP address (v4 or v6, no port).
    pub ip: &'a str,
    /// Client software.
    pub client: ClientKind,
    /// Entra session id / Exchange session id.
    pub session: &'a str,
}

/// UAL `ClientIP` as Exchange writes it: sometimes with a source port, IPv6 in brackets.
fn with_port(rng: &mut Rng, ip: &str) -> String {
    if rng.u8(..3) != 0 {
        return ip.to_owned();
    }
    let port = rng.u16(1024..65535);
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// Fields every UAL record has.
fn ual_base(
    rng: &mut Rng,
    tenant: &str,
    a: &Access,
    op: &str,
    record_type: u32,
    workload: &str,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("CreationTime".into(), ual_time(a.time).into());
    m.insert("Id".into(), ids::guid(rng).into());
    m.insert("Operation".into(), op.into());
    m.insert("OrganizationId".into(), tenant.into());
    m.insert("RecordType".into(), record_type.into());
    m.insert("ResultStatus".into(), "Succeeded".into());
    m.insert("UserKey".into(), a.who.puid.clone().into());
    m.insert("UserType".into(), 0.into());
    m.insert("Version".into(), 1.into());
    m.insert("Workload".into(), workload.into());
    m.insert("ClientIP".into(), with_port(rng, a.ip).into());
    m.insert("UserId".into(), a.who.upn.clone().into());
    m
}

/// Mailbox-audit fields (ExchangeItem, ExchangeItemGroup, ExchangeItemAggregated).
fn mailbox_fields(m: &mut Map<String, Value>, tenant_name: &str, a: &Access) {
    let look = a.client.look();
    m.insert("AppId".into(), look.app_id.into());
    m.insert("ClientAppId".into(), look.app_id.into());
    m.insert("ClientIPAddress".into(), a.ip.into());
    m.insert("ClientInfoString".into(), look.info.into());
    m.insert("ExternalAccess".into(), false.into());
    m.insert("InternalLogonType".into(), 0.into());
    m.insert("LogonType".into(), 0.into());
    m.insert("LogonUserSid".into(), a.who.sid.clone().into());
    m.insert("MailboxGuid".into(), a.who.mailbox_guid.clone().into());
    m.insert("MailboxOwnerSid".into(), a.who.sid.clone().into());
    m.insert("MailboxOwnerUPN".into(), a.who.upn.clone().into());
    m.insert("OrganizationName".into(), tenant_name.into());
    m.insert(
        "OriginatingServer".into(),
        "PR3P192MB0821 (15.20.8158.017)\r\n".into(),
    );
    m.insert("SessionId".into(), a.session.into());
}

/// Tenant-wide values the builders need.
#[derive(Debug)]
pub(crate) struct Tenant<'a> {
    /// Tenant id (`OrganizationId`).
    pub id: &'a str,
    /// `OrganizationName`: the initial `onmicrosoft.com` domain.
    pub name: &'a str,
}

/// UAL `UserLoggedIn` / `UserLoginFailed` (AzureActiveDirectoryStsLogon, type 15).
/// `failure` is the Entra error number and its `LogonError` name.
pub(crate) fn sts_logon(
    rng: &mut Rng,
    t: &Tenant,
    a: &Access,
    failure: Option<(u32, &str)>,
) -> Value {
    let op = if failure.is_some() {
        "UserLoginFailed"
    } else {
        "UserLoggedIn"
    };
    let mut m = ual_base(rng, t.id, a, op, 15, "AzureActiveDirectory");
    let look = a.client.look();
    m.insert("UserId".into(), a.who.typed_upn.clone().into());
    m.insert(
        "UserKey".into(),
        format!("{}@{}", a.who.puid, t.name).into(),
    );
    m.insert("ClientIP".into(), a.ip.into());
    m.insert("ActorIpAddress".into(), a.ip.into());
    m.insert("ApplicationId".into(), look.app_id.into());
    m.insert(
        "ObjectId".into(),
        "00000002-0000-0ff1-ce00-000000000000".into(),
    );
    m.insert("AzureActiveDirectoryEventType".into(), 1.into());
    m.insert(
        "Actor".into(),
        json!([{"ID": a.who.object_id, "Type": 0}, {"ID": a.who.upn, "Type": 5}]),
    );
    m.insert("ActorContextId".into(), t.id.into());
    m.insert("InterSystemsId".into(), ids::guid(rng).into());
    m.insert("IntraSystemId".into(), ids::guid(rng).into());
    m.insert(
        "Target".into(),
        json!([{"ID": "00000002-0000-0ff1-ce00-000000000000", "Type": 0}]),
    );
    m.insert("TargetContextId".into(), t.id.into());
    m.insert(
        "DeviceProperties".into(),
        json!([
        {"Name": "OS", "Value": look.os}, {"Name": "BrowserType", "Value": look.browser},
        {"Name": "SessionId", "Value": a.session}]),
    );
    let detail = if failure.is_some() {
        "Failure"
    } else {
        "Success"
    };
    m.insert("ExtendedProperties".into(), json!([
        {"Name": "ResultStatusDetail", "Value": detail},
        {"Name": "UserAgent", "Value": look.user_agent},
        {"Name": "RequestType", "Value": if a.client.is_legacy() { "OrgIdWsTrust2:process" } else { "OAuth2:Authorize" }}]));
    match failure {
        Some((code, name)) => {
            m.insert("ResultStatus".into(), "Failed".into());
            m.insert("ErrorNumber".into(), code.to_string().into());
            m.insert("LogonError".into(), name.into());
        }
        None => {
            m.insert("ResultStatus".into(), "Success".into());
            m.insert("ErrorNumber".into(), "0".into());
        }
    }
    Value::Object(m)
}

/// One folder touched by a `MailItemsAccessed` record, with its messages.
#[derive(Debug)]
pub(crate) struct FolderAccess {
    /// Folder path, `\Inbox` style.
    pub path: &'static str,
    /// (Internet message id, size in bytes) of each item.
    pub items: Vec<(String, u32)>,
}

/// UAL `MailItemsAccessed` (ExchangeItemAggregated, type 50). `sync` selects the
/// `Sync` access type (a whole folder downloaded) rather than `Bind` (items opened).
pub(crate) fn mail_items_accessed(
    rng: &mut Rng,
    t: &Tenant,
    a: &Access,
    sync: bool,
    folders: &[FolderAccess],
) -> Value {
    let mut m = ual_base(rng, t.id, a, "MailItemsAccessed", 50, "Exchange");
    mailbox_fields(&mut m, t.name, a);
    let count: usize = folders.iter().map(|f| f.items.len().max(1)).sum();
    m.insert("OperationCount".into(), count.into());
    m.insert(
        "OperationProperties".into(),
        json!([
        {"Name": "MailAccessType", "Value": if sync { "Sync" } else { "Bind" }},
        {"Name": "IsThrottled", "Value": "False"}]),
    );
    let folders: Vec<Value> = folders
        .iter()
        .map(|f| {
            let items: Vec<Value> = f.items.iter()
                .map(|(id, size)| json!({"InternetMessageId": id, "SizeInBytes": size}))
                .collect();
            json!({"Id": format!("LgAAAAA{}", ids::hex(rng, 20)), "Path": f.path, "FolderItems": items})
        })
        .collect();
    m.insert("Folders".into(), folders.into());
    Value::Object(m)
}

/// UAL `Send` (ExchangeItem, type 2).
pub(crate) fn send(
    rng: &mut Rng,
    t: &Tenant,
    a: &Access,
    subject: &str,
    message_id: &str,
    size: u32,
) -> Value {
    let mut m = ual_base(rng, t.id, a, "Send", 2, "Exchange");
    mailbox_fields(&mut m, t.name, a);
    m.insert(
        "Item".into(),
        json!({
        "Id": format!("RgAAAAD{}", ids::hex(rng, 40)),
        "InternetMessageId": message_id,
        "IsRecord": false,
        "ParentFolder": {"Id": format!("LgAAAAD{}", ids::hex(rng, 20)), "Path": "\\Sent Items"},
        "SizeInBytes": size,
        "Subject": subject}),
    );
    Value::Object(m)
}

/// UAL `MoveToDeletedItems` (ExchangeItemGroup, type 3) of (message id, subject) items.
pub(crate) fn move_to_deleted(
    rng: &mut Rng,
    t: &Tenant,
    a: &Access,
    items: &[(String, String)],
) -> Value {
    let mut m = ual_base(rng, t.id, a, "MoveToDeletedItems", 3, "Exchange");
    mailbox_fields(&mut m, t.name, a);
    let affected: Vec<Value> = items
        .iter()
        .map(|(id, subject)| {
            json!({"Id": format!("RgAAAAD{}", ids::hex(rng, 40)), "InternetMessageId": id,
            "ParentFolder": {"Path": "\\Inbox"}, "Subject": subject})
        })
        .collect();
    m.insert("AffectedItems".into(), affected.into());
    m.insert("CrossMailboxOperation".into(), false.into());
    m.insert("DestFolder".into(), json!({"Path": "\\Deleted Items"}));
    m.insert("Folder".into(), json!({"Path": "\\Inbox"}));
    Value::Object(m)
}

/// UAL `SearchQueryInitiatedExchange` (ExchangeSearch, type 132 (verify)).
pub(crate) fn search_query(rng: &mut Rng, t: &Tenant, a: &Access, query: &str) -> Value {
    let mut m = ual_base(
        rng,
        t.id,
        a,
        "SearchQueryInitiatedExchange",
        132,
        "Exchange",
    );
    mailbox_fields(&mut m, t.name, a);
    m.insert("QueryText".into(), query.into());
    m.insert("QuerySource".into(), "Owa".into());
    m.insert("ResultCount".into(), rng.u32(3..40).into());
    Value::Object(m)
}

/// UAL Exchange admin cmdlet (ExchangeAdmin, type 1), e.g. `New-InboxRule`.
/// `object` is the `ObjectId` (mailbox or `mailbox\rule`).
pub(crate) fn exchange_admin(
    rng: &mut Rng,
    t: &Tenant,
    a: &Access,
    cmdlet: &str,
    object: &str,
    params: &[(&str, String)],
) -> Value {
    let mut m = ual_base(rng, t.id, a, cmdlet, 1, "Exchange");
    m.insert("ResultStatus".into(), "True".into());
    m.insert("UserType".into(), 2.into());
    m.insert("ExternalAccess".into(), false.into());
    m.insert("ObjectId".into(), object.into());
    m.insert("OrganizationName".into(), t.name.into());
    m.insert(
        "OriginatingServer".into(),
        "PR3P192MB0821 (15.20.8158.017)".into(),
    );
    m.insert("AppId".into(), a.client.look().app_id.into());
    m.insert("SessionId".into(), a.session.into());
    let params: Vec<Value> = params
        .iter()
        .map(|(n, v)| json!({"Name": n, "Value": v}))
        .collect();
    m.insert("Parameters".into(), params.into());
    Value::Object(m)
}

/// UAL Entra directory operation (AzureActiveDirectory, type 8); names end with a period.
pub(crate) fn aad_operation(
    rng: &mut Rng,
    t: &Tenant,
    a: &Access,
    op: &str,
    target: &Person,
    extra: &[(&str, String)],
) -> Value {
    let mut m = ual_base(rng, t.id, a, op, 8, "AzureActiveDirectory");
    m.insert("ResultStatus".into(), "Success".into());
    m.insert("ObjectId".into(), target.upn.clone().into());
    m.insert("AzureActiveDirectoryEventType".into(), 1.into());
    m.insert(
        "Actor".into(),
        json!([{"ID": a.who.upn, "Type": 5}, {"ID": a.who.object_id, "Type": 2}]),
    );
    m.insert(
        "Target".into(),
        json!([{"ID": target.upn, "Type": 5}, {"ID": target.object_id, "Type": 2}]),
    );
    let props: Vec<Value> = extra
        .iter()
        .map(|(n, v)| json!({"Name": n, "NewValue": v, "OldValue": ""}))
        .collect();
    m.insert("ModifiedProperties".into(), props.into());
    Value::Object(m)
}

/// How a sign-in ended and what it required.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SignInResult<'a> {
    /// Interactive (the user typed something) or a token refresh.
    pub interactive: bool,
    /// Entra error code and failure reason; `None` is success.
    pub error: Option<(u32, &'a str)>,
    /// MFA was required and satisfied.
    pub mfa: bool,
    /// `riskLevelDuringSignIn`.
    pub risk: &'a str,
}

/// Graph `signIn` record.
pub(crate) fn signin(rng: &mut Rng, a: &Access, r: &SignInResult, place: &Place) -> Value {
    let look = a.client.look();
    let (code, reason) = r.error.unwrap_or((0, ""));
    let protocol = if a.client.is_legacy() { "ropc" } else { "none" };
    json!({
        "id": ids::guid(rng),
        "createdDateTime": graph_time(a.time),
        "userDisplayName": a.who.display,
        "userPrincipalName": a.who.typed_upn,
        "userId": a.who.object_id,
        "appId": look.app_id,
        "appDisplayName": look.app_name,
        "ipAddress": a.ip,
        "clientAppUsed": look.client_app,
        "userAgent": look.user_agent,
        "correlationId": ids::guid(rng),
        "conditionalAccessStatus": if r.error.is_some() { "notApplied" } else { "success" },
        "isInteractive": r.interactive,
        "signInEventTypes": [if r.interactive { "interactiveUser" } else { "nonInteractiveUser" }],
        "riskDetail": "none",
        "riskLevelAggregated": "none",
        "riskLevelDuringSignIn": r.risk,
        "riskState": "none",
        "riskEventTypes_v2": [],
        "resourceDisplayName": "Office 365 Exchange Online",
        "resourceId": "00000002-0000-0ff1-ce00-000000000000",
        "authenticationRequirement": if r.mfa { "multiFactorAuthentication" } else { "singleFactorAuthentication" },
        "authenticationProtocol": protocol,
        "sessionId": a.session,
        "uniqueTokenIdentifier": ids::hex(rng, 22),
        "tokenIssuerType": "AzureAD",
        "status": {"errorCode": code, "failureReason": if code == 0 { "Other." } else { reason },
                   "additionalDetails": if code == 0 { Value::Null } else { reason.into() }},
        "deviceDetail": {"deviceId": "", "displayName": "", "operatingSystem": look.os, "browser": look.browser,
                         "isCompliant": false, "isManaged": false, "trustType": ""},
        "location": {"city": place.city, "state": place.state, "countryOrRegion": place.country,
                     "geoCoordinates": {"altitude": null, "latitude": place.lat, "longitude": place.lon}},
    })
}

/// Who performed a directory change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Initiator<'a> {
    /// The acting user.
    pub who: &'a Person,
    /// Their IP.
    pub ip: &'a str,
}

/// The object a directory change applies to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    /// Object id.
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// `User`, `ServicePrincipal`...
    pub kind: &'a str,
    /// Sign-in name for users.
    pub upn: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// A user as a target.
    pub(crate) fn user(p: &'a Person) -> Target<'a> {
        Target {
            id: &p.object_id,
            name: &p.display,
            kind: "User",
            upn: Some(&p.upn),
        }
    }
}

/// Graph `directoryAudit` record (no trailing period on the activity name).
pub(crate) fn directory_audit(
    rng: &mut Rng,
    time: DateTime<Utc>,
    (activity, category, service): (&str, &str, &str),
    by: &Initiator,
    target: &Target,
    modified: &[(&str, &str, &str)],
) -> Value {
    let props: Vec<Value> = modified
        .iter()
        .map(|(n, old, new)| json!({"displayName": n, "oldValue": old, "newValue": new}))
        .collect();
    json!({
        "id": format!("Directory_{}", ids::guid(rng)),
        "category": category,
        "correlationId": ids::guid(rng),
        "result": "success",
        "resultReason": "",
        "activityDisplayName": activity,
        "activityDateTime": graph_time(time),
        "loggedByService": service,
        "operationType": if activity.starts_with("Reset") || activity.starts_with("Update") { "Update" } else { "Add" },
        "initiatedBy": {"app": null, "user": {"id": by.who.object_id, "displayName": by.who.display,
            "userPrincipalName": by.who.upn, "ipAddress": by.ip}},
        "targetResources": [{"id": target.id, "displayName": target.name, "type": target.kind,
            "userPrincipalName": target.upn, "modifiedProperties": props}],
        "additionalDetails": [{"key": "UserAgent", "value": ClientKind::Owa.look().user_agent}],
    })
}

/// One row of a message trace export, in the export's column order.
#[derive(Debug, Serialize)]
pub(crate) struct TraceRow {
    /// US-locale time.
    #[serde(rename = "Received")]
    pub received: String,
    /// Envelope sender.
    #[serde(rename = "SenderAddress")]
    pub sender: String,
    /// One recipient.
    #[serde(rename = "RecipientAddress")]
    pub recipient: String,
    /// Subject.
    #[serde(rename = "Subject")]
    pub subject: String,
    /// Delivered, FilteredAsSpam, Failed...
    #[serde(rename = "Status")]
    pub status: &'static str,
    /// Next hop for outbound mail.
    #[serde(rename = "ToIP")]
    pub to_ip: String,
    /// Submitting client or sending server.
    #[serde(rename = "FromIP")]
    pub from_ip: String,
    /// Bytes.
    #[serde(rename = "Size")]
    pub size: u32,
    /// Internet message id.
    #[serde(rename = "MessageId")]
    pub message_id: String,
    /// Trace id.
    #[serde(rename = "MessageTraceId")]
    pub trace_id: String,
}
