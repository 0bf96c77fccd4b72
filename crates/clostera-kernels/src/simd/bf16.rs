//! bf16 screening: the primitives an ISA with a bf16 dot-product instruction provides so that a
//! fused assignment can rank centroids at twice the f32 rate and recompute in f32 only the few a
//! rigorous error bound cannot rule out (see `passes::assign_screened`).
//!
//! Rows and centroids are rounded to bf16 (8 significant bits) and stored in pairs: one `u32`
//! holds elements `2j` (low half) and `2j + 1` (high half), the layout the instruction reads.
//! Values below `f32::MIN_POSITIVE` are flushed to zero first, because the instruction treats
//! bf16 subnormals as zero: the rounding error each conversion reports then covers everything
//! the instruction will not see.

/// Converts one row of `d` floats to `d.div_ceil(2)` bf16 pairs in `dst` (a zero fills the odd
/// last half) and returns the squared norm of the rounding error `|x - bf16(x)|^2`, summed in
/// f32 (its own rounding is covered by the screen's safety factor).
pub(crate) type ConvertRowFn = unsafe fn(src: &[f32], dst: &mut [u32]) -> f32;

/// The bf16 micro-kernel: `c[r*ldc + q] (+)= sum_{p < dcp} dot2(rows[r][jp0 + p], b[p*NR + q])`
/// for an `MR x NR` block, where `dot2` is the two-element bf16 product of one pair each,
/// accumulated in f32; overwrites `c` when `accumulate` is false.
pub(crate) type Bf16MicroKernel = unsafe fn(
    rows: *const *const u32,
    jp0: usize,
    b: *const u32,
    dcp: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
);

/// Dot products of `nrows` (1 to 3) rows of `dp` bf16 pairs with `kc <= 16` candidates stored in
/// chunks of 16 pairs: candidate `q`'s pair `16 h + l` at `cents[(h * kc + q) * 16 + l]` (zeros
/// past `dp`); accumulated in f32, entry `[r][q]` for row `r` and candidate `q` (zero past `kc`).
/// The `dp` pairs at each of `ahead` (rows scored next; never dereferenced, any address will do)
/// are prefetched as the loop goes.
pub(crate) type Bf16DotRowsFn = unsafe fn(
    rows: [*const u32; 3],
    nrows: usize,
    cents: *const u32,
    kc: usize,
    dp: usize,
    ahead: [*const u32; 3],
) -> [[f32; 16]; 3];

/// As [`Bf16DotRowsFn`] with the candidates in f32 (never rounded): per chunk of 16 pairs,
/// candidate `q`'s 16 even dimensions then its 16 odd ones, dimension `2 (16 h + l) + e` at
/// `cents[(h * kc + q) * 32 + 16 e + l]` (zeros past `d`). Products are f32 FMAs of the widened
/// bf16 rows, accumulated in f32.
pub(crate) type Bf16F32DotRowsFn = unsafe fn(
    rows: [*const u32; 3],
    nrows: usize,
    cents: *const f32,
    kc: usize,
    dp: usize,
    ahead: [*const u32; 3],
) -> [[f32; 16]; 3];

/// The [`Bf16F32DotRowsFn`] layout of `kc` candidates of `d` floats each (`row(q)` gives one).
pub(crate) fn dot_rows_f32_layout<'a>(kc: usize, d: usize, row: impl Fn(usize) -> &'a [f32]) -> Vec<f32> {
    let chunks = d.div_ceil(2).div_ceil(DOT_ROWS_CHUNK);
    let mut out = vec![0f32; chunks * kc * 2 * DOT_ROWS_CHUNK];
    for q in 0..kc {
        for (j, v) in row(q).iter().enumerate().take(d) {
            let (p, e) = (j / 2, j % 2);
            let (h, l) = (p / DOT_ROWS_CHUNK, p % DOT_ROWS_CHUNK);
            out[((h * kc + q) * 2 + e) * DOT_ROWS_CHUNK + l] = *v;
        }
    }
    out
}

/// Pairs per chunk of the [`Bf16DotRowsFn`] layout.
pub(crate) const DOT_ROWS_CHUNK: usize = 16;

/// The [`Bf16DotRowsFn`] layout of `kc` candidates of `dp` pairs each (`pairs(q)` gives one).
pub(crate) fn dot_rows_layout<'a>(kc: usize, dp: usize, pairs: impl Fn(usize) -> &'a [u32]) -> Vec<u32> {
    let chunks = dp.div_ceil(DOT_ROWS_CHUNK);
    let mut out = vec![0u32; chunks * kc * DOT_ROWS_CHUNK];
    for q in 0..kc {
        for (p, w) in pairs(q).iter().enumerate().take(dp) {
            let (h, l) = (p / DOT_ROWS_CHUNK, p % DOT_ROWS_CHUNK);
            out[(h * kc + q) * DOT_ROWS_CHUNK + l] = *w;
        }
    }
    out
}

/// One row against `lower_panels.len()` consecutive panels of `NR` centroids: from the
/// approximate dot products `dots`, each centroid's key `bias + mult * dot` and error margin
/// `alpha * xn + beta * ex + konst` (`xn` the row's norm, `ex` the norm of its rounding error);
/// writes each panel's smallest `key - margin` to `lower_panels` (NaN counts as -inf, so such a
/// panel is always recomputed) and folds every `key + margin` into the running two smallest
/// upper bounds `upper` (NaN ignored). With `lower_out` (as long as `dots`), each centroid's
/// `key - margin` is also stored there (NaN as -inf).
pub(crate) type ScreenPanelsFn = unsafe fn(
    dots: &[f32],
    terms: PanelTerms,
    xn: f32,
    ex: f32,
    upper: &mut [f32; 2],
    lower_out: Option<&mut [f32]>,
    lower_panels: &mut [f32],
);

/// The per-centroid slices of the panels [`ScreenPanelsFn`] reads (each as long as its `dots`).
#[derive(Clone, Copy)]
pub(crate) struct PanelTerms<'a> {
    pub bias: &'a [f32],
    pub mult: &'a [f32],
    pub alpha: &'a [f32],
    pub beta: &'a [f32],
    pub konst: &'a [f32],
}

/// The f32 micro-kernel of the ISA for exactly `nrows` rows (1 to `mr`): each entry has the bits
/// the ISA's `microkernel_rows` gives it, without zero rows padding the block to `mr`.
#[allow(clippy::type_complexity)]
pub(crate) type MicroKernelRowsExact = unsafe fn(
    rows: *const *const f32,
    nrows: usize,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
);

/// The table of bf16 primitives (present only on ISAs with the instruction).
pub(crate) struct Bf16Kernels {
    /// Dimension pairs per cache block of the micro-kernel.
    pub dcp: usize,
    pub convert_row: ConvertRowFn,
    pub microkernel: Bf16MicroKernel,
    pub screen_panels: ScreenPanelsFn,
    pub dot_rows: Bf16DotRowsFn,
    /// bf16 rows against f32 candidates, at the f32 FMA rate.
    pub dot_rows_f32: Bf16F32DotRowsFn,
    /// Whether the k-means++ screen scores with [`Bf16Kernels::dot_rows_f32`] rather than
    /// [`Bf16Kernels::dot_rows`]: where the bf16 instruction is no faster than f32 FMAs.
    pub seed_screen_f32: bool,
    /// Fewest panels of centroids a fused assignment screens (it runs in f32 below), for the
    /// best centroid alone and with the runner-up (which keeps more panels to recompute).
    pub min_panels: usize,
    pub min_panels_top2: usize,
    /// Recomputes kept panels in f32 (the screen's second phase).
    pub recompute_rows: MicroKernelRowsExact,
}

/// `v` rounded to bf16 (nearest, ties to even), after flushing magnitudes below
/// `f32::MIN_POSITIVE` to zero; NaN stays NaN. The scalar rule packing uses for centroids and
/// row tails (any rounding would do: the error each conversion leaves is measured, not assumed).
pub(crate) fn to_bf16(v: f32) -> u16 {
    if v.is_nan() {
        return ((v.to_bits() >> 16) | 0x40) as u16;
    }
    let v = if v.abs() < f32::MIN_POSITIVE { 0.0 } else { v };
    let bits = v.to_bits();
    let rounded = bits.wrapping_add(0x7FFF + ((bits >> 16) & 1));
    (rounded >> 16) as u16
}

/// The f32 value of a bf16.
#[inline]
pub(crate) fn from_bf16(h: u16) -> f32 {
    f32::from_bits(u32::from(h) << 16)
}

/// One pair of bf16 values in the layout the micro-kernel reads.
#[inline]
pub(crate) fn pack_pair(lo: u16, hi: u16) -> u32 {
    u32::from(lo) | (u32::from(hi) << 16)
}

/// Scalar [`ConvertRowFn`]: the reference the ISA versions are tested against.
pub(crate) fn convert_row_scalar(src: &[f32], dst: &mut [u32]) -> f32 {
    let mut err = 0.0f32;
    for (p, out) in dst.iter_mut().enumerate().take(src.len().div_ceil(2)) {
        let lo = src[2 * p];
        let hi = src.get(2 * p + 1).copied().unwrap_or(0.0);
        let (bl, bh) = (to_bf16(lo), to_bf16(hi));
        let (el, eh) = (lo - from_bf16(bl), hi - from_bf16(bh));
        err += el * el + eh * eh;
        *out = pack_pair(bl, bh);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_nearest_even_with_flushed_subnormals() {
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1).
        assert_eq!(from_bf16(to_bf16(1.0 + 2f32.powi(-8))), 1.0);
        // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: even is 1 + 2^-6.
        assert_eq!(from_bf16(to_bf16(1.0 + 3.0 * 2f32.powi(-8))), 1.0 + 2f32.powi(-6));
        assert_eq!(from_bf16(to_bf16(-3.0)), -3.0);
        assert_eq!(from_bf16(to_bf16(1e-39)), 0.0);
        assert!(from_bf16(to_bf16(f32::NAN)).is_nan());
        for v in [0.1f32, 255.0, 1e30, -7.25e-20] {
            let r = from_bf16(to_bf16(v));
            assert!((r - v).abs() <= v.abs() * 2f32.powi(-8), "{v} -> {r}");
        }
    }

    #[test]
    fn scalar_conversion_reports_its_exact_rounding_error() {
        let src: Vec<f32> = (0..9).map(|i| 0.3 * i as f32 - 1.1).collect();
        let mut dst = vec![0u32; 5];
        let err = convert_row_scalar(&src, &mut dst);
        let mut want = 0.0f64;
        for (j, v) in src.iter().enumerate() {
            let h = (dst[j / 2] >> (16 * (j % 2))) as u16;
            want += f64::from(v - from_bf16(h)).powi(2);
        }
        assert!((f64::from(err) - want).abs() <= want * 1e-5);
        assert_eq!(dst[4] >> 16, 0, "the odd last half is zero");
    }
}
