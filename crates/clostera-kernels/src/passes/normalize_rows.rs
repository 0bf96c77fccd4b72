//! Unit-norm copies of rows, for spherical k-means: one pass that validates, measures and scales
//! each row while it is in cache.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::validate::{check_out_len, zero_norm_error};

const BLOCK: usize = 1024;

/// Writes each row of `x` scaled to unit Euclidean norm into `out` (same shape) and its norm into
/// `norms`. A zero row has no direction: `CLOSTERA_ZERO_NORM` with the lowest such row, whether
/// or not `validate` is set; with `validate`, NaN/Inf give `CLOSTERA_NON_FINITE` with the row.
/// The norm is accumulated in f64 so the scaled row is within an ulp or two of unit length.
pub fn normalize_rows(
    x: Matrix,
    out: &mut [f32],
    norms: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    check_out_len(out.len(), x.n * x.d, "unit rows")?;
    check_out_len(norms.len(), x.n, "norms")?;
    let (rows_out, norms_out) = (SharedOut::new(out), SharedOut::new(norms));
    for_each_block(
        x.n.div_ceil(BLOCK),
        threads_for_work(x.n * x.d, r.threads),
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            super::check_block(x, r0, rows, Metric::Cos, &r)?;
            // SAFETY: block b owns rows r0 .. r0+rows of both outputs; blocks never overlap.
            let (dst, nrm) = unsafe {
                (
                    rows_out.slice(r0 * x.d, rows * x.d),
                    norms_out.slice(r0, rows),
                )
            };
            for i in 0..rows {
                let out = &mut dst[i * x.d..(i + 1) * x.d];
                let norm = unit_row(x.row(r0 + i), out);
                nrm[i] = norm.ok_or_else(|| zero_norm_error("data", r0 + i))? as f32;
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )
}

/// Writes `row` scaled to unit norm into `out` and returns its norm (f64), or `None` for a row
/// with no direction (zero, or NaN in its norm).
pub(crate) fn unit_row(row: &[f32], out: &mut [f32]) -> Option<f64> {
    let sq = sqnorm_f64(row);
    if sq.is_nan() || sq <= 0.0 {
        return None;
    }
    let norm = sq.sqrt();
    let inv = (1.0 / norm) as f32;
    for (o, &v) in out.iter_mut().zip(row) {
        *o = v * inv;
    }
    Some(norm)
}

/// Squared norm in f64 over 8 independent lanes (so the compiler can vectorize the loop).
fn sqnorm_f64(row: &[f32]) -> f64 {
    let mut lanes = [0f64; 8];
    let chunks = row.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        for l in 0..8 {
            lanes[l] += f64::from(c[l]) * f64::from(c[l]);
        }
    }
    let t: f64 = tail.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
    lanes.iter().sum::<f64>() + t
}
