//! One exact Lloyd assignment step with Yinyang bounds (Ding et al., ICML 2015): the centroids
//! are split into `t` fixed groups and every row keeps one lower bound per group (on its
//! distance to any centroid of the group other than its own). After the centroids move, each
//! group bound drops by the group's largest drift; a row is settled without computing any other
//! distance when its exact distance to its own centroid is below every group bound, and
//! otherwise only the groups whose bound is below its best distance so far are opened. Rows that
//! would open more than half the centroids are recomputed through the blocked GEMM tile instead,
//! which is faster than many single distances. Rows that must open groups are batched per group
//! and meet all of a group's members in one GEMM tile. Candidates are ranked by the same kernel
//! keys as `assign`, so the labels are the ones plain Lloyd gives.

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::bounded_assign::BoundedStepStats;
use crate::passes::cluster_sums::{ClusterSums, PartitionSums};
use crate::passes::yinyang_groups::{group_centroids, key_distance, recompute_rows, Two};
use crate::tiling::{for_each_chunk_of, BlockRows, PackedCentroids, RowScratch};
use crate::validate::{check_nonempty, check_out_len, check_same_d, check_weights};

/// A bound must clear the exact distance by this relative margin before it settles a row, so
/// f32 rounding never keeps a label that a full recomputation would change.
const SAFETY: f32 = 1e-4;

/// Fixed grouping of the centroids: `group_of[j]` in `0..t`.
pub struct Grouping<'a> {
    pub group_of: &'a [u32],
    pub t: usize,
}

/// Per-row state, updated in place: labels, and `t` lower bounds per row (row-major `n x t`).
pub struct YinyangState<'a> {
    pub labels: &'a mut [u32],
    pub lower: &'a mut [f32],
    /// Output: squared distance of each row to its new centroid.
    pub values: &'a mut [f32],
}

/// Rows per parallel block of the Yinyang step: about 1 MiB of rows, so a block's rows are still
/// in L2 when the step reads them again (bound check, recomputation, cluster sums), and a small
/// training set still splits into enough blocks to keep every thread busy; at most 2048, at least
/// 256 so per-group lists of rows to re-examine stay long enough for the micro-kernel. Depends
/// on `d` only, so results do not depend on the thread count.
fn yinyang_block_rows(d: usize) -> usize {
    (YINYANG_BLOCK_BYTES / (4 * d.max(1))).clamp(256, 2048) / 64 * 64
}

const YINYANG_BLOCK_BYTES: usize = 1 << 20;

/// Runs one Yinyang assignment step (l2). `drift = None` is the first step: every row is
/// computed in full and its bounds initialised. With `sums`, the step also accumulates the
/// per-cluster sums of its new assignment (what `accumulate` would compute, summed per
/// partition), saving the centroid update a second pass over the data.
#[allow(clippy::too_many_arguments)]
pub fn yinyang_assign(
    x: Matrix,
    c: Matrix,
    grouping: &Grouping,
    drift: Option<&[f32]>,
    state: YinyangState,
    weights: Option<&[f32]>,
    sums: Option<ClusterSums>,
    o: &PassOptions,
) -> KernelResult<BoundedStepStats> {
    let r = o.resolve()?;
    let (k, t, n) = (c.n, grouping.t, x.n);
    check_nonempty(k, "centroids (k)")?;
    check_nonempty(t, "groups (t)")?;
    check_same_d(x, c, "centroids")?;
    check_out_len(grouping.group_of.len(), k, "groupOf")?;
    check_out_len(state.labels.len(), n, "labels")?;
    check_out_len(state.values.len(), n, "values")?;
    check_out_len(state.lower.len(), n * t, "lower bounds (n x t)")?;
    check_weights(weights, n)?;
    if let Some((j, v)) = grouping
        .group_of
        .iter()
        .enumerate()
        .find(|(_, v)| **v as usize >= t)
    {
        return Err(
            KernelError::invalid(format!("groupOf[{j}] = {v} is not below t = {t}"))
                .with_row(j as u64)
                .with_expected(format!("< {t}"))
                .with_actual(*v),
        );
    }
    if let Some(out) = &sums {
        out.check(k, x.d)?;
    }
    if let Some(drift) = drift {
        check_out_len(drift.len(), k, "drift")?;
        if let Some((i, l)) = state
            .labels
            .iter()
            .enumerate()
            .find(|(_, l)| **l as usize >= k)
        {
            return Err(KernelError::invalid(format!(
                "label {l} of row {i} is out of range for k = {k}"
            ))
            .with_row(i as u64)
            .with_expected(format!("< {k}"))
            .with_actual(*l));
        }
    }
    if r.validate {
        crate::validate::check_rows(x, "data", false, &r)?;
        crate::validate::check_rows(c, "centroids", false, &r)?;
    }
    let mut group_drift = vec![0f32; t];
    if let Some(drift) = drift {
        for (j, v) in drift.iter().enumerate() {
            let gd = &mut group_drift[grouping.group_of[j] as usize];
            *gd = gd.max(*v);
        }
    }
    let isa = r.isa;
    let copy = r.bf16_rows_for(x)?;
    let grouped = group_centroids(c, grouping);
    let grouped_c = Matrix {
        data: &grouped.rows,
        n: k,
        d: c.d,
    };
    // Full recomputations (the first step, rows opening most groups) are screened in bf16.
    let pc = PackedCentroids::new(grouped_c, Metric::L2, isa).screened(grouped_c, isa);
    let d = x.d;
    // One packed panel set per group, so the rows that must open a group meet all its members in
    // one GEMM tile (single distances would run far below the kernel's throughput).
    let group_pcs: Vec<PackedCentroids> = (0..t)
        .map(|g| {
            let rows = &grouped.rows[grouped.start[g] * d..grouped.start[g + 1] * d];
            PackedCentroids::with_layout(
                Matrix {
                    data: rows,
                    n: rows.len() / d,
                    d,
                },
                Metric::L2,
                isa,
                pc.row_dots(),
            )
        })
        .collect();
    // Blocks much larger than the GEMM row block: the rows a block must re-examine are batched
    // per centroid group, and short per-group lists would waste micro-kernel rows.
    let rb = yinyang_block_rows(d);
    let blocks = n.div_ceil(rb);
    let mut partials = vec![BoundedStepStats::default(); blocks];
    let (lab_out, low_out, val_out, part_out) = (
        SharedOut::new(state.labels),
        SharedOut::new(state.lower),
        SharedOut::new(state.values),
        SharedOut::new(&mut partials),
    );
    let init = || {
        (
            RowScratch::new(),
            Vec::<Two>::new(),
            vec![Vec::<u32>::new(); t],
            Vec::<Two>::new(),
        )
    };
    // Fused sums: see `cluster_sums` (fixed partitions, identical at any thread count).
    let fused = sums.is_some();
    let mut partitions = PartitionSums::new(blocks, k, d, fused);
    let sums_out = partitions.out();
    for_each_block(
        partitions.parts,
        threads_for_work(n * d * 4, r.threads),
        &r.control,
        init,
        |p, (scratch, groups, lists, open)| {
            // SAFETY: partition p is processed by exactly one call of this closure.
            let mut psums = unsafe { sums_out.view(p) };
            for b in partitions.blocks_of(p, blocks) {
                r.control.check()?;
                let r0 = b * rb;
                let rows = rb.min(n - r0);
                // SAFETY: block b owns rows r0 .. r0+rows of every per-row output and slot b of the
                // partials; blocks never overlap.
                let (lab, low, val, part_shared) = unsafe {
                    (
                        lab_out.slice(r0, rows),
                        low_out.slice(r0 * t, rows * t),
                        val_out.slice(r0, rows),
                        &mut part_out.slice(b, 1)[0],
                    )
                };
                // Counted locally and stored once: neighbouring blocks' partials share cache
                // lines, and per-row updates from two threads would bounce them.
                let mut stats = BoundedStepStats::default();
                let part = &mut stats;
                let mut full: Vec<u32> = Vec::new();
                let mut pending: Vec<u32> = Vec::new();
                lists.iter_mut().for_each(Vec::clear);
                open.clear();
                open.resize(rows * t, Two::EMPTY);
                for i in 0..rows {
                    if drift.is_none() {
                        full.push((r0 + i) as u32);
                        continue;
                    }
                    let a = lab[i];
                    let bounds = &mut low[i * t..(i + 1) * t];
                    let mut min_bound = f32::INFINITY;
                    for (lb, gd) in bounds.iter_mut().zip(&group_drift) {
                        *lb = (*lb - gd).max(0.0);
                        min_bound = min_bound.min(*lb);
                    }
                    let u2 = isa.l2sq(x.row(r0 + i), c.row(a as usize));
                    part.distances += 1;
                    let u = u2.sqrt();
                    let reach = u + u * SAFETY + 1e-12;
                    if reach < min_bound {
                        val[i] = u2;
                        continue;
                    }
                    // The row's own group is always opened so every candidate, its current centroid
                    // included, is ranked by the same kernel keys as `assign`.
                    let ga = grouping.group_of[a as usize] as usize;
                    let opens = |g: usize| g == ga || bounds[g] <= reach;
                    let opened: usize = (0..t)
                        .filter(|g| opens(*g))
                        .map(|g| grouped.start[g + 1] - grouped.start[g])
                        .sum();
                    if 2 * opened > k {
                        full.push((r0 + i) as u32);
                        continue;
                    }
                    part.recomputed += 1;
                    part.distances += opened as u64;
                    pending.push(i as u32);
                    for (g, list) in lists.iter_mut().enumerate() {
                        if opens(g) {
                            list.push((r0 + i) as u32);
                        }
                    }
                }
                for g in 0..t {
                    if lists[g].is_empty() {
                        continue;
                    }
                    let (gpc, base, size) = (
                        &group_pcs[g],
                        grouped.start[g],
                        grouped.start[g + 1] - grouped.start[g],
                    );
                    let list = &lists[g];
                    for_each_chunk_of(
                        isa,
                        x,
                        BlockRows::Gather(list),
                        gpc,
                        scratch,
                        |start, len, tile, ldc| {
                            let real = len.min(size - start.min(size));
                            for (rr, row) in list.iter().enumerate() {
                                // The chunk's best two keys in one SIMD sweep: the best with its
                                // index (positions in a group follow the original indices, so the
                                // lowest position wins a tie as plain Lloyd's lowest index does),
                                // the runner-up by value only, which is all `excluding` reads.
                                let (mut best, mut second) = ((f32::INFINITY, u32::MAX), f32::INFINITY);
                                isa.argmin2(
                                    &tile[rr * ldc..rr * ldc + real],
                                    &gpc.bias[start..start + real],
                                    &gpc.mult[start..start + real],
                                    0,
                                    &mut best,
                                    &mut second,
                                );
                                let two = &mut open[(*row as usize - r0) * t + g];
                                if best.1 != u32::MAX {
                                    two.offer(best.0, grouped.index[base + start + best.1 as usize]);
                                    two.offer(second, Two::UNNAMED);
                                }
                            }
                        },
                    );
                }
                for i in pending {
                    let i = i as usize;
                    let row_open = &open[i * t..(i + 1) * t];
                    let mut best = (f32::INFINITY, u32::MAX);
                    for two in row_open {
                        if two.i1 != u32::MAX
                            && (two.d1 < best.0 || (two.d1 == best.0 && two.i1 < best.1))
                        {
                            best = (two.d1, two.i1);
                        }
                    }
                    let xn2 = isa.sqnorm(x.row(r0 + i));
                    for (lb, two) in low[i * t..(i + 1) * t].iter_mut().zip(row_open) {
                        if two.i1 != u32::MAX {
                            *lb = key_distance(two.excluding(best.1), xn2);
                        }
                    }
                    if lab[i] != best.1 {
                        part.changed += 1;
                    }
                    lab[i] = best.1;
                    val[i] = (xn2 + best.0).max(0.0);
                }
                part.recomputed += full.len() as u64;
                part.distances += full.len() as u64 * k as u64;
                let first = drift.is_none();
                recompute_rows(
                    isa,
                    x,
                    &full,
                    &pc,
                    copy,
                    &grouped,
                    k,
                    t,
                    scratch,
                    groups,
                    &mut |row, label, key, row_groups, xn2| {
                        let i = row - r0;
                        if !first && lab[i] != label {
                            part.changed += 1;
                        }
                        lab[i] = label;
                        val[i] = (xn2 + key).max(0.0);
                        for (lb, two) in low[i * t..(i + 1) * t].iter_mut().zip(row_groups) {
                            *lb = key_distance(two.excluding(label), xn2);
                        }
                    },
                );
                if first {
                    part.changed = rows as u64;
                }
                part.objective = (0..rows)
                    .map(|i| weights.map_or(1.0, |w| w[r0 + i] as f64) * val[i] as f64)
                    .sum();
                *part_shared = stats;
                if fused {
                    // The block's rows are still in cache: add them to their new clusters now.
                    psums.add_rows(isa, x, BlockRows::Range(r0, rows), lab, weights, None);
                }
                r.control.add_rows(rows);
            }
            Ok(())
        },
    )?;
    if let Some(out) = sums {
        partitions.reduce(out);
    }
    Ok(partials
        .iter()
        .fold(BoundedStepStats::default(), |acc, p| BoundedStepStats {
            changed: acc.changed + p.changed,
            recomputed: acc.recomputed + p.recomputed,
            objective: acc.objective + p.objective,
            distances: acc.distances + p.distances,
        }))
}
