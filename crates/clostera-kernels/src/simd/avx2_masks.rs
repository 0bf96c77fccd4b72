//! AVX2 [`super::KeptMasksFn`]: eight values per comparison, the sign bits gathered by
//! `movemask` (see `avx512_masks.rs` for why the filters want it).

use std::arch::x86_64::*;

/// # Safety
/// The CPU supports AVX2; every pointer of `rows` addresses `n <= 32` floats; `t` and `out` are
/// as long as `rows`.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn kept_masks(rows: &[*const f32], n: usize, t: &[f32], inclusive: bool, out: &mut [u32]) {
    debug_assert!(n <= 32);
    for ((row, t), out) in rows.iter().zip(t).zip(out.iter_mut()) {
        let tv = _mm256_set1_ps(*t);
        let mut mask = 0u32;
        let mut at = 0;
        while at < n {
            let len = (n - at).min(8);
            let x = if len == 8 {
                // SAFETY: eight floats at `at` lie within the row's n.
                unsafe { _mm256_loadu_ps(row.add(at)) }
            } else {
                let mut tail = [0f32; 8];
                // SAFETY: `len` floats at `at` lie within the row's n.
                unsafe { std::ptr::copy_nonoverlapping(row.add(at), tail.as_mut_ptr(), len) };
                // SAFETY: `tail` holds eight floats.
                unsafe { _mm256_loadu_ps(tail.as_ptr()) }
            };
            let below = if inclusive {
                _mm256_cmp_ps::<_CMP_LE_OQ>(x, tv)
            } else {
                _mm256_cmp_ps::<_CMP_LT_OQ>(x, tv)
            };
            let kept = _mm256_or_ps(below, _mm256_cmp_ps::<_CMP_UNORD_Q>(x, x));
            mask |= ((_mm256_movemask_ps(kept) as u32) & ((1u32 << len) - 1)) << at;
            at += len;
        }
        *out = mask;
    }
}
