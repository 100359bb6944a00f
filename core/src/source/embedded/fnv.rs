//! FNV-1a hashing for the short ids the embedded passes key maps by.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: a fast hash for the short ids keyed here (not for untrusted
/// collision resistance: every key comes from the store being read).
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

pub type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_hashes_distinguish_short_ids() {
        let hash = |text: &[u8]| {
            let mut hasher = Fnv::default();
            hasher.write(text);
            hasher.finish()
        };
        assert_ne!(hash(b"player0001"), hash(b"player0002"));
        assert_eq!(hash(b"catboost_v8"), hash(b"catboost_v8"));
    }
}
