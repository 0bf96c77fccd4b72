//! Per-cluster sums kept up to date as rows change cluster, instead of summed afresh.
//!
//! Late in a Lloyd run few rows change label per iteration (Fashion-MNIST, k = 1000: about 1% of
//! them after ten iterations), yet a fresh [`super::accumulate::accumulate`] reads every row.
//! Moving only the rows that changed reads those alone. Each cluster's sum takes its moves in
//! ascending row order whatever the thread count, so the result is identical at any thread count
//! (and equal to a fresh sum up to float64 rounding).

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::validate::{check_nonempty, check_out_len, check_weights};

/// Clusters per parallel block: each block scans the moves and applies those touching its own.
const CLUSTERS_PER_BLOCK: usize = 64;

/// For each `j`, row `ids[j]` of `x` leaves cluster `from[j]` and joins cluster `to[j]`: its
/// (weighted) values move between the `k x d` `sums`, its weight between `weight_sums` and one
/// count between `counts`. `ids` must be strictly increasing.
#[allow(clippy::too_many_arguments)]
pub fn move_rows(
    x: Matrix,
    ids: &[u32],
    from: &[u32],
    to: &[u32],
    weights: Option<&[f32]>,
    sums: &mut [f64],
    weight_sums: &mut [f64],
    counts: &mut [u32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    let k = counts.len();
    check_nonempty(k, "k (counts)")?;
    check_out_len(sums.len(), k * x.d, "sums (k x d)")?;
    check_out_len(weight_sums.len(), k, "weight sums")?;
    check_out_len(from.len(), ids.len(), "from")?;
    check_out_len(to.len(), ids.len(), "to")?;
    check_weights(weights, x.n)?;
    for (j, id) in ids.iter().enumerate() {
        if *id as usize >= x.n || (j > 0 && ids[j - 1] >= *id) {
            return Err(KernelError::invalid(format!(
                "ids[{j}] = {id}: ids must be increasing row indices below n = {}",
                x.n
            ))
            .with_row(j as u64)
            .with_actual(*id));
        }
        if from[j] as usize >= k || to[j] as usize >= k {
            return Err(KernelError::invalid(format!(
                "move {j} goes from cluster {} to {}, but k = {k}",
                from[j], to[j]
            ))
            .with_row(j as u64)
            .with_expected(format!("< {k}"))
            .with_actual(from[j].max(to[j])));
        }
    }
    // Counts first: a cluster left by more rows than it holds means the sums do not belong to
    // these labels, and nothing is changed.
    let mut new_counts = counts.to_vec();
    for (j, (a, b)) in from.iter().zip(to).enumerate() {
        let left = &mut new_counts[*a as usize];
        if *left == 0 {
            return Err(KernelError::invalid(format!(
                "move {j} leaves cluster {a}, which has no rows left: the sums do not match these labels"
            ))
            .with_row(j as u64)
            .with_actual(*a));
        }
        *left -= 1;
        new_counts[*b as usize] += 1;
    }
    counts.copy_from_slice(&new_counts);
    let d = x.d;
    let blocks = k.div_ceil(CLUSTERS_PER_BLOCK);
    let (sums_out, wsum_out) = (SharedOut::new(sums), SharedOut::new(weight_sums));
    for_each_block(
        blocks,
        threads_for_work(ids.len() * d * 2, r.threads),
        &r.control,
        || (),
        |b, _| {
            let lo = b * CLUSTERS_PER_BLOCK;
            let hi = (lo + CLUSTERS_PER_BLOCK).min(k);
            // SAFETY: block b owns clusters lo .. hi of both outputs; blocks never overlap.
            let (s, ws) = unsafe {
                (
                    sums_out.slice(lo * d, (hi - lo) * d),
                    wsum_out.slice(lo, hi - lo),
                )
            };
            for (j, id) in ids.iter().enumerate() {
                let (a, c) = (from[j] as usize, to[j] as usize);
                if a == c || ((a < lo || a >= hi) && (c < lo || c >= hi)) {
                    continue;
                }
                let w = weights.map_or(1.0, |w| w[*id as usize] as f64);
                let row = x.row(*id as usize);
                if (lo..hi).contains(&a) {
                    r.isa
                        .add_row_f64(&mut s[(a - lo) * d..(a - lo + 1) * d], row, -w);
                    ws[a - lo] -= w;
                }
                if (lo..hi).contains(&c) {
                    r.isa
                        .add_row_f64(&mut s[(c - lo) * d..(c - lo + 1) * d], row, w);
                    ws[c - lo] += w;
                }
            }
            // The moves' share of this block, so the blocks' reports add up to `ids.len()`.
            r.control
                .add_rows(ids.len() * (b + 1) / blocks - ids.len() * b / blocks);
            Ok(())
        },
    )
}
