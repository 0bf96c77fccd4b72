//! Centroids packed for bf16 screening: the same panels of `nr` as the f32 engine, in bf16
//! pairs, with the per-centroid terms of each pair's error margin.
//!
//! For a row `x` and centroid `c` with bf16 roundings `x~ = x - ex`, `c~ = c - ec`, the exact
//! dot product differs from the bf16 one by at most
//! `|ex|.|c| + |x~|.|ec| + g.|x|.|c|`, where `g = 3 (d + 64) 2^-24` covers the f32 rounding
//! of both accumulations (the f32 kernel's, and the bf16 instruction's, which may round after
//! each of its two products). A key `bias + mult * dot` then moves by `|mult|` times that, plus
//! the rounding of the keys and bounds themselves (`2^-21 (|bias| + |mult| |x| |c|)`), plus
//! what flushing subnormal products to zero can lose (`|mult| d 2^-122`). With `|x~| <= |x| (1 +
//! 2^-8)` the margin is `alpha * |x| + beta * |ex| + konst`, every term rounded up and scaled by
//! `1 + 2^-9` for the f32 arithmetic that evaluates it.

use crate::aligned::AlignedF32;
use crate::matrix::Matrix;
use crate::simd::bf16::{from_bf16, pack_pair, to_bf16, PanelTerms};
use crate::simd::Isa;
use crate::tiling::PackedCentroids;

/// Fewest panels worth screening: with one, every row would recompute it anyway.
const MIN_PANELS: usize = 2;

/// Below this dimension the screen's per-pair work (conversion, keys, margins, bounds) is not
/// repaid by the halved multiply-adds. With one epilogue call per chunk of panels and exact-count
/// recomputes, Gaussian 1M x 128, k = 256 (320 training rows per centroid, 20 iterations) fits
/// in 555-577 ms screened against 629-674 ms plain (it was 0.76 s against 0.73 s with one call
/// per panel); 768-d and 784-d shapes gain more.
const MIN_D: usize = 128;

/// Largest centroid norm screened: keeps every approximate product, key and margin finite
/// (rows above [`MAX_SCREEN_NORM`] are recomputed in full).
pub(crate) const MAX_SCREEN_NORM: f32 = 1e18;

/// bf16 panels and margin terms of one centroid set.
pub(crate) struct PackedBf16 {
    /// Panel `p`, pair `j`, centroid `q` at `(p * dp + j) * nr + q` (as `u32` pairs).
    pub panels: AlignedF32,
    /// Pairs per row: `d.div_ceil(2)`.
    pub dp: usize,
    pub alpha: Vec<f32>,
    pub beta: Vec<f32>,
    pub konst: Vec<f32>,
}

/// `v` rounded up to f32 (never below the real value).
fn up(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) < v {
        f.next_up()
    } else {
        f
    }
}

impl PackedBf16 {
    /// Screening data for `c` (already packed as `pc`), when `isa` has bf16 kernels and the
    /// shape is worth it: panels (not the row-major layout), at least two of them, `d >= 32`,
    /// and every centroid norm below [`MAX_SCREEN_NORM`].
    pub fn new(c: Matrix, pc: &PackedCentroids, isa: &Isa) -> Option<Self> {
        if pc.kpad() / pc.nr < MIN_PANELS || c.d < MIN_D {
            return None;
        }
        Self::any_shape(c, pc, isa)
    }

    /// [`PackedBf16::new`] without the shape thresholds (the ISA and layout must still allow
    /// it): for tests that screen small shapes.
    pub fn any_shape(c: Matrix, pc: &PackedCentroids, isa: &Isa) -> Option<Self> {
        isa.bf16?;
        let (k, d, nr) = (c.n, c.d, pc.nr);
        let kpad = pc.kpad();
        if pc.row_dots() {
            return None;
        }
        let dp = d.div_ceil(2);
        let mut panels = AlignedF32::zeros(kpad * dp);
        let (mut alpha, mut beta, mut konst) = (vec![0.0; kpad], vec![0.0; kpad], vec![0.0; kpad]);
        let gamma = 3.0 * (d as f64 + 64.0) * 2f64.powi(-24) * 1.01;
        let slack = 1.0 + 2f64.powi(-9);
        let words = panels.as_mut_u32();
        for i in 0..k {
            let row = c.row(i);
            let (mut cn, mut ec) = (0.0f64, 0.0f64);
            let base = (i / nr) * dp * nr + i % nr;
            for j in 0..dp {
                let lo = row[2 * j];
                let hi = row.get(2 * j + 1).copied().unwrap_or(0.0);
                let (bl, bh) = (to_bf16(lo), to_bf16(hi));
                words[base + j * nr] = pack_pair(bl, bh);
                cn += f64::from(lo).powi(2) + f64::from(hi).powi(2);
                ec += f64::from(lo - from_bf16(bl)).powi(2) + f64::from(hi - from_bf16(bh)).powi(2);
            }
            let (cn, ec) = (cn.sqrt(), ec.sqrt());
            if !(cn < f64::from(MAX_SCREEN_NORM)) {
                return None;
            }
            let mu = f64::from(pc.mult[i]).abs();
            let bias = f64::from(pc.bias[i]).abs();
            alpha[i] = up(mu * (cn * (gamma + 2f64.powi(-21)) + ec * (1.0 + 2f64.powi(-7))) * slack);
            beta[i] = up(mu * cn * slack);
            konst[i] = up((2f64.powi(-21) * bias + mu * d as f64 * 2f64.powi(-122)) * slack)
                .max(4.0 * f32::MIN_POSITIVE);
            if !(alpha[i].is_finite() && beta[i].is_finite() && konst[i].is_finite()) {
                return None;
            }
        }
        Some(PackedBf16 {
            panels,
            dp,
            alpha,
            beta,
            konst,
        })
    }

    /// The margin and key terms of panels `p .. p + count`.
    pub fn terms<'a>(&'a self, pc: &'a PackedCentroids, p: usize, count: usize) -> PanelTerms<'a> {
        let r = p * pc.nr..(p + count) * pc.nr;
        PanelTerms {
            bias: &pc.bias[r.clone()],
            mult: &pc.mult[r.clone()],
            alpha: &self.alpha[r.clone()],
            beta: &self.beta[r.clone()],
            konst: &self.konst[r],
        }
    }
}
