//! Copies chosen rows of the data into one contiguous matrix (a training sample), in parallel.
//!
//! In JavaScript the copy cost about 0.5 us per row (a view per row) plus first-touch page faults
//! on one thread: about 50 ms for the 98,304 rows of a 384-rows-per-centroid sample of 1M x 128.

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::normalize_rows::unit_row;
use crate::validate::{check_out_len, check_row, zero_norm_error};

/// Rows per parallel block: about 256 KiB (independent of the thread count, as results are). A
/// fixed 2,048 rows left a 2,560-row sample of d = 784 split 2,048 / 512 between two threads.
/// How much more a gathered float weighs than a computed one when choosing the thread count:
/// rows drawn at random wait on one memory latency after another, which a second thread
/// overlaps even at sizes where a compute pass would stay on one (a 2,560-row sample of
/// Fashion-MNIST, 8 MB: 0.84-1.1 ms on one thread, 0.47-0.51 ms on two).
const GATHER_WORK_WEIGHT: usize = 8;

fn gather_block(d: usize) -> usize {
    (256 * 1024 / (4 * d.max(1))).clamp(16, 2048)
}

/// Writes row `ids[i]` of `x` to row `i` of `out` (`ids.len() x d`). An index past the last row
/// is a `CLOSTERA_INVALID_ARGUMENT` naming its position in `ids`. With `validate`, each row is
/// checked as it is copied (while in L1): a NaN or infinity is `CLOSTERA_NON_FINITE` naming the
/// data row (the lowest such row of its block; blocks in order of `ids`).
pub fn gather_rows(x: Matrix, ids: &[u32], out: &mut [f32], o: &PassOptions) -> KernelResult<()> {
    gather(x, ids, out, false, o)
}

/// [`gather_rows`] writing each row scaled to unit norm, exactly as [`super::normalize_rows`]
/// scales it (so the same bits as normalizing the gathered rows, in one pass instead of two): a
/// zero row is `CLOSTERA_ZERO_NORM` naming the data row, whether or not `validate` is set.
pub fn gather_unit_rows(
    x: Matrix,
    ids: &[u32],
    out: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    gather(x, ids, out, true, o)
}

fn gather(
    x: Matrix,
    ids: &[u32],
    out: &mut [f32],
    unit: bool,
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    let d = x.d;
    check_out_len(out.len(), ids.len() * d, "rows")?;
    if let Some((i, id)) = ids.iter().enumerate().find(|(_, id)| **id as usize >= x.n) {
        return Err(KernelError::invalid(format!(
            "ids[{i}] = {id} is not a row of the data ({} rows)",
            x.n
        ))
        .with_row(i as u64)
        .with_expected(format!("< {}", x.n))
        .with_actual(*id));
    }
    let out_shared = SharedOut::new(out);
    let block = gather_block(d);
    for_each_block(
        ids.len().div_ceil(block),
        threads_for_work(ids.len() * d * GATHER_WORK_WEIGHT, r.threads),
        &r.control,
        || (),
        |b, _| {
            let lo = b * block;
            let hi = (lo + block).min(ids.len());
            // SAFETY: block b owns output rows lo .. hi; blocks never overlap.
            let dst = unsafe { out_shared.slice(lo * d, (hi - lo) * d) };
            for (row, id) in dst.chunks_exact_mut(d).zip(&ids[lo..hi]) {
                let id = *id as usize;
                if r.validate {
                    check_row(r.isa, x.row(id), id, "data", false)?;
                }
                if unit {
                    unit_row(x.row(id), row).ok_or_else(|| zero_norm_error("data", id))?;
                } else {
                    row.copy_from_slice(x.row(id));
                }
            }
            r.control.add_rows(hi - lo);
            Ok(())
        },
    )
}
