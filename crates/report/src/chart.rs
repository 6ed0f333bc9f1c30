//! Geometry of the inline SVG bar charts (successful and failed sign-ins per key).
//!
//! The template only draws what is computed here, so the chart needs no script and
//! no external resource.

use serde::Serialize;

/// Most bars drawn; the tables beside the charts list every row.
const MAX_BARS: usize = 15;
/// Longest bar label, in characters.
const MAX_LABEL: usize = 32;
const ROW_HEIGHT: f64 = 22.0;
const BAR_HEIGHT: f64 = 14.0;
const LABEL_WIDTH: f64 = 220.0;
const BAR_AREA: f64 = 400.0;
/// Full width of the chart, room for the value text after the longest bar included.
const WIDTH: f64 = LABEL_WIDTH + BAR_AREA + 100.0;

/// A horizontal stacked bar chart.
#[derive(Debug, Serialize)]
pub(crate) struct Chart {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub bar_x: f64,
    pub bars: Vec<Bar>,
}

/// One bar: successful then failed sign-ins.
#[derive(Debug, Serialize)]
pub(crate) struct Bar {
    pub label: String,
    pub y: f64,
    pub text_y: f64,
    pub bar_height: f64,
    pub ok_width: f64,
    pub failed_x: f64,
    pub failed_width: f64,
    pub value_x: f64,
    pub ok: u64,
    pub failed: u64,
}

/// The chart of the largest rows (by total sign-ins) among `(label, ok, failed)`.
pub(crate) fn chart(rows: impl Iterator<Item = (String, u64, u64)>) -> Chart {
    let mut rows: Vec<(String, u64, u64)> = rows.collect();
    // Largest first; ties keep the given order (stable sort).
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.saturating_add(r.2)));
    rows.truncate(MAX_BARS);
    let max = rows.iter().map(|r| r.1.saturating_add(r.2)).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, ok, failed))| bar(i, label, ok, failed, max))
        .collect();
    Chart {
        width: WIDTH,
        height: bars.len() as f64 * ROW_HEIGHT + 4.0,
        label_x: LABEL_WIDTH - 8.0,
        bar_x: LABEL_WIDTH,
        bars,
    }
}

fn bar(index: usize, label: String, ok: u64, failed: u64, max: u64) -> Bar {
    let scale = BAR_AREA / max as f64;
    let ok_width = round1(ok as f64 * scale);
    let failed_width = round1(failed as f64 * scale);
    let y = index as f64 * ROW_HEIGHT + 4.0;
    Bar {
        label: shorten(&label),
        y,
        text_y: y + BAR_HEIGHT - 3.0,
        bar_height: BAR_HEIGHT,
        ok_width,
        failed_x: LABEL_WIDTH + ok_width,
        failed_width,
        value_x: LABEL_WIDTH + ok_width + failed_width + 6.0,
        ok,
        failed,
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_string();
    }
    let mut short: String = label.chars().take(MAX_LABEL - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
        v.iter().map(|(l, o, f)| (l.to_string(), *o, *f)).collect()
    }

    #[test]
    fn largest_row_fills_the_bar_area_and_others_scale() {
        let c = chart(rows(&[("FR", 10, 0), ("NG", 30, 10)]).into_iter());
        assert_eq!(c.bars[0].label, "NG");
        assert_eq!(c.bars[0].ok_width + c.bars[0].failed_width, BAR_AREA);
        assert_eq!(c.bars[0].failed_x, LABEL_WIDTH + 300.0);
        assert_eq!(c.bars[1].ok_width, 100.0);
    }

    #[test]
    fn at_most_max_bars_are_drawn() {
        let many: Vec<(String, u64, u64)> = (0..40).map(|i| (format!("k{i}"), i, 0)).collect();
        let c = chart(many.into_iter());
        assert_eq!(c.bars.len(), MAX_BARS);
        assert_eq!(c.bars[0].label, "k39");
    }

    #[test]
    fn empty_and_zero_rows_do_not_divide_by_zero() {
        assert!(chart(std::iter::empty()).bars.is_empty());
        let c = chart(rows(&[("XX", 0, 0)]).into_iter());
        assert_eq!(c.bars[0].ok_width, 0.0);
        let huge = chart(rows(&[("big", u64::MAX, u64::MAX)]).into_iter());
        assert!(huge.bars[0].ok_width.is_finite());
    }

    #[test]
    fn long_labels_are_shortened() {
        let c = chart(rows(&[(&"A".repeat(100), 1, 0)]).into_iter());
        assert_eq!(c.bars[0].label.chars().count(), MAX_LABEL);
        assert!(c.bars[0].label.ends_with('…'));
    }
}
