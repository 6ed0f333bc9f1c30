//! Unified Audit Log ingest speed: `read_file` against a baseline that only parses every
//! line into `serde_json::Value` on all cores and counts them.
//!
//! `cargo bench -p mailcase-sources --bench ual_ingest`; set `MAILCASE_BENCH_FILE` to a
//! UAL JSON lines file to measure real data, or `MAILCASE_BENCH_MB` (default 100) for
//! the size of the generated one. A `MAILCASE_BENCH_FILE` that does not exist yet is
//! generated and kept, so that runs of different builds read the same file.
//! `MAILCASE_BENCH_RUNS` (default 3) sets how many interleaved runs are made (the best
//! of each is shown); `MAILCASE_BENCH_ONLY_OURS` skips the baseline;
//! `MAILCASE_BENCH_SINK_TIME` shows the time spent in the sink.

use std::path::Path;
use std::time::Instant;

use mailcase_sources::{Format, read_file};
use rayon::prelude::*;

/// Writes `mb` MiB of varied UAL records, one per line.
fn generate(path: &Path, mb: usize) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0usize;
    let mut i = 0u64;
    while written < mb << 20 {
        let user = format!("user{}@contoso.example", i % 5000);
        let line = match i % 4 {
            0 => format!(
                r#"{{"CreationTime":"2024-03-01T10:{:02}:{:02}","Id":"{i:032x}","Operation":"MailItemsAccessed","OrganizationId":"org","RecordType":50,"ResultStatus":"Succeeded","UserKey":"1003","UserType":0,"Version":1,"Workload":"Exchange","ClientIPAddress":"81.2.69.{}:5{:04}","UserId":"{user}","AppId":"00000003-0000-0000-c000-000000000000","ClientAppId":"5a95e683-08ad-424e-a441-1d1aec52c02c","ClientInfoString":"Client=REST;;","ExternalAccess":false,"LogonType":0,"MailboxGuid":"g","MailboxOwnerUPN":"{user}","OperationProperties":[{{"Name":"MailAccessType","Value":"Bind"}},{{"Name":"IsThrottled","Value":"False"}}],"OperationCount":2,"SessionId":"s{i}","Folders":[{{"Id":"f","Path":"\\Inbox","FolderItems":[{{"InternetMessageId":"<{i}a@x.example>","SizeInBytes":1234}},{{"InternetMessageId":"<{i}b@x.example>","SizeInBytes":4321}}]}}]}}"#,
                i % 60, i % 60, i % 250, i % 9999
            ),
            1 => format!(
                r#"{{"CreationTime":"2024-03-01T11:00:00","Id":"{i:032x}","Operation":"UserLoggedIn","OrganizationId":"org","RecordType":15,"ResultStatus":"Success","UserKey":"1003","UserType":0,"Version":1,"Workload":"AzureActiveDirectory","ClientIP":"2001:db8::{:x}","ObjectId":"00000002-0000-0ff1-ce00-000000000000","UserId":"{user}","AzureActiveDirectoryEventType":1,"ExtendedProperties":[{{"Name":"ResultStatusDetail","Value":"Success"}},{{"Name":"UserAgent","Value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)"}},{{"Name":"RequestType","Value":"OAuth2:Authorize"}}],"ModifiedProperties":[],"Actor":[{{"ID":"{user}","Type":5}}],"ActorIpAddress":"2001:db8::1","ApplicationId":"4765445b-32c6-49b0-83e6-1d93765276ca","ErrorCode":"0"}}"#,
                i % 65535
            ),
            2 => format!(
                r#"{{"CreationTime":"2024-03-01T12:00:00","Id":"{i:032x}","Operation":"New-InboxRule","OrganizationId":"org","RecordType":1,"ResultStatus":"True","UserKey":"1003","UserType":2,"Version":1,"Workload":"Exchange","ClientIP":"203.0.113.7:443","ObjectId":"{user}\\rule","UserId":"{user}","Parameters":[{{"Name":"AlwaysDeleteOutlookRulesBlob","Value":"False"}},{{"Name":"Force","Value":"False"}},{{"Name":"MoveToFolder","Value":"RSS Feeds"}},{{"Name":"Name","Value":"."}},{{"Name":"MarkAsRead","Value":"True"}},{{"Name":"SubjectOrBodyContainsWords","Value":"invoice;payment"}}]}}"#
            ),
            _ => format!(
                r#"{{"CreationTime":"2024-03-01T13:00:00","Id":"{i:032x}","Operation":"Send","OrganizationId":"org","RecordType":2,"ResultStatus":"Succeeded","UserKey":"1003","UserType":0,"Version":1,"Workload":"Exchange","ClientIP":"198.51.100.4","UserId":"{user}","ClientInfoString":"Client=OWA;Action=ViaProxy","LogonType":0,"MailboxOwnerUPN":"{user}","Item":{{"Id":"x","InternetMessageId":"<{i}@contoso.example>","ParentFolder":{{"Id":"p","Path":"\\Sent Items"}},"SizeInBytes":5000,"Subject":"Updated bank details \u00e9 {i}"}},"SessionId":"s"}}"#
            ),
        };
        writeln!(out, "{line}")?;
        written += line.len() + 1;
        i += 1;
    }
    out.flush()
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = match std::env::var_os("MAILCASE_BENCH_FILE") {
        // A named file that does not exist yet is generated, then kept for later runs.
        Some(p) if !Path::new(&p).exists() => {
            let mb = std::env::var("MAILCASE_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
            generate(Path::new(&p), mb).expect("generate");
            p.into()
        }
        Some(p) => p.into(),
        None => {
            let mb = std::env::var("MAILCASE_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
            let p = dir.path().join("ual.jsonl");
            generate(&p, mb).expect("generate");
            p
        }
    };
    let size = std::fs::metadata(&path).expect("input").len() as f64;
    let mib = size / (1024.0 * 1024.0);
    let runs: usize = std::env::var("MAILCASE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    println!("input: {} ({mib:.1} MiB), {} threads, best of {runs} runs", path.display(), rayon::current_num_threads());

    // Warm the page cache so both read from memory.
    let _ = std::fs::read(&path);

    // Interleaved runs, best of each: other processes share the machine, so a single
    // run says little. CPU time (all threads) is less disturbed by them than wall time.
    let mut ours = Measure::default();
    let mut base = Measure::default();
    let only_ours = std::env::var_os("MAILCASE_BENCH_ONLY_OURS").is_some();
    for _ in 0..runs {
        ours.keep_best(measure(|| read_file_count(&path)));
        if !only_ours {
            base.keep_best(measure(|| baseline_count(&path)));
        }
    }
    ours.print("read_file", mib);
    if only_ours {
        return;
    }
    base.print("baseline (Value)", mib);
    println!(
        "read_file / baseline speed: {:.2}x wall, {:.2}x CPU time",
        base.wall / ours.wall,
        base.cpu / ours.cpu
    );
}

/// Events from `read_file`, as a caller that keeps nothing sees them.
fn read_file_count(path: &Path) -> u64 {
    let mut events = 0u64;
    let mut in_sink = 0f64;
    let summary = read_file(path, Format::UalJson, 1, |b| {
        let start = Instant::now();
        events += b.events.len() as u64;
        drop(b);
        in_sink += start.elapsed().as_secs_f64();
        Ok(())
    })
    .expect("read_file");
    if std::env::var_os("MAILCASE_BENCH_SINK_TIME").is_some() {
        println!("  (of which {in_sink:.3} s in the sink, dropping the events on the caller's thread)");
    }
    assert_eq!(summary.warnings, 0, "the generated records are all valid");
    events
}

/// The baseline: every line parsed into a `serde_json::Value` on all cores, counted.
fn baseline_count(path: &Path) -> u64 {
    let bytes = std::fs::read(path).expect("read");
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    lines.par_iter().filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok()).count() as u64
}

/// Best wall and CPU seconds over runs, and the records counted.
#[derive(Default)]
struct Measure {
    wall: f64,
    cpu: f64,
    records: u64,
}

impl Measure {
    fn keep_best(&mut self, run: Measure) {
        if self.records == 0 {
            *self = run;
            return;
        }
        self.wall = self.wall.min(run.wall);
        self.cpu = self.cpu.min(run.cpu);
    }

    fn print(&self, name: &str, mib: f64) {
        let n = self.records as f64;
        println!(
            "{name:<17}: {:.3} s wall, {:.0} MiB/s, {:.0} records/s | {:.3} s CPU, {:.0} MiB/CPU-s, {:.0} records/CPU-s ({} records)",
            self.wall,
            mib / self.wall,
            n / self.wall,
            self.cpu,
            mib / self.cpu,
            n / self.cpu,
            self.records
        );
    }
}

fn measure(f: impl FnOnce() -> u64) -> Measure {
    let (cpu0, start) = (cpu_seconds(), Instant::now());
    let records = f();
    let wall = start.elapsed().as_secs_f64();
    Measure { wall, cpu: cpu_seconds() - cpu0, records }
}

/// User plus system time of this process (all threads), from `/proc/self/stat`;
/// 0 where that file does not exist.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
