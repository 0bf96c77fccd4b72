//! Passes running at the same time from several threads (several fits, or a sync and an async
//! pass): one of them gets the worker pool, the others spawn their own threads, and every one of
//! them gives exactly the 1-thread result.

mod common;
use clostera_kernels::*;
use common::*;

fn labels_and_values(x: Matrix, c: Matrix, threads: usize) -> (Vec<u32>, Vec<u32>) {
    let (mut labels, mut values) = (vec![0u32; x.n], vec![0f32; x.n]);
    let o = PassOptions {
        threads: Some(threads),
        ..Default::default()
    };
    assign(x, c, Metric::L2, &mut labels, &mut values, &o).unwrap();
    (labels, values.iter().map(|v| v.to_bits()).collect())
}

#[test]
fn concurrent_passes_equal_the_one_thread_result() {
    let (n, k, d) = (3000, 24, 40);
    let mut rng = Rng(41);
    let xs = rng.f32s(n * d);
    let cs = rng.f32s(k * d);
    let (x, c) = (
        Matrix::new(&xs, d, "x").unwrap(),
        Matrix::new(&cs, d, "c").unwrap(),
    );
    let want = labels_and_values(x, c, 1);
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|i| {
                s.spawn(move || {
                    (0..20)
                        .map(|_| labels_and_values(x, c, 2 + i % 2))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for run in runs {
            for got in run.join().unwrap() {
                assert!(
                    got == want,
                    "a concurrent pass differs from the 1-thread result"
                );
            }
        }
    });
}
