//! The mixed candidate-scoring kernel of the k-means++ screen: one to three rows held in bf16
//! against up to 16 candidates kept in f32, widened to f32 in registers and multiplied with f32
//! FMAs.
//!
//! Why: the screen reads a bf16 copy of the seeding rows because candidate scoring is bound by
//! the bytes it reads (a 16,384 x 768 sample is 50 MB in f32, 25 MB in bf16). Where `vdpbf16ps`
//! runs at half the f32 FMA rate (the Intel Xeon with AMX: see `bf16_rate`), scoring with it
//! turned the pass compute-bound instead. Here the rows still cost half the bytes, the
//! multiply-adds run at the f32 rate, and the candidates need no rounding, so the screen's error
//! bound loses its candidate term. A bf16 pair widens to two f32 vectors with one shift and one
//! mask (the even element is the low half, the odd one the high half), which is why the
//! candidates are laid out even dimensions first, then odd ones, per chunk of 16 pairs.
//!
//! The row-splitting dispatch and the final reduction repeat `avx512_bf16_rows.rs` on purpose:
//! sharing them through one dispatcher that calls the kernel from a closure made LLVM inline
//! every instance into that closure and spill accumulators (the 200k x 768 seeding went from
//! 2.2 to 3.0 s).

use std::arch::x86_64::*;

use super::avx512_rows::reduce_add_16;

/// Pairs per chunk (one 512-bit vector of bf16 pairs, 32 dimensions).
const CHUNK: usize = 16;

/// # Safety
/// The CPU supports AVX-512F; `rows[..nrows]` each address `dp` pairs, `cents` holds
/// `dp.div_ceil(16) * kc * 32` floats in the layout of [`super::bf16::Bf16F32DotRowsFn`];
/// `1 <= kc <= 16` and `1 <= nrows <= 3`.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn dot_rows_f32(
    rows: [*const u32; 3],
    nrows: usize,
    cents: *const f32,
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
        // R rows keep R x KC accumulators, 2R widened row vectors and a candidate vector in the
        // 32 registers: three rows up to KC = 8 (the 2 + floor(ln k) candidates of any k below
        // 1,097), two up to 12; otherwise the rows are split.
        if nrows == 3 && kc <= 8 {
            by_kc!(3, 1 2 3 4 5 6 7 8)
        } else if nrows == 3 {
            let [a, b, _] = dot_rows_f32(rows, 2, cents, kc, dp, ahead);
            let c = dot_rows_f32([rows[2]; 3], 1, cents, kc, dp, ahead)[0];
            [a, b, c]
        } else if nrows == 2 && kc <= 12 {
            by_kc!(2, 1 2 3 4 5 6 7 8 9 10 11 12)
        } else if nrows == 2 {
            let first = dot_rows_f32([rows[0]; 3], 1, cents, kc, dp, ahead)[0];
            let second = dot_rows_f32([rows[1]; 3], 1, cents, kc, dp, ahead)[0];
            [first, second, [0.0; 16]]
        } else {
            by_kc!(1, 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
        }
    }
}

/// # Safety
/// As [`dot_rows_f32`] with `kc = KC` and `nrows = R` (rows past `R` are not read).
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn rows_kc<const KC: usize, const R: usize>(
    rows: [*const u32; 3],
    cents: *const f32,
    dp: usize,
    ahead: [*const u32; 3],
) -> [[f32; 16]; 3] {
    let mut acc = [[_mm512_setzero_ps(); KC]; R];
    let full = dp / CHUNK;
    let tail = dp - full * CHUNK;
    let high = _mm512_set1_epi32(0xFFFF_0000u32 as i32);
    // One chunk of every row against every candidate. SAFETY: rows are read at pairs
    // h*16 .. h*16+16 <= dp, or masked to the `tail` pairs left (masked-off lanes read as zero
    // pairs, which widen to +0.0); the candidate chunk h holds KC x 32 floats (zero-padded past d).
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
            let pairs: [__m512i; R] =
                std::array::from_fn(|r| _mm512_maskz_loadu_epi32(mask, rows[r].add(h * CHUNK) as *const i32));
            let even: [__m512; R] = std::array::from_fn(|r| _mm512_castsi512_ps(_mm512_slli_epi32::<16>(pairs[r])));
            let odd: [__m512; R] = std::array::from_fn(|r| _mm512_castsi512_ps(_mm512_and_si512(pairs[r], high)));
            let chunk = cents.add(h * KC * 2 * CHUNK);
            for q in 0..KC {
                let ce = _mm512_loadu_ps(chunk.add(q * 2 * CHUNK));
                for r in 0..R {
                    acc[r][q] = _mm512_fmadd_ps(even[r], ce, acc[r][q]);
                }
                let co = _mm512_loadu_ps(chunk.add(q * 2 * CHUNK + CHUNK));
                for r in 0..R {
                    acc[r][q] = _mm512_fmadd_ps(odd[r], co, acc[r][q]);
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
