//! The bf16 screen against the plain f32 pass: the same bits on seeded data built to stress it
//! (exact ties, 1-ulp near ties, bf16-exact integers, wide dynamic range with subnormals, rows
//! too large to screen) and its error margin containing every exact key (the kernels against
//! scalar references are in `assign_screened_kernel_tests.rs`). Skipped, with a message, on CPUs
//! without AVX512-BF16.

use super::*;
use crate::metric::Metric;
use crate::passes::assign::plain_best;
use crate::simd::tests::Rng;
use crate::simd::{is_available, resolve, SimdLevel};
use crate::tiling::{for_each_chunk, RowScratch};

/// Every level with bf16 screen kernels this CPU runs (`avx512bf16`, and `avx512amx` with AMX).
pub(super) fn bf16_isas() -> Vec<&'static Isa> {
    let levels: Vec<_> = [SimdLevel::Avx512Bf16, SimdLevel::Avx512Amx]
        .into_iter()
        .filter(|l| is_available(*l))
        .collect();
    if levels.is_empty() {
        eprintln!("skipped: this CPU has no AVX512-BF16, the bf16 screen cannot run here");
    }
    levels
        .into_iter()
        .map(|l| resolve(Some(l)).unwrap())
        .collect()
}

/// Rows around `k` centres (uniform in [-scale, scale]) with noise `spread * scale`, and
/// centroids near the centres.
fn mixture(
    rng: &mut Rng,
    n: usize,
    d: usize,
    k: usize,
    scale: f32,
    spread: f32,
) -> (Vec<f32>, Vec<f32>) {
    let centres: Vec<f32> = rng.f32s(k * d).iter().map(|v| v * scale).collect();
    let mut x = Vec::with_capacity(n * d);
    for i in 0..n {
        let c = (rng.next() as usize + i) % k;
        let noise = rng.f32s(d);
        x.extend((0..d).map(|j| centres[c * d + j] + noise[j] * spread * scale));
    }
    let jitter = rng.f32s(k * d);
    let c = centres
        .iter()
        .zip(&jitter)
        .map(|(a, b)| a + b * 0.05 * spread * scale)
        .collect();
    (x, c)
}

/// Every case the equality test runs: (name, d, rows, centroids).
fn cases() -> Vec<(&'static str, usize, Vec<f32>, Vec<f32>)> {
    let mut rng = Rng(17);
    let mut out = Vec::new();
    for (d, k) in [(768, 1024), (33, 70), (131, 65), (128, 256), (64, 96)] {
        let (x, c) = mixture(&mut rng, 150, d, k, 1.0, 0.3);
        out.push(("mixture", d, x, c));
    }
    // More rows than one `row_block`: the screen's tile covers them in parts (the last partial).
    for (n, d, k) in [(400, 768, 96), (450, 131, 65)] {
        let (x, c) = mixture(&mut rng, n, d, k, 1.0, 0.3);
        assert!(n > crate::tiling::row_block(d));
        out.push(("several tiles", d, x, c));
    }
    let (x, c) = mixture(&mut rng, 120, 300, 200, 1.0, 3.0);
    out.push(("overlapping", 300, x, c));
    // bf16-exact integer pixels; centroids are means (not exact).
    let d = 784;
    let x: Vec<f32> = (0..100 * d).map(|_| (rng.next() % 256) as f32).collect();
    let c: Vec<f32> = (0..64 * d)
        .map(|j| (x[j % (100 * d)] + x[(j * 7) % (100 * d)] + x[(j * 13) % (100 * d)]) / 3.0)
        .collect();
    out.push(("pixels", d, x, c));
    // Exact and 1-ulp ties: duplicated centroids, rows equal to centroids.
    let d = 96;
    let (_, base) = mixture(&mut rng, 1, d, 40, 1.0, 0.3);
    let mut c = base.clone();
    c.extend_from_slice(&base[..20 * d]);
    c.extend(base[20 * d..40 * d].iter().map(|v| v.next_up()));
    let mut x: Vec<f32> = base[..30 * d].to_vec();
    x.extend(base[..30 * d].iter().map(|v| v.next_down()));
    out.push(("ties", d, x, c));
    // Wide dynamic range: magnitudes 1e-30 .. 1e12 with subnormals sprinkled in.
    let d = 40;
    let wide = |rng: &mut Rng, n: usize| -> Vec<f32> {
        (0..n * d)
            .map(|j| {
                let e = (rng.next() % 43) as i32 - 30;
                let v = rng.f32s(1)[0] * 10f32.powi(e);
                if j % 11 == 0 {
                    1e-40
                } else {
                    v
                }
            })
            .collect()
    };
    let (x, c) = (wide(&mut rng, 90), wide(&mut rng, 70));
    out.push(("wide", d, x, c));
    // Rows above the screen's norm limit (recomputed in full) among ordinary ones.
    let (mut x, c) = mixture(&mut rng, 60, 40, 80, 1.0, 0.5);
    for v in x[..10 * 40].iter_mut() {
        *v *= 3e17;
    }
    out.push(("huge rows", 40, x, c));
    out
}

#[test]
fn screened_assignment_has_the_plain_bits() {
    for isa in bf16_isas() {
        let bk = isa.bf16.unwrap();
        let mut screened_any = false;
        for (name, d, xs, cs) in cases() {
            let (x, c) = (
                Matrix::new(&xs, d, "x").unwrap(),
                Matrix::new(&cs, d, "c").unwrap(),
            );
            for metric in [Metric::L2, Metric::Ip, Metric::Cos] {
                for top2 in [false, true] {
                    let pc = PackedCentroids::new(c, metric, isa);
                    let mut scratch = RowScratch::new();
                    let n = x.n;
                    let (mut best, mut second, mut terms) = (
                        vec![(f32::INFINITY, 0u32); n],
                        vec![f32::INFINITY; n],
                        Vec::new(),
                    );
                    let which = BlockRows::Range(0, n);
                    plain_best(
                        isa,
                        x,
                        which,
                        &pc,
                        metric,
                        &mut scratch,
                        &mut best,
                        &mut second,
                        top2,
                        &mut terms,
                    );
                    let mut pc = pc;
                    pc.screen = PackedBf16::any_shape(c, &pc, isa);
                    let Some(pb) = pc.screen.as_ref() else {
                        panic!("{name}: d = {d}, k = {} should be screened", c.n)
                    };
                    let mut s = ScreenScratch::default();
                    let (mut sbest, mut ssecond, mut sterms) = (
                        vec![(f32::INFINITY, 0u32); n],
                        vec![f32::INFINITY; n],
                        Vec::new(),
                    );
                    let out = ScreenOut {
                        best: &mut sbest,
                        second: top2.then_some(&mut ssecond[..]),
                        sqnorms: &mut sterms,
                    };
                    let recomputed = screened_best(isa, bk, x, which, &pc, pb, None, &mut s, out);
                    screened_any |= recomputed < n * pc.kpad() / pc.nr;
                    for i in 0..n {
                        let tag = format!("{name} d={d} {metric:?} top2={top2} row {i}");
                        assert_eq!(sbest[i].1, best[i].1, "{tag}: label");
                        assert_eq!(sbest[i].0.to_bits(), best[i].0.to_bits(), "{tag}: key");
                        if top2 {
                            assert_eq!(
                                ssecond[i].to_bits(),
                                second[i].to_bits(),
                                "{tag}: runner-up"
                            );
                        }
                        if metric != Metric::Ip {
                            assert_eq!(sterms[i].to_bits(), terms[i].to_bits(), "{tag}: norm");
                        }
                    }
                }
            }
        }
        assert!(screened_any, "the screen never ruled out a panel");
    }
}

#[test]
fn clustered_rows_recompute_few_panels() {
    for isa in bf16_isas() {
        let mut rng = Rng(5);
        let (d, k, n) = (256, 512, 240);
        let (xs, cs) = mixture(&mut rng, n, d, k, 1.0, 0.1);
        let (x, c) = (
            Matrix::new(&xs, d, "x").unwrap(),
            Matrix::new(&cs, d, "c").unwrap(),
        );
        let mut pc = PackedCentroids::new(c, Metric::L2, isa);
        pc.screen = PackedBf16::any_shape(c, &pc, isa);
        let mut best = vec![(f32::INFINITY, 0u32); n];
        let out = ScreenOut {
            best: &mut best,
            second: None,
            sqnorms: &mut Vec::new(),
        };
        let pb = pc.screen.as_ref().unwrap();
        let recomputed = screened_best(
            isa,
            isa.bf16.unwrap(),
            x,
            BlockRows::Range(0, n),
            &pc,
            pb,
            None,
            &mut ScreenScratch::default(),
            out,
        );
        // 16 panels per row: well-separated clusters should need about one.
        assert!(
            recomputed <= n * 2,
            "recomputed {recomputed} (row, panel) pairs of {}",
            n * 16
        );
    }
}

#[test]
fn every_exact_key_lies_within_its_margin() {
    for isa in bf16_isas() {
        let bk = isa.bf16.unwrap();
        for (name, d, xs, cs) in cases() {
            let (x, c) = (
                Matrix::new(&xs, d, "x").unwrap(),
                Matrix::new(&cs, d, "c").unwrap(),
            );
            for metric in [Metric::L2, Metric::Cos] {
                let mut pc = PackedCentroids::new(c, metric, isa);
                pc.screen = PackedBf16::any_shape(c, &pc, isa);
                let pb = pc.screen.as_ref().unwrap();
                let (kpad, nr, dp) = (pc.kpad(), pc.nr, pb.dp);
                // Exact keys from the plain engine.
                let mut exact = vec![0.0f32; x.n * kpad];
                let mut scratch = RowScratch::new();
                for_each_chunk(
                    isa,
                    x,
                    0,
                    x.n,
                    &pc,
                    &mut scratch,
                    |start, len, tile, ldc| {
                        for i in 0..x.n {
                            let out = &mut exact[i * kpad + start..i * kpad + start + len];
                            isa.keys(
                                &tile[i * ldc..i * ldc + len],
                                &pc.bias[start..],
                                &pc.mult[start..],
                                out,
                            );
                        }
                    },
                );
                for i in 0..x.n {
                    let row = x.row(i);
                    let mut words = vec![0u32; dp + 1];
                    // SAFETY: `words` holds dp pairs; the CPU has the instructions (bf16_isa).
                    let err = unsafe { (bk.convert_row)(row, &mut words) };
                    let (xn, ex) = (isa.sqnorm(row).sqrt(), err.sqrt());
                    if !(xn < crate::tiling_bf16::MAX_SCREEN_NORM) {
                        continue;
                    }
                    let mut rows = vec![words.as_ptr(); isa.mr];
                    let zeros = vec![0u32; dp];
                    rows[1..].fill(zeros.as_ptr());
                    let mut tile = vec![0.0f32; isa.mr * nr];
                    for p in 0..kpad / nr {
                        let mut j0 = 0;
                        while j0 < dp {
                            let dcp = bk.dcp.min(dp - j0);
                            let b = pb.panels.as_u32()[(p * dp + j0) * nr..].as_ptr();
                            // SAFETY: mr pointers to dp pairs, b holds dcp * nr pairs, the tile holds
                            // mr x nr; the CPU has the instructions.
                            unsafe {
                                (bk.microkernel)(
                                    rows.as_ptr(),
                                    j0,
                                    b,
                                    dcp,
                                    tile.as_mut_ptr(),
                                    nr,
                                    j0 > 0,
                                )
                            };
                            j0 += dcp;
                        }
                        for q in 0..nr.min(c.n - (p * nr).min(c.n)) {
                            let j = p * nr + q;
                            let key_a = f64::from(pc.mult[j])
                                .mul_add(f64::from(tile[q]), f64::from(pc.bias[j]));
                            let m = f64::from(pb.alpha[j]) * f64::from(xn)
                                + f64::from(pb.beta[j]) * f64::from(ex)
                                + f64::from(pb.konst[j]);
                            let key_e = f64::from(exact[i * kpad + j]);
                            assert!(
                            (key_e - key_a).abs() <= m,
                            "{name} {metric:?} row {i} centroid {j}: exact {key_e}, bf16 {key_a}, margin {m}"
                        );
                        }
                    }
                }
            }
        }
    }
}
