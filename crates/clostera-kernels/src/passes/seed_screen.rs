//! The bf16 screen of k-means++ candidate scoring: a pair the triangle inequality and the
//! projection left is dropped when its bf16 distance, less a rigorous error margin, is still
//! above the row's `min_dist`, since then its f32 distance cannot lower the potential either.
//!
//! The f32 distance is `expanded(xn2, cn2, dot)`, `dot` from `dot_row`. Its dot product differs
//! from the bf16 one by at most `E = |ex| |c| + |x| |ec| (1 + 2^-8) + g |x| |c|` (rounding errors
//! `ex`, `ec` of the bf16 copies; `g = 3 (d + 64) 2^-24` for both f32 accumulations; `ec = 0`
//! where the ISA scores bf16 rows against the candidates in f32, see
//! [`Bf16Kernels::seed_screen_f32`]), and the
//! expanded form rounds by at most `2^-21 (xn2 + cn2 + 2 |x| |c|)`. The test runs in f64 and
//! also allows `g xn2` for a squared norm computed by another ISA than the pass's.

use crate::matrix::Matrix;
use crate::passes::bf16_rows::Bf16Rows;
use crate::simd::bf16::{dot_rows_f32_layout, dot_rows_layout, from_bf16, pack_pair, to_bf16, Bf16Kernels};

/// Candidates per bf16 `dot_rows` call.
const LANES: usize = 16;

/// One step's candidates in bf16, with the per-candidate terms of the bound.
///
/// The test of the module comment, `lower > min_dist` with `lower = xn2 + cn2 - 2 dot - 2 E -
/// 2^-20 (xn2 + cn2 + 2 |x| |c|) - g xn2` and `E = (|ex| |c| + |x| |ec| (1 + 2^-8) + g |x| |c|)
/// slack + flush`, regrouped by what varies: `lower = a xn2 + b_c - 2 dot - |x| p_c - |ex| q_c`,
/// so a row costs four multiply-adds per candidate.
pub(crate) struct Bf16Screen<'a> {
    rows: Bf16Rows<'a>,
    kernels: &'static Bf16Kernels,
    /// `(first candidate, count, layout)`: the layout of candidates `first ..` the kernel reads.
    chunks: Vec<(usize, usize, Layout)>,
    /// `a`: the row's own share of the bound.
    row_scale: f64,
    b: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
    dp: usize,
}

/// Candidates as one of the two scoring kernels reads them.
enum Layout {
    /// Rounded to bf16 pairs ([`dot_rows_layout`], for `dot_rows`).
    Bf16(Vec<u32>),
    /// In f32 ([`dot_rows_f32_layout`], for `dot_rows_f32`).
    F32(Vec<f32>),
}

impl<'a> Bf16Screen<'a> {
    /// Packs `candidates` (whose f32 squared norms are `cnorms`) for screening rows of `rows`.
    pub fn new(rows: Bf16Rows<'a>, kernels: &'static Bf16Kernels, candidates: Matrix, cnorms: &[f32]) -> Self {
        let (m, d) = (candidates.n, candidates.d);
        let dp = d.div_ceil(2);
        let f32_candidates = kernels.seed_screen_f32;
        let mut pairs = vec![0u32; if f32_candidates { 0 } else { m * dp }];
        // The candidates' rounding-error norms: zero when they are scored unrounded.
        let mut ec = vec![0.0f64; m];
        if !f32_candidates {
            for c in 0..m {
                let row = candidates.row(c);
                let mut err = 0.0f64;
                for (p, out) in pairs[c * dp..(c + 1) * dp].iter_mut().enumerate() {
                    let lo = row[2 * p];
                    let hi = row.get(2 * p + 1).copied().unwrap_or(0.0);
                    let (bl, bh) = (to_bf16(lo), to_bf16(hi));
                    *out = pack_pair(bl, bh);
                    err += f64::from(lo - from_bf16(bl)).powi(2) + f64::from(hi - from_bf16(bh)).powi(2);
                }
                ec[c] = err.sqrt();
            }
        }
        let chunks = (0..m)
            .step_by(LANES)
            .map(|first| {
                let len = LANES.min(m - first);
                let layout = if f32_candidates {
                    Layout::F32(dot_rows_f32_layout(len, d, |q| candidates.row(first + q)))
                } else {
                    Layout::Bf16(dot_rows_layout(len, dp, |q| &pairs[(first + q) * dp..(first + q + 1) * dp]))
                };
                (first, len, layout)
            })
            .collect();
        let gamma = 3.0 * (d as f64 + 64.0) * 2f64.powi(-24) * 1.01;
        let slack = 1.0 + 2f64.powi(-9);
        let flush = d as f64 * 2f64.powi(-122);
        let cn2: Vec<f64> = cnorms.iter().map(|v| f64::from(*v)).collect();
        let cn: Vec<f64> = cn2.iter().map(|v| v.sqrt()).collect();
        Bf16Screen {
            rows,
            kernels,
            chunks,
            row_scale: 1.0 - 2f64.powi(-20) - gamma,
            b: cn2.iter().map(|v| v * (1.0 - 2f64.powi(-20)) - 2.0 * flush).collect(),
            p: (0..m)
                .map(|c| 2.0 * slack * (ec[c] * (1.0 + 2f64.powi(-8)) + gamma * cn[c]) + 2f64.powi(-19) * cn[c])
                .collect(),
            q: cn.iter().map(|v| 2.0 * slack * v).collect(),
            dp,
        }
    }

    /// For `count` (1 to 3) rows `rows[..count]` with finite `min_dist`s: clears `keep[at[r] +
    /// c]` for every kept candidate `c` whose f32 distance to row `rows[r]` provably exceeds
    /// `min_dist[r]`; returns how many it cleared per row. `next` are the rows the following
    /// call will score (prefetched meanwhile: rows left for the screen are scattered through a
    /// block, which the hardware prefetcher does not follow).
    #[allow(clippy::too_many_arguments)]
    pub fn prune(&self, rows: [usize; 3], count: usize, min_dist: [f32; 3], keep: &mut [bool], at: [usize; 3], next: [usize; 3]) -> [usize; 3] {
        let dp = self.dp;
        let ptrs = rows.map(|r| self.rows.pairs[r * dp..(r + 1) * dp].as_ptr());
        let ahead = next.map(|r| self.rows.pairs.as_ptr().wrapping_add(r * dp));
        let mut pruned = [0usize; 3];
        for (first, len, cents) in &self.chunks {
            let range = *first..first + len;
            if (0..count).all(|r| !keep[at[r] + first..at[r] + first + len].contains(&true)) {
                continue;
            }
            // SAFETY: every pointer addresses dp pairs of rows of the copy (past count they
            // repeat a row, unread) and `cents` is the layout of `len` candidates of dp pairs
            // (or 2 dp floats) its kernel reads (`ahead` is only prefetched); the table is only
            // present on CPUs with the instructions.
            let dots = unsafe {
                match cents {
                    Layout::Bf16(c) => (self.kernels.dot_rows)(ptrs, count, c.as_ptr(), *len, dp, ahead),
                    Layout::F32(c) => (self.kernels.dot_rows_f32)(ptrs, count, c.as_ptr(), *len, dp, ahead),
                }
            };
            for r in 0..count {
                let xn2 = f64::from(self.rows.sqnorms[rows[r]]);
                let (a, xn, ex) = (self.row_scale * xn2, xn2.sqrt(), f64::from(self.rows.err_norms[rows[r]]));
                let md = f64::from(min_dist[r]);
                for c in range.clone() {
                    let lower = a + self.b[c] - 2.0 * f64::from(dots[r][c - first]) - xn * self.p[c] - ex * self.q[c];
                    let slot = &mut keep[at[r] + c];
                    let drop = *slot && lower > md;
                    *slot &= !drop;
                    pruned[r] += drop as usize;
                }
            }
        }
        pruned
    }
}
