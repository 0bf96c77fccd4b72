//! Scoring k-means++ candidates (the pass greedy seeding runs once per centre): every row's
//! potential with each candidate added, with the pruning of `seeding.rs` and, optionally, the
//! projected lower bound of `projection.rs`.
//!
//! Each block of rows goes in three phases, so the few rows that must be read are fetched ahead
//! of use while the sums keep row order: (1) the bounds decide, row by row, which candidates
//! each row must meet; (2) those rows are read, each prefetched a few rows ahead (they are
//! scattered, and one row at a time waited on memory for most of the pass); (3) the potentials
//! are summed in row order, so a candidate's total has the same bits whatever other candidates
//! share the call.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::bf16_rows::Bf16Rows;
use crate::passes::projection::{LowerBound, SeedProjection, MAX_GROUP_ROWS};
use crate::passes::seed_screen::Bf16Screen;
use crate::passes::seeding::{check_nearest, expanded, BLOCK, SAFETY};
use crate::simd::prefetch_floats;
use crate::tiling::row_dot_chunks;
use crate::validate::{check_nonempty, check_out_len, check_same_d, check_weights};

/// Rows ahead of the current one whose lines are requested from memory.
const PREFETCH_ROWS: usize = 3;
/// Most candidates per call: each row's kept candidates are one `u32` bit mask.
pub const MAX_CANDIDATES: usize = 32;
/// Rows per bf16 screen call.
const SCREEN_ROWS: usize = 3;

/// Per-thread buffers of one pass.
#[derive(Default)]
struct Scratch {
    local_dist: Vec<f32>,
    keep: Vec<bool>,
    /// Rows to read in f32, by index in the block.
    pending: Vec<u32>,
    /// Rows for the bf16 screen.
    screened: Vec<u32>,
    /// Rows the triangle inequality left some candidate.
    bounded: Vec<u32>,
    /// Per row of the block, the candidates it must still meet (bit `c` for candidate `c`).
    masks: Vec<u32>,
    /// Per row of the block, where its gaps start, and its threshold.
    ptrs: Vec<*const f32>,
    limits: Vec<f32>,
}

/// Scores candidate centres without committing them: `totals[c]` is the weighted total
/// `min_dist` would have with candidate `c` added. `candidate_gaps[c * chosen + j]` is the
/// Euclidean distance from candidate `c` to chosen centre `j`. With `row_dists` (`n x m`), each
/// row's squared distance to each candidate is kept (+inf where pruned, which cannot lower
/// `min_dist`), so `seed_commit` can add the chosen one without reading the data again.
/// With `projection`, pairs the triangle inequality keeps are also tested against a lower bound
/// from projected coordinates (see `projection.rs`) that only prunes pairs whose f32 distance
/// is provably no smaller than `min_dist`: the same totals and commits, far fewer rows read.
/// With `bf16` (a copy of `x` from [`crate::bf16_rows`]) on an ISA with bf16 kernels, the pairs
/// left after that are screened once more in bf16 (half the bytes per row, see
/// [`Bf16Screen`]): only pairs whose f32 distance could fall below `min_dist` read the f32 row.
/// The totals, `row_dists` and commits are the same either way. Takes at most
/// [`MAX_CANDIDATES`] candidates (a coded error otherwise). Returns the distances computed in
/// f32.
#[allow(clippy::too_many_arguments)]
pub fn seed_potential(
    x: Matrix,
    candidates: Matrix,
    candidate_gaps: &[f32],
    chosen: usize,
    min_dist: &[f32],
    nearest: &[u32],
    weights: Option<&[f32]>,
    totals: &mut [f64],
    row_dists: Option<&mut [f32]>,
    projection: Option<SeedProjection>,
    bf16: Option<Bf16Rows>,
    o: &PassOptions,
) -> KernelResult<u64> {
    let r = o.resolve()?;
    check_nonempty(candidates.n, "candidates")?;
    if candidates.n > MAX_CANDIDATES {
        return Err(crate::error::KernelError::invalid(format!(
            "at most {MAX_CANDIDATES} candidates per call (greedy k-means++ scores 2 + ln k)"
        ))
        .with_expected(format!("<= {MAX_CANDIDATES}"))
        .with_actual(candidates.n as f64));
    }
    check_nonempty(chosen, "chosen centres")?;
    check_same_d(x, candidates, "candidates")?;
    let m = candidates.n;
    check_out_len(candidate_gaps.len(), m * chosen, "candidate gaps")?;
    check_out_len(min_dist.len(), x.n, "minDist")?;
    check_out_len(nearest.len(), x.n, "nearest")?;
    check_out_len(totals.len(), m, "totals")?;
    check_weights(weights, x.n)?;
    check_nearest(nearest, chosen)?;
    if let Some(rd) = &row_dists {
        check_out_len(rd.len(), x.n * m, "row distances (n x m)")?;
    }
    if r.validate {
        crate::validate::check_rows(candidates, "candidates", false, &r)?;
    }
    if let Some(b) = &bf16 {
        b.check(x.n, x.d)?;
    }
    // Not a GEMM tile: with the few candidates of a step (2 + ln k) most SIMD lanes of a centroid
    // panel would be padding, and many pairs are pruned. A row that must meet any candidate
    // meets all of its chunk (up to 16, interleaved for `dot_row`) in one sweep that also takes
    // its norm: the same bits as `dot4` and `sqnorm` (see `DotRowNormFn`). Distances use the dot
    // form |x|^2 + |c|^2 - 2 x.c.
    let cnorms: Vec<f32> = (0..m).map(|c| r.isa.sqnorm(candidates.row(c))).collect();
    let chunks = row_dot_chunks(candidates, r.isa.row_lanes);
    let bound = projection
        .map(|p| LowerBound::new(&p, candidates, &chunks, &cnorms, x.n, r.isa))
        .transpose()?;
    let screen = match (bf16, r.isa.bf16) {
        (Some(rows), Some(kernels)) => Some(Bf16Screen::new(rows, kernels, candidates, &cnorms)),
        _ => None,
    };
    let blocks = x.n.div_ceil(BLOCK);
    let mut partials = vec![0.0f64; blocks * m];
    let mut computed = vec![0u64; blocks];
    let (part_out, comp_out) = (SharedOut::new(&mut partials), SharedOut::new(&mut computed));
    // The gaps by chosen centre (`[near * m + c]`): a row's m gaps in one cache line or two.
    let mut gaps_by_centre = vec![0f32; chosen * m];
    for c in 0..m {
        for j in 0..chosen {
            gaps_by_centre[j * m + c] = candidate_gaps[c * chosen + j];
        }
    }
    let rd_out = row_dists.map(SharedOut::new);
    let threads = threads_for_work(x.n * x.d * m, r.threads);
    for_each_block(
        blocks,
        threads,
        &r.control,
        || Scratch::default(),
        |b, Scratch { local_dist, keep, pending, screened, bounded, masks, ptrs, limits }| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns slots b*m .. b*m+m of the partials and slot b of the counts.
            let (part_shared, comp_shared) =
                unsafe { (part_out.slice(b * m, m), &mut comp_out.slice(b, 1)[0]) };
            // The block's distances go straight to its rows of `row_dists` when kept.
            let dist: &mut [f32] = match &rd_out {
                // SAFETY: block b owns rows r0 .. r0+rows (times m) of the row distances.
                Some(out) => unsafe { out.slice(r0 * m, rows * m) },
                None => {
                    local_dist.resize(rows * m, 0.0);
                    &mut local_dist[..rows * m]
                }
            };
            dist.fill(f32::INFINITY);
            keep.clear();
            keep.resize(rows * m, false);
            pending.clear();
            screened.clear();
            bounded.clear();
            let mut computed_here = 0u64;
            // Phase 1: which candidates each row must meet, by the triangle inequality, as a bit
            // mask per row (`can_skip`'s test with its threshold taken once per row: the same
            // decisions).
            // The threshold taken once per row, then every row's gaps tested in one batched call.
            ptrs.clear();
            limits.clear();
            for i in 0..rows {
                let md = min_dist[r0 + i];
                ptrs.push(gaps_by_centre[nearest[r0 + i] as usize * m..].as_ptr());
                limits.push(2.0 * md.sqrt() * (1.0 + SAFETY) + 1e-12);
            }
            masks.clear();
            masks.resize(rows, 0);
            // SAFETY: every pointer addresses the m gaps of a chosen centre (`nearest` checked).
            unsafe { r.isa.kept_masks(ptrs, m, limits, false, masks) };
            for i in 0..rows {
                if !min_dist[r0 + i].is_finite() {
                    keep[i * m..(i + 1) * m].fill(true);
                    computed_here += m as u64;
                    pending.push(i as u32);
                } else if masks[i] != 0 {
                    bounded.push(i as u32);
                }
            }
            // Phase 1a: the projected bound, for the pairs the triangle inequality kept (most of
            // them in high dimension, where centre gaps and row distances are alike), a group of
            // rows per call.
            if let Some(lb) = &bound {
                let group = lb.group_rows();
                let mut kept = 0;
                for g0 in (0..bounded.len()).step_by(group) {
                    let count = group.min(bounded.len() - g0);
                    let (mut global, mut limits, mut row_masks) = ([0usize; MAX_GROUP_ROWS], [0f32; MAX_GROUP_ROWS], [0u32; MAX_GROUP_ROWS]);
                    for (h, &i) in bounded[g0..g0 + count].iter().enumerate() {
                        global[h] = r0 + i as usize;
                        limits[h] = lb.row_limit(global[h], min_dist[global[h]], SAFETY);
                        row_masks[h] = masks[i as usize];
                    }
                    lb.prune_group(&global[..count], &limits[..count], &mut row_masks[..count]);
                    // Compacted in place: the rows still meeting some candidate, in order.
                    for h in 0..count {
                        let i = bounded[g0 + h];
                        masks[i as usize] = row_masks[h];
                        if row_masks[h] != 0 {
                            bounded[kept] = i;
                            kept += 1;
                        }
                    }
                }
                bounded.truncate(kept);
            }
            // The kept pairs of the rows left, as the screen and the reads take them.
            for &i in bounded.iter() {
                let mask = masks[i as usize];
                for (c, k) in keep[i as usize * m..(i as usize + 1) * m].iter_mut().enumerate() {
                    *k = mask >> c & 1 != 0;
                }
            }
            // Rows left go through the bf16 screen when there is one, or are read.
            for &i in bounded.iter() {
                if screen.is_some() {
                    screened.push(i);
                } else {
                    computed_here += u64::from(masks[i as usize].count_ones());
                    pending.push(i);
                }
            }
            // Phase 1b: the bf16 screen, three rows per kernel call (each candidate chunk loaded
            // serves all three); rows it cannot clear join the pending ones, still in row order.
            if let Some(sc) = &screen {
                for (j, group) in screened.chunks(SCREEN_ROWS).enumerate() {
                    let ahead = |h: usize| r0 + *screened.get(SCREEN_ROWS * (j + 1) + h).unwrap_or(&group[0]) as usize;
                    let rows: [usize; SCREEN_ROWS] = std::array::from_fn(|h| group.get(h).copied().unwrap_or(group[0]) as usize);
                    let md = rows.map(|i| min_dist[r0 + i]);
                    let at = rows.map(|i| i * m);
                    sc.prune(rows.map(|i| r0 + i), group.len(), md, keep, at, std::array::from_fn(ahead));
                    for &i in group {
                        let i = i as usize;
                        let kept = keep[i * m..(i + 1) * m].iter().filter(|k| **k).count();
                        if kept > 0 {
                            computed_here += kept as u64;
                            pending.push(i as u32);
                        }
                    }
                }
            }
            pending.sort_unstable();
            // Phase 2: the rows that must be read, requested from memory ahead of their turn.
            for (j, &i) in pending.iter().enumerate() {
                if let Some(&ahead) = pending.get(j + PREFETCH_ROWS) {
                    prefetch_floats(x.row(r0 + ahead as usize));
                }
                let i = i as usize;
                let row = x.row(r0 + i);
                let row_keep = &keep[i * m..(i + 1) * m];
                for (first, len, cents) in &chunks {
                    let range = *first..first + len;
                    if !row_keep[range.clone()].contains(&true) {
                        continue;
                    }
                    // SAFETY: `row` holds d floats and `cents` the interleaved layout of `len`
                    // (<= 16) candidates for this ISA; `isa` was detected on this CPU.
                    let (dots, xn2) =
                        unsafe { (r.isa.dot_row_norm)(row.as_ptr(), cents.as_ptr(), *len, x.d) };
                    for c in range.filter(|c| row_keep[*c]) {
                        dist[i * m + c] = expanded(xn2, cnorms[c], dots[c - first]);
                    }
                }
            }
            // Phase 3: the potentials, in row order. Local accumulators stored once per block:
            // neighbouring blocks' partials share cache lines.
            let mut part = vec![0f64; m];
            for i in 0..rows {
                let w = weights.map_or(1.0, |w| w[r0 + i] as f64);
                let md = min_dist[r0 + i];
                for (p, v) in part.iter_mut().zip(&dist[i * m..(i + 1) * m]) {
                    *p += w * v.min(md) as f64;
                }
            }
            part_shared.copy_from_slice(&part);
            *comp_shared = computed_here;
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    for (c, t) in totals.iter_mut().enumerate() {
        *t = (0..blocks).map(|b| partials[b * m + c]).sum();
    }
    Ok(computed.iter().sum())
}
