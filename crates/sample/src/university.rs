//! The Dovecot/Postfix sample: a French university's mail server over a few weeks,
//! with staff reading mail over IMAP and POP3 from the campus (RENATER), home and
//! phones, sending through authenticated submission, a myMail aggregator polling one
//! mailbox from VK's network, and an attacker who guesses a password from a hosting
//! network, reads the mailbox and sends spam with it.
//!
//! The server's clock is UTC (as many servers are set), so the zone-less syslog times
//! read exactly; `mail.log` is dated (modification time) the morning after the period,
//! which gives its lines their year.

use crate::clock::{is_weekend, paris_to_utc};
use crate::maillog::{self as ml, Fate, Lines, MailLog, Message, Pids, Proto, Session};
use crate::network::{self, Network};
use crate::org::{Org, Person, Role};
use crate::truth::{
    Aggregator, AttackerIp, MailServerAttacker, MailServerKeyTimes, MailServerOrganisation, MailServerTruth, UserEntry,
};
use crate::{SampleError, SampleOptions, ids};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use fastrand::Rng;
use std::path::Path;

/// University job titles.
const TITLES: [&str; 8] = [
    "Maître de conférences",
    "Professeur(e) des universités",
    "Ingénieur(e) de recherche",
    "Gestionnaire administratif(ve)",
    "Doctorant(e)",
    "Technicien(ne) de laboratoire",
    "Bibliothécaire",
    "Chargé(e) de communication",
];

/// The mail server's address on the campus network.
const MAIL_IP: &str = "129.20.2.25";
/// Outside correspondents' domains and the networks of their mail servers.
const OUTSIDE: [(&str, &Network, &str); 4] = [
    ("gmail.com", &network::GOOGLE, "gmail-smtp-in.l.google.com"),
    ("outlook.fr", &network::MICROSOFT, "outlook-fr.olc.protection.outlook.com"),
    ("hotmail.fr", &network::MICROSOFT, "hotmail-fr.olc.protection.outlook.com"),
    ("live.fr", &network::MICROSOFT, "live-fr.olc.protection.outlook.com"),
];
/// Password guesses before the right one.
const GUESSES: usize = 46;
/// Spam messages sent with the stolen password.
const SPAM_MESSAGES: usize = 240;

/// One member of staff and where they read mail from.
struct Member<'a> {
    person: &'a Person,
    campus_ip: String,
    /// Reads mail on their phone (IMAP from the carrier).
    phone: bool,
    /// Uses POP3 at home.
    pop_at_home: bool,
}

/// The server and its running state.
struct Server {
    host: String,
    fqdn: String,
    domain: String,
    pids: Pids,
}

/// Writes the Dovecot sample (see the module documentation).
pub(crate) fn generate(opts: &SampleOptions, out_dir: &Path) -> Result<MailServerTruth, SampleError> {
    if opts.target_bytes.is_some() {
        return Err(SampleError::InvalidOptions("a target size is not supported for the Dovecot platform".into()));
    }
    let mut rng = Rng::with_seed(opts.seed);
    let domain = opts.org_domain.to_ascii_lowercase();
    let mut org = Org::new(&mut rng, &domain, opts.users);
    for (i, p) in org.people.iter_mut().enumerate() {
        p.title = TITLES[i % TITLES.len()];
    }
    let members: Vec<Member<'_>> = org
        .people
        .iter()
        .map(|p| Member { person: p, campus_ip: network::RENATER.host(&mut rng), phone: rng.u8(..10) < 6, pop_at_home: rng.u8(..10) == 0 })
        .collect();
    let mut server = Server { host: "mail".into(), fqdn: format!("mail.{domain}"), domain: domain.clone(), pids: Pids::new(&mut rng) };
    let aggregator_ips = crate::normal::aggregator_ips(&mut rng);
    let last = opts.start + Duration::days(i64::from(opts.days) - 1);
    let victim = org.with_role(Role::Billing);
    let mut attack = Lines::default();
    let story = (!opts.benign).then(|| attacker(&mut rng, &mut server, &mut attack, victim, last - Duration::days(2)));
    let mut log = MailLog::create(out_dir, &server.host)?;
    let (mut day, mut pending, mut batch) = (opts.start, Lines::default(), Lines::default());
    while day <= last {
        for m in &members {
            member_day(&mut rng, &mut server, &mut pending, m, &members, day);
        }
        poll_day(&mut rng, &mut server, &mut pending, org.with_role(Role::Aggregator), &aggregator_ips, day);
        scanners(&mut rng, &mut pending, day);
        // Every line of the next days comes after the next local midnight; sessions
        // that run past it wait for the next flush.
        let boundary = paris_to_utc(day + Duration::days(1), 0);
        pending.take_before(boundary, &mut batch);
        attack.take_before(boundary, &mut batch);
        log.flush(&mut batch)?;
        day += Duration::days(1);
    }
    pending.take_before(DateTime::<Utc>::MAX_UTC, &mut batch);
    attack.take_before(DateTime::<Utc>::MAX_UTC, &mut batch);
    log.flush(&mut batch)?;
    let files = vec![log.finish(paris_to_utc(last + Duration::days(1), 9 * 3600))?];
    org.name = "Université exemple".into();
    let truth = truth(opts, &org, (last, &aggregator_ips), story, files);
    write_truth(out_dir, &truth)?;
    Ok(truth)
}

/// Local (Paris) time `h` hours plus `spread` random minutes into `day`, as UTC.
fn at(rng: &mut Rng, day: NaiveDate, h: f64, spread_min: u32) -> DateTime<Utc> {
    let secs = (h * 3600.0) as u32 + rng.u32(..spread_min.max(1) * 60);
    paris_to_utc(day, secs.min(86_399))
}

/// One ordinary day of one member: IMAP/POP sessions, mail sent and received.
fn member_day(rng: &mut Rng, srv: &mut Server, out: &mut Lines, m: &Member<'_>, all: &[Member<'_>], day: NaiveDate) {
    let p = m.person;
    let weekend = is_weekend(day);
    let at_home = weekend || (p.teleworks && rng.u8(..5) == 0);
    if !weekend || rng.u8(..10) < 3 {
        let (ip, first, count) = if at_home { (p.home_ip.as_str(), 8.5, 2) } else { (m.campus_ip.as_str(), 8.0, 5) };
        let proto = if at_home && m.pop_at_home { Proto::Pop3 } else { Proto::Imap };
        let mut t = at(rng, day, first, 75);
        for _ in 0..rng.usize(1..=count) {
            member_session(rng, srv, out, (proto, &p.upn, ip), t, 300..7_000);
            t += Duration::seconds(rng.i64(3_600..9_000));
        }
        for _ in 0..rng.usize(0..4) {
            let t = at(rng, day, 9.0, 540);
            send(rng, srv, out, m, all, ip, t);
        }
    }
    if m.phone {
        for _ in 0..rng.usize(1..4) {
            let t = at(rng, day, 7.0, 900);
            member_session(rng, srv, out, (Proto::Imap, &p.upn, &p.mobile_ip), t, 5..90);
        }
    }
    if !weekend && !at_home && rng.u8(..10) < 3 {
        let t = at(rng, day, 19.5, 180);
        let proto = if m.pop_at_home { Proto::Pop3 } else { Proto::Imap };
        member_session(rng, srv, out, (proto, &p.upn, &p.home_ip), t, 60..1_800);
    }
    for _ in 0..rng.usize(if weekend { 0..2 } else { 1..6 }) {
        let t = at(rng, day, 0.0, 1_439);
        receive(rng, srv, out, &p.upn, t);
    }
}

/// A person's Dovecot session, with now and then a mistyped password first.
fn member_session(rng: &mut Rng, srv: &mut Server, out: &mut Lines, who: (Proto, &str, &str), t: DateTime<Utc>, secs: std::ops::Range<i64>) {
    let mut start = t;
    if rng.u8(..40) == 0 {
        typo(rng, srv, out, who, t);
        start += Duration::seconds(rng.i64(8..40));
    }
    session(rng, srv, out, who, start, secs);
}

/// A Dovecot session starting at `start` and lasting some of `secs` seconds.
fn session(rng: &mut Rng, srv: &mut Server, out: &mut Lines, who: (Proto, &str, &str), start: DateTime<Utc>, secs: std::ops::Range<i64>) {
    let secs = rng.i64(secs);
    let (proto, user, rip) = who;
    let s = Session { proto, user, rip, lip: MAIL_IP, mpid: srv.pids.fresh(rng), session: ml::session_id(rng) };
    out.push(start, ml::login(&s));
    out.push(start + Duration::seconds(secs), ml::logged_out(rng, &s));
}

/// One wrong password, the client then gives up this connection.
fn typo(rng: &mut Rng, srv: &mut Server, out: &mut Lines, who: (Proto, &str, &str), t: DateTime<Utc>) {
    let (proto, user, rip) = who;
    let sid = ml::session_id(rng);
    out.push(t, ml::pam_mismatch(srv.pids.auth_worker, user, rip, &sid));
    out.push(t + Duration::seconds(2), ml::auth_failed(proto, user, rip, MAIL_IP, 1, 2, &sid));
}

/// A message submitted by a member from `ip`, to colleagues or outside.
fn send(rng: &mut Rng, srv: &mut Server, out: &mut Lines, m: &Member<'_>, all: &[Member<'_>], ip: &str, t: DateTime<Utc>) {
    let rcpts: Vec<String> = (0..rng.usize(1..4))
        .map(|_| {
            if rng.u8(..10) < 6 {
                all[rng.usize(..all.len())].person.upn.clone()
            } else {
                let (domain, _, _) = OUTSIDE[rng.usize(..OUTSIDE.len())];
                format!("{}@{domain}", ids::hex(rng, 8))
            }
        })
        .collect();
    let pid = srv.pids.fresh(rng);
    let client = ("unknown", ip);
    let msg = Message {
        queue: ml::queue_id(rng),
        smtpd: "postfix/submission/smtpd",
        smtpd_pid: pid,
        client,
        sasl_user: Some(&m.person.upn),
        from: &m.person.upn,
        message_id: format!("{}@{}", ids::guid(rng), srv.domain),
        size: rng.u32(2_000..900_000),
    };
    out.push(t, ml::connect(msg.smtpd, pid, client));
    if rng.u8(..30) == 0 {
        // A mail client with an old saved password, corrected at once.
        out.push(t, ml::sasl_failed(pid, client, &m.person.upn));
    }
    let t = t + Duration::seconds(1);
    route(rng, srv, out, &msg, &rcpts, t, |_, _| Fate::Sent);
    out.push(t + Duration::seconds(2), ml::disconnect(msg.smtpd, pid, client, 1, true));
}

/// A message from outside for `to`, received on port 25 and delivered over LMTP.
fn receive(rng: &mut Rng, srv: &mut Server, out: &mut Lines, to: &str, t: DateTime<Utc>) {
    let (domain, net, _) = OUTSIDE[rng.usize(..OUTSIDE.len())];
    let ip = net.host(rng);
    let host = if net.asn == network::GOOGLE.asn {
        format!("mail-{}.google.com", ids::hex(rng, 4))
    } else {
        format!("mail-{}.outbound.protection.outlook.com", ids::hex(rng, 6))
    };
    let from = format!("{}@{domain}", ids::hex(rng, 8));
    let pid = srv.pids.fresh(rng);
    let msg = Message {
        queue: ml::queue_id(rng),
        smtpd: "postfix/smtpd",
        smtpd_pid: pid,
        client: (&host, &ip),
        sasl_user: None,
        from: &from,
        message_id: format!("{}@{domain}", ids::hex(rng, 20)),
        size: rng.u32(3_000..2_000_000),
    };
    out.push(t, ml::connect(msg.smtpd, pid, msg.client));
    route(rng, srv, out, &msg, &[to.to_owned()], t + Duration::seconds(1), |_, _| Fate::Sent);
    out.push(t + Duration::seconds(2), ml::disconnect(msg.smtpd, pid, msg.client, 1, false));
}

/// A message's queue lines and the delivery of each recipient; `fate` decides for
/// outside recipients (index, domain).
fn route(rng: &mut Rng, srv: &mut Server, out: &mut Lines, msg: &Message<'_>, rcpts: &[String], t: DateTime<Utc>, fate: impl Fn(usize, &str) -> Fate) {
    let cleanup = srv.pids.fresh(rng);
    for (ms, line) in ml::accepted(rng, &srv.pids, cleanup, msg, rcpts.len()) {
        out.push(t + Duration::milliseconds(ms), line);
    }
    let mut end = t + Duration::seconds(1);
    for (i, to) in rcpts.iter().enumerate() {
        let domain = to.rsplit('@').next().unwrap_or_default();
        end += Duration::milliseconds(rng.i64(50..900));
        if domain == srv.domain {
            let pid = srv.pids.fresh(rng);
            for line in ml::lmtp_delivery(rng, pid, &msg.queue, to, &msg.message_id, &srv.fqdn) {
                out.push(end, line);
            }
            continue;
        }
        let (_, net, mx) = OUTSIDE.iter().find(|(d, _, _)| *d == domain).copied().unwrap_or(OUTSIDE[0]);
        let ip = net.host(rng);
        let pid = srv.pids.fresh(rng);
        out.push(end, ml::smtp_delivery(rng, pid, &msg.queue, to, (mx, &ip), fate(i, domain)));
    }
    out.push(end + Duration::milliseconds(5), ml::removed(&srv.pids, &msg.queue));
}

/// myMail polling the aggregator user's mailbox over IMAP about every ten minutes.
fn poll_day(rng: &mut Rng, srv: &mut Server, out: &mut Lines, user: &Person, ips: &[String; 2], day: NaiveDate) {
    let end = paris_to_utc(day + Duration::days(1), 0);
    let mut t = paris_to_utc(day, 0) + Duration::seconds(rng.i64(0..600));
    while t < end {
        let ip = &ips[rng.usize(..ips.len())];
        session(rng, srv, out, (Proto::Imap, &user.upn, ip), t, 1..4);
        t += Duration::seconds(rng.i64(510..690));
    }
}

/// Internet background: scanners that connect and never authenticate.
fn scanners(rng: &mut Rng, out: &mut Lines, day: NaiveDate) {
    for _ in 0..rng.usize(3..10) {
        let ip = network::DIGITALOCEAN.host(rng);
        let t = at(rng, day, 0.0, 1_439);
        let proto = if rng.bool() { Proto::Imap } else { Proto::Pop3 };
        let sid = ml::session_id(rng);
        out.push(t, ml::no_auth(proto, &ip, MAIL_IP, rng.u32(1..30), &sid));
    }
}

/// What the attacker did, for the ground truth.
struct Story {
    ip: String,
    times: MailServerKeyTimes,
    recipients: usize,
}

/// The attack, starting on `day` at night: guessing, reading, spamming, locked out.
fn attacker(rng: &mut Rng, srv: &mut Server, out: &mut Lines, victim: &Person, day: NaiveDate) -> Story {
    let ip = network::M247.host(rng);
    let start = at(rng, day, 3.0, 20);
    let mut t = start;
    let mut guesses = 0;
    while guesses < GUESSES {
        // The tool opens a connection and tries up to three passwords on it.
        let sid = ml::session_id(rng);
        let tries = rng.usize(1..=3).min(GUESSES - guesses);
        for _ in 0..tries {
            t += Duration::seconds(rng.i64(4..20));
            out.push(t, ml::pam_mismatch(srv.pids.auth_worker, &victim.upn, &ip, &sid));
        }
        guesses += tries;
        out.push(t + Duration::seconds(2), ml::auth_failed(Proto::Imap, &victim.upn, &ip, MAIL_IP, tries as u32, rng.u32(10..60), &sid));
        t += Duration::seconds(rng.i64(3..12));
    }
    let success = t + Duration::seconds(rng.i64(5..15));
    let mut login = success;
    for _ in 0..4 {
        session(rng, srv, out, (Proto::Imap, &victim.upn, &ip), login, 40..900);
        login += Duration::seconds(rng.i64(7_200..14_400));
    }
    let spam_start = at(rng, day + Duration::days(1), 2.0, 30);
    let (spam_end, recipients) = spam(rng, srv, out, victim, &ip, spam_start);
    let containment = at(rng, day + Duration::days(1), 9.5, 30);
    for k in 0..3 {
        let t = containment + Duration::minutes(40 + 25 * k);
        typo(rng, srv, out, (Proto::Imap, &victim.upn, &ip), t);
    }
    let times = MailServerKeyTimes { brute_force_start: start, first_malicious_signin: success, spam_start, spam_end, containment };
    Story { ip, times, recipients }
}

/// The spam run: connections of ten messages each to outside addresses; Gmail starts
/// deferring after a while and some addresses do not exist. Returns the last
/// submission time and the number of recipients.
fn spam(rng: &mut Rng, srv: &mut Server, out: &mut Lines, victim: &Person, ip: &str, start: DateTime<Utc>) -> (DateTime<Utc>, usize) {
    let mut t = start;
    let mut last = start;
    let mut recipients = 0;
    let client = ("unknown", ip);
    let mut sent = 0;
    while sent < SPAM_MESSAGES {
        let pid = srv.pids.fresh(rng);
        out.push(t, ml::connect("postfix/submission/smtpd", pid, client));
        let batch = 10.min(SPAM_MESSAGES - sent);
        for _ in 0..batch {
            t += Duration::milliseconds(rng.i64(2_000..14_000));
            last = t;
            let rcpts: Vec<String> = (0..rng.usize(1..5))
                .map(|_| format!("{}@{}", ids::hex(rng, 7), OUTSIDE[rng.usize(..OUTSIDE.len())].0))
                .collect();
            recipients += rcpts.len();
            let msg = Message {
                queue: ml::queue_id(rng),
                smtpd: "postfix/submission/smtpd",
                smtpd_pid: pid,
                client,
                sasl_user: Some(&victim.upn),
                from: &victim.upn,
                message_id: format!("{}.{}@{}", ids::hex(rng, 12), ids::hex(rng, 6), srv.domain),
                size: rng.u32(4_000..9_000),
            };
            let late = sent > SPAM_MESSAGES / 3;
            let roll = rng.u8(..20);
            route(rng, srv, out, &msg, &rcpts, t, |_, domain| match () {
                () if late && domain == "gmail.com" => Fate::Deferred,
                () if roll == 0 => Fate::Bounced,
                () => Fate::Sent,
            });
            sent += 1;
        }
        out.push(t + Duration::seconds(1), ml::disconnect("postfix/submission/smtpd", pid, client, batch, true));
        t += Duration::seconds(rng.i64(5..40));
    }
    (last, recipients)
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Admin => "admin",
        Role::Aggregator => "aggregator",
        _ => "staff",
    }
}

fn truth(
    opts: &SampleOptions,
    org: &Org,
    (last, aggregator_ips): (NaiveDate, &[String; 2]),
    story: Option<Story>,
    files: Vec<crate::truth::FileCount>,
) -> MailServerTruth {
    let m247 = &network::M247;
    let attacker_ips = story.iter().map(|s| AttackerIp {
        ip: s.ip.clone(),
        asn: m247.asn,
        as_org: m247.org.to_owned(),
        country: m247.country.to_owned(),
        role: "password guessing, IMAP access and spam submission".to_owned(),
    });
    MailServerTruth {
        seed: opts.seed,
        platform: "dovecot".to_owned(),
        organisation: MailServerOrganisation {
            name: org.name.clone(),
            domain: org.domain.clone(),
            mail_host: format!("mail.{}", org.domain),
            mail_ip: MAIL_IP.to_owned(),
            campus_networks: vec!["129.20.0.0/16".to_owned(), "148.60.0.0/16".to_owned()],
            log_time_zone: "UTC".to_owned(),
        },
        period: (opts.start, last),
        users: org
            .people
            .iter()
            .map(|p| UserEntry { upn: p.upn.clone(), display_name: p.display.clone(), title: p.title.to_owned(), role: role_name(p.role).to_owned() })
            .collect(),
        victims: story.iter().map(|_| org.with_role(Role::Billing).upn.clone()).collect(),
        admin: org.with_role(Role::Admin).upn.clone(),
        attacker: MailServerAttacker {
            ips: attacker_ips.collect(),
            countries: story.iter().map(|_| m247.country.to_owned()).collect(),
            failed_guesses: if story.is_some() { GUESSES } else { 0 },
            spam_messages: if story.is_some() { SPAM_MESSAGES } else { 0 },
            spam_recipients: story.as_ref().map_or(0, |s| s.recipients),
        },
        key_times: story.map(|s| s.times),
        aggregator: Aggregator {
            upn: org.with_role(Role::Aggregator).upn.clone(),
            service: "myMail (IMAP)".to_owned(),
            ips: aggregator_ips.to_vec(),
            asn: network::VK.asn,
            as_org: network::VK.org.to_owned(),
            country: network::VK.country.to_owned(),
        },
        files,
    }
}

fn write_truth(dir: &Path, truth: &MailServerTruth) -> Result<(), SampleError> {
    let path = dir.join(crate::output::TRUTH_JSON);
    let text = serde_json::to_string_pretty(truth).map_err(|e| SampleError::Io { path: path.clone(), source: e.into() })?;
    std::fs::write(&path, text + "\n").map_err(|source| SampleError::Io { path, source })
}
