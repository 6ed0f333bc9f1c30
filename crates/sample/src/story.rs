//! The business e-mail compromise: spray, phishing, AiTM sign-in, session replay, hiding
//! rule, mail theft, MFA and app persistence, forwarding, the fraudulent mail, and the
//! administrator's response. Times are chosen relative to the phishing day.

use crate::clock::paris_to_utc;
use crate::ids;
use crate::network::{self, ClientKind, Network};
use crate::normal::{World, push_signin, trace_row};
use crate::org::{PARTNER, Person, Role};
use crate::output::Batch;
use crate::records::{self, Access, FolderAccess, Initiator, SignInResult, Target};
use crate::truth::{Attacker, AttackerIp, KeyTimes, Spray};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use fastrand::Rng;

/// Name of the attacker's inbox rule.
pub(crate) const RULE_NAME: &str = "..";
/// Folder it hides mail in.
pub(crate) const RULE_FOLDER: &str = "Flux RSS";
/// Words it matches.
pub(crate) const RULE_WORDS: [&str; 4] = ["facture", "virement", "RIB", "IBAN"];
/// The legitimate rule several users have.
pub(crate) const LEGIT_RULE: &str = "Newsletters";
const INVOICE_SUBJECT: &str = "Facture n° 2025-0412 – relance, pénalités de retard";
const PHISH_SUBJECT: &str =
    "Action requise : votre boîte aux lettres sera suspendue, \"vérifiez\" votre compte";
const FORWARD_TO: &str = "compta.hopital.exemple@gmx.fr";

/// What the story produced besides its records.
#[derive(Debug)]
pub(crate) struct StoryFacts {
    /// Attacker artefacts.
    pub attacker: Attacker,
    /// Key times.
    pub times: KeyTimes,
    /// The spray.
    pub spray: Spray,
    /// Phishing recipients.
    pub recipients: Vec<String>,
    /// The inbox rule export of the victim, taken before containment.
    pub rules_csv_rows: Vec<[String; 20]>,
}

/// Days of the story, from the phishing day.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StoryDays {
    /// The day the phishing mail arrives.
    pub phish: NaiveDate,
    /// First day of the period.
    pub first: NaiveDate,
}

struct Ctx<'a, 'w> {
    rng: &'a mut Rng,
    w: &'a World<'w>,
    b: &'a mut Batch,
    days: StoryDays,
}

impl Ctx<'_, '_> {
    /// Paris local time on phishing day + `day`.
    fn at(&self, day: i64, h: u32, m: u32) -> DateTime<Utc> {
        paris_to_utc(self.days.phish + Duration::days(day), h * 3600 + m * 60)
    }
}

fn ip_entry(ip: &str, net: &Network, role: &str) -> AttackerIp {
    AttackerIp {
        ip: ip.to_owned(),
        asn: net.asn,
        as_org: net.org.to_owned(),
        country: net.country.to_owned(),
        role: role.to_owned(),
    }
}

/// Writes the whole story into `b` and returns its facts.
pub(crate) fn play(rng: &mut Rng, w: &World, b: &mut Batch, days: StoryDays) -> StoryFacts {
    let mut c = Ctx { rng, w, b, days };
    let org = w.org;
    let victim = org.with_role(Role::Billing);
    let proxy_ip = network::DIGITALOCEAN.host(c.rng);
    let replay_ip = network::M247.host(c.rng);
    let stolen_session = ids::guid(c.rng);
    legit_rules(&mut c);
    conversation(&mut c, victim);
    let spray = spray(&mut c);
    let recipients = phishing(&mut c, victim);
    let (first, replay) = aitm(&mut c, victim, (&proxy_ip, &replay_ip), &stolen_session);
    let mut times = KeyTimes {
        phish_received: c.at(0, 8, 52),
        first_malicious_signin: first,
        token_replay: replay,
        rule_created: c.at(0, 9, 38),
        mfa_registered: c.at(0, 9, 58),
        app_consented: c.at(0, 10, 6),
        forwarding_set: c.at(0, 10, 15),
        fraudulent_mail_sent: c.at(1, 10, 5),
        lookalike_mail_received: c.at(1, 10, 21),
        containment: c.at(2, 15, 30),
    };
    let replay_access = Access {
        who: victim,
        time: times.rule_created,
        ip: &replay_ip,
        client: ClientKind::AttackerBrowser,
        session: &stolen_session,
    };
    hide_and_steal(&mut c, &replay_access);
    persist(&mut c, &replay_access, &mut times);
    fraud(&mut c, &replay_access);
    let rules_csv_rows = rules_export(victim);
    respond(&mut c, victim);
    let attacker = Attacker {
        ips: vec![
            ip_entry(
                &proxy_ip,
                &network::DIGITALOCEAN,
                "phishing proxy (AiTM sign-in)",
            ),
            ip_entry(
                &replay_ip,
                &network::M247,
                "session replay, rule, mail access, fraud",
            ),
            ip_entry(&spray.ip, &network::VULTR, "password spray"),
        ],
        user_agents: [
            ClientKind::AitmProxy,
            ClientKind::AttackerBrowser,
            ClientKind::EmClient,
            ClientKind::SprayTool,
        ]
        .iter()
        .map(|k| k.look().user_agent.to_owned())
        .collect(),
        countries: vec!["US".into(), "RO".into()],
        phishing_domain: org.phishing_domain.clone(),
        phishing_sender: format!("securite-messagerie@{}", org.phishing_domain),
        phishing_subject: PHISH_SUBJECT.to_owned(),
        org_lookalike_domain: org.lookalike_domain.clone(),
        rule_name: RULE_NAME.to_owned(),
        rule_folder: RULE_FOLDER.to_owned(),
        rule_keywords: RULE_WORDS.iter().map(|s| (*s).to_owned()).collect(),
        forwarding_address: FORWARD_TO.to_owned(),
        consented_app: "eM Client".to_owned(),
        consented_app_id: network::EM_CLIENT_APP.to_owned(),
        stolen_session_id: stolen_session.clone(),
        fraud_subject: format!("RE: {INVOICE_SUBJECT}"),
    };
    StoryFacts {
        attacker,
        times,
        spray,
        recipients,
        rules_csv_rows,
    }
}

/// A few users file newsletters away; the victim too, so its rule export is not empty.
fn legit_rules(c: &mut Ctx) {
    let day = c.days.first + Duration::days(1);
    let org = c.w.org;
    for p in org
        .people
        .iter()
        .filter(|p| matches!(p.role, Role::Billing | Role::Treasury) || p.upn.len() % 5 == 0)
    {
        let sid = ids::guid(c.rng);
        let time = paris_to_utc(day, 11 * 3600 + c.rng.u32(..3600));
        let a = Access {
            who: p,
            time,
            ip: &org.office_ips[0],
            client: ClientKind::Owa,
            session: &sid,
        };
        let params = [
            ("Name", LEGIT_RULE.to_owned()),
            ("From", "newsletter@lettre-sante-exemple.fr".to_owned()),
            ("MoveToFolder", LEGIT_RULE.to_owned()),
            ("StopProcessingRules", "False".to_owned()),
        ];
        let object = format!("{}\\{LEGIT_RULE}", p.upn);
        c.b.ual.push((
            time,
            records::exchange_admin(c.rng, &c.w.tenant, &a, "New-InboxRule", &object, &params),
        ));
    }
}

/// The real exchange between the victim and the partner, two days before the phish.
fn conversation(c: &mut Ctx, victim: &Person) {
    let org = c.w.org;
    let sid = ids::guid(c.rng);
    let steps = [
        (10, 37, false, INVOICE_SUBJECT.to_owned()),
        (10, 50, true, format!("RE: {INVOICE_SUBJECT}")),
        (10, 59, false, format!("RE: RE: {INVOICE_SUBJECT}")),
    ];
    for (h, m, inbound, subject) in steps {
        let time = c.at(-2, h, m);
        if inbound {
            let mid = ids::foreign_message_id(c.rng, PARTNER.domain);
            c.b.trace.push((
                time,
                trace_row(
                    c.rng,
                    time,
                    PARTNER.contact,
                    &victim.upn,
                    &subject,
                    (PARTNER.mx_ip, ""),
                    &mid,
                ),
            ));
            continue;
        }
        let (ip, client) = if m == 59 {
            (victim.mobile_ip.as_str(), ClientKind::OutlookIos)
        } else {
            (org.office_ips[0].as_str(), ClientKind::OutlookDesktop)
        };
        let a = Access {
            who: victim,
            time,
            ip,
            client,
            session: &sid,
        };
        let mid = ids::exo_message_id(c.rng);
        c.b.ual.push((
            time,
            records::send(c.rng, &c.w.tenant, &a, &subject, &mid, 48_213),
        ));
        c.b.trace.push((
            time,
            trace_row(
                c.rng,
                time,
                &victim.upn,
                PARTNER.contact,
                &subject,
                (ip, PARTNER.mx_ip),
                &mid,
            ),
        ));
    }
}

/// Password spray from one VPS, one try per account, one guess right.
fn spray(c: &mut Ctx) -> Spray {
    let org = c.w.org;
    let ip = network::VULTR.host(c.rng);
    let day = (c.days.phish - Duration::days(4)).max(c.days.first);
    let start = paris_to_utc(day, 2 * 3600 + 10 * 60);
    let targets: Vec<&Person> = org
        .people
        .iter()
        .filter(|p| p.role == Role::Staff)
        .take(12)
        .collect();
    let success = targets
        .get(targets.len() / 2)
        .map_or(String::new(), |p| p.upn.clone());
    for (i, p) in targets.iter().enumerate() {
        let time = start + Duration::seconds(i as i64 * 37 + c.rng.i64(0..20));
        let sid = ids::guid(c.rng);
        let a = Access {
            who: p,
            time,
            ip: &ip,
            client: ClientKind::SprayTool,
            session: &sid,
        };
        let error = if p.upn == success {
            None
        } else {
            Some((
                50126,
                "Invalid username or password or Invalid on-premise username or password.",
            ))
        };
        let r = SignInResult {
            interactive: true,
            error,
            mfa: false,
            risk: "none",
        };
        push_signin(c.rng, c.w, c.b, &a, &r, &network::PISCATAWAY, true);
    }
    Spray {
        ip,
        asn: network::VULTR.asn,
        country: network::VULTR.country.to_owned(),
        start,
        targets: targets.iter().map(|p| p.upn.clone()).collect(),
        success,
    }
}

/// The phishing mail reaches the victim and a few colleagues.
fn phishing(c: &mut Ctx, victim: &Person) -> Vec<String> {
    let org = c.w.org;
    let from = format!("securite-messagerie@{}", org.phishing_domain);
    let mid = ids::foreign_message_id(c.rng, &org.phishing_domain);
    let sender_ip = network::HETZNER.host(c.rng);
    let mut to: Vec<String> = vec![victim.upn.clone()];
    to.extend(
        org.people
            .iter()
            .filter(|p| p.role == Role::Staff)
            .rev()
            .take(5)
            .map(|p| p.upn.clone()),
    );
    for (i, r) in to.iter().enumerate() {
        let time = c.at(0, 8, 52) + Duration::seconds(i as i64 * 2);
        let mut row = trace_row(c.rng, time, &from, r, PHISH_SUBJECT, (&sender_ip, ""), &mid);
        if i == to.len() - 1 {
            row.status = "FilteredAsSpam";
        }
        c.b.trace.push((time, row));
    }
    to
}

/// The victim signs in through the proxy; the stolen session is replayed elsewhere.
fn aitm(
    c: &mut Ctx,
    victim: &Person,
    (proxy, replay): (&str, &str),
    session: &str,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = c.at(0, 9, 14);
    let a = Access {
        who: victim,
        time: first,
        ip: proxy,
        client: ClientKind::AitmProxy,
        session,
    };
    let r = SignInResult {
        interactive: true,
        error: None,
        mfa: true,
        risk: "none",
    };
    push_signin(c.rng, c.w, c.b, &a, &r, &network::NEW_YORK, true);
    let replay_time = c.at(0, 9, 31);
    let b = Access {
        who: victim,
        time: replay_time,
        ip: replay,
        client: ClientKind::AttackerBrowser,
        session,
    };
    let r = SignInResult {
        interactive: false,
        error: None,
        mfa: true,
        risk: "none",
    };
    push_signin(c.rng, c.w, c.b, &b, &r, &network::BUCHAREST, true);
    (first, replay_time)
}

/// The hiding rule, a sync of the mailbox, and searches for money words.
fn hide_and_steal(c: &mut Ctx, a: &Access) {
    let t = &c.w.tenant;
    let params = [
        ("AlwaysDeleteOutlookRulesBlob", "True".to_owned()),
        ("Force", "False".to_owned()),
        ("Name", RULE_NAME.to_owned()),
        ("From", PARTNER.contact.to_owned()),
        ("SubjectOrBodyContainsWords", RULE_WORDS.join(";")),
        ("MoveToFolder", RULE_FOLDER.to_owned()),
        ("MarkAsRead", "True".to_owned()),
        ("StopProcessingRules", "True".to_owned()),
    ];
    let object = format!(
        "EURP192A001.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/{}/{}\\{RULE_NAME}",
        t.name, a.who.mailbox_guid
    );
    c.b.ual.push((
        a.time,
        records::exchange_admin(c.rng, t, a, "New-InboxRule", &object, &params),
    ));
    for (i, path) in [
        "\\Inbox",
        "\\Sent Items",
        "\\Archive",
        "\\Inbox",
        "\\Sent Items",
        "\\Deleted Items",
    ]
    .iter()
    .enumerate()
    {
        let time = c.at(0, 9, 40) + Duration::seconds(i as i64 * 47);
        let items = (0..c.rng.usize(20..60))
            .map(|_| (ids::exo_message_id(c.rng), c.rng.u32(4_000..900_000)))
            .collect();
        let a = Access { time, ..*a };
        c.b.ual.push((
            time,
            records::mail_items_accessed(c.rng, t, &a, true, &[FolderAccess { path, items }]),
        ));
    }
    for (i, q) in ["facture", "virement", "RIB", "IBAN", "clinique-du-parc"]
        .iter()
        .enumerate()
    {
        let time = c.at(0, 9, 52) + Duration::seconds(i as i64 * 41);
        let a = Access { time, ..*a };
        c.b.ual.push((time, records::search_query(c.rng, t, &a, q)));
        let items = vec![(ids::exo_message_id(c.rng), c.rng.u32(20_000..300_000))];
        c.b.ual.push((
            time + Duration::seconds(9),
            records::mail_items_accessed(
                c.rng,
                t,
                &a,
                false,
                &[FolderAccess {
                    path: "\\Inbox",
                    items,
                }],
            ),
        ));
    }
}

/// MFA method, app consent and forwarding: ways back in and out.
fn persist(c: &mut Ctx, a: &Access, times: &mut KeyTimes) {
    let t = &c.w.tenant;
    let by = Initiator {
        who: a.who,
        ip: a.ip,
    };
    let mfa = (
        "User registered security info",
        "UserManagement",
        "Authentication Methods",
    );
    let v = records::directory_audit(
        c.rng,
        times.mfa_registered,
        mfa,
        &by,
        &Target::user(a.who),
        &[(
            "StrongAuthenticationMethod",
            "[]",
            "[{\"MethodType\":6,\"Default\":true}]",
        )],
    );
    c.b.audits.push((times.mfa_registered, v));
    let ma = Access {
        time: times.mfa_registered,
        ..*a
    };
    c.b.ual.push((
        ma.time,
        records::aad_operation(
            c.rng,
            t,
            &ma,
            "User registered security info.",
            a.who,
            &[("StrongAuthenticationMethod", "Authenticator app".into())],
        ),
    ));
    let sp_id = ids::guid(c.rng);
    let app = Target {
        id: &sp_id,
        name: "eM Client",
        kind: "ServicePrincipal",
        upn: None,
    };
    let consent = (
        "Consent to application",
        "ApplicationManagement",
        "Core Directory",
    );
    let scopes =
        "Scope: Mail.ReadWrite Mail.Send Contacts.ReadWrite offline_access EWS.AccessAsUser.All";
    let v = records::directory_audit(
        c.rng,
        times.app_consented,
        consent,
        &by,
        &app,
        &[
            ("ConsentContext.IsAdminConsent", "", "False"),
            ("ConsentAction.Permissions", "", scopes),
        ],
    );
    c.b.audits.push((times.app_consented, v));
    let ca = Access {
        time: times.app_consented,
        ..*a
    };
    c.b.ual.push((
        ca.time,
        records::aad_operation(
            c.rng,
            t,
            &ca,
            "Consent to application.",
            a.who,
            &[("ConsentAction.Permissions", scopes.into())],
        ),
    ));
    let fa = Access {
        time: times.forwarding_set,
        ..*a
    };
    let params = [
        ("Identity", a.who.upn.clone()),
        ("ForwardingSmtpAddress", format!("smtp:{FORWARD_TO}")),
        ("DeliverToMailboxAndForward", "True".to_owned()),
    ];
    c.b.ual.push((
        fa.time,
        records::exchange_admin(c.rng, t, &fa, "Set-Mailbox", &a.who.upn, &params),
    ));
    // eM Client then syncs the mailbox every couple of hours until containment.
    let sid = ids::guid(c.rng);
    let mut time = times.app_consented + Duration::minutes(3);
    while time < times.containment {
        let e = Access {
            time,
            client: ClientKind::EmClient,
            session: &sid,
            ..*a
        };
        let r = SignInResult {
            interactive: false,
            error: None,
            mfa: false,
            risk: "none",
        };
        push_signin(c.rng, c.w, c.b, &e, &r, &network::BUCHAREST, true);
        let items = (0..c.rng.usize(5..30))
            .map(|_| (ids::exo_message_id(c.rng), c.rng.u32(4_000..500_000)))
            .collect();
        c.b.ual.push((
            time,
            records::mail_items_accessed(
                c.rng,
                t,
                &e,
                true,
                &[FolderAccess {
                    path: "\\Inbox",
                    items,
                }],
            ),
        ));
        time += Duration::minutes(110 + c.rng.i64(0..40));
    }
    let e = Access {
        time: times.containment + Duration::minutes(75),
        client: ClientKind::EmClient,
        session: &sid,
        ..*a
    };
    let r = SignInResult {
        interactive: false,
        error: Some((
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
        )),
        mfa: false,
        risk: "none",
    };
    push_signin(c.rng, c.w, c.b, &e, &r, &network::BUCHAREST, true);
}

/// The new-bank-details mail, from the victim's mailbox and from the lookalike domain;
/// the partner's answer is then hidden by the rule.
fn fraud(c: &mut Ctx, a: &Access) {
    let org = c.w.org;
    let subject = format!("RE: {INVOICE_SUBJECT}");
    let time = c.at(1, 10, 5);
    let s = Access { time, ..*a };
    let mid = ids::exo_message_id(c.rng);
    c.b.ual.push((
        time,
        records::send(c.rng, &c.w.tenant, &s, &subject, &mid, 187_344),
    ));
    c.b.trace.push((
        time,
        trace_row(
            c.rng,
            time,
            &a.who.upn,
            PARTNER.contact,
            &subject,
            (a.ip, PARTNER.mx_ip),
            &mid,
        ),
    ));
    let local = a.who.upn.split_once('@').map_or("compta", |(l, _)| l);
    let fake = format!("{local}@{}", org.lookalike_domain);
    let treasurer = org.with_role(Role::Treasury);
    let time = c.at(1, 10, 21);
    let mid = ids::foreign_message_id(c.rng, &org.lookalike_domain);
    let ip = network::HETZNER.host(c.rng);
    c.b.trace.push((
        time,
        trace_row(
            c.rng,
            time,
            &fake,
            &treasurer.upn,
            &subject,
            (&ip, ""),
            &mid,
        ),
    ));
    let time = c.at(1, 14, 10);
    let mid = ids::foreign_message_id(c.rng, PARTNER.domain);
    let reply = format!("RE: {subject}");
    c.b.trace.push((
        time,
        trace_row(
            c.rng,
            time,
            PARTNER.contact,
            &a.who.upn,
            &reply,
            (PARTNER.mx_ip, ""),
            &mid,
        ),
    ));
}

/// One exported rule; `(folder, from, words)` are its condition and target, `(stop, read)` its flags.
fn rule_row(
    name: &str,
    priority: u32,
    victim: &Person,
    (folder, from, words): (&str, &str, &str),
    (stop, read): (bool, bool),
) -> [String; 20] {
    let b = |x: bool| {
        if x {
            "True".to_owned()
        } else {
            "False".to_owned()
        }
    };
    let rule_id = format!(
        "{}",
        1_152_921_504_606_846_976u64 + u64::from(priority) * 7_919
    );
    let description = if words.is_empty() {
        format!(
            "If the message:\r\n\tthe message was received from '{from}'\r\nTake the following actions:\r\n\tmove the message to folder '{folder}'\r\n"
        )
    } else {
        format!(
            "If the message:\r\n\tthe message was received from '{from}'\r\n\tor includes specific words in the subject or body '{words}'\r\nTake the following actions:\r\n\tmove the message to folder '{folder}'\r\n\tand mark the message as read\r\n\tand stop processing more rules on this message\r\n"
        )
    };
    [
        name.to_owned(),
        "True".into(),
        priority.to_string(),
        rule_id,
        b(stop),
        format!("{}:\\{folder}", victim.display),
        String::new(),
        String::new(),
        String::new(),
        b(read),
        "False".into(),
        "False".into(),
        from.to_owned(),
        String::new(),
        words.to_owned(),
        String::new(),
        description,
        victim.display.clone(),
        format!("{}\\{name}", victim.display),
        "False".into(),
    ]
}

/// `Get-InboxRule -Mailbox victim | Export-Csv` rows.
fn rules_export(victim: &Person) -> Vec<[String; 20]> {
    vec![
        rule_row(
            LEGIT_RULE,
            1,
            victim,
            (LEGIT_RULE, "newsletter@lettre-sante-exemple.fr", ""),
            (false, false),
        ),
        rule_row(
            RULE_NAME,
            2,
            victim,
            (RULE_FOLDER, PARTNER.contact, &RULE_WORDS.join(";")),
            (true, true),
        ),
    ]
}

/// Header of the inbox rule export.
pub(crate) const RULES_HEADER: [&str; 20] = [
    "Name",
    "Enabled",
    "Priority",
    "RuleIdentity",
    "StopProcessingRules",
    "MoveToFolder",
    "RedirectTo",
    "ForwardTo",
    "ForwardAsAttachmentTo",
    "MarkAsRead",
    "DeleteMessage",
    "SoftDeleteMessage",
    "From",
    "SubjectContainsWords",
    "SubjectOrBodyContainsWords",
    "BodyContainsWords",
    "Description",
    "MailboxOwnerId",
    "Identity",
    "InError",
];

/// The administrator takes the account back.
fn respond(c: &mut Ctx, victim: &Person) {
    let org = c.w.org;
    let admin = org.with_role(Role::Admin);
    let t = &c.w.tenant;
    let sid = ids::guid(c.rng);
    let ip = org.office_ips[1].as_str();
    let by = Initiator { who: admin, ip };
    let steps: [(u32, &str, &str, &str); 3] = [
        (
            30,
            "Reset user password",
            "Reset user password.",
            "PasswordProfile",
        ),
        (
            32,
            "Update user",
            "Update user.",
            "StsRefreshTokensValidFrom",
        ),
        (
            35,
            "Admin deleted security info",
            "Admin deleted security info.",
            "StrongAuthenticationMethod",
        ),
    ];
    for (m, graph_op, ual_op, prop) in steps {
        let time = c.at(2, 15, m);
        let new = if prop == "StsRefreshTokensValidFrom" {
            crate::clock::graph_time(time)
        } else {
            String::new()
        };
        let v = records::directory_audit(
            c.rng,
            time,
            (graph_op, "UserManagement", "Core Directory"),
            &by,
            &Target::user(victim),
            &[(prop, "", &new)],
        );
        c.b.audits.push((time, v));
        let a = Access {
            who: admin,
            time,
            ip,
            client: ClientKind::AdminPowerShell,
            session: &sid,
        };
        c.b.ual.push((
            time,
            records::aad_operation(c.rng, t, &a, ual_op, victim, &[(prop, new)]),
        ));
    }
    let time = c.at(2, 15, 41);
    let a = Access {
        who: admin,
        time,
        ip,
        client: ClientKind::AdminPowerShell,
        session: &sid,
    };
    let identity = format!("{}\\{RULE_NAME}", victim.upn);
    c.b.ual.push((
        time,
        records::exchange_admin(
            c.rng,
            t,
            &a,
            "Remove-InboxRule",
            &identity,
            &[("Identity", identity.clone()), ("Confirm", "False".into())],
        ),
    ));
    let a = Access {
        time: time + Duration::minutes(2),
        ..a
    };
    let params = [
        ("Identity", victim.upn.clone()),
        ("ForwardingSmtpAddress", String::new()),
        ("DeliverToMailboxAndForward", "False".to_owned()),
    ];
    c.b.ual.push((
        a.time,
        records::exchange_admin(c.rng, t, &a, "Set-Mailbox", &victim.upn, &params),
    ));
}
