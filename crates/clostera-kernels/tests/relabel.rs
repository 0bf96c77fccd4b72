//! The refinement's relabelling pass: labels and values of the chosen rows equal `assign`'s for
//! those rows bit for bit, the old-label sums match a float64 reference (unit rows under cos,
//! weighted), they are identical at any thread count, and bad ids or labels are coded errors.

mod common;
use clostera_kernels::*;
use common::*;

struct Relabelled {
    labels: Vec<u32>,
    values: Vec<f32>,
    sums: Vec<f64>,
    weight_sums: Vec<f64>,
    counts: Vec<u32>,
}

#[allow(clippy::too_many_arguments)]
fn run(
    x: Matrix,
    ids: &[u32],
    c: Matrix,
    metric: Metric,
    old: &[u32],
    w: Option<&[f32]>,
    o: &PassOptions,
) -> KernelResult<Relabelled> {
    let (m, k, d) = (ids.len(), c.n, x.d);
    let mut r = Relabelled {
        labels: vec![0; m],
        values: vec![0.0; m],
        sums: vec![0.0; k * d],
        weight_sums: vec![0.0; k],
        counts: vec![0; k],
    };
    let sums = ClusterSums {
        sums: &mut r.sums,
        weight_sums: &mut r.weight_sums,
        counts: &mut r.counts,
    };
    relabel(
        x,
        ids,
        c,
        metric,
        old,
        w,
        &mut r.labels,
        &mut r.values,
        sums,
        o,
    )?;
    Ok(r)
}

fn opts(level: SimdLevel, threads: usize) -> PassOptions<'static> {
    PassOptions {
        simd: Some(level),
        threads: Some(threads),
        ..Default::default()
    }
}

/// Every third row, and a few out of order and repeated.
fn some_ids(n: usize) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..n as u32).step_by(3).collect();
    ids.extend([5, 1, 5].iter().filter(|i| (**i as usize) < n));
    ids
}

fn check(level: SimdLevel, metric: Metric, n: usize, d: usize, k: usize, seed: u64) {
    let mut rng = Rng(seed);
    let x = rng.f32s(n * d);
    let c = rng.f32s(k * d);
    let w: Vec<f32> = (0..n).map(|i| 0.5 + (i % 4) as f32).collect();
    let (xm, cm) = (
        Matrix::new(&x, d, "x").unwrap(),
        Matrix::new(&c, d, "c").unwrap(),
    );
    let ids = some_ids(n);
    let old: Vec<u32> = ids.iter().map(|i| (*i * 7 + 3) % k as u32).collect();
    let got = run(xm, &ids, cm, metric, &old, Some(&w), &opts(level, 2)).unwrap();
    // Labels and values: what `assign` gives each of those rows.
    let (mut labels, mut values) = (vec![0u32; n], vec![0f32; n]);
    assign(xm, cm, metric, &mut labels, &mut values, &opts(level, 1)).unwrap();
    for (i, id) in ids.iter().enumerate() {
        let id = *id as usize;
        assert_eq!(
            got.labels[i], labels[id],
            "{level:?} {metric:?} d={d} k={k} row {id}"
        );
        assert_eq!(
            got.values[i].to_bits(),
            values[id].to_bits(),
            "{level:?} {metric:?} d={d} k={k} value of row {id}"
        );
    }
    // Sums by the old labels, in float64.
    let (mut sums, mut ws, mut counts) = (vec![0f64; k * d], vec![0f64; k], vec![0u32; k]);
    for (i, id) in ids.iter().enumerate() {
        let (row, j) = (xm.row(*id as usize), old[i] as usize);
        let norm: f64 = row
            .iter()
            .map(|v| f64::from(*v) * f64::from(*v))
            .sum::<f64>()
            .sqrt();
        let scale = if metric == Metric::Cos {
            1.0 / norm
        } else {
            1.0
        };
        let wi = f64::from(w[*id as usize]);
        for t in 0..d {
            sums[j * d + t] += wi * scale * f64::from(row[t]);
        }
        ws[j] += wi;
        counts[j] += 1;
    }
    assert_eq!(got.counts, counts);
    for j in 0..k {
        assert!((got.weight_sums[j] - ws[j]).abs() <= 1e-9 * (1.0 + ws[j]));
        for t in 0..d {
            let (a, b) = (got.sums[j * d + t], sums[j * d + t]);
            assert!(
                (a - b).abs() <= 1e-5 * (1.0 + b.abs()),
                "{level:?} {metric:?} sum {j},{t}: {a} vs {b}"
            );
        }
    }
    // Identical at another thread count.
    let three = run(xm, &ids, cm, metric, &old, Some(&w), &opts(level, 3)).unwrap();
    assert_eq!(three.labels, got.labels);
    assert!(three
        .sums
        .iter()
        .zip(&got.sums)
        .all(|(a, b)| a.to_bits() == b.to_bits()));
}

#[test]
fn relabels_like_assign_and_sums_by_the_old_labels() {
    for level in simd_levels() {
        for metric in [Metric::L2, Metric::Cos] {
            // Both kernel paths: few centroids in many dimensions (row-major) and a panel.
            check(level, metric, 700, 96, 10, 1);
            check(level, metric, 500, 33, 45, 2);
            check(level, metric, 61, 784, 3, 3);
        }
    }
}

#[test]
fn refuses_bad_ids_labels_and_the_ip_metric() {
    let mut rng = Rng(9);
    let (x, c) = (rng.f32s(40 * 4), rng.f32s(3 * 4));
    let (xm, cm) = (
        Matrix::new(&x, 4, "x").unwrap(),
        Matrix::new(&c, 4, "c").unwrap(),
    );
    let o = PassOptions::default();
    let e = run(xm, &[0, 40], cm, Metric::L2, &[0, 0], None, &o)
        .err()
        .unwrap();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidArgument, Some(1)));
    let e = run(xm, &[0, 1], cm, Metric::L2, &[0, 3], None, &o)
        .err()
        .unwrap();
    assert_eq!((e.code, e.row), (ErrorCode::InvalidArgument, Some(1)));
    let e = run(xm, &[0, 1], cm, Metric::L2, &[0], None, &o)
        .err()
        .unwrap();
    assert_eq!(e.code, ErrorCode::DimensionMismatch);
    let e = run(xm, &[0], cm, Metric::Ip, &[0], None, &o).err().unwrap();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}
