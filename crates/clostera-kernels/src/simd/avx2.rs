//! AVX2 + FMA path (x86-64): a 6 x 16 register-blocked micro-kernel (12 accumulators, two
//! centroid vectors and one broadcast fit the 16 ymm registers), plus 256-bit reductions.

use std::arch::x86_64::*;

use super::avx2_rows::{add_row_f64, add_rows_f64, argmin2, dot_row, dot_row_norm};
use super::{Isa, SimdLevel};

const MR: usize = 6;
const NR: usize = 16;

pub(crate) static ISA: Isa = Isa {
    level: SimdLevel::Avx2,
    mr: MR,
    nr: NR,
    // 16 centroids x 512 dims x 4 bytes = 32 KiB: one packed panel stays in the 48 KiB L1.
    dc: 512,
    row_lanes: 8,
    microkernel_rows,
    dot,
    dot4,
    dot_row,
    dot_row_norm,
    dot_row_pair: None,
    add_row_f64,
    add_rows_f64: Some(add_rows_f64),
    l2sq,
    argmin,
    argmin2,
    keys,
    kept_masks: super::avx2_masks::kept_masks,
    bf16: None,
};

#[inline]
#[target_feature(enable = "avx2,fma")]
pub(super) fn hsum(v: __m256) -> f32 {
    let lo = _mm256_castps256_ps128(v);
    let hi = _mm256_extractf128_ps(v, 1);
    let s = _mm_add_ps(lo, hi);
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    _mm_cvtss_f32(s)
}

/// # Safety
/// The CPU supports AVX2 and FMA; `a.len() == b.len()`.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: every load reads 8 floats at i < n - 7 (checked by the loop bounds).
    unsafe {
        while i + 32 <= n {
            for (u, acc_u) in acc.iter_mut().enumerate() {
                *acc_u = _mm256_fmadd_ps(
                    _mm256_loadu_ps(pa.add(i + 8 * u)),
                    _mm256_loadu_ps(pb.add(i + 8 * u)),
                    *acc_u,
                );
            }
            i += 32;
        }
        while i + 8 <= n {
            acc[0] = _mm256_fmadd_ps(
                _mm256_loadu_ps(pa.add(i)),
                _mm256_loadu_ps(pb.add(i)),
                acc[0],
            );
            i += 8;
        }
    }
    let v = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let mut s = hsum(v);
    while i < n {
        s += a[i] * b[i];
        i += 1;
    }
    s
}

/// # Safety
/// The CPU supports AVX2 and FMA; `a.len() == b.len()`.
#[target_feature(enable = "avx2,fma")]
unsafe fn l2sq(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: every load reads 8 floats at i < n - 7 (checked by the loop bounds).
    unsafe {
        while i + 32 <= n {
            for (u, acc_u) in acc.iter_mut().enumerate() {
                let t = _mm256_sub_ps(
                    _mm256_loadu_ps(pa.add(i + 8 * u)),
                    _mm256_loadu_ps(pb.add(i + 8 * u)),
                );
                *acc_u = _mm256_fmadd_ps(t, t, *acc_u);
            }
            i += 32;
        }
        while i + 8 <= n {
            let t = _mm256_sub_ps(_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i)));
            acc[0] = _mm256_fmadd_ps(t, t, acc[0]);
            i += 8;
        }
    }
    let v = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let mut s = hsum(v);
    while i < n {
        let t = a[i] - b[i];
        s += t * t;
        i += 1;
    }
    s
}

/// The smallest of 8 lane keys and the lowest lane index holding it, without branches (the
/// scalar rule: ties to the lowest index). Lanes holding +inf win only when all do.
///
/// # Safety
/// The CPU supports AVX2.
#[target_feature(enable = "avx2")]
unsafe fn lane_argmin(key: __m256, idx: __m256i) -> (f32, u32) {
    // Butterfly minimum: after three steps every lane holds the smallest key.
    let m = _mm256_min_ps(key, _mm256_permute2f128_ps::<1>(key, key));
    let m = _mm256_min_ps(m, _mm256_shuffle_ps::<0b01_00_11_10>(m, m));
    let m = _mm256_min_ps(m, _mm256_shuffle_ps::<0b10_11_00_01>(m, m));
    let at_min = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_EQ_OQ>(key, m));
    // Lanes not at the minimum take u32::MAX, then the same butterfly on unsigned indices.
    let i = _mm256_blendv_epi8(_mm256_set1_epi32(-1), idx, at_min);
    let i = _mm256_min_epu32(i, _mm256_permute2x128_si256::<1>(i, i));
    let i = _mm256_min_epu32(i, _mm256_shuffle_epi32::<0b01_00_11_10>(i));
    let i = _mm256_min_epu32(i, _mm256_shuffle_epi32::<0b10_11_00_01>(i));
    (_mm256_cvtss_f32(m), _mm256_cvtsi256_si32(i) as u32)
}

/// # Safety
/// The CPU supports AVX2 and FMA; `bias` and `mult` are at least as long as `dots`.
#[target_feature(enable = "avx2,fma")]
unsafe fn argmin(dots: &[f32], bias: &[f32], mult: &[f32], base: u32, best: &mut (f32, u32)) {
    let n = dots.len();
    let mut best_key = _mm256_set1_ps(f32::INFINITY);
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
            // Strictly less: a lane keeps its earlier (lower) index on ties.
            let lt = _mm256_cmp_ps(key, best_key, _CMP_LT_OQ);
            best_key = _mm256_blendv_ps(best_key, key, lt);
            best_idx = _mm256_blendv_epi8(best_idx, idx, _mm256_castps_si256(lt));
            idx = _mm256_add_epi32(idx, step);
            q += 8;
        }
    }
    // SAFETY: AVX2 was detected by the caller (target_feature on this function).
    let (mut bk, mut bi) = unsafe { lane_argmin(best_key, best_idx) };
    while q < n {
        let key = mult[q].mul_add(dots[q], bias[q]);
        if key < bk {
            bk = key;
            bi = q as u32;
        }
        q += 1;
    }
    if bk < best.0 {
        *best = (bk, base + bi);
    }
}

/// # Safety
/// The CPU supports AVX2 and FMA; `bias`, `mult` and `out` are at least as long as `dots`.
#[target_feature(enable = "avx2,fma")]
unsafe fn keys(dots: &[f32], bias: &[f32], mult: &[f32], out: &mut [f32]) {
    let n = dots.len();
    let mut q = 0;
    // SAFETY: every access covers 8 floats at q <= n - 8 of slices at least n long.
    unsafe {
        while q + 8 <= n {
            let key = _mm256_fmadd_ps(
                _mm256_loadu_ps(mult.as_ptr().add(q)),
                _mm256_loadu_ps(dots.as_ptr().add(q)),
                _mm256_loadu_ps(bias.as_ptr().add(q)),
            );
            _mm256_storeu_ps(out.as_mut_ptr().add(q), key);
            q += 8;
        }
    }
    while q < n {
        out[q] = mult[q].mul_add(dots[q], bias[q]);
        q += 1;
    }
}

/// # Safety
/// The CPU supports AVX2 and FMA; `rows` holds `MR` pointers, each to at least `j0 + dc` floats;
/// `b` holds `dc * NR`; `c` addresses an `MR x NR` block with row stride `ldc`.
#[target_feature(enable = "avx2,fma")]
unsafe fn microkernel_rows(
    rows: *const *const f32,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    // SAFETY: the caller passes MR row pointers.
    let ptrs: [*const f32; MR] = unsafe { std::array::from_fn(|r| (*rows.add(r)).add(j0)) };
    for j in 0..dc {
        // SAFETY: j < dc: panel reads stay in b, row reads stay within each row's j0 + dc floats.
        unsafe {
            let b0 = _mm256_loadu_ps(b.add(j * NR));
            let b1 = _mm256_loadu_ps(b.add(j * NR + 8));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let ar = _mm256_broadcast_ss(&*ptrs[r].add(j));
                acc_r[0] = _mm256_fmadd_ps(ar, b0, acc_r[0]);
                acc_r[1] = _mm256_fmadd_ps(ar, b1, acc_r[1]);
            }
        }
    }
    for (r, acc_r) in acc.iter().enumerate() {
        // SAFETY: row r of the block lies inside the caller's tile.
        unsafe {
            let row = c.add(r * ldc);
            let (mut v0, mut v1) = (acc_r[0], acc_r[1]);
            if accumulate {
                v0 = _mm256_add_ps(v0, _mm256_loadu_ps(row));
                v1 = _mm256_add_ps(v1, _mm256_loadu_ps(row.add(8)));
            }
            _mm256_storeu_ps(row, v0);
            _mm256_storeu_ps(row.add(8), v1);
        }
    }
}

/// # Safety
/// The CPU supports AVX2 and FMA; every `c[i]` is as long as `x`.
#[target_feature(enable = "avx2,fma")]
unsafe fn dot4(x: &[f32], c: [&[f32]; 4]) -> [f32; 4] {
    let n = x.len();
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: each load reads 8 floats at i <= n - 8 of slices n long.
    unsafe {
        while i + 8 <= n {
            let xv = _mm256_loadu_ps(x.as_ptr().add(i));
            for (a, ci) in acc.iter_mut().zip(&c) {
                *a = _mm256_fmadd_ps(xv, _mm256_loadu_ps(ci.as_ptr().add(i)), *a);
            }
            i += 8;
        }
    }
    let mut out = [0.0f32; 4];
    for (o, (a, ci)) in out.iter_mut().zip(acc.iter().zip(&c)) {
        let mut s = hsum(*a);
        for j in i..n {
            s += x[j] * ci[j];
        }
        *o = s;
    }
    out
}
