//! Run-time SIMD dispatch: one scalar reference and one file per ISA behind a table of
//! function pointers, chosen once per call.
//!
//! Every ISA module provides the same five primitives (see [`Isa`]); passes only ever call
//! through the table, so adding an ISA never touches a pass.

use std::sync::OnceLock;

use crate::error::{ErrorCode, KernelError, KernelResult};

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx2_masks;
#[cfg(target_arch = "x86_64")]
mod avx2_rows;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod avx512_amx;
#[cfg(target_arch = "x86_64")]
mod avx512_bf16;
#[cfg(target_arch = "x86_64")]
mod avx512_bf16_rows;
#[cfg(target_arch = "x86_64")]
mod avx512_bf16_screen;
#[cfg(target_arch = "x86_64")]
mod avx512_masks;
#[cfg(target_arch = "x86_64")]
mod avx512_mixed_rows;
#[cfg(target_arch = "x86_64")]
mod avx512_pairs;
#[cfg(target_arch = "x86_64")]
mod avx512_rows;
#[cfg(target_arch = "x86_64")]
mod avx512_rows_exact;
pub(crate) mod bf16;
#[cfg(target_arch = "x86_64")]
mod bf16_rate;
#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "aarch64")]
mod neon_rows;
mod scalar;
mod signatures;
mod top2;

pub(crate) use signatures::*;
pub(crate) use top2::*;

/// An instruction-set level a pass can run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SimdLevel {
    Scalar,
    Avx2,
    Avx512,
    /// AVX-512F plus the bf16 dot-product instruction: the same f32 results as `Avx512`; fused
    /// assignments screen centroids in bf16 first (see `passes::assign_screened`).
    Avx512Bf16,
    /// `Avx512Bf16` with the screen's dot products on AMX tiles (`tdpbf16ps`).
    Avx512Amx,
    Neon,
}

impl SimdLevel {
    pub const ALL: [SimdLevel; 6] = [
        SimdLevel::Scalar,
        SimdLevel::Avx2,
        SimdLevel::Avx512,
        SimdLevel::Avx512Bf16,
        SimdLevel::Avx512Amx,
        SimdLevel::Neon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SimdLevel::Scalar => "scalar",
            SimdLevel::Avx2 => "avx2",
            SimdLevel::Avx512 => "avx512",
            SimdLevel::Avx512Bf16 => "avx512bf16",
            SimdLevel::Avx512Amx => "avx512amx",
            SimdLevel::Neon => "neon",
        }
    }

    /// Parses a level name; `"auto"` (and the empty string) mean "the best available" (`None`).
    pub fn parse(name: &str) -> KernelResult<Option<SimdLevel>> {
        match name {
            "auto" | "" => Ok(None),
            "scalar" => Ok(Some(SimdLevel::Scalar)),
            "avx2" => Ok(Some(SimdLevel::Avx2)),
            "avx512" => Ok(Some(SimdLevel::Avx512)),
            "avx512bf16" => Ok(Some(SimdLevel::Avx512Bf16)),
            "avx512amx" => Ok(Some(SimdLevel::Avx512Amx)),
            "neon" => Ok(Some(SimdLevel::Neon)),
            other => Err(
                KernelError::invalid(format!("unknown SIMD level {other:?}"))
                    .with_expected("auto | scalar | avx2 | avx512 | avx512bf16 | avx512amx | neon")
                    .with_actual(other),
            ),
        }
    }
}

/// `acc[j] += w * row[j]` for `j` in `from ..`: the tail an `add_row_f64` vector loop left.
/// Asks the memory system for every cache line of `data` without waiting for them: for rows
/// read in a scattered order, which the hardware prefetcher cannot predict. A hint only (a no-op
/// where the architecture has no stable prefetch instruction); it never faults.
#[inline]
pub(crate) fn prefetch_floats(data: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    for line in data.chunks(16) {
        // SAFETY: prefetching is an SSE instruction (baseline on x86-64) and never faults,
        // whatever the address; `line` is a live slice besides.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                line.as_ptr() as *const i8
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

pub(crate) fn add_row_f64_tail(acc: &mut [f64], row: &[f32], w: f64, from: usize) {
    for (a, v) in acc[from..].iter_mut().zip(&row[from..]) {
        *a += w * f64::from(*v);
    }
}

/// The table of primitives one ISA provides.
pub(crate) struct Isa {
    #[cfg_attr(not(test), allow(dead_code))]
    pub level: SimdLevel,
    /// Rows per micro-kernel block.
    pub mr: usize,
    /// Centroids per micro-kernel block (one packed panel).
    pub nr: usize,
    /// Depth of one cache block of the dimension loop.
    pub dc: usize,
    /// Chunk width of the interleaved centroids `dot_row` reads.
    pub row_lanes: usize,
    pub microkernel_rows: MicroKernelRows,
    pub dot: DotFn,
    pub dot4: Dot4Fn,
    pub dot_row: DotRowFn,
    pub dot_row_norm: DotRowNormFn,
    /// Two rows per call, where the ISA has the registers for it.
    pub dot_row_pair: Option<DotRowPairFn>,
    pub add_row_f64: AddRowF64Fn,
    /// Several rows into one accumulator, where the ISA has a blocked loop for it.
    pub add_rows_f64: Option<AddRowsF64Fn>,
    pub l2sq: L2SqFn,
    pub argmin: ArgminFn,
    pub argmin2: Argmin2Fn,
    pub keys: KeysFn,
    pub kept_masks: KeptMasksFn,
    /// bf16 screening, where the ISA has a bf16 dot-product instruction.
    pub bf16: Option<&'static bf16::Bf16Kernels>,
}

impl Isa {
    /// Squared norm of a slice.
    #[inline]
    pub fn sqnorm(&self, a: &[f32]) -> f32 {
        // SAFETY: the table only holds ISAs detected on this CPU (see `resolve`).
        unsafe { (self.dot)(a, a) }
    }
    #[inline]
    pub fn dot(&self, a: &[f32], b: &[f32]) -> f32 {
        debug_assert_eq!(a.len(), b.len());
        // SAFETY: the table only holds ISAs detected on this CPU (see `resolve`).
        unsafe { (self.dot)(a, b) }
    }
    #[inline]
    pub fn dot4(&self, x: &[f32], c: [&[f32]; 4]) -> [f32; 4] {
        assert!(c.iter().all(|ci| ci.len() == x.len()));
        // SAFETY: the table only holds ISAs detected on this CPU; lengths checked above.
        unsafe { (self.dot4)(x, c) }
    }
    /// See [`KeptMasksFn`]: for each row, which of its `n` (at most 32) values are below its
    /// threshold (or equal, with `inclusive`) or NaN, as bits.
    ///
    /// # Safety
    /// Every pointer of `rows` addresses `n` readable floats.
    #[inline]
    pub unsafe fn kept_masks(&self, rows: &[*const f32], n: usize, t: &[f32], inclusive: bool, out: &mut [u32]) {
        assert!(n <= 32 && t.len() == rows.len() && out.len() == rows.len());
        // SAFETY: the table only holds ISAs detected on this CPU; the caller vouches for rows.
        unsafe { (self.kept_masks)(rows, n, t, inclusive, out) }
    }
    /// `acc += w * row`, elementwise in f64.
    #[inline]
    pub fn add_row_f64(&self, acc: &mut [f64], row: &[f32], w: f64) {
        assert_eq!(acc.len(), row.len());
        // SAFETY: the table only holds ISAs detected on this CPU; lengths checked above.
        unsafe { (self.add_row_f64)(acc, row, w) }
    }
    /// `acc += w[r] * rows[r]` for every row in order, elementwise in f64 (the same bits as
    /// [`Isa::add_row_f64`] row by row).
    #[inline]
    pub fn add_rows_f64(&self, acc: &mut [f64], rows: &[&[f32]], w: &[f64]) {
        assert_eq!(rows.len(), w.len());
        assert!(rows.iter().all(|r| r.len() == acc.len()));
        match self.add_rows_f64 {
            // SAFETY: the table only holds ISAs detected on this CPU; lengths checked above.
            Some(f) => unsafe { f(acc, rows, w) },
            None => {
                for (row, w) in rows.iter().zip(w) {
                    self.add_row_f64(acc, row, *w);
                }
            }
        }
    }
    #[inline]
    pub fn l2sq(&self, a: &[f32], b: &[f32]) -> f32 {
        debug_assert_eq!(a.len(), b.len());
        // SAFETY: the table only holds ISAs detected on this CPU (see `resolve`).
        unsafe { (self.l2sq)(a, b) }
    }
    #[inline]
    pub fn keys(&self, dots: &[f32], bias: &[f32], mult: &[f32], out: &mut [f32]) {
        assert!(bias.len() >= dots.len() && mult.len() >= dots.len() && out.len() >= dots.len());
        // SAFETY: the table only holds ISAs detected on this CPU; lengths checked above.
        unsafe { (self.keys)(dots, bias, mult, out) }
    }
    #[inline]
    pub fn argmin(
        &self,
        dots: &[f32],
        bias: &[f32],
        mult: &[f32],
        base: u32,
        best: &mut (f32, u32),
    ) {
        debug_assert!(bias.len() >= dots.len() && mult.len() >= dots.len());
        // SAFETY: the table only holds ISAs detected on this CPU; lengths checked above.
        unsafe { (self.argmin)(dots, bias, mult, base, best) }
    }
}

impl Isa {
    /// [`Isa::argmin`] that also keeps the running second-smallest key.
    #[inline]
    pub fn argmin2(
        &self,
        dots: &[f32],
        bias: &[f32],
        mult: &[f32],
        base: u32,
        best: &mut (f32, u32),
        second: &mut f32,
    ) {
        assert!(bias.len() >= dots.len() && mult.len() >= dots.len());
        // SAFETY: the table only holds ISAs detected on this CPU; lengths checked above.
        unsafe { (self.argmin2)(dots, bias, mult, base, best, second) }
    }
}

/// True when the CPU (and this build) can run `level`.
pub fn is_available(level: SimdLevel) -> bool {
    match level {
        SimdLevel::Scalar => true,
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512 => is_x86_feature_detected!("avx512f"),
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512Bf16 => {
            is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bf16")
        }
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512Amx => avx512_amx::amx_ready(),
        #[cfg(target_arch = "aarch64")]
        SimdLevel::Neon => std::arch::is_aarch64_feature_detected!("neon"),
        #[allow(unreachable_patterns)]
        _ => false,
    }
}

/// Every level this CPU can run, lowest first.
pub fn available_levels() -> Vec<SimdLevel> {
    SimdLevel::ALL
        .iter()
        .copied()
        .filter(|l| is_available(*l))
        .collect()
}

/// The level `auto` picks: the widest available (AMX tiles where the OS grants them), except
/// that AVX-512 BF16 without AMX is picked only where its dot product measurably outruns f32
/// FMAs (see `bf16_rate`); elsewhere plain AVX-512.
pub fn best_level() -> SimdLevel {
    let widest = *available_levels().last().unwrap_or(&SimdLevel::Scalar);
    #[cfg(target_arch = "x86_64")]
    if widest == SimdLevel::Avx512Bf16 && !bf16_rate::bf16_pays() {
        return SimdLevel::Avx512;
    }
    widest
}

/// The bf16 dot product's multiply-add rate over the f32 FMA's, measured once per process on
/// one thread; `None` where the CPU has no AVX-512 BF16.
pub fn bf16_speedup() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    return bf16_rate::bf16_speedup();
    #[cfg(not(target_arch = "x86_64"))]
    None
}

fn table(level: SimdLevel) -> &'static Isa {
    match level {
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx2 => &avx2::ISA,
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512 => &avx512::ISA,
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512Bf16 => &avx512_bf16::ISA,
        #[cfg(target_arch = "x86_64")]
        SimdLevel::Avx512Amx => &avx512_amx::ISA,
        #[cfg(target_arch = "aarch64")]
        SimdLevel::Neon => &neon::ISA,
        _ => &scalar::ISA,
    }
}

/// The level requested through `CLOSTERA_SIMD`, read once per process.
fn env_level() -> KernelResult<Option<SimdLevel>> {
    static ENV: OnceLock<Result<Option<SimdLevel>, KernelError>> = OnceLock::new();
    ENV.get_or_init(|| match std::env::var("CLOSTERA_SIMD") {
        Ok(v) => SimdLevel::parse(v.trim()).map_err(|e| KernelError {
            message: format!("CLOSTERA_SIMD: {}", e.message),
            ..e
        }),
        Err(_) => Ok(None),
    })
    .clone()
}

/// Picks the level for one call: an explicit request wins, then `CLOSTERA_SIMD`, then the best
/// available. Asking for a level the CPU lacks is an error, never a silent fallback.
pub fn resolve_level(requested: Option<SimdLevel>) -> KernelResult<SimdLevel> {
    let wanted = match requested {
        Some(level) => Some(level),
        None => env_level()?,
    };
    match wanted {
        None => Ok(best_level()),
        Some(level) if is_available(level) => Ok(level),
        Some(level) => Err(KernelError::new(
            ErrorCode::UnsupportedSimd,
            format!(
                "SIMD level {} is not available on this CPU or build",
                level.as_str()
            ),
        )
        .with_expected(
            available_levels()
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
        )
        .with_actual(level.as_str())),
    }
}

pub(crate) fn resolve(requested: Option<SimdLevel>) -> KernelResult<&'static Isa> {
    resolve_level(requested).map(table)
}

/// What `simdInfo()` reports.
#[derive(Clone, Debug)]
pub struct SimdInfo {
    pub in_use: SimdLevel,
    pub available: Vec<SimdLevel>,
    pub threads: usize,
    /// See [`bf16_speedup`].
    pub bf16_speedup: Option<f64>,
}

/// The level a call without an explicit request would use, the levels available and the
/// default thread count.
pub fn simd_info() -> KernelResult<SimdInfo> {
    Ok(SimdInfo {
        in_use: resolve_level(None)?,
        available: available_levels(),
        threads: crate::parallel::default_threads()?,
        bf16_speedup: bf16_speedup(),
    })
}

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_rows;
