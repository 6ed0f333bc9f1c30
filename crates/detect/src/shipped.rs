//! The rule pack shipped with mailcase (`rules/` in the repository), embedded at build time.

use crate::sigma::{LoadProblem, RuleSet};

include!(concat!(env!("OUT_DIR"), "/shipped_rules.rs"));

/// Loads the shipped rules; problems name the rule file (`rules/<path>`).
pub fn shipped_rules() -> (RuleSet, Vec<LoadProblem>) {
    let origins: Vec<String> = SHIPPED.iter().map(|(path, _)| format!("rules/{path}")).collect();
    RuleSet::load_texts(origins.iter().zip(SHIPPED.iter()).map(|(origin, (_, yaml))| (origin.as_str(), *yaml)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loading the pack in one build gives the rules, in the order and with the
    /// problems, that merging its files one at a time gives.
    #[test]
    fn one_build_equals_merging_file_by_file() {
        let (fast, fast_problems) = shipped_rules();
        let mut slow: Option<RuleSet> = None;
        let mut slow_problems = Vec::new();
        for (path, yaml) in SHIPPED {
            let (rules, mut p) = RuleSet::load_str(yaml, &format!("rules/{path}"));
            slow_problems.append(&mut p);
            match slow.as_mut() {
                None => slow = Some(rules),
                Some(s) => slow_problems.extend(s.merge(rules)),
            }
        }
        let slow = slow.expect("the pack has rules");
        assert!(!fast.rules().is_empty());
        assert_eq!(fast.rules(), slow.rules());
        assert_eq!(fast_problems, slow_problems);
    }
}
