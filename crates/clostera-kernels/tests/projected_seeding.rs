//! Projections of rows, the transposed product, and the projected lower bound of
//! `seed_potential`: the bound prunes many more pairs, and never changes a total, a kept
//! distance that matters, or a commit, whatever the basis.

mod common;
use clostera_kernels::*;
use common::*;

/// `m` orthonormal rows (f64 Gram-Schmidt, stored as f32) spanning the given vectors.
fn orthonormal(vectors: &[Vec<f64>], d: usize) -> Vec<f32> {
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for v in vectors {
        let mut w = v.clone();
        for _ in 0..2 {
            for b in &basis {
                let dot: f64 = w.iter().zip(b).map(|(a, c)| a * c).sum();
                w.iter_mut().zip(b).for_each(|(a, c)| *a -= dot * c);
            }
        }
        let norm = w.iter().map(|a| a * a).sum::<f64>().sqrt();
        assert!(norm > 1e-9);
        basis.push(w.iter().map(|a| a / norm).collect());
    }
    let out: Vec<f32> = basis.iter().flatten().map(|v| *v as f32).collect();
    assert_eq!(out.len(), vectors.len() * d);
    out
}

/// A basis close to the data's spread: differences of rows far apart in the data.
fn data_basis(x: &[f32], n: usize, d: usize, m: usize) -> Vec<f32> {
    let diffs: Vec<Vec<f64>> = (0..m)
        .map(|j| {
            let (a, b) = ((j * 131 + 7) % n, (j * 977 + n / 2) % n);
            (0..d)
                .map(|c| x[a * d + c] as f64 - x[b * d + c] as f64)
                .collect()
        })
        .collect();
    orthonormal(&diffs, d)
}

fn random_basis(d: usize, m: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    let v: Vec<Vec<f64>> = (0..m)
        .map(|_| rng.f32s(d).iter().map(|a| *a as f64).collect())
        .collect();
    orthonormal(&v, d)
}

#[test]
fn project_rows_matches_f64_dots_and_norms() {
    let (n, d, m) = (700usize, 131usize, 21usize);
    let x = Rng(3).f32s(n * d);
    let basis = random_basis(d, m, 9);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let bm = Matrix::new(&basis, d, "b").unwrap();
    for level in simd_levels() {
        let o = PassOptions {
            simd: Some(level),
            ..Default::default()
        };
        let (mut p, mut norms) = (vec![0f32; n * m], vec![0f32; n]);
        project_rows(xm, bm, &mut p, Some(&mut norms), &o).unwrap();
        let mut sq = vec![0f32; n];
        row_norms(xm, true, &mut sq, &o).unwrap();
        assert_eq!(
            norms.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            sq.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        for i in 0..n {
            for j in 0..m {
                let want = value(Metric::Ip, xm.row(i), bm.row(j));
                assert!(
                    (p[i * m + j] as f64 - want).abs() <= tol(d),
                    "{level:?} row {i} dir {j}"
                );
            }
        }
    }
}

#[test]
fn weighted_row_sums_match_f64_and_every_thread_count() {
    let (n, d, m) = (5000usize, 37usize, 5usize);
    let x = Rng(5).f32s(n * d);
    let y = Rng(6).f32s(n * m);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let mut first: Option<Vec<u64>> = None;
    for threads in [1, 2, 3] {
        let o = PassOptions {
            threads: Some(threads),
            ..Default::default()
        };
        let mut out = vec![0f64; m * d];
        weighted_row_sums(xm, &y, m, &mut out, &o).unwrap();
        for j in 0..m {
            for c in 0..d {
                let want: f64 = (0..n)
                    .map(|i| y[i * m + j] as f64 * x[i * d + c] as f64)
                    .sum();
                assert!((out[j * d + c] - want).abs() <= 1e-9 * (1.0 + want.abs()));
            }
        }
        let bits: Vec<u64> = out.iter().map(|v| v.to_bits()).collect();
        match &first {
            None => first = Some(bits),
            Some(f) => assert_eq!(f, &bits, "threads {threads}"),
        }
    }
}

/// One greedy seeding run scored with and without a projection: identical totals, commits and
/// state after every step; returns (distances computed without, with).
fn seeding_with_and_without(x: &[f32], d: usize, basis: &[f32], o: &PassOptions) -> (u64, u64) {
    let n = x.len() / d;
    let xm = Matrix::new(x, d, "x").unwrap();
    let bm = Matrix::new(basis, d, "b").unwrap();
    let m_basis = bm.n;
    let (mut proj, mut norms) = (vec![0f32; n * m_basis], vec![0f32; n]);
    let gain = project_rows(xm, bm, &mut proj, Some(&mut norms), o).unwrap();
    let mut chosen = vec![17usize];
    let (mut md, mut nn) = (vec![0f32; n], vec![0u32; n]);
    seed_update(xm, xm.row(17), 0, &[], &mut md, &mut nn, None, o).unwrap();
    let (mut plain_computed, mut projected_computed) = (0u64, 0u64);
    let trials = 6usize;
    for step in 1..24usize {
        let picks: Vec<usize> = (0..trials)
            .map(|t| (step * 389 + t * 1013 + 5) % n)
            .collect();
        let cands: Vec<f32> = picks.iter().flat_map(|q| xm.row(*q).to_vec()).collect();
        let cm = Matrix::new(&cands, d, "c").unwrap();
        let gaps: Vec<f32> = picks
            .iter()
            .flat_map(|q| {
                chosen
                    .iter()
                    .map(|c| value(Metric::L2, xm.row(*q), xm.row(*c)).sqrt() as f32)
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut runs = Vec::new();
        for projection in [
            None,
            Some(SeedProjection {
                basis: bm,
                rows: &proj,
                row_norms: &norms,
                gain,
            }),
        ] {
            let (mut totals, mut rd) = (vec![0f64; trials], vec![0f32; n * trials]);
            let computed = seed_potential(
                xm,
                cm,
                &gaps,
                chosen.len(),
                &md,
                &nn,
                None,
                &mut totals,
                Some(&mut rd),
                projection,
                None,
                o,
            )
            .unwrap();
            runs.push((totals, rd, computed));
        }
        let (plain, projected) = (&runs[0], &runs[1]);
        assert!(projected.2 <= plain.2);
        plain_computed += plain.2;
        projected_computed += projected.2;
        assert_eq!(
            plain.0.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            projected.0.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            "step {step}"
        );
        for (i, row_md) in md.iter().enumerate() {
            for t in 0..trials {
                // A pruned pair keeps +inf; every pair that could lower the row is kept exactly.
                let (a, b) = (plain.1[i * trials + t], projected.1[i * trials + t]);
                if a < *row_md {
                    assert_eq!(
                        a.to_bits(),
                        b.to_bits(),
                        "step {step} row {i} candidate {t}"
                    );
                } else {
                    assert!(
                        b >= *row_md || b.is_infinite(),
                        "step {step} row {i} candidate {t}"
                    );
                }
            }
        }
        let best = (0..trials)
            .min_by(|a, b| plain.0[*a].partial_cmp(&plain.0[*b]).unwrap())
            .unwrap();
        let (mut md2, mut nn2) = (md.clone(), nn.clone());
        let with_plain = seed_commit(
            &plain.1,
            trials,
            best,
            chosen.len() as u32,
            &mut md,
            &mut nn,
            None,
            o,
        )
        .unwrap();
        let with_projected = seed_commit(
            &projected.1,
            trials,
            best,
            chosen.len() as u32,
            &mut md2,
            &mut nn2,
            None,
            o,
        )
        .unwrap();
        assert_eq!(with_plain.to_bits(), with_projected.to_bits());
        assert_eq!(
            md.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            md2.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(nn, nn2);
        chosen.push(picks[best]);
    }
    (plain_computed, projected_computed)
}

#[test]
fn projected_bound_prunes_more_and_changes_nothing() {
    let (n, d) = (3000usize, 160usize);
    let x = blobs(n, d, 20, 21);
    let basis = data_basis(&x, n, d, 24);
    for level in simd_levels() {
        let o = PassOptions {
            simd: Some(level),
            ..Default::default()
        };
        let (plain, projected) = seeding_with_and_without(&x, d, &basis, &o);
        assert!(4 * projected < 3 * plain, "{level:?}: the bound should prune a quarter of the distances left ({projected} of {plain})");
    }
}

/// The bound is scaled by the basis's gain, so a basis that is not orthonormal (rows scaled up,
/// rows repeated, or a random one) still changes nothing.
#[test]
fn any_basis_keeps_the_results_exact() {
    let (n, d) = (1200usize, 64usize);
    let x = blobs(n, d, 12, 4);
    let o = PassOptions::default();
    let good = data_basis(&x, n, d, 8);
    let scaled: Vec<f32> = good.iter().map(|v| v * 3.0).collect();
    let repeated: Vec<f32> = good[..d].iter().cycle().take(4 * d).copied().collect();
    let skewed: Vec<f32> = Rng(8).f32s(6 * d);
    for basis in [good, scaled, repeated, skewed, random_basis(d, 16, 2)] {
        seeding_with_and_without(&x, d, &basis, &o);
    }
}

#[test]
fn projection_inputs_are_checked() {
    let (n, d) = (50usize, 8usize);
    let x = Rng(1).f32s(n * d);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let basis = random_basis(d, 3, 1);
    let bm = Matrix::new(&basis, d, "b").unwrap();
    let o = PassOptions::default();
    let (md, nn) = (vec![1f32; n], vec![0u32; n]);
    let cm = Matrix::new(xm.row(3), d, "c").unwrap();
    let mut totals = vec![0f64; 1];
    let short_rows = vec![0f32; n * 3 - 1];
    let norms = vec![0f32; n];
    let bad = SeedProjection {
        basis: bm,
        rows: &short_rows,
        row_norms: &norms,
        gain: 1.0,
    };
    let e = seed_potential(
        xm,
        cm,
        &[1.0],
        1,
        &md,
        &nn,
        None,
        &mut totals,
        None,
        Some(bad),
        None,
        &o,
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.actual.clone()),
        (
            ErrorCode::InvalidArgument,
            Some(Detail::Num((n * 3 - 1) as f64))
        ),
        "{e:?}"
    );
    let wide = random_basis(d + 1, 2, 1);
    let e = project_rows(
        xm,
        Matrix::new(&wide, d + 1, "b").unwrap(),
        &mut vec![0f32; n * 2],
        None,
        &o,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::DimensionMismatch, "{e:?}");
    let e =
        weighted_row_sums(xm, &vec![0f32; n * 2 - 1], 2, &mut vec![0f64; 2 * d], &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument, "{e:?}");
    let zero = vec![0f32; 2 * d];
    let e = project_rows(
        xm,
        Matrix::new(&zero, d, "b").unwrap(),
        &mut vec![0f32; n * 2],
        None,
        &o,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument, "{e:?}");
    let rows = vec![0f32; n * 3];
    for gain in [0.0, f32::NAN, f32::INFINITY] {
        let bad_gain = SeedProjection {
            basis: bm,
            rows: &rows,
            row_norms: &norms,
            gain,
        };
        let e = seed_potential(
            xm,
            cm,
            &[1.0],
            1,
            &md,
            &nn,
            None,
            &mut totals,
            None,
            Some(bad_gain),
            None,
            &o,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{e:?}");
    }
}

/// Rows far from the origin next to their spread (a common offset 1,000 times the blobs' scale):
/// the projected distances come from norms and dot products with cancellation, so the bound
/// must carry their rounding; it still prunes nothing that could lower a row's distance.
#[test]
fn rows_far_from_the_origin_keep_the_results_exact() {
    let (n, d) = (1500usize, 96usize);
    let spread = blobs(n, d, 10, 31);
    let scale = spread.iter().fold(0f32, |a, v| a.max(v.abs()));
    let x: Vec<f32> = spread.iter().map(|v| v + 1000.0 * scale).collect();
    let basis = data_basis(&x, n, d, 20);
    for level in simd_levels() {
        let o = PassOptions {
            simd: Some(level),
            ..Default::default()
        };
        seeding_with_and_without(&x, d, &basis, &o);
    }
}
