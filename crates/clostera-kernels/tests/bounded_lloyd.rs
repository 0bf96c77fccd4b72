//! The bounded Lloyd steps (Hamerly-style and Yinyang) give the same labels as plain assignment,
//! step by step.

mod common;
use clostera_kernels::*;
use common::*;

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
            // Wide rows and several panels: where the ISA has bf16 kernels the full recomputations
            // (the first step, rows opening more than half the centroids) are screened; groups of
            // 32 centroids, of about 17, and of 300 (many panels per group tile).
            (2000, 160, 96, 3),
            (1500, 130, 100, 6),
            (1200, 128, 600, 2),
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

/// Duplicated centroids tie on every row they are nearest to: Yinyang must keep the lowest
/// index, as plain assignment does, both when the twins share a group and when they do not,
/// and on the rows its bounds send back to the group tiles (with no drift, every row whose
/// nearest centroid has a twin fails its bound and reopens its groups).
#[test]
fn yinyang_breaks_ties_between_twin_centroids_as_plain_lloyd() {
    let (n, d, half) = (1500usize, 24usize, 12usize);
    let x = blobs(n, d, 8, 77);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let mut c: Vec<f32> = x[..half * d].to_vec();
    c.extend_from_within(..half * d);
    let k = 2 * half;
    let cm = Matrix::new(&c, d, "c").unwrap();
    for level in simd_levels() {
        let o = PassOptions {
            simd: Some(level),
            ..Default::default()
        };
        let (mut pl, mut pv) = (vec![0u32; n], vec![0f32; n]);
        assign(xm, cm, Metric::L2, &mut pl, &mut pv, &o).unwrap();
        assert!(pl.iter().all(|l| (*l as usize) < half), "plain Lloyd keeps the lower twin");
        // Twins in different groups (j and j + 12 differ mod 5), and twins in the same group.
        let groupings: [Vec<u32>; 2] = [
            (0..k).map(|j| (j % 5) as u32).collect(),
            (0..k).map(|j| ((j % half) % 3) as u32).collect(),
        ];
        for group_of in &groupings {
            let t = 1 + *group_of.iter().max().unwrap() as usize;
            let grouping = Grouping { group_of, t };
            let (mut labels, mut lower, mut values) =
                (vec![0u32; n], vec![0f32; n * t], vec![0f32; n]);
            let still = vec![0f32; k];
            for it in 0..3 {
                let stats = yinyang_assign(
                    xm,
                    cm,
                    &grouping,
                    if it == 0 { None } else { Some(&still) },
                    YinyangState {
                        labels: &mut labels,
                        lower: &mut lower,
                        values: &mut values,
                    },
                    None,
                    None,
                    &o,
                )
                .unwrap();
                assert_eq!(labels, pl, "{level:?} t={t} iteration {it}");
                if it > 0 {
                    assert!(stats.recomputed > 0, "{level:?} t={t}: no row reopened its groups");
                }
            }
        }
    }
}
