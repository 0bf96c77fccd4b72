//! Input checks run before any compute: shapes, NaN/Inf (with the lowest offending row) and zero
//! norms under the cosine metric.

use crate::error::{ErrorCode, KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::options::Resolved;
use crate::parallel::{for_each_block, threads_for_work};
use crate::simd::Isa;

const CHECK_BLOCK: usize = 4096;

/// Errors with `CLOSTERA_NON_FINITE` when `row` (row `i` of `name`) holds NaN or Inf; with
/// `zero_norm`, with `CLOSTERA_ZERO_NORM` when it is all zeros. Passes that read every row anyway
/// call this per block (fused validation) instead of a separate pass over the data.
///
/// The fast path is the row's SIMD squared norm: a sum of squares is finite only when every value
/// is (no cancellation between non-negative terms), and non-zero only when some value is. Only a
/// row that fails it (bad, or merely overflowing or underflowing) is scanned value by value.
#[inline]
pub(crate) fn check_row(
    isa: &Isa,
    row: &[f32],
    i: usize,
    name: &str,
    zero_norm: bool,
) -> KernelResult<()> {
    let s = isa.sqnorm(row);
    if s.is_finite() && (s > 0.0 || !zero_norm) {
        return Ok(());
    }
    if let Some(bad) = row.iter().copied().find(|v| !v.is_finite()) {
        return Err(KernelError::new(
            ErrorCode::NonFinite,
            format!("{name}: row {i} holds a non-finite value ({bad})"),
        )
        .with_row(i as u64)
        .with_expected("a finite number")
        .with_actual(format!("{bad}")));
    }
    if zero_norm && row.iter().all(|v| *v == 0.0) {
        return Err(zero_norm_error(name, i));
    }
    Ok(())
}

/// `CLOSTERA_ZERO_NORM` for row `i` of `name`.
pub(crate) fn zero_norm_error(name: &str, i: usize) -> KernelError {
    KernelError::new(
        ErrorCode::ZeroNorm,
        format!("{name}: row {i} has zero norm, so it has no cosine direction"),
    )
    .with_row(i as u64)
    .with_expected("a non-zero norm")
    .with_actual(0.0f64)
}

/// Errors with `CLOSTERA_NON_FINITE` and the lowest row holding NaN or Inf; with `zero_norm`,
/// also errors with `CLOSTERA_ZERO_NORM` for the lowest all-zero row.
pub(crate) fn check_rows(m: Matrix, name: &str, zero_norm: bool, r: &Resolved) -> KernelResult<()> {
    let blocks = m.n.div_ceil(CHECK_BLOCK);
    for_each_block(
        blocks,
        threads_for_work(m.n * m.d, r.threads),
        &r.control,
        || (),
        |b, _| {
            let start = b * CHECK_BLOCK;
            for i in start..(start + CHECK_BLOCK).min(m.n) {
                check_row(r.isa, m.row(i), i, name, zero_norm)?;
            }
            Ok(())
        },
    )
}

/// Checks that an output buffer has the length the pass will fill.
pub(crate) fn check_out_len(len: usize, expected: usize, name: &str) -> KernelResult<()> {
    if len != expected {
        return Err(KernelError::invalid(format!(
            "output {name} has length {len}, expected {expected}"
        ))
        .with_expected(expected)
        .with_actual(len));
    }
    Ok(())
}

/// Checks that two matrices share `d`.
pub(crate) fn check_same_d(x: Matrix, c: Matrix, cname: &str) -> KernelResult<()> {
    if x.d != c.d {
        return Err(KernelError::new(
            ErrorCode::DimensionMismatch,
            format!("{cname} have d = {}, data has d = {}", c.d, x.d),
        )
        .with_expected(x.d)
        .with_actual(c.d));
    }
    Ok(())
}

/// Checks that a count is at least one.
pub(crate) fn check_nonempty(count: usize, name: &str) -> KernelResult<()> {
    if count == 0 {
        return Err(KernelError::invalid(format!("{name} must not be empty"))
            .with_expected(">= 1")
            .with_actual(0usize));
    }
    Ok(())
}

/// Checks optional per-row weights: right length, finite and non-negative.
pub(crate) fn check_weights(weights: Option<&[f32]>, n: usize) -> KernelResult<()> {
    let Some(w) = weights else { return Ok(()) };
    if w.len() != n {
        return Err(KernelError::new(
            ErrorCode::DimensionMismatch,
            format!("weights have length {}, data has {n} rows", w.len()),
        )
        .with_expected(n)
        .with_actual(w.len()));
    }
    if let Some((i, v)) = w
        .iter()
        .enumerate()
        .find(|(_, v)| !v.is_finite() || **v < 0.0)
    {
        let code = if v.is_finite() {
            ErrorCode::InvalidArgument
        } else {
            ErrorCode::NonFinite
        };
        return Err(KernelError::new(
            code,
            format!("weight of row {i} is {v}; weights must be finite and >= 0"),
        )
        .with_row(i as u64)
        .with_expected(">= 0")
        .with_actual(*v));
    }
    Ok(())
}
