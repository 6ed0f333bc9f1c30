//! Writing the report files atomically: a reader (or a crash) never sees half a report.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::data::ReportData;
use crate::error::ReportError;
use crate::{render_html, render_json};

/// File name of the HTML report.
pub const HTML_FILE: &str = "report.html";
/// File name of the JSON report.
pub const JSON_FILE: &str = "report.json";

/// Writes `report.html` and `report.json` into `dir` (created if missing) and
/// returns their paths.
///
/// Both are rendered before anything is written, so a rendering error leaves the
/// directory untouched; each file is written to a temporary file in `dir`, flushed
/// to disk, then renamed over the old one.
pub fn write_reports(data: &ReportData, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let html = render_html(data)?;
    let json = render_json(data)?;
    std::fs::create_dir_all(dir).map_err(|source| io_error(dir, source))?;
    let html_path = dir.join(HTML_FILE);
    let json_path = dir.join(JSON_FILE);
    write_atomic(&html_path, html.as_bytes())?;
    write_atomic(&json_path, json.as_bytes())?;
    Ok(vec![html_path, json_path])
}

/// Writes `bytes` to `path` through a temporary file in the same directory (a
/// rename is only atomic within one file system).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = NamedTempFile::new_in(dir).map_err(|source| io_error(dir, source))?;
    temp.write_all(bytes).map_err(|source| io_error(temp.path(), source))?;
    temp.as_file().sync_all().map_err(|source| io_error(temp.path(), source))?;
    // On failure the temporary file is removed when dropped.
    temp.persist(path).map_err(|e| io_error(path, e.error))?;
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> ReportError {
    ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}
