//! Unit-norm rows against an f64 reference, their errors, and fused validation in `assign`.

mod common;
use clostera_kernels::*;
use common::*;

#[test]
fn unit_rows_match_an_f64_reference_at_any_thread_count() {
    let (n, d) = (5000, 37);
    let mut rng = Rng(7);
    let x: Vec<f32> = rng.f32s(n * d).iter().map(|v| v * 10.0 - 3.0).collect();
    let xm = Matrix::new(&x, d, "x").unwrap();
    let run = |t: usize| {
        let (mut out, mut norms) = (vec![0f32; n * d], vec![0f32; n]);
        normalize_rows(xm, &mut out, &mut norms, &with_threads(t)).unwrap();
        (out, norms)
    };
    let (out, norms) = run(1);
    for i in 0..n {
        let row = &x[i * d..(i + 1) * d];
        let norm = row
            .iter()
            .map(|&v| f64::from(v).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!((f64::from(norms[i]) - norm).abs() <= 1e-6 * norm, "row {i}");
        let unit = &out[i * d..(i + 1) * d];
        let len = unit
            .iter()
            .map(|&v| f64::from(v).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!((len - 1.0).abs() < 1e-6, "row {i} has length {len}");
        for (u, &v) in unit.iter().zip(row) {
            assert!((f64::from(*u) - f64::from(v) / norm).abs() < 1e-6);
        }
    }
    for t in [2, 3, 7] {
        let (o2, n2) = run(t);
        assert!(o2 == out && n2 == norms, "threads {t} differ");
    }
}

#[test]
fn zero_and_non_finite_rows_are_reported_with_the_lowest_row() {
    let (n, d) = (4000, 5);
    let mut x = vec![0.25f32; n * d];
    x[3500 * d..3501 * d].fill(0.0);
    x[2100 * d + 4] = f32::NAN;
    let xm = Matrix::new(&x, d, "x").unwrap();
    let (mut out, mut norms) = (vec![0f32; n * d], vec![0f32; n]);
    for t in [1, 2, 4] {
        let e = normalize_rows(xm, &mut out, &mut norms, &with_threads(t)).unwrap_err();
        assert_eq!((e.code, e.row), (ErrorCode::NonFinite, Some(2100)));
    }
    x[2100 * d + 4] = 1.0;
    let xm = Matrix::new(&x, d, "x").unwrap();
    let e = normalize_rows(xm, &mut out, &mut norms, &with_threads(2)).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::ZeroNorm, Some(3500)));
    // A zero row is refused even without validation: it has no direction to scale to.
    let no_check = PassOptions {
        validate: false,
        ..Default::default()
    };
    let e = normalize_rows(xm, &mut out, &mut norms, &no_check).unwrap_err();
    assert_eq!(e.code, ErrorCode::ZeroNorm);
    let e = normalize_rows(xm, &mut out[..10], &mut norms, &no_check).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn assign_validates_rows_inside_its_blocks() {
    // Bad rows in several blocks (the row block is at most 192 rows): the lowest one is named,
    // at any thread count, for both codes, and a clean input gives the same labels as before.
    let (n, d) = (3000, 16);
    let mut rng = Rng(3);
    let mut x = rng.f32s(n * d);
    let c = rng.f32s(8 * d);
    let cm = Matrix::new(&c, d, "c").unwrap();
    let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
    x[2900 * d] = f32::INFINITY;
    x[1234 * d..1235 * d].fill(0.0);
    for t in [1, 2, 5] {
        let xm = Matrix::new(&x, d, "x").unwrap();
        let e = assign(xm, cm, Metric::L2, &mut l, &mut v, &with_threads(t)).unwrap_err();
        assert_eq!((e.code, e.row), (ErrorCode::NonFinite, Some(2900)));
        let e = assign(xm, cm, Metric::Cos, &mut l, &mut v, &with_threads(t)).unwrap_err();
        assert_eq!((e.code, e.row), (ErrorCode::ZeroNorm, Some(1234)));
    }
}
