//! Quick in-process timing of the fused assignment (no Node): `cargo run --release --example
//! assign_speed -- N D K [simd] [threads]`. The committed benchmark is `npm run bench:kernels`.

use clostera_kernels::{assign, Matrix, Metric, PassOptions, SimdLevel};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(200_000, |v| v.parse().unwrap());
    let d: usize = args.get(2).map_or(128, |v| v.parse().unwrap());
    let k: usize = args.get(3).map_or(256, |v| v.parse().unwrap());
    let simd = args
        .get(4)
        .map(|v| SimdLevel::parse(v).unwrap())
        .unwrap_or(None);
    let threads = args.get(5).map(|v| v.parse().unwrap());
    let mut s = 1u64;
    let mut gen = |len: usize| -> Vec<f32> {
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 40) as f32 / (1u64 << 24) as f32
            })
            .collect()
    };
    let x = gen(n * d);
    let c = gen(k * d);
    let (xm, cm) = (
        Matrix::new(&x, d, "x").unwrap(),
        Matrix::new(&c, d, "c").unwrap(),
    );
    // METRIC: l2 (default), ip or cos.
    let metric = match std::env::var("METRIC").as_deref() {
        Ok("ip") => Metric::Ip,
        Ok("cos") => Metric::Cos,
        _ => Metric::L2,
    };
    let mut labels = vec![0u32; n];
    let mut values = vec![0f32; n];
    let o = PassOptions {
        simd,
        threads,
        validate: std::env::var("VALIDATE").is_ok(),
        ..Default::default()
    };
    assign(xm, cm, metric, &mut labels, &mut values, &o).unwrap();
    let mut best = f64::MAX;
    let reps: usize = std::env::var("REPS").map_or(3, |v| v.parse().unwrap());
    // FLUSH: evict the data from the caches before every timed call, as a one-off call on data
    // loaded a while ago would see it.
    let mut flush = if std::env::var("FLUSH").is_ok() {
        vec![0u8; 400 << 20]
    } else {
        Vec::new()
    };
    for _ in 0..reps {
        for i in (0..flush.len()).step_by(64) {
            flush[i] = flush[i].wrapping_add(1);
        }
        let t = Instant::now();
        assign(xm, cm, metric, &mut labels, &mut values, &o).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let gflop = 2.0 * n as f64 * k as f64 * d as f64 / 1e9;
    println!(
        "n={n} d={d} k={k} {metric:?} simd={:?} best {:.4}s {:.1} GFLOP/s",
        simd,
        best,
        gflop / best
    );
}
