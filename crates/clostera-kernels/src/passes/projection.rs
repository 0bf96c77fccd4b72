//! Rows projected onto a few directions, and the transposed product that finds good directions.
//!
//! k-means++ seeding uses them for a cheap exact filter: for an orthonormal basis `Q` (`m x d`,
//! m much smaller than d), `|Q(x - c)| <= |x - c|`, so `m` projected coordinates bound a distance
//! from below at a fraction of the cost of reading the row (see `seeding.rs`). Any orthonormal
//! basis gives a valid bound; one spanning the data's leading principal directions gives a tight
//! one, and `weighted_row_sums` is the product a subspace iteration needs to find it.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::simd::Isa;
use crate::tiling::{row_dot_chunks, RowDotChunk, ROW_DOTS};
use crate::validate::{check_nonempty, check_out_len, check_same_d};

const BLOCK: usize = 2048;
/// Fixed partitions of [`weighted_row_sums`]: a constant count, not the thread count, so the
/// reduction order (and so the result) is the same at any thread count.
const SUM_PARTS: usize = 16;

/// Writes `out[i * m + j] = x_i . basis_j` (`n x m`) and, with `norms`, `norms[i] = |x_i|^2`
/// (the same bits as `Isa::sqnorm`). The basis rows are read in chunks of 16 interleaved for
/// `dot_row`, so each row of `x` is read once per chunk. Returns the basis's gain, a bound on
/// the largest eigenvalue of `B B^T` (so `|B v|^2 <= gain |v|^2` for every `v`; about 1 for
/// orthonormal rows), which a [`SeedProjection`] carries.
pub fn project_rows(
    x: Matrix,
    basis: Matrix,
    out: &mut [f32],
    norms: Option<&mut [f32]>,
    o: &PassOptions,
) -> KernelResult<f32> {
    let r = o.resolve()?;
    check_nonempty(basis.n, "basis (m)")?;
    check_same_d(x, basis, "basis")?;
    let m = basis.n;
    check_out_len(out.len(), x.n * m, "projections (n x m)")?;
    if let Some(nv) = &norms {
        check_out_len(nv.len(), x.n, "norms")?;
    }
    if r.validate {
        crate::validate::check_rows(x, "data", false, &r)?;
        crate::validate::check_rows(basis, "basis", false, &r)?;
    }
    let chunks = row_dot_chunks(basis, r.isa.row_lanes);
    let gain = basis_gain(basis, &chunks, r.isa)?;
    let out_shared = SharedOut::new(out);
    let norms_shared = norms.map(SharedOut::new);
    for_each_block(
        x.n.div_ceil(BLOCK),
        threads_for_work(x.n * x.d * m.div_ceil(ROW_DOTS), r.threads),
        &r.control,
        || (),
        |b, _| {
            let r0 = b * BLOCK;
            let rows = BLOCK.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows (times m) of the projections.
            let dst = unsafe { out_shared.slice(r0 * m, rows * m) };
            // SAFETY: block b owns rows r0 .. r0+rows of the norms.
            let mut nv = norms_shared.as_ref().map(|s| unsafe { s.slice(r0, rows) });
            for i in 0..rows {
                let row = x.row(r0 + i);
                for (first, len, cents) in &chunks {
                    // SAFETY: `row` holds d floats and `cents` the interleaved layout of `len`
                    // (<= 16) basis rows for this ISA; `isa` was detected on this CPU.
                    let dots = unsafe { (r.isa.dot_row)(row.as_ptr(), cents.as_ptr(), *len, x.d) };
                    dst[i * m + first..i * m + first + len].copy_from_slice(&dots[..*len]);
                }
                if let Some(nv) = nv.as_deref_mut() {
                    nv[i] = r.isa.sqnorm(row);
                }
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )?;
    Ok(gain)
}

/// Gershgorin bound on the largest eigenvalue of `B B^T` (widened by 1e-5 for rounding):
/// `|B v|^2 <= gain |v|^2` for any `v`, so a bound scaled by it stays valid for a basis that is
/// only nearly orthonormal.
fn basis_gain(basis: Matrix, chunks: &[RowDotChunk], isa: &crate::simd::Isa) -> KernelResult<f32> {
    let mut gain = 0f32;
    let mut gram_row = vec![0f32; basis.n];
    for a in 0..basis.n {
        for (first, len, cents) in chunks {
            // SAFETY: the basis row holds d floats and `cents` the interleaved layout of `len`
            // (<= 16) basis rows for this ISA; `isa` was detected on this CPU.
            let dots =
                unsafe { (isa.dot_row)(basis.row(a).as_ptr(), cents.as_ptr(), *len, basis.d) };
            gram_row[*first..first + len].copy_from_slice(&dots[..*len]);
        }
        gain = gain.max(gram_row.iter().map(|v| v.abs()).sum());
    }
    if !(gain > 0.0 && gain.is_finite()) {
        return Err(crate::error::KernelError::invalid(
            "the projection basis must have finite, not all zero rows",
        )
        .with_actual(gain));
    }
    Ok(gain * (1.0 + 1e-5))
}

/// Writes `out[j * d ..][..d] = sum_i y[i * m + j] * x_i` (`m x d`, f64): `x^T y`, the `m`
/// sums of the rows weighted by the columns of `y` (`n x m`). Partials over fixed partitions of
/// the rows are added in partition order: identical at any thread count.
pub fn weighted_row_sums(
    x: Matrix,
    y: &[f32],
    m: usize,
    out: &mut [f64],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    check_nonempty(m, "weight columns (m)")?;
    check_out_len(y.len(), x.n * m, "weights (n x m)")?;
    check_out_len(out.len(), m * x.d, "sums (m x d)")?;
    if r.validate {
        crate::validate::check_rows(x, "data", false, &r)?;
        crate::validate::check_rows(Matrix::new(y, m, "weights")?, "weights", false, &r)?;
    }
    let d = x.d;
    let parts = SUM_PARTS.min(x.n.div_ceil(BLOCK)).max(1);
    let per_part = x.n.div_ceil(parts);
    let mut partials = vec![0f64; parts * m * d];
    let shared = SharedOut::new(&mut partials);
    for_each_block(
        parts,
        threads_for_work(x.n * d * m, r.threads),
        &r.control,
        || (Vec::<&[f32]>::new(), Vec::<f64>::new()),
        |p, (rows, w)| {
            // SAFETY: partition p owns slots p*m*d .. (p+1)*m*d of the partials.
            let acc = unsafe { shared.slice(p * m * d, m * d) };
            let start = (p * per_part).min(x.n);
            let end = ((p + 1) * per_part).min(x.n);
            // Blocks of rows, each added to every column's accumulator while still in cache.
            let mut b0 = start;
            while b0 < end {
                r.control.check()?;
                let b1 = (b0 + 64).min(end);
                rows.clear();
                rows.extend((b0..b1).map(|i| x.row(i)));
                for j in 0..m {
                    w.clear();
                    w.extend((b0..b1).map(|i| y[i * m + j] as f64));
                    r.isa
                        .add_rows_f64(&mut acc[j * d..(j + 1) * d], rows.as_slice(), w.as_slice());
                }
                r.control.add_rows(b1 - b0);
                b0 = b1;
            }
            Ok(())
        },
    )?;
    out.fill(0.0);
    for p in 0..parts {
        for (o, v) in out.iter_mut().zip(&partials[p * m * d..(p + 1) * m * d]) {
            *o += v;
        }
    }
    Ok(())
}


/// Projected rows for the exact lower-bound filter of `seed_potential`: `rows` and `row_norms`
/// are what [`project_rows`] writes for the data and `basis`. The basis need not be exactly
/// orthonormal: the filter scales its bound by the basis's largest possible gain.
#[derive(Clone, Copy)]
pub struct SeedProjection<'a> {
    /// `m x d` basis.
    pub basis: Matrix<'a>,
    /// `n x m` projections of the data rows onto the basis.
    pub rows: &'a [f32],
    /// `n` squared norms of the data rows.
    pub row_norms: &'a [f32],
    /// The basis's gain, as [`project_rows`] returns it.
    pub gain: f32,
}

/// Most rows of any ISA's micro-kernel (`Isa::mr`), so a group's per-row values fit fixed arrays.
pub(crate) const MAX_GROUP_ROWS: usize = 16;

/// The filter of one `seed_potential` call: the candidates projected and packed as the
/// micro-kernel's panels (several rows meet every candidate in one call), and the rounding terms.
pub(crate) struct LowerBound<'a> {
    m: usize,
    rows: &'a [f32],
    row_norms: &'a [f32],
    /// Projected candidates in chunks of at most 16, interleaved for `dot_row` (see
    /// [`row_dot_chunks`]).
    chunks: Vec<RowDotChunk>,
    /// Squared norms of the projected candidates.
    projected_norms: Vec<f32>,
    max_candidate_norm: f32,
    sqrt_gain: f32,
    gain: f32,
    /// Bound on the f32 error of one projected difference, per unit of `|x| + |c|`.
    projection_error: f32,
    /// Bound on the f32 error of the expanded distance, per unit of `(|x| + |c|)^2`.
    distance_error: f32,
    /// Bound on the f32 error of the expanded projected distance, per unit of `(|y| + |p|)^2`.
    projected_error: f32,
    isa: &'a Isa,
}

impl<'a> LowerBound<'a> {
    /// Checks `p` against `n` data rows and projects the candidates.
    pub(crate) fn new(
        p: &SeedProjection<'a>,
        candidates: Matrix,
        candidate_chunks: &[RowDotChunk],
        candidate_sqnorms: &[f32],
        n: usize,
        isa: &'a Isa,
    ) -> KernelResult<Self> {
        let m = p.basis.n;
        check_nonempty(m, "projection basis (m)")?;
        check_same_d(candidates, p.basis, "projection basis")?;
        check_out_len(p.rows.len(), n * m, "projected rows (n x m)")?;
        check_out_len(p.row_norms.len(), n, "projected row norms")?;
        let d = p.basis.d;
        let gain = p.gain;
        if !(gain > 0.0 && gain.is_finite()) {
            return Err(crate::error::KernelError::invalid(
                "the projection gain must be finite and > 0 (as projectRows returns it)",
            )
            .with_actual(gain));
        }
        // Each f32 dot product of d terms is within gamma * sum |x_k b_k| of the exact one,
        // whatever the order of its sums.
        let gamma = (d as f32 + 4.0) * f32::EPSILON;
        let mut projected = vec![0f32; candidates.n * m];
        // Each basis row meets every candidate in one sweep (`candidate_chunks`, as
        // `row_dot_chunks` lays them out): one `dot` per pair, with its horizontal sum, cost about
        // 50 us per k-means++ step (Fashion-MNIST k = 1000: 512 pairs of 784), all of it before the
        // pass's threads start.
        for j in 0..m {
            let basis_row = p.basis.row(j);
            for (first, len, cents) in candidate_chunks {
                // SAFETY: `basis_row` holds d floats and `cents` the interleaved layout of `len`
                // (<= 16) candidates of d floats for this ISA; `isa` was detected on this CPU.
                let dots = unsafe { (isa.dot_row)(basis_row.as_ptr(), cents.as_ptr(), *len, d) };
                for (q, v) in dots[..*len].iter().enumerate() {
                    projected[(first + q) * m + j] = *v;
                }
            }
        }
        let projected_norms = (0..candidates.n)
            .map(|c| isa.sqnorm(&projected[c * m..(c + 1) * m]))
            .collect();
        let chunks = row_dot_chunks(Matrix { data: &projected, n: candidates.n, d: m }, isa.row_lanes);
        Ok(Self {
            m,
            rows: p.rows,
            row_norms: p.row_norms,
            chunks,
            projected_norms,
            max_candidate_norm: candidate_sqnorms.iter().fold(0f32, |a, v| a.max(v.sqrt())),
            sqrt_gain: gain.sqrt(),
            gain,
            projection_error: (m as f32).sqrt() * gamma * gain.sqrt(),
            distance_error: 2.0 * gamma,
            projected_error: 2.0 * (m as f32 + 4.0) * f32::EPSILON,
            isa,
        })
    }

    /// The squared projected distance above which row `i` provably cannot get below
    /// `min_dist` (times `1 + safety`) through any candidate of this call, as the projected
    /// distance [`Self::prune`] computes it. With `S = |x| + max |c|` bounding each pair's scale,
    /// the pair's true distance is at least `(sqrt(lb2) (1 - 1e-5) - e S) / sqrt(gain)` for the
    /// exact squared distance `lb2` of the f32 projections, and its f32 expanded distance at
    /// least that squared minus `2 gamma S^2`. The projections' own expanded form
    /// (`|y|^2 + |p|^2 - 2 y.p`, whose norms are at most `sqrt(gain) S`) is within
    /// `2 gamma_m gain S^2` of `lb2`, so that much is added. One square root per row, none per pair.
    #[inline]
    pub(crate) fn row_limit(&self, i: usize, min_dist: f32, safety: f32) -> f32 {
        let s = self.row_norms[i].sqrt() + self.max_candidate_norm;
        let needed = (min_dist * (1.0 + safety) + 1e-30 + self.distance_error * s * s).sqrt();
        let r = (needed * self.sqrt_gain + self.projection_error * s) / (1.0 - 1e-5);
        (r * r + self.projected_error * self.gain * s * s) * (1.0 + 1e-6)
    }

    /// Rows per [`Self::prune_group`] call.
    pub(crate) fn group_rows(&self) -> usize {
        GROUP_ROWS
    }

    /// For rows `rows` (at most [`Self::group_rows`], with `limits` from [`Self::row_limit`]):
    /// clears bit `c` of `masks[r]` for every candidate whose projected squared distance to row
    /// `rows[r]` exceeds `limits[r]`. Each row meets the few candidates of a step (2 + ln k, at
    /// most 32) in one sweep along its projected coordinates that also takes its projected norm,
    /// two rows per call where the ISA has a pair kernel. (The panel micro-kernel this replaced
    /// padded the 8 candidates of a k = 1000 seeding to a 32-wide panel.) Any summation order is
    /// covered by `projected_error`, so the pruning stays exact.
    pub(crate) fn prune_group(&self, rows: &[usize], limits: &[f32], masks: &mut [u32]) {
        let m = self.m;
        assert!(!rows.is_empty() && rows.len() <= GROUP_ROWS && masks.len() == rows.len());
        let row = |i: usize| self.rows[i * m..(i + 1) * m].as_ptr();
        let mut projected = [[0f32; 16]; GROUP_ROWS];
        for (first, len, cents) in &self.chunks {
            let mut r = 0;
            while r < rows.len() {
                let two = self.isa.dot_row_pair.filter(|_| r + 1 < rows.len());
                let (dots, norms, count) = match two {
                    // SAFETY: both rows hold m floats and `cents` the interleaved layout of
                    // `len` (<= 16) projected candidates for this ISA; `isa` was detected.
                    Some(pair) => {
                        let (dots, norms) = unsafe { pair([row(rows[r]), row(rows[r + 1])], cents.as_ptr(), *len, m, true) };
                        (dots, norms, 2)
                    }
                    None => {
                        // SAFETY: as above, for one row.
                        let (dots, norm) = unsafe { (self.isa.dot_row_norm)(row(rows[r]), cents.as_ptr(), *len, m) };
                        ([dots, [0.0; 16]], [norm, 0.0], 1)
                    }
                };
                let pn2 = &self.projected_norms[*first..first + len];
                for h in 0..count {
                    for ((p, d), n2) in projected[r + h].iter_mut().zip(&dots[h]).zip(pn2) {
                        *p = norms[h] + n2 - 2.0 * d;
                    }
                }
                r += count;
            }
            // Kept while the projected distance is within the row's limit (or NaN).
            let ptrs: [*const f32; GROUP_ROWS] = std::array::from_fn(|h| projected[h].as_ptr());
            let mut kept = [0u32; GROUP_ROWS];
            let count = rows.len();
            // SAFETY: each pointer addresses 16 >= len floats of `projected`.
            unsafe { self.isa.kept_masks(&ptrs[..count], *len, limits, true, &mut kept[..count]) };
            let chunk = ((1u64 << len) - 1) as u32;
            for (mask, kept) in masks.iter_mut().zip(kept) {
                *mask &= !(chunk << first) | (kept << first);
            }
        }
    }
}

/// Rows per [`LowerBound::prune_group`] call.
const GROUP_ROWS: usize = 8;
