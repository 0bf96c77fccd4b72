//! Parallel loops over fixed blocks of rows on native threads.
//!
//! Block boundaries never depend on the thread count, and every block writes only its own
//! outputs, so results are bit-identical whatever the number of threads. Threads claim blocks
//! from a shared counter; each checks the cancel flag before claiming the next block. The
//! threads come from a pool of parked workers (`pool.rs`), or are spawned when it is busy.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::control::Control;
use crate::error::{KernelError, KernelResult};

/// Threads from `CLOSTERA_NUM_THREADS`, or the available cores. A malformed value is an error.
pub fn default_threads() -> KernelResult<usize> {
    static ENV: OnceLock<KernelResult<Option<usize>>> = OnceLock::new();
    let from_env = ENV
        .get_or_init(|| match std::env::var("CLOSTERA_NUM_THREADS") {
            Ok(v) => match v.trim().parse::<usize>() {
                Ok(t) if t >= 1 => Ok(Some(t)),
                _ => Err(KernelError::invalid(format!(
                    "CLOSTERA_NUM_THREADS must be a positive integer, got {v:?}"
                ))
                .with_expected(">= 1")
                .with_actual(v.as_str())),
            },
            Err(_) => Ok(None),
        })
        .clone()?;
    // Read once: `available_parallelism` reads the cgroup quota files on Linux, about 60 us per
    // call here, which every pass with the default thread count paid (Fashion-MNIST k = 10: about
    // 50 passes per fit, 3 ms).
    static CORES: OnceLock<usize> = OnceLock::new();
    Ok(from_env.unwrap_or_else(|| {
        *CORES.get_or_init(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
    }))
}

/// Resolves an explicit thread request (validated) or the default.
pub fn resolve_threads(requested: Option<usize>) -> KernelResult<usize> {
    match requested {
        Some(0) => Err(KernelError::invalid("threads must be at least 1")
            .with_expected(">= 1")
            .with_actual(0usize)),
        Some(t) => Ok(t.min(1024)),
        None => default_threads(),
    }
}

/// Element operations below which a pass is not worth another thread: waking a thread and
/// joining it costs tens of microseconds, and milliseconds when the machine is busy. Measured on
/// Fashion-MNIST k = 10 (AMD EPYC VM, 2 threads): the multi-start trials' passes (640 x 784 x 10,
/// about 5M) took 8.5 ms per fit on two threads and 6.4 ms on one, the training passes
/// (2,560 rows, 20M) 9.1-9.7 ms on two against 11.6-12.9 ms on one; 2^19 split both, 2^25 split
/// neither.
pub const MIN_WORK_PER_THREAD: usize = 1 << 23;

/// The threads a pass of `work` element operations should use, at most `threads`. Block
/// boundaries never depend on it, so neither do results.
pub fn threads_for_work(work: usize, threads: usize) -> usize {
    threads.min(work.div_ceil(MIN_WORK_PER_THREAD)).max(1)
}

/// Runs `body(block, state)` for every block in `0..blocks` on up to `threads` threads. Each
/// thread builds its own scratch `state` with `init`. Stops early (returning
/// `CLOSTERA_CANCELLED`) once the control's cancel flag is set; the first error from a block
/// also stops the loop (the lowest-numbered failing block wins, so errors are deterministic).
pub fn for_each_block<S, I, F>(
    blocks: usize,
    threads: usize,
    control: &Control,
    init: I,
    body: F,
) -> KernelResult<()>
where
    I: Fn() -> S + Sync,
    F: Fn(usize, &mut S) -> KernelResult<()> + Sync,
{
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let worker = || -> Option<(usize, KernelError)> {
        let mut state = init();
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            if control.is_cancelled() {
                stop.store(true, Ordering::Relaxed);
                return Some((usize::MAX, KernelError::cancelled()));
            }
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks {
                return None;
            }
            if let Err(e) = body(block, &mut state) {
                stop.store(true, Ordering::Relaxed);
                return Some((block, e));
            }
        }
    };
    let threads = threads.clamp(1, blocks.max(1));
    let failures: Vec<(usize, KernelError)> = if threads == 1 {
        worker().into_iter().collect()
    } else {
        let found = Mutex::new(Vec::new());
        let pooled = || {
            if let Some(failure) = worker() {
                found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(failure);
            }
        };
        if !crate::pool::try_run(threads - 1, &pooled) {
            std::thread::scope(|s| {
                let handles: Vec<_> = (1..threads).map(|_| s.spawn(pooled)).collect();
                pooled();
                for h in handles {
                    if let Err(payload) = h.join() {
                        // Re-raise a worker panic on this thread so the boundary's catch_unwind sees it.
                        std::panic::resume_unwind(payload);
                    }
                }
            });
        }
        found.into_inner().unwrap_or_else(|e| e.into_inner())
    };
    match failures.into_iter().min_by_key(|(b, _)| *b) {
        Some((_, e)) => Err(e),
        None => control.check(),
    }
}

/// A raw pointer that blocks use to write disjoint parts of one output slice from several
/// threads.
pub(crate) struct SharedOut<T> {
    ptr: *mut T,
    len: usize,
}

// SAFETY: `SharedOut` only hands out disjoint sub-slices (see `slice`), whose callers guarantee
// no two threads touch the same range; T: Send makes moving the data across threads sound.
unsafe impl<T: Send> Sync for SharedOut<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for SharedOut<T> {}

impl<T> SharedOut<T> {
    pub fn new(out: &mut [T]) -> Self {
        SharedOut {
            ptr: out.as_mut_ptr(),
            len: out.len(),
        }
    }

    /// The sub-slice `[start, start + len)`.
    ///
    /// # Safety
    /// No other live reference may overlap this range (each block owns its own rows).
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn slice(&self, start: usize, len: usize) -> &mut [T] {
        assert!(start + len <= self.len, "SharedOut range out of bounds");
        // SAFETY: in bounds (asserted above) and exclusive by the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(start), len) }
    }
}
