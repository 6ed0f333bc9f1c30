use super::*;
use mailcase_model::{AppConsent, EvidenceRef};

fn ctx() -> RecordCtx {
    RecordCtx { at: EvidenceRef { evidence: 3, record: 7 }, date_order: DateOrder::MonthFirst, file_time: None }
}

fn event(json: &str) -> Event {
    to_event(json, &ctx()).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn admin(op: &str, params: &str) -> Event {
    event(&format!(
        r#"{{"CreationTime":"2024-03-01T10:00:00","RecordType":1,"Operation":"{op}","UserId":"Admin@Contoso.com","ObjectId":"victim","ClientIP":"[2001:db8::5]:4431","ResultStatus":"True","Parameters":[{params}]}}"#
    ))
}

#[test]
fn new_inbox_rule_with_conditions_and_actions() {
    let e = admin(
        "New-InboxRule",
        r#"{"Name":"Mailbox","Value":"Victim@Contoso.com"},{"Name":"Name","Value":"."},{"Name":"SubjectOrBodyContainsWords","Value":"invoice;IBAN"},{"Name":"MoveToFolder","Value":"RSS Feeds"},{"Name":"MarkAsRead","Value":"True"},{"Name":"ForwardTo","Value":"\"Bad\" [SMTP:bad@evil.example];x@evil.example"},{"Name":"StopProcessingRules","Value":"True"}"#,
    );
    let Action::InboxRule(r) = &e.action else { panic!("{:?}", e.action) };
    assert_eq!(r.change, RuleChange::Created);
    assert_eq!(r.name.as_deref(), Some("."));
    assert_eq!(r.conditions, vec![("SubjectOrBodyContainsWords".to_string(), vec!["invoice".to_string(), "IBAN".to_string()])]);
    assert_eq!(r.forward_to, vec!["bad@evil.example", "x@evil.example"]);
    assert_eq!(r.move_to_folder.as_deref(), Some("RSS Feeds"));
    assert!(r.mark_as_read && r.stop_processing && !r.delete);
    assert_eq!(e.account.as_ref().map(|a| a.as_str()), Some("victim@contoso.com"));
    assert_eq!(e.actor.as_deref(), Some("Admin@Contoso.com"));
    assert_eq!(e.outcome, Outcome::Success);
    assert_eq!(e.client.ip, Some("2001:db8::5".parse().unwrap()));
    assert_eq!(e.client.port, Some(4431));
    assert_eq!(e.id, EvidenceRef { evidence: 3, record: 7 }.event_id());
}

#[test]
fn set_inbox_rule_identity_names_mailbox_and_rule() {
    let e = admin("Set-InboxRule", r#"{"Name":"Identity","Value":"victim@contoso.com\\Hide"},{"Name":"DeleteMessage","Value":"True"}"#);
    let Action::InboxRule(r) = &e.action else { panic!() };
    assert_eq!(r.change, RuleChange::Modified);
    assert_eq!(r.name.as_deref(), Some("Hide"));
    assert_eq!(r.mailbox.as_deref(), Some("victim@contoso.com"));
    assert!(r.delete);
    for (op, change) in [("Remove-InboxRule", RuleChange::Removed), ("Disable-InboxRule", RuleChange::Disabled), ("Enable-InboxRule", RuleChange::Enabled)] {
        let Action::InboxRule(r) = admin(op, r#"{"Name":"Identity","Value":"x"}"#).action else { panic!() };
        assert_eq!(r.change, change);
    }
}

#[test]
fn update_inbox_rules_from_outlook() {
    let e = event(r#"{"CreationTime":"2024-03-01T10:00:00","RecordType":2,"Operation":"UpdateInboxRules","UserId":"v@c.com","MailboxOwnerUPN":"v@c.com","OperationProperties":[{"Name":"RuleOperation","Value":"AddMailboxRule"},{"Name":"RuleName","Value":".."},{"Name":"RuleActions","Value":"[{\"ActionType\":\"MoveToFolder\",\"Folder\":\"Conversation History\"},{\"ActionType\":\"Forward\",\"Recipients\":[\"bad@evil.example\"]},{\"ActionType\":\"MarkAsRead\"}]"}]}"#);
    let Action::InboxRule(r) = &e.action else { panic!() };
    assert_eq!(r.change, RuleChange::Created);
    assert_eq!(r.name.as_deref(), Some(".."));
    assert_eq!(r.move_to_folder.as_deref(), Some("Conversation History"));
    assert_eq!(r.forward_to, vec!["bad@evil.example"]);
    assert!(r.mark_as_read);
    assert_eq!(e.actor, None);
}

#[test]
fn set_mailbox_forwarding_set_and_cleared() {
    let e = admin("Set-Mailbox", r#"{"Name":"Identity","Value":"victim@contoso.com"},{"Name":"ForwardingSmtpAddress","Value":"smtp:peter@evil.example"},{"Name":"DeliverToMailboxAndForward","Value":"False"}"#);
    assert_eq!(e.action, Action::Forwarding(ForwardingChange { mailbox: Some("victim@contoso.com".into()), target: Some("peter@evil.example".into()), keep_copy: Some(false) }));
    assert_eq!(e.account.as_ref().map(|a| a.as_str()), Some("victim@contoso.com"));
    let e = admin("Set-Mailbox", r#"{"Name":"Identity","Value":"v"},{"Name":"ForwardingSmtpAddress","Value":""}"#);
    assert_eq!(e.action.name(), "forwarding_cleared");
    assert_eq!(admin("Set-Mailbox", r#"{"Name":"AuditEnabled","Value":"False"}"#).action.name(), "audit_config_changed");
    assert_eq!(admin("Set-Mailbox", r#"{"Name":"GrantSendOnBehalfTo","Value":"x@evil.example"}"#).action.name(), "permission_granted");
    assert_eq!(admin("Set-Mailbox", r#"{"Name":"ProhibitSendQuota","Value":"1GB"}"#).action.name(), "mailbox_settings_changed");
    assert_eq!(admin("Set-CASMailbox", r#"{"Name":"ImapEnabled","Value":"True"}"#).action.name(), "mailbox_settings_changed");
}

#[test]
fn permissions_transport_rules_exports_and_audit() {
    let e = admin("Add-MailboxPermission", r#"{"Name":"Identity","Value":"boss@c.com"},{"Name":"User","Value":"eve@c.com"},{"Name":"AccessRights","Value":"FullAccess"}"#);
    let Action::Permission(p) = &e.action else { panic!() };
    assert!(p.granted && p.scope == PermissionScope::Mailbox && p.rights == vec!["FullAccess"]);
    assert_eq!(p.grantee.as_deref(), Some("eve@c.com"));
    let Action::Permission(p) = admin("Remove-RecipientPermission", r#"{"Name":"Identity","Value":"b"},{"Name":"Trustee","Value":"e"}"#).action else { panic!() };
    assert!(!p.granted && p.scope == PermissionScope::SendAs);
    let Action::Permission(p) = admin("Add-MailboxFolderPermission", r#"{"Name":"Identity","Value":"boss@c.com:\\Inbox"},{"Name":"User","Value":"e"}"#).action else { panic!() };
    assert_eq!(p.scope, PermissionScope::Folder(Some("\\Inbox".into())));
    let Action::TransportRule { change, recipients, .. } = admin("New-TransportRule", r#"{"Name":"Name","Value":"r"},{"Name":"BlindCopyTo","Value":"spy@evil.example"}"#).action else { panic!() };
    assert_eq!((change, recipients), (RuleChange::Created, vec!["spy@evil.example".to_string()]));
    assert_eq!(admin("New-MailboxExportRequest", r#"{"Name":"Mailbox","Value":"b"}"#).action.name(), "export");
    assert_eq!(admin("New-ComplianceSearchAction", r#"{"Name":"SearchName","Value":"s"},{"Name":"Export","Value":""}"#).action.name(), "export");
    assert_eq!(admin("New-ComplianceSearchAction", r#"{"Name":"Purge","Value":""}"#).action.name(), "other");
    assert_eq!(admin("Set-AdminAuditLogConfig", r#"{"Name":"UnifiedAuditLogIngestionEnabled","Value":"False"}"#).action.name(), "audit_config_changed");
    assert_eq!(admin("Set-MailboxAuditBypassAssociation", "").action.name(), "audit_config_changed");
    assert_eq!(admin("Get-Mailbox", "").action, Action::Other { operation: "Get-Mailbox".into() });
}

#[test]
fn mail_items_accessed_from_sentinel_strings() {
    let e = event(r#"{"TimeGenerated":"2021-08-02T13:32:07Z","RecordType":"50","Operation":"MailItemsAccessed","UserId":"p@s.com","MailboxOwnerUPN":"P@S.com","Client_IPAddress":"1.2.3.4","ClientInfoString":"Client=REST;;","Folders":"[{\"FolderItems\":[{\"InternetMessageId\":\"<a@b>\"},{\"InternetMessageId\":\"<c@d>\"}],\"Path\":\"\\\\Inbox\"}]","OperationProperties":"[{\"Name\":\"MailAccessType\",\"Value\":\"Bind\"}]","AppId":"00000003-0000-0000-c000-000000000000","ClientAppId":"5a95e683-08ad-424e-a441-1d1aec52c02c","ResultStatus":"Succeeded"}"#);
    let Action::MailAccessed(m) = &e.action else { panic!() };
    assert_eq!(m.count, 2);
    assert_eq!(m.access_type.as_deref(), Some("Bind"));
    assert_eq!(m.folders, vec!["\\Inbox"]);
    assert_eq!(m.message_ids, vec!["<a@b>", "<c@d>"]);
    assert_eq!(e.account.as_ref().map(|a| a.as_str()), Some("p@s.com"));
    assert_eq!(e.actor, None);
    assert_eq!(e.client.protocol.as_deref(), Some("REST"));
    assert_eq!(e.client.app_id.as_deref(), Some("5a95e683-08ad-424e-a441-1d1aec52c02c"));
    assert_eq!(e.time.to_rfc3339(), "2021-08-02T13:32:07+00:00");
}

#[test]
fn send_delete_move_search() {
    let base = r#""CreationTime":"2024-03-01T10:00:00","RecordType":2,"UserId":"v@c.com","MailboxOwnerUPN":"v@c.com","SessionId":"s1""#;
    let e = event(&format!(r#"{{{base},"Operation":"SendAs","Item":{{"Subject":"=HYPERLINK(\"x\")","InternetMessageId":"<m@x>"}}}}"#));
    assert_eq!(e.action, Action::MailSent(MailSent { kind: SendKind::SendAs, subject: Some("=HYPERLINK(\"x\")".into()), message_id: Some("<m@x>".into()) }));
    assert_eq!(e.client.session_id.as_deref(), Some("s1"));
    let e = event(&format!(r#"{{{base},"Operation":"HardDelete","Folder":{{"Path":"\\Deleted Items"}},"AffectedItems":[{{"Subject":"a"}},{{"Subject":"b"}}]}}"#));
    assert_eq!(e.action, Action::MailDeleted(MailDeleted { kind: DeleteKind::HardDelete, count: 2, folder: Some("\\Deleted Items".into()), subjects: vec!["a".into(), "b".into()] }));
    let e = event(&format!(r#"{{{base},"Operation":"Move","DestFolder":{{"Path":"\\RSS Feeds"}},"AffectedItems":[{{}}]}}"#));
    assert_eq!(e.action, Action::MailMoved { to_folder: Some("\\RSS Feeds".into()), count: 1 });
    let e = event(&format!(r#"{{{base},"Operation":"SearchQueryInitiatedExchange","QueryText":"password"}}"#));
    assert_eq!(e.action, Action::Search { query: Some("password".into()) });
}

#[test]
fn sts_logon_success_and_failure() {
    let ok = event(r#"{"CreationTime":"2020-02-10T15:13:13","RecordType":"15","Operation":"UserLoggedIn","UserId":"asr@t.com","ClientIP":"67.43.156.15","ApplicationId":"4345a7b9-9a63-4910-a426-35363201d503","ExtendedProperties":[{"Name":"UserAgent","Value":"Mozilla/5.0"},{"Name":"RequestType","Value":"OAuth2:Authorize"}],"ResultStatus":"Succeeded","ObjectId":"00000002-0000-0000-c000-000000000000"}"#);
    assert_eq!(ok.action.name(), "sign_in");
    assert_eq!(ok.outcome, Outcome::Success);
    assert_eq!(ok.client.user_agent.as_deref(), Some("Mozilla/5.0"));
    assert_eq!(ok.client.app_id.as_deref(), Some("4345a7b9-9a63-4910-a426-35363201d503"));
    let bad = event(r#"{"CreationTime":"2020-02-10T15:13:13","RecordType":15,"Operation":"UserLoginFailed","UserId":"asr@t.com","ActorIpAddress":"67.43.156.15:50000","ErrorCode":"50126","LogonError":"InvalidUserNameOrPassword","ResultStatus":"Success"}"#);
    assert_eq!(bad.outcome, Outcome::Failure { code: Some("50126".into()), reason: Some("InvalidUserNameOrPassword".into()) });
    assert_eq!(bad.client.port, Some(50000));
}

#[test]
fn directory_operations() {
    let dir = |op: &str, extra: &str| event(&format!(r#"{{"CreationTime":"2024-03-01T10:00:00","RecordType":8,"Operation":"{op}","UserId":"admin@c.com","ObjectId":"User@C.com","ResultStatus":"Success"{extra}}}"#));
    let consent = dir("Consent to application.", r#","ModifiedProperties":[{"Name":"ConsentContext.IsAdminConsent","NewValue":"False","OldValue":""},{"Name":"ConsentAction.Permissions","NewValue":"[] => [[Id: x, ClientId: y, ConsentType: Principal, Scope: Mail.Read offline_access, CreatedDateTime: ]]","OldValue":""},{"Name":"TargetId.ServicePrincipalNames","NewValue":"11111111-2222-3333-4444-555555555555;https://perfectdata.example","OldValue":""}],"Target":[{"ID":"ServicePrincipal_1","Type":2},{"ID":"11111111-2222-3333-4444-555555555555","Type":2},{"ID":"PERFECTDATA SOFTWARE","Type":1}]"#);
    assert_eq!(consent.action, Action::AppConsent(AppConsent { app_id: Some("11111111-2222-3333-4444-555555555555".into()), app_name: Some("PERFECTDATA SOFTWARE".into()), scopes: vec!["Mail.Read".into(), "offline_access".into()], admin_consent: Some(false) }));
    let mfa = dir("Update user.", r#","ModifiedProperties":[{"Name":"StrongAuthenticationMethod","NewValue":"[{\"MethodType\":7},{\"MethodType\":6}]","OldValue":"[{\"MethodType\":7}]"}]"#);
    assert_eq!(mfa.action.name(), "mfa_method_added");
    assert_eq!(mfa.account.as_ref().map(|a| a.as_str()), Some("user@c.com"));
    assert_eq!(mfa.actor.as_deref(), Some("admin@c.com"));
    assert_eq!(dir("Update user.", "").action.name(), "other");
    assert_eq!(dir("Reset user password.", "").action.name(), "password_reset");
    assert_eq!(dir("Change user password.", "").action.name(), "password_changed");
    assert_eq!(dir("Add user.", "").action.name(), "account_created");
    assert_eq!(dir("Disable account.", "").action.name(), "account_disabled");
    assert_eq!(dir("Add service principal credentials.", "").action.name(), "app_credential_added");
    assert_eq!(dir("Update application – Certificates and secrets management ", "").action.name(), "app_credential_added");
    let role = dir("Add member to role.", r#","ModifiedProperties":[{"Name":"Role.DisplayName","NewValue":"Global Administrator","OldValue":""}]"#);
    assert_eq!(role.action, Action::RoleChanged { added: true, role: Some("Global Administrator".into()) });
}

#[test]
fn csv_columns_fallback_uses_date_order() {
    let mut c = ctx();
    c.date_order = DateOrder::DayFirst;
    let e = to_event(r#"{"CreationDate":"03/04/2024 16:05:03","UserIds":"V@C.com","Operations":"MailItemsAccessed","AuditData":"{\"trunc"}"#, &c).unwrap();
    assert_eq!(e.time.to_rfc3339(), "2024-04-03T16:05:03+00:00");
    assert_eq!(e.account.as_ref().map(|a| a.as_str()), Some("v@c.com"));
}

#[test]
fn bad_records_are_errors_not_panics() {
    for bad in ["", "[]", "{", "null", r#"{"Operation":"x"}"#, r#"{"CreationTime":"yesterday","Operation":"x"}"#, r#"{"CreationTime":"2024-01-01T00:00:00"}"#, r#"{"CreationTime":{"a":1},"Operation":"x"}"#] {
        assert!(to_event(bad, &ctx()).is_err(), "{bad}");
    }
    // Wrong types inside nested parts degrade, they do not fail the record.
    let e = event(r#"{"CreationTime":"2024-01-01T00:00:00","Operation":"MailItemsAccessed","Folders":"not json","OperationCount":true,"Parameters":7}"#);
    assert_eq!(e.action.name(), "mail_accessed");
}

#[test]
fn plain_iso_times_match_the_general_parser() {
    let same = [
        "2024-03-01T10:00:00",
        "2024-03-01T10:00:00Z",
        "2024-03-01T10:00:00.1",
        "2024-03-01T10:00:00.1234567",
        "2024-03-01T10:00:00.123456789Z",
        "2024-02-29T23:59:59.000000001",
        "1999-12-31T00:00:00.5Z",
    ];
    for text in same {
        let fast = parse_plain_iso(text);
        assert!(fast.is_some(), "{text}");
        assert_eq!(fast, parse_timestamp(text, DateOrder::MonthFirst), "{text}");
    }
    // Anything else is left to the general parser (which may still read it).
    let other = [
        "2024-03-01 10:00:00",
        "2024-03-01T10:00:00+02:00",
        "2024-03-01T10:00:00.",
        "2024-03-01T10:00:00.1234567890",
        "2024-03-01T10:00:60",
        "2023-02-29T10:00:00",
        "2024-13-01T10:00:00",
        "2024-03-01T24:00:00",
        "2024-03-01T10:00",
        "+024-03-01T10:00:00",
        "2024-03-01T10:00:00ZZ",
        "٢٠٢٤-03-01T10:00:00",
        "",
    ];
    for text in other {
        assert_eq!(parse_plain_iso(text), None, "{text}");
    }
}

#[test]
fn operations_are_lower_cased_with_or_without_the_buffer() {
    let mut buffer = [0u8; 64];
    assert_eq!(ascii_lowercase("New-InboxRule", &mut buffer), "new-inboxrule");
    let long = "Update application – Certificates and secrets management ÄÖ".repeat(2);
    assert_eq!(ascii_lowercase(&long, &mut buffer), long.to_ascii_lowercase());
    assert_eq!(ascii_lowercase("É-Send", &mut buffer), "É-send");
}

#[test]
fn parameters_read_as_a_list_or_as_a_string_holding_one() {
    let raw: &RawValue = serde_json::from_str(r#"[{"Name":"Identity","Value":" a\\b "},{"name":"Enabled","value":true},{"Name":"N","Value":3}]"#).unwrap();
    let params = Params::from(Some(raw));
    assert_eq!(params.get("identity"), Some("a\\b"));
    assert_eq!(params.get("ENABLED"), Some("True"));
    assert_eq!(params.non_empty("n"), Some("3"));
    assert_eq!(params.to_owned_pairs().len(), 3);
    let sentinel: &RawValue = serde_json::from_str(r#""[{\"Name\":\"ForwardTo\",\"Value\":\"x@evil.example\"}]""#).unwrap();
    assert_eq!(Params::from(Some(sentinel)).get("forwardto"), Some("x@evil.example"));
    for bad in [r#""not json""#, "7", r#"[{"Value":"no name"}]"#, r#"{"Name":"x"}"#] {
        let raw: &RawValue = serde_json::from_str(bad).unwrap();
        assert!(Params::from(Some(raw)).0.is_empty(), "{bad}");
    }
    assert!(Params::from(None).0.is_empty());
}

#[test]
fn condition_names_are_matched_without_case() {
    for yes in ["SubjectOrBodyContainsWords", "FROMADDRESSCONTAINSWORDS", "ExceptIfFrom", "from", "SentTo", "WithinSizeRangeMaximum"] {
        assert!(is_condition(yes), "{yes}");
    }
    for no in ["MoveToFolder", "Words", "containsword", "Exce", "", "ForwardTo"] {
        assert!(!is_condition(no), "{no}");
    }
}

#[test]
fn two_names_for_one_field_never_lose_the_record() {
    // Sentinel rows carry `OfficeObjectId`; some pipelines add `ObjectId` too.
    let e = event(r#"{"CreationTime":"2024-03-01T10:00:00","Operation":"UserLoggedIn","UserId":"a@c.com","ObjectId":"canonical","OfficeObjectId":"alias"}"#);
    let Action::SignIn(s) = &e.action else { panic!("{:?}", e.action) };
    assert_eq!(s.resource.as_deref(), Some("canonical"));
    // The canonical name wins even when it comes second.
    let e = event(r#"{"CreationTime":"2024-03-01T10:00:00","Operations":"Send","Operation":"SendAs","UserId":"a@c.com"}"#);
    assert_eq!(e.action.name(), "mail_sent");
    let Action::MailSent(m) = &e.action else { panic!() };
    assert_eq!(m.kind, SendKind::SendAs);
    // A blank or null value gives way to another name's value.
    let e = event(r#"{"CreationTime":"2024-03-01T10:00:00","Operation":"UserLoggedIn","ObjectId":null,"OfficeObjectId":"alias","UserId":"","UserIds":"b@c.com"}"#);
    let Action::SignIn(s) = &e.action else { panic!() };
    assert_eq!(s.resource.as_deref(), Some("alias"));
    assert_eq!(e.account.as_ref().map(|a| a.as_str()), Some("b@c.com"));
    // The same key twice (hostile or broken exporter): the first is kept.
    let e = event(r#"{"CreationTime":"2024-03-01T10:00:00","CreationTime":"2030-01-01T00:00:00","Operation":"Send","operation":"x","ClientIP":"1.2.3.4","clientip":"5.6.7.8","Client_IPAddress":"9.9.9.9","ClientIPAddress":"8.8.8.8"}"#);
    assert_eq!(e.time.to_rfc3339(), "2024-03-01T10:00:00+00:00");
    assert_eq!(e.action.name(), "mail_sent");
    assert_eq!(e.client.ip, Some("1.2.3.4".parse().unwrap()));
    // Every pair of names of every field, nested lists included.
    let e = event(r#"{"creationtime":"2024-03-01T10:00:00","CreationTime":"2024-03-01T10:00:00","Operation":"Set-Mailbox","UserId":"a@c.com","userid":"z@c.com","Parameters":[{"Name":"Identity","name":"ignored","Value":"v@c.com","value":"w"},{"Name":"ForwardingSmtpAddress","Value":"x@evil.example"}],"parameters":[]}"#);
    let Action::Forwarding(f) = &e.action else { panic!("{:?}", e.action) };
    assert_eq!(f.mailbox.as_deref(), Some("v@c.com"));
    assert_eq!(f.target.as_deref(), Some("x@evil.example"));
    assert_eq!(e.actor.as_deref(), Some("a@c.com"));
}

#[test]
fn failed_sign_in_code_is_the_error_number() {
    let bad = event(r#"{"CreationTime":"2020-02-10T15:13:13","RecordType":15,"Workload":"AzureActiveDirectory","Operation":"UserLoginFailed","UserId":"asr@t.com","ErrorNumber":"50126","LogonError":"InvalidUserNameOrPassword","ResultStatus":"Success"}"#);
    assert_eq!(bad.outcome, Outcome::Failure { code: Some("50126".into()), reason: Some("InvalidUserNameOrPassword".into()) });
    // Without a number there is no code: the name is a reason, as in entra_signin.
    let bad = event(r#"{"CreationTime":"2020-02-10T15:13:13","Operation":"UserLoginFailed","UserId":"asr@t.com","LogonError":"InvalidUserNameOrPassword"}"#);
    assert_eq!(bad.outcome, Outcome::Failure { code: None, reason: Some("InvalidUserNameOrPassword".into()) });
    let bad = event(r#"{"CreationTime":"2020-02-10T15:13:13","Operation":"UserLoginFailed","UserId":"asr@t.com","ErrorNumber":50053}"#);
    assert_eq!(bad.outcome, Outcome::Failure { code: Some("50053".into()), reason: None });
}

#[test]
fn directory_operations_map_as_in_the_entra_audit_log() {
    let ual = |op: &str, modified: &str| {
        event(&format!(r#"{{"CreationTime":"2024-03-01T10:00:00","RecordType":8,"Workload":"AzureActiveDirectory","Operation":"{op}.","UserId":"admin@c.com","ObjectId":"user@c.com","ModifiedProperties":{modified},"Target":[{{"ID":"User_1","Type":2}},{{"ID":"User","Type":2}},{{"ID":"user@c.com","Type":5}}]}}"#)).action
    };
    let graph = |op: &str, modified: &str| {
        let json = format!(r#"{{"activityDateTime":"2024-03-01T10:00:00Z","activityDisplayName":"{op}","targetResources":[{{"type":"User","userPrincipalName":"user@c.com","modifiedProperties":{modified}}}]}}"#);
        crate::entra_audit::to_event(&json, &ctx()).unwrap_or_else(|e| panic!("{e}")).action
    };
    let enabled = r#"[{"Name":"AccountEnabled","displayName":"AccountEnabled","OldValue":"[true]","oldValue":"[true]","NewValue":"[false]","newValue":"[false]"}]"#;
    let cases = [
        ("Hard delete user", "[]", "account_disabled"),
        ("Reset password (by admin)", "[]", "password_reset"),
        ("Add delegated permission grant", "[]", "app_consent"),
        ("Add app role assignment to service principal", "[]", "app_consent"),
        ("Update user", enabled, "account_disabled"),
        ("Set force change user password", "[]", "other"),
        ("Add member to role in PIM completed (permanent)", "[]", "role_added"),
        ("Update user", "[]", "other"),
    ];
    for (op, modified, name) in cases {
        assert_eq!(ual(op, modified).name(), name, "{op}");
        // `Other` keeps each source's spelling (the UAL's final period included).
        if name != "other" {
            assert_eq!(ual(op, modified), graph(op, modified), "{op}");
        }
    }
    // Records of another workload keep their operation as logged.
    let e = event(r#"{"CreationTime":"2024-03-01T10:00:00","RecordType":1,"Workload":"Exchange","Operation":"Add user.","UserId":"a@c.com"}"#);
    assert_eq!(e.action, Action::Other { operation: "Add user.".into() });
}

#[test]
fn strong_authentication_default_switch_is_not_an_addition() {
    let e = event(r#"{"CreationTime":"2022-12-12 17:28:35","RecordType":8,"Workload":"AzureActiveDirectory","Operation":"Update user.","UserId":"ServicePrincipal_aa","ObjectId":"sample.user@yourorg.onmicrosoft.com","ModifiedProperties":[{"Name":"StrongAuthenticationMethod","NewValue":"[{\"Default\": false,\"MethodType\": 7},{\"Default\": true,\"MethodType\": 6}]","OldValue":"[{\"Default\": true,\"MethodType\": 7},{\"Default\": false,\"MethodType\": 6}]"}]}"#);
    assert_eq!(e.action, Action::Other { operation: "Update user.".into() });
    let e = event(r#"{"CreationTime":"2022-12-12 17:28:35","RecordType":8,"Operation":"Update user.","ObjectId":"u@y.com","ModifiedProperties":[{"Name":"StrongAuthenticationMethod","NewValue":"[]","OldValue":"[{\"Default\": true,\"MethodType\": 7}]"}]}"#);
    assert_eq!(e.action, Action::MfaMethod { added: false, method: Some("StrongAuthenticationMethod".into()) });
    assert_eq!(e.account.as_ref().map(|a| a.as_str()), Some("u@y.com"));
}
