//! The signatures of the primitives every ISA provides (the fields of [`super::Isa`]), each with
//! the contract its implementations share: what it computes, and which other primitive it must
//! match bit for bit.

/// The micro-kernel: `c[r*ldc + q] (+)= sum_j rows[r][j0 + j] * b[j*NR + q]` for an `MR x NR`
/// block over `dc` steps, the rows read in place and the centroids from a packed panel;
/// overwrites `c` when `accumulate` is false. (Packing the rows as well was measured slower on
/// every shape: its transposing copy cost about as much as one or two panels of multiplies.)
pub(crate) type MicroKernelRows = unsafe fn(
    rows: *const *const f32,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
);
/// Dot product of two equal-length slices.
pub(crate) type DotFn = unsafe fn(a: &[f32], b: &[f32]) -> f32;
/// Dot products of one slice with four others at once (the shared slice is loaded once per
/// chunk, so four products cost little more than one when loads are the bottleneck).
pub(crate) type Dot4Fn = unsafe fn(x: &[f32], c: [&[f32]; 4]) -> [f32; 4];
/// Dot products of one row (`d` floats) with `kc` (1 to 16) centroids stored
/// interleaved in chunks of the ISA's `row_lanes` `w`: element `j` of centroid `q` sits at
/// `cents[(j / w) * kc * w + q * w + j % w]`, zeros past `d` up to a multiple of `w` and for
/// padding centroids. `out[q]` (`q < kc`) equals `dot4(row, [centroid q, ..])[0]` bit for bit.
/// Used when `k` is small: the panel micro-kernel would pad `k` up to `nr`; here every load of a
/// step has a constant offset from one base and the centroids stay in L1.
pub(crate) type DotRowFn =
    unsafe fn(row: *const f32, cents: *const f32, kc: usize, d: usize) -> [f32; 16];
/// [`DotRowFn`] plus the row's squared norm, equal to the ISA's `dot(row, row)` bit for bit (so
/// to `Isa::sqnorm`). AVX-512 computes it in the same loop as the dot products (the row is
/// loaded once for both); the other ISAs call `dot_row`, then `dot`.
pub(crate) type DotRowNormFn =
    unsafe fn(row: *const f32, cents: *const f32, kc: usize, d: usize) -> ([f32; 16], f32);
/// [`DotRowFn`] (and, with `norms`, [`DotRowNormFn`]'s norms) for two rows at once: each
/// centroid chunk is loaded once for both rows. Entry `r` of each result equals what the
/// single-row form gives for `rows[r]`, bit for bit (norms are 0 without `norms`). Only ISAs
/// whose registers hold two rows' accumulators have one.
pub(crate) type DotRowPairFn = unsafe fn(
    rows: [*const f32; 2],
    cents: *const f32,
    kc: usize,
    d: usize,
    norms: bool,
) -> ([[f32; 16]; 2], [f32; 2]);
/// `acc[j] += w * row[j]` in f64 (`acc.len() == row.len()`). Each element is one f64 FMA or
/// one multiply and add: the product of two f32 values is exact in f64, so both round the same
/// and every ISA gives the same bits.
pub(crate) type AddRowF64Fn = unsafe fn(acc: &mut [f64], row: &[f32], w: f64);
/// [`AddRowF64Fn`] for several rows into one accumulator: `acc += w[r] * rows[r]` for each `r`
/// in order (every row holds `acc.len()` floats), with the same bits as one `add_row_f64` call
/// per row. The accumulator stays in registers across the rows, a slice of it at a time, so it
/// is loaded and stored once per call instead of once per row (the row-at-a-time loop was bound
/// by those stores: about 60 ns per 784-float row on AVX-512).
pub(crate) type AddRowsF64Fn = unsafe fn(acc: &mut [f64], rows: &[&[f32]], w: &[f64]);
/// Squared Euclidean distance of two equal-length slices.
pub(crate) type L2SqFn = unsafe fn(a: &[f32], b: &[f32]) -> f32;
/// `out[q] = bias[q] + mult[q] * dots[q]` (fused where the ISA has FMA, exactly as `argmin`
/// computes its keys, so top-L and assignment agree bit for bit).
pub(crate) type KeysFn = unsafe fn(dots: &[f32], bias: &[f32], mult: &[f32], out: &mut [f32]);
/// Running arg-min of `key[q] = bias[q] + mult[q] * dots[q]` over `dots.len()` entries whose
/// centroid indices start at `base`; updates `(best_key, best_index)` only on a strictly smaller
/// key, so ties keep the lowest index.
pub(crate) type ArgminFn =
    unsafe fn(dots: &[f32], bias: &[f32], mult: &[f32], base: u32, best: &mut (f32, u32));

/// [`ArgminFn`] that also keeps the running second-smallest key in `second` (over all entries
/// offered so far, across calls; a key equal to the best counts). The best and its index are
/// exactly what `argmin` gives.
pub(crate) type Argmin2Fn = unsafe fn(
    dots: &[f32],
    bias: &[f32],
    mult: &[f32],
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
);

/// For each row `r`: bit `c` of `out[r]` (for `c < n`, `n <= 32`) is set when `rows[r][c] <
/// t[r]` (`<=` with `inclusive`) or `rows[r][c]` is NaN; bits past `n` are clear. The candidate
/// filters of k-means++ seeding keep a pair on exactly these tests; every ISA gives the same
/// bits (comparisons, not arithmetic). Batched so the per-row work is a few instructions inside
/// the ISA's own loop, not a call.
pub(crate) type KeptMasksFn = unsafe fn(rows: &[*const f32], n: usize, t: &[f32], inclusive: bool, out: &mut [u32]);
