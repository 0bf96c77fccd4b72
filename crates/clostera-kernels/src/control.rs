//! Cancellation and progress shared with the caller's thread.
//!
//! The atomics live in memory owned by the caller (in Node: a BigInt64Array over a
//! SharedArrayBuffer), so the JS thread can request cancellation and read progress while a pass
//! runs on native threads. Passes check the flag once per block of rows.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::error::{KernelError, KernelResult};

/// Optional cancel flag (non-zero means cancel) and rows-done counter.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    pub cancel: Option<&'a AtomicI64>,
    pub progress: Option<&'a AtomicI64>,
}

impl Control<'_> {
    /// No cancellation, no progress.
    pub const NONE: Control<'static> = Control {
        cancel: None,
        progress: None,
    };

    /// True once the caller asked to stop.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed) != 0)
    }

    /// Errors with `CLOSTERA_CANCELLED` once the caller asked to stop.
    #[inline]
    pub fn check(&self) -> KernelResult<()> {
        if self.is_cancelled() {
            Err(KernelError::cancelled())
        } else {
            Ok(())
        }
    }

    /// Adds finished rows to the progress counter.
    #[inline]
    pub fn add_rows(&self, rows: usize) {
        if let Some(p) = self.progress {
            p.fetch_add(rows as i64, Ordering::Relaxed);
        }
    }
}
