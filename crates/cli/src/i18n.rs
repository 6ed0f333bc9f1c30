//! Messages in French and English.
//!
//! The texts live in `i18n/{fr,en}.ftl` (Fluent syntax: CLDR plurals, named
//! arguments), embedded at build time. [`t!`] formats one for the current language.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language users can read mailcase in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// `fr` or `en`, as [`mailcase_model::Localized::get`] and the case settings take it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// From a code such as `fr`, `fr_FR.UTF-8`, `en-GB`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        if lower.starts_with("fr") {
            Some(Lang::Fr)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), English otherwise.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty() && v != "C" && v != "POSIX")
            .and_then(|v| Lang::from_code(&v))
            .unwrap_or(Lang::En)
    }
}

struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();
static FALLBACK: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();

fn bundle_for(lang: Lang) -> FluentBundle<FluentResource> {
    let (tag, text) = match lang {
        Lang::Fr => ("fr", include_str!("../i18n/fr.ftl")),
        Lang::En => ("en", include_str!("../i18n/en.ftl")),
    };
    let id: LanguageIdentifier = tag.parse().expect("static language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would show as garbage in terminals and CSV.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(text.to_owned()).expect("embedded .ftl files parse (tested)");
    bundle.add_resource(resource).expect("no duplicate message ids (tested)");
    bundle
}

/// Sets the language for the rest of the process; later calls are ignored.
pub fn init(lang: Lang) {
    let _ = CATALOG.set(Catalog { lang, bundle: bundle_for(lang) });
}

/// The current language (English before [`init`]).
pub fn lang() -> Lang {
    CATALOG.get().map_or(Lang::En, |c| c.lang)
}

/// Formats message `id` with `args`. A missing message falls back to English, then to
/// the id itself, so a gap in a catalogue never hides information.
pub fn message(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let current = CATALOG.get().map(|c| &c.bundle);
    let fallback = FALLBACK.get_or_init(|| bundle_for(Lang::En));
    for bundle in current.into_iter().chain([fallback]) {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut fargs = FluentArgs::new();
            for (k, v) in args {
                fargs.set(*k, v.clone());
            }
            let mut errors = Vec::new();
            return bundle.format_pattern(pattern, Some(&fargs), &mut errors).into_owned();
        }
    }
    id.to_owned()
}

/// `t!("id")` or `t!("id", name = value, ...)`: the message in the current language.
#[macro_export]
macro_rules! t {
    ($id:expr) => {
        $crate::i18n::message($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message($id, &[$((stringify!($name), fluent_bundle::FluentValue::from($value))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax_ids::ids;

    mod fluent_syntax_ids {
        /// Message ids defined in an .ftl text (lines starting with an identifier and `=`).
        pub fn ids(text: &str) -> std::collections::BTreeSet<String> {
            text.lines()
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_owned()))
                .collect()
        }
    }

    #[test]
    fn catalogues_parse_and_have_the_same_messages() {
        let fr = include_str!("../i18n/fr.ftl");
        let en = include_str!("../i18n/en.ftl");
        for text in [fr, en] {
            assert!(FluentResource::try_new(text.to_owned()).is_ok());
        }
        let (fr_ids, en_ids) = (ids(fr), ids(en));
        let only_fr: Vec<_> = fr_ids.difference(&en_ids).collect();
        let only_en: Vec<_> = en_ids.difference(&fr_ids).collect();
        assert!(only_fr.is_empty() && only_en.is_empty(), "fr only: {only_fr:?}, en only: {only_en:?}");
        let _ = bundle_for(Lang::Fr);
        let _ = bundle_for(Lang::En);
    }

    #[test]
    fn plurals_and_arguments() {
        let fr = bundle_for(Lang::Fr);
        let msg = fr.get_message("import-done").and_then(|m| m.value()).unwrap();
        let mut args = FluentArgs::new();
        args.set("events", 1);
        args.set("warnings", 0);
        args.set("file", "a.csv");
        let mut errors = vec![];
        let text = fr.format_pattern(msg, Some(&args), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(text.contains("1 événement"), "{text}");
        assert!(!text.contains("événements"), "{text}");
    }

    #[test]
    fn locale_codes() {
        assert_eq!(Lang::from_code("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de_DE"), None);
    }
}
