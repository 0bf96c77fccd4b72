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

/// Buffers at least this large (bytes) go back to [`RECYCLED`] when dropped. Fresh memory of
/// that size comes from `mmap` and is paid for in page faults on first touch: on the benchmark
/// VM a fault costs about 14 us, so the 3 MB of packed centroids a Yinyang step on
/// Fashion-MNIST k = 1000 allocates cost about 10 ms per step, more than zeroing warm memory.
const RECYCLE_MIN_BYTES: usize = 64 * 1024;
/// At most this much memory (bytes) waits in [`RECYCLED`], so an idle library pins little.
const RECYCLE_MAX_BYTES: usize = 32 * 1024 * 1024;

/// Large line buffers dropped by earlier passes, reused (zeroed again) by later ones.
static RECYCLED: std::sync::Mutex<Vec<Vec<Line>>> = std::sync::Mutex::new(Vec::new());

fn bytes_of(lines: &Vec<Line>) -> usize {
    lines.capacity() * std::mem::size_of::<Line>()
}

/// The smallest recycled buffer holding `lines` lines, if any (emptied, capacity kept).
fn take_recycled(lines: usize) -> Option<Vec<Line>> {
    if lines * std::mem::size_of::<Line>() < RECYCLE_MIN_BYTES {
        return None;
    }
    // A poisoned lock only means another thread panicked while holding it: the list itself
    // is always valid, so keep using it.
    let mut pool = RECYCLED.lock().unwrap_or_else(|e| e.into_inner());
    let at = (0..pool.len())
        .filter(|i| pool[*i].capacity() >= lines)
        .min_by_key(|i| pool[*i].capacity())?;
    let mut v = pool.swap_remove(at);
    v.clear();
    Some(v)
}

impl Drop for AlignedF32 {
    fn drop(&mut self) {
        let lines = std::mem::take(&mut self.lines);
        if bytes_of(&lines) < RECYCLE_MIN_BYTES {
            return;
        }
        let mut pool = RECYCLED.lock().unwrap_or_else(|e| e.into_inner());
        let mut held: usize = pool.iter().map(bytes_of).sum();
        // Newest first: the next pass most likely wants the sizes this one used.
        while held + bytes_of(&lines) > RECYCLE_MAX_BYTES && !pool.is_empty() {
            held -= bytes_of(&pool.remove(0));
        }
        if held + bytes_of(&lines) <= RECYCLE_MAX_BYTES {
            pool.push(lines);
        }
    }
}

impl AlignedF32 {
    /// `len` zeros (in a recycled buffer when a large enough one is waiting).
    pub fn zeros(len: usize) -> Self {
        let mut b = AlignedF32::default();
        if let Some(v) = take_recycled(len.div_ceil(16)) {
            b.lines = v;
        }
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

    /// The same memory as bit patterns (for packed bf16 pairs).
    pub fn as_u32(&self) -> &[u32] {
        // SAFETY: u32 and f32 have the same size and alignment and every bit pattern is valid
        // for both; the slice covers exactly the `len` initialised elements of `as_slice`.
        unsafe { std::slice::from_raw_parts(self.as_slice().as_ptr().cast::<u32>(), self.len) }
    }

    /// [`AlignedF32::as_u32`], writable.
    pub fn as_mut_u32(&mut self) -> &mut [u32] {
        let len = self.len;
        // SAFETY: as in `as_u32`, with exclusive access through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.as_mut_slice().as_mut_ptr().cast::<u32>(), len) }
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

    /// A recycled buffer comes back zeroed and aligned, whatever its last user wrote.
    #[test]
    fn recycled_buffers_come_back_zeroed() {
        let len = 300 * 1024;
        for round in 0..3 {
            let mut b = AlignedF32::zeros(len);
            assert!(b.iter().all(|v| *v == 0.0), "round {round}");
            assert_eq!(b.as_ptr() as usize % 64, 0);
            b.iter_mut().for_each(|v| *v = 7.0);
        }
        let small = AlignedF32::zeros(len / 2);
        assert!(small.iter().all(|v| *v == 0.0));
        assert_eq!(small.len(), len / 2);
    }
}
