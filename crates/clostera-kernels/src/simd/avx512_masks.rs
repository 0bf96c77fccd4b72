//! AVX-512F [`super::KeptMasksFn`]: per row one masked load and two comparisons per 16 values,
//! straight into a mask register. The k-means++ filters test a handful of candidates per row
//! on a few million rows per seeding, where the scalar loop's per-candidate branches cost more
//! than the tests.

use std::arch::x86_64::*;

/// # Safety
/// The CPU supports AVX-512F; every pointer of `rows` addresses `n <= 32` floats; `t` and
/// `out` are as long as `rows`.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn kept_masks(rows: &[*const f32], n: usize, t: &[f32], inclusive: bool, out: &mut [u32]) {
    debug_assert!(n <= 32);
    let low = n.min(16);
    let lanes = |len: usize| -> __mmask16 { if len >= 16 { 0xFFFF } else { (1u16 << len) - 1 } };
    let (low_lanes, high_lanes) = (lanes(low), lanes(n - low));
    for ((row, t), out) in rows.iter().zip(t).zip(out.iter_mut()) {
        let tv = _mm512_set1_ps(*t);
        let half = |at: usize, mask: __mmask16| -> u32 {
            if mask == 0 {
                return 0;
            }
            // SAFETY: the masked load reads only lanes within the row's n floats.
            let x = unsafe { _mm512_maskz_loadu_ps(mask, row.add(at)) };
            let below = if inclusive {
                _mm512_mask_cmp_ps_mask::<_CMP_LE_OQ>(mask, x, tv)
            } else {
                _mm512_mask_cmp_ps_mask::<_CMP_LT_OQ>(mask, x, tv)
            };
            u32::from(below | _mm512_mask_cmp_ps_mask::<_CMP_UNORD_Q>(mask, x, x))
        };
        *out = half(0, low_lanes) | (half(16, high_lanes) << 16);
    }
}
