//! The full n x k matrix of values, for small problems and for rescoring.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::tiling::{for_each_chunk, row_block, PackedCentroids, RowScratch};
use crate::validate::check_out_len;

/// Writes `out[i * k + j]` = value of row `i` against centroid `j` (squared distance for l2,
/// inner product for ip, cosine for cos).
pub fn distance_tile(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    out: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    super::check_pair(x, c, metric, &r)?;
    let k = c.n;
    check_out_len(out.len(), x.n * k, "distances")?;
    let isa = r.isa;
    let pc = PackedCentroids::new(c, metric, isa);
    let rb = row_block(x.d);
    let shared = SharedOut::new(out);
    for_each_block(
        x.n.div_ceil(rb),
        threads_for_work(x.n * k * x.d, r.threads),
        &r.control,
        RowScratch::new,
        |b, scratch| {
            let r0 = b * rb;
            let rows = rb.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of the output; blocks never overlap.
            let dst = unsafe { shared.slice(r0 * k, rows * k) };
            let terms: Vec<f32> = (0..rows)
                .map(|i| super::row_term(isa, metric, x.row(r0 + i)))
                .collect();
            for_each_chunk(isa, x, r0, rows, &pc, scratch, |start, len, tile, ldc| {
                let real = len.min(k - start.min(k));
                for i in 0..rows {
                    let dots = &tile[i * ldc..i * ldc + real];
                    let row_out = &mut dst[i * k + start..i * k + start + real];
                    isa.keys(
                        dots,
                        &pc.bias[start..start + real],
                        &pc.mult[start..start + real],
                        row_out,
                    );
                    for v in row_out.iter_mut() {
                        *v = super::key_to_value(metric, *v, terms[i]);
                    }
                }
            });
            r.control.add_rows(rows);
            Ok(())
        },
    )
}
