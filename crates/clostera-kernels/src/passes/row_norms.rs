//! Row norms, the one pass that needs no centroids.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::validate::{check_out_len, check_rows};

const BLOCK: usize = 4096;

/// Writes the Euclidean norm of each row (its square with `squared`).
pub fn row_norms(x: Matrix, squared: bool, out: &mut [f32], o: &PassOptions) -> KernelResult<()> {
    let r = o.resolve()?;
    check_out_len(out.len(), x.n, "norms")?;
    if r.validate {
        check_rows(x, "data", false, &r)?;
    }
    let shared = SharedOut::new(out);
    for_each_block(
        x.n.div_ceil(BLOCK),
        threads_for_work(x.n * x.d, r.threads),
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of the output; blocks never overlap.
            let dst = unsafe { shared.slice(r0, rows) };
            for (i, v) in dst.iter_mut().enumerate() {
                let s = r.isa.sqnorm(x.row(r0 + i));
                *v = if squared { s } else { s.sqrt() };
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )
}
