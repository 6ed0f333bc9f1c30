//! Insert throughput of the events table: N synthetic events (default 1 000 000,
//! or the first argument) prepared (`PreparedEvent`, what the import does on all
//! cores), then written in batches of 20 000 through a bulk-mode `EventWriter` (the
//! single writer thread's work), then the index rebuild. Prints events per second of
//! each step.
//!
//! Run: `cargo bench -p mailcase-case --bench insert [-- N]`.

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use mailcase_case::events::PreparedEvent;
use mailcase_case::{Case, CaseSettings};
use mailcase_model::{
    Account, Action, Client, Event, EvidenceRef, Geo, MailAccess, NetClass, Outcome, RawRecord,
    SignIn, SourceKind,
};

const BATCH: u64 = 20_000;

fn main() {
    let n: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let case = Case::create(dir.path().join("case"), CaseSettings::new("bench")).expect("case");
    let evidence_file = dir.path().join("ual.json");
    std::fs::write(&evidence_file, b"{}").expect("evidence file");
    let ev = case
        .register_evidence(&evidence_file, true)
        .expect("register")
        .id();

    let mut writer = case.event_writer(true).expect("writer");
    let start = Instant::now();
    let mut inserted = 0;
    let mut first = 1;
    let (mut prepare_s, mut write_s) = (0.0, 0.0);
    while first <= n {
        let last = (first + BATCH - 1).min(n);
        let batch: Vec<Event> = (first..=last).map(|r| synthetic(ev, r)).collect();
        let step = Instant::now();
        let rows: Vec<PreparedEvent> = batch
            .into_iter()
            .map(|e| PreparedEvent::new(e).expect("prepare"))
            .collect();
        prepare_s += step.elapsed().as_secs_f64();
        let step = Instant::now();
        inserted += writer.write_prepared(&rows).expect("write");
        write_s += step.elapsed().as_secs_f64();
        first = last + 1;
    }
    let index_start = Instant::now();
    writer.finish().expect("finish");
    let index_s = index_start.elapsed().as_secs_f64();
    let total_s = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(case.db_path())
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(case.db_path().with_extension("sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!("events inserted: {inserted}");
    println!(
        "prepare rows (one core): {prepare_s:.2} s, {:.0} events/s",
        n as f64 / prepare_s
    );
    println!(
        "insert (writer thread): {write_s:.2} s, {:.0} events/s",
        n as f64 / write_s
    );
    println!("index rebuild: {index_s:.2} s");
    println!("total: {total_s:.2} s, {:.0} events/s", n as f64 / total_s);
    println!("database size: {:.1} MiB", size as f64 / (1024.0 * 1024.0));
}

/// A UAL-like event: 1 in 4 a sign-in, the rest mail access, over 500 accounts.
fn synthetic(ev: i64, record: u64) -> Event {
    let time =
        Utc.with_ymd_and_hms(2023, 9, 1, 0, 0, 0).unwrap() + Duration::seconds(record as i64 * 3);
    let user = format!("user{}@example.fr", record % 500);
    let ip = format!("81.2.{}.{}", (record / 256) % 256, record % 256);
    let raw = format!(
        "{{\"CreationTime\":\"{}\",\"Id\":\"{record:032x}\",\"Operation\":\"MailItemsAccessed\",\
         \"OrganizationId\":\"4f2c3a1e-0000-4000-8000-000000000000\",\"RecordType\":50,\
         \"ResultStatus\":\"Succeeded\",\"UserKey\":\"1003200000000000\",\"UserType\":0,\
         \"Workload\":\"Exchange\",\"ClientIPAddress\":\"{ip}\",\"UserId\":\"{user}\",\
         \"ClientInfoString\":\"Client=OWA;Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\
         \"MailboxOwnerUPN\":\"{user}\",\"OperationCount\":3}}",
        time.format("%Y-%m-%dT%H:%M:%S")
    );
    let action = if record.is_multiple_of(4) {
        Action::SignIn(SignIn {
            interactive: Some(true),
            client_app: Some("Browser".into()),
            ..SignIn::default()
        })
    } else {
        Action::MailAccessed(MailAccess {
            count: 3,
            access_type: Some("Bind".into()),
            ..MailAccess::default()
        })
    };
    let mut e = Event::new(
        EvidenceRef {
            evidence: ev,
            record,
        },
        time,
        SourceKind::M365Ual,
        action,
        RawRecord(raw),
    );
    e.account = Account::new(&user);
    e.outcome = Outcome::Success;
    e.client = Client {
        ip: ip.parse().ok(),
        user_agent: Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64)".into()),
        protocol: Some("OWA".into()),
        session_id: Some(format!("{:08x}-session", record / 50)),
        ..Client::default()
    };
    e.geo = Some(Geo {
        country: Some("FR".into()),
        asn: Some(3215),
        as_org: Some("Orange".into()),
        net_class: NetClass::Public,
    });
    e
}
