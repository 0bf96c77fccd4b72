//! The k-means++ seeding steps: refresh every row's distance to its nearest chosen centre after
//! adding one, and score candidate centres for the greedy variant without committing them.
//!
//! Distances: squared Euclidean for l2, `1 - cos` for cos (inner product has no distance, so it
//! is refused). Totals are weighted sums in f64 over fixed blocks of rows, added in block order,
//! so they are identical at any thread count.

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::{PassOptions, Resolved};
use crate::parallel::{for_each_block, SharedOut};
use crate::validate::{check_nonempty, check_out_len, check_rows, check_same_d, check_weights};

const BLOCK: usize = 2048;

fn distance(
    r: &Resolved,
    metric: Metric,
    row: &[f32],
    row_norm: f32,
    center: &[f32],
    center_norm: f32,
) -> f32 {
    match metric {
        Metric::L2 => r.isa.l2sq(row, center),
        _ => (1.0 - r.isa.dot(row, center) / (row_norm * center_norm)).max(0.0),
    }
}

fn check_common(
    x: Matrix,
    metric: Metric,
    min_dist_len: usize,
    weights: Option<&[f32]>,
    r: &Resolved,
) -> KernelResult<()> {
    if metric == Metric::Ip {
        return Err(
            KernelError::invalid("k-means++ needs a distance: use l2 or cos, not ip")
                .with_expected("l2 | cos")
                .with_actual("ip"),
        );
    }
    check_out_len(min_dist_len, x.n, "minDist")?;
    check_weights(weights, x.n)?;
    if r.validate {
        check_rows(x, "data", metric == Metric::Cos, r)?;
    }
    Ok(())
}

fn sum_in_block_order(partials: &[f64]) -> f64 {
    partials.iter().sum()
}

/// Lowers `min_dist[i]` to the distance from row `i` to `center` and returns the new weighted
/// total of `min_dist`.
pub fn kmeanspp_update(
    x: Matrix,
    center: &[f32],
    metric: Metric,
    min_dist: &mut [f32],
    weights: Option<&[f32]>,
    o: &PassOptions,
) -> KernelResult<f64> {
    let r = o.resolve()?;
    let cm = Matrix::new(center, x.d, "center")?;
    check_same_d(x, cm, "center")?;
    check_nonempty(cm.n, "center")?;
    if cm.n != 1 {
        return Err(KernelError::invalid("center must be exactly one row")
            .with_expected(x.d)
            .with_actual(center.len()));
    }
    check_common(x, metric, min_dist.len(), weights, &r)?;
    if r.validate {
        check_rows(cm, "center", metric == Metric::Cos, &r)?;
    }
    let cnorm = r.isa.sqnorm(center).sqrt();
    let blocks = x.n.div_ceil(BLOCK);
    let mut partials = vec![0.0f64; blocks];
    let (dist_out, part_out) = (SharedOut::new(min_dist), SharedOut::new(&mut partials));
    for_each_block(
        blocks,
        r.threads,
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of min_dist and slot b of the partials.
            let (dst, part) = unsafe { (dist_out.slice(r0, rows), part_out.slice(b, 1)) };
            let mut total = 0.0f64;
            for (i, md) in dst.iter_mut().enumerate() {
                let row = x.row(r0 + i);
                let rn = if metric == Metric::Cos {
                    r.isa.sqnorm(row).sqrt()
                } else {
                    0.0
                };
                let dist = distance(&r, metric, row, rn, center, cnorm);
                if dist < *md {
                    *md = dist;
                }
                total += weights.map_or(1.0, |w| w[r0 + i] as f64) * (*md as f64);
            }
            part[0] = total;
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    Ok(sum_in_block_order(&partials))
}

/// For each candidate centre `c`, writes `totals[c]` = the weighted total `min_dist` would have
/// if `c` were added; `min_dist` is not changed.
pub fn kmeanspp_potential(
    x: Matrix,
    candidates: Matrix,
    metric: Metric,
    min_dist: &[f32],
    weights: Option<&[f32]>,
    totals: &mut [f64],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    check_nonempty(candidates.n, "candidates")?;
    check_same_d(x, candidates, "candidates")?;
    check_out_len(totals.len(), candidates.n, "totals")?;
    check_common(x, metric, min_dist.len(), weights, &r)?;
    if r.validate {
        check_rows(candidates, "candidates", metric == Metric::Cos, &r)?;
    }
    let m = candidates.n;
    let cnorms: Vec<f32> = (0..m)
        .map(|c| r.isa.sqnorm(candidates.row(c)).sqrt())
        .collect();
    let blocks = x.n.div_ceil(BLOCK);
    let mut partials = vec![0.0f64; blocks * m];
    let part_out = SharedOut::new(&mut partials);
    for_each_block(
        blocks,
        r.threads,
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns slots b*m .. b*m+m of the partials.
            let part = unsafe { part_out.slice(b * m, m) };
            part.fill(0.0);
            for i in r0..r0 + rows {
                let row = x.row(i);
                let rn = if metric == Metric::Cos {
                    r.isa.sqnorm(row).sqrt()
                } else {
                    0.0
                };
                let w = weights.map_or(1.0, |w| w[i] as f64);
                for (c, p) in part.iter_mut().enumerate() {
                    let dist = distance(&r, metric, row, rn, candidates.row(c), cnorms[c]);
                    *p += w * (dist.min(min_dist[i]) as f64);
                }
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    for (c, t) in totals.iter_mut().enumerate() {
        *t = (0..blocks).map(|b| partials[b * m + c]).sum();
    }
    Ok(())
}
