//! NEON path (aarch64): an 8 x 8 register-blocked micro-kernel (16 accumulators of 4 lanes,
//! two centroid vectors and a broadcast out of 32 vector registers), plus 128-bit reductions.
//!
//! Built and tested only on aarch64 hosts; x86-64 CI compiles it out.

use std::arch::aarch64::*;

use super::neon_rows::{add_row_f64, argmin2, dot_row, dot_row_norm};
use super::{Isa, SimdLevel};

const MR: usize = 8;
const NR: usize = 8;

pub(crate) static ISA: Isa = Isa {
    level: SimdLevel::Neon,
    mr: MR,
    nr: NR,
    dc: 512,
    row_lanes: 4,
    microkernel_rows,
    dot,
    dot4,
    dot_row,
    dot_row_norm,
    dot_row_pair: None,
    add_row_f64,
    add_rows_f64: None,
    l2sq,
    argmin,
    argmin2,
    keys,
    kept_masks: super::scalar::kept_masks,
    bf16: None,
};

/// # Safety
/// The CPU supports NEON; `a.len() == b.len()`.
#[target_feature(enable = "neon")]
pub(super) unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [vdupq_n_f32(0.0); 4];
    let mut i = 0;
    // SAFETY: every load reads 4 floats at i <= n - 4 (checked by the loop bounds).
    unsafe {
        while i + 16 <= n {
            for (u, acc_u) in acc.iter_mut().enumerate() {
                *acc_u = vfmaq_f32(
                    *acc_u,
                    vld1q_f32(pa.add(i + 4 * u)),
                    vld1q_f32(pb.add(i + 4 * u)),
                );
            }
            i += 16;
        }
        while i + 4 <= n {
            acc[0] = vfmaq_f32(acc[0], vld1q_f32(pa.add(i)), vld1q_f32(pb.add(i)));
            i += 4;
        }
    }
    let mut s = vaddvq_f32(vaddq_f32(
        vaddq_f32(acc[0], acc[1]),
        vaddq_f32(acc[2], acc[3]),
    ));
    while i < n {
        s += a[i] * b[i];
        i += 1;
    }
    s
}

/// # Safety
/// The CPU supports NEON; `a.len() == b.len()`.
#[target_feature(enable = "neon")]
unsafe fn l2sq(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [vdupq_n_f32(0.0); 4];
    let mut i = 0;
    // SAFETY: every load reads 4 floats at i <= n - 4 (checked by the loop bounds).
    unsafe {
        while i + 16 <= n {
            for (u, acc_u) in acc.iter_mut().enumerate() {
                let t = vsubq_f32(vld1q_f32(pa.add(i + 4 * u)), vld1q_f32(pb.add(i + 4 * u)));
                *acc_u = vfmaq_f32(*acc_u, t, t);
            }
            i += 16;
        }
        while i + 4 <= n {
            let t = vsubq_f32(vld1q_f32(pa.add(i)), vld1q_f32(pb.add(i)));
            acc[0] = vfmaq_f32(acc[0], t, t);
            i += 4;
        }
    }
    let mut s = vaddvq_f32(vaddq_f32(
        vaddq_f32(acc[0], acc[1]),
        vaddq_f32(acc[2], acc[3]),
    ));
    while i < n {
        let t = a[i] - b[i];
        s += t * t;
        i += 1;
    }
    s
}

/// # Safety
/// The CPU supports NEON; `bias` and `mult` are at least as long as `dots`.
#[target_feature(enable = "neon")]
unsafe fn argmin(dots: &[f32], bias: &[f32], mult: &[f32], base: u32, best: &mut (f32, u32)) {
    let n = dots.len();
    let mut best_key = vdupq_n_f32(f32::INFINITY);
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
            // Strictly less: a lane keeps its earlier (lower) index on ties.
            let lt = vcltq_f32(key, best_key);
            best_key = vbslq_f32(lt, key, best_key);
            best_idx = vbslq_u32(lt, idx, best_idx);
            idx = vaddq_u32(idx, step);
            q += 4;
        }
    }
    let mut keys = [0.0f32; 4];
    let mut idxs = [0u32; 4];
    // SAFETY: both arrays hold exactly 4 lanes.
    unsafe {
        vst1q_f32(keys.as_mut_ptr(), best_key);
        vst1q_u32(idxs.as_mut_ptr(), best_idx);
    }
    let (mut bk, mut bi) = (f32::INFINITY, u32::MAX);
    for l in 0..4 {
        if keys[l] < bk || (keys[l] == bk && idxs[l] < bi) {
            bk = keys[l];
            bi = idxs[l];
        }
    }
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
/// The CPU supports NEON; `bias`, `mult` and `out` are at least as long as `dots`.
#[target_feature(enable = "neon")]
unsafe fn keys(dots: &[f32], bias: &[f32], mult: &[f32], out: &mut [f32]) {
    let n = dots.len();
    let mut q = 0;
    // SAFETY: every access covers 4 floats at q <= n - 4 of slices at least n long.
    unsafe {
        while q + 4 <= n {
            let key = vfmaq_f32(
                vld1q_f32(bias.as_ptr().add(q)),
                vld1q_f32(mult.as_ptr().add(q)),
                vld1q_f32(dots.as_ptr().add(q)),
            );
            vst1q_f32(out.as_mut_ptr().add(q), key);
            q += 4;
        }
    }
    while q < n {
        out[q] = mult[q].mul_add(dots[q], bias[q]);
        q += 1;
    }
}

/// # Safety
/// The CPU supports NEON; `rows` holds `MR` pointers, each to at least `j0 + dc` floats; `b`
/// holds `dc * NR`; `c` addresses an `MR x NR` block with row stride `ldc`.
#[target_feature(enable = "neon")]
unsafe fn microkernel_rows(
    rows: *const *const f32,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    let mut acc = [[vdupq_n_f32(0.0); 2]; MR];
    // SAFETY: the caller passes MR row pointers.
    let ptrs: [*const f32; MR] = unsafe { std::array::from_fn(|r| (*rows.add(r)).add(j0)) };
    for j in 0..dc {
        // SAFETY: j < dc: panel reads stay in b, row reads stay within each row's j0 + dc floats.
        unsafe {
            let b0 = vld1q_f32(b.add(j * NR));
            let b1 = vld1q_f32(b.add(j * NR + 4));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let ar = vdupq_n_f32(*ptrs[r].add(j));
                acc_r[0] = vfmaq_f32(acc_r[0], ar, b0);
                acc_r[1] = vfmaq_f32(acc_r[1], ar, b1);
            }
        }
    }
    for (r, acc_r) in acc.iter().enumerate() {
        // SAFETY: row r of the block lies inside the caller's tile.
        unsafe {
            let row = c.add(r * ldc);
            let (mut v0, mut v1) = (acc_r[0], acc_r[1]);
            if accumulate {
                v0 = vaddq_f32(v0, vld1q_f32(row));
                v1 = vaddq_f32(v1, vld1q_f32(row.add(4)));
            }
            vst1q_f32(row, v0);
            vst1q_f32(row.add(4), v1);
        }
    }
}

/// # Safety
/// The CPU supports NEON; every `c[i]` is as long as `x`.
#[target_feature(enable = "neon")]
unsafe fn dot4(x: &[f32], c: [&[f32]; 4]) -> [f32; 4] {
    let n = x.len();
    let mut acc = [vdupq_n_f32(0.0); 4];
    let mut i = 0;
    // SAFETY: each load reads 4 floats at i <= n - 4 of slices n long.
    unsafe {
        while i + 4 <= n {
            let xv = vld1q_f32(x.as_ptr().add(i));
            for (a, ci) in acc.iter_mut().zip(&c) {
                *a = vfmaq_f32(*a, xv, vld1q_f32(ci.as_ptr().add(i)));
            }
            i += 4;
        }
    }
    let mut out = [0.0f32; 4];
    for (o, (a, ci)) in out.iter_mut().zip(acc.iter().zip(&c)) {
        let mut s = vaddvq_f32(*a);
        for j in i..n {
            s += x[j] * ci[j];
        }
        *o = s;
    }
    out
}
