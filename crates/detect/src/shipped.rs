//! The rule pack shipped with mailcase (`rules/` in the repository), embedded at build time.

use crate::sigma::{LoadProblem, RuleSet};

include!(concat!(env!("OUT_DIR"), "/shipped_rules.rs"));

/// Loads the shipped rules; problems name the rule file (`rules/<path>`).
pub fn shipped_rules() -> (RuleSet, Vec<LoadProblem>) {
    let mut set: Option<RuleSet> = None;
    let mut problems = Vec::new();
    for (path, yaml) in SHIPPED {
        let (rules, mut p) = RuleSet::load_str(yaml, &format!("rules/{path}"));
        problems.append(&mut p);
        match set.as_mut() {
            None => set = Some(rules),
            Some(s) => problems.extend(s.merge(rules)),
        }
    }
    let set = set.unwrap_or_else(|| RuleSet::load_str("", "rules/").0);
    (set, problems)
}
