//! A key index for the backtest rows of an experiment folder: a set of
//! 64-bit hashes of the keys seen (some 10 bytes a row, where the keys
//! themselves would be a hundred), so that millions of rows are checked for
//! duplicates in little memory. A hash seen before is confirmed by the
//! caller reading the rows again up to that row: the first row with the same
//! key is named, and a mere collision of two keys' hashes (rare) passes.

use super::error::Origin;
use super::validate::KeyIndex;
use crate::source::embedded::KeyHolder;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Finds the first row before `origin` whose key is `key`.
type FindFirst<'f> = dyn FnMut(&str, &Origin) -> anyhow::Result<Option<Origin>> + 'f;

/// The keys seen so far, as hashes.
pub struct HashedKeys<'f> {
    seen: HashSet<u64>,
    find_first: Box<FindFirst<'f>>,
}

impl<'f> HashedKeys<'f> {
    /// An empty index; `find_first` reads the rows again when a hash repeats.
    pub fn new(
        find_first: impl FnMut(&str, &Origin) -> anyhow::Result<Option<Origin>> + 'f,
    ) -> HashedKeys<'f> {
        HashedKeys {
            seen: HashSet::new(),
            find_first: Box::new(find_first),
        }
    }
}

fn hash(key: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

impl KeyIndex for HashedKeys<'_> {
    fn record(&mut self, key: &str, origin: &Origin) -> anyhow::Result<Option<KeyHolder>> {
        if self.seen.insert(hash(key)) {
            return Ok(None);
        }
        Ok((self.find_first)(key, origin)?.map(|first| KeyHolder::Row {
            file: first.file.to_string(),
            line: first.line,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn at(line: u64) -> Origin {
        Origin {
            file: Arc::from("b.csv"),
            line,
        }
    }

    #[test]
    fn a_repeated_key_is_confirmed_and_named() {
        let mut asked = Vec::new();
        let mut keys = HashedKeys::new(|key: &str, origin: &Origin| {
            asked.push((key.to_string(), origin.line));
            Ok((key == "k1").then(|| at(2)))
        });
        assert_eq!(keys.record("k1", &at(2)).unwrap(), None);
        assert_eq!(keys.record("k2", &at(3)).unwrap(), None);
        assert_eq!(
            keys.record("k1", &at(9)).unwrap(),
            Some(KeyHolder::Row {
                file: "b.csv".to_string(),
                line: 2
            })
        );
        drop(keys);
        assert_eq!(asked, [("k1".to_string(), 9)]);
    }
}
