//! A growable f32 buffer aligned to 64 bytes (one cache line, one zmm register).
//!
//! `Vec<f32>` is only 4-byte aligned (in practice 16): a 64-byte vector load from it straddles
//! two cache lines, and on this class of CPU a run of such split loads halves the load
//! throughput of the packed-centroid kernels (measured: 12 FMAs with memory operands, 5.5 ns per
//! step unaligned, 2.9 ns aligned). Packed operands and tiles live in this instead.

/// One cache line of floats; the alignment makes every element of a `Vec<Line>` start a line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([f32; 16]);

/// A zero-initialised f32 buffer whose first element is 64-byte aligned.
#[derive(Clone, Default)]
pub(crate) struct AlignedF32 {
    lines: Vec<Line>,
    len: usize,
}

impl AlignedF32 {
    /// `len` zeros.
    pub fn zeros(len: usize) -> Self {
        let mut b = AlignedF32::default();
        b.resize_zeroed(len);
        b
    }

    /// Sets the length to `len` with every element zero (contents are not kept).
    pub fn resize_zeroed(&mut self, len: usize) {
        self.lines.clear();
        self.lines.resize(len.div_ceil(16), Line([0.0; 16]));
        self.len = len;
    }

    /// Sets the length to at least `len` without clearing (stale values may remain; callers
    /// overwrite what they read).
    pub fn ensure_len(&mut self, len: usize) {
        if len > self.len {
            self.lines.resize(len.div_ceil(16), Line([0.0; 16]));
            self.len = len;
        }
    }

    pub fn as_slice(&self) -> &[f32] {
        // SAFETY: `Line` is `repr(C)` over `[f32; 16]`, so the lines are `16 * lines.len()`
        // contiguous, initialised floats, and `len <= 16 * lines.len()`.
        unsafe { std::slice::from_raw_parts(self.lines.as_ptr().cast::<f32>(), self.len) }
    }

    pub fn as_mut_slice(&mut self) -> &mut [f32] {
        // SAFETY: as in `as_slice`, with exclusive access through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.lines.as_mut_ptr().cast::<f32>(), self.len) }
    }
}

impl std::ops::Deref for AlignedF32 {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        self.as_slice()
    }
}

impl std::ops::DerefMut for AlignedF32 {
    fn deref_mut(&mut self) -> &mut [f32] {
        self.as_mut_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::AlignedF32;

    #[test]
    fn starts_on_a_cache_line_and_holds_its_length() {
        for len in [0usize, 1, 15, 16, 17, 1000] {
            let mut b = AlignedF32::zeros(len);
            assert_eq!(b.len(), len);
            assert!(b.iter().all(|v| *v == 0.0));
            if len > 0 {
                assert_eq!(b.as_ptr() as usize % 64, 0);
                b[len - 1] = 3.0;
                assert_eq!(b.as_slice()[len - 1], 3.0);
            }
            b.ensure_len(len + 5);
            assert_eq!(b.len(), len + 5);
            b.resize_zeroed(3);
            assert_eq!(&b[..], &[0.0, 0.0, 0.0]);
        }
    }
}
