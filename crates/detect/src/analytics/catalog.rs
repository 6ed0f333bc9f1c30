//! The data files the analytics read (`crates/detect/data/*.toml`), compiled into the
//! binary and parsed once.

use std::collections::HashMap;
use std::sync::LazyLock;

use mailcase_model::Localized;
use serde::Deserialize;

/// An embedded data file that does not parse: a bug of the build, caught by the tests.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The TOML text is invalid or does not have the expected shape.
    #[error("embedded data file {file} is invalid: {message}")]
    Invalid {
        /// The file name under `crates/detect/data/`.
        file: &'static str,
        /// What the parser said.
        message: String,
    },
}

/// One item of the qualification sheet (`data/qualification.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct QualificationItem {
    /// `measure.letter`, such as `2.b`.
    pub id: String,
    /// English text.
    pub en: String,
    /// French text.
    pub fr: String,
}

/// Static description of one analytic (`data/analytics.toml`).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct RuleMeta {
    pub id: String,
    pub en: String,
    pub fr: String,
    #[serde(default)]
    pub attack: Vec<String>,
    #[serde(default)]
    pub qualification: Vec<String>,
}

/// A network named in `data/networks.toml`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct NamedNetwork {
    pub asn: u32,
}

/// A mail aggregator service (`data/aggregators.toml`).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct AggregatorService {
    pub name: String,
    #[serde(default)]
    pub asns: Vec<u32>,
    #[serde(default)]
    pub org_keywords: Vec<String>,
    pub exclusive: bool,
    pub risk: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Sign-in markers (`data/sign_in_signals.toml`), all lower case.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct SignInSignals {
    pub legacy_client_apps: Vec<String>,
    pub ropc_user_agents: Vec<String>,
    pub aitm_user_agents: Vec<String>,
    pub aitm_app_ids: Vec<String>,
    pub device_code_protocols: Vec<String>,
    pub device_code_error_codes: Vec<String>,
    pub credential_failure_codes: Vec<String>,
    /// Sources whose own protocols are IMAP, POP and SMTP AUTH: no legacy-protocol finding.
    #[serde(default)]
    pub native_protocol_sources: Vec<String>,
}

#[derive(Deserialize)]
struct QualificationFile {
    item: Vec<QualificationItem>,
}

#[derive(Deserialize)]
struct RuleFile {
    rule: Vec<RuleMeta>,
}

#[derive(Deserialize)]
struct NetworkFile {
    hosting_keywords: Vec<String>,
    hosting: Vec<NamedNetwork>,
    travel_ignore_keywords: Vec<String>,
    travel_ignore: Vec<NamedNetwork>,
}

#[derive(Deserialize)]
struct AggregatorFile {
    service: Vec<AggregatorService>,
}

#[derive(Deserialize)]
struct CentroidFile {
    centroids: HashMap<String, [f64; 2]>,
}

/// Everything the data files say, ready for lookups.
#[derive(Debug, Default)]
pub struct Catalog {
    pub(crate) qualification: Vec<QualificationItem>,
    pub(crate) rules: HashMap<String, RuleMeta>,
    pub(crate) hosting_asns: Vec<u32>,
    pub(crate) hosting_keywords: Vec<String>,
    pub(crate) travel_ignore_asns: Vec<u32>,
    pub(crate) travel_ignore_keywords: Vec<String>,
    pub(crate) aggregators: Vec<AggregatorService>,
    pub(crate) signals: SignInSignals,
    pub(crate) centroids: HashMap<String, (f64, f64)>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, DataError> {
    toml::from_str(text).map_err(|e| DataError::Invalid { file, message: e.to_string() })
}

fn lower(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|s| s.to_lowercase()).collect()
}

impl Catalog {
    /// Parses the data files compiled into the crate.
    pub fn embedded() -> Result<Catalog, DataError> {
        let q: QualificationFile =
            parse("qualification.toml", include_str!("../../data/qualification.toml"))?;
        let r: RuleFile = parse("analytics.toml", include_str!("../../data/analytics.toml"))?;
        let n: NetworkFile = parse("networks.toml", include_str!("../../data/networks.toml"))?;
        let a: AggregatorFile =
            parse("aggregators.toml", include_str!("../../data/aggregators.toml"))?;
        let s: SignInSignals =
            parse("sign_in_signals.toml", include_str!("../../data/sign_in_signals.toml"))?;
        let c: CentroidFile =
            parse("country_centroids.toml", include_str!("../../data/country_centroids.toml"))?;
        let mut aggregators = a.service;
        for service in &mut aggregators {
            service.org_keywords = lower(std::mem::take(&mut service.org_keywords));
        }
        Ok(Catalog {
            qualification: q.item,
            rules: r.rule.into_iter().map(|m| (m.id.clone(), m)).collect(),
            hosting_asns: n.hosting.iter().map(|h| h.asn).collect(),
            hosting_keywords: lower(n.hosting_keywords),
            travel_ignore_asns: n.travel_ignore.iter().map(|h| h.asn).collect(),
            travel_ignore_keywords: lower(n.travel_ignore_keywords),
            aggregators,
            signals: lower_signals(s),
            centroids: c.centroids.into_iter().map(|(k, [la, lo])| (k, (la, lo))).collect(),
        })
    }

    /// The shared instance. Should the embedded data ever fail to parse (a build bug that
    /// the tests catch), detection still runs, with empty lists.
    pub fn get() -> &'static Catalog {
        static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::embedded().unwrap_or_default());
        &CATALOG
    }

    /// The qualification sheet's items, in sheet order.
    pub fn qualification_items(&self) -> &[QualificationItem] {
        &self.qualification
    }

    /// The text of one qualification item.
    pub fn qualification_text(&self, id: &str) -> Option<Localized> {
        self.qualification.iter().find(|q| q.id == id).map(|q| Localized::new(&q.en, &q.fr))
    }

    pub(crate) fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.get(id)
    }

    /// Approximate centre of a country (ISO alpha-2, any case).
    pub(crate) fn centroid(&self, country: &str) -> Option<(f64, f64)> {
        self.centroids.get(&country.to_ascii_uppercase()).copied()
    }
}

fn lower_signals(s: SignInSignals) -> SignInSignals {
    SignInSignals {
        legacy_client_apps: lower(s.legacy_client_apps),
        ropc_user_agents: lower(s.ropc_user_agents),
        aitm_user_agents: lower(s.aitm_user_agents),
        aitm_app_ids: lower(s.aitm_app_ids),
        device_code_protocols: lower(s.device_code_protocols),
        device_code_error_codes: lower(s.device_code_error_codes),
        credential_failure_codes: lower(s.credential_failure_codes),
        native_protocol_sources: lower(s.native_protocol_sources),
    }
}

/// The qualification sheet's items, in sheet order (from `data/qualification.toml`).
pub fn qualification_items() -> &'static [QualificationItem] {
    Catalog::get().qualification_items()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses() {
        let c = Catalog::embedded().expect("data files parse");
        assert!(c.qualification.len() >= 10);
        assert!(c.hosting_asns.contains(&14061));
        assert!(c.signals.ropc_user_agents.contains(&"bav2ropc".to_owned()));
        assert_eq!(c.centroid("fr"), Some((46.2, 2.2)));
        assert!(c.aggregators.iter().any(|a| a.asns.contains(&47764)));
    }

    #[test]
    fn every_rule_cites_known_qualification_items() {
        let c = Catalog::embedded().expect("data files parse");
        assert!(c.rules.len() >= 19);
        for rule in c.rules.values() {
            assert!(!rule.fr.is_empty() && !rule.en.is_empty(), "{}", rule.id);
            for q in &rule.qualification {
                assert!(c.qualification_text(q).is_some(), "{} cites unknown item {q}", rule.id);
            }
        }
    }
}
