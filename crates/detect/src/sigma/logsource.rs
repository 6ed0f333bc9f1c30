//! Which of our evidence sources a rule's `logsource` applies to.
//!
//! | rule logsource | sources |
//! |---|---|
//! | product `m365` / `microsoft365` / `office365` (any service: `audit`, `exchange`, `threat_management`, `threat_detection`...) | `m365_ual` |
//! | product `azure`, service `signinlogs` | `entra_signin` |
//! | product `azure`, service `auditlogs` | `entra_audit` |
//! | product `azure`, service `riskdetection` | `entra_signin` (the sign-in's `riskEventTypes_v2`) |
//! | product `azure`, service `activitylogs` / `pim` | unsupported: no such evidence is read |
//! | product `google_workspace`, or product `gcp` with service `gworkspace` / `google_workspace*` | `google_workspace` |
//! | product `mailcase`, no service | every source |
//! | product `mailcase`, service = a source name (`m365_ual`, `inbox_rules`...) | that source |
//! | product `windows`, service `msexchange-management` | unsupported: Windows event logs are not read |
//! | anything else | unknown logsource |
//!
//! The m365 service is not narrowed to a workload: the rules' own conditions on
//! `Workload` / `Operation` already do, and UAL exports mix all workloads in one file.

use mailcase_model::SourceKind;
use rsigma_parser::LogSource;

/// Every source a rule can apply to, in a fixed order.
pub(crate) const ALL_SOURCES: [SourceKind; 13] = [
    SourceKind::M365Ual,
    SourceKind::EntraSignIn,
    SourceKind::EntraAudit,
    SourceKind::ExoMessageTrace,
    SourceKind::InboxRules,
    SourceKind::GoogleWorkspace,
    SourceKind::Dovecot,
    SourceKind::Postfix,
    SourceKind::Zimbra,
    SourceKind::ExchangeIis,
    SourceKind::ExchangeTracking,
    SourceKind::WebProxy,
    SourceKind::Manual,
];

/// Why a logsource cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Known, but about evidence mailcase does not read.
    Unsupported(String),
    /// Not known at all.
    Unknown(String),
}

/// The sources a logsource applies to.
pub(crate) fn sources_for(ls: &LogSource) -> Result<Vec<SourceKind>, Refusal> {
    let product = ls.product.as_deref().map(str::to_ascii_lowercase).unwrap_or_default();
    let service = ls.service.as_deref().map(str::to_ascii_lowercase).unwrap_or_default();
    match product.as_str() {
        "m365" | "microsoft365" | "office365" => Ok(vec![SourceKind::M365Ual]),
        "azure" => azure(&service),
        "google_workspace" => Ok(vec![SourceKind::GoogleWorkspace]),
        "gcp" if service == "gworkspace" || service.starts_with("google_workspace") => {
            Ok(vec![SourceKind::GoogleWorkspace])
        }
        "mailcase" => mailcase(&service),
        "windows" if service.starts_with("msexchange") => Err(Refusal::Unsupported(format!(
            "windows/{service}: Exchange on-premises management event log; mailcase reads no \
             Windows event logs (use the Exchange IIS and message tracking sources)"
        ))),
        _ => Err(Refusal::Unknown(describe(ls))),
    }
}

fn azure(service: &str) -> Result<Vec<SourceKind>, Refusal> {
    match service {
        "signinlogs" | "riskdetection" => Ok(vec![SourceKind::EntraSignIn]),
        "auditlogs" => Ok(vec![SourceKind::EntraAudit]),
        "activitylogs" => Err(Refusal::Unsupported(
            "azure/activitylogs: Azure resource (ARM) activity log, not mailbox or identity \
             evidence; mailcase has no reader for it"
                .into(),
        )),
        "pim" => Err(Refusal::Unsupported(
            "azure/pim: Privileged Identity Management alerts; mailcase has no reader for them \
             (PIM role activations are read from the Entra audit log)"
                .into(),
        )),
        other => Err(Refusal::Unknown(format!("azure/{other}"))),
    }
}

fn mailcase(service: &str) -> Result<Vec<SourceKind>, Refusal> {
    if service.is_empty() {
        return Ok(ALL_SOURCES.to_vec());
    }
    ALL_SOURCES
        .iter()
        .find(|s| s.as_str() == service)
        .map(|s| vec![*s])
        .ok_or_else(|| Refusal::Unknown(format!("mailcase/{service}: not a source name")))
}

fn describe(ls: &LogSource) -> String {
    let part = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    format!(
        "product {}, service {}, category {}",
        part(&ls.product),
        part(&ls.service),
        part(&ls.category)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(product: &str, service: &str) -> LogSource {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        LogSource { product: opt(product), service: opt(service), ..LogSource::default() }
    }

    #[test]
    fn maps_the_public_logsources() {
        assert_eq!(sources_for(&ls("m365", "exchange")), Ok(vec![SourceKind::M365Ual]));
        assert_eq!(sources_for(&ls("azure", "signinlogs")), Ok(vec![SourceKind::EntraSignIn]));
        assert_eq!(sources_for(&ls("azure", "auditlogs")), Ok(vec![SourceKind::EntraAudit]));
        assert_eq!(sources_for(&ls("Azure", "RiskDetection")), Ok(vec![SourceKind::EntraSignIn]));
        let gw = Ok(vec![SourceKind::GoogleWorkspace]);
        assert_eq!(sources_for(&ls("gcp", "google_workspace.admin")), gw);
        assert_eq!(sources_for(&ls("mailcase", "")).map(|v| v.len()), Ok(ALL_SOURCES.len()));
        assert_eq!(sources_for(&ls("mailcase", "inbox_rules")), Ok(vec![SourceKind::InboxRules]));
    }

    #[test]
    fn refuses_with_a_reason() {
        assert!(matches!(sources_for(&ls("azure", "activitylogs")), Err(Refusal::Unsupported(_))));
        let exchange = sources_for(&ls("windows", "msexchange-management"));
        assert!(matches!(exchange, Err(Refusal::Unsupported(r)) if r.contains("Windows event")));
        assert!(matches!(sources_for(&ls("linux", "")), Err(Refusal::Unknown(_))));
        assert!(matches!(sources_for(&ls("mailcase", "nope")), Err(Refusal::Unknown(_))));
    }
}
