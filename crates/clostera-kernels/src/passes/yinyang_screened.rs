//! The full recomputation of Yinyang rows (the first step, and rows that would open more than
//! half the centroids) screened in bf16 (see `assign_screened`): labels and values come from exact
//! f32 keys of the panels a row's bounds keep, so they are plain Lloyd's; a group bound is the
//! smallest lower bound over the group's other centroids (the exact key where the panel was
//! recomputed, the bf16 key less its margin elsewhere), a valid bound a little below the exact
//! one, which only makes later steps open a group slightly more often.

use crate::matrix::Matrix;
use crate::passes::assign_screened::{recompute_kept, screen_rows};
use crate::passes::bf16_rows::Bf16Rows;
use crate::passes::yinyang_groups::{Grouped, Two};
use crate::simd::bf16::Bf16Kernels;
use crate::simd::Isa;
use crate::tiling::{BlockRows, PackedCentroids, RowScratch};
use crate::tiling_bf16::PackedBf16;

/// An index no label has: a group bound built from lower bounds names no centroid, so
/// `Two::excluding` always returns it.
const NO_CENTROID: u32 = u32::MAX - 2;

/// As `recompute_rows` for at most `screened_rows(d)` rows `ids`, with `pc` (grouped order) screened.
#[allow(clippy::too_many_arguments)]
pub(crate) fn recompute_rows_screened(
    isa: &Isa,
    bk: &Bf16Kernels,
    x: Matrix,
    ids: &[u32],
    pc: &PackedCentroids,
    pb: &PackedBf16,
    copy: Option<Bf16Rows>,
    grouped: &Grouped,
    k: usize,
    t: usize,
    scratch: &mut RowScratch,
    groups: &mut Vec<Two>,
    done: &mut impl FnMut(usize, u32, f32, &[Two], f32),
) {
    let rows = ids.len();
    let (kpad, nr) = (pc.kpad(), pc.nr);
    let which = BlockRows::Gather(ids);
    let mut s = std::mem::take(&mut scratch.screen);
    let mut xn2 = Vec::with_capacity(rows);
    // Lower bounds of every (row, grouped position), overwritten by exact keys where recomputed.
    let mut keys = std::mem::take(&mut scratch.tile);
    keys.ensure_len(rows * kpad);
    screen_rows(isa, bk, x, which, pc, pb, copy, &mut s, &mut xn2, Some(&mut keys[..rows * kpad]));
    // Best (exact key, original index) per row: ties to the lowest original index, as plain Lloyd.
    let mut best = vec![(f32::INFINITY, u32::MAX); rows];
    let mut exact = [0.0f32; 64];
    recompute_kept(isa, x, which, pc, &mut s, 0, |i, p, dots| {
        let at = p * nr;
        isa.keys(dots, &pc.bias[at..at + nr], &pc.mult[at..at + nr], &mut exact[..nr]);
        keys[i * kpad + at..i * kpad + at + nr].copy_from_slice(&exact[..nr]);
        for (q, key) in exact[..nr].iter().enumerate() {
            let pos = at + q;
            if pos >= k {
                break;
            }
            let idx = grouped.index[pos];
            let b = &mut best[i];
            if *key < b.0 || (*key == b.0 && idx < b.1) {
                *b = (*key, idx);
            }
        }
    });
    scratch.screen = s;
    groups.clear();
    groups.resize(rows * t, Two::EMPTY);
    // Grouped position of each original index, to take the label out of its group's minimum.
    let mut position = vec![0u32; k];
    for (pos, idx) in grouped.index.iter().enumerate() {
        position[*idx as usize] = pos as u32;
    }
    for (r, id) in ids.iter().enumerate() {
        let (key, label) = best[r];
        let row_keys = &mut keys[r * kpad..r * kpad + k];
        // The label never bounds its own group (the bound is over the other centroids).
        row_keys[position[label as usize] as usize] = f32::INFINITY;
        let row_groups = &mut groups[r * t..(r + 1) * t];
        for (g, two) in row_groups.iter_mut().enumerate() {
            let lb = min_of(&row_keys[grouped.start[g]..grouped.start[g + 1]]);
            *two = Two { d1: lb, i1: NO_CENTROID, d2: f32::INFINITY, i2: u32::MAX };
        }
        done(*id as usize, label, key, row_groups, xn2[r]);
    }
    scratch.tile = keys;
}

/// Smallest value of a slice without NaN (+inf when empty), in 16 independent lanes so the loop
/// vectorizes (a scalar running `min` is one long dependency chain).
fn min_of(v: &[f32]) -> f32 {
    let mut lanes = [f32::INFINITY; 16];
    let mut chunks = v.chunks_exact(16);
    for chunk in &mut chunks {
        for (l, x) in lanes.iter_mut().zip(chunk) {
            *l = if *x < *l { *x } else { *l };
        }
    }
    let tail = chunks.remainder().iter().fold(f32::INFINITY, |a, x| if *x < a { *x } else { a });
    lanes.iter().fold(tail, |a, x| if *x < a { *x } else { a })
}
