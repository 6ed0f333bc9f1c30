//! Neutralising attacker-controlled text for display.
//!
//! HTML escaping is done by the template engine; this module handles what escaping
//! does not: terminal control characters, bidirectional overrides (which can make
//! `exe.pdf` read as `fdp.exe`), invisible characters, and unbounded length.

use std::fmt::Write as _;

/// Longest text shown in one cell; the rest is cut with a note of how much.
pub(crate) const MAX_DISPLAY_CHARS: usize = 4000;

/// Whether line breaks survive (multi-line journal text) or become spaces (table cells).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    Keep,
    Flatten,
}

/// The text, safe to show: dangerous characters replaced by a visible `[U+XXXX]`
/// so the analyst sees that they were there, and cut to [`MAX_DISPLAY_CHARS`].
pub(crate) fn clean(text: &str, lines: Lines) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_DISPLAY_CHARS * 4));
    let mut chars = text.chars();
    for c in chars.by_ref().take(MAX_DISPLAY_CHARS) {
        push_clean(&mut out, c, lines);
    }
    let rest = chars.count();
    if rest > 0 {
        let _ = write!(out, "… [+{rest}]");
    }
    out
}

/// Most items of a list shown in one cell (a country can have thousands of accounts).
pub(crate) const MAX_LIST_ITEMS: usize = 50;

/// A list of texts, each cleaned and flattened, joined with ", ", the items past
/// [`MAX_LIST_ITEMS`] counted rather than shown.
pub(crate) fn clean_list(items: &[String]) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(MAX_LIST_ITEMS)
        .map(|s| clean(s, Lines::Flatten))
        .collect();
    let mut joined = shown.join(", ");
    let rest = items.len().saturating_sub(MAX_LIST_ITEMS);
    if rest > 0 {
        let _ = write!(joined, "… [+{rest}]");
    }
    joined
}

fn push_clean(out: &mut String, c: char, lines: Lines) {
    match c {
        '\n' if lines == Lines::Keep => out.push('\n'),
        '\n' | '\t' => out.push(' '),
        '\r' => {}
        c if is_hidden(c) => {
            let _ = write!(out, "[U+{:04X}]", u32::from(c));
        }
        c => out.push(c),
    }
}

/// Characters that change how the surrounding text looks or that a terminal acts on.
fn is_hidden(c: char) -> bool {
    c.is_control() // C0, DEL, C1 (ESC sequences, CSI)
        || matches!(
            c,
            '\u{061C}'                 // Arabic letter mark
            | '\u{200B}'..='\u{200F}'  // zero-width chars, LRM, RLM
            | '\u{2028}' | '\u{2029}'  // line / paragraph separators
            | '\u{202A}'..='\u{202E}'  // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'  // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'  // bidi isolates
            | '\u{FEFF}'               // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}'  // interlinear annotations
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_override_is_made_visible() {
        let shown = clean("invoice\u{202E}fdp.exe", Lines::Flatten);
        assert_eq!(shown, "invoice[U+202E]fdp.exe");
    }

    #[test]
    fn terminal_escape_is_neutralised() {
        let shown = clean("a\u{1b}[31mred\u{7}", Lines::Flatten);
        assert_eq!(shown, "a[U+001B][31mred[U+0007]");
    }

    #[test]
    fn line_breaks_follow_the_mode() {
        assert_eq!(clean("a\r\nb\tc", Lines::Keep), "a\nb c");
        assert_eq!(clean("a\r\nb\tc", Lines::Flatten), "a b c");
    }

    #[test]
    fn accents_and_other_scripts_are_kept() {
        assert_eq!(clean("Élodie ñ 日本 مرحبا", Lines::Flatten), "Élodie ñ 日本 مرحبا");
    }

    #[test]
    fn long_text_is_cut_with_the_remainder_counted() {
        let long = "x".repeat(MAX_DISPLAY_CHARS + 10);
        let shown = clean(&long, Lines::Flatten);
        assert!(shown.ends_with("… [+10]"));
        assert_eq!(shown.chars().filter(|&c| c == 'x').count(), MAX_DISPLAY_CHARS);
    }

    #[test]
    fn text_at_the_limit_is_not_cut() {
        let exact = "é".repeat(MAX_DISPLAY_CHARS);
        assert_eq!(clean(&exact, Lines::Flatten), exact);
    }

    #[test]
    fn list_is_cleaned_and_joined() {
        let items = vec!["a@x.fr".to_string(), "b\u{202E}@x.fr".to_string()];
        assert_eq!(clean_list(&items), "a@x.fr, b[U+202E]@x.fr");
    }

    #[test]
    fn long_list_is_cut_with_the_remainder_counted() {
        let items: Vec<String> = (0..MAX_LIST_ITEMS + 3).map(|i| format!("u{i}")).collect();
        let shown = clean_list(&items);
        assert!(shown.ends_with(&format!("u{}… [+3]", MAX_LIST_ITEMS - 1)), "{shown}");
        assert!(clean_list(&[]).is_empty());
    }
}
