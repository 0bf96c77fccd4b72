//! Each bad input gets its stable code and the offending detail.

use clostera_kernels::*;

fn o() -> PassOptions<'static> {
    PassOptions::default()
}

#[test]
fn shapes_and_counts() {
    let x = vec![0.5f32; 12];
    assert_eq!(
        Matrix::new(&x, 0, "x").unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    let e = Matrix::new(&x, 5, "x").unwrap_err();
    assert_eq!(e.code, ErrorCode::DimensionMismatch);
    assert_eq!(e.actual, Some(Detail::Num(12.0)));
    let xm = Matrix::new(&x, 3, "x").unwrap();
    let empty = Matrix::new(&[], 3, "c").unwrap();
    let (mut l, mut v) = (vec![0u32; 4], vec![0f32; 4]);
    assert_eq!(
        assign(xm, empty, Metric::L2, &mut l, &mut v, &o())
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
    let c4 = vec![0.25f32; 8];
    let c4m = Matrix::new(&c4, 4, "c").unwrap();
    assert_eq!(
        assign(xm, c4m, Metric::L2, &mut l, &mut v, &o())
            .unwrap_err()
            .code,
        ErrorCode::DimensionMismatch
    );
    let c = vec![0.1f32, 0.2, 0.3, 0.4, 0.5, 0.6];
    let cm = Matrix::new(&c, 3, "c").unwrap();
    let (mut tl, mut tv) = (vec![0u32; 12], vec![0f32; 12]);
    let e = top_l(xm, cm, Metric::L2, 3, &mut tl, &mut tv, &o()).unwrap_err();
    assert_eq!(
        (e.code, e.actual),
        (ErrorCode::InvalidArgument, Some(Detail::Num(3.0)))
    );
    let (mut tl, mut tv) = (vec![0u32; 4 * 33], vec![0f32; 4 * 33]);
    assert_eq!(
        top_l(xm, cm, Metric::L2, 33, &mut tl, &mut tv, &o())
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        top_l(xm, cm, Metric::L2, 0, &mut tl, &mut tv, &o())
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
    let mut short = vec![0u32; 3];
    assert_eq!(
        assign(xm, cm, Metric::L2, &mut short, &mut v, &o())
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn non_finite_values_report_the_lowest_row() {
    let d = 4;
    let mut x = vec![0.5f32; 10_000 * d];
    x[9_000 * d + 2] = f32::INFINITY;
    x[7_777 * d + 1] = f32::NAN;
    let xm = Matrix::new(&x, d, "x").unwrap();
    let c = vec![0.1f32; 2 * d];
    let cm = Matrix::new(&c, d, "c").unwrap();
    let (mut l, mut v) = (vec![0u32; 10_000], vec![0f32; 10_000]);
    for threads in [1, 2, 4] {
        let e = assign(
            xm,
            cm,
            Metric::L2,
            &mut l,
            &mut v,
            &PassOptions {
                threads: Some(threads),
                ..o()
            },
        )
        .unwrap_err();
        assert_eq!((e.code, e.row), (ErrorCode::NonFinite, Some(7_777)));
    }
    let mut bad_c = c.clone();
    bad_c[d + 3] = f32::NEG_INFINITY;
    let x2 = vec![0.5f32; 8];
    let e = assign(
        Matrix::new(&x2, d, "x").unwrap(),
        Matrix::new(&bad_c, d, "c").unwrap(),
        Metric::Ip,
        &mut l[..2],
        &mut v[..2],
        &o(),
    )
    .unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::NonFinite, Some(1)));
    let mut n = vec![0f32; 10_000];
    assert_eq!(
        row_norms(xm, true, &mut n, &o()).unwrap_err().row,
        Some(7_777)
    );
}

#[test]
fn fused_row_checks_name_the_lowest_bad_row_and_pass_extreme_finite_rows() {
    // d = 4 runs the panel micro-kernel, d = 80 with 3 centroids the row-major `dot_row`.
    for d in [4usize, 80] {
        let n = 3_000;
        let mut x = vec![0.5f32; n * d];
        // Finite rows whose squared norm overflows (l2, cos) or underflows to zero (cos): the
        // fast check fails on them and the value-by-value scan must let them through.
        x[10 * d..11 * d].fill(1e30);
        x[11 * d..12 * d].fill(1e-30);
        let c = vec![0.1f32; 3 * d];
        let (xm, cm) = (
            Matrix::new(&x, d, "x").unwrap(),
            Matrix::new(&c, d, "c").unwrap(),
        );
        let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
        for metric in [Metric::L2, Metric::Ip, Metric::Cos] {
            assign(xm, cm, metric, &mut l, &mut v, &o()).unwrap();
        }
        let mut bad = x.clone();
        bad[2_500 * d + d - 1] = f32::NAN;
        bad[1_234 * d] = f32::NEG_INFINITY;
        bad[2_000 * d..2_001 * d].fill(0.0);
        let bm = Matrix::new(&bad, d, "x").unwrap();
        for threads in [1, 2, 3] {
            let po = PassOptions {
                threads: Some(threads),
                ..o()
            };
            for metric in [Metric::L2, Metric::Ip, Metric::Cos] {
                let e = assign(bm, cm, metric, &mut l, &mut v, &po).unwrap_err();
                assert_eq!(
                    (e.code, e.row),
                    (ErrorCode::NonFinite, Some(1_234)),
                    "{metric:?} d={d}"
                );
            }
            let (mut s, mut w, mut k) = (vec![0f64; 3 * d], vec![0f64; 3], vec![0u32; 3]);
            let sums = ClusterSums {
                sums: &mut s,
                weight_sums: &mut w,
                counts: &mut k,
            };
            let e = assign_sums(bm, cm, None, &mut l, &mut v, sums, &po).unwrap_err();
            assert_eq!(
                (e.code, e.row),
                (ErrorCode::NonFinite, Some(1_234)),
                "sums d={d}"
            );
        }
        let mut zero = x.clone();
        zero[2_000 * d..2_001 * d].fill(0.0);
        let zm = Matrix::new(&zero, d, "x").unwrap();
        let e = assign(zm, cm, Metric::Cos, &mut l, &mut v, &o()).unwrap_err();
        assert_eq!((e.code, e.row), (ErrorCode::ZeroNorm, Some(2_000)), "d={d}");
        assign(zm, cm, Metric::L2, &mut l, &mut v, &o()).unwrap();
    }
}

#[test]
fn cosine_refuses_zero_rows_and_accumulate_checks_labels_and_weights() {
    let d = 3;
    let x = vec![1.0f32, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0];
    let xm = Matrix::new(&x, d, "x").unwrap();
    let cm = Matrix::new(&x[..3], d, "c").unwrap();
    let (mut l, mut v) = (vec![0u32; 3], vec![0f32; 3]);
    let e = assign(xm, cm, Metric::Cos, &mut l, &mut v, &o()).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::ZeroNorm, Some(1)));
    assign(xm, cm, Metric::L2, &mut l, &mut v, &o()).unwrap();
    let (mut s, mut w, mut c) = (vec![0f64; 6], vec![0f64; 2], vec![0u32; 2]);
    let e = accumulate(xm, &[0, 2, 1], None, 2, &mut s, &mut w, &mut c, &o()).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidArgument, Some(1)));
    let e = accumulate(xm, &[0, 1], None, 2, &mut s, &mut w, &mut c, &o()).unwrap_err();
    assert_eq!(e.code, ErrorCode::DimensionMismatch);
    let e = accumulate(
        xm,
        &[0, 1, 1],
        Some(&[1.0, -1.0, 1.0]),
        2,
        &mut s,
        &mut w,
        &mut c,
        &o(),
    )
    .unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidArgument, Some(1)));
    let e = accumulate(
        xm,
        &[0, 1, 1],
        Some(&[1.0, 1.0]),
        2,
        &mut s,
        &mut w,
        &mut c,
        &o(),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::DimensionMismatch);
    let e = accumulate(
        xm,
        &[0, 1, 1],
        Some(&[1.0, 1.0, f32::NAN]),
        2,
        &mut s,
        &mut w,
        &mut c,
        &o(),
    )
    .unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::NonFinite, Some(2)));
    assert_eq!(
        accumulate(xm, &[0, 0, 0], None, 0, &mut [], &mut [], &mut [], &o())
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn bad_thread_counts_and_metrics() {
    let x = vec![0.5f32; 6];
    let xm = Matrix::new(&x, 3, "x").unwrap();
    let mut n = vec![0f32; 2];
    assert_eq!(
        row_norms(
            xm,
            true,
            &mut n,
            &PassOptions {
                threads: Some(0),
                ..o()
            }
        )
        .unwrap_err()
        .code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        Metric::parse("hamming").unwrap_err().code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn a_panic_is_a_panic_not_an_abort() {
    let r = std::panic::catch_unwind(|| provoke_panic());
    let e = KernelError::internal_from_panic(r.unwrap_err().as_ref());
    assert_eq!(e.code, ErrorCode::Internal);
}

#[test]
fn seed_potential_takes_at_most_32_candidates() {
    let d = 2;
    let x: Vec<f32> = (0..20).map(|v| v as f32).collect();
    let xm = Matrix::new(&x, d, "x").unwrap();
    let cands: Vec<f32> = (0..33 * d).map(|v| v as f32 * 0.1).collect();
    let cm = Matrix::new(&cands, d, "c").unwrap();
    let (md, nn) = (vec![1.0f32; 10], vec![0u32; 10]);
    let gaps = vec![1.0f32; 33];
    let mut totals = vec![0f64; 33];
    let e = seed_potential(xm, cm, &gaps, 1, &md, &nn, None, &mut totals, None, None, None, &o()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(e.actual, Some(Detail::Num(33.0)));
    // 32 are fine.
    let cm32 = Matrix::new(&cands[..32 * d], d, "c").unwrap();
    let mut totals = vec![0f64; 32];
    seed_potential(xm, cm32, &gaps[..32], 1, &md, &nn, None, &mut totals, None, None, None, &o()).unwrap();
}
