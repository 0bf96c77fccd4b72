//! A bf16 copy of the rows handed to the screened assignments (`PassOptions::bf16_rows`) gives
//! bit-identical results to converting the rows in every pass: plain assignment, fused sums and
//! Yinyang steps (first and bounded), at each bf16 level this CPU has. A copy of the wrong
//! shape is a coded error. Without AVX512-BF16 the copy is ignored and the checks are skipped.

mod common;
use clostera_kernels::*;
use common::*;

fn levels() -> Vec<SimdLevel> {
    let found: Vec<_> = [SimdLevel::Avx512Bf16, SimdLevel::Avx512Amx]
        .into_iter()
        .filter(|l| simd::is_available(*l))
        .collect();
    if found.is_empty() {
        eprintln!("skipped: this CPU has no AVX512-BF16, no pass screens in bf16 here");
    }
    found
}

#[test]
fn screened_passes_read_the_copy_with_the_same_bits() {
    for level in levels() {
        for (n, d, k) in [(3000usize, 200usize, 64usize), (1200, 130, 100)] {
            let x = blobs(n, d, k / 2, 5);
            let c: Vec<f32> = x[..k * d].to_vec();
            let (xm, cm) = (Matrix::new(&x, d, "x").unwrap(), Matrix::new(&c, d, "c").unwrap());
            let plain = PassOptions { simd: Some(level), ..Default::default() };
            let dp = d.div_ceil(2);
            let (mut pairs, mut err, mut sq) = (vec![0u32; n * dp], vec![0f32; n], vec![0f32; n]);
            bf16_rows(xm, &mut pairs, &mut err, &mut sq, &plain).unwrap();
            let copied = PassOptions {
                bf16_rows: Some(Bf16Rows { pairs: &pairs, err_norms: &err, sqnorms: &sq }),
                ..plain
            };
            let run = |o: &PassOptions| {
                let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
                assign(xm, cm, Metric::L2, &mut l, &mut v, o).unwrap();
                (l, v.iter().map(|f| f.to_bits()).collect::<Vec<_>>())
            };
            assert_eq!(run(&plain), run(&copied), "{level:?} n={n} d={d} k={k}: assign");
            // Yinyang: a first step, then a bounded one after a small move of every centroid.
            let t = 4;
            let group_of: Vec<u32> = (0..k as u32).map(|j| j % t as u32).collect();
            let grouping = Grouping { group_of: &group_of, t };
            let moved: Vec<f32> = c.iter().enumerate().map(|(i, v)| v + 1e-3 * ((i % 7) as f32 - 3.0)).collect();
            let mm = Matrix::new(&moved, d, "c").unwrap();
            let drift: Vec<f32> = (0..k).map(|j| value(Metric::L2, cm.row(j), mm.row(j)).sqrt() as f32 * 1.001).collect();
            let steps = |o: &PassOptions| {
                let (mut labels, mut lower, mut values) = (vec![0u32; n], vec![0f32; n * t], vec![0f32; n]);
                let mut out = Vec::new();
                for (cents, dr) in [(cm, None), (mm, Some(&drift[..]))] {
                    let state = YinyangState { labels: &mut labels, lower: &mut lower, values: &mut values };
                    yinyang_assign(xm, cents, &grouping, dr, state, None, None, o).unwrap();
                    out.push((labels.clone(), values.iter().map(|f| f.to_bits()).collect::<Vec<_>>(), lower.iter().map(|f| f.to_bits()).collect::<Vec<_>>()));
                }
                out
            };
            assert_eq!(steps(&plain), steps(&copied), "{level:?} n={n} d={d} k={k}: yinyang");
            // A copy of other rows' shape is refused.
            let short = PassOptions {
                bf16_rows: Some(Bf16Rows { pairs: &pairs[dp..], err_norms: &err[1..], sqnorms: &sq[1..] }),
                ..plain
            };
            let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
            let e = assign(xm, cm, Metric::L2, &mut l, &mut v, &short).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{level:?}: {e:?}");
            assert_eq!((e.expected, e.actual), (Some(Detail::Num((n * dp) as f64)), Some(Detail::Num(((n - 1) * dp) as f64))));
        }
    }
}

#[test]
fn a_copy_of_the_wrong_shape_is_refused_at_every_level() {
    let (n, d, k) = (300usize, 40usize, 8usize);
    let x = blobs(n, d, k, 2);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let cm = Matrix::new(&x[..k * d], d, "c").unwrap();
    let dp = d.div_ceil(2);
    let (pairs, err, sq) = (vec![0u32; (n - 1) * dp], vec![0f32; n - 1], vec![0f32; n - 1]);
    for level in simd_levels() {
        let o = PassOptions {
            simd: Some(level),
            bf16_rows: Some(Bf16Rows { pairs: &pairs, err_norms: &err, sqnorms: &sq }),
            ..Default::default()
        };
        let (mut l, mut v) = (vec![0u32; n], vec![0f32; n]);
        let e = assign(xm, cm, Metric::L2, &mut l, &mut v, &o).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{level:?}");
    }
}
