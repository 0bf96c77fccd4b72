//! AVX-512F row primitives: one row against few interleaved centroids (`dot_row`), the arg-min
//! with runner-up (`argmin2`) and float64 row sums (`add_row_f64`). The table is in `avx512.rs`.

use std::arch::x86_64::*;

use super::avx512::tail_mask;

/// How far ahead of its loads `dot_row` prefetches the row (floats).
pub(super) const PREFETCH_AHEAD: usize = 512;

/// # Safety
/// The CPU supports AVX-512F; `row` addresses `d` floats and `cents` the interleaved layout of
/// [`super::DotRowFn`] (16-float chunks of `kc` centroids).
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn dot_row(row: *const f32, cents: *const f32, kc: usize, d: usize) -> [f32; 16] {
    // SAFETY: forwards the caller's guarantees.
    unsafe {
        match kc {
            1 => dot_row_kc::<1>(row, cents, d),
            2 => dot_row_kc::<2>(row, cents, d),
            3 => dot_row_kc::<3>(row, cents, d),
            4 => dot_row_kc::<4>(row, cents, d),
            5 => dot_row_kc::<5>(row, cents, d),
            6 => dot_row_kc::<6>(row, cents, d),
            7 => dot_row_kc::<7>(row, cents, d),
            8 => dot_row_kc::<8>(row, cents, d),
            9 => dot_row_kc::<9>(row, cents, d),
            10 => dot_row_kc::<10>(row, cents, d),
            11 => dot_row_kc::<11>(row, cents, d),
            12 => dot_row_kc::<12>(row, cents, d),
            13 => dot_row_kc::<13>(row, cents, d),
            14 => dot_row_kc::<14>(row, cents, d),
            15 => dot_row_kc::<15>(row, cents, d),
            _ => dot_row_kc::<16>(row, cents, d),
        }
    }
}

/// # Safety
/// As [`dot_row`] with `kc = KC`. Each entry follows `dot4`'s order (one accumulator, 16-lane
/// steps, masked tail, then `reduce_add`'s tree, done for all accumulators at once by
/// [`reduce_add_16`]).
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn dot_row_kc<const KC: usize>(row: *const f32, cents: *const f32, d: usize) -> [f32; 16] {
    // Entries past KC stay zero (and cost nothing in the loop).
    let mut acc = [_mm512_setzero_ps(); 16];
    let mut i = 0;
    // SAFETY: row loads read 16 floats at i <= d - 16, the tail is masked to d - i lanes; the
    // centroid chunk at i holds KC x 16 floats (zero-padded past d).
    unsafe {
        while i < d {
            let m = if i + 16 <= d {
                0xFFFF
            } else {
                tail_mask(d - i)
            };
            // The FMAs waiting on this load fill the scheduler before the out-of-order window
            // reaches far enough ahead to keep memory busy; a prefetch does not wait.
            _mm_prefetch::<_MM_HINT_T0>(row.wrapping_add(i + PREFETCH_AHEAD) as *const i8);
            let xv = _mm512_maskz_loadu_ps(m, row.add(i));
            let chunk = cents.add(i * KC);
            for (q, a) in acc.iter_mut().enumerate().take(KC) {
                *a = _mm512_fmadd_ps(xv, _mm512_loadu_ps(chunk.add(q * 16)), *a);
            }
            i += 16;
        }
    }
    let mut sums = [0.0f32; 16];
    // SAFETY: `sums` holds 16 floats.
    unsafe { _mm512_storeu_ps(sums.as_mut_ptr(), reduce_add_16(acc)) };
    // Lane 4b + j of the reduction holds accumulator 4j + b.
    std::array::from_fn(|q| sums[4 * (q % 4) + q / 4])
}

/// # Safety
/// As [`dot_row`]. Up to 12 centroids the norm comes from the same loop: four more accumulators
/// follow `dot`'s schedule (four interleaved over 64-float blocks, then the first over the
/// remaining 16-float steps, the second over the masked tail), so it equals `dot(row, row)` bit
/// for bit; 12 + 4 accumulators fill the 16 registers the reductions can use. Above 12
/// centroids, `dot_row` then `dot`.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn dot_row_norm(
    row: *const f32,
    cents: *const f32,
    kc: usize,
    d: usize,
) -> ([f32; 16], f32) {
    // SAFETY: forwards the caller's guarantees.
    unsafe {
        match kc {
            1 => dot_row_norm_kc::<1>(row, cents, d),
            2 => dot_row_norm_kc::<2>(row, cents, d),
            3 => dot_row_norm_kc::<3>(row, cents, d),
            4 => dot_row_norm_kc::<4>(row, cents, d),
            5 => dot_row_norm_kc::<5>(row, cents, d),
            6 => dot_row_norm_kc::<6>(row, cents, d),
            7 => dot_row_norm_kc::<7>(row, cents, d),
            8 => dot_row_norm_kc::<8>(row, cents, d),
            9 => dot_row_norm_kc::<9>(row, cents, d),
            10 => dot_row_norm_kc::<10>(row, cents, d),
            11 => dot_row_norm_kc::<11>(row, cents, d),
            12 => dot_row_norm_kc::<12>(row, cents, d),
            _ => {
                let x = std::slice::from_raw_parts(row, d);
                (dot_row(row, cents, kc, d), super::avx512::dot(x, x))
            }
        }
    }
}

/// # Safety
/// As [`dot_row_norm`] with `kc = KC <= 12`.
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn dot_row_norm_kc<const KC: usize>(
    row: *const f32,
    cents: *const f32,
    d: usize,
) -> ([f32; 16], f32) {
    let mut acc = [_mm512_setzero_ps(); 16];
    let mut norm = [_mm512_setzero_ps(); 4];
    // One 16-float step of the row against every centroid, its square into norm[u].
    let mut step = |i: usize, m: __mmask16, u: usize| {
        // SAFETY: lanes past d are masked off; the centroid chunk at i holds KC x 16 floats.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(row.wrapping_add(i + PREFETCH_AHEAD) as *const i8);
            let xv = _mm512_maskz_loadu_ps(m, row.add(i));
            norm[u] = _mm512_fmadd_ps(xv, xv, norm[u]);
            let chunk = cents.add(i * KC);
            for (q, a) in acc.iter_mut().enumerate().take(KC) {
                *a = _mm512_fmadd_ps(xv, _mm512_loadu_ps(chunk.add(q * 16)), *a);
            }
        }
    };
    let mut i = 0;
    while i + 64 <= d {
        for u in 0..4 {
            step(i + 16 * u, 0xFFFF, u);
        }
        i += 64;
    }
    while i + 16 <= d {
        step(i, 0xFFFF, 0);
        i += 16;
    }
    if i < d {
        step(i, tail_mask(d - i), 1);
    }
    let n = _mm512_reduce_add_ps(_mm512_add_ps(
        _mm512_add_ps(norm[0], norm[1]),
        _mm512_add_ps(norm[2], norm[3]),
    ));
    let mut sums = [0.0f32; 16];
    // SAFETY: `sums` holds 16 floats.
    unsafe { _mm512_storeu_ps(sums.as_mut_ptr(), reduce_add_16(acc)) };
    // Lane 4b + j of the reduction holds accumulator 4j + b.
    (std::array::from_fn(|q| sums[4 * (q % 4) + q / 4]), n)
}

/// The horizontal sums of sixteen vectors in one vector: lane `4b + j` is the sum of `v[4j + b]`,
/// added in `_mm512_reduce_add_ps`'s tree (256-bit halves, then 128-bit halves, then lanes
/// `0+2, 1+3`, then those two), so each equals `_mm512_reduce_add_ps(v[i])` bit for bit. 512-bit
/// shuffles only: VEX-encoded 128/256-bit reductions confine their operands to the first sixteen
/// registers, which made LLVM spill accumulators.
#[target_feature(enable = "avx512f")]
pub(super) fn reduce_add_16(v: [__m512; 16]) -> __m512 {
    // 256-bit halves: [a0+a2, a1+a3 | b0+b2, b1+b3] (128-bit blocks) for each pair (a, b).
    let l1: [__m512; 8] = std::array::from_fn(|p| {
        let (a, b) = (v[2 * p], v[2 * p + 1]);
        _mm512_add_ps(
            _mm512_shuffle_f32x4::<0b01_00_01_00>(a, b),
            _mm512_shuffle_f32x4::<0b11_10_11_10>(a, b),
        )
    });
    // 128-bit halves: block j of l2[s] holds vector 4s + j's four partial lanes.
    let l2: [__m512; 4] = std::array::from_fn(|s| {
        let (a, b) = (l1[2 * s], l1[2 * s + 1]);
        _mm512_add_ps(
            _mm512_shuffle_f32x4::<0b10_00_10_00>(a, b),
            _mm512_shuffle_f32x4::<0b11_01_11_01>(a, b),
        )
    });
    // Lanes 0+2 and 1+3 within each block, two vectors' blocks interleaved per output.
    let l3: [__m512; 2] = std::array::from_fn(|h| {
        let (a, b) = (_mm512_castps_pd(l2[2 * h]), _mm512_castps_pd(l2[2 * h + 1]));
        _mm512_add_ps(
            _mm512_castpd_ps(_mm512_unpacklo_pd(a, b)),
            _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)),
        )
    });
    // The last pair of lanes.
    _mm512_add_ps(
        _mm512_shuffle_ps::<0b10_00_10_00>(l3[0], l3[1]),
        _mm512_shuffle_ps::<0b11_01_11_01>(l3[0], l3[1]),
    )
}

/// # Safety
/// The CPU supports AVX-512F; `bias` and `mult` are at least as long as `dots`.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn argmin2(
    dots: &[f32],
    bias: &[f32],
    mult: &[f32],
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
) {
    let n = dots.len();
    let inf = _mm512_set1_ps(f32::INFINITY);
    let (mut best_key, mut second_key) = (inf, inf);
    let mut best_idx = _mm512_setzero_si512();
    let mut idx = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    let step = _mm512_set1_epi32(16);
    let mut q = 0;
    // SAFETY: as in `argmin`: full loads at q <= n - 16, the tail masked to n - q lanes.
    unsafe {
        while q < n {
            let m = if q + 16 <= n {
                0xFFFF
            } else {
                tail_mask(n - q)
            };
            let key = _mm512_fmadd_ps(
                _mm512_maskz_loadu_ps(m, mult.as_ptr().add(q)),
                _mm512_maskz_loadu_ps(m, dots.as_ptr().add(q)),
                _mm512_maskz_loadu_ps(m, bias.as_ptr().add(q)),
            );
            // Per lane: the second becomes min(second, max(best, key)) before the best moves.
            let runner = _mm512_max_ps(best_key, key);
            second_key = _mm512_mask_min_ps(second_key, m, second_key, runner);
            let lt = _mm512_mask_cmp_ps_mask::<_CMP_LT_OQ>(m, key, best_key);
            best_key = _mm512_mask_mov_ps(best_key, lt, key);
            best_idx = _mm512_mask_mov_epi32(best_idx, lt, idx);
            idx = _mm512_add_epi32(idx, step);
            q += 16;
        }
    }
    let (mut k, mut i, mut s) = ([0f32; 16], [0u32; 16], [0f32; 16]);
    // SAFETY: each array holds 16 lanes.
    unsafe {
        _mm512_storeu_ps(k.as_mut_ptr(), best_key);
        _mm512_storeu_si512(i.as_mut_ptr().cast(), best_idx);
        _mm512_storeu_ps(s.as_mut_ptr(), second_key);
    }
    let lanes: [(f32, u32, f32); 16] = std::array::from_fn(|l| (k[l], i[l], s[l]));
    super::merge_top2(&lanes, base, best, second);
}

/// # Safety
/// The CPU supports AVX-512F; `acc` and `row` have equal length.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn add_row_f64(acc: &mut [f64], row: &[f32], w: f64) {
    let n = acc.len().min(row.len());
    let wv = _mm512_set1_pd(w);
    let (pa, pr) = (acc.as_mut_ptr(), row.as_ptr());
    let mut i = 0;
    // SAFETY: each step reads 8 floats and updates 8 doubles at i <= n - 8.
    unsafe {
        while i + 8 <= n {
            let v = _mm512_cvtps_pd(_mm256_loadu_ps(pr.add(i)));
            _mm512_storeu_pd(
                pa.add(i),
                _mm512_fmadd_pd(wv, v, _mm512_loadu_pd(pa.add(i))),
            );
            i += 8;
        }
    }
    super::add_row_f64_tail(acc, row, w, i);
}

/// # Safety
/// The CPU supports AVX-512F; every row holds `acc.len()` floats and `w` has one weight per row.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn add_rows_f64(acc: &mut [f64], rows: &[&[f32]], w: &[f64]) {
    let n = acc.len();
    let pa = acc.as_mut_ptr();
    let mut i = 0;
    // SAFETY: every load and store below is at i + 8u + 8 <= n (full vectors only); the rows
    // hold n floats (caller's contract).
    unsafe {
        // 32 doubles (four independent FMA chains) at a time, over every row, in row order.
        while i + 32 <= n {
            let mut a: [__m512d; 4] = std::array::from_fn(|u| _mm512_loadu_pd(pa.add(i + 8 * u)));
            for (row, wr) in rows.iter().zip(w) {
                let wv = _mm512_set1_pd(*wr);
                let pr = row.as_ptr().add(i);
                for (u, au) in a.iter_mut().enumerate() {
                    let v = _mm512_cvtps_pd(_mm256_loadu_ps(pr.add(8 * u)));
                    *au = _mm512_fmadd_pd(wv, v, *au);
                }
            }
            for (u, au) in a.iter().enumerate() {
                _mm512_storeu_pd(pa.add(i + 8 * u), *au);
            }
            i += 32;
        }
        while i + 8 <= n {
            let mut a = _mm512_loadu_pd(pa.add(i));
            for (row, wr) in rows.iter().zip(w) {
                let v = _mm512_cvtps_pd(_mm256_loadu_ps(row.as_ptr().add(i)));
                a = _mm512_fmadd_pd(_mm512_set1_pd(*wr), v, a);
            }
            _mm512_storeu_pd(pa.add(i), a);
            i += 8;
        }
    }
    for (row, wr) in rows.iter().zip(w) {
        super::add_row_f64_tail(acc, row, *wr, i);
    }
}
