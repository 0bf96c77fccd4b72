//! AVX-512 with the bf16 dot-product instruction (`vdpbf16ps`: two bf16 products per f32 lane,
//! twice the multiply-adds of an f32 FMA per instruction; measured on Zen 5 at 2 threads: 836
//! GFLOP/s against 407 for f32 FMAs). Every f32 primitive is the AVX-512F one, so results are
//! the same bits; the bf16 table only adds the screening a fused assignment may use.

use std::arch::x86_64::*;

use super::avx512::TABLE;
use super::bf16::{convert_row_scalar, Bf16Kernels};
use super::{Isa, SimdLevel};

const MR: usize = 12;
const NR: usize = 32;

pub(super) const KERNELS: Bf16Kernels = Bf16Kernels {
    // 32 centroids x 256 pairs x 4 bytes = 32 KiB: one bf16 panel block stays in L1, as the f32
    // kernel's 256 dimensions do.
    dcp: 256,
    convert_row,
    microkernel,
    screen_panels: super::avx512_bf16_screen::screen_panels,
    dot_rows: super::avx512_bf16_rows::dot_rows,
    dot_rows_f32: super::avx512_mixed_rows::dot_rows_f32,
    // Zen 5 runs `vdpbf16ps` at twice the f32 FMA rate (see the module comment).
    seed_screen_f32: false,
    // Every shape `PackedBf16` screens (two panels and up).
    min_panels: 2,
    min_panels_top2: 2,
    recompute_rows: super::avx512_rows_exact::microkernel_rows_exact,
};

pub(crate) static ISA: Isa = Isa {
    level: SimdLevel::Avx512Bf16,
    bf16: Some(&KERNELS),
    ..TABLE
};

/// # Safety
/// The CPU supports AVX-512F and AVX512-BF16; `dst` holds at least `src.len().div_ceil(2)`.
#[target_feature(enable = "avx512f,avx512bf16")]
unsafe fn convert_row(src: &[f32], dst: &mut [u32]) -> f32 {
    let n = src.len();
    assert!(dst.len() >= n.div_ceil(2));
    let tiny = _mm512_set1_ps(f32::MIN_POSITIVE);
    let mut err = _mm512_setzero_ps();
    let mut i = 0;
    // SAFETY: loads read 16 floats at i <= n - 16; stores write 8 pairs at i / 2, inside dst
    // because i + 16 <= n implies i / 2 + 8 <= n.div_ceil(2).
    unsafe {
        while i + 16 <= n {
            let v = _mm512_loadu_ps(src.as_ptr().add(i));
            let small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(_mm512_abs_ps(v), tiny);
            let h = _mm512_cvtneps_pbh(_mm512_mask_mov_ps(v, small, _mm512_setzero_ps()));
            let hi: __m256i = std::mem::transmute(h);
            let back = _mm512_castsi512_ps(_mm512_slli_epi32::<16>(_mm512_cvtepu16_epi32(hi)));
            let e = _mm512_sub_ps(v, back);
            err = _mm512_fmadd_ps(e, e, err);
            _mm256_storeu_si256(dst.as_mut_ptr().add(i / 2) as *mut __m256i, hi);
            i += 16;
        }
    }
    // i is even here: the tail starts a pair.
    _mm512_reduce_add_ps(err) + convert_row_scalar(&src[i..], &mut dst[i / 2..])
}

/// # Safety
/// The CPU supports AVX-512F and AVX512-BF16; `rows` holds `MR` pointers, each to at least
/// `jp0 + dcp` pairs; `b` holds `dcp * NR` pairs; `c` addresses an `MR x NR` block with row
/// stride `ldc`.
#[target_feature(enable = "avx512f,avx512bf16")]
pub(super) unsafe fn microkernel(
    rows: *const *const u32,
    jp0: usize,
    b: *const u32,
    dcp: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    let mut acc = [[_mm512_setzero_ps(); 2]; MR];
    // SAFETY: the caller passes MR row pointers.
    let ptrs: [*const u32; MR] = unsafe { std::array::from_fn(|r| (*rows.add(r)).add(jp0)) };
    for p in 0..dcp {
        // SAFETY: p < dcp: panel reads stay in b, row reads within each row's jp0 + dcp pairs;
        // __m512i and __m512bh are both 512 bits.
        unsafe {
            let b0: __m512bh = std::mem::transmute(_mm512_loadu_si512(b.add(p * NR) as *const _));
            let b1: __m512bh =
                std::mem::transmute(_mm512_loadu_si512(b.add(p * NR + 16) as *const _));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let a: __m512bh = std::mem::transmute(_mm512_set1_epi32(*ptrs[r].add(p) as i32));
                acc_r[0] = _mm512_dpbf16_ps(acc_r[0], a, b0);
                acc_r[1] = _mm512_dpbf16_ps(acc_r[1], a, b1);
            }
        }
    }
    for (r, acc_r) in acc.iter().enumerate() {
        // SAFETY: row r of the block lies inside the caller's tile.
        unsafe { write_block_row(c.add(r * ldc), acc_r[0], acc_r[1], accumulate) };
    }
}

/// Writes one row of a micro-kernel block (its `NR` sums as two vectors), adding the row's
/// previous values first when `accumulate`.
///
/// # Safety
/// The CPU supports AVX-512F; `row` addresses `NR` floats.
#[target_feature(enable = "avx512f")]
#[inline]
pub(super) unsafe fn write_block_row(row: *mut f32, v0: __m512, v1: __m512, accumulate: bool) {
    // SAFETY: `row` holds NR = 32 floats (caller's contract).
    unsafe {
        let (mut v0, mut v1) = (v0, v1);
        if accumulate {
            v0 = _mm512_add_ps(v0, _mm512_loadu_ps(row));
            v1 = _mm512_add_ps(v1, _mm512_loadu_ps(row.add(16)));
        }
        _mm512_storeu_ps(row, v0);
        _mm512_storeu_ps(row.add(16), v1);
    }
}
