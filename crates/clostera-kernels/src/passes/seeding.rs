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
use crate::tiling::{interleave_row_dots, ROW_DOTS};
use crate::validate::{check_nonempty, check_out_len, check_same_d, check_weights};

const BLOCK: usize = 2048;
/// The skip test needs a margin so f32 rounding never skips a row that would improve.
const SAFETY: f32 = 1e-4;

/// Squared distance from norms and a dot product (the same arithmetic in the update and the
/// potential, so committing a scored candidate reproduces its potential exactly).
#[inline]
fn expanded(xn2: f32, cn2: f32, dot: f32) -> f32 {
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

fn check_nearest(nearest: &[u32], gaps: usize) -> KernelResult<()> {
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
            let (md, nn, part) = unsafe {
                (
                    md_out.slice(r0, rows),
                    nn_out.slice(r0, rows),
                    &mut part_out.slice(b, 1)[0],
                )
            };
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

/// Scores candidate centres without committing them: `totals[c]` is the weighted total
/// `min_dist` would have with candidate `c` added. `candidate_gaps[c * chosen + j]` is the
/// Euclidean distance from candidate `c` to chosen centre `j`. With `row_dists` (`n x m`), each
/// row's squared distance to each candidate is kept (+inf where pruned, which cannot lower
/// `min_dist`), so [`seed_commit`] can add the chosen one without reading the data again.
/// Returns the distances computed.
#[allow(clippy::too_many_arguments)]
pub fn seed_potential(
    x: Matrix,
    candidates: Matrix,
    candidate_gaps: &[f32],
    chosen: usize,
    min_dist: &[f32],
    nearest: &[u32],
    weights: Option<&[f32]>,
    totals: &mut [f64],
    mut row_dists: Option<&mut [f32]>,
    o: &PassOptions,
) -> KernelResult<u64> {
    let r = o.resolve()?;
    check_nonempty(candidates.n, "candidates")?;
    check_nonempty(chosen, "chosen centres")?;
    check_same_d(x, candidates, "candidates")?;
    let m = candidates.n;
    check_out_len(candidate_gaps.len(), m * chosen, "candidate gaps")?;
    check_out_len(min_dist.len(), x.n, "minDist")?;
    check_out_len(nearest.len(), x.n, "nearest")?;
    check_out_len(totals.len(), m, "totals")?;
    check_weights(weights, x.n)?;
    check_nearest(nearest, chosen)?;
    if let Some(rd) = &row_dists {
        check_out_len(rd.len(), x.n * m, "row distances (n x m)")?;
    }
    if r.validate {
        crate::validate::check_rows(candidates, "candidates", false, &r)?;
    }
    // Not a GEMM tile: with the few candidates of a step (2 + ln k) most SIMD lanes of a centroid
    // panel would be padding, and many pairs are pruned. A row that must meet any candidate
    // meets all of its chunk (up to 16, interleaved for `dot_row`) in one sweep that also takes
    // its norm: the same bits as `dot4` and `sqnorm` (see `DotRowNormFn`), at several times the
    // throughput of four candidates per sweep (fmnist 16,000 x 784 sample, 9 candidates: 5.2 ms
    // a step through `dot4`). Distances use the dot form |x|^2 + |c|^2 - 2 x.c.
    let cnorms: Vec<f32> = (0..m).map(|c| r.isa.sqnorm(candidates.row(c))).collect();
    let chunks: Vec<(usize, usize, crate::aligned::AlignedF32)> = (0..m)
        .step_by(ROW_DOTS)
        .map(|first| {
            let len = ROW_DOTS.min(m - first);
            let rows = &candidates.data[first * x.d..(first + len) * x.d];
            let sub = Matrix::new(rows, x.d, "candidates")?;
            Ok((first, len, interleave_row_dots(sub, r.isa.row_lanes)))
        })
        .collect::<KernelResult<_>>()?;
    let blocks = x.n.div_ceil(BLOCK);
    let mut partials = vec![0.0f64; blocks * m];
    let mut computed = vec![0u64; blocks];
    let (part_out, comp_out) = (SharedOut::new(&mut partials), SharedOut::new(&mut computed));
    // The gaps by chosen centre (`[near * m + c]`): a row's m gaps in one cache line or two.
    let mut gaps_by_centre = vec![0f32; chosen * m];
    for c in 0..m {
        for j in 0..chosen {
            gaps_by_centre[j * m + c] = candidate_gaps[c * chosen + j];
        }
    }
    let rd_out = row_dists.as_deref_mut().map(SharedOut::new);
    let threads = threads_for_work(x.n * x.d * m, r.threads);
    for_each_block(
        blocks,
        threads,
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns slots b*m .. b*m+m of the partials and slot b of the counts.
            let (part, comp) = unsafe { (part_out.slice(b * m, m), &mut comp_out.slice(b, 1)[0]) };
            // SAFETY: block b owns rows r0 .. r0+rows (times m) of the row distances.
            let mut rd = rd_out
                .as_ref()
                .map(|o| unsafe { o.slice(r0 * m, rows * m) });
            part.fill(0.0);
            let mut keep = vec![false; m];
            let mut dist = vec![f32::INFINITY; m];
            for i in r0..r0 + rows {
                let w = weights.map_or(1.0, |w| w[i] as f64);
                let md = min_dist[i];
                let gaps = &gaps_by_centre[nearest[i] as usize * m..][..m];
                // `can_skip` with its threshold taken once per row (the same expression, so the
                // same decisions): this bookkeeping runs for every row of every step.
                let mut kept = 0usize;
                if md.is_finite() {
                    let threshold = 2.0 * md.sqrt() * (1.0 + SAFETY) + 1e-12;
                    for (k, g) in keep.iter_mut().zip(gaps) {
                        *k = *g < threshold || g.is_nan();
                        kept += *k as usize;
                    }
                } else {
                    keep.fill(true);
                    kept = m;
                }
                dist.fill(f32::INFINITY);
                if kept > 0 {
                    *comp += kept as u64;
                    let row = x.row(i);
                    for (first, len, cents) in &chunks {
                        let range = *first..first + len;
                        if !keep[range.clone()].contains(&true) {
                            continue;
                        }
                        // SAFETY: `row` holds d floats and `cents` the interleaved layout of
                        // `len` (<= 16) candidates for this ISA; `isa` was detected on this CPU.
                        let (dots, xn2) = unsafe {
                            (r.isa.dot_row_norm)(row.as_ptr(), cents.as_ptr(), *len, x.d)
                        };
                        for c in range.filter(|c| keep[*c]) {
                            dist[c] = expanded(xn2, cnorms[c], dots[c - first]);
                        }
                    }
                }
                if let Some(rd) = rd.as_deref_mut() {
                    rd[(i - r0) * m..(i - r0 + 1) * m].copy_from_slice(&dist);
                }
                for (p, v) in part.iter_mut().zip(&dist) {
                    *p += w * v.min(md) as f64;
                }
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    for (c, t) in totals.iter_mut().enumerate() {
        *t = (0..blocks).map(|b| partials[b * m + c]).sum();
    }
    Ok(computed.iter().sum())
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
            let (md, nn, part) = unsafe {
                (
                    md_out.slice(r0, rows),
                    nn_out.slice(r0, rows),
                    &mut part_out.slice(b, 1)[0],
                )
            };
            for i in 0..rows {
                let dist = row_dists[(r0 + i) * m + candidate];
                if dist < md[i] {
                    md[i] = dist;
                    nn[i] = new_index;
                }
                *part += weights.map_or(1.0, |w| w[r0 + i] as f64) * md[i] as f64;
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    Ok(partials.iter().sum())
}
