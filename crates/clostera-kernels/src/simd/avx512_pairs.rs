//! AVX-512F `dot_row` for two rows at once ([`super::DotRowPairFn`]): each centroid chunk loaded
//! from L1 feeds both rows' FMAs, so a step issues `kc + 2` loads for `2 kc` FMAs instead of
//! `2 kc + 2`. With one row per call the loop is bound by loads (one 512-bit load per FMA),
//! which left half the FMA throughput idle on the few-centroid passes (Fashion-MNIST, k = 10).
//!
//! Every accumulator follows the single-row schedule exactly (one accumulator per pair, 16-lane
//! steps, masked tail, then `reduce_add_16`), so each entry equals `dot_row`'s bit for bit, and
//! each norm `dot_row_norm`'s.

use std::arch::x86_64::*;

use super::avx512::tail_mask;
use super::avx512_rows::{dot_row, dot_row_norm, reduce_add_16, PREFETCH_AHEAD};

/// Most centroids a pair call keeps in registers without norms: 2 x 14 accumulators, two row
/// vectors and one centroid vector fill 31 of the 32 zmm registers.
const PAIR_MAX_KC: usize = 14;
/// ...and with norms: 2 x 10 + 2 x 4 norm accumulators + 3 = 31.
const PAIR_NORM_MAX_KC: usize = 10;

/// # Safety
/// The CPU supports AVX-512F; both rows address `d` floats and `cents` the interleaved layout
/// of [`super::DotRowFn`] for `kc` centroids.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn dot_row_pair(
    rows: [*const f32; 2],
    cents: *const f32,
    kc: usize,
    d: usize,
    norms: bool,
) -> ([[f32; 16]; 2], [f32; 2]) {
    // SAFETY: forwards the caller's guarantees.
    unsafe {
        if norms {
            match kc {
                1 => pair_kc::<1, true>(rows, cents, d),
                2 => pair_kc::<2, true>(rows, cents, d),
                3 => pair_kc::<3, true>(rows, cents, d),
                4 => pair_kc::<4, true>(rows, cents, d),
                5 => pair_kc::<5, true>(rows, cents, d),
                6 => pair_kc::<6, true>(rows, cents, d),
                7 => pair_kc::<7, true>(rows, cents, d),
                8 => pair_kc::<8, true>(rows, cents, d),
                9 => pair_kc::<9, true>(rows, cents, d),
                10 => pair_kc::<10, true>(rows, cents, d),
                _ => {
                    let (a, na) = dot_row_norm(rows[0], cents, kc, d);
                    let (b, nb) = dot_row_norm(rows[1], cents, kc, d);
                    ([a, b], [na, nb])
                }
            }
        } else {
            match kc {
                1 => pair_kc::<1, false>(rows, cents, d),
                2 => pair_kc::<2, false>(rows, cents, d),
                3 => pair_kc::<3, false>(rows, cents, d),
                4 => pair_kc::<4, false>(rows, cents, d),
                5 => pair_kc::<5, false>(rows, cents, d),
                6 => pair_kc::<6, false>(rows, cents, d),
                7 => pair_kc::<7, false>(rows, cents, d),
                8 => pair_kc::<8, false>(rows, cents, d),
                9 => pair_kc::<9, false>(rows, cents, d),
                10 => pair_kc::<10, false>(rows, cents, d),
                11 => pair_kc::<11, false>(rows, cents, d),
                12 => pair_kc::<12, false>(rows, cents, d),
                13 => pair_kc::<13, false>(rows, cents, d),
                14 => pair_kc::<14, false>(rows, cents, d),
                _ => {
                    let a = dot_row(rows[0], cents, kc, d);
                    let b = dot_row(rows[1], cents, kc, d);
                    ([a, b], [0.0, 0.0])
                }
            }
        }
    }
}

/// # Safety
/// As [`dot_row_pair`] with `kc = KC` (at most [`PAIR_MAX_KC`], or [`PAIR_NORM_MAX_KC`] with
/// `NORMS`). The dot products follow `dot_row_kc`'s order; the norms `dot_row_norm_kc`'s (four
/// accumulators over 64-float blocks, the first over the remaining 16-float steps, the second
/// over the masked tail).
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn pair_kc<const KC: usize, const NORMS: bool>(
    rows: [*const f32; 2],
    cents: *const f32,
    d: usize,
) -> ([[f32; 16]; 2], [f32; 2]) {
    debug_assert!(KC <= if NORMS { PAIR_NORM_MAX_KC } else { PAIR_MAX_KC });
    // Entries past KC stay zero (and cost nothing in the loop).
    let mut acc = [[_mm512_setzero_ps(); 16]; 2];
    let mut norm = [[_mm512_setzero_ps(); 4]; 2];
    // Each row prefetches a row further than one row alone would: in a contiguous block the
    // pair's rows are neighbours, so this reaches the next pair (measured on Fashion-MNIST,
    // 70,000 x 784, k = 10, 2 threads: 7.7-8.3 ms at PREFETCH_AHEAD, 6.6-7.3 ms here).
    let ahead = d + PREFETCH_AHEAD;
    // One 16-float step of both rows against every centroid (and their squares into norm[.][u]).
    let mut step = |i: usize, m: __mmask16, u: usize| {
        // SAFETY: lanes past d are masked off; the centroid chunk at i holds KC x 16 floats.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(rows[0].wrapping_add(i + ahead) as *const i8);
            _mm_prefetch::<_MM_HINT_T0>(rows[1].wrapping_add(i + ahead) as *const i8);
            let x0 = _mm512_maskz_loadu_ps(m, rows[0].add(i));
            let x1 = _mm512_maskz_loadu_ps(m, rows[1].add(i));
            if NORMS {
                norm[0][u] = _mm512_fmadd_ps(x0, x0, norm[0][u]);
                norm[1][u] = _mm512_fmadd_ps(x1, x1, norm[1][u]);
            }
            let chunk = cents.add(i * KC);
            for q in 0..KC {
                let c = _mm512_loadu_ps(chunk.add(q * 16));
                acc[0][q] = _mm512_fmadd_ps(x0, c, acc[0][q]);
                acc[1][q] = _mm512_fmadd_ps(x1, c, acc[1][q]);
            }
        }
    };
    let mut i = 0;
    if NORMS {
        while i + 64 <= d {
            for u in 0..4 {
                step(i + 16 * u, 0xFFFF, u);
            }
            i += 64;
        }
    }
    while i + 16 <= d {
        step(i, 0xFFFF, 0);
        i += 16;
    }
    if i < d {
        step(i, tail_mask(d - i), 1);
    }
    let norms = if NORMS {
        std::array::from_fn(|r| {
            let n = norm[r];
            _mm512_reduce_add_ps(_mm512_add_ps(
                _mm512_add_ps(n[0], n[1]),
                _mm512_add_ps(n[2], n[3]),
            ))
        })
    } else {
        [0.0; 2]
    };
    let dots = std::array::from_fn(|r| {
        let mut sums = [0.0f32; 16];
        // SAFETY: `sums` holds 16 floats.
        unsafe { _mm512_storeu_ps(sums.as_mut_ptr(), reduce_add_16(acc[r])) };
        // Lane 4b + j of the reduction holds accumulator 4j + b.
        std::array::from_fn(|q| sums[4 * (q % 4) + q / 4])
    });
    (dots, norms)
}
