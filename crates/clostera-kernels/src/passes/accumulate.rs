//! Per-cluster accumulation for centroid updates: weighted sums in f64, weight totals and
//! member counts.
//!
//! Determinism without per-thread partial sums: the clusters are split into contiguous ranges,
//! each range is summed by one thread scanning all rows in order and taking only its clusters.
//! Every cluster's sum therefore runs in row order exactly as a serial loop would, so the result
//! is bit-identical at any thread count, with no O(threads x k x d) memory.

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::validate::{check_nonempty, check_out_len, check_rows, check_weights};

/// How many rows a thread scans between cancellation checks.
const SCAN_BLOCK: usize = 16384;

/// Accumulates `sums[c*d ..] += w_i * x_i`, `weight_sums[c] += w_i` and `counts[c] += 1` for
/// every row `i` with `labels[i] = c` (outputs are overwritten, not added to).
#[allow(clippy::too_many_arguments)]
pub fn accumulate(
    x: Matrix,
    labels: &[u32],
    weights: Option<&[f32]>,
    k: usize,
    sums: &mut [f64],
    weight_sums: &mut [f64],
    counts: &mut [u32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    check_nonempty(k, "k")?;
    if labels.len() != x.n {
        return Err(KernelError::new(
            crate::ErrorCode::DimensionMismatch,
            format!("labels have length {}, data has {} rows", labels.len(), x.n),
        )
        .with_expected(x.n)
        .with_actual(labels.len()));
    }
    check_weights(weights, x.n)?;
    check_out_len(sums.len(), k * x.d, "sums")?;
    check_out_len(weight_sums.len(), k, "weight sums")?;
    check_out_len(counts.len(), k, "counts")?;
    if let Some((i, l)) = labels.iter().enumerate().find(|(_, l)| **l as usize >= k) {
        return Err(KernelError::invalid(format!(
            "label {l} of row {i} is out of range for k = {k}"
        ))
        .with_row(i as u64)
        .with_expected(format!("< {k}"))
        .with_actual(*l));
    }
    if r.validate {
        check_rows(x, "data", false, &r)?;
    }
    // Member counts first (integers, so order does not matter), then cluster ranges of roughly
    // equal work for the threads.
    counts.fill(0);
    for l in labels {
        counts[*l as usize] += 1;
    }
    let ranges = split_by_work(counts, r.threads);
    let d = x.d;
    let (sums_out, wsum_out) = (SharedOut::new(sums), SharedOut::new(weight_sums));
    for_each_block(
        ranges.len(),
        threads_for_work(x.n * x.d, r.threads),
        &r.control,
        || (),
        |b, _| {
            let (lo, hi) = ranges[b];
            // SAFETY: range b owns clusters lo .. hi of both outputs; ranges never overlap.
            let (s, ws) = unsafe {
                (
                    sums_out.slice(lo * d, (hi - lo) * d),
                    wsum_out.slice(lo, hi - lo),
                )
            };
            s.fill(0.0);
            ws.fill(0.0);
            let mut start = 0;
            while start < x.n {
                r.control.check()?;
                let end = (start + SCAN_BLOCK).min(x.n);
                let mut taken = 0;
                for i in start..end {
                    let c = labels[i] as usize;
                    if c < lo || c >= hi {
                        continue;
                    }
                    let w = weights.map_or(1.0, |w| w[i] as f64);
                    r.isa
                        .add_row_f64(&mut s[(c - lo) * d..(c - lo + 1) * d], x.row(i), w);
                    ws[c - lo] += w;
                    taken += 1;
                }
                r.control.add_rows(taken);
                start = end;
            }
            Ok(())
        },
    )
}

/// Splits clusters `0..k` into at most `parts` contiguous ranges of roughly equal member count.
fn split_by_work(counts: &[u32], parts: usize) -> Vec<(usize, usize)> {
    let k = counts.len();
    let total: u64 = counts.iter().map(|c| *c as u64).sum();
    let parts = parts.clamp(1, k);
    let target = total.div_ceil(parts as u64).max(1);
    let mut ranges = Vec::with_capacity(parts);
    let (mut lo, mut acc) = (0, 0u64);
    for (c, n) in counts.iter().enumerate() {
        acc += *n as u64;
        if acc >= target && ranges.len() + 1 < parts {
            ranges.push((lo, c + 1));
            lo = c + 1;
            acc = 0;
        }
    }
    if lo < k {
        ranges.push((lo, k));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::split_by_work;

    #[test]
    fn ranges_cover_all_clusters_in_order() {
        for parts in 1..6 {
            let counts = [5u32, 0, 9, 1, 1, 1, 30, 2];
            let r = split_by_work(&counts, parts);
            assert_eq!(r.first().unwrap().0, 0);
            assert_eq!(r.last().unwrap().1, counts.len());
            for w in r.windows(2) {
                assert_eq!(w[0].1, w[1].0);
            }
            assert!(r.len() <= parts);
        }
    }
}
