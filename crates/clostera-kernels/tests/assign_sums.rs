//! The fused assignment with cluster sums: labels and values equal `assign`, sums equal
//! `accumulate` (to f64 rounding), bit-identical at any thread count, and the same errors.

mod common;
use clostera_kernels::*;
use common::*;

fn threads(t: usize) -> PassOptions<'static> {
    PassOptions {
        threads: Some(t),
        ..Default::default()
    }
}

struct Fused {
    labels: Vec<u32>,
    values: Vec<f32>,
    sums: Vec<f64>,
    weight_sums: Vec<f64>,
    counts: Vec<u32>,
}

fn fused(x: Matrix, c: Matrix, w: Option<&[f32]>, o: &PassOptions) -> KernelResult<Fused> {
    let (n, k, d) = (x.n, c.n, x.d);
    let mut f = Fused {
        labels: vec![0; n],
        values: vec![0.0; n],
        sums: vec![0.0; k * d],
        weight_sums: vec![0.0; k],
        counts: vec![0; k],
    };
    let sums = ClusterSums {
        sums: &mut f.sums,
        weight_sums: &mut f.weight_sums,
        counts: &mut f.counts,
    };
    assign_sums(x, c, w, &mut f.labels, &mut f.values, sums, o)?;
    Ok(f)
}

#[test]
fn equals_assign_then_accumulate_at_any_thread_count() {
    for (n, d, k) in [(20_000usize, 37usize, 50usize), (999, 5, 3), (0, 4, 2)] {
        let mut rng = Rng(n as u64 + 1);
        let x = rng.f32s(n * d);
        let c = rng.f32s(k * d);
        let w: Vec<f32> = (0..n).map(|_| rng.unit() + 0.5).collect();
        let (xm, cm) = (
            Matrix::new(&x, d, "x").unwrap(),
            Matrix::new(&c, d, "c").unwrap(),
        );
        for weights in [None, Some(w.as_slice())] {
            let f = fused(xm, cm, weights, &threads(1)).unwrap();
            let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
            assign(xm, cm, Metric::L2, &mut l, &mut v, &threads(2)).unwrap();
            assert!(
                l == f.labels && v == f.values,
                "labels/values differ from assign"
            );
            let (mut s, mut ws, mut cnt) = (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
            accumulate(xm, &l, weights, k, &mut s, &mut ws, &mut cnt, &threads(2)).unwrap();
            assert_eq!(cnt, f.counts);
            for (a, b) in s.iter().zip(&f.sums).chain(ws.iter().zip(&f.weight_sums)) {
                assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()), "{a} vs {b}");
            }
            for t in [2, 3, 7] {
                let g = fused(xm, cm, weights, &threads(t)).unwrap();
                assert!(
                    g.labels == f.labels
                        && g.values == f.values
                        && g.sums == f.sums
                        && g.weight_sums == f.weight_sums
                        && g.counts == f.counts,
                    "threads {t} differ"
                );
            }
        }
    }
}

#[test]
fn bad_rows_weights_and_outputs_are_refused() {
    let (n, d, k) = (5000, 6, 4);
    let mut rng = Rng(9);
    let mut x = rng.f32s(n * d);
    let c = rng.f32s(k * d);
    x[4321 * d + 2] = f32::NAN;
    x[1234 * d] = f32::INFINITY;
    let cm = Matrix::new(&c, d, "c").unwrap();
    for t in [1, 2, 4] {
        let e = fused(Matrix::new(&x, d, "x").unwrap(), cm, None, &threads(t))
            .err()
            .unwrap();
        assert_eq!((e.code, e.row), (ErrorCode::NonFinite, Some(1234)));
    }
    x[4321 * d + 2] = 0.0;
    x[1234 * d] = 0.0;
    let xm = Matrix::new(&x, d, "x").unwrap();
    let mut w = vec![1.0f32; n];
    w[77] = -1.0;
    let e = fused(xm, cm, Some(&w), &threads(2)).err().unwrap();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidArgument, Some(77)));
    let e = fused(xm, cm, Some(&w[..10]), &threads(2)).err().unwrap();
    assert_eq!(e.code, ErrorCode::DimensionMismatch);
    let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
    let (mut s, mut ws, mut cnt) = (vec![0f64; k * d - 1], vec![0f64; k], vec![0u32; k]);
    let short = ClusterSums {
        sums: &mut s,
        weight_sums: &mut ws,
        counts: &mut cnt,
    };
    let e = assign_sums(xm, cm, None, &mut l, &mut v, short, &threads(2)).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}
