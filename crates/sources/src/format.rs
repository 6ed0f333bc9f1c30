//! The evidence formats we read, and [`sniff`], which recognises one from the first
//! bytes of a file.
//!
//! Sniffing looks at content only (never the file name): the header line of a CSV
//! file, or the keys (and a few telling values) at the start of a JSON document.
//! Key names are compared without regard to case, because some pipelines lower-case
//! them (`creationtime`) and Sentinel exports capitalise them (`ActivityDateTime`).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use mailcase_model::SourceKind;

use crate::SourceError;
use crate::input::{csv_delimiter, decode_head, is_preamble_line, split_csv_header};

/// How many bytes of a file [`sniff_file`] reads.
pub const SNIFF_LEN: usize = 256 * 1024;

/// An evidence format this crate can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Unified Audit Log, Purview portal CSV export
    /// (`RecordId,CreationDate,RecordType,Operation,UserId,AuditData,...`).
    UalPurviewCsv,
    /// Unified Audit Log, older portal CSV export (`CreationDate,UserIds,Operations,AuditData`).
    UalLegacyCsv,
    /// Unified Audit Log, `Search-UnifiedAuditLog | Export-Csv`
    /// (`CreationDate,UserIds,RecordType,Operations,AuditData,ResultIndex,...`).
    UalSearchCsv,
    /// Unified Audit Log as Management Activity API JSON (lines, array or wrapper).
    UalJson,
    /// Unified Audit Log as a Sentinel / Log Analytics `OfficeActivity` export.
    UalSentinel,
    /// Entra sign-ins from Microsoft Graph (`signIn` resources).
    EntraSignInGraph,
    /// Entra sign-ins from Azure Monitor diagnostic settings or Sentinel `SigninLogs`.
    EntraSignInAzureMonitor,
    /// Entra sign-ins, Entra portal CSV download.
    EntraSignInCsv,
    /// Entra audit log from Microsoft Graph (`directoryAudit` resources).
    EntraAuditGraph,
    /// Entra audit log from Azure Monitor diagnostic settings or Sentinel `AuditLogs`.
    EntraAuditAzureMonitor,
    /// Exchange Online message trace, CSV.
    MessageTraceCsv,
    /// Exchange Online message trace, JSON.
    MessageTraceJson,
    /// `Get-InboxRule` export, CSV.
    InboxRulesCsv,
    /// `Get-InboxRule` export, JSON.
    InboxRulesJson,
    /// Google Workspace Admin SDK Reports API activities (JSON, as the API or GAM export them).
    GoogleWorkspaceJson,
    /// Dovecot log lines (syslog or Dovecot's own log file).
    DovecotLog,
    /// Postfix log lines (syslog).
    PostfixLog,
    /// Zimbra `audit.log`.
    ZimbraAuditLog,
    /// Zimbra `mailbox.log`.
    ZimbraMailboxLog,
    /// Exchange on-premises IIS logs (W3C extended format).
    ExchangeIisW3c,
    /// Exchange on-premises message tracking logs.
    ExchangeMessageTracking,
    /// Exchange on-premises HttpProxy logs (CSV).
    ExchangeHttpProxyCsv,
    /// Exchange on-premises HttpProxy logs as Exchange writes them (`#Fields:` directive).
    ExchangeHttpProxyLog,
    /// Exchange on-premises IMAP4, POP3 and SMTP protocol logs.
    ExchangeProtocolLog,
    /// Exchange on-premises ECP (admin centre) server logs.
    ExchangeEcpLog,
    /// Squid native `access.log`.
    WebProxySquid,
    /// Web server or proxy access log in the common / combined format.
    WebProxyCombined,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 27] = [
        Format::UalPurviewCsv,
        Format::UalLegacyCsv,
        Format::UalSearchCsv,
        Format::UalJson,
        Format::UalSentinel,
        Format::EntraSignInGraph,
        Format::EntraSignInAzureMonitor,
        Format::EntraSignInCsv,
        Format::EntraAuditGraph,
        Format::EntraAuditAzureMonitor,
        Format::MessageTraceCsv,
        Format::MessageTraceJson,
        Format::InboxRulesCsv,
        Format::InboxRulesJson,
        Format::GoogleWorkspaceJson,
        Format::DovecotLog,
        Format::PostfixLog,
        Format::ZimbraAuditLog,
        Format::ZimbraMailboxLog,
        Format::ExchangeIisW3c,
        Format::ExchangeMessageTracking,
        Format::ExchangeHttpProxyCsv,
        Format::ExchangeHttpProxyLog,
        Format::ExchangeProtocolLog,
        Format::ExchangeEcpLog,
        Format::WebProxySquid,
        Format::WebProxyCombined,
    ];

    /// The stable snake_case name stored in a case's evidence registry.
    pub fn id(self) -> &'static str {
        match self {
            Format::UalPurviewCsv => "ual_purview_csv",
            Format::UalLegacyCsv => "ual_legacy_csv",
            Format::UalSearchCsv => "ual_search_csv",
            Format::UalJson => "ual_json",
            Format::UalSentinel => "ual_sentinel",
            Format::EntraSignInGraph => "entra_signin_graph",
            Format::EntraSignInAzureMonitor => "entra_signin_azure_monitor",
            Format::EntraSignInCsv => "entra_signin_csv",
            Format::EntraAuditGraph => "entra_audit_graph",
            Format::EntraAuditAzureMonitor => "entra_audit_azure_monitor",
            Format::MessageTraceCsv => "message_trace_csv",
            Format::MessageTraceJson => "message_trace_json",
            Format::InboxRulesCsv => "inbox_rules_csv",
            Format::InboxRulesJson => "inbox_rules_json",
            Format::GoogleWorkspaceJson => "google_workspace_json",
            Format::DovecotLog => "dovecot_log",
            Format::PostfixLog => "postfix_log",
            Format::ZimbraAuditLog => "zimbra_audit_log",
            Format::ZimbraMailboxLog => "zimbra_mailbox_log",
            Format::ExchangeIisW3c => "exchange_iis_w3c",
            Format::ExchangeMessageTracking => "exchange_message_tracking",
            Format::ExchangeHttpProxyCsv => "exchange_http_proxy_csv",
            Format::ExchangeHttpProxyLog => "exchange_http_proxy_log",
            Format::ExchangeProtocolLog => "exchange_protocol_log",
            Format::ExchangeEcpLog => "exchange_ecp_log",
            Format::WebProxySquid => "web_proxy_squid",
            Format::WebProxyCombined => "web_proxy_combined",
        }
    }

    /// The format whose [`Format::id`] is `id`.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The kind of log the format carries.
    pub fn source(self) -> SourceKind {
        match self {
            Format::UalPurviewCsv
            | Format::UalLegacyCsv
            | Format::UalSearchCsv
            | Format::UalJson
            | Format::UalSentinel => SourceKind::M365Ual,
            Format::EntraSignInGraph | Format::EntraSignInAzureMonitor | Format::EntraSignInCsv => {
                SourceKind::EntraSignIn
            }
            Format::EntraAuditGraph | Format::EntraAuditAzureMonitor => SourceKind::EntraAudit,
            Format::MessageTraceCsv | Format::MessageTraceJson => SourceKind::ExoMessageTrace,
            Format::InboxRulesCsv | Format::InboxRulesJson => SourceKind::InboxRules,
            Format::GoogleWorkspaceJson => SourceKind::GoogleWorkspace,
            Format::DovecotLog => SourceKind::Dovecot,
            Format::PostfixLog => SourceKind::Postfix,
            Format::ZimbraAuditLog | Format::ZimbraMailboxLog => SourceKind::Zimbra,
            Format::ExchangeIisW3c => SourceKind::ExchangeIis,
            Format::ExchangeMessageTracking => SourceKind::ExchangeTracking,
            Format::ExchangeHttpProxyCsv | Format::ExchangeHttpProxyLog => SourceKind::ExchangeHttpProxy,
            // Protocol and ECP logs are the transport side's own records.
            Format::ExchangeProtocolLog | Format::ExchangeEcpLog => SourceKind::ExchangeTracking,
            Format::WebProxySquid | Format::WebProxyCombined => SourceKind::WebProxy,
        }
    }

    /// A short English description for people.
    pub fn description(self) -> &'static str {
        match self {
            Format::UalPurviewCsv => "Microsoft 365 audit log (Purview CSV)",
            Format::UalLegacyCsv => "Microsoft 365 audit log (legacy portal CSV)",
            Format::UalSearchCsv => "Microsoft 365 audit log (Search-UnifiedAuditLog CSV)",
            Format::UalJson => "Microsoft 365 audit log (Management API JSON)",
            Format::UalSentinel => "Microsoft 365 audit log (Sentinel OfficeActivity)",
            Format::EntraSignInGraph => "Entra ID sign-in log (Graph JSON)",
            Format::EntraSignInAzureMonitor => "Entra ID sign-in log (Azure Monitor / Sentinel)",
            Format::EntraSignInCsv => "Entra ID sign-in log (portal CSV)",
            Format::EntraAuditGraph => "Entra ID audit log (Graph JSON)",
            Format::EntraAuditAzureMonitor => "Entra ID audit log (Azure Monitor / Sentinel)",
            Format::MessageTraceCsv => "Exchange Online message trace (CSV)",
            Format::MessageTraceJson => "Exchange Online message trace (JSON)",
            Format::InboxRulesCsv => "Exchange inbox rules, Get-InboxRule (CSV)",
            Format::InboxRulesJson => "Exchange inbox rules, Get-InboxRule (JSON)",
            Format::GoogleWorkspaceJson => "Google Workspace activity reports (JSON)",
            Format::DovecotLog => "Dovecot log",
            Format::PostfixLog => "Postfix log",
            Format::ZimbraAuditLog => "Zimbra audit.log",
            Format::ZimbraMailboxLog => "Zimbra mailbox.log",
            Format::ExchangeIisW3c => "Exchange IIS log (W3C)",
            Format::ExchangeMessageTracking => "Exchange message tracking log",
            Format::ExchangeHttpProxyCsv => "Exchange HttpProxy log (CSV)",
            Format::ExchangeHttpProxyLog => "Exchange HttpProxy log",
            Format::ExchangeProtocolLog => "Exchange IMAP4/POP3/SMTP protocol log",
            Format::ExchangeEcpLog => "Exchange ECP server log",
            Format::WebProxySquid => "Web proxy log (squid)",
            Format::WebProxyCombined => "Web access log (common/combined)",
        }
    }

    /// Whether records are CSV rows (otherwise JSON).
    pub fn is_csv(self) -> bool {
        matches!(
            self,
            Format::UalPurviewCsv
                | Format::UalLegacyCsv
                | Format::UalSearchCsv
                | Format::EntraSignInCsv
                | Format::MessageTraceCsv
                | Format::InboxRulesCsv
                | Format::ExchangeHttpProxyCsv
        )
    }

    /// Whether records are lines of a text log (see [`crate::LineToEvent`]).
    pub fn is_text_log(self) -> bool {
        matches!(
            self,
            Format::DovecotLog
                | Format::PostfixLog
                | Format::ZimbraAuditLog
                | Format::ZimbraMailboxLog
                | Format::ExchangeIisW3c
                | Format::ExchangeMessageTracking
                | Format::ExchangeHttpProxyLog
                | Format::ExchangeProtocolLog
                | Format::ExchangeEcpLog
                | Format::WebProxySquid
                | Format::WebProxyCombined
        )
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Recognises the format from the first bytes of a file (up to [`SNIFF_LEN`]; fewer
/// is fine). `None` when the content is none of ours, or is binary.
pub fn sniff(head: &[u8]) -> Option<Format> {
    let (_, text) = decode_head(head)?;
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    match text.as_bytes().first()? {
        b'[' | b'{' => sniff_json(text).or_else(|| crate::google_workspace::sniff(text).then_some(Format::GoogleWorkspaceJson)),
        _ => sniff_text_log(text).or_else(|| sniff_csv(text)),
    }
}

/// Reads the first [`SNIFF_LEN`] bytes of `path` and [`sniff`]s them.
pub fn sniff_file(path: &Path) -> Result<Option<Format>, SourceError> {
    let io = |source| SourceError::Io { path: path.to_path_buf(), source };
    let file = File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    file.take(SNIFF_LEN as u64).read_to_end(&mut head).map_err(io)?;
    Ok(sniff(&head))
}

/// Text logs, each recognised by its own module. W3C-style files first: their `#`
/// directives are unambiguous.
fn sniff_text_log(text: &str) -> Option<Format> {
    if let Some(format) = crate::exchange_tracking::sniff_format(text) {
        return Some(format);
    }
    type Sniffer = fn(&str) -> bool;
    let checks: [(Sniffer, Format); 8] = [
        (crate::exchange_iis::sniff, Format::ExchangeIisW3c),
        (crate::exchange_http_proxy::sniff, Format::ExchangeHttpProxyCsv),
        (crate::zimbra::sniff_audit, Format::ZimbraAuditLog),
        (crate::zimbra::sniff_mailbox, Format::ZimbraMailboxLog),
        (crate::dovecot::sniff, Format::DovecotLog),
        (crate::postfix::sniff, Format::PostfixLog),
        (crate::web_proxy::sniff_squid, Format::WebProxySquid),
        (crate::web_proxy::sniff_combined, Format::WebProxyCombined),
    ];
    checks.iter().find(|(check, _)| check(text)).map(|(_, f)| *f)
}

/// The keys seen at the start of a JSON document, lower-cased, with their string
/// values when they have one.
struct JsonKeys(Vec<(String, Option<String>)>);

impl JsonKeys {
    fn scan(text: &str) -> Self {
        let mut keys = Vec::new();
        let mut strings = JsonStrings::new(text);
        while let Some((s, end)) = strings.next_string() {
            let rest = text.get(end..).unwrap_or("").trim_start();
            let Some(after_colon) = rest.strip_prefix(':') else { continue };
            let value = after_colon.trim_start();
            let value = if value.starts_with('"') {
                JsonStrings::new(value).next_string().map(|(v, _)| v)
            } else {
                None
            };
            keys.push((s.to_ascii_lowercase(), value));
            if keys.len() > 4096 {
                break;
            }
        }
        JsonKeys(keys)
    }

    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    fn value_is(&self, key: &str, wanted: &[&str]) -> bool {
        self.0.iter().any(|(k, v)| {
            k == key && v.as_deref().is_some_and(|v| wanted.iter().any(|w| v.eq_ignore_ascii_case(w)))
        })
    }
}

/// Walks the string literals of JSON text (keys and values alike).
struct JsonStrings<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> JsonStrings<'a> {
    fn new(text: &'a str) -> Self {
        JsonStrings { text, pos: 0 }
    }

    /// The next string's content (escapes left as written) and the offset after its
    /// closing quote.
    fn next_string(&mut self) -> Option<(String, usize)> {
        let bytes = self.text.as_bytes();
        let start = self.pos + memchr::memchr(b'"', bytes.get(self.pos..)?)? + 1;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    let content = self.text.get(start..i).unwrap_or("").to_string();
                    return Some((content, i + 1));
                }
                _ => i += 1,
            }
        }
        None
    }
}

fn sniff_json(text: &str) -> Option<Format> {
    let keys = JsonKeys::scan(text);
    let all = |names: &[&str]| names.iter().all(|n| keys.has(n));
    const SIGNIN_CATEGORIES: &[&str] = &[
        "SignInLogs",
        "NonInteractiveUserSignInLogs",
        "ServicePrincipalSignInLogs",
        "ManagedIdentitySignInLogs",
    ];
    const SIGNIN_TABLES: &[&str] = &[
        "SigninLogs",
        "AADNonInteractiveUserSignInLogs",
        "AADServicePrincipalSignInLogs",
        "AADManagedIdentitySignInLogs",
    ];
    if keys.value_is("category", SIGNIN_CATEGORIES) || keys.value_is("type", SIGNIN_TABLES) {
        return Some(Format::EntraSignInAzureMonitor);
    }
    if keys.value_is("category", &["AuditLogs"]) || keys.value_is("type", &["AuditLogs"]) {
        return Some(Format::EntraAuditAzureMonitor);
    }
    if keys.has("officeworkload") || keys.value_is("type", &["OfficeActivity"]) {
        return Some(Format::UalSentinel);
    }
    if all(&["recordtype", "operation", "creationtime"]) {
        return Some(Format::UalJson);
    }
    if all(&["activitydatetime", "activitydisplayname"]) {
        return Some(Format::EntraAuditGraph);
    }
    if all(&["createddatetime", "userprincipalname"]) {
        return Some(Format::EntraSignInGraph);
    }
    if all(&["received", "senderaddress"]) && (keys.has("messagetraceid") || keys.has("recipientaddress")) {
        return Some(Format::MessageTraceJson);
    }
    // Graph `exchangeMessageTrace` resources, and historical search reports as JSON.
    let graph_trace = all(&["receiveddatetime", "senderaddress"])
        && (keys.has("recipientaddress") || keys.has("messageid"));
    if graph_trace || all(&["origin_timestamp_utc", "sender_address"]) {
        return Some(Format::MessageTraceJson);
    }
    if keys.has("ruleidentity") || (keys.has("name") && (keys.has("movetofolder") || keys.has("forwardto"))) {
        return Some(Format::InboxRulesJson);
    }
    None
}

fn sniff_csv(text: &str) -> Option<Format> {
    // The reader skips the same lines (`input::is_preamble_line`).
    let header = text.lines().find(|l| !is_preamble_line(l))?.trim();
    let columns: Vec<String> = split_csv_header(header, csv_delimiter(header))
        .into_iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("auditdata") {
        if has("recordid") && has("operation") {
            return Some(Format::UalPurviewCsv);
        }
        if has("resultindex") || has("resultcount") || (has("recordtype") && has("operations")) {
            return Some(Format::UalSearchCsv);
        }
        if has("operations") || has("operation") {
            return Some(Format::UalLegacyCsv);
        }
        return None;
    }
    let trace = (has("received") || has("receiveddatetime")) && has("senderaddress") && has("recipientaddress");
    // Historical search reports (`origin_timestamp_utc,sender_address,recipient_status,...`).
    if trace || (has("origin_timestamp_utc") && has("sender_address")) {
        return Some(Format::MessageTraceCsv);
    }
    if has("ruleidentity")
        || (has("name") && ["movetofolder", "forwardto", "redirectto", "deletemessage"].iter().any(|c| has(c)))
    {
        return Some(Format::InboxRulesCsv);
    }
    let portal = columns.iter().any(|c| c.starts_with("date"))
        && (has("username") || has("user"))
        && has("ip address");
    if portal || (has("createddatetime") && has("userprincipalname")) {
        return Some(Format::EntraSignInCsv);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        for f in Format::ALL {
            assert_eq!(Format::from_id(f.id()), Some(f));
            assert!(!f.description().is_empty());
        }
        let mut ids: Vec<_> = Format::ALL.iter().map(|f| f.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Format::ALL.len());
        assert_eq!(Format::from_id("nope"), None);
    }

    #[test]
    fn sniffs_ual_csv_variants() {
        let purview = "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n";
        assert_eq!(sniff(purview.as_bytes()), Some(Format::UalPurviewCsv));
        assert_eq!(sniff(b"CreationDate,UserIds,Operations,AuditData\n"), Some(Format::UalLegacyCsv));
        let search = "#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.AuditRecord\n\"CreationDate\",\"UserIds\",\"RecordType\",\"Operations\",\"AuditData\",\"ResultIndex\",\"ResultCount\",\"Identity\",\"IsValid\",\"ObjectState\"\n";
        assert_eq!(sniff(search.as_bytes()), Some(Format::UalSearchCsv));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(purview.as_bytes());
        assert_eq!(sniff(&bom), Some(Format::UalPurviewCsv));
    }

    #[test]
    fn sniffs_utf16_with_bom() {
        let text = "CreationDate,UserIds,Operations,AuditData\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&le), Some(Format::UalLegacyCsv));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(sniff(&be), Some(Format::UalLegacyCsv));
    }

    #[test]
    fn sniffs_other_csv() {
        assert_eq!(
            sniff(b"Received,SenderAddress,RecipientAddress,Subject,Status,FromIP,ToIP,Size,MessageId,MessageTraceId\n"),
            Some(Format::MessageTraceCsv)
        );
        assert_eq!(
            sniff(b"Name;Enabled;Priority;RuleIdentity;MoveToFolder\n"),
            Some(Format::InboxRulesCsv)
        );
        assert_eq!(
            sniff(b"\"Date (UTC)\",\"Request ID\",\"User\",\"Username\",\"IP address\",\"Status\"\n"),
            Some(Format::EntraSignInCsv)
        );
        assert_eq!(sniff(b"a,b,c\n1,2,3\n"), None);
        let historical = "origin_timestamp_utc,sender_address,recipient_status,message_subject,total_bytes,message_id,network_message_id,original_client_ip,original_server_ip,directionality\r\n";
        assert_eq!(sniff(historical.as_bytes()), Some(Format::MessageTraceCsv));
        assert_eq!(sniff(b"receivedDateTime,senderAddress,recipientAddress,subject,status\n"), Some(Format::MessageTraceCsv));
    }

    #[test]
    fn skips_the_same_preamble_lines_as_the_reader() {
        // `#TYPE` lines (any number) and blank lines are skipped; other `#` lines are
        // the header, as the reader takes them.
        let two_types = "#TYPE a\n\n#TYPE b\nName;RuleIdentity\n";
        assert_eq!(sniff(two_types.as_bytes()), Some(Format::InboxRulesCsv));
        assert_eq!(sniff(b"# exported by a tool\nReceived,SenderAddress,RecipientAddress\n"), None);
    }

    #[test]
    fn sniffs_json_shapes() {
        let ual = r#"{"Id":"x","RecordType":1,"CreationTime":"2024-01-01T00:00:00","Operation":"New-InboxRule"}"#;
        assert_eq!(sniff(ual.as_bytes()), Some(Format::UalJson));
        let lower = r#"[{"creationtime":"2022-12-12 22:19:00","operation":"Set-Mailbox","recordtype":1}]"#;
        assert_eq!(sniff(lower.as_bytes()), Some(Format::UalJson));
        let sentinel = r#"{"RecordType":"50","TimeGenerated":"2021-08-02T13:32:07Z","Operation":"MailItemsAccessed","OfficeWorkload":"Exchange","Type":"OfficeActivity"}"#;
        assert_eq!(sniff(sentinel.as_bytes()), Some(Format::UalSentinel));
        let monitor = r#"{"Level":"4","category":"SignInLogs","properties":{"createdDateTime":"x","userPrincipalName":"a@b"}}"#;
        assert_eq!(sniff(monitor.as_bytes()), Some(Format::EntraSignInAzureMonitor));
        let audit = r#"{"category":"AuditLogs","properties":{"activityDateTime":"x","activityDisplayName":"y"}}"#;
        assert_eq!(sniff(audit.as_bytes()), Some(Format::EntraAuditAzureMonitor));
        let graph = r#"{"@odata.context":"x","value":[{"id":"1","createdDateTime":"x","userPrincipalName":"a@b"}]}"#;
        assert_eq!(sniff(graph.as_bytes()), Some(Format::EntraSignInGraph));
        let graph_audit = r#"{"value":[{"activityDateTime":"x","activityDisplayName":"Add user","initiatedBy":{"user":{"userPrincipalName":"a"}}}]}"#;
        assert_eq!(sniff(graph_audit.as_bytes()), Some(Format::EntraAuditGraph));
        let trace = r#"{"Received":"2022-09-05T18:10:13","SenderAddress":"a@b","RecipientAddress":"c@d","MessageTraceId":"x"}"#;
        assert_eq!(sniff(trace.as_bytes()), Some(Format::MessageTraceJson));
        let graph_trace = r#"{"@odata.context":"x","value":[{"id":"1","receivedDateTime":"2024-03-01T10:00:00Z","senderAddress":"a@b","recipientAddress":"c@d","status":"delivered"}]}"#;
        assert_eq!(sniff(graph_trace.as_bytes()), Some(Format::MessageTraceJson));
        let historical = r#"[{"origin_timestamp_utc":"2024-03-01T10:00:00Z","sender_address":"a@b","recipient_status":"c@d##Receive, Deliver"}]"#;
        assert_eq!(sniff(historical.as_bytes()), Some(Format::MessageTraceJson));
        let rules = "[\n {\n  \"Name\": \"x\",\n  \"RuleIdentity\": \"123\"\n }\n]";
        assert_eq!(sniff(rules.as_bytes()), Some(Format::InboxRulesJson));
        assert_eq!(sniff(br#"{"Timestamp":"x","DeviceName":"y"}"#), None);
    }

    #[test]
    fn refuses_binary_and_empty() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\x00\x01\x02PK\x03\x04garbage"), None);
        assert_eq!(sniff(b"   \n  "), None);
    }
}
