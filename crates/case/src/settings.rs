//! `case.toml`: the few settings an analyst may edit by hand.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{CaseError, IoContext, Result};

/// Language of the product's messages and reports for this case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// French.
    Fr,
    /// English.
    #[default]
    En,
}

/// The settings stored in `case.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseSettings {
    /// Human name of the case.
    pub name: String,
    /// The organisation's own mail domains (`example.fr`), lower-case.
    #[serde(default)]
    pub org_domains: Vec<String>,
    /// IANA time zone every display uses (`Europe/Paris`).
    pub time_zone: String,
    /// Language of messages and reports.
    #[serde(default)]
    pub language: Language,
    /// Platforms concerned (`m365`, `google`, `zimbra`...), free text.
    #[serde(default)]
    pub platforms: Vec<String>,
    /// When the case was created. Set by [`crate::Case::create`].
    pub created: DateTime<Utc>,
    /// Database schema version when the file was last written. Informative: the
    /// database's own `user_version` is authoritative.
    #[serde(default)]
    pub schema_version: i64,
}

impl CaseSettings {
    /// Settings with the given name, UTC, English and nothing else.
    pub fn new(name: impl Into<String>) -> Self {
        CaseSettings {
            name: name.into(),
            org_domains: Vec::new(),
            time_zone: "UTC".to_owned(),
            language: Language::En,
            platforms: Vec::new(),
            created: Utc::now(),
            schema_version: 0,
        }
    }

    /// The parsed time zone.
    pub fn tz(&self) -> Result<chrono_tz::Tz> {
        self.time_zone
            .parse()
            .map_err(|_| CaseError::InvalidInput(format!("unknown time zone {:?}", self.time_zone)))
    }

    /// Checks the values and normalises the domains (trimmed, lower-case).
    pub(crate) fn validated(mut self) -> Result<Self> {
        self.tz()?;
        if self.name.trim().is_empty() {
            return Err(CaseError::InvalidInput("the case name is empty".to_owned()));
        }
        self.org_domains = self
            .org_domains
            .iter()
            .map(|d| d.trim().trim_start_matches('@').to_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        Ok(self)
    }

    /// Reads and validates `path`.
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).at(path)?;
        let settings: CaseSettings = toml::from_str(&text).map_err(|e| CaseError::Settings {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        settings.validated().map_err(|e| CaseError::Settings {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Writes `path` atomically: a temporary file renamed over the old one, so a
    /// crash leaves either the old or the new settings, never half of them.
    pub(crate) fn store(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self).map_err(|e| CaseError::Settings {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let tmp = path.with_extension("toml.tmp");
        fs::write(&tmp, text).at(&tmp)?;
        fs::rename(&tmp, path).at(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_toml() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.toml");
        let mut s = CaseSettings::new("Test");
        s.org_domains = vec![" @Example.FR ".into(), "".into()];
        s.time_zone = "Europe/Paris".into();
        s.language = Language::Fr;
        let s = s.validated().unwrap();
        assert_eq!(s.org_domains, vec!["example.fr".to_owned()]);
        s.store(&path).unwrap();
        assert_eq!(CaseSettings::load(&path).unwrap(), s);
    }

    #[test]
    fn rejects_unknown_zone_and_garbage() {
        let mut s = CaseSettings::new("Test");
        s.time_zone = "Mars/Olympus".into();
        assert!(s.validated().is_err());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.toml");
        fs::write(&path, "name = [").unwrap();
        let err = CaseSettings::load(&path).unwrap_err();
        assert!(matches!(err, CaseError::Settings { .. }));
        assert!(err.to_string().contains("case.toml"));
    }
}
