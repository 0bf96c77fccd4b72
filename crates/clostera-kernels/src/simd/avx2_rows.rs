//! AVX2 + FMA row primitives: one row against few interleaved centroids (`dot_row`), the arg-min
//! with runner-up (`argmin2`) and float64 row sums (`add_row_f64`). The table is in `avx2.rs`.

use std::arch::x86_64::*;

use super::avx2::hsum;

/// # Safety
/// The CPU supports AVX2 and FMA; `row` addresses `d` floats and `cents` the interleaved layout
/// of [`super::DotRowFn`] (8-float chunks of `kc` centroids).
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot_row(row: *const f32, cents: *const f32, kc: usize, d: usize) -> [f32; 16] {
    let mut out = [0.0f32; 16];
    // Up to eight centroids at a time: eight accumulators, a row vector and a centroid vector
    // fit the 16 ymm registers (a second read of the row hits L1).
    let mut q0 = 0;
    while q0 < kc {
        // SAFETY: forwards the caller's guarantees; q0 + P <= kc for the P chosen.
        unsafe {
            q0 += match kc - q0 {
                8.. => dot_row_part::<8>(row, cents, kc, q0, d, &mut out),
                7 => dot_row_part::<7>(row, cents, kc, q0, d, &mut out),
                6 => dot_row_part::<6>(row, cents, kc, q0, d, &mut out),
                5 => dot_row_part::<5>(row, cents, kc, q0, d, &mut out),
                4 => dot_row_part::<4>(row, cents, kc, q0, d, &mut out),
                3 => dot_row_part::<3>(row, cents, kc, q0, d, &mut out),
                2 => dot_row_part::<2>(row, cents, kc, q0, d, &mut out),
                _ => dot_row_part::<1>(row, cents, kc, q0, d, &mut out),
            };
        }
    }
    out
}

/// # Safety
/// As [`dot_row`], for centroids `q0 .. q0 + P` (`q0 + P <= kc`); returns `P`. Each entry follows
/// `dot4`'s order (one accumulator, 8-lane steps, `hsum`, then the scalar tail).
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn dot_row_part<const P: usize>(
    row: *const f32,
    cents: *const f32,
    kc: usize,
    q0: usize,
    d: usize,
    out: &mut [f32; 16],
) -> usize {
    let full = d / 8 * 8;
    let mut acc = [_mm256_setzero_ps(); P];
    // SAFETY: row loads read 8 floats at i <= d - 8; the centroid chunk at i holds kc x 8 floats.
    unsafe {
        for i in (0..full).step_by(8) {
            let xv = _mm256_loadu_ps(row.add(i));
            let chunk = cents.add(i * kc + q0 * 8);
            for (q, a) in acc.iter_mut().enumerate() {
                *a = _mm256_fmadd_ps(xv, _mm256_loadu_ps(chunk.add(q * 8)), *a);
            }
        }
    }
    for (q, a) in acc.iter().enumerate() {
        let mut s = hsum(*a);
        for j in full..d {
            // SAFETY: j < d; the last chunk holds kc x 8 floats.
            s += unsafe { *row.add(j) * *cents.add(full * kc + (q0 + q) * 8 + j - full) };
        }
        out[q0 + q] = s;
    }
    P
}

/// # Safety
/// As [`dot_row`]. The norm is the ISA's `dot(row, row)`, computed after the dot products.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot_row_norm(
    row: *const f32,
    cents: *const f32,
    kc: usize,
    d: usize,
) -> ([f32; 16], f32) {
    // SAFETY: forwards the caller's guarantees; `row` addresses d floats.
    unsafe {
        let x = std::slice::from_raw_parts(row, d);
        (dot_row(row, cents, kc, d), super::avx2::dot(x, x))
    }
}

/// # Safety
/// The CPU supports AVX2 and FMA; `bias` and `mult` are at least as long as `dots`.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn argmin2(
    dots: &[f32],
    bias: &[f32],
    mult: &[f32],
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
) {
    let n = dots.len();
    let inf = _mm256_set1_ps(f32::INFINITY);
    let (mut best_key, mut second_key) = (inf, inf);
    let mut best_idx = _mm256_setzero_si256();
    let mut idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    let step = _mm256_set1_epi32(8);
    let mut q = 0;
    // SAFETY: loads read 8 floats at q <= n - 8 from slices at least n long.
    unsafe {
        while q + 8 <= n {
            let key = _mm256_fmadd_ps(
                _mm256_loadu_ps(mult.as_ptr().add(q)),
                _mm256_loadu_ps(dots.as_ptr().add(q)),
                _mm256_loadu_ps(bias.as_ptr().add(q)),
            );
            // Per lane: the second becomes min(second, max(best, key)) before the best moves.
            second_key = _mm256_min_ps(second_key, _mm256_max_ps(best_key, key));
            let lt = _mm256_cmp_ps(key, best_key, _CMP_LT_OQ);
            best_key = _mm256_blendv_ps(best_key, key, lt);
            best_idx = _mm256_blendv_epi8(best_idx, idx, _mm256_castps_si256(lt));
            idx = _mm256_add_epi32(idx, step);
            q += 8;
        }
    }
    let (mut k, mut i, mut s) = ([0f32; 8], [0u32; 8], [0f32; 8]);
    // SAFETY: each array holds 8 lanes.
    unsafe {
        _mm256_storeu_ps(k.as_mut_ptr(), best_key);
        _mm256_storeu_si256(i.as_mut_ptr().cast(), best_idx);
        _mm256_storeu_ps(s.as_mut_ptr(), second_key);
    }
    let lanes: [(f32, u32, f32); 8] = std::array::from_fn(|l| (k[l], i[l], s[l]));
    super::merge_top2(&lanes, base, best, second);
    // The tail, one entry at a time (as `argmin`'s scalar tail, fused keys).
    super::argmin2_tail(dots, bias, mult, q, base, best, second);
}

/// # Safety
/// The CPU supports AVX2 and FMA; `acc` and `row` have equal length.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn add_row_f64(acc: &mut [f64], row: &[f32], w: f64) {
    let n = acc.len().min(row.len());
    let wv = _mm256_set1_pd(w);
    let (pa, pr) = (acc.as_mut_ptr(), row.as_ptr());
    let mut i = 0;
    // SAFETY: each step reads 4 floats and updates 4 doubles at i <= n - 4.
    unsafe {
        while i + 4 <= n {
            let v = _mm256_cvtps_pd(_mm_loadu_ps(pr.add(i)));
            _mm256_storeu_pd(
                pa.add(i),
                _mm256_fmadd_pd(wv, v, _mm256_loadu_pd(pa.add(i))),
            );
            i += 4;
        }
    }
    super::add_row_f64_tail(acc, row, w, i);
}

/// # Safety
/// The CPU supports AVX2 and FMA; every row holds `acc.len()` floats and `w` has one weight
/// per row.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn add_rows_f64(acc: &mut [f64], rows: &[&[f32]], w: &[f64]) {
    let n = acc.len();
    let pa = acc.as_mut_ptr();
    let mut i = 0;
    // SAFETY: every load and store below is at i + 4u + 4 <= n (full vectors only); the rows
    // hold n floats (caller's contract).
    unsafe {
        // 16 doubles (four independent FMA chains) at a time, over every row, in row order.
        while i + 16 <= n {
            let mut a: [__m256d; 4] = std::array::from_fn(|u| _mm256_loadu_pd(pa.add(i + 4 * u)));
            for (row, wr) in rows.iter().zip(w) {
                let wv = _mm256_set1_pd(*wr);
                let pr = row.as_ptr().add(i);
                for (u, au) in a.iter_mut().enumerate() {
                    let v = _mm256_cvtps_pd(_mm_loadu_ps(pr.add(4 * u)));
                    *au = _mm256_fmadd_pd(wv, v, *au);
                }
            }
            for (u, au) in a.iter().enumerate() {
                _mm256_storeu_pd(pa.add(i + 4 * u), *au);
            }
            i += 16;
        }
        while i + 4 <= n {
            let mut a = _mm256_loadu_pd(pa.add(i));
            for (row, wr) in rows.iter().zip(w) {
                let v = _mm256_cvtps_pd(_mm_loadu_ps(row.as_ptr().add(i)));
                a = _mm256_fmadd_pd(_mm256_set1_pd(*wr), v, a);
            }
            _mm256_storeu_pd(pa.add(i), a);
            i += 4;
        }
    }
    for (row, wr) in rows.iter().zip(w) {
        super::add_row_f64_tail(acc, row, *wr, i);
    }
}
