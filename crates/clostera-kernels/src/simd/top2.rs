//! Scalar helpers the ISA `argmin2` kernels share: folding per-lane best / second-best keys
//! into a running top two, and the tail a vector loop leaves.

/// Folds one call's per-lane results `(lane best key, its index, lane second key)` into the
/// running best and second best: the chunk's best is the smallest key (lowest index on ties, as
/// `argmin`), its second the smallest of every lane's second and every other lane's best.
pub(crate) fn merge_top2(
    lanes: &[(f32, u32, f32)],
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
) {
    let (mut bk, mut bi) = (f32::INFINITY, u32::MAX);
    let mut chosen = usize::MAX;
    for (l, (k, i, _)) in lanes.iter().enumerate() {
        if *k < bk || (*k == bk && *i < bi) {
            (bk, bi, chosen) = (*k, *i, l);
        }
    }
    if chosen == usize::MAX {
        return;
    }
    let mut s = f32::INFINITY;
    for (l, (k, _, sec)) in lanes.iter().enumerate() {
        s = s.min(*sec);
        if l != chosen {
            s = s.min(*k);
        }
    }
    if bk < best.0 {
        *second = best.0.min(s);
        *best = (bk, base + bi);
    } else {
        *second = second.min(bk);
    }
}

/// Offers `key` (centroid `index`) to a running best and second best: the rule every `argmin2`
/// applies entry by entry (strictly smaller wins, so ties keep the lower index).
#[inline]
pub(crate) fn offer_top2(key: f32, index: u32, best: &mut (f32, u32), second: &mut f32) {
    if key < best.0 {
        *second = best.0;
        *best = (key, index);
    } else if key < *second {
        *second = key;
    }
}

/// The entries `from ..` of an `argmin2` call that its vector loop left, one at a time with fused
/// keys (as the ISAs' `argmin` tails).
pub(crate) fn argmin2_tail(
    dots: &[f32],
    bias: &[f32],
    mult: &[f32],
    from: usize,
    base: u32,
    best: &mut (f32, u32),
    second: &mut f32,
) {
    for t in from..dots.len() {
        offer_top2(
            mult[t].mul_add(dots[t], bias[t]),
            base + t as u32,
            best,
            second,
        );
    }
}
