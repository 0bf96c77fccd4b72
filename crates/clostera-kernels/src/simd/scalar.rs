//! The scalar reference: plain loops that every ISA path is tested against.
//!
//! Sums run in a fixed order with 8 independent lanes so that the reference is exactly
//! reproducible and not pathologically slow; it is also the fallback on CPUs with no SIMD path.

use super::{Isa, SimdLevel};

const MR: usize = 4;
const NR: usize = 8;

pub(crate) static ISA: Isa = Isa {
    level: SimdLevel::Scalar,
    mr: MR,
    nr: NR,
    dc: 512,
    row_lanes: 8,
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
    kept_masks,
    bf16: None,
};

/// The scalar [`super::KeptMasksFn`] (NEON uses it too: a handful of comparisons per row).
///
/// # Safety
/// Every pointer of `rows` addresses `n <= 32` floats; `t` and `out` are as long as `rows`.
pub(super) unsafe fn kept_masks(rows: &[*const f32], n: usize, t: &[f32], inclusive: bool, out: &mut [u32]) {
    for ((row, t), out) in rows.iter().zip(t).zip(out.iter_mut()) {
        // SAFETY: the caller passes n readable floats per row.
        let v = unsafe { std::slice::from_raw_parts(*row, n) };
        let mut mask = 0u32;
        for (c, x) in v.iter().enumerate() {
            let kept = if inclusive { *x <= *t } else { *x < *t } || x.is_nan();
            mask |= u32::from(kept) << c;
        }
        *out = mask;
    }
}

/// # Safety
/// Always safe; `unsafe` only to share the table's signature.
unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = a.len() / 8;
    for i in 0..chunks {
        for l in 0..8 {
            lanes[l] += a[i * 8 + l] * b[i * 8 + l];
        }
    }
    let mut tail = 0.0f32;
    for i in chunks * 8..a.len() {
        tail += a[i] * b[i];
    }
    lanes.iter().sum::<f32>() + tail
}

/// # Safety
/// Always safe; `unsafe` only to share the table's signature.
unsafe fn l2sq(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = a.len() / 8;
    for i in 0..chunks {
        for l in 0..8 {
            let t = a[i * 8 + l] - b[i * 8 + l];
            lanes[l] += t * t;
        }
    }
    let mut tail = 0.0f32;
    for i in chunks * 8..a.len() {
        let t = a[i] - b[i];
        tail += t * t;
    }
    lanes.iter().sum::<f32>() + tail
}

/// # Safety
/// Always safe; `unsafe` only to share the table's signature.
unsafe fn argmin(dots: &[f32], bias: &[f32], mult: &[f32], base: u32, best: &mut (f32, u32)) {
    for (q, &dot) in dots.iter().enumerate() {
        let key = bias[q] + mult[q] * dot;
        if key < best.0 {
            *best = (key, base + q as u32);
        }
    }
}

/// # Safety
/// Always safe; `unsafe` only to share the table's signature.
unsafe fn keys(dots: &[f32], bias: &[f32], mult: &[f32], out: &mut [f32]) {
    for (q, &dot) in dots.iter().enumerate() {
        out[q] = bias[q] + mult[q] * dot;
    }
}

/// # Safety
/// `rows` holds `MR` pointers, each to at least `j0 + dc` floats; `b` holds `dc * NR`; `c`
/// addresses an `MR x NR` block with row stride `ldc`.
unsafe fn microkernel_rows(
    rows: *const *const f32,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    // SAFETY: the caller guarantees MR row pointers of j0 + dc floats and dc * NR panel floats.
    let (ptrs, b) = unsafe {
        (
            std::slice::from_raw_parts(rows, MR),
            std::slice::from_raw_parts(b, dc * NR),
        )
    };
    let rows: [&[f32]; MR] = std::array::from_fn(|r| {
        // SAFETY: as above; each row is read from j0 for dc floats.
        unsafe { std::slice::from_raw_parts(ptrs[r].add(j0), dc) }
    });
    // Sequential over j for every (r, q), as every ISA's micro-kernel sums.
    let mut acc = [[0.0f32; NR]; MR];
    for j in 0..dc {
        let bj = &b[j * NR..j * NR + NR];
        for r in 0..MR {
            let ar = rows[r][j];
            for q in 0..NR {
                acc[r][q] += ar * bj[q];
            }
        }
    }
    for (r, acc_r) in acc.iter().enumerate() {
        // SAFETY: row r of the block lies inside the caller's tile (see contract).
        let row = unsafe { std::slice::from_raw_parts_mut(c.add(r * ldc), NR) };
        for q in 0..NR {
            row[q] = if accumulate {
                row[q] + acc_r[q]
            } else {
                acc_r[q]
            };
        }
    }
}

/// # Safety
/// Always safe; `unsafe` only to share the table's signature. Same lane order as `dot`, so
/// `dot4(x, [c, ..])[0] == dot(x, c)` bit for bit.
unsafe fn dot4(x: &[f32], c: [&[f32]; 4]) -> [f32; 4] {
    // SAFETY: forwards to `dot` with equal-length slices.
    std::array::from_fn(|i| unsafe { dot(x, c[i]) })
}

/// # Safety
/// `row` addresses `d` floats and `cents` the interleaved layout of [`super::DotRowFn`] (8-float
/// chunks of `kc` centroids). Each entry is exactly `dot` (8 lanes over full chunks, then the
/// sequential tail).
unsafe fn dot_row(row: *const f32, cents: *const f32, kc: usize, d: usize) -> [f32; 16] {
    const W: usize = 8;
    // SAFETY: the caller guarantees d floats behind `row` and the padded layout behind `cents`.
    let (x, c) = unsafe {
        (
            std::slice::from_raw_parts(row, d),
            std::slice::from_raw_parts(cents, d.div_ceil(W) * kc * W),
        )
    };
    let full = d / W;
    std::array::from_fn(|q| {
        if q >= kc {
            return 0.0;
        }
        let mut lanes = [0.0f32; W];
        for i in 0..full {
            for l in 0..W {
                lanes[l] += x[i * W + l] * c[i * kc * W + q * W + l];
            }
        }
        let mut tail = 0.0f32;
        for l in 0..d - full * W {
            tail += x[full * W + l] * c[full * kc * W + q * W + l];
        }
        lanes.iter().sum::<f32>() + tail
    })
}

/// # Safety
/// As [`dot_row`]; the norm is `dot(row, row)`.
unsafe fn dot_row_norm(
    row: *const f32,
    cents: *const f32,
    kc: usize,
    d: usize,
) -> ([f32; 16], f32) {
    // SAFETY: forwards the caller's guarantees; `row` addresses d floats.
    unsafe {
        let x = std::slice::from_raw_parts(row, d);
        (dot_row(row, cents, kc, d), dot(x, x))
    }
}

/// # Safety
/// Always safe (`acc` and `row` have equal length); `unsafe` only to share the table's signature.
unsafe fn add_row_f64(acc: &mut [f64], row: &[f32], w: f64) {
    super::add_row_f64_tail(acc, row, w, 0);
}

/// # Safety
/// Always safe; `unsafe` only to share the table's signature.
unsafe fn argmin2(
    dots: &[f32],
    bias: &[f32],
    mult: &[f32],
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
) {
    for (q, &dot) in dots.iter().enumerate() {
        super::offer_top2(bias[q] + mult[q] * dot, base + q as u32, best, second);
    }
}
