//! Rows rounded to bf16 once, for passes that read the same rows many times and can screen them
//! at half the bytes: k-means++ seeding reads its whole sample once per centre, and a bf16 copy
//! of a 16,000 x 768 sample (25 MB) can stay in the last-level cache where the f32 one (50 MB)
//! could not.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::simd::bf16::convert_row_scalar;
use crate::validate::{check_out_len, check_rows};

const BLOCK: usize = 1024;

/// A bf16 copy of `n` rows of dimension `d`, as [`bf16_rows`] writes it.
#[derive(Clone, Copy)]
pub struct Bf16Rows<'a> {
    /// `n x d.div_ceil(2)` pairs: element `2j` in the low half, `2j + 1` in the high half.
    pub pairs: &'a [u32],
    /// Per row, the norm of its rounding error `|x - bf16(x)|`.
    pub err_norms: &'a [f32],
    /// Per row, its f32 squared norm (the bits every pass's `sqnorm` gives).
    pub sqnorms: &'a [f32],
}

impl Bf16Rows<'_> {
    /// Checks the lengths against `n` rows of dimension `d`.
    pub(crate) fn check(&self, n: usize, d: usize) -> KernelResult<()> {
        check_out_len(self.pairs.len(), n * d.div_ceil(2), "bf16 pairs (n x ceil(d/2))")?;
        check_out_len(self.err_norms.len(), n, "bf16 error norms")?;
        check_out_len(self.sqnorms.len(), n, "bf16 row squared norms")
    }
}

/// Rounds every row of `x` to bf16 (nearest, ties to even, subnormals flushed), writing the
/// pairs, each row's rounding-error norm and its squared norm. Runs on any CPU (the bf16
/// instructions only speed the conversion up).
pub fn bf16_rows(
    x: Matrix,
    pairs: &mut [u32],
    err_norms: &mut [f32],
    sqnorms: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    let dp = x.d.div_ceil(2);
    check_out_len(pairs.len(), x.n * dp, "pairs")?;
    check_out_len(err_norms.len(), x.n, "errNorms")?;
    check_out_len(sqnorms.len(), x.n, "sqnorms")?;
    if r.validate {
        check_rows(x, "data", false, &r)?;
    }
    let (pairs_out, err_out, sq_out) =
        (SharedOut::new(pairs), SharedOut::new(err_norms), SharedOut::new(sqnorms));
    for_each_block(
        x.n.div_ceil(BLOCK),
        threads_for_work(x.n * x.d, r.threads),
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of every output; blocks never overlap.
            let (p, e, s) = unsafe {
                (
                    pairs_out.slice(r0 * dp, rows * dp),
                    err_out.slice(r0, rows),
                    sq_out.slice(r0, rows),
                )
            };
            for i in 0..rows {
                let row = x.row(r0 + i);
                let dst = &mut p[i * dp..(i + 1) * dp];
                let err = match r.isa.bf16 {
                    // SAFETY: `dst` holds d.div_ceil(2) pairs; the table is only present on
                    // CPUs with the instructions.
                    Some(bk) => unsafe { (bk.convert_row)(row, dst) },
                    None => convert_row_scalar(row, dst),
                };
                e[i] = err.sqrt();
                s[i] = r.isa.sqnorm(row);
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )
}
