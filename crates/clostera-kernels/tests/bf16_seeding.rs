//! k-means++ candidate scoring with the bf16 screen gives the same totals and commits as
//! without it, and its kept distances differ only where a pair provably cannot lower the
//! potential (+inf instead of a value above `min_dist`). Run at each bf16 level the CPU has:
//! `avx512bf16` scores in bf16 (`vdpbf16ps`), `avx512amx` scores the bf16 rows against f32
//! candidates. On CPUs without AVX512-BF16 the copy is ignored and the equalities hold trivially
//! (the screen's own tests live in the crate).

mod common;
use clostera_kernels::*;
use common::*;

/// Runs `steps` greedy steps over `x`, scoring `m` candidates per step with and without the
/// bf16 copy; returns (f32 distances computed without, with).
fn compare(x: &[f32], d: usize, steps: usize, m: usize, seed: u64, simd: Option<SimdLevel>) -> (u64, u64) {
    let n = x.len() / d;
    let xm = Matrix::new(x, d, "x").unwrap();
    let o = PassOptions { simd, ..Default::default() };
    let dp = d.div_ceil(2);
    let (mut pairs, mut err, mut sq) = (vec![0u32; n * dp], vec![0f32; n], vec![0f32; n]);
    bf16_rows(xm, &mut pairs, &mut err, &mut sq, &o).unwrap();
    let rows = Bf16Rows { pairs: &pairs, err_norms: &err, sqnorms: &sq };
    let mut rng = Rng(seed);
    let mut chosen: Vec<usize> = vec![(rng.next() % n as u64) as usize];
    let (mut md, mut nn) = (vec![f32::INFINITY; n], vec![0u32; n]);
    seed_update(xm, xm.row(chosen[0]), 0, &[], &mut md, &mut nn, None, &o).unwrap();
    let (mut plain_computed, mut screened_computed) = (0, 0);
    for step in 1..steps {
        let picks: Vec<usize> = (0..m).map(|_| (rng.next() % n as u64) as usize).collect();
        let cands: Vec<f32> = picks.iter().flat_map(|p| xm.row(*p).to_vec()).collect();
        let cm = Matrix::new(&cands, d, "c").unwrap();
        let gaps: Vec<f32> = picks
            .iter()
            .flat_map(|p| chosen.iter().map(|q| value(Metric::L2, xm.row(*p), xm.row(*q)).sqrt() as f32))
            .collect();
        let run = |screen: Option<Bf16Rows>| {
            let mut totals = vec![0f64; m];
            let mut rd = vec![0f32; n * m];
            let c = seed_potential(xm, cm, &gaps, chosen.len(), &md, &nn, None, &mut totals, Some(&mut rd), None, screen, &o)
                .unwrap();
            (totals, rd, c)
        };
        let (t0, rd0, c0) = run(None);
        let (t1, rd1, c1) = run(Some(rows));
        plain_computed += c0;
        screened_computed += c1;
        for c in 0..m {
            assert_eq!(t0[c].to_bits(), t1[c].to_bits(), "step {step} candidate {c}: total");
        }
        for (at, (a, b)) in rd0.iter().zip(&rd1).enumerate() {
            let i = at / m;
            assert!(
                a.to_bits() == b.to_bits() || (*b == f32::INFINITY && *a > md[i]),
                "step {step} row {i} candidate {}: {a} without the screen, {b} with, minDist {}",
                at % m,
                md[i]
            );
        }
        // Commit the best candidate from the screened distances; the plain ones must agree.
        let best = (0..m).min_by(|a, b| t1[*a].total_cmp(&t1[*b])).unwrap();
        let (mut md0, mut nn0) = (md.clone(), nn.clone());
        seed_commit(&rd0, m, best, chosen.len() as u32, &mut md0, &mut nn0, None, &o).unwrap();
        seed_commit(&rd1, m, best, chosen.len() as u32, &mut md, &mut nn, None, &o).unwrap();
        assert_eq!(md0.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), md.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
        assert_eq!(nn0, nn);
        chosen.push(picks[best]);
    }
    (plain_computed, screened_computed)
}

/// The levels to run at: each bf16 level this CPU has, or the default when it has none.
fn levels() -> Vec<Option<SimdLevel>> {
    let found: Vec<_> = [SimdLevel::Avx512Bf16, SimdLevel::Avx512Amx]
        .into_iter()
        .filter(|l| simd::is_available(*l))
        .map(Some)
        .collect();
    if found.is_empty() {
        vec![None]
    } else {
        found
    }
}

#[test]
fn screened_scoring_keeps_totals_and_commits() {
    for level in levels() {
        screened_scoring_at(level);
    }
}

fn screened_scoring_at(level: Option<SimdLevel>) {
    let mut screened_less = false;
    for (d, k_true) in [(96usize, 40usize), (33, 12), (200, 80)] {
        let x = blobs(3000, d, k_true, 11);
        let (plain, screened) = compare(&x, d, 24, 9, 3, level);
        assert!(screened <= plain, "d = {d}: {screened} > {plain}");
        screened_less |= screened < plain;
    }
    // Integer pixels (exact in bf16), a row scaled far up, and a wide dynamic range.
    let d = 64;
    let mut rng = Rng(8);
    let mut x: Vec<f32> = (0..2000 * d).map(|_| (rng.next() % 256) as f32).collect();
    for v in x[..d].iter_mut() {
        *v *= 1e12;
    }
    for (j, v) in x[d..200 * d].iter_mut().enumerate() {
        *v *= 10f32.powi((j % 13) as i32 - 8);
    }
    let (plain, screened) = compare(&x, d, 16, 7, 5, level);
    assert!(screened <= plain);
    if is_bf16_available() {
        assert!(screened_less, "{level:?}: the screen never dropped a pair");
    } else {
        eprintln!("skipped the screening-effect check: this CPU has no AVX512-BF16");
    }
}

fn is_bf16_available() -> bool {
    simd::is_available(SimdLevel::Avx512Bf16)
}
