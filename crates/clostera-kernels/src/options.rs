//! Options every pass takes.

use crate::control::Control;
use crate::error::KernelResult;
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
}

impl Default for PassOptions<'_> {
    fn default() -> Self {
        PassOptions {
            threads: None,
            simd: None,
            control: Control::NONE,
            validate: true,
        }
    }
}

/// Options resolved once at the start of a call.
pub(crate) struct Resolved<'a> {
    pub isa: &'static Isa,
    pub threads: usize,
    pub control: Control<'a>,
    pub validate: bool,
}

impl<'a> PassOptions<'a> {
    pub(crate) fn resolve(&self) -> KernelResult<Resolved<'a>> {
        Ok(Resolved {
            isa: simd::resolve(self.simd)?,
            threads: crate::parallel::resolve_threads(self.threads)?,
            control: self.control,
            validate: self.validate,
        })
    }
}
