//! Unified Audit Log ingest speed: `read_file` against a baseline that only parses every
//! line into `serde_json::Value` on all cores and counts them.
//!
//! `cargo bench -p mailcase-sources --bench ual_ingest`; set `MAILCASE_BENCH_FILE` to a
//! UAL JSON lines file to measure real data, or `MAILCASE_BENCH_MB` (default 100) for
//! the size of the generated one.

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
        Some(p) => p.into(),
        None => {
            let mb = std::env::var("MAILCASE_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
            let p = dir.path().join("ual.jsonl");
            generate(&p, mb).expect("generate");
            p
        }
    };
    let size = std::fs::metadata(&path).expect("input").len() as f64;
    let mb = size / (1024.0 * 1024.0);
    println!("input: {} ({mb:.1} MiB), {} threads", path.display(), rayon::current_num_threads());

    // Warm the page cache so both runs read from memory.
    let _ = std::fs::read(&path);

    let start = Instant::now();
    let mut events = 0u64;
    let summary = read_file(&path, Format::UalJson, 1, |b| {
        events += b.events.len() as u64;
        Ok(())
    })
    .expect("read_file");
    let ours = start.elapsed().as_secs_f64();
    println!(
        "read_file          : {ours:.3} s, {:.0} MiB/s, {:.0} events/s ({} events, {} warnings)",
        mb / ours,
        events as f64 / ours,
        summary.events,
        summary.warnings
    );

    let start = Instant::now();
    let bytes = std::fs::read(&path).expect("read");
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let parsed = lines.par_iter().filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok()).count();
    let base = start.elapsed().as_secs_f64();
    println!(
        "baseline (Value)   : {base:.3} s, {:.0} MiB/s, {:.0} records/s ({parsed} records)",
        mb / base,
        parsed as f64 / base
    );
    println!("read_file / baseline speed: {:.2}x", base / ours);
}
