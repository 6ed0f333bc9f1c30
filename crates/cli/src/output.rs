//! Listing output: aligned tables for people, CSV for spreadsheets, JSON for scripts.
//!
//! Everything printed may come from evidence, which attackers write: tables escape
//! terminal control and bidirectional-override characters, CSV cells that a
//! spreadsheet would run as a formula are neutralised, JSON is JSON.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::Value;

use crate::args::Format;

/// Widest a table column gets before its cells are cut (with `…`).
const MAX_TABLE_WIDTH: usize = 60;

/// Writes rows of one listing in the chosen format.
pub struct Listing<W: Write> {
    format: Format,
    out: W,
    columns: Vec<String>,
    /// Table rows are kept to size the columns.
    table_rows: Vec<Vec<String>>,
    csv: Option<csv::Writer<Vec<u8>>>,
    json_rows: u64,
}

impl<W: Write> Listing<W> {
    /// Starts a listing with these column names.
    pub fn new(format: Format, out: W, columns: &[&str]) -> io::Result<Self> {
        let mut listing = Listing {
            format,
            out,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            table_rows: Vec::new(),
            csv: None,
            json_rows: 0,
        };
        match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(columns).map_err(io::Error::other)?;
                listing.csv = Some(w);
                listing.flush_csv()?;
            }
            Format::Json => listing.out.write_all(b"[")?,
            Format::Table => {}
        }
        Ok(listing)
    }

    /// Adds one row; `values` follow the columns.
    pub fn row(&mut self, values: &[Value]) -> io::Result<()> {
        match self.format {
            Format::Table => {
                let cells = values.iter().map(|v| terminal_safe(&cell_text(v)).into_owned()).collect();
                self.table_rows.push(cells);
            }
            Format::Csv => {
                let cells: Vec<String> = values.iter().map(csv_cell).collect();
                if let Some(w) = self.csv.as_mut() {
                    w.write_record(&cells).map_err(io::Error::other)?;
                }
                self.flush_csv()?;
            }
            Format::Json => {
                let object: serde_json::Map<String, Value> =
                    self.columns.iter().cloned().zip(values.iter().cloned()).collect();
                let sep = if self.json_rows == 0 { "\n  " } else { ",\n  " };
                self.out.write_all(sep.as_bytes())?;
                serde_json::to_writer(&mut self.out, &object)?;
                self.json_rows += 1;
            }
        }
        Ok(())
    }

    /// Ends the listing.
    pub fn finish(mut self) -> io::Result<()> {
        match self.format {
            Format::Table => self.write_table()?,
            Format::Csv => self.flush_csv()?,
            Format::Json => {
                let end: &[u8] = if self.json_rows == 0 { b"]\n" } else { b"\n]\n" };
                self.out.write_all(end)?;
            }
        }
        self.out.flush()
    }

    fn flush_csv(&mut self) -> io::Result<()> {
        // The csv writer only lends its buffer back when consumed: swap in a fresh one.
        if let Some(w) = self.csv.take() {
            let buf = w.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
            self.out.write_all(&buf)?;
            self.csv = Some(csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new()));
        }
        Ok(())
    }

    fn write_table(&mut self) -> io::Result<()> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &self.table_rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count().min(MAX_TABLE_WIDTH));
            }
        }
        let header: Vec<String> = self.columns.clone();
        write_table_row(&mut self.out, &header, &widths)?;
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        write_table_row(&mut self.out, &rule, &widths)?;
        for row in &self.table_rows {
            write_table_row(&mut self.out, row, &widths)?;
        }
        Ok(())
    }
}

fn write_table_row(out: &mut impl Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let shown = truncate(cell, *width);
        let pad = width.saturating_sub(shown.chars().count());
        line.push_str(&shown);
        if i + 1 < cells.len() {
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

fn truncate(s: &str, width: usize) -> Cow<'_, str> {
    if s.chars().count() <= width {
        return Cow::Borrowed(s);
    }
    let mut cut: String = s.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    Cow::Owned(cut)
}

/// Text of a JSON value for a table or CSV cell.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// A CSV cell; text that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR at
/// the start) gets a leading `'`, as OWASP recommends. Numbers stay numbers.
pub fn csv_cell(v: &Value) -> String {
    let text = cell_text(v);
    match v {
        Value::String(_) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{text}"),
        _ => text,
    }
}

/// Makes text safe to print on a terminal: control characters (C0, DEL, C1), line
/// breaks and bidirectional overrides are shown as `\u{..}` escapes instead of acting.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(format: Format, rows: &[Vec<Value>]) -> String {
        let mut buf = Vec::new();
        let mut l = Listing::new(format, &mut buf, &["a", "b"]).unwrap();
        for r in rows {
            l.row(r).unwrap();
        }
        l.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        let out = render(Format::Csv, &[vec![json!("=HYPERLINK(\"x\")"), json!(-3)], vec![json!("@SUM"), json!("ok")]]);
        assert!(out.contains("'=HYPERLINK"), "{out}");
        assert!(out.contains(",-3"), "{out}");
        assert!(out.contains("'@SUM"), "{out}");
    }

    #[test]
    fn tables_escape_terminal_controls() {
        let out = render(Format::Table, &[vec![json!("evil\u{1b}[31mred"), json!("rtl\u{202e}txt.exe")]]);
        assert!(!out.contains('\u{1b}'));
        assert!(!out.contains('\u{202e}'));
        assert!(out.contains("\\u{1b}[31mred"), "{out}");
        assert!(out.contains("\\u{202e}"), "{out}");
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let out = render(Format::Json, &[vec![json!("x"), json!(null)], vec![json!(1), json!({"k": 2})]]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v, json!([{"a": "x", "b": null}, {"a": 1, "b": {"k": 2}}]));
        assert_eq!(serde_json::from_str::<Value>(&render(Format::Json, &[])).unwrap(), json!([]));
    }

    #[test]
    fn long_cells_are_cut_in_tables() {
        let long = "x".repeat(200);
        let out = render(Format::Table, &[vec![json!(long), json!("y")]]);
        assert!(out.lines().all(|l| l.chars().count() < 100), "{out}");
        assert!(out.contains('…'));
    }
}
