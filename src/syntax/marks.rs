//! Byte marks of a 64-byte block: one bit per byte that is a given
//! terminator or lies outside printable ASCII (0x20..=0x7E, X12.6 §3.3's
//! basic and extended character sets). The X12 segment scanner walks these
//! bits instead of the bytes.
//!
//! This is the crate's one module with `unsafe` code. On x86_64 the block
//! is compared sixteen bytes at a time with SSE2 instructions, which every
//! x86_64 CPU has. Measured with callgrind on a 16 MiB generated X12 input,
//! the portable eight-bytes-at-a-time form took 36 million of 259 million
//! instructions for the whole check (155 per block); the SSE2 form takes a
//! fraction of that. Other targets use the portable form, which is also the
//! test oracle for the SSE2 one.

#![allow(unsafe_code)]

/// Bytes per block.
pub(crate) const BLOCK: usize = 64;

/// Bit `i` set where `block[i]` is `t0` or lies outside 0x20..=0x7E.
#[inline]
pub(crate) fn terminator_or_unprintable(block: &[u8; BLOCK], t0: u8) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2(block, t0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(block, t0)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2(block: &[u8; BLOCK], t0: u8) -> u64 {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut marks = 0u64;
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics
    // exist on every CPU this code is compiled for. Each unaligned load
    // reads the 16 bytes at offset `16 * i` (i < 4) of the 64-byte `block`,
    // so it stays inside the array.
    unsafe {
        // Signed byte compares: 0x80..=0xFF are negative, so "below 0x20"
        // also catches every non-ASCII byte, and "above 0x7E" is 0x7F.
        let term = _mm_set1_epi8(t0 as i8);
        let space = _mm_set1_epi8(0x20);
        let tilde = _mm_set1_epi8(0x7E);
        for i in 0..BLOCK / 16 {
            let x = _mm_loadu_si128(block.as_ptr().add(16 * i).cast::<__m128i>());
            let hit = _mm_or_si128(
                _mm_cmpeq_epi8(x, term),
                _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpgt_epi8(x, tilde)),
            );
            // movemask gives 16 bits, one per byte, in the low bits.
            marks |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * i);
        }
    }
    marks
}

/// One bit per byte lane (the low bit of each byte).
const LANES: u64 = u64::from_le_bytes([1; 8]);
/// The high bit of each byte lane.
const HIGH: u64 = LANES << 7;

/// The portable form, eight bytes at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn portable(block: &[u8; BLOCK], t0: u8) -> u64 {
    let mut marks = 0u64;
    for (j, chunk) in block.chunks_exact(8).enumerate() {
        let Some(word) = chunk.first_chunk::<8>() else {
            continue;
        };
        let x = u64::from_le_bytes(*word);
        let low = x & !HIGH;
        // High bit set where the lane is >= 0x80, above 0x7E, or below 0x20.
        let above_tilde = low.wrapping_add(LANES);
        let below_space = !low.wrapping_add(LANES * 0x60);
        let eq = x ^ (LANES * u64::from(t0));
        let is_t0 = !((eq & !HIGH).wrapping_add(!HIGH) | eq);
        let lanes = (x | above_tilde | below_space | is_t0) & HIGH;
        // Gather the high bit of each lane into the low eight bits: the
        // multiplier places lane `i` at bit `56 + i`, and no partial
        // products collide.
        marks |= ((lanes >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * j);
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(block: &[u8; BLOCK], t0: u8) -> u64 {
        block.iter().enumerate().fold(0, |m, (i, &b)| {
            m | (u64::from(b == t0 || !(0x20..=0x7E).contains(&b)) << i)
        })
    }

    #[test]
    fn every_byte_value_in_every_lane() {
        // Each byte value at each of the 64 positions, among printable
        // filler, for terminators inside and outside the printable range.
        // Under Miri (which checks the SSE2 loads) fewer cases suffice.
        let (positions, terminators): (&[usize], &[u8]) = if cfg!(miri) {
            (&[0, 63], &[b'~', 0x85])
        } else {
            (
                &[0, 7, 8, 15, 16, 31, 47, 48, 63],
                &[b'~', b'\n', b'\'', b'|', 0x85, 0x1C],
            )
        };
        for &t0 in terminators {
            for b in 0..=255u8 {
                for &pos in positions {
                    let mut block = [b'A'; BLOCK];
                    block[pos] = b;
                    let want = naive(&block, t0);
                    assert_eq!(
                        terminator_or_unprintable(&block, t0),
                        want,
                        "{t0} {b} {pos}"
                    );
                    assert_eq!(portable(&block, t0), want, "{t0} {b} {pos}");
                }
            }
        }
    }

    #[test]
    fn mixed_blocks_agree_with_the_naive_form() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..if cfg!(miri) { 20 } else { 2000 } {
            let mut block = [0u8; BLOCK];
            for b in &mut block {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly printable, some control and high bytes.
                *b = match seed % 8 {
                    0 => (seed >> 8) as u8,
                    1 => b'~',
                    _ => 0x20 + (seed >> 16) as u8 % 0x5F,
                };
            }
            let t0 = if round % 2 == 0 { b'~' } else { b'*' };
            assert_eq!(terminator_or_unprintable(&block, t0), naive(&block, t0));
            assert_eq!(portable(&block, t0), naive(&block, t0));
        }
    }
}
