//! Fused assignment: per row, the nearest centroid and its value, without materialising the
//! n x k matrix (a running arg-min over chunks of the dot-product tile). [`assign_sums`] also
//! sums each cluster's rows while they are in cache: a plain Lloyd iteration in one read of the
//! data.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::{PassOptions, Resolved};
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::passes::cluster_sums::{ClusterSums, PartitionSums};
use crate::simd::bf16::Bf16Kernels;
use crate::simd::Isa;
use crate::tiling_bf16::PackedBf16;
use crate::passes::assign_screened::{screened_best, ScreenOut};
use crate::tiling::{for_each_chunk_of, row_block, screened_rows, BlockRows, PackedCentroids, RowScratch};
use crate::validate::{check_out_len, check_weights};

/// Writes, for each row of `x`, the index of the nearest row of `c` (ties to the lowest index)
/// and its value (squared distance for l2, inner product for ip, cosine for cos). With
/// `validate`, each block checks its rows as it loads them (no separate pass over the data).
pub fn assign(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    labels: &mut [u32],
    values: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    super::check_centroids(x, c, metric, &r)?;
    check_out_len(labels.len(), x.n, "labels")?;
    check_out_len(values.len(), x.n, "values")?;
    let isa = r.isa;
    let pc = PackedCentroids::new(c, metric, isa).screened(c, isa);
    let rb = block_rows(x.d, &pc, isa, false);
    let (labels_out, values_out) = (SharedOut::new(labels), SharedOut::new(values));
    for_each_block(
        x.n.div_ceil(rb),
        threads_for_work(x.n * c.n * x.d, r.threads),
        &r.control,
        RowScratch::new,
        |b, scratch| {
            let r0 = b * rb;
            let rows = rb.min(x.n - r0);
            // SAFETY: block b owns rows r0 .. r0+rows of both outputs; blocks never overlap.
            let (l, v) = unsafe { (labels_out.slice(r0, rows), values_out.slice(r0, rows)) };
            let out = RowOut {
                labels: l,
                values: v,
                second: None,
                terms: None,
            };
            assign_rows(
                isa,
                x,
                BlockRows::Range(r0, rows),
                &pc,
                metric,
                scratch,
                out,
                &r,
            )?;
            r.control.add_rows(rows);
            Ok(())
        },
    )
}

/// The bf16 screen an assignment against `pc` runs (`top2`: with the runner-up), when the ISA
/// has one and there are enough panels for it to pay (see [`Bf16Kernels::min_panels`]).
fn screen_for<'p>(pc: &'p PackedCentroids, isa: &Isa, top2: bool) -> Option<(&'static Bf16Kernels, &'p PackedBf16)> {
    let (bk, pb) = (isa.bf16?, pc.screen.as_ref()?);
    let panels = pc.kpad() / pc.nr;
    (panels >= if top2 { bk.min_panels_top2 } else { bk.min_panels }).then_some((bk, pb))
}

/// Rows per parallel block of an assignment with centroids `pc`: [`screened_rows`] when it
/// screens in bf16, [`row_block`] otherwise. Depends on the shape and ISA only, never on the
/// thread count.
fn block_rows(d: usize, pc: &PackedCentroids, isa: &Isa, top2: bool) -> usize {
    if screen_for(pc, isa, top2).is_some() {
        screened_rows(d)
    } else {
        row_block(d)
    }
}

/// [`assign`] under l2 that also writes the per-cluster sums of the new labels (what
/// `accumulate` would compute, in fixed partitions so they are identical at any thread count),
/// reading each row once.
pub fn assign_sums(
    x: Matrix,
    c: Matrix,
    weights: Option<&[f32]>,
    labels: &mut [u32],
    values: &mut [f32],
    sums: ClusterSums,
    o: &PassOptions,
) -> KernelResult<()> {
    assign_sums_impl(x, c, Metric::L2, weights, labels, values, None, sums, o)
}

/// The final assignment of a fit that trained on a subsample, prepared for one refinement step:
/// as [`assign_sums`], under l2 or cos, plus each row's runner-up value in `second` (squared
/// distance, or cosine, to its second-nearest centroid; +inf / -inf when `k = 1`). Under cos the
/// sums are of the unit rows (each row weighted by `w / |x|`), so their normalised means are the
/// spherical centroids over all rows. With the runner-up, the caller can move the centroids to
/// those means and prove most labels unchanged by the triangle inequality without reading the
/// rows again.
#[allow(clippy::too_many_arguments)]
pub fn assign_top2_sums(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    weights: Option<&[f32]>,
    labels: &mut [u32],
    values: &mut [f32],
    second: &mut [f32],
    sums: ClusterSums,
    o: &PassOptions,
) -> KernelResult<()> {
    if metric == Metric::Ip {
        return Err(crate::error::KernelError::invalid(
            "assign_top2_sums supports the l2 and cos metrics".to_string(),
        )
        .with_expected("l2 | cos")
        .with_actual("ip"));
    }
    check_out_len(second.len(), x.n, "second")?;
    assign_sums_impl(x, c, metric, weights, labels, values, Some(second), sums, o)
}

#[allow(clippy::too_many_arguments)]
fn assign_sums_impl(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    weights: Option<&[f32]>,
    labels: &mut [u32],
    values: &mut [f32],
    second: Option<&mut [f32]>,
    sums: ClusterSums,
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    super::check_centroids(x, c, metric, &r)?;
    check_out_len(labels.len(), x.n, "labels")?;
    check_out_len(values.len(), x.n, "values")?;
    check_weights(weights, x.n)?;
    sums.check(c.n, x.d)?;
    let isa = r.isa;
    let pc = PackedCentroids::new(c, metric, isa).screened(c, isa);
    let rb = block_rows(x.d, &pc, isa, second.is_some());
    let blocks = x.n.div_ceil(rb);
    let mut partitions = PartitionSums::new(blocks, c.n, x.d, true);
    let sums_out = partitions.out();
    let (labels_out, values_out) = (SharedOut::new(labels), SharedOut::new(values));
    let second_out = second.map(SharedOut::new);
    for_each_block(
        partitions.parts,
        threads_for_work(x.n * c.n * x.d, r.threads),
        &r.control,
        || (RowScratch::new(), Vec::<f32>::new()),
        |p, (scratch, terms)| {
            // SAFETY: partition p is processed by exactly one call of this closure.
            let mut psums = unsafe { sums_out.view(p) };
            for b in partitions.blocks_of(p, blocks) {
                r.control.check()?;
                let r0 = b * rb;
                let rows = rb.min(x.n - r0);
                // SAFETY: block b owns rows r0 .. r0+rows of every output; blocks never overlap.
                let (l, v, s2) = unsafe {
                    (
                        labels_out.slice(r0, rows),
                        values_out.slice(r0, rows),
                        second_out.as_ref().map(|s| s.slice(r0, rows)),
                    )
                };
                let out = RowOut {
                    labels: l,
                    values: v,
                    second: s2,
                    terms: Some(terms),
                };
                assign_rows(
                    isa,
                    x,
                    BlockRows::Range(r0, rows),
                    &pc,
                    metric,
                    scratch,
                    out,
                    &r,
                )?;
                // Unit rows under cos: each row counts w / |x|.
                let scale: Option<Vec<f32>> =
                    (metric == Metric::Cos).then(|| terms.iter().map(|t| 1.0 / t.sqrt()).collect());
                psums.add_rows(
                    isa,
                    x,
                    BlockRows::Range(r0, rows),
                    l,
                    weights,
                    scale.as_deref(),
                );
                r.control.add_rows(rows);
            }
            Ok(())
        },
    )?;
    partitions.reduce(sums);
    Ok(())
}

/// Rows per [`for_each_chunk`] call when the dot products are row-major (see [`assign_rows`]):
/// two, the rows one `dot_row_pair` call takes.
const ROW_DOTS_STEP: usize = 2;

/// Where [`assign_rows`] writes: labels, values, optionally the runner-up values and the rows'
/// norm terms (squared norms under l2 and cos).
pub(crate) struct RowOut<'a> {
    pub labels: &'a mut [u32],
    pub values: &'a mut [f32],
    pub second: Option<&'a mut [f32]>,
    pub terms: Option<&'a mut Vec<f32>>,
}

/// Nearest centroid and value of the rows `which` of `x` (one per label), validating them when
/// `r.validate` asks for it. Under l2 and cos the row's squared norm, computed for its value
/// anyway, is the check (see [`crate::validate::check_row`]: finite only when every value is,
/// non-zero only when some value is), so the rows are read from memory once; only a row that
/// fails it is scanned. A bad row's dot products are garbage, but its error is returned before
/// any of the block's results are used, and rows are checked in order, so the error still names
/// the block's lowest bad row.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assign_rows(
    isa: &Isa,
    x: Matrix,
    which: BlockRows,
    pc: &PackedCentroids,
    metric: Metric,
    scratch: &mut RowScratch,
    out: RowOut,
    r: &Resolved,
) -> KernelResult<()> {
    let rows = out.labels.len();
    debug_assert_eq!(rows, which.len());
    let fused_check = r.validate && metric != Metric::Ip;
    if r.validate && !fused_check {
        for i in 0..rows {
            let id = which.row_index(i);
            crate::validate::check_row(isa, x.row(id), id, "data", false)?;
        }
    }
    // Checked whichever path runs, so a copy of the wrong shape is refused at every level.
    let copy = r.bf16_rows_for(x)?;
    let top2 = out.second.is_some();
    let mut best = vec![(f32::INFINITY, 0u32); rows];
    let mut second = vec![f32::INFINITY; if top2 { rows } else { 0 }];
    let RowOut {
        labels,
        values,
        second: second_out,
        terms,
    } = out;
    let mut own_terms = Vec::new();
    let row_terms = terms.unwrap_or(&mut own_terms);
    row_terms.clear();
    if let Some((bk, pb)) = screen_for(pc, isa, top2) {
        let mut screen = std::mem::take(&mut scratch.screen);
        let out = ScreenOut {
            best: &mut best,
            second: top2.then_some(&mut second[..]),
            sqnorms: row_terms,
        };
        screened_best(isa, bk, x, which, pc, pb, copy, &mut screen, out);
        scratch.screen = screen;
        if metric == Metric::Ip {
            row_terms.fill(0.0);
        }
    } else {
        plain_best(isa, x, which, pc, metric, scratch, &mut best, &mut second, top2, row_terms);
    }
    for (i, (key, idx)) in best.into_iter().enumerate() {
        let term = row_terms[i];
        if fused_check && !(term.is_finite() && (term > 0.0 || metric != Metric::Cos)) {
            let (cos, id) = (metric == Metric::Cos, which.row_index(i));
            crate::validate::check_row(isa, x.row(id), id, "data", cos)?;
        }
        labels[i] = idx;
        values[i] = super::key_to_value(metric, key, term);
    }
    if let Some(s2) = second_out {
        for (i, (key, term)) in second.into_iter().zip(row_terms.iter()).enumerate() {
            s2[i] = if key.is_finite() {
                super::key_to_value(metric, key, *term)
            } else if metric == Metric::Cos {
                f32::NEG_INFINITY
            } else {
                f32::INFINITY
            };
        }
    }
    Ok(())
}

/// [`assign_rows`]'s arg-min over every chunk of centroids in f32 (no screen).
#[allow(clippy::too_many_arguments)]
pub(crate) fn plain_best(
    isa: &Isa,
    x: Matrix,
    which: BlockRows,
    pc: &PackedCentroids,
    metric: Metric,
    scratch: &mut RowScratch,
    best: &mut [(f32, u32)],
    second: &mut [f32],
    top2: bool,
    row_terms: &mut Vec<f32>,
) {
    let rows = best.len();
    // With row-major dot products, a few rows at a time, each one's norm taken while it is still
    // in L1: a second read of the block from L2 after its dot products added about a third to
    // the memory-bound k = 10 pass (and left memory idle meanwhile). Panels keep whole blocks.
    // The row-major path takes each row's norm in the loop that reads it for the dot products
    // (AVX-512; the same bits as `row_term`).
    scratch.want_norms = metric != Metric::Ip && pc.row_dots();
    let step = if pc.row_dots() {
        ROW_DOTS_STEP
    } else {
        rows.max(1)
    };
    for s0 in (0..rows).step_by(step) {
        let len = step.min(rows - s0);
        let skip = s0.min(second.len());
        let (best_s, second_s) = (&mut best[s0..s0 + len], &mut second[skip..]);
        for_each_chunk_of(
            isa,
            x,
            which.part(s0, len),
            pc,
            scratch,
            |start, clen, tile, ldc| {
                for (i, best_i) in best_s.iter_mut().enumerate() {
                    let dots = &tile[i * ldc..i * ldc + clen];
                    let (bias, mult) =
                        (&pc.bias[start..start + clen], &pc.mult[start..start + clen]);
                    if top2 {
                        isa.argmin2(dots, bias, mult, start as u32, best_i, &mut second_s[i]);
                    } else {
                        isa.argmin(dots, bias, mult, start as u32, best_i);
                    }
                }
            },
        );
        if scratch.norms_ready {
            row_terms.extend_from_slice(&scratch.norms[..len]);
        } else {
            row_terms.extend(
                (s0..s0 + len).map(|i| super::row_term(isa, metric, x.row(which.row_index(i)))),
            );
        }
    }
}
