//! The second half of a refinement step: some rows of the data assigned afresh to moved
//! centroids, plus the sums of those rows grouped by the labels they had before.
//!
//! A fit that trained on a sample labels every row once ([`super::assign::assign_top2_sums`]:
//! labels, runner-up values and cluster sums in one read) and can then move each centroid to the
//! mean of all its rows. The triangle inequality proves most labels unchanged by the move; this
//! pass recomputes the rest. The objective of the moved centroids over the rows it proved
//! unchanged follows from their old values and their clusters' sums without reading them again:
//! those sums are every row's (from the first pass) minus the recomputed rows' by their old label,
//! which this pass returns.

use crate::error::{ErrorCode, KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::assign::{assign_rows, RowOut};
use crate::passes::cluster_sums::{ClusterSums, PartitionSums};
use crate::tiling::{row_block, BlockRows, PackedCentroids, RowScratch};
use crate::validate::{check_out_len, check_weights};

/// For each `i`, the nearest centroid of `c` to data row `ids[i]` of `x` and its value in
/// `labels[i]` / `values[i]` (exactly what [`super::assign::assign`] gives that row; l2 or cos),
/// and in `old_sums` the weighted sums of those rows by `old_labels[i]` (unit rows under cos),
/// added in fixed partitions of `ids` so they are identical at any thread count. `weights` are
/// per data row. The rows are not validated again (the first pass did that).
#[allow(clippy::too_many_arguments)]
pub fn relabel(
    x: Matrix,
    ids: &[u32],
    c: Matrix,
    metric: Metric,
    old_labels: &[u32],
    weights: Option<&[f32]>,
    labels: &mut [u32],
    values: &mut [f32],
    old_sums: ClusterSums,
    o: &PassOptions,
) -> KernelResult<()> {
    let mut r = o.resolve()?;
    if metric == Metric::Ip {
        return Err(
            KernelError::invalid("relabel supports the l2 and cos metrics")
                .with_expected("l2 | cos")
                .with_actual("ip"),
        );
    }
    super::check_centroids(x, c, metric, &r)?;
    check_weights(weights, x.n)?;
    let m = ids.len();
    if old_labels.len() != m {
        return Err(KernelError::new(
            ErrorCode::DimensionMismatch,
            format!("old labels have length {}, ids have {m}", old_labels.len()),
        )
        .with_expected(m)
        .with_actual(old_labels.len()));
    }
    check_out_len(labels.len(), m, "labels")?;
    check_out_len(values.len(), m, "values")?;
    old_sums.check(c.n, x.d)?;
    if let Some((i, id)) = ids.iter().enumerate().find(|(_, id)| **id as usize >= x.n) {
        return Err(KernelError::invalid(format!(
            "ids[{i}] = {id} is not a row of the data ({} rows)",
            x.n
        ))
        .with_row(i as u64)
        .with_expected(format!("< {}", x.n))
        .with_actual(*id));
    }
    if let Some((i, l)) = old_labels
        .iter()
        .enumerate()
        .find(|(_, l)| **l as usize >= c.n)
    {
        return Err(KernelError::invalid(format!(
            "old label {l} at {i} is out of range for k = {}",
            c.n
        ))
        .with_row(i as u64)
        .with_expected(format!("< {}", c.n))
        .with_actual(*l));
    }
    let isa = r.isa;
    let pc = PackedCentroids::new(c, metric, isa).screened(c, isa);
    let rb = row_block(x.d);
    let blocks = m.div_ceil(rb);
    let mut partitions = PartitionSums::new(blocks, c.n, x.d, true);
    let sums_out = partitions.out();
    let (labels_out, values_out) = (SharedOut::new(labels), SharedOut::new(values));
    // The rows were checked by the pass that labelled them first.
    r.validate = false;
    for_each_block(
        partitions.parts,
        threads_for_work(m * c.n * x.d, r.threads),
        &r.control,
        || (RowScratch::new(), Vec::<f32>::new()),
        |p, (scratch, terms)| {
            // SAFETY: partition p is processed by exactly one call of this closure.
            let mut psums = unsafe { sums_out.view(p) };
            for b in partitions.blocks_of(p, blocks) {
                r.control.check()?;
                let lo = b * rb;
                let hi = (lo + rb).min(m);
                let which = BlockRows::Gather(&ids[lo..hi]);
                // SAFETY: block b owns positions lo .. hi of both outputs; blocks never overlap.
                let (l, v) =
                    unsafe { (labels_out.slice(lo, hi - lo), values_out.slice(lo, hi - lo)) };
                let out = RowOut {
                    labels: l,
                    values: v,
                    second: None,
                    terms: Some(terms),
                };
                assign_rows(isa, x, which, &pc, metric, scratch, out, &r)?;
                // Unit rows under cos: each row counts w / |x|.
                let scale: Option<Vec<f32>> =
                    (metric == Metric::Cos).then(|| terms.iter().map(|t| 1.0 / t.sqrt()).collect());
                psums.add_rows(
                    isa,
                    x,
                    which,
                    &old_labels[lo..hi],
                    weights,
                    scale.as_deref(),
                );
                r.control.add_rows(hi - lo);
            }
            Ok(())
        },
    )?;
    partitions.reduce(old_sums);
    Ok(())
}
