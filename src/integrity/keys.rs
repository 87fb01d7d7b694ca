//! Hashing of control numbers and other keys read from the input.
//!
//! Keys come from the documents being checked, so a hasher whose
//! collisions a sender could choose would turn a duplicate check
//! quadratic. [`FoldState`] is keyed per check from the standard library's
//! random state; [`StoredHash`] serves maps whose keys carry such a hash.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A hasher for control-number keys: a folded 64x64->128 multiply per
/// eight bytes, keyed per check from the standard library's random state
/// (so keys cannot be chosen to collide without knowing the seed), several
/// times faster than SipHash on short keys.
#[derive(Clone, Debug)]
pub(crate) struct FoldState {
    seed: u64,
    multiplier: u64,
}

impl FoldState {
    pub(crate) fn new() -> Self {
        let random = RandomState::new();
        FoldState {
            seed: random.hash_one(0x243F_6A88_85A3_08D3u64),
            multiplier: random.hash_one(0x1319_8A2E_0370_7344u64) | 1,
        }
    }
}

impl Default for FoldState {
    fn default() -> Self {
        FoldState::new()
    }
}

impl BuildHasher for FoldState {
    type Hasher = FoldHasher;
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            state: self.seed,
            multiplier: self.multiplier,
        }
    }
}

pub(crate) struct FoldHasher {
    state: u64,
    multiplier: u64,
}

#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let word = if let Some(last) = bytes.last_chunk::<8>() {
            // Whole words, then the last eight bytes (overlapping).
            let mut chunks = bytes.chunks_exact(8);
            for c in &mut chunks {
                if let Some(w) = c.first_chunk::<8>() {
                    self.state = fold_mul(self.state ^ u64::from_le_bytes(*w), self.multiplier);
                }
            }
            if chunks.remainder().is_empty() {
                return;
            }
            u64::from_le_bytes(*last)
        } else if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>())
        {
            // 4..=7 bytes: two overlapping halves.
            u64::from(u32::from_le_bytes(*head)) << 32 | u64::from(u32::from_le_bytes(*tail))
        } else if let (Some(&a), Some(&b), Some(&c)) =
            (bytes.first(), bytes.get(n / 2), bytes.last())
        {
            // 1..=3 bytes: first, middle and last.
            u64::from(a) << 16 | u64::from(b) << 8 | u64::from(c)
        } else {
            return;
        };
        self.state = fold_mul(self.state ^ word, self.multiplier);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.state = fold_mul(self.state ^ n as u64, self.multiplier);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fold_mul(self.state, self.state.rotate_left(23) | 1)
    }
}

/// The hasher of maps whose keys carry their hash (computed with a
/// [`FoldState`] when the key was made): it spreads that hash over 64 bits
/// (a map takes its top bits for tags and its low bits for buckets). A map
/// that grows then re-files its entries without reading the keys' bytes
/// again, which for keys borrowed from a large input means a cache miss
/// each.
#[derive(Default)]
pub(crate) struct StoredHash(u64);

impl Hasher for StoredHash {
    fn write(&mut self, bytes: &[u8]) {
        // Keys write their stored hash; any other input still hashes.
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_hasher_separates_keys_that_share_padding() {
        let state = FoldState::new();
        let keys: [&[u8]; 6] = [b"", b"\0", b"AB", b"AB\0", b"12345678", b"123456789"];
        let hashes: Vec<u64> = keys.iter().map(|k| state.hash_one(k)).collect();
        for i in 0..keys.len() {
            for j in i + 1..keys.len() {
                assert_ne!(hashes[i], hashes[j], "{:?} vs {:?}", keys[i], keys[j]);
            }
        }
        assert_eq!(state.hash_one(b"AB"), state.hash_one(b"AB"));
    }
}
