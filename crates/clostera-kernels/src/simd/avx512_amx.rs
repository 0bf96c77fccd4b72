//! AVX-512 with AMX tiles for the bf16 screen's dot products (`tdpbf16ps`: a 12 x 16 block of
//! f32 sums gains 16 bf16 pairs per instruction). Everything else is the `avx512bf16` table:
//! the same conversions, margins, epilogue and f32 recompute, so labels and centroids are the
//! ones `avx512` gives.
//!
//! Why: on an Intel Xeon VM (family 6, model 167) `vdpbf16ps` runs at half the f32 FMA rate, so
//! the `avx512bf16` screen lost to plain f32, while one core's tile unit ran `tdpbf16ps` at
//! 3.2 TFLOP/s, 15 times its f32 FMA peak (206 GFLOP/s).
//!
//! Each lane of a tile sum follows the instruction's definition: pair after pair in order, in
//! f32 with round-to-nearest-even and subnormals flushed, as `vdpbf16ps` accumulates; the
//! screen's margin (`tiling_bf16.rs`) bounds the rounding of any summation order, and flushed
//! products by its subnormal term. Linux hands the tile state to a process only on request
//! (`arch_prctl(ARCH_REQ_XCOMP_PERM)`), asked once when the level is first probed.

use std::arch::asm;
use std::arch::x86_64::*;
use std::cell::Cell;
use std::sync::OnceLock;

use super::avx512::TABLE;
use super::bf16::Bf16Kernels;
use super::{Isa, SimdLevel};

/// Rows per micro-block (the f32 kernel's `mr`) and centroids per panel.
const MR: usize = 12;
const NR: usize = 32;
/// bf16 pairs per tile step: one 64-byte tile row.
const STEP: usize = 16;

static KERNELS: Bf16Kernels = Bf16Kernels {
    microkernel,
    // The Xeon with AMX ran `vdpbf16ps` at half the f32 FMA rate (`bf16_rate`), which made the
    // bf16-only seeding screen slower than none (Fashion-MNIST k = 1000: 1.59 s against 1.48 s).
    seed_screen_f32: true,
    // Measured there on Fashion-MNIST (70,000 rows against its first k, 2 threads, each case in
    // its own process, three runs), f32 against screened: best centroid only, k = 64 (2 panels)
    // 26.3-26.8 against 33.1-34.8 ms, k = 96 33.4-34.0 against 34.7-40.8, k = 192 57.5-57.9
    // against 42.4-44.0; with the runner-up, k = 64 33-35 against 47-50, k = 96 41-42 against
    // 52-54, k = 100 49.5-52.3 against 56-63, k = 160 59-61 against 61-62, k = 192 69.1-69.6
    // against 65.2-66.3.
    min_panels: 4,
    min_panels_top2: 6,
    ..super::avx512_bf16::KERNELS
};

pub(crate) static ISA: Isa = Isa {
    level: SimdLevel::Avx512Amx,
    bf16: Some(&KERNELS),
    ..TABLE
};

extern "C" {
    /// The C library's `syscall(2)` (std links the C library on Linux).
    fn syscall(number: i64, ...) -> i64;
}

/// Whether the CPU has AMX-TILE and AMX-BF16, the OS saves tile state, and this process was
/// granted it (asked once).
pub(crate) fn amx_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        if !(cfg!(target_os = "linux") && is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bf16") && is_x86_feature_detected!("xsave")) {
            return false;
        }
        // Leaf 7 exists on every CPU with AVX-512.
        let leaf7 = __cpuid_count(7, 0);
        let (amx_bf16, amx_tile) = (leaf7.edx >> 22 & 1 == 1, leaf7.edx >> 24 & 1 == 1);
        // SAFETY: xsave (hence xgetbv) was detected above.
        let xcr0 = unsafe { xcr0() };
        // XCR0 bits 17 and 18: the OS manages the tile configuration and data.
        if !(amx_bf16 && amx_tile && xcr0 >> 17 & 3 == 3) {
            return false;
        }
        // SAFETY: arch_prctl(ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18) only changes
        // this process's permitted state; 158 is SYS_arch_prctl on x86-64 Linux.
        unsafe { syscall(158, 0x1023i64, 18i64) == 0 }
    })
}

/// # Safety
/// The CPU supports XSAVE.
#[target_feature(enable = "xsave")]
unsafe fn xcr0() -> u64 {
    _xgetbv(0)
}

/// The tile palette every kernel call uses: tmm0/tmm1 hold the 12 x 16 sums of the panel's
/// two halves, tmm2 twelve rows of 16 pairs, tmm3/tmm4 16 pairs of each half's 16 centroids.
#[repr(C, align(64))]
struct TileConfig([u8; 64]);

fn tile_config() -> TileConfig {
    let mut c = [0u8; 64];
    c[0] = 1; // palette 1
    for (t, rows) in [MR, MR, MR, STEP, STEP].into_iter().enumerate() {
        c[16 + 2 * t] = 64; // bytes per tile row
        c[48 + t] = rows as u8;
    }
    TileConfig(c)
}

thread_local! {
    /// Whether this thread has loaded [`tile_config`] (tile state is per thread).
    static CONFIGURED: Cell<bool> = const { Cell::new(false) };
}

/// # Safety
/// [`amx_ready`] returned true.
unsafe fn configure_thread() {
    if !CONFIGURED.get() {
        let config = tile_config();
        // SAFETY: a valid palette-1 configuration, 64-byte aligned; the caller holds permission.
        unsafe { asm!("ldtilecfg [{0}]", in(reg) config.0.as_ptr(), options(nostack, readonly)) };
        CONFIGURED.set(true);
    }
}

/// The bf16 micro-kernel (see [`super::bf16::Bf16MicroKernel`]) on tiles: whole steps of 16
/// pairs in tiles, the last `dcp % 16` pairs with `vdpbf16ps` from the tile sums, then the
/// block is written (added when `accumulate`) as the AVX-512 BF16 kernel writes it.
///
/// # Safety
/// As the AVX-512 BF16 micro-kernel, plus: [`amx_ready`] returned true. Rows at one stride (the
/// screen pads a block with zero rows to whole micro-blocks) go through the tiles, others
/// through the AVX-512 BF16 kernel.
#[target_feature(enable = "avx512f,avx512bf16")]
unsafe fn microkernel(
    rows: *const *const u32,
    jp0: usize,
    b: *const u32,
    dcp: usize,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    // SAFETY: the caller passes MR row pointers.
    let ptrs: [*const u32; MR] = unsafe { std::array::from_fn(|r| (*rows.add(r)).add(jp0)) };
    let stride = (ptrs[1] as usize).wrapping_sub(ptrs[0] as usize);
    if !(1..MR).all(|r| ptrs[r] as usize == (ptrs[0] as usize).wrapping_add(r.wrapping_mul(stride))) {
        // Rows at no common stride cannot load as one tile: the vdpbf16ps kernel takes them.
        // SAFETY: the caller's guarantees are that kernel's.
        return unsafe { super::avx512_bf16::microkernel(rows, jp0, b, dcp, c, ldc, accumulate) };
    }
    let mut sums = [[0f32; NR]; MR];
    let full = dcp / STEP * STEP;
    // SAFETY: permission was granted (caller); every tile load reads 16 pairs (64 bytes) of rows
    // that hold jp0 + dcp pairs, or 16 pair rows of the panel, which holds dcp * NR pairs; the
    // stores write `sums`, MR rows of 128 bytes.
    unsafe {
        configure_thread();
        asm!("tilezero tmm0", "tilezero tmm1", options(nostack, nomem));
        let mut p = 0;
        while p < full {
            asm!(
                "tileloadd tmm2, [{a} + {sa}*1]",
                "tileloadd tmm3, [{b} + {sb}*1]",
                "tileloadd tmm4, [{b} + {sb}*1 + 64]",
                "tdpbf16ps tmm0, tmm2, tmm3",
                "tdpbf16ps tmm1, tmm2, tmm4",
                a = in(reg) ptrs[0].add(p),
                sa = in(reg) stride,
                b = in(reg) b.add(p * NR),
                sb = in(reg) NR * 4,
                options(nostack, readonly),
            );
            p += STEP;
        }
        asm!(
            "tilestored [{s} + {ss}*1], tmm0",
            "tilestored [{s} + {ss}*1 + 64], tmm1",
            s = in(reg) sums.as_mut_ptr(),
            ss = in(reg) NR * 4,
            options(nostack),
        );
    }
    for (r, sum) in sums.iter().enumerate() {
        // SAFETY: `sum` holds NR floats; pairs full..dcp lie in the row and the panel; row r of
        // the block lies inside the caller's tile; __m512i and __m512bh are both 512 bits.
        unsafe {
            let (mut v0, mut v1) = (_mm512_loadu_ps(sum.as_ptr()), _mm512_loadu_ps(sum.as_ptr().add(16)));
            for p in full..dcp {
                let a: __m512bh = std::mem::transmute(_mm512_set1_epi32(*ptrs[r].add(p) as i32));
                let b0: __m512bh = std::mem::transmute(_mm512_loadu_si512(b.add(p * NR) as *const _));
                let b1: __m512bh = std::mem::transmute(_mm512_loadu_si512(b.add(p * NR + 16) as *const _));
                v0 = _mm512_dpbf16_ps(v0, a, b0);
                v1 = _mm512_dpbf16_ps(v1, a, b1);
            }
            super::avx512_bf16::write_block_row(c.add(r * ldc), v0, v1, accumulate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::bf16::{convert_row_scalar, from_bf16};
    use crate::simd::tests::Rng;

    /// The tile kernel against the `vdpbf16ps` one and exact sums of the bf16 products, on rows
    /// at one stride (the tile path) and at none (the fallback), over whole and partial steps.
    #[test]
    fn tile_kernel_matches_the_avx512_bf16_kernel_and_exact_sums() {
        if !amx_ready() {
            eprintln!("skipped: no AMX-BF16 tiles on this CPU (or not granted by the OS)");
            return;
        }
        let mut rng = Rng(5);
        let dp = 300;
        let mut words = vec![0u32; (MR + 1) * dp];
        convert_row_scalar(&rng.f32s(2 * words.len()), &mut words);
        let mut panel = vec![0u32; dp * NR];
        convert_row_scalar(&rng.f32s(2 * panel.len()), &mut panel);
        let strided: Vec<*const u32> = (0..MR).map(|r| words[r * dp..].as_ptr()).collect();
        // Rows 0..MR-1 with the last one swapped for row MR: no common stride.
        let mut scattered = strided.clone();
        scattered[MR - 1] = words[MR * dp..].as_ptr();
        let half = |w: u32, h: usize| f64::from(from_bf16((w >> (16 * h)) as u16));
        for ptrs in [&strided, &scattered] {
            for (jp0, dcp) in [(0, 256), (0, 300), (256, 44), (0, 16), (3, 7), (10, 33)] {
                for accumulate in [false, true] {
                    let start: Vec<f32> = rng.f32s(MR * NR);
                    let (mut got, mut want) = (start.clone(), start.clone());
                    let b = panel[jp0 * NR..].as_ptr();
                    // SAFETY: MR pointers to dp >= jp0 + dcp pairs, the panel holds them, the
                    // tiles MR x NR; AMX was granted and the CPU has AVX512-BF16.
                    unsafe {
                        microkernel(ptrs.as_ptr(), jp0, b, dcp, got.as_mut_ptr(), NR, accumulate);
                        super::super::avx512_bf16::microkernel(ptrs.as_ptr(), jp0, b, dcp, want.as_mut_ptr(), NR, accumulate);
                    }
                    for r in 0..MR {
                        // SAFETY: each pointer addresses dp pairs.
                        let row = unsafe { std::slice::from_raw_parts(ptrs[r], dp) };
                        for q in 0..NR {
                            let (mut exact, mut mag) = (0.0f64, 0.0f64);
                            for p in jp0..jp0 + dcp {
                                for h in 0..2 {
                                    let t = half(row[p], h) * half(panel[p * NR + q], h);
                                    exact += t;
                                    mag += t.abs();
                                }
                            }
                            let base = if accumulate { f64::from(start[r * NR + q]) } else { 0.0 };
                            let g = f64::from(got[r * NR + q]);
                            let bound = (mag + base.abs()) * 2.0 * 2f64.powi(-24) * (2 * dcp + 1) as f64;
                            assert!((g - exact - base).abs() <= bound, "row {r} centroid {q} dcp {dcp}: {g} vs {}", exact + base);
                            let w = f64::from(want[r * NR + q]);
                            assert!((g - w).abs() <= bound, "row {r} centroid {q} dcp {dcp}: tiles {g} vs vdpbf16ps {w}");
                        }
                    }
                }
            }
        }
    }
}
