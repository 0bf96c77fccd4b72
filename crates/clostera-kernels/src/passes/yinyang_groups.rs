//! The pieces of the Yinyang step that deal with centroid groups: centroids reordered by group,
//! the best two candidates of a group, and the full recomputation of rows through the GEMM tile
//! with a per-group SIMD arg-min epilogue.

use crate::aligned::AlignedF32;
use crate::matrix::Matrix;
use crate::passes::bf16_rows::Bf16Rows;
use crate::passes::yinyang::Grouping;
use crate::simd::Isa;
use crate::tiling::{
    for_each_chunk_of, row_block, screened_rows, BlockRows, PackedCentroids, RowScratch, K_CHUNK,
};

/// Centroids reordered so each group is contiguous, with the map back to original indices.
pub(crate) struct Grouped {
    pub rows: AlignedF32,
    pub index: Vec<u32>,
    pub start: Vec<usize>,
}

pub(crate) fn group_centroids(c: Matrix, g: &Grouping) -> Grouped {
    let mut start = vec![0usize; g.t + 1];
    for gj in g.group_of {
        start[*gj as usize + 1] += 1;
    }
    for i in 0..g.t {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut index = vec![0u32; c.n];
    let mut rows = AlignedF32::zeros(c.n * c.d);
    for (j, gj) in g.group_of.iter().enumerate() {
        let at = fill[*gj as usize];
        fill[*gj as usize] += 1;
        index[at] = j as u32;
        rows[at * c.d..(at + 1) * c.d].copy_from_slice(c.row(j));
    }
    Grouped { rows, index, start }
}

/// Nearest and second-nearest (distance, index) seen, ties to the lowest index.
#[derive(Clone, Copy)]
pub(crate) struct Two {
    pub d1: f32,
    pub i1: u32,
    pub d2: f32,
    pub i2: u32,
}

impl Two {
    pub const EMPTY: Two = Two {
        d1: f32::INFINITY,
        i1: u32::MAX,
        d2: f32::INFINITY,
        i2: u32::MAX,
    };
    /// Index offered with a runner-up known by value only: above every real index, so it never
    /// wins a tie against one and only ever takes the second place.
    pub const UNNAMED: u32 = u32::MAX - 1;
    #[inline]
    pub fn offer(&mut self, d: f32, i: u32) {
        if d < self.d1 || (d == self.d1 && i < self.i1) {
            (self.d2, self.i2) = (self.d1, self.i1);
            (self.d1, self.i1) = (d, i);
        } else if d < self.d2 || (d == self.d2 && i < self.i2) {
            (self.d2, self.i2) = (d, i);
        }
    }
    /// Smallest distance among entries other than centroid `label`.
    #[inline]
    pub fn excluding(&self, label: u32) -> f32 {
        if self.i1 == label {
            self.d2
        } else {
            self.d1
        }
    }
}

/// Full recomputation of gathered rows through the GEMM tile: exact labels (as `assign`) and
/// exact group bounds. `pc` holds the centroids in grouped order, so each group's keys are
/// contiguous in a tile row and its best comes from a SIMD arg-min sweep instead of a scalar look
/// at every key (a second sweep for the runner-up only where the bounds need it).
#[allow(clippy::too_many_arguments)]
pub(crate) fn recompute_rows(
    isa: &Isa,
    x: Matrix,
    ids: &[u32],
    pc: &PackedCentroids,
    copy: Option<Bf16Rows>,
    grouped: &Grouped,
    k: usize,
    t: usize,
    scratch: &mut RowScratch,
    groups: &mut Vec<Two>,
    done: &mut impl FnMut(usize, u32, f32, &[Two], f32),
) {
    if ids.is_empty() {
        return;
    }
    let screen = isa.bf16.zip(pc.screen.as_ref());
    // Sub-batches small enough that the rows x chunk tile stays in L2; screened ones larger (the
    // screen keeps its tile small itself, see `screened_rows`).
    let batch = if screen.is_some() { screened_rows(x.d) } else { row_block(x.d) };
    if ids.len() > batch {
        for part in ids.chunks(batch) {
            recompute_rows(isa, x, part, pc, copy, grouped, k, t, scratch, groups, done);
        }
        return;
    }
    if let Some((bk, pb)) = screen {
        return crate::passes::yinyang_screened::recompute_rows_screened(
            isa, bk, x, ids, pc, pb, copy, grouped, k, t, scratch, groups, done,
        );
    }
    groups.clear();
    groups.resize(ids.len() * t, Two::EMPTY);
    let mut keys = vec![0.0f32; K_CHUNK];
    // Keys are already final: the arg-min sees `0 + 1 * key`, which is exact.
    let (zeros, ones) = (vec![0.0f32; K_CHUNK], vec![1.0f32; K_CHUNK]);
    let xn2: Vec<f32> = ids.iter().map(|i| isa.sqnorm(x.row(*i as usize))).collect();
    // Each row's best (key, index) so far, in the order the final choice uses.
    let mut leader = vec![(f32::INFINITY, u32::MAX); ids.len()];
    for_each_chunk_of(
        isa,
        x,
        BlockRows::Gather(ids),
        pc,
        scratch,
        |start, len, tile, ldc| {
            let real = len.min(k - start.min(k));
            let first_group = grouped
                .start
                .partition_point(|s| *s <= start)
                .saturating_sub(1);
            for r in 0..ids.len() {
                isa.keys(
                    &tile[r * ldc..r * ldc + real],
                    &pc.bias[start..start + real],
                    &pc.mult[start..start + real],
                    &mut keys,
                );
                let row_groups = &mut groups[r * t..(r + 1) * t];
                let mut g = first_group;
                while g < t && grouped.start[g] < start + real {
                    let (lo, hi) = (
                        grouped.start[g].max(start) - start,
                        grouped.start[g + 1].min(start + real) - start,
                    );
                    if lo < hi {
                        let mut b1 = (f32::INFINITY, u32::MAX);
                        isa.argmin(
                            &keys[lo..hi],
                            &zeros[lo..hi],
                            &ones[lo..hi],
                            lo as u32,
                            &mut b1,
                        );
                        if b1.1 != u32::MAX {
                            let nearest = (b1.0, grouped.index[start + b1.1 as usize]);
                            row_groups[g].offer(nearest.0, nearest.1);
                            // The second-nearest of a group only matters for the group of the
                            // row's label (its bound excludes the label); the label's partial
                            // group minimum leads the running best when it is seen, so computing
                            // the second only for leaders keeps every bound exact while sweeping
                            // about ln(t) groups twice instead of all t.
                            let lead = &mut leader[r];
                            let leads =
                                nearest.0 < lead.0 || (nearest.0 == lead.0 && nearest.1 < lead.1);
                            if leads {
                                *lead = nearest;
                            }
                            if leads && hi - lo > 1 {
                                let saved = keys[b1.1 as usize];
                                keys[b1.1 as usize] = f32::INFINITY;
                                let mut b2 = (f32::INFINITY, u32::MAX);
                                isa.argmin(
                                    &keys[lo..hi],
                                    &zeros[lo..hi],
                                    &ones[lo..hi],
                                    lo as u32,
                                    &mut b2,
                                );
                                keys[b1.1 as usize] = saved;
                                if b2.1 != u32::MAX {
                                    row_groups[g].offer(b2.0, grouped.index[start + b2.1 as usize]);
                                }
                            }
                        }
                    }
                    g += 1;
                }
            }
        },
    );
    for (r, id) in ids.iter().enumerate() {
        let row_groups = &groups[r * t..(r + 1) * t];
        let mut best = (f32::INFINITY, u32::MAX);
        for two in row_groups {
            if two.d1 < best.0 || (two.d1 == best.0 && two.i1 < best.1) {
                best = (two.d1, two.i1);
            }
        }
        done(*id as usize, best.1, best.0, row_groups, xn2[r]);
    }
}

/// Euclidean distance from a squared-norm-expanded key (`|c|^2 - 2 x.c`) and `|x|^2`.
#[inline]
pub(crate) fn key_distance(key: f32, xn2: f32) -> f32 {
    (xn2 + key).max(0.0).sqrt()
}
