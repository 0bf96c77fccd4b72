//! The bf16 screen of k-means++ candidate scoring: a pair the triangle inequality and the
//! projection left is dropped when its bf16 distance, less a rigorous error margin, is still
//! above the row's `min_dist`, since then its f32 distance cannot lower the potential either.
//!
//! The f32 distance is `expanded(xn2, cn2, dot)`, `dot` from `dot_row`. Its dot product differs
//! from the bf16 one by at most `E = |ex| |c| + |x| |ec| (1 + 2^-8) + g |x| |c|` (rounding errors
//! `ex`, `ec` of the bf16 copies; `g = 3 (d + 64) 2^-24` for both f32 accumulations), and the
//! expanded form rounds by at most `2^-21 (xn2 + cn2 + 2 |x| |c|)`. The test runs in f64 and
//! also allows `g xn2` for a squared norm computed by another ISA than the pass's.

use crate::aligned::AlignedF32;
use crate::matrix::Matrix;
use crate::passes::bf16_rows::Bf16Rows;
use crate::simd::bf16::{from_bf16, pack_pair, to_bf16, Bf16Kernels};

/// Candidates per bf16 `dot_row` call (its lane count).
const LANES: usize = 16;

/// One step's candidates in bf16, with the norms the bound needs.
pub(crate) struct Bf16Screen<'a> {
    rows: Bf16Rows<'a>,
    kernels: &'static Bf16Kernels,
    /// `(first candidate, count, pairs)`: pair `p` of candidate `first + q` at `p * 16 + q`.
    chunks: Vec<(usize, usize, AlignedF32)>,
    cn2: Vec<f64>,
    cn: Vec<f64>,
    ec: Vec<f64>,
    dp: usize,
    d: usize,
    gamma: f64,
}

impl<'a> Bf16Screen<'a> {
    /// Packs `candidates` (whose f32 squared norms are `cnorms`) for screening rows of `rows`.
    pub fn new(rows: Bf16Rows<'a>, kernels: &'static Bf16Kernels, candidates: Matrix, cnorms: &[f32]) -> Self {
        let (m, d) = (candidates.n, candidates.d);
        let dp = d.div_ceil(2);
        let mut ec = vec![0.0f64; m];
        let chunks = (0..m)
            .step_by(LANES)
            .map(|first| {
                let len = LANES.min(m - first);
                let mut buf = AlignedF32::zeros(dp * LANES);
                let words = buf.as_mut_u32();
                for q in 0..len {
                    let row = candidates.row(first + q);
                    let mut err = 0.0f64;
                    for p in 0..dp {
                        let lo = row[2 * p];
                        let hi = row.get(2 * p + 1).copied().unwrap_or(0.0);
                        let (bl, bh) = (to_bf16(lo), to_bf16(hi));
                        words[p * LANES + q] = pack_pair(bl, bh);
                        err += f64::from(lo - from_bf16(bl)).powi(2)
                            + f64::from(hi - from_bf16(bh)).powi(2);
                    }
                    ec[first + q] = err.sqrt();
                }
                (first, len, buf)
            })
            .collect();
        let cn2: Vec<f64> = cnorms.iter().map(|v| f64::from(*v)).collect();
        Bf16Screen {
            rows,
            kernels,
            chunks,
            cn: cn2.iter().map(|v| v.sqrt()).collect(),
            cn2,
            ec,
            dp,
            d,
            gamma: 3.0 * (d as f64 + 64.0) * 2f64.powi(-24) * 1.01,
        }
    }

    /// Clears `keep[c]` for every kept candidate `c` whose f32 distance to row `row` provably
    /// exceeds `min_dist` (finite); returns how many it cleared.
    pub fn prune(&self, row: usize, min_dist: f32, keep: &mut [bool]) -> usize {
        let pairs = &self.rows.pairs[row * self.dp..(row + 1) * self.dp];
        let xn2 = f64::from(self.rows.sqnorms[row]);
        let (xn, ex) = (xn2.sqrt(), f64::from(self.rows.err_norms[row]));
        let md = f64::from(min_dist);
        let slack = 1.0 + 2f64.powi(-9);
        let flush = self.d as f64 * 2f64.powi(-122);
        let mut pruned = 0;
        for (first, len, cents) in &self.chunks {
            let range = *first..first + len;
            if !keep[range.clone()].contains(&true) {
                continue;
            }
            // SAFETY: `pairs` holds dp pairs and `cents` dp * 16 (built above); the table is
            // only present on CPUs with the instructions.
            let dots = unsafe { (self.kernels.dot_row)(pairs.as_ptr(), cents.as_u32().as_ptr(), self.dp) };
            for c in range {
                if !keep[c] {
                    continue;
                }
                let (cn, cn2) = (self.cn[c], self.cn2[c]);
                let e = (ex * cn + xn * self.ec[c] * (1.0 + 2f64.powi(-8)) + self.gamma * xn * cn)
                    * slack
                    + flush;
                let lower = xn2 + cn2 - 2.0 * f64::from(dots[c - first])
                    - 2.0 * e
                    - 2f64.powi(-20) * (xn2 + cn2 + 2.0 * xn * cn)
                    - self.gamma * xn2;
                if lower > md {
                    keep[c] = false;
                    pruned += 1;
                }
            }
        }
        pruned
    }
}
