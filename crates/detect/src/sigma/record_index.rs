//! Per-event indexes over one JSON object, so that the hundreds of field probes a rule
//! set makes on each event cost a hash each instead of a scan of the record.
//!
//! Most probes miss (a rule pack names far more fields than one record holds), and a
//! miss used to scan every key ignoring case, then every `{Name, Value}` container. The
//! indexes give the same answers as those scans:
//!
//! - keys: the exact key when present, else the first key (in map order) equal ignoring
//!   ASCII case;
//! - pairs: every pair of that name (ignoring case) in the containers, in container,
//!   then holder, then item order; one value per item.
//!
//! Keys are hashed ASCII-lower-cased without allocating; entries with equal hashes are
//! confirmed by comparing the text.

use serde_json::{Map, Value};

/// FNV-1a over the ASCII-lower-cased bytes: cheap, and good enough for field names
/// (a collision only costs one more comparison).
fn ci_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a as a [`std::hash::Hasher`], for the small maps keyed by field names that are
/// probed on every event (SipHash costs more than the lookup itself there).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Builds [`Fnv`] hashers.
pub(crate) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// Entries sorted by hash; a stable sort keeps insertion order among equal hashes.
#[derive(Debug, Default)]
struct Table<'v> {
    entries: Vec<(u64, &'v str, &'v Value)>,
}

impl<'v> Table<'v> {
    fn push(&mut self, name: &'v str, value: &'v Value) {
        self.entries.push((ci_hash(name), name, value));
    }

    fn seal(&mut self) {
        self.entries.sort_by_key(|e| e.0);
    }

    /// The entries whose name equals `name` ignoring ASCII case, in insertion order.
    fn matching<'s>(&'s self, name: &'s str) -> impl Iterator<Item = (&'v str, &'v Value)> + 's {
        let h = ci_hash(name);
        let start = self.entries.partition_point(|e| e.0 < h);
        self.entries[start..]
            .iter()
            .take_while(move |e| e.0 == h)
            .filter(move |e| e.1.eq_ignore_ascii_case(name))
            .map(|e| (e.1, e.2))
    }
}

/// The keys of one object.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex<'v> {
    keys: Table<'v>,
}

impl<'v> KeyIndex<'v> {
    /// Indexes the members of `map`.
    pub(crate) fn new(map: &'v Map<String, Value>) -> Self {
        let mut keys = Table { entries: Vec::with_capacity(map.len()) };
        for (k, v) in map {
            keys.push(k, v);
        }
        keys.seal();
        KeyIndex { keys }
    }

    /// The member named `key`: exactly, else the first equal ignoring ASCII case.
    pub(crate) fn get(&self, key: &str) -> Option<&'v Value> {
        let mut first = None;
        for (name, value) in self.keys.matching(key) {
            if name == key {
                return Some(value);
            }
            first.get_or_insert(value);
        }
        first
    }
}

/// The `{Name, Value}`-style pairs found in an object's containers.
#[derive(Debug, Default)]
pub(crate) struct PairIndex<'v> {
    pairs: Table<'v>,
}

impl<'v> PairIndex<'v> {
    /// Indexes the pairs of the arrays in `holders`, in that order. `name_keys` name a
    /// pair and `value_keys` hold its value (each compared ignoring case, first present
    /// wins); an item without a value key stands for `null`.
    pub(crate) fn new(holders: &[&'v Value], name_keys: &[&str], value_keys: &[&str], null: &'v Value) -> Self {
        let mut pairs = Table::default();
        for holder in holders {
            let Value::Array(items) = holder else { continue };
            for item in items {
                let Some(map) = item.as_object() else { continue };
                index_item(&mut pairs, map, name_keys, value_keys, null);
            }
        }
        pairs.seal();
        PairIndex { pairs }
    }

    /// Whether no pair was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.entries.is_empty()
    }

    /// The values of the pairs named `name` (ignoring ASCII case), in order.
    pub(crate) fn values(&self, name: &str) -> Vec<&'v Value> {
        self.pairs.matching(name).map(|(_, v)| v).collect()
    }
}

/// Adds one item under each distinct name it carries (ignoring case).
fn index_item<'v>(
    pairs: &mut Table<'v>,
    map: &'v Map<String, Value>,
    name_keys: &[&str],
    value_keys: &[&str],
    null: &'v Value,
) {
    let names: Vec<&'v str> = name_keys.iter().filter_map(|k| get_ci(map, k).and_then(Value::as_str)).collect();
    if names.is_empty() {
        return;
    }
    let value = value_keys.iter().find_map(|k| get_ci(map, k)).unwrap_or(null);
    for (i, name) in names.iter().enumerate() {
        let repeated = names.iter().take(i).any(|n| n.eq_ignore_ascii_case(name));
        if !repeated {
            pairs.push(name, value);
        }
    }
}

/// A member of an object: exact key first, then ignoring ASCII case (for the small
/// objects that are not worth indexing).
pub(crate) fn get_ci<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME_KEYS: [&str; 3] = ["name", "key", "displayname"];
    const VALUE_KEYS: [&str; 2] = ["value", "newvalue"];
    static NULL: Value = Value::Null;

    fn obj(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn keys_are_found_exactly_then_ignoring_case_like_a_scan() {
        let v = obj(r#"{"Operation":"a","operation":"b","OPERATION":"c","Workload":"w","x":1}"#);
        let map = v.as_object().unwrap();
        let index = KeyIndex::new(map);
        for key in ["Operation", "operation", "OPERATION", "oPeRaTiOn", "workload", "X", "missing", ""] {
            assert_eq!(index.get(key), get_ci(map, key), "{key}");
        }
        assert_eq!(index.get("oPeRaTiOn"), Some(&Value::from("c")), "first in map order");
    }

    #[test]
    fn pairs_keep_order_and_count_an_item_once() {
        let v = obj(
            r#"[{"Name":"ForwardTo","Value":"a"},{"name":"forwardto","Key":"FORWARDTO","value":"b"},
                {"Name":"Other","Value":"x"},{"Name":"ForwardTo"},7,{"Value":"no name"}]"#,
        );
        let w = obj(r#"[{"displayName":"ForwardTo","newValue":"c"}]"#);
        let index = PairIndex::new(&[&v, &w, &Value::Null], &NAME_KEYS, &VALUE_KEYS, &NULL);
        let got: Vec<&Value> = index.values("FORWARDTO");
        let want = [Value::from("a"), Value::from("b"), Value::Null, Value::from("c")];
        assert_eq!(got, want.iter().collect::<Vec<_>>());
        assert!(index.values("nothing").is_empty());
        assert!(!index.is_empty());
    }

    #[test]
    fn hash_ignores_ascii_case_only() {
        assert_eq!(ci_hash("Parameters"), ci_hash("pARAMETERS"));
        assert_ne!(ci_hash("Parameters"), ci_hash("Parameter"));
    }
}
