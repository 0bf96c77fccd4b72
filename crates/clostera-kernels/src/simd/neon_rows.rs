//! NEON row primitives: one row against few interleaved centroids (`dot_row`), the arg-min with
//! runner-up (`argmin2`) and float64 row sums (`add_row_f64`). The table is in `neon.rs`.
//!
//! Built and tested only on aarch64 hosts; x86-64 CI compiles it out.

use std::arch::aarch64::*;

/// # Safety
/// The CPU supports NEON; `row` addresses `d` floats and `cents` the interleaved layout of
/// [`super::DotRowFn`] (4-float chunks of `kc` centroids). Each entry follows `dot4`'s order (one
/// accumulator, 4-lane steps, `vaddvq`, then the scalar tail).
#[target_feature(enable = "neon")]
pub(super) unsafe fn dot_row(row: *const f32, cents: *const f32, kc: usize, d: usize) -> [f32; 16] {
    let mut acc = [vdupq_n_f32(0.0); 16];
    let full = d / 4 * 4;
    // SAFETY: row loads read 4 floats at i <= d - 4; the centroid chunk at i holds kc x 4 floats.
    unsafe {
        for i in (0..full).step_by(4) {
            let xv = vld1q_f32(row.add(i));
            let chunk = cents.add(i * kc);
            for (q, a) in acc.iter_mut().enumerate().take(kc) {
                *a = vfmaq_f32(*a, xv, vld1q_f32(chunk.add(q * 4)));
            }
        }
    }
    let mut out = [0.0f32; 16];
    for (q, a) in acc.iter().enumerate().take(kc) {
        let mut s = vaddvq_f32(*a);
        for j in full..d {
            // SAFETY: j < d; the last chunk holds kc x 4 floats.
            s += unsafe { *row.add(j) * *cents.add(full * kc + q * 4 + j - full) };
        }
        out[q] = s;
    }
    out
}

/// # Safety
/// As [`dot_row`]. The norm is the ISA's `dot(row, row)`, computed after the dot products.
#[target_feature(enable = "neon")]
pub(super) unsafe fn dot_row_norm(
    row: *const f32,
    cents: *const f32,
    kc: usize,
    d: usize,
) -> ([f32; 16], f32) {
    // SAFETY: forwards the caller's guarantees; `row` addresses d floats.
    unsafe {
        let x = std::slice::from_raw_parts(row, d);
        (dot_row(row, cents, kc, d), super::neon::dot(x, x))
    }
}

/// # Safety
/// The CPU supports NEON; `bias` and `mult` are at least as long as `dots`.
#[target_feature(enable = "neon")]
pub(super) unsafe fn argmin2(
    dots: &[f32],
    bias: &[f32],
    mult: &[f32],
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
) {
    let n = dots.len();
    let mut best_key = vdupq_n_f32(f32::INFINITY);
    let mut second_key = vdupq_n_f32(f32::INFINITY);
    let mut best_idx = vdupq_n_u32(0);
    let lane_ids: [u32; 4] = [0, 1, 2, 3];
    // SAFETY: lane_ids holds exactly 4 lanes.
    let mut idx = unsafe { vld1q_u32(lane_ids.as_ptr()) };
    let step = vdupq_n_u32(4);
    let mut q = 0;
    // SAFETY: loads read 4 floats at q <= n - 4 from slices at least n long.
    unsafe {
        while q + 4 <= n {
            let key = vfmaq_f32(
                vld1q_f32(bias.as_ptr().add(q)),
                vld1q_f32(mult.as_ptr().add(q)),
                vld1q_f32(dots.as_ptr().add(q)),
            );
            // Per lane: the second becomes min(second, max(best, key)) before the best moves.
            second_key = vminq_f32(second_key, vmaxq_f32(best_key, key));
            let lt = vcltq_f32(key, best_key);
            best_key = vbslq_f32(lt, key, best_key);
            best_idx = vbslq_u32(lt, idx, best_idx);
            idx = vaddq_u32(idx, step);
            q += 4;
        }
    }
    let (mut k, mut i, mut s) = ([0f32; 4], [0u32; 4], [0f32; 4]);
    // SAFETY: each array holds 4 lanes.
    unsafe {
        vst1q_f32(k.as_mut_ptr(), best_key);
        vst1q_u32(i.as_mut_ptr(), best_idx);
        vst1q_f32(s.as_mut_ptr(), second_key);
    }
    let lanes: [(f32, u32, f32); 4] = std::array::from_fn(|l| (k[l], i[l], s[l]));
    super::merge_top2(&lanes, base, best, second);
    super::argmin2_tail(dots, bias, mult, q, base, best, second);
}

/// # Safety
/// The CPU supports NEON; `acc` and `row` have equal length.
#[target_feature(enable = "neon")]
pub(super) unsafe fn add_row_f64(acc: &mut [f64], row: &[f32], w: f64) {
    let n = acc.len().min(row.len());
    let wv = vdupq_n_f64(w);
    let (pa, pr) = (acc.as_mut_ptr(), row.as_ptr());
    let mut i = 0;
    // SAFETY: each step reads 2 floats and updates 2 doubles at i <= n - 2.
    unsafe {
        while i + 2 <= n {
            let v = vcvt_f64_f32(vld1_f32(pr.add(i)));
            vst1q_f64(pa.add(i), vfmaq_f64(vld1q_f64(pa.add(i)), wv, v));
            i += 2;
        }
    }
    super::add_row_f64_tail(acc, row, w, i);
}
