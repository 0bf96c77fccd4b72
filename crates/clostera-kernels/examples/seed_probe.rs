//! Times greedy k-means++ seeding passes on a raw f32 sample (profiling aid).
//! Usage: seed_probe SAMPLE.f32 D K THREADS [BASIS.f32]; `SEED_BF16=1` adds the bf16 screen.
use clostera_kernels::{
    bf16_rows, distance_tile, Bf16Rows, project_rows, seed_commit, seed_potential, seed_update, Matrix, Metric,
    PassOptions, SeedProjection,
};
use std::time::Instant;

fn read(path: &str) -> Vec<f32> {
    let b = std::fs::read(path).unwrap();
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let x = read(&a[1]);
    let d: usize = a[2].parse().unwrap();
    let k: usize = a[3].parse().unwrap();
    let threads: usize = a[4].parse().unwrap();
    let basis = a.get(5).map(|p| read(p));
    let n = x.len() / d;
    let xm = Matrix::new(&x, d, "x").unwrap();
    let o = PassOptions {
        threads: Some(threads),
        validate: false,
        ..Default::default()
    };
    let trials = 2 + (k as f64).ln() as usize;
    let (mut md, mut nn, mut rd) = (vec![0f32; n], vec![0u32; n], vec![0f32; n * trials]);
    let mut proj = vec![];
    let mut norms = vec![0f32; n];
    let mut gain = 0f32;
    if let Some(b) = &basis {
        proj = vec![0f32; n * (b.len() / d)];
        gain = project_rows(
            xm,
            Matrix::new(b, d, "b").unwrap(),
            &mut proj,
            Some(&mut norms),
            &o,
        )
        .unwrap();
    }
    let use_bf16 = std::env::var("SEED_BF16").is_ok_and(|v| v == "1");
    let dp = d.div_ceil(2);
    let (mut pairs, mut err, mut sqn) = (vec![0u32; n * dp], vec![0f32; n], vec![0f32; n]);
    if use_bf16 {
        bf16_rows(xm, &mut pairs, &mut err, &mut sqn, &o).unwrap();
    }
    let mut cents = x[..d].to_vec();
    seed_update(xm, &cents, 0, &[], &mut md, &mut nn, None, &o).unwrap();
    let mut state = 12345u64;
    let mut rnd = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut t_pot, mut t_tile, mut t_commit, mut computed) = (0f64, 0f64, 0f64, 0u64);
    let t_all = Instant::now();
    for c in 1..k {
        let total: f64 = md.iter().map(|v| *v as f64).sum();
        let mut ids = vec![];
        for _ in 0..trials {
            let target = rnd() * total;
            let mut acc = 0f64;
            let mut pick = n - 1;
            for (i, v) in md.iter().enumerate() {
                acc += *v as f64;
                if acc > target {
                    pick = i;
                    break;
                }
            }
            ids.push(pick);
        }
        let cand: Vec<f32> = ids
            .iter()
            .flat_map(|i| x[i * d..(i + 1) * d].iter().copied())
            .collect();
        let t = Instant::now();
        let mut sq = vec![0f32; c * trials];
        distance_tile(
            Matrix::new(&cents, d, "c").unwrap(),
            Matrix::new(&cand, d, "k").unwrap(),
            Metric::L2,
            &mut sq,
            &o,
        )
        .unwrap();
        t_tile += t.elapsed().as_secs_f64();
        let mut gaps = vec![0f32; trials * c];
        for j in 0..c {
            for t in 0..trials {
                gaps[t * c + j] = sq[j * trials + t].sqrt();
            }
        }
        let mut totals = vec![0f64; trials];
        let projection = basis.as_ref().map(|b| SeedProjection {
            basis: Matrix::new(b, d, "b").unwrap(),
            rows: &proj,
            row_norms: &norms,
            gain,
        });
        let t = Instant::now();
        computed += seed_potential(
            xm,
            Matrix::new(&cand, d, "k").unwrap(),
            &gaps,
            c,
            &md,
            &nn,
            None,
            &mut totals,
            Some(&mut rd),
            projection,
            use_bf16.then_some(Bf16Rows {
                pairs: &pairs,
                err_norms: &err,
                sqnorms: &sqn,
            }),
            &o,
        )
        .unwrap();
        t_pot += t.elapsed().as_secs_f64();
        let best = (0..trials)
            .min_by(|a, b| totals[*a].partial_cmp(&totals[*b]).unwrap())
            .unwrap();
        cents.extend_from_slice(&cand[best * d..(best + 1) * d]);
        let t = Instant::now();
        seed_commit(&rd, trials, best, c as u32, &mut md, &mut nn, None, &o).unwrap();
        t_commit += t.elapsed().as_secs_f64();
    }
    let pot: f64 = md.iter().map(|v| *v as f64).sum();
    println!("n {n} d {d} k {k} threads {threads} bf16 {use_bf16} basis {} | all {:.3}s potential {:.3}s tile {:.3}s commit {:.3}s computed {computed} potential {pot:.6e}",
        basis.is_some(), t_all.elapsed().as_secs_f64(), t_pot, t_tile, t_commit);
}
