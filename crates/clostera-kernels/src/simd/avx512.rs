//! AVX-512F path (x86-64): a 12 x 32 register-blocked micro-kernel (24 accumulators, two
//! centroid vectors and one broadcast out of 32 zmm registers), masked tails in reductions.

use std::arch::x86_64::*;

use super::avx512_pairs::dot_row_pair;
use super::avx512_rows::{add_row_f64, add_rows_f64, argmin2, dot_row, dot_row_norm};
use super::{Isa, SimdLevel};

const MR: usize = 12;
const NR: usize = 32;

pub(crate) static ISA: Isa = TABLE;

/// The AVX-512F table, shared with the bf16 level (which adds only its screening kernels).
pub(super) const TABLE: Isa = Isa {
    level: SimdLevel::Avx512,
    mr: MR,
    nr: NR,
    // 32 centroids x 256 dims x 4 bytes = 32 KiB: one packed panel stays in the 48 KiB L1.
    dc: 256,
    row_lanes: 16,
    microkernel_rows,
    dot,
    dot4,
    dot_row,
    dot_row_norm,
    dot_row_pair: Some(dot_row_pair),
    add_row_f64,
    add_rows_f64: Some(add_rows_f64),
    l2sq,
    argmin,
    argmin2,
    keys,
    kept_masks: super::avx512_masks::kept_masks,
    bf16: None,
};

/// Mask of the first `len` lanes (len < 16).
#[inline]
pub(super) fn tail_mask(len: usize) -> __mmask16 {
    ((1u32 << len) - 1) as __mmask16
}

/// # Safety
/// The CPU supports AVX-512F; `a.len() == b.len()`.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm512_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: full loads read 16 floats at i <= n - 16; the masked tail load touches only the
    // first n - i lanes.
    unsafe {
        while i + 64 <= n {
            for (u, acc_u) in acc.iter_mut().enumerate() {
                *acc_u = _mm512_fmadd_ps(
                    _mm512_loadu_ps(pa.add(i + 16 * u)),
                    _mm512_loadu_ps(pb.add(i + 16 * u)),
                    *acc_u,
                );
            }
            i += 64;
        }
        while i + 16 <= n {
            acc[0] = _mm512_fmadd_ps(
                _mm512_loadu_ps(pa.add(i)),
                _mm512_loadu_ps(pb.add(i)),
                acc[0],
            );
            i += 16;
        }
        if i < n {
            let m = tail_mask(n - i);
            acc[1] = _mm512_fmadd_ps(
                _mm512_maskz_loadu_ps(m, pa.add(i)),
                _mm512_maskz_loadu_ps(m, pb.add(i)),
                acc[1],
            );
        }
    }
    _mm512_reduce_add_ps(_mm512_add_ps(
        _mm512_add_ps(acc[0], acc[1]),
        _mm512_add_ps(acc[2], acc[3]),
    ))
}

/// # Safety
/// The CPU supports AVX-512F; `a.len() == b.len()`.
#[target_feature(enable = "avx512f")]
unsafe fn l2sq(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm512_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: as in `dot`: full loads stay below n, the tail load is masked to n - i lanes.
    unsafe {
        while i + 64 <= n {
            for (u, acc_u) in acc.iter_mut().enumerate() {
                let t = _mm512_sub_ps(
                    _mm512_loadu_ps(pa.add(i + 16 * u)),
                    _mm512_loadu_ps(pb.add(i + 16 * u)),
                );
                *acc_u = _mm512_fmadd_ps(t, t, *acc_u);
            }
            i += 64;
        }
        while i + 16 <= n {
            let t = _mm512_sub_ps(_mm512_loadu_ps(pa.add(i)), _mm512_loadu_ps(pb.add(i)));
            acc[0] = _mm512_fmadd_ps(t, t, acc[0]);
            i += 16;
        }
        if i < n {
            let m = tail_mask(n - i);
            let t = _mm512_sub_ps(
                _mm512_maskz_loadu_ps(m, pa.add(i)),
                _mm512_maskz_loadu_ps(m, pb.add(i)),
            );
            acc[1] = _mm512_fmadd_ps(t, t, acc[1]);
        }
    }
    _mm512_reduce_add_ps(_mm512_add_ps(
        _mm512_add_ps(acc[0], acc[1]),
        _mm512_add_ps(acc[2], acc[3]),
    ))
}

/// # Safety
/// The CPU supports AVX-512F; `bias` and `mult` are at least as long as `dots`.
#[target_feature(enable = "avx512f")]
unsafe fn argmin(dots: &[f32], bias: &[f32], mult: &[f32], base: u32, best: &mut (f32, u32)) {
    let n = dots.len();
    let mut best_key = _mm512_set1_ps(f32::INFINITY);
    let mut best_idx = _mm512_setzero_si512();
    let mut idx = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    let step = _mm512_set1_epi32(16);
    let mut q = 0;
    // SAFETY: full loads read 16 floats at q <= n - 16; the tail is masked to n - q lanes, and
    // masked-off lanes are excluded from the comparison mask.
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
            // Strictly less: a lane keeps its earlier (lower) index on ties.
            let lt = _mm512_mask_cmp_ps_mask::<_CMP_LT_OQ>(m, key, best_key);
            best_key = _mm512_mask_mov_ps(best_key, lt, key);
            best_idx = _mm512_mask_mov_epi32(best_idx, lt, idx);
            idx = _mm512_add_epi32(idx, step);
            q += 16;
        }
    }
    // Branch-free lane reduction: the smallest key, then the lowest index among the lanes holding
    // it (the scalar rule: ties to the lowest index). Lanes never updated hold +inf and never win.
    let bk = _mm512_reduce_min_ps(best_key);
    let at_min = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(best_key, _mm512_set1_ps(bk));
    let bi = _mm512_mask_reduce_min_epu32(at_min, best_idx);
    if bk < best.0 {
        *best = (bk, base + bi);
    }
}

/// # Safety
/// The CPU supports AVX-512F; `bias`, `mult` and `out` are at least as long as `dots`.
#[target_feature(enable = "avx512f")]
unsafe fn keys(dots: &[f32], bias: &[f32], mult: &[f32], out: &mut [f32]) {
    let n = dots.len();
    let mut q = 0;
    // SAFETY: full accesses cover 16 floats at q <= n - 16; the tail is masked to n - q lanes.
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
            _mm512_mask_storeu_ps(out.as_mut_ptr().add(q), m, key);
            q += 16;
        }
    }
}

/// # Safety
/// The CPU supports AVX-512F; `rows` holds `MR` pointers, each to at least `j0 + dc` floats; `b`
/// holds `dc * NR`; `c` addresses an `MR x NR` block with row stride `ldc`.
#[target_feature(enable = "avx512f")]
unsafe fn microkernel_rows(
    rows: *const *const f32,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    // SAFETY: forwards the caller's guarantees (MR row pointers).
    unsafe { super::avx512_rows_exact::rows_r::<MR>(rows, j0, b, dc, c, ldc, accumulate) }
}

/// # Safety
/// The CPU supports AVX-512F; every `c[i]` is as long as `x`.
#[target_feature(enable = "avx512f")]
unsafe fn dot4(x: &[f32], c: [&[f32]; 4]) -> [f32; 4] {
    let n = x.len();
    let mut acc = [_mm512_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: full loads read 16 floats at i <= n - 16; the tail is masked to n - i lanes.
    unsafe {
        while i < n {
            let m = if i + 16 <= n {
                0xFFFF
            } else {
                tail_mask(n - i)
            };
            let xv = _mm512_maskz_loadu_ps(m, x.as_ptr().add(i));
            for (a, ci) in acc.iter_mut().zip(&c) {
                *a = _mm512_fmadd_ps(xv, _mm512_maskz_loadu_ps(m, ci.as_ptr().add(i)), *a);
            }
            i += 16;
        }
    }
    std::array::from_fn(|j| _mm512_reduce_add_ps(acc[j]))
}
