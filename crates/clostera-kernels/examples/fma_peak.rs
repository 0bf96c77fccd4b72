//! Measures this machine's FMA peak per SIMD level: `cargo run --release --example fma_peak --
//! [threads] [seconds]`. Each thread runs independent FMA chains on registers only (no memory
//! traffic), which saturates both FMA ports; peak = FMAs/s x lanes x 2 flops. Prints one JSON
//! line per available level (for `avx512bf16`, the bf16 dot-product instruction's rate, counting
//! its two multiply-adds per f32 lane as four flops). AVX2 runs 12 chains: with its two constants, 16 would need 18 of
//! the 16 ymm registers, and the spills made the loop store-forwarding bound (Zen 5: 110 GFLOP/s
//! measured against 179 reached by the assignment kernel itself).

use std::time::Instant;

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    pub const AVX2_CHAINS: usize = 12;
    pub const AVX512_CHAINS: usize = 16;

    #[target_feature(enable = "avx2,fma")]
    pub fn avx2(iters: u64) -> f32 {
        let mut acc = [_mm256_set1_ps(0.0); AVX2_CHAINS];
        let a = _mm256_set1_ps(0.999_999);
        let b = _mm256_set1_ps(1e-7);
        for _ in 0..iters {
            for v in acc.iter_mut() {
                *v = _mm256_fmadd_ps(*v, a, b);
            }
        }
        let mut s = _mm256_setzero_ps();
        for v in acc {
            s = _mm256_add_ps(s, v);
        }
        _mm256_cvtss_f32(s)
    }

    #[target_feature(enable = "avx512f")]
    pub fn avx512(iters: u64) -> f32 {
        let mut acc = [_mm512_set1_ps(0.0); AVX512_CHAINS];
        let a = _mm512_set1_ps(0.999_999);
        let b = _mm512_set1_ps(1e-7);
        for _ in 0..iters {
            for v in acc.iter_mut() {
                *v = _mm512_fmadd_ps(*v, a, b);
            }
        }
        let mut s = _mm512_setzero_ps();
        for v in acc {
            s = _mm512_add_ps(s, v);
        }
        _mm512_reduce_add_ps(s)
    }

    #[target_feature(enable = "avx512f,avx512bf16")]
    pub fn avx512_bf16(iters: u64) -> f32 {
        let mut acc = [_mm512_set1_ps(0.0); AVX512_CHAINS];
        // SAFETY: __m512i and __m512bh are both 512 bits. bf16 1.0 and 2^-24.
        let (a, b): (__m512bh, __m512bh) = unsafe {
            (
                std::mem::transmute(_mm512_set1_epi16(0x3f80)),
                std::mem::transmute(_mm512_set1_epi16(0x3380)),
            )
        };
        for _ in 0..iters {
            for v in acc.iter_mut() {
                *v = _mm512_dpbf16_ps(*v, a, b);
            }
        }
        let mut s = _mm512_setzero_ps();
        for v in acc {
            s = _mm512_add_ps(s, v);
        }
        _mm512_reduce_add_ps(s)
    }
}

fn measure(name: &str, lanes: u64, chains: usize, threads: usize, seconds: f64, f: fn(u64) -> f32) {
    let iters = 2_000_000u64;
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| std::hint::black_box(f(std::hint::black_box(iters))));
            }
        });
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let flops = rounds as f64 * threads as f64 * iters as f64 * chains as f64 * lanes as f64 * 2.0;
    println!(
        "{{\"level\":\"{name}\",\"threads\":{threads},\"gflops\":{:.1}}}",
        flops / secs / 1e9
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: usize = args.get(1).map_or(2, |v| v.parse().unwrap());
    let seconds: f64 = args.get(2).map_or(1.0, |v| v.parse().unwrap());
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            // SAFETY: AVX2 and FMA were detected just above.
            measure("avx2", 8, x86::AVX2_CHAINS, threads, seconds, |n| unsafe {
                x86::avx2(n)
            });
        }
        if is_x86_feature_detected!("avx512f") {
            // SAFETY: AVX-512F was detected just above.
            measure(
                "avx512",
                16,
                x86::AVX512_CHAINS,
                threads,
                seconds,
                |n| unsafe { x86::avx512(n) },
            );
        }
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bf16") {
            // SAFETY: AVX-512F and AVX512-BF16 were detected just above. 32 lanes of pairs: each
            // instruction is 16 lanes x 2 products x 2 flops.
            measure(
                "avx512bf16",
                32,
                x86::AVX512_CHAINS,
                threads,
                seconds,
                |n| unsafe { x86::avx512_bf16(n) },
            );
        }
    }
    let _ = (threads, seconds);
}
