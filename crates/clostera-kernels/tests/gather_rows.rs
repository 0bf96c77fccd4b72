//! Gathering rows: the chosen rows copied (unit rows on request) at any thread count, validated
//! as they are copied, with the data row named in errors.

mod common;
use clostera_kernels::*;
use common::*;

#[test]
fn gather_rows_copies_the_chosen_rows_at_any_thread_count() {
    let (n, d) = (5_000usize, 37usize);
    let x: Vec<f32> = (0..n * d).map(|i| i as f32 * 0.5).collect();
    let xm = Matrix::new(&x, d, "x").unwrap();
    let ids: Vec<u32> = (0..4_500u32).map(|i| (i * 7 + 3) % n as u32).collect();
    for threads in [1, 2, 3] {
        let mut out = vec![f32::NAN; ids.len() * d];
        gather_rows(xm, &ids, &mut out, &with_threads(threads)).unwrap();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(&out[i * d..(i + 1) * d], xm.row(*id as usize), "row {i}");
        }
    }
    let mut out = vec![0f32; 2 * d];
    let e = gather_rows(xm, &[3, n as u32], &mut out, &with_threads(1)).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidArgument, Some(1)));
    let e = gather_rows(xm, &[3], &mut out, &with_threads(1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn gather_rows_validates_the_rows_it_copies_and_names_the_data_row() {
    let (n, d) = (3_000usize, 300usize);
    let mut x: Vec<f32> = (0..n * d).map(|i| (i % 13) as f32).collect();
    x[2_500 * d + 7] = f32::INFINITY;
    x[1_800 * d + 299] = f32::NAN;
    let xm = Matrix::new(&x, d, "x").unwrap();
    // Row 2,500 comes first in ids (an earlier block than row 1,800).
    let ids: Vec<u32> = [5u32, 2_500, 17]
        .into_iter()
        .chain((0..900).map(|i| i * 3 % 1_790))
        .chain([1_800, 9])
        .collect();
    for threads in [1, 2, 3] {
        let mut out = vec![0f32; ids.len() * d];
        let e = gather_rows(xm, &ids, &mut out, &with_threads(threads)).unwrap_err();
        assert_eq!(
            (e.code, e.row),
            (ErrorCode::NonFinite, Some(2_500)),
            "threads {threads}"
        );
        let unchecked = PassOptions {
            validate: false,
            ..with_threads(threads)
        };
        gather_rows(xm, &ids, &mut out, &unchecked).unwrap();
        assert!(out[d + 7].is_infinite());
    }
    // Unit rows: the bits of normalize_rows on the gathered rows; a zero row names its data row.
    let mut plain = vec![0f32; 300 * d];
    let mut unit = vec![0f32; 300 * d];
    let (mut want, mut norms) = (vec![0f32; 300 * d], vec![0f32; 300]);
    let some: Vec<u32> = (0..300u32).map(|i| i * 7 % 1_700).collect();
    gather_rows(xm, &some, &mut plain, &with_threads(2)).unwrap();
    let pm = Matrix::new(&plain, d, "x").unwrap();
    normalize_rows(pm, &mut want, &mut norms, &with_threads(1)).unwrap();
    for threads in [1, 2, 3] {
        gather_unit_rows(xm, &some, &mut unit, &with_threads(threads)).unwrap();
        assert!(
            unit.iter()
                .zip(&want)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "threads {threads}"
        );
    }
    let mut zero_row = x.clone();
    zero_row[40 * d..41 * d].iter_mut().for_each(|v| *v = 0.0);
    let zm = Matrix::new(&zero_row, d, "x").unwrap();
    let e = gather_unit_rows(zm, &[1, 40, 2], &mut unit[..3 * d], &with_threads(2)).unwrap_err();
    assert_eq!((e.code, e.row), (ErrorCode::ZeroNorm, Some(40)));
    // Rows that are all finite pass, whatever their norm.
    let zeros = vec![0f32; 4 * d];
    let zm = Matrix::new(&zeros, d, "x").unwrap();
    let mut out = vec![1f32; 2 * d];
    gather_rows(zm, &[3, 0], &mut out, &with_threads(2)).unwrap();
    assert!(out.iter().all(|v| *v == 0.0));
}
