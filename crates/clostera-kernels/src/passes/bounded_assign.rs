//! One Lloyd assignment step that skips rows whose label provably cannot change (Hamerly's
//! bounds, with the upper bound made exact each step).
//!
//! Per row we keep the label and a lower bound `lower` on the distance to the second-nearest
//! centroid. Each step: `lower -= max drift of any other centroid`; the exact distance `u` to
//! the current centroid costs O(d); if `u <= max(lower, half_sep[label])` (with a small safety
//! margin for f32 rounding) no other centroid can be nearer, so the row is kept. Otherwise the
//! row joins its block's recompute list, which goes through the same blocked GEMM tile as
//! `assign` with a top-2 epilogue: the label it gets is bit-identical to `assign`'s, and the
//! second distance refreshes `lower`. Distances are Euclidean (not squared) inside the bounds.

use crate::error::{ErrorCode, KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::top_l::Shortlist;
use crate::tiling::{for_each_chunk_of, row_block, BlockRows, PackedCentroids, RowScratch};
use crate::validate::{check_nonempty, check_out_len, check_same_d, check_weights};

/// Relative margin by which a bound must clear the exact distance before a row is skipped, so
/// that f32 rounding can never keep a label that a full recomputation would change.
const SAFETY: f32 = 1e-4;

/// What one bounded step did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BoundedStepStats {
    /// Rows whose label changed.
    pub changed: u64,
    /// Rows that went through the full k-centroid computation.
    pub recomputed: u64,
    /// Weighted sum of squared distances to the assigned centroid (the l2 objective numerator).
    pub objective: f64,
    /// Row-centroid distances computed, the one exact distance per settled row included.
    pub distances: u64,
}

/// The per-step inputs that describe how the centroids moved.
pub struct CentroidMotion<'a> {
    /// Euclidean distance each centroid moved since the previous step (length k).
    pub drift: &'a [f32],
    /// Half the distance from each centroid to its nearest other centroid (length k); zeros
    /// disable that test.
    pub half_sep: &'a [f32],
}

/// Runs one bounded assignment step (l2). With `motion = None` every row is recomputed (the
/// first step). `labels` and `lower` are read and updated; `values` receives each row's squared
/// distance to its new centroid.
#[allow(clippy::too_many_arguments)]
pub fn bounded_assign(
    x: Matrix,
    c: Matrix,
    motion: Option<CentroidMotion>,
    labels: &mut [u32],
    lower: &mut [f32],
    values: &mut [f32],
    weights: Option<&[f32]>,
    o: &PassOptions,
) -> KernelResult<BoundedStepStats> {
    let r = o.resolve()?;
    let k = c.n;
    check_nonempty(k, "centroids (k)")?;
    check_same_d(x, c, "centroids")?;
    check_out_len(labels.len(), x.n, "labels")?;
    check_out_len(lower.len(), x.n, "lower bounds")?;
    check_out_len(values.len(), x.n, "values")?;
    check_weights(weights, x.n)?;
    if let Some(m) = &motion {
        check_out_len(m.drift.len(), k, "drift")?;
        check_out_len(m.half_sep.len(), k, "half separations")?;
        if let Some((i, l)) = labels.iter().enumerate().find(|(_, l)| **l as usize >= k) {
            return Err(KernelError::new(
                ErrorCode::InvalidArgument,
                format!("label {l} of row {i} is out of range for k = {k}"),
            )
            .with_row(i as u64)
            .with_expected(format!("< {k}"))
            .with_actual(*l));
        }
    }
    if r.validate {
        crate::validate::check_rows(x, "data", false, &r)?;
        crate::validate::check_rows(c, "centroids", false, &r)?;
    }
    // Largest and second-largest drift: a row's bound shrinks by the largest drift of any
    // centroid other than its own.
    let (mut d1, mut i1, mut d2) = (0.0f32, usize::MAX, 0.0f32);
    if let Some(m) = &motion {
        for (j, v) in m.drift.iter().enumerate() {
            if *v > d1 {
                (d2, d1, i1) = (d1, *v, j);
            } else if *v > d2 {
                d2 = *v;
            }
        }
    }
    let isa = r.isa;
    let pc = PackedCentroids::new(c, Metric::L2, isa);
    let rb = row_block(x.d);
    let blocks = x.n.div_ceil(rb);
    let mut partials = vec![BoundedStepStats::default(); blocks];
    let (lab_out, low_out, val_out, part_out) = (
        SharedOut::new(labels),
        SharedOut::new(lower),
        SharedOut::new(values),
        SharedOut::new(&mut partials),
    );
    for_each_block(
        blocks,
        threads_for_work(x.n * x.d * 4, r.threads),
        &r.control,
        RowScratch::new,
        |b, scratch| {
            let r0 = b * rb;
            let rows = rb.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of every per-row output and slot b of the
            // partials; blocks never overlap.
            let (lab, low, val, part) = unsafe {
                (
                    lab_out.slice(r0, rows),
                    low_out.slice(r0, rows),
                    val_out.slice(r0, rows),
                    &mut part_out.slice(b, 1)[0],
                )
            };
            let mut redo: Vec<u32> = Vec::new();
            for i in 0..rows {
                let Some(m) = &motion else {
                    redo.push((r0 + i) as u32);
                    continue;
                };
                let a = lab[i] as usize;
                let shrink = if a == i1 { d2 } else { d1 };
                low[i] = (low[i] - shrink).max(0.0);
                let u2 = isa.l2sq(x.row(r0 + i), c.row(a));
                let u = u2.sqrt();
                let bound = low[i].max(m.half_sep[a]);
                if u * (1.0 + SAFETY) + 1e-12 < bound {
                    val[i] = u2;
                } else {
                    redo.push((r0 + i) as u32);
                }
            }
            let mut lists: Vec<Shortlist> = (0..redo.len()).map(|_| Shortlist::new()).collect();
            let mut keys = vec![0.0f32; crate::tiling::K_CHUNK];
            let l = 2.min(k);
            for_each_chunk_of(
                isa,
                x,
                BlockRows::Gather(&redo),
                &pc,
                scratch,
                |start, len, tile, ldc| {
                    let real = len.min(k - start.min(k));
                    for (t, list) in lists.iter_mut().enumerate() {
                        isa.keys(
                            &tile[t * ldc..t * ldc + real],
                            &pc.bias[start..start + real],
                            &pc.mult[start..start + real],
                            &mut keys,
                        );
                        for (q, key) in keys[..real].iter().enumerate() {
                            list.offer(l, *key, (start + q) as u32);
                        }
                    }
                },
            );
            for (t, list) in redo.iter().zip(&lists) {
                let i = *t as usize - r0;
                let xn2 = isa.sqnorm(x.row(*t as usize));
                let best = super::key_to_value(Metric::L2, list.keys[0], xn2);
                if motion.is_some() && lab[i] != list.idx[0] {
                    part.changed += 1;
                }
                lab[i] = list.idx[0];
                val[i] = best;
                low[i] = if k > 1 {
                    super::key_to_value(Metric::L2, list.keys[1], xn2).sqrt()
                } else {
                    f32::INFINITY
                };
            }
            if motion.is_none() {
                part.changed = rows as u64;
            }
            part.recomputed = redo.len() as u64;
            part.distances =
                if motion.is_some() { rows as u64 } else { 0 } + redo.len() as u64 * k as u64;
            part.objective = (0..rows)
                .map(|i| weights.map_or(1.0, |w| w[r0 + i] as f64) * val[i] as f64)
                .sum();
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    Ok(partials
        .iter()
        .fold(BoundedStepStats::default(), |acc, p| BoundedStepStats {
            changed: acc.changed + p.changed,
            recomputed: acc.recomputed + p.recomputed,
            objective: acc.objective + p.objective,
            distances: acc.distances + p.distances,
        }))
}
