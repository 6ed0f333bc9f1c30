//! Framing: from the bytes of a file to records (JSON text) with their positions.
//!
//! - encodings: UTF-8 with or without BOM, UTF-16 LE/BE (PowerShell exports) transcoded
//!   while streaming; binary content is refused as a whole;
//! - JSON lines, parsed in parallel in line-aligned chunks and emitted in file order;
//! - JSON documents: an array, one object, concatenated objects, and the
//!   `{"value": [...]}` (Graph) and `{"records": [...]}` (Azure Monitor) wrappers,
//!   streamed element by element;
//! - CSV, with the delimiter and day/month order found from the file itself.

use std::cell::Cell;
use std::collections::VecDeque;
use std::error::Error;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc;

use mailcase_model::{Event, EvidenceId, EvidenceRef};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::time::DateOrder;
use crate::{Batch, Format, ReadSummary, RecordCtx, RecordWarning, SourceError};

/// Longest record (line, CSV row or JSON element) read; longer ones are skipped with
/// a warning, so that one hostile line cannot exhaust memory.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;
/// Size of the chunks JSON lines are cut into for parallel parsing.
const CHUNK_BYTES: usize = 1024 * 1024;
/// Records per batch handed to the sink on the sequential paths.
const BATCH_RECORDS: usize = 2048;
/// Records read ahead in a CSV file to find its day/month order.
const DATE_ORDER_PROBE: usize = 2000;
/// Bytes of rows held for that probe, at most (plus one row).
const DATE_ORDER_PROBE_BYTES: usize = 4 * MAX_RECORD_BYTES;

/// Turns one record (JSON text) into an event.
pub(crate) type ToEvent = fn(&str, &RecordCtx) -> Result<Event, String>;

/// How a format's records become events: whole records (JSON text, CSV rows as JSON
/// objects) or lines of a text log.
#[derive(Clone, Copy)]
pub(crate) enum Parser {
    /// One record, as JSON text, to one event.
    Record(ToEvent),
    /// One line of a text log (see [`crate::LineToEvent`]).
    Line(crate::LineToEvent),
}

/// The sink the caller gives to [`crate::read_file`].
pub(crate) type SinkError = Box<dyn Error + Send + Sync>;

/// Text encoding of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 (or ASCII), BOM or not.
    Utf8,
    /// UTF-16 little-endian.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
}

/// The encoding of a file from its first bytes and the length of its byte order mark;
/// `Err` with the reason when the content is binary.
pub(crate) fn detect_encoding(head: &[u8]) -> Result<(Encoding, usize), String> {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => return Ok((Encoding::Utf8, 3)),
        [0xFF, 0xFE, ..] => return Ok((Encoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => return Ok((Encoding::Utf16Be, 2)),
        _ => {}
    }
    let probe = head.get(..head.len().min(64 * 1024)).unwrap_or(head);
    let zeros_at = |parity: usize| probe.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let half = probe.len() / 2;
    // UTF-16 text without BOM: ASCII characters leave every other byte zero.
    if half >= 4 && zeros_at(1) * 10 >= half * 9 && zeros_at(0) == 0 {
        return Ok((Encoding::Utf16Le, 0));
    }
    if half >= 4 && zeros_at(0) * 10 >= half * 9 && zeros_at(1) == 0 {
        return Ok((Encoding::Utf16Be, 0));
    }
    if let Some(at) = memchr::memchr(0, probe) {
        return Err(format!("binary content (NUL byte at offset {at}), not UTF-8 or UTF-16 text"));
    }
    Ok((Encoding::Utf8, 0))
}

/// The first bytes of a file as text, for sniffing; `None` when binary. A character
/// cut at the end of `head` is replaced, not an error.
pub(crate) fn decode_head(head: &[u8]) -> Option<(Encoding, String)> {
    let (encoding, bom) = detect_encoding(head).ok()?;
    let body = head.get(bom..).unwrap_or_default();
    let text = match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(body).into_owned(),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let units = body.chunks_exact(2).map(|p| match (encoding, p) {
                (Encoding::Utf16Le, [a, b]) => u16::from_le_bytes([*a, *b]),
                (_, [a, b]) => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            });
            char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect()
        }
    };
    Some((encoding, text))
}

/// Transcodes a UTF-16 stream into UTF-8, a block at a time.
struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, big_endian: bool) -> Self {
        Utf16Reader { inner, big_endian, raw: Vec::new(), out: Vec::new(), out_pos: 0, eof: false }
    }

    /// Decodes the next block of input into `out`.
    fn refill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() && !self.eof {
            let mut block = [0u8; 64 * 1024];
            let n = self.inner.read(&mut block)?;
            if n == 0 {
                self.eof = true;
            }
            self.raw.extend_from_slice(block.get(..n).unwrap_or_default());
            let mut units: Vec<u16> = self
                .raw
                .chunks_exact(2)
                .map(|p| match p {
                    [a, b] if self.big_endian => u16::from_be_bytes([*a, *b]),
                    [a, b] => u16::from_le_bytes([*a, *b]),
                    _ => 0xFFFD,
                })
                .collect();
            let mut used = units.len() * 2;
            // Keep a high surrogate cut at the block end for the next block.
            if !self.eof && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                units.pop();
                used -= 2;
            }
            if self.eof {
                used = self.raw.len();
            }
            let mut utf8 = [0u8; 4];
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or('\u{FFFD}');
                self.out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
            self.raw.drain(..used.min(self.raw.len()));
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out_pos >= self.out.len() {
            self.refill()?;
        }
        let available = self.out.get(self.out_pos..).unwrap_or_default();
        let n = available.len().min(buf.len());
        buf.get_mut(..n).unwrap_or_default().copy_from_slice(available.get(..n).unwrap_or_default());
        self.out_pos += n;
        Ok(n)
    }
}

/// Counts the bytes read from the file, for progress reports.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Bytes read since the last record boundary, shared between a [`Bounded`] reader and
/// the code that sees the boundaries.
#[derive(Debug, Default)]
struct RecordBound {
    since: Cell<u64>,
    tripped: Cell<bool>,
}

impl RecordBound {
    /// Bytes a record may span before reading fails: the record limit, plus room for
    /// the csv reader's read-ahead (a few KiB) so that a row just over the limit is
    /// still read whole and skipped rather than stopping the file.
    const LIMIT: u64 = MAX_RECORD_BYTES as u64 + 64 * 1024;

    /// A record ended: its bytes no longer count.
    fn reset(&self) {
        self.since.set(0);
    }
}

/// Fails reading once [`RecordBound::LIMIT`] bytes have been read since the last
/// record boundary, so that a record that never ends (an unclosed quote or string)
/// cannot load the rest of the file into memory: parsers buffer a record whole.
struct Bounded<'b, R> {
    inner: R,
    bound: &'b RecordBound,
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = RecordBound::LIMIT.saturating_sub(self.bound.since.get());
        if room == 0 && !buf.is_empty() {
            self.bound.tripped.set(true);
            return Err(std::io::Error::other("record over the size limit"));
        }
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..len).unwrap_or_default())?;
        self.bound.since.set(self.bound.since.get() + n as u64);
        Ok(n)
    }
}

/// Opens `path` as a UTF-8 stream (BOM removed, UTF-16 transcoded).
fn open_text(path: &Path, count: Rc<Cell<u64>>) -> Result<Box<dyn Read>, SourceError> {
    let io = |source| SourceError::Io { path: path.to_path_buf(), source };
    let mut head = Vec::new();
    File::open(path).map_err(io)?.take(64 * 1024).read_to_end(&mut head).map_err(io)?;
    let (encoding, bom) = detect_encoding(&head)
        .map_err(|reason| SourceError::Unreadable { path: path.to_path_buf(), reason })?;
    let mut file = Counting { inner: File::open(path).map_err(io)?, count };
    let mut skipped = vec![0u8; bom];
    file.read_exact(&mut skipped).map_err(io)?;
    Ok(match encoding {
        Encoding::Utf8 => Box::new(file),
        Encoding::Utf16Le => Box::new(Utf16Reader::new(file, false)),
        Encoding::Utf16Be => Box::new(Utf16Reader::new(file, true)),
    })
}

/// Gathers events and warnings into batches and hands them to the sink.
struct Collector<F> {
    sink: F,
    parser: Parser,
    ctx: RecordCtx,
    bytes: Rc<Cell<u64>>,
    batch: Batch,
    summary: ReadSummary,
    failed: Option<SinkError>,
}

impl<F> Collector<F>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    fn ctx_at(&self, record: u64) -> RecordCtx {
        RecordCtx { at: EvidenceRef { evidence: self.ctx.at.evidence, record }, ..self.ctx }
    }

    /// Parses one record; `false` when the sink failed and reading must stop.
    fn record(&mut self, record: u64, json: &str) -> bool {
        self.batch.records += 1;
        let Parser::Record(to_event) = self.parser else {
            self.batch.warnings.push(RecordWarning { record, message: "a text log cannot hold records".into() });
            return self.maybe_flush();
        };
        match to_event(json, &self.ctx_at(record)) {
            Ok(event) => self.batch.events.push(event),
            Err(message) => self.batch.warnings.push(RecordWarning { record, message }),
        }
        self.maybe_flush()
    }

    fn warn(&mut self, record: u64, message: String) -> bool {
        self.batch.warnings.push(RecordWarning { record, message });
        self.maybe_flush()
    }

    fn maybe_flush(&mut self) -> bool {
        if self.batch.records as usize >= BATCH_RECORDS {
            return self.flush();
        }
        true
    }

    /// Hands a finished batch to the sink (also used by the parallel path).
    fn emit(&mut self, mut batch: Batch) -> bool {
        if self.failed.is_some() {
            return false;
        }
        batch.bytes_read = self.bytes.get();
        self.summary.records += batch.records;
        self.summary.events += batch.events.len() as u64;
        self.summary.warnings += batch.warnings.len() as u64;
        if batch.records == 0 && batch.events.is_empty() && batch.warnings.is_empty() {
            return true;
        }
        match (self.sink)(batch) {
            Ok(()) => true,
            Err(e) => {
                self.failed = Some(e);
                false
            }
        }
    }

    fn flush(&mut self) -> bool {
        let batch = std::mem::take(&mut self.batch);
        self.emit(batch)
    }

    fn finish(mut self, path: &Path) -> Result<ReadSummary, SourceError> {
        self.flush();
        match self.failed {
            Some(source) => Err(SourceError::Sink { path: path.to_path_buf(), source }),
            None => Ok(self.summary),
        }
    }
}

/// Reads `path` as `format`, handing batches to `sink`.
pub(crate) fn read<F>(
    path: &Path,
    format: Format,
    evidence: EvidenceId,
    parser: Parser,
    sink: F,
) -> Result<ReadSummary, SourceError>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    let bytes = Rc::new(Cell::new(0));
    let reader = open_text(path, bytes.clone())?;
    let file_time = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(chrono::DateTime::<chrono::Utc>::from);
    let ctx = RecordCtx { at: EvidenceRef { evidence, record: 0 }, date_order: DateOrder::default(), file_time };
    let mut collector =
        Collector { sink, parser, ctx, bytes, batch: Batch::default(), summary: ReadSummary::default(), failed: None };
    let mut reader = BufReader::with_capacity(1024 * 1024, reader);
    let io = |source| SourceError::Io { path: path.to_path_buf(), source };
    if format.is_text_log() {
        read_json_lines(&mut reader, &mut collector).map_err(io)?;
    } else if format.is_csv() {
        read_csv(&mut reader, format, &mut collector).map_err(io)?;
    } else {
        read_json(&mut reader, &mut collector).map_err(io)?;
    }
    collector.finish(path)
}

// ------------------------------------------------------------------------------------
// JSON
// ------------------------------------------------------------------------------------

/// How a JSON file is laid out.
#[derive(Debug, PartialEq, Eq)]
enum JsonLayout {
    /// One record per line.
    Lines,
    /// A top-level array.
    Array,
    /// An object holding the records under `value` or `records`.
    Wrapper,
    /// One or more objects, possibly over several lines.
    Objects,
    /// Nothing but whitespace.
    Empty,
}

/// Finds the layout from the start of the file (skipping leading whitespace).
fn json_layout<R: BufRead>(reader: &mut R) -> std::io::Result<JsonLayout> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(JsonLayout::Empty);
        }
        let ws = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if ws == buf.len() {
            reader.consume(ws);
            continue;
        }
        // Keep leading blank lines so that line numbers stay right; just look past them.
        let Some(rest) = buf.get(ws..) else { return Ok(JsonLayout::Empty) };
        return Ok(match rest.first() {
            Some(b'[') => JsonLayout::Array,
            _ if looks_like_wrapper(rest) => JsonLayout::Wrapper,
            _ => match memchr::memchr(b'\n', rest) {
                Some(end) if is_complete_json(rest.get(..end).unwrap_or_default()) => JsonLayout::Lines,
                None if is_complete_json(rest) => JsonLayout::Lines,
                // A first line too long to see whole: records on one line each.
                None => JsonLayout::Lines,
                Some(_) => JsonLayout::Objects,
            },
        });
    }
}

fn is_complete_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(bytes).is_ok()
}

/// `{"@odata.context": "...", "value": [`, `{"records": [` or (Google Reports API pages)
/// `{"kind": "admin#reports#activities", "items": [`: an object whose first
/// array-valued key is `value`, `records` or `items`, before any nested object.
fn looks_like_wrapper(start: &[u8]) -> bool {
    let probe = start.get(..start.len().min(8192)).unwrap_or(start);
    let text = String::from_utf8_lossy(probe);
    if !text.starts_with('{') {
        return false;
    }
    for key in ["\"value\"", "\"records\"", "\"items\""] {
        let Some(at) = text.find(key) else { continue };
        let before = text.get(1..at).unwrap_or("");
        let after = text.get(at + key.len()..).unwrap_or("").trim_start();
        let opens_array = after.strip_prefix(':').is_some_and(|a| a.trim_start().starts_with('['));
        if opens_array && !before.contains('{') && !before.contains('[') {
            return true;
        }
    }
    false
}

fn read_json<R, F>(reader: &mut R, collector: &mut Collector<F>) -> std::io::Result<()>
where
    R: BufRead,
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    match json_layout(reader)? {
        JsonLayout::Empty => Ok(()),
        JsonLayout::Lines => read_json_lines(reader, collector),
        layout => {
            read_json_document(reader, layout, collector);
            Ok(())
        }
    }
}

/// Streams the elements of a JSON document to the collector.
fn read_json_document<R, F>(reader: &mut R, layout: JsonLayout, collector: &mut Collector<F>)
where
    R: BufRead,
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    let bound = RecordBound::default();
    let mut state = Elements { collector, index: 0, stopped: false, bound: &bound };
    let mut de = serde_json::Deserializer::from_reader(Bounded { inner: reader, bound: &bound });
    let result = match layout {
        JsonLayout::Array => serde::Deserializer::deserialize_seq(&mut de, SeqVisitor(&mut state)),
        JsonLayout::Wrapper => serde::Deserializer::deserialize_map(&mut de, WrapperVisitor(&mut state)),
        _ => {
            for value in de.into_iter::<Box<RawValue>>() {
                match value {
                    Ok(raw) => {
                        if !state.element(raw.get()) {
                            return;
                        }
                    }
                    Err(e) => {
                        let at = state.index + 1;
                        state.collector.warn(at, document_error(&e, at, &bound));
                        return;
                    }
                }
            }
            return;
        }
    };
    if let Err(e) = result
        && !state.stopped
    {
        let at = state.index + 1;
        state.collector.warn(at, document_error(&e, at, &bound));
    }
}

fn document_error(e: &serde_json::Error, at: u64, bound: &RecordBound) -> String {
    if bound.tripped.get() {
        format!(
            "element {at} is still open after {} MiB, over the record limit (an unclosed string, object or \
             array?): reading stopped there; the elements before it were read",
            MAX_RECORD_BYTES >> 20
        )
    } else if e.is_eof() {
        format!("JSON document is truncated at element {at} (line {}); the elements before it were read", e.line())
    } else {
        format!("invalid JSON at element {at} (line {}, column {}): {e}; reading stopped there", e.line(), e.column())
    }
}

/// The per-element state of a document being streamed.
struct Elements<'c, F> {
    collector: &'c mut Collector<F>,
    index: u64,
    stopped: bool,
    /// Reset at each element: the bytes of one element are bounded while it is read.
    bound: &'c RecordBound,
}

impl<F> Elements<'_, F>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    /// One element; `false` when the sink failed.
    fn element(&mut self, json: &str) -> bool {
        self.bound.reset();
        self.index += 1;
        let ok = if json.len() > MAX_RECORD_BYTES {
            let msg = format!("element is {} bytes, over the {} MiB limit: skipped", json.len(), MAX_RECORD_BYTES >> 20);
            self.collector.batch.records += 1;
            self.collector.warn(self.index, msg)
        } else {
            self.collector.record(self.index, json)
        };
        self.stopped = !ok;
        ok
    }
}

/// Something that consumes the elements of a sequence.
trait DeserializeSeedSeq<'de> {
    fn visit<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error>;
}

struct SeqVisitor<S>(S);

impl<'de, S: DeserializeSeedSeq<'de>> Visitor<'de> for SeqVisitor<S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.0.visit(seq)
    }
}

impl<'de, F> DeserializeSeedSeq<'de> for &mut Elements<'_, F>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    fn visit<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            if !self.element(raw.get()) {
                return Err(serde::de::Error::custom("sink failed"));
            }
        }
        Ok(())
    }
}

impl<'de, F> DeserializeSeed<'de> for &mut Elements<'_, F>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(SeqVisitor(self))
    }
}

/// Visits `{"value": [...]}` / `{"records": [...]}`, streaming the array.
struct WrapperVisitor<'s, 'c, F>(&'s mut Elements<'c, F>);

impl<'de, F> Visitor<'de> for WrapperVisitor<'_, '_, F>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a `value` or `records` array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "value" || key == "records" || key == "items" {
                map.next_value_seed(&mut *self.0)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Reads JSON lines: chunks cut at line ends are parsed on all cores and emitted in
/// file order, with only a few chunks in flight. The main thread reads the next chunk
/// while the pool parses the previous ones; chunk buffers come back to it once parsed,
/// so a file of any size is read into the same few allocations.
fn read_json_lines<R, F>(reader: &mut R, collector: &mut Collector<F>) -> std::io::Result<()>
where
    R: BufRead,
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    let max_in_flight = rayon::current_num_threads() + 2;
    let mut pending: VecDeque<mpsc::Receiver<Batch>> = VecDeque::new();
    let (give_back, spare) = mpsc::channel();
    let mut chunks = LineChunks::new(reader, spare);
    let ctx = collector.ctx;
    let parser = collector.parser;
    // The `#Fields:` directive in force at the start of the next chunk (W3C logs).
    let mut header: Option<Arc<str>> = None;
    while let Some(piece) = chunks.next_piece()? {
        let (tx, rx) = mpsc::sync_channel(1);
        match piece {
            Piece::Chunk { buffer, len, first_line, lines, last } => {
                let give_back = give_back.clone();
                let chunk_header = header.clone();
                if matches!(parser, Parser::Line(_))
                    && let Some(h) = last_directive(buffer.get(..len).unwrap_or_default())
                {
                    header = Some(h);
                }
                rayon::spawn(move || {
                    let bytes = buffer.get(..len).unwrap_or_default();
                    let batch = std::panic::catch_unwind(|| match parser {
                        Parser::Record(to_event) => parse_lines(bytes, first_line, lines, last, &ctx, to_event),
                        Parser::Line(to_event) => {
                            parse_text_lines(bytes, first_line, last, &ctx, to_event, chunk_header)
                        }
                    })
                    .unwrap_or_else(|_| internal_error(first_line));
                    // Buffers grown for a long line are not kept.
                    if buffer.len() == CHUNK_BYTES {
                        let _ = give_back.send(buffer);
                    }
                    let _ = tx.send(batch);
                });
            }
            Piece::TooLong { line, len } => {
                let message = format!(
                    "line is longer than the {} MiB limit ({len}+ bytes): skipped",
                    MAX_RECORD_BYTES >> 20
                );
                let batch = Batch { records: 1, warnings: vec![RecordWarning { record: line, message }], ..Batch::default() };
                let _ = tx.send(batch);
            }
        }
        pending.push_back(rx);
        while pending.len() >= max_in_flight {
            if !emit_next(&mut pending, collector) {
                return Ok(());
            }
        }
    }
    while !pending.is_empty() {
        if !emit_next(&mut pending, collector) {
            return Ok(());
        }
    }
    Ok(())
}

fn internal_error(first_line: u64) -> Batch {
    let message = "internal error while parsing this chunk of lines; they were skipped".to_string();
    Batch { warnings: vec![RecordWarning { record: first_line, message }], ..Batch::default() }
}

fn emit_next<F>(pending: &mut VecDeque<mpsc::Receiver<Batch>>, collector: &mut Collector<F>) -> bool
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    let Some(rx) = pending.pop_front() else { return true };
    let batch = rx.recv().unwrap_or_else(|_| internal_error(0));
    collector.emit(batch)
}

/// A piece of a JSON lines file.
enum Piece {
    /// Whole lines (`buffer[..len]`, `lines` line ends) starting at line `first_line`;
    /// `last` when it ends the file.
    Chunk { buffer: Vec<u8>, len: usize, first_line: u64, lines: usize, last: bool },
    /// A line over [`MAX_RECORD_BYTES`], skipped.
    TooLong { line: u64, len: usize },
}

/// Cuts a stream into line-aligned chunks, reading straight into chunk buffers.
struct LineChunks<'r, R> {
    reader: &'r mut R,
    /// The start of a line cut at the end of the previous chunk.
    carry: Vec<u8>,
    next_line: u64,
    eof: bool,
    /// Buffers of [`CHUNK_BYTES`] handed back once parsed.
    spare: mpsc::Receiver<Vec<u8>>,
}

impl<'r, R: BufRead> LineChunks<'r, R> {
    fn new(reader: &'r mut R, spare: mpsc::Receiver<Vec<u8>>) -> Self {
        LineChunks { reader, carry: Vec::new(), next_line: 1, eof: false, spare }
    }

    fn next_piece(&mut self) -> std::io::Result<Option<Piece>> {
        if self.eof && self.carry.is_empty() {
            return Ok(None);
        }
        let mut buffer = self.spare.try_recv().unwrap_or_else(|_| vec![0; CHUNK_BYTES]);
        let mut len = self.carry.len();
        if buffer.len() <= len {
            buffer.resize(len + CHUNK_BYTES, 0);
        }
        if let Some(start) = buffer.get_mut(..len) {
            start.copy_from_slice(&self.carry);
        }
        self.carry.clear();
        loop {
            len = self.fill(&mut buffer, len)?;
            let first_line = self.next_line;
            let data = buffer.get(..len).unwrap_or_default();
            if self.eof {
                let lines = memchr::memchr_iter(b'\n', data).count() + 1;
                return Ok((len > 0).then_some(Piece::Chunk { buffer, len, first_line, lines, last: true }));
            }
            if let Some(end) = memchr::memrchr(b'\n', data) {
                self.carry.extend_from_slice(data.get(end + 1..).unwrap_or_default());
                let lines = memchr::memchr_iter(b'\n', data.get(..end).unwrap_or_default()).count() + 1;
                self.next_line += lines as u64;
                return Ok(Some(Piece::Chunk { buffer, len: end + 1, first_line, lines, last: false }));
            }
            if len > MAX_RECORD_BYTES {
                let len = len + self.skip_line()?;
                self.next_line += 1;
                return Ok(Some(Piece::TooLong { line: first_line, len }));
            }
            // One line fills the buffer: grow it, up to just over the limit.
            let grown = buffer.len().saturating_mul(2).min(MAX_RECORD_BYTES + 1);
            buffer.resize(grown, 0);
        }
    }

    /// Reads into `buffer[len..]` until it is full or the stream ends; returns the new
    /// length.
    fn fill(&mut self, buffer: &mut [u8], mut len: usize) -> std::io::Result<usize> {
        while let Some(space) = buffer.get_mut(len..).filter(|s| !s.is_empty()) {
            match self.reader.read(space) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(len)
    }

    /// Discards the rest of the current line; returns how many bytes it skipped.
    fn skip_line(&mut self) -> std::io::Result<usize> {
        let mut skipped = 0;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                self.eof = true;
                return Ok(skipped);
            }
            if let Some(end) = memchr::memchr(b'\n', buf) {
                self.reader.consume(end + 1);
                return Ok(skipped + end);
            }
            let n = buf.len();
            self.reader.consume(n);
            skipped += n;
        }
    }
}

/// The directive line W3C-style logs put before their records.
const FIELDS_DIRECTIVE: &[u8] = b"#Fields:";

/// The last `#Fields:` line of a chunk, if any.
fn last_directive(bytes: &[u8]) -> Option<Arc<str>> {
    let finder = memchr::memmem::Finder::new(FIELDS_DIRECTIVE);
    let mut found = None;
    for at in finder.find_iter(bytes) {
        if at == 0 || bytes.get(at - 1) == Some(&b'\n') {
            found = Some(at);
        }
    }
    let at = found?;
    let rest = bytes.get(at..)?;
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let line = rest.get(..end)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    std::str::from_utf8(line).ok().map(Arc::from)
}

/// Parses the lines of one chunk of a text log. Comment lines (`#...`) are not records;
/// a `#Fields:` line becomes the header of the lines after it.
fn parse_text_lines(
    bytes: &[u8],
    first_line: u64,
    last: bool,
    ctx: &RecordCtx,
    to_event: crate::LineToEvent,
    mut header: Option<Arc<str>>,
) -> Batch {
    // Sized once: most lines of a mail log are events.
    let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut batch = Batch { events: Vec::with_capacity(lines), ..Batch::default() };
    // Most chunks are valid UTF-8: one check of the chunk, then lines are slices of it.
    let valid = std::str::from_utf8(bytes).ok();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).map(|e| (e, true));
    let tail = (last && bytes.last() != Some(&b'\n')).then_some((bytes.len(), false));
    for ((end, terminated), at) in ends.chain(tail).zip(first_line..) {
        let line_start = start;
        let line = bytes.get(start..end).unwrap_or_default();
        start = end + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.first() == Some(&b'#') {
            if line.starts_with(FIELDS_DIRECTIVE) {
                header = std::str::from_utf8(line).ok().map(Arc::from);
            }
            continue;
        }
        batch.records += 1;
        // Text logs are often Latin-1 or mixed: read what is not UTF-8 lossily rather
        // than dropping the line.
        let text = match valid.and_then(|v| v.get(line_start..line_start + line.len())) {
            Some(text) => std::borrow::Cow::Borrowed(text),
            None => String::from_utf8_lossy(line),
        };
        let ctx = RecordCtx { at: EvidenceRef { evidence: ctx.at.evidence, record: at }, ..*ctx };
        match to_event(&text, header.as_deref(), &ctx) {
            Ok(Some(event)) => batch.events.push(event),
            Ok(None) => {}
            Err(message) if !terminated => batch.warnings.push(RecordWarning {
                record: at,
                message: format!("last line is truncated or invalid (no line end): {message}"),
            }),
            Err(message) => batch.warnings.push(RecordWarning { record: at, message }),
        }
    }
    batch
}

/// Parses the lines of one chunk; `lines` (its number of lines) sizes the batch.
fn parse_lines(bytes: &[u8], first_line: u64, lines: usize, last: bool, ctx: &RecordCtx, to_event: ToEvent) -> Batch {
    let mut batch = Batch { events: Vec::with_capacity(lines), ..Batch::default() };
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).map(|e| (e, true));
    let tail = (last && bytes.last() != Some(&b'\n')).then_some((bytes.len(), false));
    for ((end, terminated), at) in ends.chain(tail).zip(first_line..) {
        let line = bytes.get(start..end).unwrap_or_default();
        start = end + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        batch.records += 1;
        let result = match std::str::from_utf8(line) {
            Err(e) => Err(format!("line is not valid UTF-8 (byte {})", e.valid_up_to())),
            Ok(text) => {
                let ctx = RecordCtx { at: EvidenceRef { evidence: ctx.at.evidence, record: at }, ..*ctx };
                to_event(text, &ctx)
            }
        };
        match result {
            Ok(event) => batch.events.push(event),
            Err(message) if !terminated => batch.warnings.push(RecordWarning {
                record: at,
                message: format!("last line is truncated or invalid (no line end): {message}"),
            }),
            Err(message) => batch.warnings.push(RecordWarning { record: at, message }),
        }
    }
    batch
}

// ------------------------------------------------------------------------------------
// CSV
// ------------------------------------------------------------------------------------

/// The delimiter a header line uses: the most frequent of `,` `;` tab outside quotes.
pub(crate) fn csv_delimiter(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts.get(*i).copied().unwrap_or(0), 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'].get(best).copied().unwrap_or(b',')
}

/// The column names of a header line, unquoted and trimmed.
pub(crate) fn split_csv_header(header: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(header.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Whether a column holds dates whose day/month order matters.
fn is_date_column(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("date") || lower.contains("received") || lower.contains("time")
}

/// The columns of a CSV file and how to turn a row into a record.
struct CsvShape {
    headers: Vec<String>,
    /// The `AuditData` column of UAL exports.
    audit_data: Option<usize>,
    date_columns: Vec<usize>,
}

impl CsvShape {
    fn new(raw_headers: &csv::ByteRecord, format: Format) -> Self {
        let mut headers: Vec<String> = Vec::new();
        for (i, h) in raw_headers.iter().enumerate() {
            let name = String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string();
            let mut name = if name.is_empty() { format!("column_{}", i + 1) } else { name };
            // Duplicate names would make an object with duplicate keys.
            if headers.contains(&name) {
                name = format!("{name}_{}", i + 1);
            }
            headers.push(name);
        }
        let ual = matches!(format, Format::UalPurviewCsv | Format::UalLegacyCsv | Format::UalSearchCsv);
        let audit_data = headers.iter().position(|h| h.eq_ignore_ascii_case("AuditData")).filter(|_| ual);
        let date_columns = headers.iter().enumerate().filter(|(_, h)| is_date_column(h)).map(|(i, _)| i).collect();
        CsvShape { headers, audit_data, date_columns }
    }

    /// The day/month order a cell of the sample proves, if any.
    fn date_order(&self, rows: &[(u64, csv::ByteRecord)]) -> Option<DateOrder> {
        self.date_cells(rows).find_map(|cell| DateOrder::detect(&String::from_utf8_lossy(cell)))
    }

    fn date_cells<'r>(&'r self, rows: &'r [(u64, csv::ByteRecord)]) -> impl Iterator<Item = &'r [u8]> + 'r {
        rows.iter().flat_map(|(_, row)| self.date_columns.iter().filter_map(|c| row.get(*c)))
    }

    /// Whether the month-first default must be reported: no cell of the sample proved
    /// the order, some cell is a slash date, and the slash dates are really used (not
    /// a UAL export whose every sampled row has an `AuditData` object, whose ISO times
    /// are read instead of the CSV columns).
    fn order_is_a_guess(&self, rows: &[(u64, csv::ByteRecord)]) -> bool {
        let slash_dates = self.date_cells(rows).any(|cell| is_slash_date(&String::from_utf8_lossy(cell)));
        let audit_data_everywhere = self
            .audit_data
            .is_some_and(|i| rows.iter().all(|(_, row)| row.get(i).and_then(audit_data_object).is_some()));
        slash_dates && !audit_data_everywhere
    }

    /// The record JSON of a row, and a warning about it if any.
    fn record(&self, row: &csv::ByteRecord) -> Result<(String, Option<String>), String> {
        if row.len() < self.headers.len() {
            return Err(format!(
                "row has {} fields where the header has {} (truncated row?): skipped",
                row.len(),
                self.headers.len()
            ));
        }
        let mut note = None;
        if let Some(cell) = self.audit_data.and_then(|i| row.get(i)) {
            match audit_data_object(cell) {
                Some(text) => return Ok((text.to_string(), None)),
                None if cell.iter().all(u8::is_ascii_whitespace) => {}
                None => note = Some("AuditData is not a valid JSON object; the CSV columns are used".to_string()),
            }
        }
        let mut json = String::with_capacity(row.as_slice().len() + 16 * self.headers.len());
        json.push('{');
        let mut lossy = false;
        for (i, (name, cell)) in self.headers.iter().zip(row.iter()).enumerate() {
            if i > 0 {
                json.push(',');
            }
            let value = String::from_utf8_lossy(cell);
            lossy |= matches!(value, std::borrow::Cow::Owned(_));
            json.push_str(&serde_json::to_string(name).unwrap_or_default());
            json.push(':');
            json.push_str(&serde_json::to_string(&value).unwrap_or_default());
        }
        json.push('}');
        if lossy {
            note = Some("row is not valid UTF-8 (a legacy code page?); invalid bytes were replaced".to_string());
        }
        Ok((json, note))
    }
}

/// The `AuditData` cell as JSON object text, when it is one.
fn audit_data_object(cell: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(cell).ok()?.trim();
    serde_json::from_str::<&RawValue>(text).is_ok_and(|v| v.get().starts_with('{')).then_some(text)
}

/// `5/6/2025`, with or without a time: a date whose day/month order matters.
fn is_slash_date(text: &str) -> bool {
    let date = text.trim().split([' ', 'T']).next().unwrap_or_default();
    let parts: Vec<&str> = date.split('/').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn read_csv<R, F>(reader: &mut R, format: Format, collector: &mut Collector<F>) -> std::io::Result<()>
where
    R: BufRead,
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    let skipped = skip_preamble(reader)?;
    let mut line_offset = skipped;
    let head = reader.fill_buf()?;
    let first_line_end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    // With CRLF line ends the csv crate gives each row the line number before the
    // previous row's `\n`: one less than the line where the row starts.
    if first_line_end > 0 && head.get(first_line_end - 1) == Some(&b'\r') {
        line_offset += 1;
    }
    let delimiter = csv_delimiter(&String::from_utf8_lossy(head.get(..first_line_end).unwrap_or_default()));
    let bound = RecordBound::default();
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(Bounded { inner: reader, bound: &bound });
    let headers = match csv.byte_headers() {
        Ok(h) => h.clone(),
        Err(_) if bound.tripped.get() => {
            collector.warn(1 + skipped, too_long_row(1 + skipped));
            return Ok(());
        }
        Err(e) => {
            collector.warn(1 + line_offset, format!("unreadable CSV header: {e}"));
            return Ok(());
        }
    };
    let shape = CsvShape::new(&headers, format);
    bound.reset();
    let mut probe = Vec::new();
    let mut probe_bytes = 0;
    let mut row = csv::ByteRecord::new();
    let mut done = false;
    // Bounded in rows and in bytes: rows of up to 16 MiB each are held here.
    while probe.len() < DATE_ORDER_PROBE && probe_bytes < DATE_ORDER_PROBE_BYTES && !done {
        done = !next_row(&mut csv, &mut row, (line_offset, &bound), collector, &mut probe)?;
        probe_bytes = probe.iter().map(|(_, r)| r.as_slice().len()).sum();
    }
    collector.ctx.date_order = match shape.date_order(&probe) {
        Some(order) => order,
        None => {
            if shape.order_is_a_guess(&probe) {
                let message = format!(
                    "the day/month order of the slash dates is ambiguous (no date in the first {} rows has a \
                     day above 12): month-first (US, the Microsoft default) was assumed for the whole file",
                    probe.len()
                );
                collector.warn(skipped + 1, message);
            }
            DateOrder::MonthFirst
        }
    };
    for (line, row) in &probe {
        if !csv_record(&shape, *line, row, collector) {
            return Ok(());
        }
    }
    while !done {
        let mut one = Vec::with_capacity(1);
        done = !next_row(&mut csv, &mut row, (line_offset, &bound), collector, &mut one)?;
        if let Some((line, row)) = one.first()
            && !csv_record(&shape, *line, row, collector)
        {
            return Ok(());
        }
    }
    Ok(())
}

/// Reads one row into `out`; `false` at the end of the file, or when a row overran the
/// record limit (reading cannot resume inside it).
fn next_row<R: Read, F>(
    csv: &mut csv::Reader<R>,
    row: &mut csv::ByteRecord,
    (line_offset, bound): (u64, &RecordBound),
    collector: &mut Collector<F>,
    out: &mut Vec<(u64, csv::ByteRecord)>,
) -> std::io::Result<bool>
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    let start = csv.position().line() + line_offset;
    let result = csv.read_byte_record(row);
    bound.reset();
    match result {
        Ok(false) => Ok(false),
        Ok(true) => {
            let line = row.position().map_or(0, |p| p.line()) + line_offset;
            out.push((line, row.clone()));
            Ok(true)
        }
        Err(_) if bound.tripped.get() => {
            collector.batch.records += 1;
            collector.warn(start, too_long_row(start));
            Ok(false)
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line()) + line_offset;
            match e.into_kind() {
                csv::ErrorKind::Io(io) => Err(io),
                other => Ok(collector.warn(line, format!("unreadable CSV row: {other:?}"))),
            }
        }
    }
}

fn too_long_row(line: u64) -> String {
    format!(
        "row starting at line {line} is still open after {} MiB, over the record limit (an unclosed quote?): \
         reading stopped there; the rows before it were read",
        MAX_RECORD_BYTES >> 20
    )
}

fn csv_record<F>(shape: &CsvShape, line: u64, row: &csv::ByteRecord, collector: &mut Collector<F>) -> bool
where
    F: FnMut(Batch) -> Result<(), SinkError>,
{
    if row.as_slice().len() > MAX_RECORD_BYTES {
        collector.batch.records += 1;
        let msg = format!("row is longer than the {} MiB limit: skipped", MAX_RECORD_BYTES >> 20);
        return collector.warn(line, msg);
    }
    match shape.record(row) {
        Ok((json, note)) => {
            if let Some(note) = note
                && !collector.warn(line, note)
            {
                return false;
            }
            collector.record(line, &json)
        }
        Err(message) => {
            collector.batch.records += 1;
            collector.warn(line, message)
        }
    }
}

/// Whether a line before a CSV header is skipped: blank lines and the `#TYPE ...` lines
/// `Export-Csv` writes. Any other line (even one starting with `#`) is the header.
/// The sniffer uses the same rule, so both see the same header.
pub(crate) fn is_preamble_line(line: &str) -> bool {
    let line = line.trim_start_matches('\u{feff}').trim();
    line.is_empty() || line.starts_with("#TYPE")
}

/// Skips the preamble lines ([`is_preamble_line`]); returns how many were skipped.
fn skip_preamble<R: BufRead>(reader: &mut R) -> std::io::Result<u64> {
    let mut skipped = 0;
    loop {
        let head = reader.fill_buf()?;
        let end = memchr::memchr(b'\n', head).map_or(head.len(), |e| e + 1);
        let line = String::from_utf8_lossy(head.get(..end.min(256)).unwrap_or_default()).into_owned();
        if head.is_empty() || !is_preamble_line(&line) {
            return Ok(skipped);
        }
        // A preamble line may be longer than the buffer: read it to its end, bounded.
        let mut sink = Vec::new();
        reader.take(64 * 1024).read_until(b'\n', &mut sink)?;
        skipped += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_encodings() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBF{}"), Ok((Encoding::Utf8, 3)));
        assert_eq!(detect_encoding(b"\xFF\xFE{\0}\0"), Ok((Encoding::Utf16Le, 2)));
        assert_eq!(detect_encoding(b"\xFE\xFF\0{\0}"), Ok((Encoding::Utf16Be, 2)));
        assert_eq!(detect_encoding(b"{\0\"\0a\0\"\0:\x001\0}\0"), Ok((Encoding::Utf16Le, 0)));
        assert!(detect_encoding(b"PK\x03\x04\x00\x00\x08\x00garbage").is_err());
        assert_eq!(detect_encoding(b"plain"), Ok((Encoding::Utf8, 0)));
    }

    #[test]
    fn transcodes_utf16_across_blocks() {
        let text = "é😀x".repeat(40_000);
        let mut le = vec![];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut out = String::new();
        Utf16Reader::new(&le[..], false).read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        // A lone trailing byte and a lone surrogate become replacement characters.
        let mut bad = vec![0x3D, 0xD8, b'a', 0, 0x41];
        bad.truncate(5);
        let mut out = String::new();
        Utf16Reader::new(&bad[..], false).read_to_string(&mut out).unwrap();
        assert!(out.starts_with('\u{FFFD}'), "{out:?}");
    }

    #[test]
    fn picks_the_csv_delimiter() {
        assert_eq!(csv_delimiter("a,b,c"), b',');
        assert_eq!(csv_delimiter("a;b;\"c,d,e\""), b';');
        assert_eq!(csv_delimiter("a\tb\tc"), b'\t');
        assert_eq!(split_csv_header("\"Date (UTC)\", User ,x", b','), vec!["Date (UTC)", "User", "x"]);
    }

    #[test]
    fn finds_the_json_layout() {
        let layout = |s: &str| json_layout(&mut s.as_bytes()).unwrap();
        assert_eq!(layout("  [ {} ]"), JsonLayout::Array);
        assert_eq!(layout("{\"a\":1}\n{\"a\":2}\n"), JsonLayout::Lines);
        assert_eq!(layout("{\"a\":1}"), JsonLayout::Lines);
        assert_eq!(layout("{\n  \"a\": 1\n}\n"), JsonLayout::Objects);
        assert_eq!(layout("{\"@odata.context\":\"x\",\"value\":[{\"a\":1}]}"), JsonLayout::Wrapper);
        assert_eq!(layout("{\n \"records\": [\n {\"a\":1}]}"), JsonLayout::Wrapper);
        assert_eq!(layout("{\"kind\":\"admin#reports#activities\",\"etag\":\"\\\"e\\\"\",\"items\":[{}]}"), JsonLayout::Wrapper);
        assert_eq!(layout("{\"x\":{\"value\":[1]}}"), JsonLayout::Lines);
        assert_eq!(layout(" \n "), JsonLayout::Empty);
    }

    /// The chunks of `text` as (text, first line, lines, last).
    fn chunks_of(text: &str) -> Vec<(String, u64, usize, bool)> {
        let mut reader = text.as_bytes();
        let (_give_back, spare) = mpsc::channel();
        let mut chunks = LineChunks::new(&mut reader, spare);
        let mut out = Vec::new();
        while let Some(piece) = chunks.next_piece().unwrap() {
            match piece {
                Piece::Chunk { buffer, len, first_line, lines, last } => {
                    out.push((String::from_utf8(buffer[..len].to_vec()).unwrap(), first_line, lines, last));
                }
                Piece::TooLong { .. } => panic!("no line is too long here"),
            }
        }
        out
    }

    #[test]
    fn splits_lines_into_chunks_with_line_numbers() {
        let chunks = chunks_of("{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":3");
        assert_eq!(chunks, vec![("{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":3".to_string(), 1, 4, true)]);
        // Larger than a chunk: cut at line ends, numbered on, nothing lost.
        let line = format!("{{\"x\":\"{}\"}}\n", "y".repeat(1000));
        let text = line.repeat(CHUNK_BYTES / line.len() * 3);
        let chunks = chunks_of(&text);
        assert!(chunks.len() >= 3, "{}", chunks.len());
        let mut next = 1;
        for (chunk, first, lines, last) in &chunks {
            assert_eq!(*first, next);
            assert!(chunk.ends_with('\n') && chunk.starts_with('{'));
            // The last chunk counts the (empty) text after its last line end.
            assert_eq!(chunk.matches('\n').count() + usize::from(*last), *lines);
            next += chunk.matches('\n').count() as u64;
        }
        assert!(chunks.concat_eq(&text), "chunks do not add up to the text");
        assert!(chunks.last().is_some_and(|c| c.3));
    }

    #[test]
    fn a_line_longer_than_a_chunk_is_kept_whole() {
        let long = format!("{{\"x\":\"{}\"}}", "y".repeat(CHUNK_BYTES + 10));
        let text = format!("{{}}\n{long}\n{{}}\n");
        let chunks = chunks_of(&text);
        assert!(chunks.iter().any(|c| c.0.split('\n').any(|l| l == long)), "the long line was cut");
        assert!(chunks.concat_eq(&text), "chunks do not add up to the text");
        let mut next = 1;
        for (chunk, first, _, _) in &chunks {
            assert_eq!(*first, next);
            next += chunk.matches('\n').count() as u64;
        }
    }

    /// Reads CSV `text` as `format` with the UAL or message trace parser; gives the
    /// events' records and times, and the warnings.
    fn read_csv_text(text: impl Read, format: Format) -> (Vec<(u64, String)>, Vec<RecordWarning>) {
        let to_event: ToEvent = if format.source() == mailcase_model::SourceKind::ExoMessageTrace {
            crate::message_trace::to_event
        } else {
            crate::m365_ual::to_event
        };
        let mut events = Vec::new();
        let mut warnings = Vec::new();
        let sink = |batch: Batch| -> Result<(), SinkError> {
            events.extend(batch.events.iter().map(|e| (e.evidence.record, e.time.to_rfc3339())));
            warnings.extend(batch.warnings);
            Ok(())
        };
        let ctx = RecordCtx { at: EvidenceRef { evidence: 1, record: 0 }, date_order: DateOrder::DayFirst, file_time: None };
        let mut collector = Collector {
            sink,
            parser: Parser::Record(to_event),
            ctx,
            bytes: Rc::new(Cell::new(0)),
            batch: Batch::default(),
            summary: ReadSummary::default(),
            failed: None,
        };
        let mut reader = BufReader::new(text);
        let result = if format.is_csv() {
            read_csv(&mut reader, format, &mut collector)
        } else {
            read_json(&mut reader, &mut collector)
        };
        result.expect("read");
        collector.finish(Path::new("test.csv")).expect("finish");
        (events, warnings)
    }

    /// `prefix`, then `filler` bytes without end; fails the test's read once more
    /// than 24 MiB of filler were asked for, so that a reader that does not bound a
    /// record shows up as an error instead of exhausting memory.
    struct Endless {
        prefix: Vec<u8>,
        at: usize,
        filler: u8,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.at >= self.prefix.len() + 24 * 1024 * 1024 {
                return Err(std::io::Error::other("tripwire: a record was read far past the limit"));
            }
            let n = buf.len().min(64 * 1024);
            for (i, b) in buf.iter_mut().take(n).enumerate() {
                *b = self.prefix.get(self.at + i).copied().unwrap_or(self.filler);
            }
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn an_unclosed_csv_quote_stops_the_file_within_the_limit() {
        let prefix = format!("{TRACE_HEADER}2024-03-04T08:05:00Z,a@x.fr,b@y.fr,Delivered\n2024-03-04T08:06:00Z,\"unclosed,");
        let endless = Endless { prefix: prefix.into_bytes(), at: 0, filler: b'a' };
        let (events, warnings) = read_csv_text(endless, Format::MessageTraceCsv);
        assert_eq!(events, vec![(2, "2024-03-04T08:05:00+00:00".into())]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].record, 3);
        assert!(warnings[0].message.contains("16 MiB") && warnings[0].message.contains("stopped"), "{}", warnings[0].message);
    }

    #[test]
    fn an_unclosed_json_element_stops_the_file_within_the_limit() {
        for open in ["[{\"Subject\":\"", "{\"value\":[{\"x\":[[[", "{\"a\":1}\n{\n\"Subject\":\""] {
            let good = r#"{"Received":"2024-03-04T08:05:00Z","SenderAddress":"a@x.fr","RecipientAddress":"b@y.fr"}"#;
            let prefix = match open.as_bytes().first() {
                Some(b'[') => format!("[{good},{}", &open[1..]),
                _ if open.starts_with("{\"value\"") => format!("{{\"value\":[{good},{}", &open[10..]),
                // Pretty-printed: the concatenated-objects layout, not JSON lines.
                _ => format!("{}\n{}", good.replace(",", ",\n"), &open[8..]),
            };
            let filler = if open.ends_with('[') { b'[' } else { b'a' };
            let endless = Endless { prefix: prefix.into_bytes(), at: 0, filler };
            let (events, warnings) = read_csv_text(endless, Format::MessageTraceJson);
            assert_eq!(events, vec![(1, "2024-03-04T08:05:00+00:00".into())], "{open}");
            assert_eq!(warnings.len(), 1, "{open}: {warnings:?}");
            assert_eq!(warnings[0].record, 2);
            assert!(warnings[0].message.contains("16 MiB"), "{}", warnings[0].message);
        }
    }

    const TRACE_HEADER: &str = "Received,SenderAddress,RecipientAddress,Status\n";

    #[test]
    fn an_assumed_day_month_order_is_reported_once() {
        let text = format!("{TRACE_HEADER}3/4/2024 8:05,a@x.fr,b@y.fr,Delivered\n5/6/2024 9:00,a@x.fr,b@y.fr,Delivered\n");
        let (events, warnings) = read_csv_text(text.as_bytes(), Format::MessageTraceCsv);
        assert_eq!(events, vec![(2, "2024-03-04T08:05:00+00:00".into()), (3, "2024-05-06T09:00:00+00:00".into())]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].record, 1);
        assert!(warnings[0].message.contains("month-first"), "{}", warnings[0].message);
        // A proving date: no warning; ISO dates: nothing to guess.
        let proven = format!("{TRACE_HEADER}3/4/2024 8:05,a@x.fr,b@y.fr,Delivered\n5/16/2024 9:00,a@x.fr,b@y.fr,Delivered\n");
        assert!(read_csv_text(proven.as_bytes(), Format::MessageTraceCsv).1.is_empty());
        let iso = format!("{TRACE_HEADER}2024-03-04T08:05:00Z,a@x.fr,b@y.fr,Delivered\n");
        assert!(read_csv_text(iso.as_bytes(), Format::MessageTraceCsv).1.is_empty());
    }

    #[test]
    fn ual_exports_whose_audit_data_has_iso_times_need_no_order() {
        let row = |audit: &str| format!("x,3/4/2024 8:05:03 AM,1,Send,a@x.fr,\"{audit}\"\n");
        let good = r#"{""CreationTime"":""2024-04-03T08:05:03"",""Operation"":""Send"",""UserId"":""a@x.fr""}"#;
        let header = "RecordId,CreationDate,RecordType,Operation,UserId,AuditData\n";
        let text = format!("{header}{}{}", row(good), row(good));
        let (events, warnings) = read_csv_text(text.as_bytes(), Format::UalPurviewCsv);
        assert_eq!(events.len(), 2);
        assert!(warnings.is_empty(), "{warnings:?}");
        // One row whose AuditData is unusable falls back to the CSV date: reported.
        let text = format!("{header}{}{}", row(good), row("not json"));
        let (_, warnings) = read_csv_text(text.as_bytes(), Format::UalPurviewCsv);
        assert!(warnings.iter().any(|w| w.record == 1 && w.message.contains("month-first")), "{warnings:?}");
    }

    #[test]
    fn type_and_blank_lines_before_the_header_are_skipped() {
        let text = format!("#TYPE a\n\n#TYPE b\n{TRACE_HEADER}2024-03-04T08:05:00Z,a@x.fr,b@y.fr,Delivered\n");
        let (events, warnings) = read_csv_text(text.as_bytes(), Format::MessageTraceCsv);
        assert_eq!(events, vec![(5, "2024-03-04T08:05:00+00:00".into())]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(is_preamble_line("\u{feff}#TYPE x") && is_preamble_line("  ") && !is_preamble_line("# note"));
    }

    trait ConcatEq {
        fn concat_eq(&self, text: &str) -> bool;
    }

    impl ConcatEq for Vec<(String, u64, usize, bool)> {
        fn concat_eq(&self, text: &str) -> bool {
            self.iter().map(|c| c.0.as_str()).collect::<String>() == text
        }
    }
}
