//! The bf16 screen's kernels against scalar references: the row conversion, the panel
//! micro-kernel against exact sums of the bf16 products, the seeding dot rows (bf16 or f32
//! candidates), and the
//! exact-row-count f32 recompute. Run at every bf16 level this CPU has; skipped, with a message,
//! on CPUs without AVX512-BF16.

use super::tests::bf16_isas;
use crate::simd::bf16::{convert_row_scalar, dot_rows_f32_layout, dot_rows_layout, from_bf16};
use crate::simd::tests::Rng;
#[test]
fn bf16_kernels_match_their_scalar_references() {
    for isa in bf16_isas() {
        let bk = isa.bf16.unwrap();
        let mut rng = Rng(9);
        for d in [1usize, 2, 15, 16, 17, 31, 33, 100, 784, 1025] {
            let mut row = rng.f32s(d);
            row[0] = 1.0 + 2f32.powi(-8); // a tie in bf16 rounding
            if d > 3 {
                row[3] = 3e-39; // subnormal: flushed
            }
            let (mut a, mut b) = (vec![0u32; d.div_ceil(2)], vec![0u32; d.div_ceil(2)]);
            // SAFETY: `a` holds d.div_ceil(2) pairs; the CPU has the instructions.
            let ea = unsafe { (bk.convert_row)(&row, &mut a) };
            let eb = convert_row_scalar(&row, &mut b);
            assert_eq!(a, b, "d = {d}: pairs");
            assert!(
                (ea - eb).abs() <= eb * 1e-5 + 1e-30,
                "d = {d}: error norm {ea} vs {eb}"
            );
        }
        // The micro-kernel against exact f64 sums of the bf16 products.
        let (dp, nr) = (300usize, 32usize);
        let rows: Vec<Vec<u32>> = (0..isa.mr)
            .map(|_| {
                let v = rng.f32s(2 * dp);
                let mut w = vec![0; dp];
                convert_row_scalar(&v, &mut w);
                w
            })
            .collect();
        let panel: Vec<u32> = {
            let v = rng.f32s(2 * dp * nr);
            let mut w = vec![0; dp * nr];
            convert_row_scalar(&v, &mut w);
            w
        };
        let ptrs: Vec<*const u32> = rows.iter().map(|r| r.as_ptr()).collect();
        let mut tile = vec![0.0f32; isa.mr * nr];
        // SAFETY: mr pointers to dp pairs, the panel holds dp * nr pairs, the tile mr x nr.
        unsafe {
            (bk.microkernel)(
                ptrs.as_ptr(),
                0,
                panel.as_ptr(),
                dp,
                tile.as_mut_ptr(),
                nr,
                false,
            )
        };
        let half = |w: u32, h: usize| f64::from(from_bf16((w >> (16 * h)) as u16));
        for r in 0..isa.mr {
            for q in 0..nr {
                let (mut want, mut mag) = (0.0f64, 0.0f64);
                for p in 0..dp {
                    for h in 0..2 {
                        let t = half(rows[r][p], h) * half(panel[p * nr + q], h);
                        want += t;
                        mag += t.abs();
                    }
                }
                let got = f64::from(tile[r * nr + q]);
                assert!(
                    (got - want).abs() <= mag * 2.0 * 2f64.powi(-24) * (2 * dp) as f64,
                    "row {r} centroid {q}: {got} vs {want}"
                );
            }
        }
    }
}

#[test]
fn bf16_dot_rows_match_exact_sums_of_the_bf16_products() {
    for isa in bf16_isas() {
        let bk = isa.bf16.unwrap();
        let mut rng = Rng(23);
        let half = |w: u32, h: usize| f64::from(from_bf16((w >> (16 * h)) as u16));
        let bf16_of = |rng: &mut Rng, dp: usize| {
            let v = rng.f32s(2 * dp);
            let mut w = vec![0u32; dp];
            convert_row_scalar(&v, &mut w);
            w
        };
        for dp in [1usize, 15, 16, 17, 100, 384, 513] {
            for kc in [1usize, 2, 7, 8, 12, 13, 16] {
                let cands: Vec<Vec<u32>> = (0..kc).map(|_| bf16_of(&mut rng, dp)).collect();
                let layout = dot_rows_layout(kc, dp, |q| &cands[q]);
                let rows = [
                    bf16_of(&mut rng, dp),
                    bf16_of(&mut rng, dp),
                    bf16_of(&mut rng, dp),
                ];
                for nrows in [1usize, 2, 3] {
                    let ptrs = [rows[0].as_ptr(), rows[1].as_ptr(), rows[2].as_ptr()];
                    // SAFETY: every row holds dp pairs, the layout is of kc candidates of dp pairs;
                    // the CPU has the instructions.
                    let got = unsafe { (bk.dot_rows)(ptrs, nrows, layout.as_ptr(), kc, dp, ptrs) };
                    for r in 0..nrows {
                        for q in 0..16 {
                            if q >= kc {
                                assert_eq!(got[r][q], 0.0, "dp {dp} kc {kc}: entry {q} past kc");
                                continue;
                            }
                            let (mut want, mut mag) = (0.0f64, 0.0f64);
                            for p in 0..dp {
                                for h in 0..2 {
                                    let t = half(rows[r][p], h) * half(cands[q][p], h);
                                    want += t;
                                    mag += t.abs();
                                }
                            }
                            let err = (f64::from(got[r][q]) - want).abs();
                            assert!(
                                err <= mag * 2.0 * 2f64.powi(-24) * (2 * dp) as f64,
                                "dp {dp} kc {kc} rows {nrows} row {r} candidate {q}: {} vs {want}",
                                got[r][q]
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn bf16_rows_against_f32_candidates_match_exact_sums() {
    for isa in bf16_isas() {
        let bk = isa.bf16.unwrap();
        let mut rng = Rng(29);
        let half = |w: u32, h: usize| f64::from(from_bf16((w >> (16 * h)) as u16));
        for d in [1usize, 2, 31, 32, 33, 200, 768, 1025] {
            let dp = d.div_ceil(2);
            for kc in [1usize, 2, 7, 8, 9, 12, 13, 16] {
                // Signed candidates, so the sums cancel and the test sees the accumulation.
                let cands: Vec<Vec<f32>> = (0..kc).map(|_| rng.f32s(d).iter().map(|v| v - 0.5).collect()).collect();
                let layout = dot_rows_f32_layout(kc, d, |q| &cands[q]);
                let rows: Vec<Vec<u32>> = (0..3)
                    .map(|_| {
                        let mut w = vec![0u32; dp];
                        convert_row_scalar(&rng.f32s(d), &mut w);
                        w
                    })
                    .collect();
                for nrows in [1usize, 2, 3] {
                    let ptrs = [rows[0].as_ptr(), rows[1].as_ptr(), rows[2].as_ptr()];
                    // SAFETY: every row holds dp pairs, the layout is of kc candidates of d
                    // floats; the CPU has the instructions.
                    let got = unsafe { (bk.dot_rows_f32)(ptrs, nrows, layout.as_ptr(), kc, dp, ptrs) };
                    for r in 0..nrows {
                        for q in 0..16 {
                            if q >= kc {
                                assert_eq!(got[r][q], 0.0, "d {d} kc {kc}: entry {q} past kc");
                                continue;
                            }
                            let (mut want, mut mag) = (0.0f64, 0.0f64);
                            for (j, c) in cands[q].iter().enumerate() {
                                let t = half(rows[r][j / 2], j % 2) * f64::from(*c);
                                want += t;
                                mag += t.abs();
                            }
                            let err = (f64::from(got[r][q]) - want).abs();
                            assert!(
                                err <= mag * 2f64.powi(-24) * (d + 16) as f64,
                                "d {d} kc {kc} rows {nrows} row {r} candidate {q}: {} vs {want}",
                                got[r][q]
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn exact_row_count_recompute_has_the_padded_kernels_bits() {
    for isa in bf16_isas() {
        let bk = isa.bf16.unwrap();
        let (nr, mr) = (isa.nr, isa.mr);
        let mut rng = Rng(31);
        for (j0, dc) in [(0usize, 1usize), (0, 256), (256, 100), (3, 61)] {
            let rows: Vec<Vec<f32>> = (0..mr).map(|_| rng.f32s(j0 + dc)).collect();
            let panel = rng.f32s(dc * nr);
            let start: Vec<f32> = rng.f32s(mr * nr);
            for accumulate in [false, true] {
                let ptrs: Vec<*const f32> = rows.iter().map(|r| r.as_ptr()).collect();
                let mut padded = start.clone();
                // SAFETY: mr pointers to j0 + dc floats, the panel holds dc * nr, the tile mr x nr.
                unsafe {
                    (isa.microkernel_rows)(
                        ptrs.as_ptr(),
                        j0,
                        panel.as_ptr(),
                        dc,
                        padded.as_mut_ptr(),
                        nr,
                        accumulate,
                    )
                };
                for count in 1..=mr {
                    let mut exact = start.clone();
                    // SAFETY: count pointers to j0 + dc floats, the panel holds dc * nr, the tile
                    // count x nr (inside mr x nr).
                    unsafe {
                        (bk.recompute_rows)(
                            ptrs.as_ptr(),
                            count,
                            j0,
                            panel.as_ptr(),
                            dc,
                            exact.as_mut_ptr(),
                            nr,
                            accumulate,
                        )
                    };
                    for at in 0..count * nr {
                        assert_eq!(
                            exact[at].to_bits(),
                            padded[at].to_bits(),
                            "j0 {j0} dc {dc} rows {count} entry {at}"
                        );
                    }
                    assert_eq!(
                        &exact[count * nr..],
                        &start[count * nr..],
                        "rows past the count are untouched"
                    );
                }
            }
        }
    }
}
