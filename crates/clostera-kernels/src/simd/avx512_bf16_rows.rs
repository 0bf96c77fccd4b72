//! The bf16 candidate-scoring kernel of the k-means++ screen: one to three rows against up to 16
//! candidates, the dimension along the SIMD lanes.
//!
//! Why this layout: the candidate-major layout (one broadcast row pair per instruction, 16
//! candidates in the lanes) issued a broadcast load and a vector load for every `vdpbf16ps` and
//! wasted half the lanes with the 8 candidates a k = 1024 seeding scores per step; it ran at a
//! seventh of the instruction's peak (1.9 s of a 16,384 x 768 seeding). Here each candidate owns
//! an accumulator, a row chunk of 32 bf16 is loaded once for all of them, and with three rows every
//! candidate chunk loaded feeds three instructions.

use std::arch::x86_64::*;

use super::avx512_rows::reduce_add_16;

/// Pairs per chunk (one 512-bit vector of bf16 pairs).
const CHUNK: usize = 16;

/// # Safety
/// The CPU supports AVX-512F and AVX512-BF16; `rows[..nrows]` each address `dp` pairs, `cents`
/// `dp.div_ceil(16) * kc * 16` pairs in the chunked layout of [`super::bf16::Bf16DotRowsFn`];
/// `1 <= kc <= 16` and `1 <= nrows <= 3`.
#[target_feature(enable = "avx512f,avx512bf16")]
pub(super) unsafe fn dot_rows(
    rows: [*const u32; 3],
    nrows: usize,
    cents: *const u32,
    kc: usize,
    dp: usize,
    ahead: [*const u32; 3],
) -> [[f32; 16]; 3] {
    macro_rules! by_kc {
        ($r:literal, $($k:literal)+) => {
            match kc {
                $($k => rows_kc::<$k, $r>(rows, cents, dp, ahead),)+
                _ => unreachable!("kc = {kc} outside 1..=16"),
            }
        };
    }
    // SAFETY: forwards the caller's guarantees; each arm's KC is the layout's kc.
    unsafe {
        // R rows keep R x KC accumulators, R row chunks and a candidate chunk in the 32 vector
        // registers: three rows up to KC = 8 (a k <= 403 seeding's 2 + ln k candidates), two up
        // to 12; otherwise the rows are split.
        if nrows == 3 && kc <= 8 {
            by_kc!(3, 1 2 3 4 5 6 7 8)
        } else if nrows == 3 {
            let [a, b, _] = dot_rows(rows, 2, cents, kc, dp, ahead);
            let c = dot_rows([rows[2]; 3], 1, cents, kc, dp, ahead)[0];
            [a, b, c]
        } else if nrows == 2 && kc <= 12 {
            by_kc!(2, 1 2 3 4 5 6 7 8 9 10 11 12)
        } else if nrows == 2 {
            let first = dot_rows([rows[0]; 3], 1, cents, kc, dp, ahead)[0];
            let second = dot_rows([rows[1]; 3], 1, cents, kc, dp, ahead)[0];
            [first, second, [0.0; 16]]
        } else {
            by_kc!(1, 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
        }
    }
}

/// # Safety
/// As [`dot_rows`] with `kc = KC` and `nrows = R` (rows past `R` are not read).
#[target_feature(enable = "avx512f,avx512bf16")]
#[inline]
unsafe fn rows_kc<const KC: usize, const R: usize>(
    rows: [*const u32; 3],
    cents: *const u32,
    dp: usize,
    ahead: [*const u32; 3],
) -> [[f32; 16]; 3] {
    let mut acc = [[_mm512_setzero_ps(); KC]; R];
    let full = dp / CHUNK;
    let tail = dp - full * CHUNK;
    // One chunk of every row against every candidate. SAFETY: rows are read at pairs
    // h*16 .. h*16+16 <= dp, or masked to the `tail` pairs left; the candidate chunk h holds
    // KC x 16 pairs (zero-padded past dp).
    // A loop, not a closure called per chunk: LLVM did not inline the closure and kept every
    // accumulator in memory (a load and a store around each multiply-add).
    for h in 0..full + usize::from(tail > 0) {
        let mask: __mmask16 = if h < full { 0xFFFF } else { (1u16 << tail) - 1 };
        // SAFETY: as stated above the loop.
        unsafe {
            // One cache line (16 pairs) of each row scored next per chunk: the rows arrive spread
            // over the loop instead of in one burst the miss buffers cannot hold.
            for a in &ahead[..R] {
                _mm_prefetch::<_MM_HINT_T0>(a.wrapping_add(h * CHUNK) as *const i8);
            }
            let xs: [__m512bh; R] = std::array::from_fn(|r| {
                std::mem::transmute(_mm512_maskz_loadu_epi32(mask, rows[r].add(h * CHUNK) as *const i32))
            });
            let chunk = cents.add(h * KC * CHUNK);
            for q in 0..KC {
                let c: __m512bh = std::mem::transmute(_mm512_loadu_si512(chunk.add(q * CHUNK) as *const _));
                for r in 0..R {
                    acc[r][q] = _mm512_dpbf16_ps(acc[r][q], xs[r], c);
                }
            }
        }
    }
    let mut out = [[0.0f32; 16]; 3];
    for r in 0..R {
        let padded: [__m512; 16] = std::array::from_fn(|q| if q < KC { acc[r][q] } else { _mm512_setzero_ps() });
        let mut sums = [0.0f32; 16];
        // SAFETY: `sums` holds 16 floats.
        unsafe { _mm512_storeu_ps(sums.as_mut_ptr(), reduce_add_16(padded)) };
        // Lane 4b + j of the reduction holds accumulator 4j + b.
        out[r] = std::array::from_fn(|q| sums[4 * (q % 4) + q / 4]);
    }
    out
}
