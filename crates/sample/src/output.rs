//! The output files: buffered, streaming writers that count records and bytes, and the
//! per-day batch that sorts records by time before they are written.

use crate::SampleError;
use crate::clock::us_locale;
use crate::records::TraceRow;
use crate::truth::FileCount;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Purview audit search export.
pub(crate) const PURVIEW_CSV: &str = "ual-purview.csv";
/// Management Activity API pull, one JSON record per line.
pub(crate) const API_JSONL: &str = "ual-management-api.jsonl";
/// Graph sign-ins.
pub(crate) const SIGNINS_JSON: &str = "entra-signins.json";
/// Graph directory audits.
pub(crate) const AUDIT_JSON: &str = "entra-audit.json";
/// Message trace export.
pub(crate) const TRACE_CSV: &str = "message-trace.csv";
/// Get-InboxRule export.
pub(crate) const RULES_CSV: &str = "inbox-rules.csv";
/// The answer key.
pub(crate) const TRUTH_JSON: &str = "ground-truth.json";

/// Purview export header, exactly.
pub(crate) const PURVIEW_HEADER: [&str; 8] = [
    "RecordId",
    "CreationDate",
    "RecordType",
    "Operation",
    "UserId",
    "AuditData",
    "AssociatedAdminUnits",
    "AssociatedAdminUnitsNames",
];

/// A writer that counts the bytes going through it.
#[derive(Debug)]
pub(crate) struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type FileOut = Counting<BufWriter<File>>;

fn create(dir: &Path, name: &str) -> Result<(FileOut, PathBuf), SampleError> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(|source| SampleError::Io {
        path: path.clone(),
        source,
    })?;
    Ok((
        Counting {
            inner: BufWriter::with_capacity(1 << 16, file),
            bytes: 0,
        },
        path,
    ))
}

/// One output file with its record count.
#[derive(Debug)]
struct Sink<W> {
    out: W,
    path: PathBuf,
    records: u64,
}

impl<W> Sink<W> {
    fn err(&self, source: io::Error) -> SampleError {
        SampleError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

/// Writes `{"value":[` ... `]}` one element at a time, as Graph exports look.
fn json_item(sink: &mut Sink<FileOut>, v: &Value) -> Result<(), SampleError> {
    let sep: &[u8] = if sink.records == 0 { b"\n" } else { b",\n" };
    let res = sink
        .out
        .write_all(sep)
        .and_then(|()| serde_json::to_writer(&mut sink.out, v).map_err(io::Error::from));
    res.map_err(|e| sink.err(e))?;
    sink.records += 1;
    Ok(())
}

/// Where a UAL record goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UalDest {
    /// The Purview CSV (the investigation window).
    Purview,
    /// The Management API JSON lines (earlier history and background users).
    Api,
}

/// All output files, open.
#[derive(Debug)]
pub(crate) struct Sinks {
    purview: Sink<csv::Writer<FileOut>>,
    api: Sink<FileOut>,
    signins: Sink<FileOut>,
    audit: Sink<FileOut>,
    trace: Sink<csv::Writer<FileOut>>,
}

fn csv_sink(
    dir: &Path,
    name: &str,
    always_quote: bool,
) -> Result<Sink<csv::Writer<FileOut>>, SampleError> {
    let (out, path) = create(dir, name)?;
    let style = if always_quote {
        csv::QuoteStyle::Always
    } else {
        csv::QuoteStyle::Necessary
    };
    let out = csv::WriterBuilder::new()
        .quote_style(style)
        .has_headers(false)
        .from_writer(out);
    Ok(Sink {
        out,
        path,
        records: 0,
    })
}

fn json_array_sink(dir: &Path, name: &str) -> Result<Sink<FileOut>, SampleError> {
    let (mut out, path) = create(dir, name)?;
    out.write_all(b"{\"value\":[")
        .map_err(|source| SampleError::Io {
            path: path.clone(),
            source,
        })?;
    Ok(Sink {
        out,
        path,
        records: 0,
    })
}

impl Sinks {
    /// Creates every file in `dir` and writes the headers.
    pub(crate) fn create(dir: &Path) -> Result<Sinks, SampleError> {
        let mut purview = csv_sink(dir, PURVIEW_CSV, false)?;
        purview
            .out
            .write_record(PURVIEW_HEADER)
            .map_err(|e| purview.err(e.into()))?;
        let (api_out, api_path) = create(dir, API_JSONL)?;
        // PowerShell's Export-Csv quotes every field; the trace keeps that look.
        let trace = csv_sink(dir, TRACE_CSV, true)?;
        let mut sinks = Sinks {
            purview,
            api: Sink {
                out: api_out,
                path: api_path,
                records: 0,
            },
            signins: json_array_sink(dir, SIGNINS_JSON)?,
            audit: json_array_sink(dir, AUDIT_JSON)?,
            trace,
        };
        let header = [
            "Received",
            "SenderAddress",
            "RecipientAddress",
            "Subject",
            "Status",
            "ToIP",
            "FromIP",
            "Size",
            "MessageId",
            "MessageTraceId",
        ];
        let t = &mut sinks.trace;
        t.out.write_record(header).map_err(|e| t.err(e.into()))?;
        Ok(sinks)
    }

    /// Writes one UAL record.
    pub(crate) fn ual(
        &mut self,
        dest: UalDest,
        time: DateTime<Utc>,
        v: &Value,
    ) -> Result<(), SampleError> {
        match dest {
            UalDest::Api => {
                let s = &mut self.api;
                let res = serde_json::to_writer(&mut s.out, v)
                    .map_err(io::Error::from)
                    .and_then(|()| s.out.write_all(b"\n"));
                res.map_err(|e| s.err(e))?;
                s.records += 1;
            }
            UalDest::Purview => {
                let s = &mut self.purview;
                let field = |k: &str| match v.get(k) {
                    Some(Value::String(x)) => x.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                let audit = serde_json::to_string(v).map_err(|e| s.err(e.into()))?;
                let row = [
                    field("Id"),
                    us_locale(time),
                    field("RecordType"),
                    field("Operation"),
                    field("UserId"),
                    audit,
                    String::new(),
                    String::new(),
                ];
                s.out.write_record(&row).map_err(|e| s.err(e.into()))?;
                s.records += 1;
            }
        }
        Ok(())
    }

    /// Writes one Graph sign-in.
    pub(crate) fn signin(&mut self, v: &Value) -> Result<(), SampleError> {
        json_item(&mut self.signins, v)
    }

    /// Writes one Graph directory audit.
    pub(crate) fn audit(&mut self, v: &Value) -> Result<(), SampleError> {
        json_item(&mut self.audit, v)
    }

    /// Writes one message trace row.
    pub(crate) fn trace(&mut self, row: &TraceRow) -> Result<(), SampleError> {
        let s = &mut self.trace;
        s.out.serialize(row).map_err(|e| s.err(e.into()))?;
        s.records += 1;
        Ok(())
    }

    /// Bytes written so far (approximate: CSV writers hold a small buffer).
    pub(crate) fn bytes(&self) -> u64 {
        self.purview.out.get_ref().bytes
            + self.api.out.bytes
            + self.signins.out.bytes
            + self.audit.out.bytes
            + self.trace.out.get_ref().bytes
    }

    /// Closes the arrays, flushes everything and reports counts.
    pub(crate) fn finish(mut self) -> Result<Vec<FileCount>, SampleError> {
        let mut counts = Vec::new();
        for s in [&mut self.signins, &mut self.audit] {
            s.out
                .write_all(b"\n]}\n")
                .and_then(|()| s.out.flush())
                .map_err(|e| s.err(e))?;
            counts.push(count(s.path.as_path(), s.records, s.out.bytes));
        }
        self.api.out.flush().map_err(|e| self.api.err(e))?;
        counts.push(count(&self.api.path, self.api.records, self.api.out.bytes));
        for s in [&mut self.purview, &mut self.trace] {
            s.out.flush().map_err(|e| s.err(e))?;
            counts.push(count(&s.path, s.records, s.out.get_ref().bytes));
        }
        counts.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(counts)
    }
}

fn count(path: &Path, records: u64, bytes: u64) -> FileCount {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    FileCount {
        file,
        records,
        bytes,
    }
}

/// Records of one stretch of time, sorted before writing so files read in time order.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// UAL records.
    pub ual: Vec<(DateTime<Utc>, Value)>,
    /// Graph sign-ins.
    pub signins: Vec<(DateTime<Utc>, Value)>,
    /// Graph directory audits.
    pub audits: Vec<(DateTime<Utc>, Value)>,
    /// Message trace rows.
    pub trace: Vec<(DateTime<Utc>, TraceRow)>,
}

impl Batch {
    /// Sorts and writes everything, leaving the batch empty for reuse.
    pub(crate) fn flush(&mut self, sinks: &mut Sinks, dest: UalDest) -> Result<(), SampleError> {
        self.ual.sort_by_key(|(t, _)| *t);
        self.signins.sort_by_key(|(t, _)| *t);
        self.audits.sort_by_key(|(t, _)| *t);
        self.trace.sort_by_key(|(t, _)| *t);
        for (t, v) in self.ual.drain(..) {
            sinks.ual(dest, t, &v)?;
        }
        for (_, v) in self.signins.drain(..) {
            sinks.signin(&v)?;
        }
        for (_, v) in self.audits.drain(..) {
            sinks.audit(&v)?;
        }
        for (_, row) in self.trace.drain(..) {
            sinks.trace(&row)?;
        }
        Ok(())
    }
}
