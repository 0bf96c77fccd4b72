//! Containing Rust panics: no panic may unwind into node through an `extern "C"` function.
//!
//! A caught panic becomes a `CLOSTERA_INTERNAL` error carrying the panic message; node keeps
//! running and the next call works (the binding holds no state a panic could leave half-updated).

use std::panic::{catch_unwind, AssertUnwindSafe};

use clostera_kernels::{KernelError, KernelResult};

use super::env::{Failure, JsResult};

/// Runs `body`, turning a panic into `CLOSTERA_INTERNAL`.
pub fn guard<T>(body: impl FnOnce() -> JsResult<T>) -> JsResult<T> {
    // AssertUnwindSafe: after a panic the only state we keep is the error we report; the values
    // the closure borrowed are not used again by this call.
    catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|payload| Err(Failure::Kernel(KernelError::internal_from_panic(&*payload))))
}

/// Like [`guard`] for code that has no JS failure mode (the kernel run on a worker thread).
pub fn guard_kernel<T>(body: impl FnOnce() -> KernelResult<T>) -> KernelResult<T> {
    catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|payload| Err(KernelError::internal_from_panic(&*payload)))
}
