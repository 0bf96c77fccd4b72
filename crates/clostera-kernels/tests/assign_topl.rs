//! Assignment, top-L and the distance tile against brute-force f64 references, on every SIMD
//! level, across the dimension list and across centroid-tile edges.

mod common;
use clostera_kernels::*;
use common::*;

fn opts(level: SimdLevel) -> PassOptions<'static> {
    PassOptions {
        simd: Some(level),
        ..Default::default()
    }
}

fn check_assign(level: SimdLevel, metric: Metric, n: usize, d: usize, k: usize, seed: u64) {
    let mut rng = Rng(seed);
    let x = rng.f32s(n * d);
    let c = rng.f32s(k * d);
    let (xm, cm) = (
        Matrix::new(&x, d, "x").unwrap(),
        Matrix::new(&c, d, "c").unwrap(),
    );
    let mut labels = vec![0u32; n];
    let mut values = vec![0f32; n];
    assign(xm, cm, metric, &mut labels, &mut values, &opts(level)).unwrap();
    for i in 0..n {
        let r = ranked(metric, xm.row(i), &c, d);
        let (best, best_v) = r[0];
        let chosen_v = r.iter().find(|(j, _)| *j == labels[i]).unwrap().1;
        let t = tol(d);
        assert!((chosen_v - best_v).abs() <= t, "{level:?} {metric:?} d={d} k={k} row {i}: chose {} ({chosen_v}) best {best} ({best_v})", labels[i]);
        if r.len() > 1 && (r[1].1 - best_v).abs() > 2.0 * t {
            assert_eq!(labels[i], best, "{level:?} {metric:?} d={d} k={k} row {i}");
        }
        assert!(
            (values[i] as f64 - chosen_v).abs() <= t * (1.0 + chosen_v.abs()),
            "{level:?} {metric:?} d={d} value {} vs {chosen_v}",
            values[i]
        );
    }
}

#[test]
fn assignment_matches_brute_force_on_every_level_and_dimension() {
    for level in simd_levels() {
        for (i, d) in DIMS.iter().enumerate() {
            for metric in METRICS {
                check_assign(level, metric, 53, *d, 37, 100 + i as u64);
            }
        }
    }
}

#[test]
fn assignment_matches_brute_force_across_centroid_tile_edges() {
    for level in simd_levels() {
        for k in [1usize, 2, 7, 8, 15, 16, 17, 31, 32, 33, 511, 512, 513, 1025] {
            check_assign(level, Metric::L2, 29, 19, k, 7 * k as u64);
        }
        // Few centroids in enough dimensions take the row-major `dot_row` path (k below one
        // panel, d >= 64), with 4, 8, 12 or 16 centroid slots.
        for k in [1usize, 3, 4, 5, 8, 10, 12, 13, 16] {
            for d in [64usize, 100, 784] {
                for metric in METRICS {
                    check_assign(level, metric, 41, d, k, (k * 1000 + d) as u64);
                }
            }
        }
        // Row counts around every micro-panel and row-block edge.
        for n in [1usize, 5, 6, 11, 12, 13, 23, 24, 25, 191, 192, 193, 500] {
            check_assign(level, Metric::Cos, n, 64, 40, n as u64);
        }
    }
}

#[test]
fn ties_go_to_the_lowest_index() {
    // d = 24 goes through the panel micro-kernel, d = 80 (12 centroids) through `dot_row`.
    for d in [24usize, 80] {
        ties_go_to_the_lowest_index_at(d);
    }
}

fn ties_go_to_the_lowest_index_at(d: usize) {
    let mut rng = Rng(5);
    let base = rng.f32s(4 * d);
    // Centroids 0..4 then exact copies 4..8 and again 8..12: every copy must lose its tie.
    let c: Vec<f32> = base
        .iter()
        .chain(base.iter())
        .chain(base.iter())
        .copied()
        .collect();
    let x = rng.f32s(300 * d);
    for level in simd_levels() {
        for metric in METRICS {
            let (xm, cm) = (
                Matrix::new(&x, d, "x").unwrap(),
                Matrix::new(&c, d, "c").unwrap(),
            );
            let mut labels = vec![0u32; 300];
            let mut values = vec![0f32; 300];
            assign(xm, cm, metric, &mut labels, &mut values, &opts(level)).unwrap();
            assert!(
                labels.iter().all(|l| *l < 4),
                "{level:?} {metric:?}: a duplicate won a tie"
            );
            let l = 3;
            let mut tl = vec![0u32; 300 * l];
            let mut tv = vec![0f32; 300 * l];
            top_l(xm, cm, metric, l, &mut tl, &mut tv, &opts(level)).unwrap();
            for i in 0..300 {
                let first = tl[i * l];
                assert_eq!(first, labels[i]);
                assert_eq!(
                    &tl[i * l..i * l + 3],
                    &[first, first + 4, first + 8],
                    "{level:?} {metric:?} row {i}"
                );
            }
        }
    }
}

#[test]
fn top_l_matches_brute_force_ranking() {
    for level in simd_levels() {
        for metric in METRICS {
            for (d, k, l) in [
                (1usize, 40usize, 32usize),
                (33, 600, 10),
                (128, 64, 1),
                (131, 33, 33.min(32)),
            ] {
                let n = 41;
                let mut rng = Rng((d * k + l) as u64);
                let x = rng.f32s(n * d);
                let c = rng.f32s(k * d);
                let (xm, cm) = (
                    Matrix::new(&x, d, "x").unwrap(),
                    Matrix::new(&c, d, "c").unwrap(),
                );
                let mut tl = vec![0u32; n * l];
                let mut tv = vec![0f32; n * l];
                top_l(xm, cm, metric, l, &mut tl, &mut tv, &opts(level)).unwrap();
                let mut labels = vec![0u32; n];
                let mut values = vec![0f32; n];
                assign(xm, cm, metric, &mut labels, &mut values, &opts(level)).unwrap();
                for i in 0..n {
                    assert_eq!(tl[i * l], labels[i], "top-1 equals assignment");
                    assert_eq!(tv[i * l].to_bits(), values[i].to_bits());
                    let r = ranked(metric, xm.row(i), &c, d);
                    let t = tol(d);
                    for s in 0..l {
                        // Same value as the reference at each rank (robust to near-ties).
                        assert!(
                            (tv[i * l + s] as f64 - r[s].1).abs() <= t * (1.0 + r[s].1.abs()),
                            "{level:?} {metric:?} d={d} rank {s}"
                        );
                        let own = r.iter().find(|(j, _)| *j == tl[i * l + s]).unwrap().1;
                        assert!((own - r[s].1).abs() <= 2.0 * t * (1.0 + own.abs()));
                    }
                    let mut uniq = tl[i * l..i * l + l].to_vec();
                    uniq.sort();
                    uniq.dedup();
                    assert_eq!(uniq.len(), l, "no centroid twice");
                }
            }
        }
    }
}

#[test]
fn distance_tile_matches_brute_force() {
    for level in simd_levels() {
        for metric in METRICS {
            for (d, k) in [(3usize, 5usize), (100, 513), (768, 17)] {
                let n = 30;
                let mut rng = Rng((d + k) as u64);
                let x = rng.f32s(n * d);
                let c = rng.f32s(k * d);
                let (xm, cm) = (
                    Matrix::new(&x, d, "x").unwrap(),
                    Matrix::new(&c, d, "c").unwrap(),
                );
                let mut out = vec![0f32; n * k];
                distance_tile(xm, cm, metric, &mut out, &opts(level)).unwrap();
                for i in 0..n {
                    for j in 0..k {
                        let want = value(metric, xm.row(i), cm.row(j));
                        assert!(
                            (out[i * k + j] as f64 - want).abs() <= tol(d) * (1.0 + want.abs()),
                            "{level:?} {metric:?} d={d} ({i},{j})"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn simd_levels_agree_with_scalar_within_tolerance_at_pass_level() {
    for level in simd_levels() {
        for d in DIMS {
            let (n, k) = (40, 70);
            let mut rng = Rng(d as u64 + 99);
            let x = rng.f32s(n * d);
            let c = rng.f32s(k * d);
            let (xm, cm) = (
                Matrix::new(&x, d, "x").unwrap(),
                Matrix::new(&c, d, "c").unwrap(),
            );
            let mut a = vec![0f32; n * k];
            let mut b = vec![0f32; n * k];
            distance_tile(xm, cm, Metric::L2, &mut a, &opts(level)).unwrap();
            distance_tile(xm, cm, Metric::L2, &mut b, &opts(SimdLevel::Scalar)).unwrap();
            for (p, q) in a.iter().zip(&b) {
                assert!(
                    (p - q).abs() as f64 <= tol(d) * (1.0 + q.abs() as f64),
                    "{level:?} d={d}: {p} vs {q}"
                );
            }
            let mut na = vec![0f32; n];
            let mut nb = vec![0f32; n];
            row_norms(xm, false, &mut na, &opts(level)).unwrap();
            row_norms(xm, false, &mut nb, &opts(SimdLevel::Scalar)).unwrap();
            for (i, (p, q)) in na.iter().zip(&nb).enumerate() {
                let want: f64 = xm
                    .row(i)
                    .iter()
                    .map(|v| (*v as f64).powi(2))
                    .sum::<f64>()
                    .sqrt();
                assert!(
                    (p - q).abs() <= 1e-4 * q.max(1.0)
                        && (*q as f64 - want).abs() <= 1e-4 * want.max(1.0)
                );
            }
        }
    }
}
