//! k-means++ seeding steps with triangle-inequality pruning (l2).
//!
//! Each row remembers its nearest chosen centre `nearest[i]` and the squared distance
//! `min_dist[i]` to it. For a new centre `c`, if `|c_nearest - c| >= 2 sqrt(min_dist)` then
//! `|x - c| >= |c_nearest - c| - |x - c_nearest| >= sqrt(min_dist)`, so the row cannot get closer
//! and its O(d) distance is skipped. As centres accumulate, most rows are skipped, which turns
//! the O(n k d) cost of k-means++ into far less without changing its result.
//!
//! Totals are weighted sums over fixed blocks added in block order: identical at any thread
//! count.

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
pub use crate::passes::seed_potential::seed_potential;
use crate::validate::{check_nonempty, check_out_len, check_same_d, check_weights};

pub(crate) const BLOCK: usize = 2048;
/// The skip test needs a margin so f32 rounding never skips a row that would improve.
pub(crate) const SAFETY: f32 = 1e-4;

/// Squared distance from norms and a dot product (the same arithmetic in the update and the
/// potential, so committing a scored candidate reproduces its potential exactly).
#[inline]
pub(crate) fn expanded(xn2: f32, cn2: f32, dot: f32) -> f32 {
    (xn2 + cn2 - 2.0 * dot).max(0.0)
}

#[inline]
fn can_skip(center_gap: f32, min_dist: f32) -> bool {
    min_dist.is_finite() && center_gap >= 2.0 * min_dist.sqrt() * (1.0 + SAFETY) + 1e-12
}

/// What a seeding step computed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SeedStepStats {
    /// Weighted total of `min_dist` after the step.
    pub total: f64,
    /// Row-centre distances actually computed.
    pub computed: u64,
}

pub(crate) fn check_nearest(nearest: &[u32], gaps: usize) -> KernelResult<()> {
    if let Some((i, v)) = nearest
        .iter()
        .enumerate()
        .find(|(_, v)| **v as usize >= gaps.max(1))
    {
        return Err(KernelError::invalid(format!(
            "nearest[{i}] = {v} is not a chosen centre (there are {gaps})"
        ))
        .with_row(i as u64)
        .with_expected(format!("< {}", gaps.max(1)))
        .with_actual(*v));
    }
    Ok(())
}

/// Adds centre number `new_index` (`center`, d floats). `center_gaps[j]` is the Euclidean
/// distance from chosen centre `j` to the new one (`j < new_index`). Rows that get closer update
/// `min_dist` (squared) and `nearest`.
#[allow(clippy::too_many_arguments)]
pub fn seed_update(
    x: Matrix,
    center: &[f32],
    new_index: u32,
    center_gaps: &[f32],
    min_dist: &mut [f32],
    nearest: &mut [u32],
    weights: Option<&[f32]>,
    o: &PassOptions,
) -> KernelResult<SeedStepStats> {
    let r = o.resolve()?;
    let cm = Matrix::new(center, x.d, "center")?;
    check_same_d(x, cm, "center")?;
    check_out_len(cm.n, 1, "center rows")?;
    check_out_len(min_dist.len(), x.n, "minDist")?;
    check_out_len(nearest.len(), x.n, "nearest")?;
    check_out_len(center_gaps.len(), new_index as usize, "center gaps")?;
    check_weights(weights, x.n)?;
    if new_index > 0 {
        check_nearest(nearest, new_index as usize)?;
    }
    if r.validate {
        crate::validate::check_rows(x, "data", false, &r)?;
        crate::validate::check_rows(cm, "center", false, &r)?;
    }
    let cnorm2 = r.isa.sqnorm(center);
    let blocks = x.n.div_ceil(BLOCK);
    let mut partials = vec![SeedStepStats::default(); blocks];
    let (md_out, nn_out, part_out) = (
        SharedOut::new(min_dist),
        SharedOut::new(nearest),
        SharedOut::new(&mut partials),
    );
    for_each_block(
        blocks,
        threads_for_work(x.n * x.d, r.threads),
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of min_dist and nearest, and slot b of partials.
            let (md, nn, out) = unsafe {
                (
                    md_out.slice(r0, rows),
                    nn_out.slice(r0, rows),
                    &mut part_out.slice(b, 1)[0],
                )
            };
            // Accumulated locally and stored once: the blocks' partials share cache lines, and
            // updating them row by row from two threads made every row a cache-line transfer.
            let mut part = SeedStepStats::default();
            for i in 0..rows {
                let skip = new_index > 0 && can_skip(center_gaps[nn[i] as usize], md[i]);
                if !skip {
                    part.computed += 1;
                    let row = x.row(r0 + i);
                    let dist = expanded(r.isa.sqnorm(row), cnorm2, r.isa.dot4(row, [center; 4])[0]);
                    if dist < md[i] || new_index == 0 {
                        md[i] = dist;
                        nn[i] = new_index;
                    }
                }
                part.total += weights.map_or(1.0, |w| w[r0 + i] as f64) * md[i] as f64;
            }
            *out = part;
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    Ok(partials
        .iter()
        .fold(SeedStepStats::default(), |a, p| SeedStepStats {
            total: a.total + p.total,
            computed: a.computed + p.computed,
        }))
}

/// Commits candidate `candidate` (of the `m` scored by [`seed_potential`] with `row_dists`) as
/// centre number `new_index`, from the kept distances alone: no pass over the data. Returns the
/// new weighted total, identical to what [`seed_update`] would return.
pub fn seed_commit(
    row_dists: &[f32],
    m: usize,
    candidate: usize,
    new_index: u32,
    min_dist: &mut [f32],
    nearest: &mut [u32],
    weights: Option<&[f32]>,
    o: &PassOptions,
) -> KernelResult<f64> {
    let r = o.resolve()?;
    let n = min_dist.len();
    check_nonempty(m, "candidates (m)")?;
    check_out_len(row_dists.len(), n * m, "row distances (n x m)")?;
    check_out_len(nearest.len(), n, "nearest")?;
    check_weights(weights, n)?;
    if candidate >= m {
        return Err(
            KernelError::invalid(format!("candidate {candidate} is not below m = {m}"))
                .with_expected(format!("< {m}"))
                .with_actual(candidate),
        );
    }
    let blocks = n.div_ceil(BLOCK);
    let mut partials = vec![0.0f64; blocks];
    let (md_out, nn_out, part_out) = (
        SharedOut::new(min_dist),
        SharedOut::new(nearest),
        SharedOut::new(&mut partials),
    );
    for_each_block(
        blocks,
        threads_for_work(n * 4, r.threads),
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of min_dist and nearest, and slot b of partials.
            let (md, nn, out) = unsafe {
                (
                    md_out.slice(r0, rows),
                    nn_out.slice(r0, rows),
                    &mut part_out.slice(b, 1)[0],
                )
            };
            // Accumulated locally and stored once (see `seed_update`).
            let mut part = 0f64;
            for i in 0..rows {
                let dist = row_dists[(r0 + i) * m + candidate];
                if dist < md[i] {
                    md[i] = dist;
                    nn[i] = new_index;
                }
                part += weights.map_or(1.0, |w| w[r0 + i] as f64) * md[i] as f64;
            }
            *out = part;
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    Ok(partials.iter().sum())
}
