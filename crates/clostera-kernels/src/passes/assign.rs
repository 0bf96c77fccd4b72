//! Fused assignment: per row, the nearest centroid and its value, without materialising the
//! n x k matrix (a running arg-min over chunks of the dot-product tile).

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::tiling::{for_each_chunk, row_block, PackedCentroids, RowScratch};
use crate::validate::check_out_len;

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
            super::check_block(x, r0, rows, metric, &r)?;
            let mut best = vec![(f32::INFINITY, 0u32); rows];
            for_each_chunk(isa, x, r0, rows, &pc, scratch, |start, len, tile, ldc| {
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
            // SAFETY: block b owns rows r0 .. r0+rows of both outputs; blocks never overlap.
            let (l, v) = unsafe { (labels_out.slice(r0, rows), values_out.slice(r0, rows)) };
            for (i, (key, idx)) in best.into_iter().enumerate() {
                l[i] = idx;
                v[i] =
                    super::key_to_value(metric, key, super::row_term(isa, metric, x.row(r0 + i)));
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )
}
