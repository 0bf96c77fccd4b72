//! Seeded data and brute-force f64 references shared by the pass tests.
#![allow(dead_code)]

use clostera_kernels::{Metric, PassOptions, SimdLevel};

/// SplitMix64: a tiny seeded generator so tests need no crates.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    pub fn f32s(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.unit() * 2.0 - 1.0).collect()
    }
}

pub const DIMS: [usize; 19] = [
    1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100, 128, 131, 384, 768, 784, 960, 1024, 2048,
];

/// The value a pass reports for one (row, centroid) pair, in f64.
pub fn value(metric: Metric, x: &[f32], c: &[f32]) -> f64 {
    let dot: f64 = x.iter().zip(c).map(|(a, b)| *a as f64 * *b as f64).sum();
    match metric {
        Metric::L2 => x
            .iter()
            .zip(c)
            .map(|(a, b)| (*a as f64 - *b as f64).powi(2))
            .sum(),
        Metric::Ip => dot,
        Metric::Cos => {
            let nx: f64 = x.iter().map(|v| (*v as f64).powi(2)).sum::<f64>().sqrt();
            let nc: f64 = c.iter().map(|v| (*v as f64).powi(2)).sum::<f64>().sqrt();
            dot / (nx * nc)
        }
    }
}

/// All values of row `x` against every centroid, ordered nearest first (ties to the lowest
/// index), as (index, value).
pub fn ranked(metric: Metric, x: &[f32], c: &[f32], d: usize) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = c
        .chunks_exact(d)
        .enumerate()
        .map(|(j, cj)| (j as u32, value(metric, x, cj)))
        .collect();
    all.sort_by(|a, b| {
        let ord = if metric == Metric::L2 {
            a.1.partial_cmp(&b.1)
        } else {
            b.1.partial_cmp(&a.1)
        };
        ord.unwrap().then(a.0.cmp(&b.0))
    });
    all
}

/// Tolerance for a value computed in f32 over `d` dimensions of magnitude about 1.
pub fn tol(d: usize) -> f64 {
    2e-5 * (d as f64).max(8.0)
}

pub fn simd_levels() -> Vec<SimdLevel> {
    clostera_kernels::simd::available_levels()
}

pub const METRICS: [Metric; 3] = [Metric::L2, Metric::Ip, Metric::Cos];

/// Seeded Gaussian-ish blobs: `k_true` centres, rows scattered around them.
pub fn blobs(n: usize, d: usize, k_true: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    let centres = rng
        .f32s(k_true * d)
        .iter()
        .map(|v| v * 5.0)
        .collect::<Vec<_>>();
    let mut x = Vec::with_capacity(n * d);
    for _ in 0..n {
        let c = (rng.next() % k_true as u64) as usize;
        for j in 0..d {
            let noise: f32 = (0..4).map(|_| rng.unit() - 0.5).sum();
            x.push(centres[c * d + j] + noise);
        }
    }
    x
}

/// Pass options with `t` threads and every other option at its default.
pub fn with_threads(t: usize) -> PassOptions<'static> {
    PassOptions {
        threads: Some(t),
        ..Default::default()
    }
}
