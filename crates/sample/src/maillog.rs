//! A Debian `mail.log` as rsyslog writes it (traditional RFC 3164 format, year-less
//! dates): Dovecot 2.3 and Postfix 3 lines, buffered one day at a time and written in
//! time order.

use crate::SampleError;
use crate::truth::FileCount;
use chrono::{DateTime, Utc};
use fastrand::Rng;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The mail server's log.
pub(crate) const MAIL_LOG: &str = "mail.log";

/// Characters of Dovecot session ids (base64 of 12 bytes) and of long queue ids.
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A Dovecot session id: `<PeYcgjjOGOisEQAB>` without the brackets.
pub(crate) fn session_id(rng: &mut Rng) -> String {
    (0..16).map(|_| char::from(B64[rng.usize(..B64.len())])).collect()
}

/// A Postfix short queue id: 10 upper-case hexadecimal digits.
pub(crate) fn queue_id(rng: &mut Rng) -> String {
    format!("{:010X}", rng.u64(..1u64 << 40))
}

/// Lines of one stretch of time, sorted before they are written.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    items: Vec<(DateTime<Utc>, u64, String)>,
    seq: u64,
}

impl Lines {
    /// Adds `text` (what follows the host name) logged at `t`.
    pub(crate) fn push(&mut self, t: DateTime<Utc>, text: String) {
        self.seq += 1;
        self.items.push((t, self.seq, text));
    }

    /// Moves the lines dated before `end` into `to`.
    pub(crate) fn take_before(&mut self, end: DateTime<Utc>, to: &mut Lines) {
        let (now, later): (Vec<_>, Vec<_>) = self.items.drain(..).partition(|(t, _, _)| *t < end);
        for (t, _, text) in now {
            to.push(t, text);
        }
        self.items = later;
    }
}

/// The `mail.log` file, open.
#[derive(Debug)]
pub(crate) struct MailLog {
    out: BufWriter<File>,
    path: PathBuf,
    host: String,
    records: u64,
    bytes: u64,
}

impl MailLog {
    /// Creates `dir/mail.log` for a server named `host`.
    pub(crate) fn create(dir: &Path, host: &str) -> Result<Self, SampleError> {
        let path = dir.join(MAIL_LOG);
        let file = File::create(&path).map_err(|source| SampleError::Io { path: path.clone(), source })?;
        Ok(MailLog { out: BufWriter::with_capacity(1 << 16, file), path, host: host.to_owned(), records: 0, bytes: 0 })
    }

    /// Writes the lines in time order (stable for equal times) and empties `lines`.
    pub(crate) fn flush(&mut self, lines: &mut Lines) -> Result<(), SampleError> {
        lines.items.sort_by_key(|(t, seq, _)| (*t, *seq));
        for (t, _, text) in lines.items.drain(..) {
            // rsyslog's traditional format: `Nov  3 08:12:45 host text`, day space-padded.
            let line = format!("{} {} {text}\n", t.format("%b %e %H:%M:%S"), self.host);
            self.out
                .write_all(line.as_bytes())
                .map_err(|source| SampleError::Io { path: self.path.clone(), source })?;
            self.records += 1;
            self.bytes += line.len() as u64;
        }
        Ok(())
    }

    /// Closes the file, dated `exported` (the year of its lines is read from it).
    pub(crate) fn finish(self, exported: DateTime<Utc>) -> Result<FileCount, SampleError> {
        let io = |source| SampleError::Io { path: self.path.clone(), source };
        let file = self.out.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        file.set_modified(std::time::SystemTime::from(exported)).map_err(io)?;
        Ok(FileCount { file: MAIL_LOG.to_owned(), records: self.records, bytes: self.bytes })
    }
}

/// Process ids of the long-running daemons, and fresh ones for short-lived processes.
#[derive(Debug)]
pub(crate) struct Pids {
    next: u32,
    /// Postfix's queue manager.
    pub qmgr: u32,
    /// Dovecot's auth worker.
    pub auth_worker: u32,
}

impl Pids {
    /// Starting values, as after a boot.
    pub(crate) fn new(rng: &mut Rng) -> Self {
        Pids { next: rng.u32(2_000..9_000), qmgr: rng.u32(900..1_200), auth_worker: rng.u32(1_200..1_900) }
    }

    /// A new process id (they grow, then wrap as Linux's do).
    pub(crate) fn fresh(&mut self, rng: &mut Rng) -> u32 {
        self.next += rng.u32(1..40);
        if self.next > 4_000_000 {
            self.next = 2_000;
        }
        self.next
    }
}

/// `imap`, `pop3`: the login processes of Dovecot used here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Proto {
    /// IMAP.
    Imap,
    /// POP3.
    Pop3,
}

impl Proto {
    fn name(self) -> &'static str {
        match self {
            Proto::Imap => "imap",
            Proto::Pop3 => "pop3",
        }
    }
}

/// One Dovecot session: who, from where, and its ids.
#[derive(Debug)]
pub(crate) struct Session<'a> {
    /// Protocol.
    pub proto: Proto,
    /// Login name.
    pub user: &'a str,
    /// Client address.
    pub rip: &'a str,
    /// Server address.
    pub lip: &'a str,
    /// Mail process id.
    pub mpid: u32,
    /// Session id.
    pub session: String,
}

/// `dovecot: imap-login: Login: user=<u>, method=PLAIN, rip=..., lip=..., mpid=N, TLS, session=<s>`.
pub(crate) fn login(s: &Session<'_>) -> String {
    format!(
        "dovecot: {}-login: Login: user=<{}>, method=PLAIN, rip={}, lip={}, mpid={}, TLS, session=<{}>",
        s.proto.name(),
        s.user,
        s.rip,
        s.lip,
        s.mpid,
        s.session
    )
}

/// The mail process's end of session (not an event: no authentication in it).
pub(crate) fn logged_out(rng: &mut Rng, s: &Session<'_>) -> String {
    let head = format!("dovecot: {}({})<{}><{}>", s.proto.name(), s.user, s.mpid, s.session);
    match s.proto {
        Proto::Imap => format!(
            "{head}: Logged out in={} out={} deleted=0 expunged=0 trashed=0 hdr_count={} hdr_bytes={} body_count={} body_bytes={}",
            rng.u32(80..4_000),
            rng.u32(500..90_000),
            rng.u32(0..40),
            rng.u32(0..20_000),
            rng.u32(0..6),
            rng.u32(0..300_000)
        ),
        Proto::Pop3 => {
            let n = rng.u32(0..12);
            format!("{head}: Disconnected: Logged out top=0/0, retr={n}/{}, del=0/{}, size={}", n * 23_000, rng.u32(20..400), rng.u32(200_000..9_000_000))
        }
    }
}

/// The password database's report of one wrong password (Debian's PAM set-up).
pub(crate) fn pam_mismatch(pid: u32, user: &str, rip: &str, session: &str) -> String {
    format!("dovecot: auth-worker({pid}): pam({user},{rip},<{session}>): pam_authenticate() failed: Authentication failure (Password mismatch?)")
}

/// The login process giving up on a client after `attempts` wrong passwords.
pub(crate) fn auth_failed(proto: Proto, user: &str, rip: &str, lip: &str, attempts: u32, secs: u32, session: &str) -> String {
    format!(
        "dovecot: {}-login: Disconnected (auth failed, {attempts} attempts in {secs} secs): user=<{user}>, method=PLAIN, rip={rip}, lip={lip}, TLS, session=<{session}>",
        proto.name()
    )
}

/// A connection that never authenticated (scanners, clients that gave up).
pub(crate) fn no_auth(proto: Proto, rip: &str, lip: &str, secs: u32, session: &str) -> String {
    format!(
        "dovecot: {}-login: Disconnected (no auth attempts in {secs} secs): user=<>, rip={rip}, lip={lip}, TLS handshaking: Connection closed, session=<{session}>",
        proto.name()
    )
}

/// One message through Postfix: who handed it over and where it goes.
#[derive(Debug)]
pub(crate) struct Message<'a> {
    /// Queue id.
    pub queue: String,
    /// `postfix/submission/smtpd` (authenticated) or `postfix/smtpd` (port 25).
    pub smtpd: &'static str,
    /// smtpd process id.
    pub smtpd_pid: u32,
    /// Client host name and address.
    pub client: (&'a str, &'a str),
    /// SASL login name, for authenticated submission.
    pub sasl_user: Option<&'a str>,
    /// Envelope sender.
    pub from: &'a str,
    /// Message-ID, without brackets.
    pub message_id: String,
    /// Size in bytes.
    pub size: u32,
}

/// smtpd's, cleanup's and qmgr's lines of a message arriving, each with its offset in
/// milliseconds from the first.
pub(crate) fn accepted(rng: &mut Rng, pids: &Pids, cleanup_pid: u32, m: &Message<'_>, nrcpt: usize) -> Vec<(i64, String)> {
    let (host, ip) = m.client;
    let client = match m.sasl_user {
        Some(u) => format!("client={host}[{ip}], sasl_method=PLAIN, sasl_username={u}"),
        None => format!("client={host}[{ip}]"),
    };
    vec![
        (0, format!("{}[{}]: {}: {client}", m.smtpd, m.smtpd_pid, m.queue)),
        (rng.i64(20..300), format!("postfix/cleanup[{cleanup_pid}]: {}: message-id=<{}>", m.queue, m.message_id)),
        (
            rng.i64(300..700),
            format!("postfix/qmgr[{}]: {}: from=<{}>, size={}, nrcpt={nrcpt} (queue active)", pids.qmgr, m.queue, m.from, m.size),
        ),
    ]
}

/// How one recipient's copy ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Delivered.
    Sent,
    /// Refused by the remote server for good.
    Bounced,
    /// Tried again later.
    Deferred,
}

/// The remote delivery of one recipient by `postfix/smtp`.
pub(crate) fn smtp_delivery(rng: &mut Rng, pid: u32, queue: &str, to: &str, relay: (&str, &str), fate: Fate) -> String {
    let (host, ip) = relay;
    let (a, b, c) = (rng.u32(1..90), rng.u32(0..3), rng.u32(10..400));
    let delays = format!("0.{a:02}/0.0{b}/0.{c:03}/0.{:02}", rng.u32(5..99));
    let delay = f64::from(a + c) / 1000.0 + 0.2;
    let status = match fate {
        Fate::Sent => format!("dsn=2.0.0, status=sent (250 2.0.0 OK  {} {}.{} - gsmtp)", rng.u32(1_700_000_000..1_800_000_000), crate::ids::hex(rng, 6), crate::ids::hex(rng, 4)),
        Fate::Bounced => format!("dsn=5.1.1, status=bounced (host {host}[{ip}] said: 550 5.1.1 <{to}>: Recipient address rejected: User unknown (in reply to RCPT TO command))"),
        Fate::Deferred => format!("dsn=4.7.28, status=deferred (host {host}[{ip}] said: 421 4.7.28 Unusual rate of unsolicited mail from your IP address: try again later (in reply to end of DATA command))"),
    };
    format!("postfix/smtp[{pid}]: {queue}: to=<{to}>, relay={host}[{ip}]:25, delay={delay:.1}, delays={delays}, {status}")
}

/// The local delivery of one recipient to Dovecot over LMTP, and Dovecot's own line.
pub(crate) fn lmtp_delivery(rng: &mut Rng, pid: u32, queue: &str, to: &str, message_id: &str, mail_host: &str) -> [String; 2] {
    let session = session_id(rng);
    [
        format!(
            "postfix/lmtp[{pid}]: {queue}: to=<{to}>, relay={mail_host}[private/dovecot-lmtp], delay=0.{:02}, delays=0.0{}/0/0.01/0.0{}, dsn=2.0.0, status=sent (250 2.0.0 <{to}> {session} Saved)",
            rng.u32(10..99),
            rng.u32(1..9),
            rng.u32(1..9)
        ),
        format!("dovecot: lmtp({to})<{}><{session}>: msgid=<{message_id}>: saved mail to INBOX", pid + 1),
    ]
}

/// qmgr's last word on a message.
pub(crate) fn removed(pids: &Pids, queue: &str) -> String {
    format!("postfix/qmgr[{}]: {queue}: removed", pids.qmgr)
}

/// Connection bookkeeping of smtpd (not events).
pub(crate) fn connect(smtpd: &str, pid: u32, client: (&str, &str)) -> String {
    format!("{smtpd}[{pid}]: connect from {}[{}]", client.0, client.1)
}

/// smtpd's summary when the client leaves.
pub(crate) fn disconnect(smtpd: &str, pid: u32, client: (&str, &str), messages: usize, auth: bool) -> String {
    let n = messages.max(1);
    let (starttls, auth_part) = if auth { (" starttls=1", " auth=1") } else { ("", "") };
    let ehlo = if auth { 2 } else { 1 };
    let commands = ehlo + usize::from(auth) * 2 + n * 3 + 1;
    format!(
        "{smtpd}[{pid}]: disconnect from {}[{}] ehlo={ehlo}{starttls}{auth_part} mail={n} rcpt={n} data={n} quit=1 commands={commands}",
        client.0, client.1
    )
}

/// Postfix's report of a wrong SASL password on submission.
pub(crate) fn sasl_failed(pid: u32, client: (&str, &str), user: &str) -> String {
    format!("postfix/submission/smtpd[{pid}]: warning: {}[{}]: SASL PLAIN authentication failed: authentication failure, sasl_username={user}", client.0, client.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_shapes() {
        let mut rng = Rng::with_seed(5);
        let s = session_id(&mut rng);
        assert_eq!(s.len(), 16);
        assert!(s.bytes().all(|b| B64.contains(&b)));
        let q = queue_id(&mut rng);
        assert_eq!(q.len(), 10);
        assert!(q.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()));
    }

    #[test]
    fn lines_come_out_in_time_order_with_a_padded_day() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut log = MailLog::create(dir.path(), "mail").unwrap_or_else(|e| panic!("{e}"));
        let t = |h| chrono::NaiveDate::from_ymd_opt(2025, 11, 3).and_then(|d| d.and_hms_opt(h, 5, 9)).map(|d| d.and_utc());
        let (Some(late), Some(early)) = (t(10), t(8)) else { panic!("dates") };
        let mut lines = Lines::default();
        lines.push(late, "b: second".into());
        lines.push(early, "a: first".into());
        log.flush(&mut lines).unwrap_or_else(|e| panic!("{e}"));
        let count = log.finish(late).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(dir.path().join(MAIL_LOG)).unwrap_or_default();
        assert_eq!(text, "Nov  3 08:05:09 mail a: first\nNov  3 10:05:09 mail b: second\n");
        assert_eq!((count.records, count.bytes), (2, text.len() as u64));
    }
}
