//! Whether the AVX-512 BF16 dot product outruns f32 FMAs on this CPU, measured once per process.
//!
//! Why measure instead of trusting the feature flag: CPUs that have the instruction run it at
//! very different rates. On an AMD EPYC (Zen 5) VM `vdpbf16ps` issues as often as an f32 FMA and
//! does two multiply-adds per lane, twice the f32 rate (785-851 against 392-418 GFLOP/s at two
//! threads), and the bf16 screens made the large assignments faster. On an Intel Xeon VM (family
//! 6, model 167, with AMX) it ran at half the f32 rate (209 against 395 GFLOP/s), where the
//! same screens made a Fashion-MNIST k = 100 fit 49% slower (675 against 454 ms). The screened
//! kernels recompute every candidate in f32, so labels and centroids are the same either way (an
//! objective may differ in its tenth digit): the choice changes speed, not the clustering, and a
//! timing-based decision is safe.

use std::arch::x86_64::*;
use std::sync::OnceLock;
use std::time::Instant;

/// Independent accumulator chains: enough to cover either instruction's latency at two per cycle.
const CHAINS: usize = 12;
/// Instructions per chain in one timed run (about 25k instructions: 4-50 microseconds).
const ITERS: usize = 2048;
/// Timed runs of each kind, interleaved; the fastest of each counts (a preempted run only slows).
const RUNS: usize = 5;

/// The bf16 kernels are the default only when the bf16 dot product's multiply-add rate is at
/// least this multiple of the f32 FMA's: below it the screen's extra passes (bf16 conversion,
/// exact recompute of the candidates) cost more than the faster dot products save.
pub(crate) const MIN_SPEEDUP: f64 = 1.4;

/// # Safety
/// The CPU supports AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn fma_chains(iters: usize) -> f32 {
    let mut acc = [_mm512_set1_ps(0.0); CHAINS];
    let (a, b) = (_mm512_set1_ps(1.0), _mm512_set1_ps(2.0e-8));
    for _ in 0..iters {
        for v in acc.iter_mut() {
            *v = _mm512_fmadd_ps(*v, a, b);
        }
    }
    acc.iter().fold(0.0, |s, v| s + _mm512_reduce_add_ps(*v))
}

/// # Safety
/// The CPU supports AVX-512F and AVX-512 BF16.
#[target_feature(enable = "avx512f,avx512bf16")]
unsafe fn bf16_chains(iters: usize) -> f32 {
    let mut acc = [_mm512_set1_ps(0.0); CHAINS];
    // SAFETY: __m512i and __m512bh are both 512 bits: bf16 1.0 and 2^-24 in every lane.
    let (a, b): (__m512bh, __m512bh) = unsafe {
        (
            std::mem::transmute::<__m512i, __m512bh>(_mm512_set1_epi16(0x3f80)),
            std::mem::transmute::<__m512i, __m512bh>(_mm512_set1_epi16(0x3380)),
        )
    };
    for _ in 0..iters {
        for v in acc.iter_mut() {
            *v = _mm512_dpbf16_ps(*v, a, b);
        }
    }
    acc.iter().fold(0.0, |s, v| s + _mm512_reduce_add_ps(*v))
}

/// Seconds of the fastest of `RUNS` calls of `f`.
fn fastest(f: &dyn Fn() -> f32) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

/// The bf16 dot product's multiply-add rate over the f32 FMA's on this CPU (one thread).
///
/// # Safety
/// The CPU supports AVX-512F and AVX-512 BF16.
unsafe fn measured_speedup() -> f64 {
    // SAFETY: the caller guarantees both features.
    let (fma, bf16) = unsafe {
        // Warm both up (clocks, the upper halves of the vector units) before timing either.
        std::hint::black_box(fma_chains(ITERS));
        std::hint::black_box(bf16_chains(ITERS));
        let mut fma = f64::INFINITY;
        let mut bf16 = f64::INFINITY;
        for _ in 0..2 {
            fma = fma.min(fastest(&|| fma_chains(std::hint::black_box(ITERS))));
            bf16 = bf16.min(fastest(&|| bf16_chains(std::hint::black_box(ITERS))));
        }
        (fma, bf16)
    };
    // Each bf16 instruction does two multiply-adds per f32 lane, an FMA one.
    if bf16 > 0.0 {
        2.0 * fma / bf16
    } else {
        f64::INFINITY
    }
}

/// The measured speed-up, once per process; `None` when the CPU lacks AVX-512 BF16.
pub fn bf16_speedup() -> Option<f64> {
    static SPEEDUP: OnceLock<Option<f64>> = OnceLock::new();
    *SPEEDUP.get_or_init(|| {
        let present = is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bf16");
        // SAFETY: both features were just detected.
        present.then(|| unsafe { measured_speedup() })
    })
}

/// Whether `auto` should pick the bf16 kernels (see [`MIN_SPEEDUP`]).
pub(crate) fn bf16_pays() -> bool {
    bf16_speedup().is_some_and(|s| s >= MIN_SPEEDUP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::{available_levels, best_level, SimdLevel};

    #[test]
    fn auto_picks_bf16_only_where_it_measurably_pays() {
        let has_bf16 = available_levels().contains(&SimdLevel::Avx512Bf16);
        assert_eq!(bf16_speedup().is_some(), has_bf16);
        if let Some(s) = bf16_speedup() {
            // A rate ratio: finite and positive, and not absurd for one instruction against another.
            assert!(s.is_finite() && s > 0.05 && s < 20.0, "speed-up {s}");
            let expected = if available_levels().contains(&SimdLevel::Avx512Amx) {
                SimdLevel::Avx512Amx
            } else if s >= MIN_SPEEDUP {
                SimdLevel::Avx512Bf16
            } else {
                SimdLevel::Avx512
            };
            assert_eq!(best_level(), expected);
            eprintln!(
                "bf16 dot product: {s:.2}x the f32 FMA rate; auto picks {:?}",
                best_level()
            );
        } else {
            assert_eq!(Some(&best_level()), available_levels().last());
        }
    }

    #[test]
    fn the_timed_loops_compute_what_they_claim() {
        if !(is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bf16")) {
            eprintln!("no AVX-512 BF16 on this CPU: nothing to check");
            return;
        }
        // 16 lanes x 12 chains, each chain adding 2e-8 (f32) or 2 x 2^-24 (bf16 pairs) per step
        // from zero: after 3 steps, 3 x the increment per lane (no rounding at these magnitudes).
        // SAFETY: both features were just detected.
        let (f, b) = unsafe { (fma_chains(3), bf16_chains(3)) };
        let lanes = (16 * CHAINS) as f32;
        assert!(
            (f - lanes * 3.0 * 2.0e-8).abs() <= 1e-6 * f.abs(),
            "fma {f}"
        );
        let bf16_step = 2.0 * (1.0f32 / (1u32 << 24) as f32);
        assert!(
            (b - lanes * 3.0 * bf16_step).abs() <= 1e-5 * b.abs(),
            "bf16 {b}"
        );
    }
}
