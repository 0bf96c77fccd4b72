//! The row-major kernels (`dot_row`, its pair and norm forms, the f64 row sums) against the
//! primitives they must reproduce bit for bit, on every ISA of this CPU.

use super::tests::{simd_levels, Rng, DIMS};
use super::*;

#[test]
fn dot_row_matches_dot4_bit_for_bit() {
    let mut rng = Rng(23);
    for level in available_levels() {
        let isa = table(level);
        let w = isa.row_lanes;
        for kc in 1usize..=16 {
            for d in DIMS {
                let cents: Vec<Vec<f32>> = (0..kc).map(|_| rng.f32s(d)).collect();
                // The documented layout: chunks of w dimensions, each holding all kc centroids.
                let mut packed = vec![0.0f32; d.div_ceil(w) * kc * w];
                for (q, c) in cents.iter().enumerate() {
                    for (j, v) in c.iter().enumerate() {
                        packed[(j / w) * kc * w + q * w + j % w] = *v;
                    }
                }
                // An odd offset: the row need not be aligned.
                let buf = rng.f32s(d + 1);
                let x = &buf[1..];
                // SAFETY: x holds d floats and `packed` the layout for (kc, w); level available.
                let got = unsafe { (isa.dot_row)(x.as_ptr(), packed.as_ptr(), kc, d) };
                // SAFETY: as above.
                let (with_norm, norm) =
                    unsafe { (isa.dot_row_norm)(x.as_ptr(), packed.as_ptr(), kc, d) };
                assert_eq!(
                    norm.to_bits(),
                    isa.sqnorm(x).to_bits(),
                    "{level:?} kc={kc} d={d} norm"
                );
                assert!(
                    with_norm
                        .iter()
                        .zip(&got)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{level:?} kc={kc} d={d} dot_row_norm"
                );
                for q in 0..16 {
                    let want = if q < kc {
                        isa.dot4(x, [&cents[q], &cents[0], &cents[0], &cents[0]])[0]
                    } else {
                        0.0
                    };
                    assert_eq!(
                        got[q].to_bits(),
                        want.to_bits(),
                        "{level:?} kc={kc} d={d} q={q}: {} vs {want}",
                        got[q]
                    );
                }
            }
        }
    }
}

#[test]
fn dot_row_pair_matches_dot_row_bit_for_bit() {
    let mut rng = Rng(29);
    let mut tested = false;
    for level in available_levels() {
        let isa = table(level);
        let Some(pair) = isa.dot_row_pair else {
            continue;
        };
        tested = true;
        let w = isa.row_lanes;
        for kc in 1usize..=16 {
            for d in DIMS {
                let packed = rng.f32s(d.div_ceil(w) * kc * w);
                // Odd offsets and rows far apart: neither row need be aligned or adjacent.
                let buf = rng.f32s(3 * d + 3);
                let (a, b) = (&buf[1..=d], &buf[2 * d + 2..3 * d + 2]);
                for norms in [false, true] {
                    // SAFETY: both rows hold d floats and `packed` the layout for (kc, w).
                    let (dots, got_norms) =
                        unsafe { pair([a.as_ptr(), b.as_ptr()], packed.as_ptr(), kc, d, norms) };
                    for (r, row) in [a, b].into_iter().enumerate() {
                        // SAFETY: as above.
                        let (want, want_norm) =
                            unsafe { (isa.dot_row_norm)(row.as_ptr(), packed.as_ptr(), kc, d) };
                        let same = dots[r]
                            .iter()
                            .zip(&want)
                            .all(|(x, y)| x.to_bits() == y.to_bits());
                        assert!(same, "{level:?} kc={kc} d={d} norms={norms} row {r}");
                        let norm = if norms { want_norm } else { 0.0 };
                        assert_eq!(
                            got_norms[r].to_bits(),
                            norm.to_bits(),
                            "{level:?} kc={kc} d={d} norm {r}"
                        );
                    }
                }
            }
        }
    }
    if !tested {
        eprintln!("dot_row_pair: no ISA on this CPU has a pair kernel; nothing to compare");
    }
}

#[test]
fn add_row_f64_matches_scalar_bit_for_bit() {
    let reference = table(SimdLevel::Scalar);
    let mut rng = Rng(29);
    for isa in simd_levels() {
        for d in DIMS {
            let row = rng.f32s(d);
            let start: Vec<f64> = rng.f32s(d).iter().map(|v| f64::from(*v) * 1e3).collect();
            for w in [1.0f64, 0.37f32 as f64, 2.5] {
                let (mut got, mut want) = (start.clone(), start.clone());
                isa.add_row_f64(&mut got, &row, w);
                reference.add_row_f64(&mut want, &row, w);
                let same = got
                    .iter()
                    .zip(&want)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{:?} d={d} w={w}", isa.level);
            }
        }
    }
}

#[test]
fn add_rows_f64_matches_add_row_f64_row_by_row() {
    let mut rng = Rng(37);
    for isa in simd_levels() {
        for d in DIMS {
            for m in [0usize, 1, 2, 3, 7] {
                let rows: Vec<Vec<f32>> = (0..m).map(|_| rng.f32s(d)).collect();
                let refs: Vec<&[f32]> = rows.iter().map(|r| r.as_slice()).collect();
                let w: Vec<f64> = (0..m).map(|r| [1.0, 0.37f32 as f64, 2.5][r % 3]).collect();
                let start: Vec<f64> = rng.f32s(d).iter().map(|v| f64::from(*v) * 1e3).collect();
                let (mut got, mut want) = (start.clone(), start.clone());
                isa.add_rows_f64(&mut got, &refs, &w);
                for (row, w) in refs.iter().zip(&w) {
                    isa.add_row_f64(&mut want, row, *w);
                }
                let same = got
                    .iter()
                    .zip(&want)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{:?} d={d} rows={m}", isa.level);
            }
        }
    }
}

#[test]
fn kept_masks_match_scalar_with_ties_nans_and_every_width() {
    let mut rng = Rng(41);
    for isa in simd_levels() {
        for n in 1..=32usize {
            // Rows drawn from a few values, so ties with the threshold are common, plus NaN.
            let rows: Vec<Vec<f32>> = (0..7)
                .map(|_| {
                    (0..n)
                        .map(|_| match rng.next() % 5 {
                            0 => f32::NAN,
                            1 => 1.0,
                            2 => f32::INFINITY,
                            v => v as f32 * 0.5,
                        })
                        .collect()
                })
                .collect();
            let ptrs: Vec<*const f32> = rows.iter().map(|r| r.as_ptr()).collect();
            let t = [1.0f32, 0.5, f32::NAN, f32::INFINITY, 2.0, 1.5, -1.0];
            for inclusive in [false, true] {
                let (mut got, mut want) = (vec![0u32; 7], vec![0u32; 7]);
                // SAFETY: every pointer addresses n floats of its row.
                unsafe {
                    isa.kept_masks(&ptrs, n, &t, inclusive, &mut got);
                    table(SimdLevel::Scalar).kept_masks(&ptrs, n, &t, inclusive, &mut want);
                }
                assert_eq!(got, want, "{:?} n = {n} inclusive = {inclusive}", isa.level);
                for (r, mask) in want.iter().enumerate() {
                    for (c, v) in rows[r].iter().enumerate() {
                        let kept = v.is_nan() || if inclusive { *v <= t[r] } else { *v < t[r] };
                        assert_eq!(mask >> c & 1 == 1, kept, "row {r} value {v} t {}", t[r]);
                    }
                    assert_eq!(mask >> n.min(31) >> 1, 0, "bits past n");
                }
            }
        }
    }
}
