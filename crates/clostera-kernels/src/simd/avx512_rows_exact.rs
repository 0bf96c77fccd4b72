//! The AVX-512F f32 micro-kernel for fewer rows than `MR`: the bf16 screen recomputes a panel for
//! the few rows of a block that kept it (about seven of 168 on a Gaussian 768-d mixture with
//! k = 1024), and padding them to `MR = 12` with zero rows spent almost half of the recompute on
//! rows nobody reads.
//!
//! Each (row, centroid) entry is the same FMA chain as in `avx512::microkernel_rows` (one
//! accumulator per lane, dimensions in order from zero within the cache block, then added to
//! the tile), so it has the same bits whichever kernel computes it.

use std::arch::x86_64::*;

/// Centroids per panel (as `avx512::NR`).
const NR: usize = 32;

/// # Safety
/// The CPU supports AVX-512F; `rows` holds `nrows` (1 to 12) pointers, each to at least
/// `j0 + dc` floats; `b` holds `dc * 32` floats; `c` addresses an `nrows x 32` block with row
/// stride `ldc`.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn microkernel_rows_exact(
    rows: *const *const f32,
    nrows: usize,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    macro_rules! by_rows {
        ($($r:literal)+) => {
            match nrows {
                $($r => rows_r::<$r>(rows, j0, b, dc, c, ldc, accumulate),)+
                _ => unreachable!("nrows = {nrows} outside 1..=12"),
            }
        };
    }
    // SAFETY: forwards the caller's guarantees; each arm's R is `nrows`.
    unsafe { by_rows!(1 2 3 4 5 6 7 8 9 10 11 12) }
}

/// # Safety
/// As [`microkernel_rows_exact`] with `nrows = R` (`avx512::microkernel_rows` is `R = MR`).
#[target_feature(enable = "avx512f")]
#[inline]
pub(super) unsafe fn rows_r<const R: usize>(
    rows: *const *const f32,
    j0: usize,
    b: *const f32,
    dc: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    let mut acc = [[_mm512_setzero_ps(); 2]; R];
    // SAFETY: the caller passes R row pointers.
    let ptrs: [*const f32; R] = unsafe { std::array::from_fn(|r| (*rows.add(r)).add(j0)) };
    for j in 0..dc {
        // SAFETY: j < dc: panel reads stay in b, row reads within each row's j0 + dc floats.
        unsafe {
            let b0 = _mm512_loadu_ps(b.add(j * NR));
            let b1 = _mm512_loadu_ps(b.add(j * NR + 16));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let ar = _mm512_set1_ps(*ptrs[r].add(j));
                acc_r[0] = _mm512_fmadd_ps(ar, b0, acc_r[0]);
                acc_r[1] = _mm512_fmadd_ps(ar, b1, acc_r[1]);
            }
        }
    }
    for (r, acc_r) in acc.iter().enumerate() {
        // SAFETY: row r of the block lies inside the caller's tile.
        unsafe {
            let row = c.add(r * ldc);
            let (mut v0, mut v1) = (acc_r[0], acc_r[1]);
            if accumulate {
                v0 = _mm512_add_ps(v0, _mm512_loadu_ps(row));
                v1 = _mm512_add_ps(v1, _mm512_loadu_ps(row.add(16)));
            }
            _mm512_storeu_ps(row, v0);
            _mm512_storeu_ps(row.add(16), v1);
        }
    }
}
