//! The passes over the data. Each validates its arguments, then runs in parallel over fixed
//! blocks of rows and writes into caller-provided outputs.

pub mod accumulate;
pub mod bf16_rows;
pub mod assign;
pub(crate) mod assign_screened;
pub mod bounded_assign;
pub mod cluster_sums;
pub mod distance_tile;
pub mod gather_rows;
pub mod kmeanspp;
pub mod move_rows;
pub mod normalize_rows;
pub mod projection;
pub mod relabel;
pub mod row_norms;
mod seed_potential;
mod seed_screen;
pub mod seeding;
pub mod top_l;
pub mod yinyang;
mod yinyang_groups;
mod yinyang_screened;

use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::Resolved;
use crate::simd::Isa;

/// Turns the metric key of a row (`bias + mult * dot`, smaller is nearer) into the value the
/// passes report: squared distance for l2, inner product for ip, cosine similarity for cos.
#[inline]
pub(crate) fn key_to_value(metric: Metric, key: f32, row_sqnorm: f32) -> f32 {
    match metric {
        Metric::L2 => (row_sqnorm + key).max(0.0),
        Metric::Ip => -key,
        Metric::Cos => -key / row_sqnorm.sqrt(),
    }
}

/// The squared norm a row needs for [`key_to_value`] (ip needs none).
#[inline]
pub(crate) fn row_term(isa: &Isa, metric: Metric, row: &[f32]) -> f32 {
    match metric {
        Metric::Ip => 0.0,
        _ => isa.sqnorm(row),
    }
}

/// Shared validation of a data/centroid pair.
pub(crate) fn check_pair(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    r: &Resolved,
) -> crate::KernelResult<()> {
    check_centroids(x, c, metric, r)?;
    if r.validate {
        crate::validate::check_rows(x, "data", metric == Metric::Cos, r)?;
    }
    Ok(())
}

/// [`check_pair`] without the pass over the data rows, for passes that check each block of rows
/// as they load it (see [`check_block`]).
pub(crate) fn check_centroids(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    r: &Resolved,
) -> crate::KernelResult<()> {
    crate::validate::check_nonempty(c.n, "centroids (k)")?;
    crate::validate::check_same_d(x, c, "centroids")?;
    if r.validate {
        crate::validate::check_rows(c, "centroids", metric == Metric::Cos, r)?;
    }
    Ok(())
}

/// Fused validation of rows `r0 .. r0 + rows` of the data, run by a block before it computes: the
/// rows are then read from cache by the kernel, so validating costs no extra pass over memory.
/// Blocks are claimed in order and the lowest failing block wins, so the error names the lowest
/// bad row, as the separate pass would.
pub(crate) fn check_block(
    x: Matrix,
    r0: usize,
    rows: usize,
    metric: Metric,
    r: &Resolved,
) -> crate::KernelResult<()> {
    if r.validate {
        for i in r0..r0 + rows {
            crate::validate::check_row(r.isa, x.row(i), i, "data", metric == Metric::Cos)?;
        }
    }
    Ok(())
}
