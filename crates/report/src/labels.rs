//! The report's label strings, per language, from `i18n/{fr,en}.toml`.
//!
//! Labels are data so that wording can be reviewed and translated without touching
//! the template; the template fails to render (strict mode) if one is missing.

use std::collections::BTreeMap;

use crate::data::Lang;
use crate::error::ReportError;

const FR: &str = include_str!("../i18n/fr.toml");
const EN: &str = include_str!("../i18n/en.toml");

/// Label key to text, for one language.
pub(crate) type Labels = BTreeMap<String, String>;

/// The label table of `lang`.
pub(crate) fn labels(lang: Lang) -> Result<Labels, ReportError> {
    let source = match lang {
        Lang::Fr => FR,
        Lang::En => EN,
    };
    toml::from_str(source).map_err(|source| ReportError::Labels {
        lang: lang.tag(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_load_and_have_the_same_keys() {
        let fr = labels(Lang::Fr).unwrap();
        let en = labels(Lang::En).unwrap();
        let fr_keys: Vec<&String> = fr.keys().collect();
        let en_keys: Vec<&String> = en.keys().collect();
        assert_eq!(fr_keys, en_keys);
        assert!(fr.len() > 20);
    }

    #[test]
    fn no_label_is_empty_and_languages_differ() {
        let fr = labels(Lang::Fr).unwrap();
        let en = labels(Lang::En).unwrap();
        assert!(fr.values().chain(en.values()).all(|v| !v.trim().is_empty()));
        assert_ne!(fr.get("title"), en.get("title"));
    }
}
