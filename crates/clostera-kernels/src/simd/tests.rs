//! Every ISA primitive against the scalar reference on seeded data.

use super::*;

/// SplitMix64: a tiny seeded generator so tests need no crates.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn f32s(&mut self, n: usize) -> Vec<f32> {
        (0..n)
            .map(|_| (self.next() >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0)
            .collect()
    }
}

pub(super) const DIMS: [usize; 19] = [
    1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100, 128, 131, 384, 768, 784, 960, 1024, 2048,
];

fn close(a: f32, b: f32, scale: f32) -> bool {
    (a - b).abs() <= 1e-5 * scale.max(1.0)
}

pub(super) fn simd_levels() -> Vec<&'static Isa> {
    available_levels()
        .into_iter()
        .filter(|l| *l != SimdLevel::Scalar)
        .map(table)
        .collect()
}

#[test]
fn tables_report_their_level() {
    for level in available_levels() {
        assert_eq!(table(level).level, level);
    }
}

#[test]
fn dot_and_l2sq_match_scalar_for_every_dimension() {
    let reference = table(SimdLevel::Scalar);
    let mut rng = Rng(7);
    for isa in simd_levels() {
        for d in DIMS {
            let (a, b) = (rng.f32s(d), rng.f32s(d));
            let scale = d as f32;
            assert!(
                close(isa.dot(&a, &b), reference.dot(&a, &b), scale),
                "{:?} dot d={d}",
                isa.level
            );
            assert!(
                close(isa.l2sq(&a, &b), reference.l2sq(&a, &b), scale),
                "{:?} l2sq d={d}",
                isa.level
            );
            assert!(
                close(isa.sqnorm(&a), reference.sqnorm(&a), scale),
                "{:?} sqnorm d={d}",
                isa.level
            );
        }
    }
}

/// Runs the micro-kernel on random rows (read in place) against a packed panel, the dimension
/// loop cut into blocks of `dc_split`, and returns the MR x NR block.
fn run_microkernel(
    isa: &Isa,
    a_rows: &[f32],
    b_cols: &[f32],
    d: usize,
    dc_split: usize,
) -> Vec<f32> {
    let (mr, nr) = (isa.mr, isa.nr);
    let mut b = vec![0.0f32; d * nr];
    for j in 0..d {
        for q in 0..nr {
            b[j * nr + q] = b_cols[q * d + j];
        }
    }
    let ptrs: Vec<*const f32> = (0..mr).map(|r| a_rows[r * d..].as_ptr()).collect();
    let ldc = nr + 3;
    let mut c = vec![f32::NAN; mr * ldc];
    let mut j0 = 0;
    while j0 < d {
        let dc = dc_split.min(d - j0);
        // SAFETY: mr row pointers of d floats, a packed panel of d*nr, an mr x ldc tile; the
        // level is available.
        unsafe {
            (isa.microkernel_rows)(
                ptrs.as_ptr(),
                j0,
                b[j0 * nr..].as_ptr(),
                dc,
                c.as_mut_ptr(),
                ldc,
                j0 > 0,
            )
        };
        j0 += dc;
    }
    (0..mr)
        .flat_map(|r| c[r * ldc..r * ldc + nr].to_vec())
        .collect()
}

#[test]
fn microkernels_compute_exact_dot_blocks() {
    let mut rng = Rng(11);
    for level in available_levels() {
        let isa = table(level);
        for d in DIMS {
            let a = rng.f32s(isa.mr * d);
            let b = rng.f32s(isa.nr * d);
            for split in [d, 5, isa.dc] {
                let got = run_microkernel(isa, &a, &b, d, split.max(1));
                for r in 0..isa.mr {
                    for q in 0..isa.nr {
                        let want: f64 = (0..d)
                            .map(|j| a[r * d + j] as f64 * b[q * d + j] as f64)
                            .sum();
                        let g = got[r * isa.nr + q];
                        assert!(
                            (g as f64 - want).abs() <= 1e-4 * (d as f64).max(1.0),
                            "{level:?} d={d} split={split} r={r} q={q}: {g} vs {want}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn argmin_and_keys_agree_with_scalar_and_break_ties_low() {
    let reference = table(SimdLevel::Scalar);
    let mut rng = Rng(3);
    for level in available_levels() {
        let isa = table(level);
        for len in [1usize, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 512] {
            let dots = rng.f32s(len);
            let bias = rng.f32s(len);
            let mult: Vec<f32> = rng.f32s(len).iter().map(|v| -1.0 - v.abs()).collect();
            let mut got = (f32::INFINITY, 0u32);
            let mut want = (f32::INFINITY, 0u32);
            isa.argmin(&dots, &bias, &mult, 10, &mut got);
            reference.argmin(&dots, &bias, &mult, 10, &mut want);
            assert_eq!(got.1, want.1, "{level:?} len={len}");
            assert!(close(got.0, want.0, 4.0));
            let mut keys = vec![0.0; len];
            isa.keys(&dots, &bias, &mult, &mut keys);
            let mut k_best = (f32::INFINITY, 0u32);
            for (q, k) in keys.iter().enumerate() {
                if *k < k_best.0 {
                    k_best = (*k, 10 + q as u32);
                }
            }
            assert_eq!(k_best, got, "{level:?}: keys and argmin disagree");
            // All keys equal: the lowest index must win, also across lanes and the tail.
            let flat = vec![0.5f32; len];
            let mut tie = (f32::INFINITY, 0u32);
            isa.argmin(&flat, &vec![0.0; len], &vec![1.0; len], 0, &mut tie);
            assert_eq!(tie.1, 0, "{level:?} len={len} tie");
            // An equal key from a later chunk must not replace an earlier one.
            let mut carried = (0.5f32, 3u32);
            isa.argmin(&flat, &vec![0.0; len], &vec![1.0; len], 100, &mut carried);
            assert_eq!(carried.1, 3);
        }
    }
}

#[test]
fn unknown_and_unavailable_levels_are_coded_errors() {
    assert_eq!(
        SimdLevel::parse("sse9").unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(SimdLevel::parse("auto").unwrap(), None);
    for level in SimdLevel::ALL {
        match resolve_level(Some(level)) {
            Ok(l) => assert_eq!(l, level),
            Err(e) => {
                assert_eq!(e.code, ErrorCode::UnsupportedSimd);
                assert!(!is_available(level));
            }
        }
    }
}

#[test]
fn dot4_matches_four_dots() {
    let reference = table(SimdLevel::Scalar);
    let mut rng = Rng(33);
    for level in available_levels() {
        let isa = table(level);
        for d in DIMS {
            let x = rng.f32s(d);
            let cs: Vec<Vec<f32>> = (0..4).map(|_| rng.f32s(d)).collect();
            let got = isa.dot4(&x, [&cs[0], &cs[1], &cs[2], &cs[3]]);
            for i in 0..4 {
                assert!(
                    close(got[i], reference.dot(&x, &cs[i]), d as f32),
                    "{level:?} d={d} lane {i}"
                );
            }
        }
    }
}

#[test]
fn argmin2_keeps_argmins_best_and_the_exact_runner_up() {
    let mut rng = Rng(31);
    for level in available_levels() {
        let isa = table(level);
        for len in [1usize, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 513] {
            let mut dots = rng.f32s(len);
            // Repeated values make ties for the best and for the runner-up.
            if len > 4 {
                dots[len - 1] = dots[0];
                dots[len / 2] = dots[1];
            }
            let bias = vec![0.5f32; len];
            let mult = vec![-2.0f32; len];
            let mut keys = vec![0f32; len];
            isa.keys(&dots, &bias, &mult, &mut keys);
            let mut want_best = (f32::INFINITY, u32::MAX);
            for (q, k) in keys.iter().enumerate() {
                if *k < want_best.0 {
                    want_best = (*k, q as u32);
                }
            }
            let want_second = keys
                .iter()
                .enumerate()
                .filter(|(q, _)| *q as u32 != want_best.1)
                .map(|(_, k)| *k)
                .fold(f32::INFINITY, f32::min);
            // In one call, and split into calls as the passes do for chunks of centroids.
            for split in [len, len.div_ceil(2), 5] {
                let (mut best, mut second) = ((f32::INFINITY, 0u32), f32::INFINITY);
                let mut one = (f32::INFINITY, 0u32);
                for start in (0..len).step_by(split.max(1)) {
                    let end = (start + split.max(1)).min(len);
                    let r = start..end;
                    let (dd, bb, mm) = (&dots[r.clone()], &bias[r.clone()], &mult[r]);
                    isa.argmin2(dd, bb, mm, start as u32, &mut best, &mut second);
                    isa.argmin(dd, bb, mm, start as u32, &mut one);
                }
                assert_eq!(
                    best, one,
                    "{level:?} len={len} split={split}: best differs from argmin"
                );
                assert_eq!(best, want_best, "{level:?} len={len} split={split}");
                assert_eq!(
                    second.to_bits(),
                    want_second.to_bits(),
                    "{level:?} len={len} split={split}"
                );
            }
        }
    }
}
