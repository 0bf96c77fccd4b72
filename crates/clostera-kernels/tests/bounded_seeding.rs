//! The bounded Lloyd step gives the same labels as plain assignment step by step, and the pruned
//! k-means++ steps give the same distances and totals as unpruned ones.

mod common;
use clostera_kernels::*;
use common::*;

/// Seeded Gaussian-ish blobs: `k_true` centres, rows scattered around them.
fn blobs(n: usize, d: usize, k_true: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    let centres = rng
        .f32s(k_true * d)
        .iter()
        .map(|v| v * 5.0)
        .collect::<Vec<_>>();
    let mut x = Vec::with_capacity(n * d);
    for _ in 0..n {
        let c = (rng.next() % k_true as u64) as usize;
        for j in 0..d {
            let noise: f32 = (0..4).map(|_| rng.unit() - 0.5).sum();
            x.push(centres[c * d + j] + noise);
        }
    }
    x
}

fn update(x: Matrix, labels: &[u32], k: usize, old: &[f32]) -> Vec<f32> {
    let d = x.d;
    let (mut s, mut w, mut c) = (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
    accumulate(
        x,
        labels,
        None,
        k,
        &mut s,
        &mut w,
        &mut c,
        &PassOptions::default(),
    )
    .unwrap();
    (0..k * d)
        .map(|i| {
            if w[i / d] > 0.0 {
                (s[i] / w[i / d]) as f32
            } else {
                old[i]
            }
        })
        .collect()
}

fn motion(old: &[f32], new: &[f32], d: usize) -> (Vec<f32>, Vec<f32>) {
    let k = old.len() / d;
    let drift: Vec<f32> = (0..k)
        .map(|j| {
            value(
                Metric::L2,
                &old[j * d..(j + 1) * d],
                &new[j * d..(j + 1) * d],
            )
            .sqrt() as f32
        })
        .collect();
    let half: Vec<f32> = (0..k)
        .map(|a| {
            (0..k)
                .filter(|b| *b != a)
                .map(|b| {
                    value(
                        Metric::L2,
                        &new[a * d..(a + 1) * d],
                        &new[b * d..(b + 1) * d],
                    )
                    .sqrt()
                })
                .fold(f64::INFINITY, f64::min) as f32
                / 2.0
        })
        .map(|v| if v.is_finite() { v } else { 0.0 })
        .collect();
    (drift, half)
}

#[test]
fn bounded_steps_equal_plain_lloyd_step_by_step() {
    for level in simd_levels() {
        for (n, d, k) in [(3000usize, 16usize, 20usize), (1500, 131, 7), (800, 3, 1)] {
            let x = blobs(n, d, 12, (n + d) as u64);
            let xm = Matrix::new(&x, d, "x").unwrap();
            let o = PassOptions {
                simd: Some(level),
                ..Default::default()
            };
            let mut c: Vec<f32> = x[..k * d].to_vec();
            let mut labels = vec![0u32; n];
            let mut lower = vec![0f32; n];
            let mut values = vec![0f32; n];
            let mut skipped_total = 0;
            let mut prev: Option<Vec<f32>> = None;
            for it in 0..12 {
                let cm = Matrix::new(&c, d, "c").unwrap();
                let mot = prev.as_ref().map(|p| motion(p, &c, d));
                let stats = bounded_assign(
                    xm,
                    cm,
                    mot.as_ref().map(|(dr, hs)| CentroidMotion {
                        drift: dr,
                        half_sep: hs,
                    }),
                    &mut labels,
                    &mut lower,
                    &mut values,
                    None,
                    &o,
                )
                .unwrap();
                let (mut pl, mut pv) = (vec![0u32; n], vec![0f32; n]);
                assign(xm, cm, Metric::L2, &mut pl, &mut pv, &o).unwrap();
                assert_eq!(labels, pl, "{level:?} n={n} d={d} k={k} iteration {it}");
                let plain: f64 = pv.iter().map(|v| *v as f64).sum();
                assert!(
                    (stats.objective - plain).abs() <= 1e-4 * plain.max(1.0),
                    "objective {} vs {plain}",
                    stats.objective
                );
                skipped_total += n as u64 - stats.recomputed;
                prev = Some(c.clone());
                c = update(xm, &labels, k, &c);
            }
            if k > 1 {
                assert!(
                    skipped_total > 0,
                    "{level:?}: the bounds never skipped a row"
                );
            }
        }
    }
}

#[test]
fn yinyang_steps_equal_plain_lloyd_step_by_step() {
    for level in simd_levels() {
        for (n, d, k, t) in [
            (3000usize, 16usize, 40usize, 4usize),
            (1500, 131, 7, 2),
            // Few centroids on wide rows (the row-major `dot_row` path), in groups of 4; and a
            // panel-path call whose groups of 8 would qualify for `dot_row` on their own (the
            // call's layout must hold for every group).
            (1200, 96, 12, 3),
            (1500, 80, 24, 3),
            (800, 3, 1, 1),
            (2000, 33, 60, 60),
            (2500, 8, 30, 1),
            // k beyond one 512-centroid chunk: groups straddle the chunk edge, so a group's
            // best two come from two partial sweeps.
            (1200, 12, 700, 9),
        ] {
            let x = blobs(n, d, 12, (n + d + t) as u64);
            let xm = Matrix::new(&x, d, "x").unwrap();
            let o = PassOptions {
                simd: Some(level),
                ..Default::default()
            };
            let group_of: Vec<u32> = (0..k).map(|j| (j % t) as u32).collect();
            let grouping = Grouping {
                group_of: &group_of,
                t,
            };
            let mut c: Vec<f32> = x[..k * d].to_vec();
            let mut labels = vec![0u32; n];
            let mut lower = vec![0f32; n * t];
            let mut values = vec![0f32; n];
            let mut prev: Option<Vec<f32>> = None;
            let mut settled = 0;
            for it in 0..12 {
                let cm = Matrix::new(&c, d, "c").unwrap();
                let drift = prev.as_ref().map(|p| motion(p, &c, d).0);
                let (mut sums, mut ws, mut counts) =
                    (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
                let fused = ClusterSums {
                    sums: &mut sums,
                    weight_sums: &mut ws,
                    counts: &mut counts,
                };
                let stats = yinyang_assign(
                    xm,
                    cm,
                    &grouping,
                    drift.as_deref(),
                    YinyangState {
                        labels: &mut labels,
                        lower: &mut lower,
                        values: &mut values,
                    },
                    None,
                    Some(fused),
                    &o,
                )
                .unwrap();
                // The fused sums equal a separate accumulation of the new labels.
                let (mut rs, mut rw, mut rc) = (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
                accumulate(xm, &labels, None, k, &mut rs, &mut rw, &mut rc, &o).unwrap();
                assert_eq!(counts, rc);
                assert_eq!(ws, rw);
                for (a, b) in sums.iter().zip(&rs) {
                    assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()));
                }
                let (mut pl, mut pv) = (vec![0u32; n], vec![0f32; n]);
                assign(xm, cm, Metric::L2, &mut pl, &mut pv, &o).unwrap();
                assert_eq!(
                    labels, pl,
                    "{level:?} n={n} d={d} k={k} t={t} iteration {it}"
                );
                let plain: f64 = pv.iter().map(|v| *v as f64).sum();
                assert!(
                    (stats.objective - plain).abs() <= 1e-4 * plain.max(1.0),
                    "objective {} vs {plain}",
                    stats.objective
                );
                settled += n as u64 - stats.recomputed;
                // Every bound really is a lower bound on the distance to the group's other members.
                for i in (0..n).step_by(37) {
                    for j in 0..k {
                        if j as u32 == labels[i] {
                            continue;
                        }
                        let dist = value(Metric::L2, xm.row(i), cm.row(j)).sqrt();
                        assert!(
                            lower[i * t + group_of[j] as usize] as f64
                                <= dist * (1.0 + 1e-4) + 1e-4,
                            "bound above a true distance"
                        );
                    }
                }
                prev = Some(c.clone());
                c = update(xm, &labels, k, &c);
            }
            if k > 1 {
                assert!(settled > 0, "{level:?}: the bounds never settled a row");
            }
        }
    }
}

#[test]
fn pruned_seeding_equals_unpruned_distances() {
    let (n, d) = (4000, 24);
    let x = blobs(n, d, 30, 3);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let o = PassOptions::default();
    let picks = [5usize, 900, 1700, 2500, 3300, 10, 77, 3999];
    let mut md = vec![f32::INFINITY; n];
    let mut nn = vec![0u32; n];
    let mut ref_md = vec![f32::INFINITY; n];
    let mut computed = 0;
    for (j, p) in picks.iter().enumerate() {
        let centre = xm.row(*p);
        let gaps: Vec<f32> = picks[..j]
            .iter()
            .map(|q| value(Metric::L2, xm.row(*q), centre).sqrt() as f32)
            .collect();
        let gaps_of = |j: usize, c: usize| -> Vec<f32> {
            picks[..j]
                .iter()
                .map(|q| value(Metric::L2, xm.row(*q), xm.row(picks[j + c])).sqrt() as f32)
                .collect()
        };
        // Candidates scored before committing must predict the committed total.
        if j > 0 {
            let cands: Vec<f32> = picks[j..]
                .iter()
                .flat_map(|q| xm.row(*q).to_vec())
                .collect();
            let cm = Matrix::new(&cands, d, "c").unwrap();
            let cgaps: Vec<f32> = picks[j..]
                .iter()
                .flat_map(|q| {
                    picks[..j]
                        .iter()
                        .map(|r| value(Metric::L2, xm.row(*q), xm.row(*r)).sqrt() as f32)
                })
                .collect();
            let mut totals = vec![0f64; cm.n];
            let mut rd = vec![0f32; n * cm.n];
            seed_potential(
                xm,
                cm,
                &cgaps,
                j,
                &md,
                &nn,
                None,
                &mut totals,
                Some(&mut rd),
                &o,
            )
            .unwrap();
            // Committing from the kept distances equals a full update pass.
            let (mut md2, mut nn2) = (md.clone(), nn.clone());
            let committed =
                seed_commit(&rd, cm.n, 0, j as u32, &mut md2, &mut nn2, None, &o).unwrap();
            let (mut md3, mut nn3) = (md.clone(), nn.clone());
            let updated = seed_update(
                xm,
                &cands[..d],
                j as u32,
                &gaps_of(j, 0),
                &mut md3,
                &mut nn3,
                None,
                &o,
            )
            .unwrap();
            assert_eq!(
                md2.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                md3.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
            assert_eq!(nn2, nn3);
            assert_eq!(committed.to_bits(), updated.total.to_bits());
            assert!(
                (committed - totals[0]).abs() <= 1e-9 * committed,
                "commit matches the candidate's potential"
            );
            let mut unpruned = vec![0f64; cm.n];
            kmeanspp_potential(xm, cm, Metric::L2, &md, None, &mut unpruned, &o).unwrap();
            // Seeding measures in the dot form, the reference directly: equal up to f32 rounding.
            for (a, b) in totals.iter().zip(&unpruned) {
                assert!((a - b).abs() <= 1e-5 * b, "{a} vs {b}");
            }
        }
        let s = seed_update(xm, centre, j as u32, &gaps, &mut md, &mut nn, None, &o).unwrap();
        let t = kmeanspp_update(xm, centre, Metric::L2, &mut ref_md, None, &o).unwrap();
        for i in 0..n {
            assert!(
                (md[i] - ref_md[i]).abs() <= 1e-3 * (1.0 + ref_md[i]),
                "row {i}: {} vs {}",
                md[i],
                ref_md[i]
            );
        }
        assert!((s.total - t).abs() <= 1e-5 * t);
        computed += s.computed;
        for i in 0..n {
            let want = value(Metric::L2, xm.row(i), xm.row(picks[nn[i] as usize]));
            assert!((md[i] as f64 - want).abs() <= 1e-3 * (1.0 + want));
        }
    }
    assert!(
        computed < (n * picks.len()) as u64,
        "pruning skipped nothing"
    );
}

/// More candidates than one `dot_row` chunk (16): every candidate's kept row distances are the
/// bits a call scoring it alone keeps, and the totals match the unpruned reference, on every
/// SIMD level of this CPU (d = 37 leaves a tail in every chunk of the vector width).
#[test]
fn potential_over_several_candidate_chunks_equals_one_at_a_time() {
    let (n, d, m) = (1500usize, 37usize, 21usize);
    let x = blobs(n, d, 25, 11);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let chosen = [3usize, 400, 812];
    for level in simd_levels() {
        let o = PassOptions {
            simd: Some(level),
            ..Default::default()
        };
        let (mut md, mut nn) = (vec![f32::INFINITY; n], vec![0u32; n]);
        for (j, p) in chosen.iter().enumerate() {
            let gaps: Vec<f32> = chosen[..j]
                .iter()
                .map(|q| value(Metric::L2, xm.row(*q), xm.row(*p)).sqrt() as f32)
                .collect();
            seed_update(xm, xm.row(*p), j as u32, &gaps, &mut md, &mut nn, None, &o).unwrap();
        }
        let picks: Vec<usize> = (0..m).map(|c| (c * 67 + 5) % n).collect();
        let cands: Vec<f32> = picks.iter().flat_map(|q| xm.row(*q).to_vec()).collect();
        let cm = Matrix::new(&cands, d, "c").unwrap();
        let gaps_of = |q: usize| -> Vec<f32> {
            chosen
                .iter()
                .map(|c| value(Metric::L2, xm.row(q), xm.row(*c)).sqrt() as f32)
                .collect()
        };
        let cgaps: Vec<f32> = picks.iter().flat_map(|q| gaps_of(*q)).collect();
        let (mut totals, mut rd) = (vec![0f64; m], vec![0f32; n * m]);
        let nc = chosen.len();
        seed_potential(xm, cm, &cgaps, nc, &md, &nn, None, &mut totals, Some(&mut rd), &o)
            .unwrap();
        for (c, q) in picks.iter().enumerate() {
            let one = Matrix::new(xm.row(*q), d, "one").unwrap();
            let (mut t1, mut rd1) = (vec![0f64; 1], vec![0f32; n]);
            seed_potential(xm, one, &gaps_of(*q), nc, &md, &nn, None, &mut t1, Some(&mut rd1), &o)
                .unwrap();
            for i in 0..n {
                assert_eq!(
                    rd[i * m + c].to_bits(),
                    rd1[i].to_bits(),
                    "{level:?} candidate {c} row {i}"
                );
            }
            assert_eq!(totals[c].to_bits(), t1[0].to_bits(), "{level:?} candidate {c}");
        }
        let mut unpruned = vec![0f64; m];
        kmeanspp_potential(xm, cm, Metric::L2, &md, None, &mut unpruned, &o).unwrap();
        for (a, b) in totals.iter().zip(&unpruned) {
            assert!((a - b).abs() <= 1e-5 * b, "{level:?}: {a} vs {b}");
        }
    }
}
