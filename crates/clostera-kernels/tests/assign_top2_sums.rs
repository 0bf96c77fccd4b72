//! The final assignment prepared for a refinement step: labels and values equal `assign`, the
//! runner-up value matches a brute-force ranking, the sums are those of the rows (l2) or of the
//! unit rows (cos), identical at any thread count, on every SIMD level and both kernel paths.

mod common;
use clostera_kernels::*;
use common::*;

struct Top2 {
    labels: Vec<u32>,
    values: Vec<f32>,
    second: Vec<f32>,
    sums: Vec<f64>,
    weight_sums: Vec<f64>,
    counts: Vec<u32>,
}

fn run(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    w: Option<&[f32]>,
    o: &PassOptions,
) -> KernelResult<Top2> {
    let (n, k, d) = (x.n, c.n, x.d);
    let mut t = Top2 {
        labels: vec![0; n],
        values: vec![0.0; n],
        second: vec![0.0; n],
        sums: vec![0.0; k * d],
        weight_sums: vec![0.0; k],
        counts: vec![0; k],
    };
    let sums = ClusterSums {
        sums: &mut t.sums,
        weight_sums: &mut t.weight_sums,
        counts: &mut t.counts,
    };
    assign_top2_sums(
        x,
        c,
        metric,
        w,
        &mut t.labels,
        &mut t.values,
        &mut t.second,
        sums,
        o,
    )?;
    Ok(t)
}

#[test]
fn runner_up_and_sums_match_brute_force_on_every_level() {
    // (d, k): the panel micro-kernel, the row-major path (k <= 16, d >= 64), several chunks.
    for (d, k) in [(19usize, 37usize), (100, 10), (784, 3), (33, 600), (64, 1)] {
        let n = 257;
        let mut rng = Rng(d as u64 * 31 + k as u64);
        let x = rng.f32s(n * d);
        let c = rng.f32s(k * d);
        let w: Vec<f32> = (0..n).map(|i| 0.5 + (i % 3) as f32).collect();
        let (xm, cm) = (
            Matrix::new(&x, d, "x").unwrap(),
            Matrix::new(&c, d, "c").unwrap(),
        );
        for level in simd_levels() {
            for metric in [Metric::L2, Metric::Cos] {
                let o = PassOptions {
                    simd: Some(level),
                    ..Default::default()
                };
                let t = run(xm, cm, metric, Some(&w), &o).unwrap();
                let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
                assign(xm, cm, metric, &mut l, &mut v, &o).unwrap();
                assert_eq!(t.labels, l, "{level:?} {metric:?} d={d} k={k}");
                assert_eq!(t.values, v, "{level:?} {metric:?} d={d} k={k}");
                let mut want = vec![0f64; k * d];
                let mut want_w = vec![0f64; k];
                for i in 0..n {
                    let r = ranked(metric, xm.row(i), &c, d);
                    let runner_up = r.iter().find(|(j, _)| *j != t.labels[i]).map(|(_, v)| *v);
                    match runner_up {
                        Some(s) => assert!(
                            (t.second[i] as f64 - s).abs() <= tol(d) * (1.0 + s.abs()),
                            "{level:?} {metric:?} d={d} k={k} row {i}: {} vs {s}",
                            t.second[i]
                        ),
                        None => assert!(t.second[i].is_infinite()),
                    }
                    let row = xm.row(i);
                    let norm = if metric == Metric::Cos {
                        row.iter().map(|v| (*v as f64).powi(2)).sum::<f64>().sqrt()
                    } else {
                        1.0
                    };
                    let a = t.labels[i] as usize;
                    for j in 0..d {
                        want[a * d + j] += w[i] as f64 * row[j] as f64 / norm;
                    }
                    want_w[a] += w[i] as f64;
                }
                for (g, e) in t.sums.iter().zip(&want) {
                    assert!(
                        (g - e).abs() <= 1e-4 * (1.0 + e.abs()),
                        "{level:?} {metric:?} d={d} sums {g} vs {e}"
                    );
                }
                for (g, e) in t.weight_sums.iter().zip(&want_w) {
                    assert!((g - e).abs() <= 1e-9 * (1.0 + e.abs()));
                }
            }
        }
    }
}

#[test]
fn identical_at_any_thread_count_and_refuses_ip() {
    let (n, d, k) = (3_001usize, 40usize, 12usize);
    let mut rng = Rng(77);
    let x = rng.f32s(n * d);
    let c = rng.f32s(k * d);
    let (xm, cm) = (
        Matrix::new(&x, d, "x").unwrap(),
        Matrix::new(&c, d, "c").unwrap(),
    );
    for metric in [Metric::L2, Metric::Cos] {
        let t = |threads: usize| {
            let o = PassOptions {
                threads: Some(threads),
                ..Default::default()
            };
            run(xm, cm, metric, None, &o).unwrap()
        };
        let one = t(1);
        for threads in [2, 3, 7] {
            let other = t(threads);
            assert_eq!(one.labels, other.labels);
            assert_eq!(one.second, other.second);
            assert!(one
                .sums
                .iter()
                .zip(&other.sums)
                .all(|(a, b)| a.to_bits() == b.to_bits()));
            assert_eq!(one.counts, other.counts);
        }
    }
    let e = run(xm, cm, Metric::Ip, None, &PassOptions::default())
        .err()
        .unwrap();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}
