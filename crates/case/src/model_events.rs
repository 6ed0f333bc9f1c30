//! Events read back as [`mailcase_model::Event`]s, for detection: the inverse of
//! [`crate::EventWriter`], streamed in time order.
//!
//! What the table cannot give back: times keep milliseconds only, and a failure's
//! `reason` is not stored (it comes back as `None`).

use mailcase_model::{
    Account, Action, Client, Event, EventId, EvidenceRef, Geo, NetClass, Outcome, RawRecord,
    SourceKind,
};
use serde::Serialize;

use crate::error::{CaseError, Result, SqlContext};
use crate::event_query::{EventFilter, EventRow, read_event_row};
use crate::finding_query::clip;
use crate::findings::from_name;
use crate::store::Case;
use crate::times::from_stored;

/// What [`Case::for_each_model_event_skipping_bad`] left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SkippedRows {
    /// Rows that could not be rebuilt.
    pub count: u64,
    /// The first of them, as a [`CaseError::BadRow`] message naming the event id.
    pub first_error: Option<String>,
}

/// Why one row could not be rebuilt: its id and what is wrong.
type RowProblem = (i64, String);

impl Case {
    /// Streams the events matching `filter` as model events, in time order then id,
    /// without holding them in memory. Stops at the first row that cannot be rebuilt
    /// ([`CaseError::BadRow`] naming the event id) or the first error `visit` returns.
    pub fn for_each_model_event<F>(&self, filter: &EventFilter, mut visit: F) -> Result<()>
    where
        F: FnMut(Event) -> Result<()>,
    {
        self.for_each_rebuilt(filter, |rebuilt| visit(rebuilt?))
    }

    /// As [`Case::for_each_model_event`], but rows that cannot be rebuilt are skipped
    /// and counted, so that detection goes on over the rest.
    pub fn for_each_model_event_skipping_bad<F>(
        &self,
        filter: &EventFilter,
        mut visit: F,
    ) -> Result<SkippedRows>
    where
        F: FnMut(Event) -> Result<()>,
    {
        let mut skipped = SkippedRows::default();
        self.for_each_rebuilt(filter, |rebuilt| match rebuilt {
            Ok(event) => visit(event),
            Err(err) => {
                skipped.count += 1;
                skipped.first_error.get_or_insert_with(|| err.to_string());
                Ok(())
            }
        })?;
        Ok(skipped)
    }

    /// Runs the query and hands each row, rebuilt or not, to `visit`. Errors of the
    /// database itself stop the walk; problems of one row do not.
    fn for_each_rebuilt<F>(&self, filter: &EventFilter, mut visit: F) -> Result<()>
    where
        F: FnMut(Result<Event>) -> Result<()>,
    {
        let path = self.db_path();
        let (sql, values) = filter.select_sql();
        let mut stmt = self.conn().prepare(&sql).at(path)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), |r| Ok(read_loose(r)))
            .at(path)?;
        for row in rows {
            let rebuilt =
                row.at(path)?
                    .and_then(rebuild)
                    .map_err(|(id, message)| CaseError::BadRow {
                        path: path.to_path_buf(),
                        table: "events",
                        row: id,
                        message: format!("event {}: {message}", EventId(id)),
                    });
            visit(rebuilt)?;
        }
        Ok(())
    }
}

/// Reads one row; a column of the wrong type is a problem of this row only.
fn read_loose(r: &rusqlite::Row<'_>) -> std::result::Result<EventRow, RowProblem> {
    let id: i64 = r.get(0).unwrap_or_default();
    read_event_row(r).map_err(|e| (id, clip(&e.to_string()).to_owned()))
}

/// The model event a row stores.
fn rebuild(row: EventRow) -> std::result::Result<Event, RowProblem> {
    let id = row.id;
    let bad = |message: String| (id, message);
    let time =
        from_stored(&row.time).ok_or_else(|| bad(format!("bad time {:?}", clip(&row.time))))?;
    let source = source_kind(&row.source)
        .ok_or_else(|| bad(format!("unknown source {:?}", clip(&row.source))))?;
    let record =
        u64::try_from(row.record).map_err(|_| bad(format!("bad record {}", row.record)))?;
    let action: Action = serde_json::from_str(&row.details)
        .map_err(|e| bad(format!("bad details: {}", clip(&e.to_string()))))?;
    let outcome = outcome(&row.outcome, row.error_code.clone())
        .ok_or_else(|| bad(format!("unknown outcome {:?}", clip(&row.outcome))))?;
    let client = client(&row).map_err(bad)?;
    let geo = geo(&row).map_err(bad)?;
    Ok(Event {
        id: EventId(id),
        time,
        source,
        evidence: EvidenceRef {
            evidence: row.evidence_id,
            record,
        },
        account: row.account.as_deref().and_then(Account::new),
        actor: row.actor,
        action,
        outcome,
        client,
        geo,
        raw: RawRecord(row.raw),
    })
}

/// The source kind stored under `name` ([`SourceKind::as_str`]).
fn source_kind(name: &str) -> Option<SourceKind> {
    // `as_str` is not always the serde name (`entra_signin`): match the known kinds
    // first, then fall back on serde for kinds added to the model later.
    SourceKind::from_name(name)
        .or_else(|| from_name(name))
}

fn outcome(name: &str, code: Option<String>) -> Option<Outcome> {
    match name {
        "success" => Some(Outcome::Success),
        "failure" => Some(Outcome::Failure { code, reason: None }),
        "unknown" => Some(Outcome::Unknown),
        _ => None,
    }
}

fn client(row: &EventRow) -> std::result::Result<Client, String> {
    let ip = match row.ip.as_deref() {
        None => None,
        Some(text) => Some(
            text.parse()
                .map_err(|_| format!("bad ip {:?}", clip(text)))?,
        ),
    };
    let port = match row.port {
        None => None,
        Some(n) => Some(u16::try_from(n).map_err(|_| format!("bad port {n}"))?),
    };
    Ok(Client {
        ip,
        port,
        user_agent: row.user_agent.clone(),
        app_id: row.app_id.clone(),
        app_name: row.app.clone(),
        protocol: row.protocol.clone(),
        session_id: row.session_id.clone(),
        device: row.device.clone(),
    })
}

/// Geo data when any of its columns is set (the writer always sets `net_class`
/// with it; a row edited without it gets the default class).
fn geo(row: &EventRow) -> std::result::Result<Option<Geo>, String> {
    if row.net_class.is_none() && row.country.is_none() && row.asn.is_none() && row.as_org.is_none()
    {
        return Ok(None);
    }
    let net_class = match row.net_class.as_deref() {
        None => NetClass::default(),
        Some(name) => {
            from_name(name).ok_or_else(|| format!("unknown net_class {:?}", clip(name)))?
        }
    };
    let asn = match row.asn {
        None => None,
        Some(n) => Some(u32::try_from(n).map_err(|_| format!("bad asn {n}"))?),
    };
    Ok(Some(Geo {
        country: row.country.clone(),
        asn,
        as_org: row.as_org.clone(),
        net_class,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{evidence, new_case, new_rule, sign_in};
    use chrono::{TimeZone, Utc};
    use mailcase_model::{
        AppConsent, DeleteKind, ForwardingChange, InboxRule, MailAccess, MailDeleted, MailSent,
        MessageTrace, Permission, PermissionScope, RuleChange, SendKind, SignIn,
    };

    /// One action of every variant, with its fields filled.
    fn every_action() -> Vec<Action> {
        let mut rule = InboxRule::new(RuleChange::Modified);
        rule.conditions = vec![(
            "From".into(),
            vec!["a@b.fr".into(), "=cmd|' /C calc'!A0".into()],
        )];
        rule.forward_to = vec!["x@evil.example".into()];
        rule.enabled = Some(true);
        let params = vec![("AuditEnabled".to_owned(), "False".to_owned())];
        vec![
            Action::SignIn(SignIn {
                interactive: Some(false),
                client_app: Some("IMAP4".into()),
                auth_protocol: Some("ropc".into()),
                mfa: Some(false),
                resource: None,
            }),
            Action::InboxRule(rule),
            Action::Forwarding(ForwardingChange {
                mailbox: None,
                target: Some("x@evil.example".into()),
                keep_copy: Some(true),
            }),
            Action::Forwarding(ForwardingChange {
                mailbox: Some("a".into()),
                target: None,
                keep_copy: None,
            }),
            Action::TransportRule {
                change: RuleChange::Created,
                name: Some("t".into()),
                recipients: vec!["r@x".into()],
            },
            Action::Permission(Permission {
                granted: false,
                mailbox: Some("m".into()),
                grantee: None,
                scope: PermissionScope::Folder(None),
                rights: vec!["ReadItems".into()],
            }),
            Action::Permission(Permission {
                granted: true,
                mailbox: None,
                grantee: Some("g".into()),
                scope: PermissionScope::SendAs,
                rights: vec![],
            }),
            Action::AppConsent(AppConsent {
                app_id: Some("id".into()),
                app_name: Some("Evil".into()),
                scopes: vec!["Mail.Read".into()],
                admin_consent: Some(true),
            }),
            Action::AppCredentialAdded {
                app: Some("app".into()),
            },
            Action::MfaMethod {
                added: true,
                method: Some("Phone".into()),
            },
            Action::Password { reset: true },
            Action::MailSent(MailSent {
                kind: SendKind::SendOnBehalf,
                subject: Some("Facture \u{202e}fdp.exe".into()),
                message_id: None,
            }),
            Action::MailAccessed(MailAccess {
                count: 7,
                access_type: Some("Bind".into()),
                folders: vec!["Inbox".into()],
                message_ids: vec!["<a@b>".into()],
            }),
            Action::MailDeleted(MailDeleted {
                kind: DeleteKind::SoftDelete,
                count: 2,
                folder: None,
                subjects: vec!["s".into()],
            }),
            Action::MailMoved {
                to_folder: Some("RSS".into()),
                count: 4,
            },
            Action::Search {
                query: Some("password".into()),
            },
            Action::Export { what: None },
            Action::AuditConfigChanged {
                operation: "Set-Mailbox".into(),
                parameters: params.clone(),
            },
            Action::MailboxSettings {
                operation: "Set-CASMailbox".into(),
                parameters: params,
            },
            Action::AccountCreated,
            Action::AccountDisabled,
            Action::AccountEnabled,
            Action::RoleChanged {
                added: true,
                role: Some("Global Administrator".into()),
            },
            Action::MessageTrace(MessageTrace {
                sender: Some("s@x".into()),
                size: Some(1234),
                ..Default::default()
            }),
            Action::Other {
                operation: "FooBar".into(),
            },
        ]
    }

    fn event_with(ev: i64, record: u64, action: Action) -> Event {
        let mut e = sign_in(ev, record, "Debra@example.fr", 0, record.is_multiple_of(2));
        // Times in reverse record order, so time order is not id order.
        e.time = Utc.with_ymd_and_hms(2023, 9, 20, 4, 0, 0).unwrap()
            + chrono::Duration::milliseconds(100_000 - record as i64 * 1001);
        e.action = action;
        e.actor = record.is_multiple_of(3).then(|| "admin@example.fr".into());
        e.client.app_id = Some("00000002-0000-0ff1-ce00-000000000000".into());
        e.client.app_name = Some("Outlook".into());
        e.client.protocol = Some("REST".into());
        e.client.session_id = Some("sess".into());
        e.client.device = Some("Windows".into());
        if record.is_multiple_of(4) {
            e.geo = None;
            e.client = Client::default();
            e.outcome = Outcome::Unknown;
        }
        e
    }

    fn read_all(case: &Case, filter: &EventFilter) -> Vec<Event> {
        let mut out = Vec::new();
        case.for_each_model_event(filter, |e| {
            out.push(e);
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn every_action_comes_back_equal_in_time_order() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let mut events: Vec<Event> = every_action()
            .into_iter()
            .zip(1..)
            .map(|(a, record)| event_with(ev, record, a))
            .collect();
        events.push(new_rule(ev, 99, "x@y.fr", 59));
        events.push(new_rule(ev, 98, "x@y.fr", 59));
        case.event_writer(false).unwrap().write(&events).unwrap();
        events.sort_by_key(|e| (e.time, e.id));
        let back = read_all(&case, &EventFilter::default());
        assert_eq!(back.len(), events.len());
        for (got, want) in back.iter().zip(&events) {
            assert_eq!(got, want, "{}", want.action.name());
        }
        let only = EventFilter {
            account: Some("X@Y.FR".into()),
            ..Default::default()
        };
        let ids: Vec<_> = read_all(&case, &only)
            .iter()
            .map(|e| e.evidence.record)
            .collect();
        assert_eq!(ids, vec![98, 99], "same time: by id");
    }

    #[test]
    fn a_failure_reason_is_not_stored() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let mut e = sign_in(ev, 1, "a@x.fr", 1, false);
        e.outcome = Outcome::Failure {
            code: Some("50126".into()),
            reason: Some("bad password".into()),
        };
        case.event_writer(false)
            .unwrap()
            .write(std::slice::from_ref(&e))
            .unwrap();
        let back = read_all(&case, &EventFilter::default());
        assert_eq!(
            back[0].outcome,
            Outcome::Failure {
                code: Some("50126".into()),
                reason: None
            }
        );
    }

    #[test]
    fn bad_rows_stop_the_strict_walk_and_are_counted_by_the_lenient_one() {
        let (dir, case) = new_case();
        let ev = evidence(&case, &dir, "{}");
        let events: Vec<_> = (1..=5)
            .map(|r| sign_in(ev, r, "a@x.fr", r as u32, true))
            .collect();
        case.event_writer(false).unwrap().write(&events).unwrap();
        let edits = [
            (
                "UPDATE events SET details = '{\"type\":\"nope\"}' WHERE id = ?1",
                &events[1],
            ),
            ("UPDATE events SET port = 'high' WHERE id = ?1", &events[2]),
            (
                "UPDATE events SET outcome = 'maybe', ip = 'x' WHERE id = ?1",
                &events[3],
            ),
        ];
        for (sql, e) in edits {
            case.conn().execute(sql, [e.id.0]).unwrap();
        }
        let err = case
            .for_each_model_event(&EventFilter::default(), |_| Ok(()))
            .unwrap_err();
        let CaseError::BadRow { table, row, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!((*table, *row), ("events", events[1].id.0));
        assert!(err.to_string().contains(&events[1].id.to_string()), "{err}");
        let mut seen = Vec::new();
        let skipped = case
            .for_each_model_event_skipping_bad(&EventFilter::default(), |e| {
                seen.push(e.evidence.record);
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, vec![1, 5]);
        assert_eq!(skipped.count, 3);
        assert!(skipped.first_error.unwrap().contains("nope"));
    }

    #[test]
    fn every_source_name_is_known() {
        for name in [
            "m365_ual",
            "entra_signin",
            "entra_audit",
            "exo_message_trace",
            "inbox_rules",
            "google_workspace",
            "dovecot",
            "postfix",
            "zimbra",
            "exchange_iis",
            "exchange_tracking",
            "web_proxy",
            "manual",
        ] {
            assert_eq!(source_kind(name).map(SourceKind::as_str), Some(name));
        }
        assert_eq!(
            source_kind("entra_sign_in"),
            Some(SourceKind::EntraSignIn),
            "serde name"
        );
        assert_eq!(source_kind("smoke_signals"), None);
    }
}
