//! The pruned k-means++ steps give the same distances and totals as unpruned ones, and scoring
//! many candidates at once gives each the bits it gets alone.

mod common;
use clostera_kernels::*;
use common::*;

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
                None,
                None,
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
        seed_potential(
            xm,
            cm,
            &cgaps,
            nc,
            &md,
            &nn,
            None,
            &mut totals,
            Some(&mut rd),
            None,
            None,
            &o,
        )
        .unwrap();
        for (c, q) in picks.iter().enumerate() {
            let one = Matrix::new(xm.row(*q), d, "one").unwrap();
            let (mut t1, mut rd1) = (vec![0f64; 1], vec![0f32; n]);
            seed_potential(
                xm,
                one,
                &gaps_of(*q),
                nc,
                &md,
                &nn,
                None,
                &mut t1,
                Some(&mut rd1),
                None,
                None,
                &o,
            )
            .unwrap();
            for i in 0..n {
                assert_eq!(
                    rd[i * m + c].to_bits(),
                    rd1[i].to_bits(),
                    "{level:?} candidate {c} row {i}"
                );
            }
            assert_eq!(
                totals[c].to_bits(),
                t1[0].to_bits(),
                "{level:?} candidate {c}"
            );
        }
        let mut unpruned = vec![0f64; m];
        kmeanspp_potential(xm, cm, Metric::L2, &md, None, &mut unpruned, &o).unwrap();
        for (a, b) in totals.iter().zip(&unpruned) {
            assert!((a - b).abs() <= 1e-5 * b, "{level:?}: {a} vs {b}");
        }
    }
}
