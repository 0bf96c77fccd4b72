//! Options every pass takes.

use crate::control::Control;
use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::passes::bf16_rows::Bf16Rows;
use crate::simd::{self, Isa, SimdLevel};

/// Per-call settings. `Default` means: threads from `CLOSTERA_NUM_THREADS` (or all cores), SIMD
/// from `CLOSTERA_SIMD` (or the best available), inputs validated, no cancellation.
#[derive(Clone, Copy)]
pub struct PassOptions<'a> {
    pub threads: Option<usize>,
    pub simd: Option<SimdLevel>,
    pub control: Control<'a>,
    /// Scan inputs for NaN/Inf (and zero norms under cosine) before computing. Engines that have
    /// already validated their data turn this off for repeated passes.
    pub validate: bool,
    /// A bf16 copy of the pass's rows `x`, as [`crate::bf16_rows`] writes it at the same SIMD
    /// level: the assignments that screen centroids in bf16 (`assign`, `assign_sums`,
    /// `assign_top2_sums`, `yinyang_assign`) read their rows' bf16 pairs, norms and rounding
    /// errors from it instead of converting every row again on every pass. Engines that assign
    /// the same training rows twenty times make it once. Other passes ignore it.
    pub bf16_rows: Option<Bf16Rows<'a>>,
}

impl Default for PassOptions<'_> {
    fn default() -> Self {
        PassOptions {
            threads: None,
            simd: None,
            control: Control::NONE,
            validate: true,
            bf16_rows: None,
        }
    }
}

/// Options resolved once at the start of a call.
pub(crate) struct Resolved<'a> {
    pub isa: &'static Isa,
    pub threads: usize,
    pub control: Control<'a>,
    pub validate: bool,
    pub bf16_rows: Option<Bf16Rows<'a>>,
}

impl Resolved<'_> {
    /// The bf16 copy for rows `x`, checked against its shape (a coded error when it does not
    /// fit), or `None` without one.
    pub(crate) fn bf16_rows_for(&self, x: Matrix) -> KernelResult<Option<Bf16Rows<'_>>> {
        match &self.bf16_rows {
            Some(rows) => {
                rows.check(x.n, x.d)?;
                Ok(Some(*rows))
            }
            None => Ok(None),
        }
    }
}

impl<'a> PassOptions<'a> {
    pub(crate) fn resolve(&self) -> KernelResult<Resolved<'a>> {
        Ok(Resolved {
            isa: simd::resolve(self.simd)?,
            threads: crate::parallel::resolve_threads(self.threads)?,
            control: self.control,
            validate: self.validate,
            bf16_rows: self.bf16_rows,
        })
    }
}
