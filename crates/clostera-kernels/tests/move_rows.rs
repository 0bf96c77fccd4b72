//! Moving rows between cluster sums equals summing the new labels afresh, at any thread count,
//! and refuses moves that do not fit the sums without changing them.

mod common;
use clostera_kernels::*;
use common::*;

struct Sums {
    sums: Vec<f64>,
    weight_sums: Vec<f64>,
    counts: Vec<u32>,
}

fn fresh(x: Matrix, labels: &[u32], weights: Option<&[f32]>, k: usize) -> Sums {
    let mut s = Sums {
        sums: vec![0.0; k * x.d],
        weight_sums: vec![0.0; k],
        counts: vec![0; k],
    };
    accumulate(
        x,
        labels,
        weights,
        k,
        &mut s.sums,
        &mut s.weight_sums,
        &mut s.counts,
        &PassOptions::default(),
    )
    .unwrap();
    s
}

#[test]
fn moved_sums_equal_fresh_sums_at_every_thread_count() {
    let (n, d, k) = (3000usize, 37usize, 150usize);
    let x = Rng(2).f32s(n * d);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let mut rng = Rng(3);
    let before: Vec<u32> = (0..n).map(|_| (rng.next() % k as u64) as u32).collect();
    let weights: Vec<f32> = (0..n).map(|_| rng.unit() + 0.1).collect();
    for w in [None, Some(weights.as_slice())] {
        let mut after = before.clone();
        let mut ids = vec![];
        for i in 0..n {
            if rng.next().is_multiple_of(7) {
                after[i] = (rng.next() % k as u64) as u32;
                if after[i] != before[i] {
                    ids.push(i as u32);
                }
            }
        }
        let from: Vec<u32> = ids.iter().map(|i| before[*i as usize]).collect();
        let to: Vec<u32> = ids.iter().map(|i| after[*i as usize]).collect();
        let want = fresh(xm, &after, w, k);
        let mut first: Option<Vec<u64>> = None;
        for threads in [1, 2, 3] {
            let o = PassOptions {
                threads: Some(threads),
                ..Default::default()
            };
            let mut s = fresh(xm, &before, w, k);
            move_rows(
                xm,
                &ids,
                &from,
                &to,
                w,
                &mut s.sums,
                &mut s.weight_sums,
                &mut s.counts,
                &o,
            )
            .unwrap();
            assert_eq!(s.counts, want.counts);
            for (a, b) in s
                .sums
                .iter()
                .zip(&want.sums)
                .chain(s.weight_sums.iter().zip(&want.weight_sums))
            {
                assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{a} vs {b}");
            }
            let bits: Vec<u64> = s
                .sums
                .iter()
                .chain(&s.weight_sums)
                .map(|v| v.to_bits())
                .collect();
            match &first {
                None => first = Some(bits),
                Some(f) => assert_eq!(f, &bits, "threads {threads}"),
            }
        }
    }
}

#[test]
fn moves_that_do_not_fit_are_refused_and_change_nothing() {
    let (n, d, k) = (20usize, 4usize, 3usize);
    let x = Rng(4).f32s(n * d);
    let xm = Matrix::new(&x, d, "x").unwrap();
    let labels: Vec<u32> = (0..n as u32).map(|i| i % 2).collect();
    let o = PassOptions::default();
    let cases: [(&[u32], &[u32], &[u32]); 4] = [
        (&[3, 2], &[1, 0], &[0, 1]),  // ids not increasing
        (&[2, 25], &[0, 1], &[1, 0]), // id out of range
        (&[2], &[0], &[3]),           // cluster index >= k
        (&[0, 2], &[2, 2], &[1, 1]),  // cluster 2 has no rows to leave
    ];
    for (ids, from, to) in cases {
        let mut s = fresh(xm, &labels, None, k);
        let before = (s.sums.clone(), s.weight_sums.clone(), s.counts.clone());
        let e = move_rows(
            xm,
            ids,
            from,
            to,
            None,
            &mut s.sums,
            &mut s.weight_sums,
            &mut s.counts,
            &o,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{e:?}");
        assert_eq!((s.sums, s.weight_sums, s.counts), before);
    }
}
