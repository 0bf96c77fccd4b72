//! The bf16 screen's epilogue on AVX-512: keys, margins and bounds for one row against a chunk
//! of panels in one call.
//!
//! Why per chunk: one call per 32-centroid panel spent three horizontal reductions and a branchy
//! merge of the two smallest upper bounds on every panel, about 8% of a screened pass (Gaussian
//! 200k x 768, k = 1024). Here the two smallest upper bounds are kept per lane across the whole
//! chunk (exact minima, so the same values in any order) and merged once; each panel costs one
//! reduction, for its smallest lower bound.

use std::arch::x86_64::*;

use super::bf16::PanelTerms;

/// Centroids per panel (as `avx512_bf16::NR`).
const NR: usize = 32;

/// # Safety
/// The CPU supports AVX-512F; `dots`, every slice of `t` and `lower_out` hold at least
/// `lower_panels.len() * 32` floats.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn screen_panels(
    dots: &[f32],
    t: PanelTerms,
    xn: f32,
    ex: f32,
    upper: &mut [f32; 2],
    mut lower_out: Option<&mut [f32]>,
    lower_panels: &mut [f32],
) {
    let len = lower_panels.len() * NR;
    if let Some(out) = lower_out.as_deref() {
        assert!(out.len() >= len);
    }
    assert!(dots.len() >= len && t.bias.len() >= len && t.mult.len() >= len);
    assert!(t.alpha.len() >= len && t.beta.len() >= len && t.konst.len() >= len);
    let (vx, ve) = (_mm512_set1_ps(xn), _mm512_set1_ps(ex));
    let (ninf, pinf) = (_mm512_set1_ps(f32::NEG_INFINITY), _mm512_set1_ps(f32::INFINITY));
    // Per lane, the smallest and second smallest upper bound seen so far.
    let (mut m1, mut m2) = (pinf, pinf);
    for (p, panel_lower) in lower_panels.iter_mut().enumerate() {
        let mut lo_min = pinf;
        for h in 0..2 {
            let o = p * NR + 16 * h;
            // SAFETY: every slice holds len floats (asserted) and o + 16 <= len.
            unsafe {
                let key = _mm512_fmadd_ps(
                    _mm512_loadu_ps(t.mult.as_ptr().add(o)),
                    _mm512_loadu_ps(dots.as_ptr().add(o)),
                    _mm512_loadu_ps(t.bias.as_ptr().add(o)),
                );
                let m = _mm512_fmadd_ps(
                    _mm512_loadu_ps(t.alpha.as_ptr().add(o)),
                    vx,
                    _mm512_fmadd_ps(
                        _mm512_loadu_ps(t.beta.as_ptr().add(o)),
                        ve,
                        _mm512_loadu_ps(t.konst.as_ptr().add(o)),
                    ),
                );
                let lo = _mm512_sub_ps(key, m);
                let up = _mm512_add_ps(key, m);
                let lo = _mm512_mask_mov_ps(lo, _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(lo, lo), ninf);
                let up = _mm512_mask_mov_ps(up, _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(up, up), pinf);
                if let Some(out) = lower_out.as_deref_mut() {
                    _mm512_storeu_ps(out.as_mut_ptr().add(o), lo);
                }
                lo_min = _mm512_min_ps(lo_min, lo);
                m2 = _mm512_min_ps(m2, _mm512_max_ps(m1, up));
                m1 = _mm512_min_ps(m1, up);
            }
        }
        *panel_lower = _mm512_reduce_min_ps(lo_min);
    }
    // The chunk's two smallest: the smallest m1, then the smaller of the other lanes' m1 and
    // that lane's m2 (the same smallest twice when two lanes hold it).
    let a = _mm512_reduce_min_ps(m1);
    let at = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(m1, _mm512_set1_ps(a));
    let b = if at.count_ones() >= 2 {
        a
    } else {
        _mm512_reduce_min_ps(_mm512_min_ps(
            _mm512_mask_mov_ps(m1, at, pinf),
            _mm512_mask_mov_ps(pinf, at, m2),
        ))
    };
    if a < upper[0] {
        upper[1] = upper[0].min(b);
        upper[0] = a;
    } else {
        upper[1] = upper[1].min(a);
    }
}
