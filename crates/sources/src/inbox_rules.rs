//! `Get-InboxRule` exports: the rules of a mailbox as they stood when exported.
//!
//! Shapes read (field names matched ignoring ASCII case):
//! - `Export-Csv` files (the framing skips a leading `#TYPE ...` line), where a
//!   multi-valued cell is written `{a@x.fr, b@y.fr}`, `[a@x.fr]`, `a;b`, or as
//!   Exchange shows recipients, `"Jane Doe" [SMTP:jane@x.fr]` / `Jane <jane@x.fr>`;
//! - `ConvertTo-Json` output: objects whose values may be arrays or null.
//!
//! Each rule becomes an [`Action::InboxRule`] with `change = Listed`. The account is
//! the mailbox: `MailboxOwnerId` or the mailbox part of `Identity` (`owner\RuleName`),
//! preferring whichever is an address. An export carries no time of its own: the
//! rule's `WhenChanged` is used when present, else the export file's modification time;
//! a record with neither is an error.
//!
//! A cell PowerShell could not flatten (`System.Collections.ArrayList`...) is kept as a
//! single value, so a forwarding rule never looks empty.

use mailcase_model::{Account, Action, Event, InboxRule, RawRecord, RuleChange, SourceKind};
use serde_json::Value;

use crate::RecordCtx;
use crate::fields::{self, Object};

/// Conditions and exceptions kept from a rule, by their `Get-InboxRule` names.
const CONDITIONS: &[&str] = &[
    "From",
    "FromAddressContainsWords",
    "SentTo",
    "SubjectContainsWords",
    "BodyContainsWords",
    "SubjectOrBodyContainsWords",
    "HeaderContainsWords",
    "RecipientAddressContainsWords",
    "MyNameInToBox",
    "MyNameInCcBox",
    "MyNameInToOrCcBox",
    "MyNameNotInToBox",
    "SentOnlyToMe",
    "HasAttachment",
    "FlaggedForAction",
    "WithImportance",
    "WithSensitivity",
    "MessageTypeMatches",
    "FromSubscription",
    "HasClassification",
    "ReceivedAfterDate",
    "ReceivedBeforeDate",
    "WithinSizeRangeMinimum",
    "WithinSizeRangeMaximum",
];

/// Conditions whose values are addresses (display names and brackets removed).
const ADDRESS_CONDITIONS: &[&str] = &["From", "SentTo"];

/// Turns one exported rule (JSON text) into an event.
pub(crate) fn to_event(json: &str, ctx: &RecordCtx) -> Result<Event, String> {
    let rec = fields::parse_object(json)?;
    let time = match fields::text_of(&rec, &["WhenChanged", "WhenChangedUTC"]) {
        Some(raw) => fields::timestamp(&raw, ctx)
            .ok_or_else(|| format!("unreadable WhenChanged {}", fields::quote(&raw)))?,
        None => ctx
            .file_time
            .ok_or("no time: the rule has no WhenChanged and the export file's time is unknown")?,
    };
    let rule = read_rule(&rec);
    // `MailboxOwnerId` is often a display name ("Pierre MORVAN"): that is not an
    // account, and would not join with the other sources' addresses.
    let account = rule.mailbox.as_deref().filter(|m| !m.trim().contains(char::is_whitespace)).and_then(Account::new);
    let mut event = Event::new(
        ctx.at,
        time,
        SourceKind::InboxRules,
        Action::InboxRule(rule),
        RawRecord(json.to_owned()),
    );
    event.account = account;
    Ok(event)
}

fn read_rule(rec: &Object) -> InboxRule {
    let flag = |key: &str| fields::get(rec, key).and_then(fields::boolish);
    let addresses = |key: &str| {
        values(rec, key)
            .iter()
            .map(|v| address(v))
            .filter(|a| !a.is_empty())
            .collect()
    };
    let mut rule = InboxRule::new(RuleChange::Listed);
    rule.name = fields::text_of(rec, &["Name"]);
    rule.mailbox = mailbox(rec);
    rule.enabled = flag("Enabled");
    rule.conditions = conditions(rec);
    rule.forward_to = addresses("ForwardTo");
    rule.forward_as_attachment_to = addresses("ForwardAsAttachmentTo");
    rule.redirect_to = addresses("RedirectTo");
    rule.move_to_folder = fields::text_of(rec, &["MoveToFolder"]);
    rule.copy_to_folder = fields::text_of(rec, &["CopyToFolder"]);
    rule.delete = flag("DeleteMessage") == Some(true) || flag("SoftDeleteMessage") == Some(true);
    rule.mark_as_read = flag("MarkAsRead") == Some(true);
    rule.stop_processing = flag("StopProcessingRules") == Some(true);
    rule
}

/// `MailboxOwnerId`, or the part of `Identity` before the last backslash; an address
/// is preferred over a display name or alias.
fn mailbox(rec: &Object) -> Option<String> {
    let owner = fields::text_of(rec, &["MailboxOwnerId"]);
    let from_identity = fields::text_of(rec, &["Identity"])
        .and_then(|id| id.rsplit_once('\\').map(|(mailbox, _)| mailbox.to_owned()))
        .filter(|m| !m.trim().is_empty());
    let is_address = |s: &Option<String>| s.as_deref().is_some_and(|s| s.contains('@'));
    if !is_address(&owner) && is_address(&from_identity) {
        from_identity
    } else {
        owner.or(from_identity)
    }
}

/// The conditions, then the exceptions (`ExceptIf...`), that are set: non-empty
/// values, booleans only when true.
fn conditions(rec: &Object) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for prefix in ["", "ExceptIf"] {
        for base in CONDITIONS {
            let name = format!("{prefix}{base}");
            let Some(value) = fields::get(rec, &name) else {
                continue;
            };
            if fields::boolish(value) == Some(false) {
                continue;
            }
            let mut items = values(rec, &name);
            if ADDRESS_CONDITIONS.contains(base) {
                items = items.iter().map(|v| address(v)).collect();
            }
            items.retain(|v| !v.is_empty());
            if !items.is_empty() {
                found.push((name, items));
            }
        }
    }
    found
}

/// The values of a multi-valued field: JSON array elements, or a cell split on commas
/// and semicolons outside quotes and brackets.
fn values(rec: &Object, key: &str) -> Vec<String> {
    match fields::get(rec, key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(item_text)
            .flat_map(|s| split_list(&s))
            .collect(),
        Some(Value::String(s)) => split_list(s),
        Some(other) => fields::text(other).into_iter().collect(),
        None => Vec::new(),
    }
}

/// An array element: a scalar, or an object naming an address.
fn item_text(item: &Value) -> Option<String> {
    match item {
        Value::Object(obj) => fields::text_of(
            obj,
            &[
                "Address",
                "PrimarySmtpAddress",
                "SmtpAddress",
                "EmailAddress",
                "Name",
            ],
        ),
        other => fields::text(other),
    }
}

/// Splits `{a, b}`, `[a]`, `a;b` into trimmed, non-empty items. Separators inside
/// double quotes, `[...]` or `<...>` do not split (`"Doe, Jane" [SMTP:jane@x.fr]`).
pub(crate) fn split_list(cell: &str) -> Vec<String> {
    let trimmed = cell.trim();
    let inner = strip_wrapper(trimmed, '{', '}')
        .or_else(|| strip_wrapper(trimmed, '[', ']'))
        .unwrap_or(trimmed);
    let mut items = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut depth) = (false, 0u32);
    for c in inner.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '<' if !quoted => depth += 1,
            ']' | '>' if !quoted => depth = depth.saturating_sub(1),
            ',' | ';' if !quoted && depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `inner` when `text` is `open inner close` with no other `open` inside (so that
/// `[a] [b]` is not taken for one wrapped list).
fn strip_wrapper(text: &str, open: char, close: char) -> Option<&str> {
    let inner = text.strip_prefix(open)?.strip_suffix(close)?;
    (!inner.contains(open)).then_some(inner)
}

/// The address in `"Jane" [SMTP:jane@x.fr]`, `Jane <jane@x.fr>`, `[jane@x.fr]` or
/// `jane@x.fr`; other forms (`[EX:/o=...]` legacy names) keep their inner text.
pub(crate) fn address(item: &str) -> String {
    let text = item.trim();
    let upper = text.to_ascii_uppercase();
    if let Some(at) = upper.find("SMTP:") {
        let rest = text.get(at + 5..).unwrap_or_default();
        return rest.split(']').next().unwrap_or_default().trim().to_owned();
    }
    if let (Some(open), Some(close)) = (text.rfind('<'), text.rfind('>'))
        && open < close
    {
        return text
            .get(open + 1..close)
            .unwrap_or_default()
            .trim()
            .to_owned();
    }
    if let (Some(open), Some(close)) = (text.rfind('['), text.rfind(']'))
        && open < close
    {
        let inner = text.get(open + 1..close).unwrap_or_default().trim();
        return inner
            .split_once(':')
            .filter(|(kind, _)| kind.eq_ignore_ascii_case("EX"))
            .map_or(inner, |(_, rest)| rest)
            .to_owned();
    }
    text.trim_matches('"').trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use mailcase_model::EvidenceRef;

    use crate::time::DateOrder;

    fn ctx(file_time: Option<&str>) -> RecordCtx {
        RecordCtx {
            at: EvidenceRef {
                evidence: 4,
                record: 3,
            },
            date_order: DateOrder::MonthFirst,
            file_time: file_time.map(utc),
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn rule(e: &Event) -> &InboxRule {
        match &e.action {
            Action::InboxRule(r) => r,
            other => panic!("{other:?}"),
        }
    }

    const CSV_ROW: &str = r#"{"Name":".","Enabled":"True","Priority":"1","RuleIdentity":"1234567890",
        "StopProcessingRules":"True","MoveToFolder":"RSS Subscriptions","RedirectTo":"",
        "ForwardTo":"{\"Doe, John\" [SMTP:john@evil.example], Jane <jane@partner.example>}",
        "ForwardAsAttachmentTo":"[x@evil.example]","MarkAsRead":"True","DeleteMessage":"False",
        "SoftDeleteMessage":"False","From":"","SubjectContainsWords":"{facture, virement, RIB}",
        "BodyContainsWords":"invoice;payment","SubjectOrBodyContainsWords":"","HasAttachment":"False",
        "ExceptIfFrom":"boss@contoso.fr","MailboxOwnerId":"Jane Doe","Identity":"Jane@Contoso.fr\\1234567890",
        "Description":"If the subject includes 'facture'..."}"#;

    #[test]
    fn csv_row_with_multi_valued_cells() {
        let e = to_event(CSV_ROW, &ctx(Some("2024-03-15T10:00:00Z"))).unwrap();
        assert_eq!(e.time, utc("2024-03-15T10:00:00Z"));
        assert_eq!(e.source, SourceKind::InboxRules);
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("jane@contoso.fr")
        );
        let r = rule(&e);
        assert_eq!(r.change, RuleChange::Listed);
        assert_eq!(r.name.as_deref(), Some("."));
        assert_eq!(r.mailbox.as_deref(), Some("Jane@Contoso.fr"));
        assert_eq!(r.enabled, Some(true));
        assert_eq!(
            r.forward_to,
            vec!["john@evil.example", "jane@partner.example"]
        );
        assert_eq!(r.forward_as_attachment_to, vec!["x@evil.example"]);
        assert!(r.redirect_to.is_empty());
        assert_eq!(r.move_to_folder.as_deref(), Some("RSS Subscriptions"));
        assert!(r.mark_as_read && r.stop_processing && !r.delete);
        assert_eq!(
            r.conditions,
            vec![
                (
                    "SubjectContainsWords".to_owned(),
                    vec!["facture".to_owned(), "virement".into(), "RIB".into()]
                ),
                (
                    "BodyContainsWords".to_owned(),
                    vec!["invoice".to_owned(), "payment".into()]
                ),
                (
                    "ExceptIfFrom".to_owned(),
                    vec!["boss@contoso.fr".to_owned()]
                ),
            ]
        );
    }

    #[test]
    fn truncated_and_retyped_records_never_panic() {
        let sample: String = CSV_ROW.to_owned();
        for (cut, _) in sample.char_indices() {
            let _ = to_event(&sample[..cut], &ctx(Some("2024-03-15T10:00:00Z")));
        }
        let variants = crate::fields::mutations(&sample);
        assert!(variants.len() > 50, "{}", variants.len());
        for variant in variants {
            let _ = to_event(&variant, &ctx(Some("2024-03-15T10:00:00Z")));
        }
    }

    #[test]
    fn json_export_with_arrays_and_nulls() {
        let json = r#"{"Name":"Archive","Enabled":false,"ForwardTo":null,"RedirectTo":["\"Eve\" [SMTP:eve@evil.example]"],
            "SoftDeleteMessage":true,"From":["Bank <noreply@bank.example>"],"SubjectContainsWords":["payment","IBAN"],
            "MailboxOwnerId":"bob@contoso.fr","WhenChanged":"2024-02-01T09:30:00+01:00","MoveToFolder":null}"#;
        let e = to_event(json, &ctx(None)).unwrap();
        assert_eq!(e.time, utc("2024-02-01T08:30:00Z"));
        assert_eq!(
            e.account.as_ref().map(Account::as_str),
            Some("bob@contoso.fr")
        );
        let r = rule(&e);
        assert_eq!(r.enabled, Some(false));
        assert_eq!(r.redirect_to, vec!["eve@evil.example"]);
        assert!(r.forward_to.is_empty());
        assert!(r.delete);
        assert_eq!(r.move_to_folder, None);
        assert_eq!(
            r.conditions[0],
            ("From".to_owned(), vec!["noreply@bank.example".to_owned()])
        );
        assert_eq!(r.conditions[1].1, vec!["payment", "IBAN"]);
    }

    #[test]
    fn when_changed_in_us_locale_wins_over_file_time() {
        let json = r#"{"Name":"x","WhenChanged":"9/20/2023 4:05:03 PM","MailboxOwnerId":"a@b.fr"}"#;
        let e = to_event(json, &ctx(Some("2024-03-15T10:00:00Z"))).unwrap();
        assert_eq!(e.time, utc("2023-09-20T16:05:03Z"));
    }

    #[test]
    fn no_time_at_all_is_an_error() {
        let err = to_event(r#"{"Name":"x"}"#, &ctx(None)).unwrap_err();
        assert!(err.contains("WhenChanged"), "{err}");
        assert!(
            to_event(
                r#"{"Name":"x","WhenChanged":"later"}"#,
                &ctx(Some("2024-03-15T10:00:00Z"))
            )
            .is_err()
        );
        for bad in ["", "[]", "{"] {
            assert!(to_event(bad, &ctx(Some("2024-03-15T10:00:00Z"))).is_err());
        }
    }

    #[test]
    fn mailbox_from_identity_or_owner() {
        let t = Some("2024-03-15T10:00:00Z");
        let owner_only = to_event(r#"{"MailboxOwnerId":"jdoe"}"#, &ctx(t)).unwrap();
        assert_eq!(
            owner_only.account.as_ref().map(Account::as_str),
            Some("jdoe")
        );
        let identity_only = to_event(r#"{"Identity":"Bob@X.fr\\Rule"}"#, &ctx(t)).unwrap();
        assert_eq!(
            identity_only.account.as_ref().map(Account::as_str),
            Some("bob@x.fr")
        );
        let display = to_event(r#"{"MailboxOwnerId":"Pierre MORVAN"}"#, &ctx(t)).unwrap();
        assert_eq!(display.account, None, "a display name is not an account");
        let neither = to_event(r#"{"Identity":"no backslash"}"#, &ctx(t)).unwrap();
        assert_eq!(neither.account, None);
    }

    #[test]
    fn unflattened_powershell_cell_is_kept() {
        let json = r#"{"ForwardTo":"System.Collections.ArrayList","MailboxOwnerId":"a@b.fr"}"#;
        let e = to_event(json, &ctx(Some("2024-03-15T10:00:00Z"))).unwrap();
        assert_eq!(rule(&e).forward_to, vec!["System.Collections.ArrayList"]);
    }

    #[test]
    fn split_and_address_edge_cases() {
        assert_eq!(split_list("{}"), Vec::<String>::new());
        assert_eq!(split_list("[a@x.fr]"), vec!["a@x.fr"]);
        assert_eq!(split_list("a;b, c"), vec!["a", "b", "c"]);
        assert_eq!(
            split_list("\"unterminated, quote"),
            vec!["\"unterminated, quote"]
        );
        assert_eq!(split_list("[a] [b]"), vec!["[a] [b]"]);
        assert_eq!(address("Jane <jane@x.fr>"), "jane@x.fr");
        assert_eq!(address("\"J\" [SMTP:j@x.fr]"), "j@x.fr");
        assert_eq!(
            address("[EX:/o=ExchangeLabs/cn=Recipients/cn=j]"),
            "/o=ExchangeLabs/cn=Recipients/cn=j"
        );
        assert_eq!(address("\"plain@x.fr\""), "plain@x.fr");
        assert_eq!(address("> odd <"), "> odd <");
        assert_eq!(address("SMTP:"), "");
    }
}
