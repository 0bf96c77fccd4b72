//! The blocked dot-product engine shared by every centroid pass: centroids are packed once per
//! call into panels of `nr`, rows are read in place `mr` at a time, and the ISA micro-kernel
//! fills an `rows x chunk` tile of dot products, one chunk of centroids at a time,
//! with the dimension loop cut into cache blocks of `dc`. Passes supply the epilogue that turns a
//! tile into labels, distances or top-L lists, so the n x k matrix is never materialised.

use crate::aligned::AlignedF32;
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::simd::Isa;

/// Centroids per chunk: a multiple of every ISA's `nr`, small enough that the tile stays in L2.
pub(crate) const K_CHUNK: usize = 512;

/// Rows per parallel block: a block's rows stay within ~512 KiB of L2. A multiple of every `mr`
/// (4, 6, 8, 12), and independent of the thread count so results are too.
pub(crate) fn row_block(d: usize) -> usize {
    let rows = (512 * 1024 / (4 * d.max(1))).clamp(24, 192);
    rows / 24 * 24
}

/// Rows screened in bf16 per call: four [`row_block`]s. The screen computes its tile a
/// `row_block` at a time (so it stays in L2), and the f32 recompute that follows reads each kept
/// panel once per call, so more rows read the f32 centroids fewer times: Fashion-MNIST k = 1000
/// (3.1 MB of centroids, nearly every panel kept by some row of a 144-row block) assigned in
/// 94-96 ms against 113-115 ms (eight or sixteen blocks: no faster).
pub(crate) fn screened_rows(d: usize) -> usize {
    4 * row_block(d)
}

/// Whether a call with `k` centroids of dimension `d` computes its dot products with
/// `dot_row` (one row against all centroids, row-major) instead of the panel micro-kernel: when
/// `k` is below one panel, the micro-kernel pads it up to `nr` and reads `mr` rows at once, and a
/// single streamed row lets the prefetcher reach full bandwidth (the pass is memory-bound there).
/// Every pass of one call decides from the call's full `k` (see [`PackedCentroids::with_layout`]),
/// so a pair's dot product has the same bits whichever pass or centroid subset computes it.
pub(crate) fn row_dots_pay(k: usize, d: usize, isa: &Isa) -> bool {
    k <= ROW_DOTS && k < isa.nr && d >= ROW_DOTS_MIN_D
}

/// Centroids per `dot_row` call.
pub(crate) const ROW_DOTS: usize = 16;

/// Below this dimension the horizontal sums of `dot_row` cost more than the padded panel.
const ROW_DOTS_MIN_D: usize = 64;

/// The centroid count `dot_row` is called with for `k` centroids: `k` itself. Padding it to a
/// multiple of 4 (k = 10 computed 12 dot products per row) cost a sixth more FMAs and centroid
/// loads on a pass that is compute-bound once its rows are in cache.
fn row_dots_kc(k: usize) -> usize {
    k.max(1)
}

/// `dot_row`'s layout of at most 16 centroids: chunks of `w` dimensions, each holding that chunk
/// of all `kc` centroids (zeros past `d` and for padding centroids).
pub(crate) fn interleave_row_dots(c: Matrix, w: usize) -> AlignedF32 {
    let (d, kc) = (c.d, row_dots_kc(c.n));
    let mut out = AlignedF32::zeros(d.div_ceil(w) * kc * w);
    for (q, row) in c.data.chunks_exact(d).enumerate() {
        for (j, v) in row.iter().enumerate() {
            out[(j / w) * kc * w + q * w + j % w] = *v;
        }
    }
    out
}

/// Rows `first .. first + len` of a matrix, interleaved for one `dot_row` call.
pub(crate) type RowDotChunk = (usize, usize, AlignedF32);

/// All rows of `c` in chunks of at most [`ROW_DOTS`], each interleaved for `dot_row` with the
/// ISA's `w` lanes: a row of other data then meets every row of `c` in one sweep per chunk.
pub(crate) fn row_dot_chunks(c: Matrix, w: usize) -> Vec<RowDotChunk> {
    (0..c.n)
        .step_by(ROW_DOTS)
        .map(|first| {
            let len = ROW_DOTS.min(c.n - first);
            let sub = Matrix {
                data: &c.data[first * c.d..(first + len) * c.d],
                n: len,
                d: c.d,
            };
            (first, len, interleave_row_dots(sub, w))
        })
        .collect()
}

/// Centroids in micro-kernel panels, with the per-centroid terms of the key
/// `key = bias + mult * dot` that every metric reduces to (smaller key = nearer).
pub(crate) struct PackedCentroids {
    pub data: AlignedF32,
    pub nr: usize,
    pub bias: Vec<f32>,
    pub mult: Vec<f32>,
    /// The centroids interleaved for `dot_row`, when the call uses it.
    rows: Option<AlignedF32>,
    /// Real centroids (the rest of `kpad` is padding).
    k: usize,
    /// bf16 screening data, for the fused assignments that use it (see [`PackedCentroids::screened`]).
    pub screen: Option<crate::tiling_bf16::PackedBf16>,
}

impl PackedCentroids {
    /// Packs `c` for `isa`, choosing the layout from `c`'s own `k` (see [`row_dots_pay`]).
    pub fn new(c: Matrix, metric: Metric, isa: &Isa) -> Self {
        Self::with_layout(c, metric, isa, row_dots_pay(c.n, c.d, isa))
    }

    /// Whether this set computes with `dot_tile` (pass it on to subsets of the same call).
    pub fn row_dots(&self) -> bool {
        self.rows.is_some()
    }

    /// Packs `c` for `isa`: panel `p` holds, for each dimension `j`, the `nr` values of
    /// centroids `p*nr .. p*nr+nr` (zeros past `k`, whose key is +inf so they never win). With
    /// `row_dots`, keeps `c` row-major instead (the panels stay empty).
    pub fn with_layout(c: Matrix, metric: Metric, isa: &Isa, row_dots: bool) -> Self {
        let (k, d, nr) = (c.n, c.d, isa.nr);
        let kpad = k.div_ceil(nr) * nr;
        let mut data = AlignedF32::default();
        let mut rows = None;
        if row_dots {
            rows = Some(interleave_row_dots(c, isa.row_lanes));
        } else {
            data = AlignedF32::zeros(kpad * d);
            for (i, row) in c.data.chunks_exact(d).enumerate() {
                let panel = &mut data[(i / nr) * d * nr..][..d * nr];
                let q = i % nr;
                for (j, v) in row.iter().enumerate() {
                    panel[j * nr + q] = *v;
                }
            }
        }
        let mut bias = vec![f32::INFINITY; kpad];
        let mut mult = vec![0.0f32; kpad];
        for i in 0..k {
            let row = c.row(i);
            let (b, m) = match metric {
                Metric::L2 => (isa.sqnorm(row), -2.0),
                Metric::Ip => (0.0, -1.0),
                Metric::Cos => (0.0, -1.0 / isa.sqnorm(row).sqrt()),
            };
            bias[i] = b;
            mult[i] = m;
        }
        PackedCentroids {
            data,
            nr,
            bias,
            mult,
            rows,
            k,
            screen: None,
        }
    }

    /// Adds bf16 screening data where the ISA and shape allow it (see
    /// [`crate::tiling_bf16::PackedBf16::new`]): fused assignments then recompute in f32 only
    /// the panels a row's error bounds keep, with the same results.
    pub fn screened(mut self, c: Matrix, isa: &Isa) -> Self {
        self.screen = crate::tiling_bf16::PackedBf16::new(c, &self, isa);
        self
    }

    pub fn kpad(&self) -> usize {
        self.bias.len()
    }
}

/// Per-thread scratch for one block of rows.
pub(crate) struct RowScratch {
    pub tile: AlignedF32,
    /// Set by a caller that wants the rows' squared norms: the row-major path then writes them
    /// to `norms` (one per row of the call) from the loop that reads the rows anyway, and sets
    /// `norms_ready`; panels leave it false.
    pub want_norms: bool,
    pub norms_ready: bool,
    pub norms: Vec<f32>,
    /// Buffers of the bf16 screen (`passes::assign_screened`).
    pub screen: crate::passes::assign_screened::ScreenScratch,
    /// Row pointers of the block (padded with `zeros`).
    ptrs: Vec<*const f32>,
    zeros: Vec<f32>,
}

// SAFETY: the raw pointers only ever point into the read-only data matrix or `zeros`, and a
// scratch is used by one thread at a time.
unsafe impl Send for RowScratch {}

impl RowScratch {
    pub fn new() -> Self {
        RowScratch {
            tile: AlignedF32::default(),
            want_norms: false,
            norms_ready: false,
            norms: Vec::new(),
            screen: Default::default(),
            ptrs: Vec::new(),
            zeros: Vec::new(),
        }
    }
}

/// Which rows of the data a block covers: a contiguous range, or a gathered list (for passes
/// that recompute only the rows their bounds could not settle).
#[derive(Clone, Copy)]
pub(crate) enum BlockRows<'a> {
    Range(usize, usize),
    Gather(&'a [u32]),
}

impl BlockRows<'_> {
    pub fn len(&self) -> usize {
        match self {
            BlockRows::Range(_, rows) => *rows,
            BlockRows::Gather(ids) => ids.len(),
        }
    }
    /// Rows `start .. start + len` of these rows.
    pub fn part(&self, start: usize, len: usize) -> BlockRows<'_> {
        match self {
            BlockRows::Range(r0, _) => BlockRows::Range(r0 + start, len),
            BlockRows::Gather(ids) => BlockRows::Gather(&ids[start..start + len]),
        }
    }
    #[inline]
    pub fn row_index(&self, r: usize) -> usize {
        match self {
            BlockRows::Range(r0, _) => r0 + r,
            BlockRows::Gather(ids) => ids[r] as usize,
        }
    }
}

/// For rows `r0 .. r0+rows`, calls `epilogue(chunk_start, chunk_len, tile, ldc)` once per chunk of
/// centroids, in increasing centroid order. Row `r` of the block has its dot products with
/// centroids `chunk_start ..` at `tile[r * ldc ..]`; entries past the real `k` are padding.
pub(crate) fn for_each_chunk(
    isa: &Isa,
    x: Matrix,
    r0: usize,
    rows: usize,
    pc: &PackedCentroids,
    scratch: &mut RowScratch,
    epilogue: impl FnMut(usize, usize, &[f32], usize),
) {
    for_each_chunk_of(isa, x, BlockRows::Range(r0, rows), pc, scratch, epilogue)
}

/// As [`for_each_chunk`] for any [`BlockRows`]; tile row `r` belongs to `which.row_index(r)`.
pub(crate) fn for_each_chunk_of(
    isa: &Isa,
    x: Matrix,
    which: BlockRows,
    pc: &PackedCentroids,
    scratch: &mut RowScratch,
    mut epilogue: impl FnMut(usize, usize, &[f32], usize),
) {
    let (mr, nr, d) = (isa.mr, isa.nr, x.d);
    debug_assert_eq!(nr, pc.nr);
    let rows = which.len();
    scratch.norms_ready = false;
    if rows == 0 {
        return;
    }
    if let Some(cents) = &pc.rows {
        return row_dot_chunk(isa, x, which, pc, cents, scratch, epilogue);
    }
    let micro = rows.div_ceil(mr);
    // Rows are read in place (packing them too was slower on every measured shape; see
    // `MicroKernelRows`); the last micro-panel is padded with a row of zeros.
    scratch.zeros.clear();
    scratch.zeros.resize(d, 0.0);
    scratch.ptrs.clear();
    for r in 0..micro * mr {
        scratch.ptrs.push(if r < rows {
            x.row(which.row_index(r)).as_ptr()
        } else {
            scratch.zeros.as_ptr()
        });
    }
    // The last micro-panel's rows alone where the ISA has a kernel for fewer than mr rows (the
    // same bits as the padded call): the short per-group lists of the Yinyang steps (a dozen rows
    // or so per block) otherwise spent about a third of their multiplies on zero rows.
    let partial = isa.bf16.map(|bk| bk.recompute_rows).filter(|_| rows % mr != 0);
    let kpad = pc.kpad();
    let mut chunk_start = 0;
    while chunk_start < kpad {
        let chunk = K_CHUNK.min(kpad - chunk_start);
        let ldc = chunk;
        scratch.tile.ensure_len(micro * mr * ldc);
        let mut j0 = 0;
        while j0 < d {
            let dc = isa.dc.min(d - j0);
            for p in 0..chunk / nr {
                let panel = (chunk_start / nr + p) * d * nr + j0 * nr;
                let b = pc.data[panel..panel + dc * nr].as_ptr();
                for m in 0..micro {
                    let c =
                        scratch.tile[m * mr * ldc + p * nr..][..(mr - 1) * ldc + nr].as_mut_ptr();
                    let rows_ptr = scratch.ptrs[m * mr..(m + 1) * mr].as_ptr();
                    match partial {
                        // SAFETY: as below, for the last micro-panel's rows % mr real rows only
                        // (1 to mr - 1, the count the kernel takes).
                        Some(kernel) if m + 1 == micro => unsafe {
                            kernel(rows_ptr, rows % mr, j0, b, dc, c, ldc, j0 > 0)
                        },
                        // SAFETY: mr row pointers of d floats each (data rows or `zeros`), b
                        // holds dc*nr, the c block is in bounds (slice above); `isa` was detected.
                        _ => unsafe { (isa.microkernel_rows)(rows_ptr, j0, b, dc, c, ldc, j0 > 0) },
                    }
                }
            }
            j0 += dc;
        }
        epilogue(chunk_start, chunk, &scratch.tile, ldc);
        chunk_start += chunk;
    }
}

/// [`for_each_chunk_of`] for a row-major centroid set (`k <= 16`, one chunk): one `dot_row`
/// per row, read in place; tile columns past `k` are zero (their key is +inf).
fn row_dot_chunk(
    isa: &Isa,
    x: Matrix,
    which: BlockRows,
    pc: &PackedCentroids,
    cents: &[f32],
    scratch: &mut RowScratch,
    mut epilogue: impl FnMut(usize, usize, &[f32], usize),
) {
    let (d, rows, kpad) = (x.d, which.len(), pc.kpad());
    let (k, kc) = (pc.k, row_dots_kc(pc.k));
    assert!(kc <= ROW_DOTS && cents.len() == d.div_ceil(isa.row_lanes) * kc * isa.row_lanes);
    let ldc = kpad;
    scratch.tile.resize_zeroed(rows * ldc);
    let with_norms = scratch.want_norms;
    scratch.norms.clear();
    let mut r = 0;
    // Two rows per call where the ISA has a pair kernel (the same bits as one at a time).
    if let Some(pair) = isa.dot_row_pair {
        while r + 2 <= rows {
            let ptrs = [
                x.row(which.row_index(r)).as_ptr(),
                x.row(which.row_index(r + 1)).as_ptr(),
            ];
            // SAFETY: both rows hold d floats and `cents` the interleaved layout for this ISA
            // (asserted); `isa` was detected on this CPU.
            let (dots, norms) = unsafe { pair(ptrs, cents.as_ptr(), kc, d, with_norms) };
            for (h, dots) in dots.iter().enumerate() {
                scratch.tile[(r + h) * ldc..(r + h) * ldc + k].copy_from_slice(&dots[..k]);
            }
            if with_norms {
                scratch.norms.extend_from_slice(&norms);
            }
            r += 2;
        }
    }
    for r in r..rows {
        let row = x.row(which.row_index(r));
        // SAFETY: `row` holds d floats and `cents` the interleaved layout for this ISA (asserted);
        // `isa` was detected on this CPU.
        let dots = unsafe {
            if with_norms {
                let (dots, norm) = (isa.dot_row_norm)(row.as_ptr(), cents.as_ptr(), kc, d);
                scratch.norms.push(norm);
                dots
            } else {
                (isa.dot_row)(row.as_ptr(), cents.as_ptr(), kc, d)
            }
        };
        scratch.tile[r * ldc..r * ldc + k].copy_from_slice(&dots[..k]);
    }
    scratch.norms_ready = with_norms;
    epilogue(0, kpad, &scratch.tile, ldc);
}
