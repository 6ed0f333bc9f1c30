//! Reports of a mailcase case: a self-contained HTML report and a JSON summary, in
//! French or English.
//!
//! The caller assembles a [`ReportData`] from the case; this crate does not read
//! the case itself. All text in it is treated as attacker-controlled: in HTML it is
//! escaped, stripped of control and bidirectional-override characters, and cut to
//! a bounded length; times are shown in the case's time zone with the zone named.
//!
//! ```no_run
//! # fn demo(data: &mailcase_report::ReportData) -> Result<(), mailcase_report::ReportError> {
//! let written = mailcase_report::write_reports(data, std::path::Path::new("case/reports"))?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chart;
mod data;
mod detection_view;
mod display_text;
mod error;
mod html;
mod json;
mod labels;
mod output;
mod view;
mod zoned_time;

pub use data::{
    AccountSummary, AsnRow, CountRow, DetectionSummary, EvidenceItem, FindingItem, IndicatorItem,
    IndicatorRef, JournalItem, Lang, ReportData, TimelineItem, VerdictItem,
};
pub use error::ReportError;
pub use html::render_html;
pub use json::{JSON_FORMAT, JSON_FORMAT_VERSION, ReportDocument, Totals, parse_json, render_json};
pub use output::{HTML_FILE, JSON_FILE, write_reports};

#[cfg(test)]
mod tests;
