//! Node-API binding of `clostera-kernels`.
//!
//! The JS-facing functions live in `exports` (one file per pass) and are wrapped by the
//! TypeScript package `@clostera/kernels`, which is the public API. `napi` is a minimal hand-written
//! Node-API layer.

mod exports;
mod napi;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::{sys, Env};

/// Tells node which Node-API version this addon targets.
#[no_mangle]
pub extern "C" fn node_api_module_get_api_version_v1() -> i32 {
    sys::NAPI_VERSION
}

/// Module initialisation: node calls this once per environment (main thread and each worker).
///
/// # Safety
/// Called by node with a live environment and the module's `exports` object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(
    env: sys::napi_env,
    exports: sys::napi_value,
) -> sys::napi_value {
    let env = Env::from_raw(env);
    // Nothing may unwind into node: `guard` turns a panic into an error, and the outer
    // `catch_unwind` covers throwing it.
    let registered = catch_unwind(AssertUnwindSafe(|| {
        match napi::panic::guard(|| napi::register::register(env, exports, exports::ALL)) {
            Ok(()) => exports,
            Err(failure) => {
                napi::error::throw(env, failure);
                ptr::null_mut()
            }
        }
    }));
    registered.unwrap_or(ptr::null_mut())
}
