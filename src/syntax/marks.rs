//! Byte marks of a 64-byte block: one bit per byte that is one of two given
//! service characters or lies outside printable ASCII (0x20..=0x7E: X12.6
//! §3.3's basic and extended character sets, and the printable part of the
//! EDIFACT repertoires). The X12 and EDIFACT segment scanners walk these
//! bits instead of the bytes. And the separator marks of a 16-byte chunk
//! ([`equal16`]), from which `syntax::split` finds elements, components and
//! repetitions.
//!
//! This is the crate's one module with `unsafe` code. On x86_64 the block
//! is compared sixteen bytes at a time with SSE2 instructions, which every
//! x86_64 CPU has. Measured with callgrind on a 16 MiB generated X12 input,
//! the portable eight-bytes-at-a-time form took 36 million of 259 million
//! instructions for the whole check (155 per block); the SSE2 form takes a
//! fraction of that. Other targets use the portable form, which is also the
//! test oracle for the SSE2 one. The same holds for [`equal16`].

#![allow(unsafe_code)]

/// Bytes per block.
pub(crate) const BLOCK: usize = 64;

/// Bit `i` set where `block[i]` is `a` or `b` or lies outside 0x20..=0x7E
/// (pass the same byte twice for one service character).
#[inline]
pub(crate) fn special(block: &[u8; BLOCK], a: u8, b: u8) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2(block, a, b)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(block, a, b)
    }
}

/// [`special`] for the 64 bytes of `input` from `at`; bytes past the end
/// of `input` are not marked.
#[inline]
pub(crate) fn special_at(input: &[u8], at: usize, a: u8, b: u8) -> u64 {
    let rest = input.get(at..).unwrap_or_default();
    match rest.first_chunk::<BLOCK>() {
        Some(block) => special(block, a, b),
        None => {
            // The last partial block: copied into a padded buffer, and the
            // lanes past the end masked off.
            let mut block = [0u8; BLOCK];
            let n = rest.len().min(BLOCK);
            block[..n].copy_from_slice(&rest[..n]);
            special(&block, a, b) & ((1u64 << n) - 1)
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2(block: &[u8; BLOCK], a: u8, b: u8) -> u64 {
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
        let a = _mm_set1_epi8(a as i8);
        let b = _mm_set1_epi8(b as i8);
        let space = _mm_set1_epi8(0x20);
        let tilde = _mm_set1_epi8(0x7E);
        for i in 0..BLOCK / 16 {
            let x = _mm_loadu_si128(block.as_ptr().add(16 * i).cast::<__m128i>());
            let hit = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, a), _mm_cmpeq_epi8(x, b)),
                _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpgt_epi8(x, tilde)),
            );
            // movemask gives 16 bits, one per byte, in the low bits.
            marks |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * i);
        }
    }
    marks
}

/// Bytes per chunk of [`equal16`].
pub(crate) const CHUNK: usize = 16;

/// Bit `i` set where `chunk[i] == a`: the separator marks of a short run
/// of bytes, for splitting a segment into elements and an element into
/// components or repetitions (`syntax::split`). On x86_64 one SSE2 compare
/// and one mask move. Measured with callgrind over a whole tokenize walk
/// (parse, then every element of every segment) of 16 MiB generated
/// inputs, the portable eight-bytes-at-a-time form costs 17.6 instructions
/// per byte against 13.9 for X12, and 23.1 against 17.5 for EDIFACT.
#[inline]
pub(crate) fn equal16(chunk: &[u8; CHUNK], a: u8) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        equal16_sse2(chunk, a)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        equal16_portable(chunk, a)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn equal16_sse2(chunk: &[u8; CHUNK], a: u8) -> u32 {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics
    // exist on every CPU this code is compiled for. The one unaligned load
    // reads the 16 bytes of `chunk`, a `[u8; 16]`, so it stays inside it.
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        // movemask gives 16 bits, one per byte, in the low bits.
        u32::from(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(a as i8))) as u16)
    }
}

/// [`equal16`] eight bytes at a time: the form for other targets, and the
/// test oracle for the SSE2 one.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn equal16_portable(chunk: &[u8; CHUNK], a: u8) -> u32 {
    let mut marks = 0u32;
    for (j, word) in chunk.chunks_exact(8).enumerate() {
        let Some(word) = word.first_chunk::<8>() else {
            continue;
        };
        let lanes = equal(u64::from_le_bytes(*word), a);
        marks |= (gather(lanes) as u32) << (8 * j);
    }
    marks
}

/// The high bit of each lane of `lanes` (only high bits set) gathered into
/// the low eight bits: the multiplier places lane `i` at bit `56 + i`, and
/// no partial products collide.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline]
fn gather(lanes: u64) -> u8 {
    ((lanes >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// One bit per byte lane of a `u64` word (the low bit of each byte).
pub(crate) const LANES: u64 = u64::from_le_bytes([1; 8]);
/// The high bit of each byte lane.
pub(crate) const HIGH: u64 = LANES << 7;

/// Per byte of `x`: the high bit set where the byte is zero. Exact per
/// byte (no carry crosses lanes), so every flagged lane is a zero byte.
#[inline]
pub(crate) fn zero_lanes(x: u64) -> u64 {
    !((x & !HIGH).wrapping_add(!HIGH) | x) & HIGH
}

/// The portable form, eight bytes at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn portable(block: &[u8; BLOCK], a: u8, b: u8) -> u64 {
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
        let lanes = (x | above_tilde | below_space | equal(x, a) | equal(x, b)) & HIGH;
        marks |= u64::from(gather(lanes)) << (8 * j);
    }
    marks
}

/// High bit set in each lane of `x` that equals `c`.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn equal(x: u64, c: u8) -> u64 {
    zero_lanes(x ^ (LANES * u64::from(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(block: &[u8; BLOCK], a: u8, b: u8) -> u64 {
        block.iter().enumerate().fold(0, |m, (i, &c)| {
            m | (u64::from(c == a || c == b || !(0x20..=0x7E).contains(&c)) << i)
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
                    for r in [t0, b'?'] {
                        let want = naive(&block, t0, r);
                        assert_eq!(special(&block, t0, r), want, "{t0} {r} {b} {pos}");
                        assert_eq!(portable(&block, t0, r), want, "{t0} {r} {b} {pos}");
                    }
                }
            }
        }
    }

    #[test]
    fn equal16_agrees_with_the_naive_form() {
        // Each byte value at each position of a chunk of another byte, for
        // separators inside and outside ASCII (fewer cases under Miri).
        let (positions, seps): (&[usize], &[u8]) = if cfg!(miri) {
            (&[0, 15], &[b'*', 0x00, 0xFF])
        } else {
            (
                &[0, 1, 7, 8, 9, 14, 15],
                &[b'*', b'+', b':', 0x00, 0x80, 0xFF],
            )
        };
        for &sep in seps {
            for b in 0..=255u8 {
                for &pos in positions {
                    let mut chunk = [b'A'; CHUNK];
                    chunk[pos] = b;
                    chunk[(pos + 5) % CHUNK] = sep;
                    let want = chunk
                        .iter()
                        .enumerate()
                        .fold(0u32, |m, (i, &c)| m | (u32::from(c == sep) << i));
                    assert_eq!(equal16(&chunk, sep), want, "{sep} {b} {pos}");
                    assert_eq!(equal16_portable(&chunk, sep), want, "{sep} {b} {pos}");
                }
            }
        }
    }

    #[test]
    fn mixed_blocks_agree_with_the_naive_form() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..if cfg!(miri) { 20 } else { 2000 } {
            let mut block = [0u8; BLOCK];
            for c in &mut block {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly printable, some control and high bytes.
                *c = match seed % 8 {
                    0 => (seed >> 8) as u8,
                    1 => b'~',
                    2 => b'?',
                    3 => b'\'',
                    _ => 0x20 + (seed >> 16) as u8 % 0x5F,
                };
            }
            let (a, b) = [(b'~', b'~'), (b'*', b'*'), (b'\'', b'?'), (b'~', 0x1C)][round % 4];
            assert_eq!(special(&block, a, b), naive(&block, a, b));
            assert_eq!(portable(&block, a, b), naive(&block, a, b));
        }
    }
}
