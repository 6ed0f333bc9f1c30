//! Ordinary activity of one person on one day: sign-ins, reading, sending, deleting,
//! the mail they receive, and the IMAP aggregator's polling.

use crate::clock::{is_weekend, paris_to_utc, us_locale};
use crate::ids;
use crate::network::{ClientKind, MOSCOW, Place, VK};
use crate::org::{Org, Person, Role};
use crate::output::Batch;
use crate::records::{self, Access, FolderAccess, SignInResult, Tenant, TraceRow};
use chrono::{DateTime, NaiveDate, Utc};
use fastrand::Rng;

/// Subjects of mail between colleagues (accents, quotes and commas on purpose).
const INTERNAL_SUBJECTS: [&str; 12] = [
    "Planning de garde – semaine prochaine",
    "Réunion \"qualité & gestion des risques\", salle B",
    "Compte rendu CME, version corrigée",
    "RE: Commande de matériel pour l'unité 3",
    "Congés d'été : merci de valider vos dates",
    "TR: Procédure d'hygiène des mains (mise à jour)",
    "Astreinte du week-end",
    "Point hebdo, ordre du jour",
    "RE: RE: Dossier patient n° 2024-118, pièces manquantes",
    "Formation \"gestes d'urgence\" – inscriptions",
    "Panne imprimante 2e étage",
    "Note de service : accès parking",
];
/// Subjects of mail from outside.
const EXTERNAL_SUBJECTS: [&str; 8] = [
    "Votre commande n°458712 a été expédiée",
    "Invitation : colloque régional, 14 h – 17 h",
    "RE: Demande de devis, réactifs laboratoire",
    "Lettre d'information hebdomadaire",
    "Confirmation de rendez-vous",
    "Relevé de compte, \"professionnel\"",
    "Webinaire : cybersécurité à l'hôpital",
    "RE: Convention de stage 2025",
];
/// Outside correspondents.
const EXTERNAL_SENDERS: [&str; 7] = [
    "contact@labo-biolia.fr",
    "newsletter@lettre-sante-exemple.fr",
    "no-reply@fournisseur-medical.fr",
    "secretariat@mairie-exemple.fr",
    "jean.dupuis@gmail.com",
    "m.leroy@orange.fr",
    "stages@ifsi-exemple.fr",
];

/// What every generator needs: the organisation, tenant identity and the aggregator's network.
#[derive(Debug)]
pub(crate) struct World<'a> {
    /// The organisation.
    pub org: &'a Org,
    /// Tenant identity for UAL records.
    pub tenant: Tenant<'a>,
    /// The myMail pollers' addresses.
    pub aggregator_ips: [String; 2],
}

impl World<'_> {
    /// A random internal address other than `not`.
    fn colleague(&self, rng: &mut Rng, not: &str) -> String {
        let n = self.org.people.len() + self.org.shared.len();
        let i = rng.usize(..n);
        let pick = match self.org.people.get(i) {
            Some(p) => p.upn.clone(),
            None => self.org.shared[(i - self.org.people.len()) % self.org.shared.len()].clone(),
        };
        if pick == not {
            self.org.shared[0].clone()
        } else {
            pick
        }
    }
}

/// Pushes a sign-in to Entra and, for interactive ones or at random, to the UAL.
pub(crate) fn push_signin(
    rng: &mut Rng,
    w: &World,
    b: &mut Batch,
    a: &Access,
    r: &SignInResult,
    place: &Place,
    full: bool,
) {
    if full {
        b.signins.push((a.time, records::signin(rng, a, r, place)));
    }
    if r.interactive || r.error.is_some() || rng.u8(..3) == 0 {
        b.ual
            .push((a.time, records::sts_logon(rng, &w.tenant, a, r.error)));
    }
}

/// A mail with its trace row(s).
pub(crate) fn trace_row(
    rng: &mut Rng,
    time: DateTime<Utc>,
    from: &str,
    to: &str,
    subject: &str,
    ips: (&str, &str),
    mid: &str,
) -> TraceRow {
    TraceRow {
        received: us_locale(time),
        sender: from.to_owned(),
        recipient: to.to_owned(),
        subject: subject.to_owned(),
        status: "Delivered",
        to_ip: ips.1.to_owned(),
        from_ip: ips.0.to_owned(),
        size: rng.u32(4_000..350_000),
        message_id: mid.to_owned(),
        trace_id: ids::guid(rng),
    }
}

const INVALID_PASSWORD: &str =
    "Invalid username or password or Invalid on-premise username or password.";

/// One working session: sign-in, reading, sending, deleting.
struct Session<'a> {
    who: &'a Person,
    ip: &'a str,
    client: ClientKind,
    from: u32,
    to: u32,
}

fn session(rng: &mut Rng, w: &World, b: &mut Batch, date: NaiveDate, s: &Session, full: bool) {
    let sid = ids::guid(rng);
    let at = |secs: u32| paris_to_utc(date, secs);
    let mut a = Access {
        who: s.who,
        time: at(s.from),
        ip: s.ip,
        client: s.client,
        session: &sid,
    };
    let place = s.who.place;
    if rng.u8(..30) == 0 {
        // A typo, then the right password a few seconds later.
        let failed = SignInResult {
            interactive: true,
            error: Some((50126, INVALID_PASSWORD)),
            mfa: false,
            risk: "none",
        };
        push_signin(
            rng,
            w,
            b,
            &Access {
                time: at(s.from.saturating_sub(25)),
                ..a
            },
            &failed,
            &place,
            full,
        );
    }
    let ok = SignInResult {
        interactive: true,
        error: None,
        mfa: s.client == ClientKind::Owa,
        risk: "none",
    };
    push_signin(rng, w, b, &a, &ok, &place, full);
    let span = s.to.saturating_sub(s.from).max(600);
    let refresh = SignInResult {
        interactive: false,
        ..ok
    };
    for k in 1..=(span / 4000) {
        a.time = at(s.from + k * 4000 + rng.u32(..600));
        push_signin(rng, w, b, &a, &refresh, &place, full);
    }
    for _ in 0..rng.u32(2..=2 + span / 3600) {
        a.time = at(s.from + rng.u32(..span));
        let items = (0..rng.usize(1..5))
            .map(|_| (ids::exo_message_id(rng), rng.u32(5_000..200_000)))
            .collect();
        b.ual.push((
            a.time,
            records::mail_items_accessed(
                rng,
                &w.tenant,
                &a,
                false,
                &[FolderAccess {
                    path: "\\Inbox",
                    items,
                }],
            ),
        ));
    }
    for _ in 0..rng.u32(0..1 + span / 7200) {
        a.time = at(s.from + rng.u32(..span));
        send_one(rng, w, b, &a, full);
    }
    if rng.u8(..3) == 0 {
        a.time = at(s.from + rng.u32(..span));
        let items: Vec<(String, String)> = (0..rng.usize(1..4))
            .map(|_| {
                (
                    ids::exo_message_id(rng),
                    EXTERNAL_SUBJECTS[rng.usize(..EXTERNAL_SUBJECTS.len())].to_owned(),
                )
            })
            .collect();
        b.ual
            .push((a.time, records::move_to_deleted(rng, &w.tenant, &a, &items)));
    }
}

fn send_one(rng: &mut Rng, w: &World, b: &mut Batch, a: &Access, full: bool) {
    let mid = ids::exo_message_id(rng);
    let external = rng.u8(..4) == 0;
    let subject = if external {
        EXTERNAL_SUBJECTS[rng.usize(..EXTERNAL_SUBJECTS.len())]
    } else {
        INTERNAL_SUBJECTS[rng.usize(..INTERNAL_SUBJECTS.len())]
    };
    let size = rng.u32(6_000..400_000);
    b.ual.push((
        a.time,
        records::send(rng, &w.tenant, a, subject, &mid, size),
    ));
    if full {
        let (to, to_ip) = if external {
            (
                EXTERNAL_SENDERS[rng.usize(..EXTERNAL_SENDERS.len())].to_owned(),
                format!(
                    "185.{}.{}.{}",
                    rng.u8(1..250),
                    rng.u8(..255),
                    rng.u8(1..254)
                ),
            )
        } else {
            (w.colleague(rng, &a.who.upn), String::new())
        };
        let t = a.time + chrono::Duration::seconds(rng.i64(1..6));
        b.trace.push((
            t,
            trace_row(rng, t, &a.who.upn, &to, subject, (a.ip, &to_ip), &mid),
        ));
    }
}

/// Mail arriving for this person from outside or from colleagues.
fn inbound(rng: &mut Rng, b: &mut Batch, p: &Person, date: NaiveDate) {
    for _ in 0..rng.u32(2..9) {
        let t = paris_to_utc(date, rng.u32(6 * 3600..20 * 3600));
        let from = EXTERNAL_SENDERS[rng.usize(..EXTERNAL_SENDERS.len())];
        let domain = from.split_once('@').map_or("example.fr", |(_, d)| d);
        let mid = ids::foreign_message_id(rng, domain);
        let subject = EXTERNAL_SUBJECTS[rng.usize(..EXTERNAL_SUBJECTS.len())];
        let from_ip = format!(
            "{}.{}.{}.{}",
            rng.u8(80..200),
            rng.u8(..255),
            rng.u8(..255),
            rng.u8(1..254)
        );
        let mut row = trace_row(rng, t, from, &p.upn, subject, (&from_ip, ""), &mid);
        if rng.u8(..25) == 0 {
            row.status = "FilteredAsSpam";
        }
        b.trace.push((t, row));
    }
}

/// Everything one person does on `date`. `full` also writes sign-ins and message
/// trace; without it only UAL records (background users when padding to a size).
pub(crate) fn person_day(
    rng: &mut Rng,
    w: &World,
    b: &mut Batch,
    p: &Person,
    date: NaiveDate,
    full: bool,
) {
    if p.role == Role::Aggregator {
        aggregator_polls(rng, w, b, p, date, full);
    }
    let mobile = if p.ios {
        ClientKind::OutlookIos
    } else {
        ClientKind::OutlookAndroid
    };
    if is_weekend(date) {
        if rng.u8(..4) == 0 {
            let from = rng.u32(10 * 3600..20 * 3600);
            let s = Session {
                who: p,
                ip: &p.mobile_ip,
                client: mobile,
                from,
                to: from + 1200,
            };
            session(rng, w, b, date, &s, full);
        }
        return;
    }
    let from = 7 * 3600 + 45 * 60 + rng.u32(..5400);
    let to = 17 * 3600 + rng.u32(..5400);
    let home = p.teleworks && rng.u8(..5) < 2;
    let office = &w.org.office_ips[rng.usize(..w.org.office_ips.len())];
    let (ip, client) = if home {
        (p.home_ip.as_str(), ClientKind::Owa)
    } else if rng.u8(..4) == 0 {
        (office.as_str(), ClientKind::Owa)
    } else {
        (office.as_str(), ClientKind::OutlookDesktop)
    };
    session(
        rng,
        w,
        b,
        date,
        &Session {
            who: p,
            ip,
            client,
            from,
            to,
        },
        full,
    );
    if rng.u8(..5) == 0 {
        let from = rng.u32(19 * 3600..22 * 3600);
        session(
            rng,
            w,
            b,
            date,
            &Session {
                who: p,
                ip: &p.mobile_ip,
                client: mobile,
                from,
                to: from + 900,
            },
            full,
        );
    }
    if full {
        inbound(rng, b, p, date);
    }
}

/// myMail polls the mailbox over IMAP every couple of hours, day and night.
fn aggregator_polls(
    rng: &mut Rng,
    w: &World,
    b: &mut Batch,
    p: &Person,
    date: NaiveDate,
    full: bool,
) {
    let sid = ids::guid(rng);
    for slot in 0..12u32 {
        let ip = &w.aggregator_ips[rng.usize(..2)];
        let time = paris_to_utc(date, slot * 7200 + rng.u32(..1800));
        let a = Access {
            who: p,
            time,
            ip,
            client: ClientKind::MyMailImap,
            session: &sid,
        };
        if slot % 4 == 0 {
            let r = SignInResult {
                interactive: false,
                error: None,
                mfa: false,
                risk: "none",
            };
            push_signin(rng, w, b, &a, &r, &MOSCOW, full);
        }
        let items = (0..rng.usize(1..6))
            .map(|_| (ids::exo_message_id(rng), rng.u32(3_000..90_000)))
            .collect();
        b.ual.push((
            time,
            records::mail_items_accessed(
                rng,
                &w.tenant,
                &a,
                true,
                &[FolderAccess {
                    path: "\\Inbox",
                    items,
                }],
            ),
        ));
    }
}

/// The two pollers myMail uses for this organisation.
pub(crate) fn aggregator_ips(rng: &mut Rng) -> [String; 2] {
    [VK.host(rng), VK.host(rng)]
}
