//! Thread-count invariance (bit-identical outputs), accumulation and k-means++ steps against
//! naive references, cancellation and progress. (Row gathering: `gather_rows.rs`.)

mod common;
use std::sync::atomic::{AtomicI64, Ordering};

use clostera_kernels::*;
use common::*;

#[test]
fn every_pass_is_bit_identical_at_any_thread_count() {
    // Large enough that every pass really runs on several threads (see MIN_WORK_PER_THREAD).
    let (n, d, k) = (30000, 37, 300);
    let mut rng = Rng(42);
    let x = rng.f32s(n * d);
    let c = rng.f32s(k * d);
    let w: Vec<f32> = (0..n).map(|_| rng.unit() + 0.1).collect();
    let (xm, cm) = (
        Matrix::new(&x, d, "x").unwrap(),
        Matrix::new(&c, d, "c").unwrap(),
    );
    let run = |t: usize| {
        let o = with_threads(t);
        let mut labels = vec![0u32; n];
        let mut values = vec![0f32; n];
        assign(xm, cm, Metric::L2, &mut labels, &mut values, &o).unwrap();
        let mut tl = vec![0u32; n * 4];
        let mut tv = vec![0f32; n * 4];
        top_l(xm, cm, Metric::Cos, 4, &mut tl, &mut tv, &o).unwrap();
        let mut sums = vec![0f64; k * d];
        let mut ws = vec![0f64; k];
        let mut counts = vec![0u32; k];
        accumulate(
            xm,
            &labels,
            Some(&w),
            k,
            &mut sums,
            &mut ws,
            &mut counts,
            &o,
        )
        .unwrap();
        let mut md = vec![f32::INFINITY; n];
        let total = kmeanspp_update(xm, cm.row(3), Metric::L2, &mut md, Some(&w), &o).unwrap();
        let mut totals = vec![0f64; 5];
        kmeanspp_potential(
            xm,
            Matrix::new(&c[..5 * d], d, "cand").unwrap(),
            Metric::L2,
            &md,
            None,
            &mut totals,
            &o,
        )
        .unwrap();
        let group_of: Vec<u32> = (0..k).map(|j| (j % 7) as u32).collect();
        let grouping = Grouping {
            group_of: &group_of,
            t: 7,
        };
        let (mut yl, mut ylow, mut yv) = (vec![0u32; n], vec![0f32; n * 7], vec![0f32; n]);
        let (mut ys, mut yw, mut yc) = (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
        yinyang_assign(
            xm,
            cm,
            &grouping,
            None,
            YinyangState {
                labels: &mut yl,
                lower: &mut ylow,
                values: &mut yv,
            },
            Some(&w),
            None,
            &o,
        )
        .unwrap();
        let drift = vec![0.01f32; k];
        let cums = ClusterSums {
            sums: &mut ys,
            weight_sums: &mut yw,
            counts: &mut yc,
        };
        yinyang_assign(
            xm,
            cm,
            &grouping,
            Some(&drift),
            YinyangState {
                labels: &mut yl,
                lower: &mut ylow,
                values: &mut yv,
            },
            Some(&w),
            Some(cums),
            &o,
        )
        .unwrap();
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        let bits64 = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        (
            labels,
            bits(&values),
            tl,
            bits(&tv),
            bits64(&sums),
            bits64(&ws),
            counts,
            total.to_bits(),
            bits64(&totals),
        )
    };
    let one = run(1);
    for t in [2, 3, 7] {
        assert!(run(t) == one, "results differ at {t} threads");
    }
}

#[test]
fn accumulate_matches_a_naive_loop() {
    let (n, d, k) = (3001, 13, 17);
    let mut rng = Rng(9);
    let x = rng.f32s(n * d);
    let labels: Vec<u32> = (0..n)
        .map(|_| (rng.next() % (k as u64 - 2)) as u32)
        .collect(); // last 2 empty
    let w: Vec<f32> = (0..n).map(|_| rng.unit() * 3.0).collect();
    let xm = Matrix::new(&x, d, "x").unwrap();
    let mut sums = vec![1f64; k * d];
    let mut ws = vec![1f64; k];
    let mut counts = vec![1u32; k];
    accumulate(
        xm,
        &labels,
        Some(&w),
        k,
        &mut sums,
        &mut ws,
        &mut counts,
        &with_threads(2),
    )
    .unwrap();
    let mut rs = vec![0f64; k * d];
    let mut rw = vec![0f64; k];
    let mut rc = vec![0u32; k];
    for i in 0..n {
        let c = labels[i] as usize;
        for j in 0..d {
            rs[c * d + j] += w[i] as f64 * x[i * d + j] as f64;
        }
        rw[c] += w[i] as f64;
        rc[c] += 1;
    }
    assert_eq!(counts, rc);
    assert_eq!(&counts[k - 2..], &[0, 0]);
    for (a, b) in sums.iter().zip(&rs) {
        assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()));
    }
    for (a, b) in ws.iter().zip(&rw) {
        assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()));
    }
    // Unweighted: weight sums equal counts.
    accumulate(
        xm,
        &labels,
        None,
        k,
        &mut sums,
        &mut ws,
        &mut counts,
        &with_threads(3),
    )
    .unwrap();
    for c in 0..k {
        assert_eq!(ws[c], counts[c] as f64);
    }
}

#[test]
fn kmeanspp_steps_match_naive_distances() {
    let (n, d) = (777, 29);
    let mut rng = Rng(77);
    let x = rng.f32s(n * d);
    let cands = rng.f32s(3 * d);
    let xm = Matrix::new(&x, d, "x").unwrap();
    for metric in [Metric::L2, Metric::Cos] {
        let dist = |i: usize, c: &[f32]| match metric {
            Metric::L2 => value(Metric::L2, xm.row(i), c),
            _ => 1.0 - value(Metric::Cos, xm.row(i), c),
        };
        let mut md = vec![f32::INFINITY; n];
        let t1 = kmeanspp_update(
            xm,
            &cands[..d],
            metric,
            &mut md,
            None,
            &PassOptions::default(),
        )
        .unwrap();
        let mut totals = vec![0f64; 3];
        kmeanspp_potential(
            xm,
            Matrix::new(&cands, d, "c").unwrap(),
            metric,
            &md,
            None,
            &mut totals,
            &PassOptions::default(),
        )
        .unwrap();
        let mut want_t1 = 0.0;
        for i in 0..n {
            let want = dist(i, &cands[..d]);
            assert!((md[i] as f64 - want).abs() <= tol(d) * (1.0 + want));
            want_t1 += md[i] as f64;
        }
        assert!((t1 - want_t1).abs() <= 1e-9 * want_t1);
        assert!(
            (totals[0] - t1).abs() <= 1e-6 * t1,
            "re-adding the same centre changes nothing"
        );
        for c in 1..3 {
            let want: f64 = (0..n)
                .map(|i| dist(i, &cands[c * d..(c + 1) * d]).min(md[i] as f64))
                .sum();
            assert!(
                (totals[c] - want).abs() <= 1e-4 * want,
                "{metric:?} candidate {c}"
            );
        }
        // Committing candidate 2 gives the total it was scored with.
        let t2 = kmeanspp_update(
            xm,
            &cands[2 * d..],
            metric,
            &mut md,
            None,
            &PassOptions::default(),
        )
        .unwrap();
        assert!((t2 - totals[2]).abs() <= 1e-9 * t2);
    }
    let mut md = vec![f32::INFINITY; n];
    let e = kmeanspp_update(
        xm,
        &cands[..d],
        Metric::Ip,
        &mut md,
        None,
        &PassOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn cancellation_stops_the_pass_and_progress_counts_rows() {
    let (n, d, k) = (20000, 16, 64);
    let mut rng = Rng(1);
    let x = rng.f32s(n * d);
    let c = rng.f32s(k * d);
    let (xm, cm) = (
        Matrix::new(&x, d, "x").unwrap(),
        Matrix::new(&c, d, "c").unwrap(),
    );
    let cancel = AtomicI64::new(0);
    let progress = AtomicI64::new(0);
    let o = PassOptions {
        control: Control {
            cancel: Some(&cancel),
            progress: Some(&progress),
        },
        ..Default::default()
    };
    let mut labels = vec![0u32; n];
    let mut values = vec![0f32; n];
    assign(xm, cm, Metric::L2, &mut labels, &mut values, &o).unwrap();
    assert_eq!(progress.load(Ordering::Relaxed), n as i64);
    // The Yinyang step counts its rows too (with and without fused sums, with and without bounds).
    let group_of: Vec<u32> = (0..k).map(|j| (j % 4) as u32).collect();
    let grouping = Grouping {
        group_of: &group_of,
        t: 4,
    };
    let mut lower = vec![0f32; n * 4];
    for (drift, with_sums) in [(None, false), (Some(vec![0.01f32; k]), true)] {
        progress.store(0, Ordering::Relaxed);
        let (mut sums, mut ws, mut counts) = (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
        let fused = with_sums.then(|| ClusterSums {
            sums: &mut sums,
            weight_sums: &mut ws,
            counts: &mut counts,
        });
        let state = YinyangState {
            labels: &mut labels,
            lower: &mut lower,
            values: &mut values,
        };
        yinyang_assign(xm, cm, &grouping, drift.as_deref(), state, None, fused, &o).unwrap();
        assert_eq!(
            progress.load(Ordering::Relaxed),
            n as i64,
            "yinyang, sums {with_sums}"
        );
    }
    cancel.store(1, Ordering::Relaxed);
    let e = assign(xm, cm, Metric::L2, &mut labels, &mut values, &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    let mut md = vec![f32::INFINITY; n];
    assert_eq!(
        kmeanspp_update(xm, cm.row(0), Metric::L2, &mut md, None, &o)
            .unwrap_err()
            .code,
        ErrorCode::Cancelled
    );
}
