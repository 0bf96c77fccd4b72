//! Fused assignment: per row, the nearest centroid and its value, without materialising the
//! n x k matrix (a running arg-min over chunks of the dot-product tile). [`assign_sums`] also
//! sums each cluster's rows while they are in cache: a plain Lloyd iteration in one read of the
//! data.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::{PassOptions, Resolved};
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::cluster_sums::{ClusterSums, PartitionSums};
use crate::simd::Isa;
use crate::tiling::{for_each_chunk, row_block, PackedCentroids, RowScratch};
use crate::validate::{check_out_len, check_weights};

/// Writes, for each row of `x`, the index of the nearest row of `c` (ties to the lowest index)
/// and its value (squared distance for l2, inner product for ip, cosine for cos). With
/// `validate`, each block checks its rows as it loads them (no separate pass over the data).
pub fn assign(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    labels: &mut [u32],
    values: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    super::check_centroids(x, c, metric, &r)?;
    check_out_len(labels.len(), x.n, "labels")?;
    check_out_len(values.len(), x.n, "values")?;
    let isa = r.isa;
    let pc = PackedCentroids::new(c, metric, isa);
    let rb = row_block(x.d);
    let (labels_out, values_out) = (SharedOut::new(labels), SharedOut::new(values));
    for_each_block(
        x.n.div_ceil(rb),
        threads_for_work(x.n * c.n * x.d, r.threads),
        &r.control,
        RowScratch::new,
        |b, scratch| {
            let r0 = b * rb;
            let rows = rb.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of both outputs; blocks never overlap.
            let (l, v) = unsafe { (labels_out.slice(r0, rows), values_out.slice(r0, rows)) };
            assign_rows(isa, x, r0, &pc, metric, scratch, l, v, &r)?;
            r.control.add_rows(rows);
            Ok(())
        },
    )
}

/// [`assign`] under l2 that also writes the per-cluster sums of the new labels (what
/// `accumulate` would compute, in fixed partitions so they are identical at any thread count),
/// reading each row once.
pub fn assign_sums(
    x: Matrix,
    c: Matrix,
    weights: Option<&[f32]>,
    labels: &mut [u32],
    values: &mut [f32],
    sums: ClusterSums,
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    super::check_centroids(x, c, Metric::L2, &r)?;
    check_out_len(labels.len(), x.n, "labels")?;
    check_out_len(values.len(), x.n, "values")?;
    check_weights(weights, x.n)?;
    sums.check(c.n, x.d)?;
    let isa = r.isa;
    let pc = PackedCentroids::new(c, Metric::L2, isa);
    let rb = row_block(x.d);
    let blocks = x.n.div_ceil(rb);
    let mut partitions = PartitionSums::new(blocks, c.n, x.d, true);
    let sums_out = partitions.out();
    let (labels_out, values_out) = (SharedOut::new(labels), SharedOut::new(values));
    for_each_block(
        partitions.parts,
        threads_for_work(x.n * c.n * x.d, r.threads),
        &r.control,
        RowScratch::new,
        |p, scratch| {
            // SAFETY: partition p is processed by exactly one call of this closure.
            let mut psums = unsafe { sums_out.view(p) };
            for b in partitions.blocks_of(p, blocks) {
                r.control.check()?;
                let r0 = b * rb;
                let rows = rb.min(x.n - r0);
                // SAFETY: block b owns rows r0 .. r0+rows of both outputs; blocks never overlap.
                let (l, v) = unsafe { (labels_out.slice(r0, rows), values_out.slice(r0, rows)) };
                assign_rows(isa, x, r0, &pc, Metric::L2, scratch, l, v, &r)?;
                psums.add_rows(isa, x, r0, l, weights);
                r.control.add_rows(rows);
            }
            Ok(())
        },
    )?;
    partitions.reduce(sums);
    Ok(())
}

/// Nearest centroid and value of rows `r0 .. r0 + labels.len()` of `x`, validating the rows when
/// `r.validate` asks for it. Under l2 and cos the row's squared norm, computed for its value
/// anyway, is the check (see [`crate::validate::check_row`]: finite only when every value is,
/// non-zero only when some value is), so the rows are read from memory once; only a row that
/// fails it is scanned. A bad row's dot products are garbage, but its error is returned before
/// any of the block's results are used, and rows are checked in order, so the error still names
/// the block's lowest bad row.
#[allow(clippy::too_many_arguments)]
fn assign_rows(
    isa: &Isa,
    x: Matrix,
    r0: usize,
    pc: &PackedCentroids,
    metric: Metric,
    scratch: &mut RowScratch,
    labels: &mut [u32],
    values: &mut [f32],
    r: &Resolved,
) -> KernelResult<()> {
    let rows = labels.len();
    let fused_check = r.validate && metric != Metric::Ip;
    if r.validate && !fused_check {
        super::check_block(x, r0, rows, metric, r)?;
    }
    let mut best = vec![(f32::INFINITY, 0u32); rows];
    for_each_chunk(isa, x, r0, rows, pc, scratch, |start, len, tile, ldc| {
        for (i, best_i) in best.iter_mut().enumerate() {
            let dots = &tile[i * ldc..i * ldc + len];
            isa.argmin(
                dots,
                &pc.bias[start..start + len],
                &pc.mult[start..start + len],
                start as u32,
                best_i,
            );
        }
    });
    for (i, (key, idx)) in best.into_iter().enumerate() {
        let term = super::row_term(isa, metric, x.row(r0 + i));
        if fused_check && !(term.is_finite() && (term > 0.0 || metric != Metric::Cos)) {
            let cos = metric == Metric::Cos;
            crate::validate::check_row(isa, x.row(r0 + i), r0 + i, "data", cos)?;
        }
        labels[i] = idx;
        values[i] = super::key_to_value(metric, key, term);
    }
    Ok(())
}
