//! Exposing Rust functions as JS functions on the module's `exports`.

use std::ffi::{c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::args::CallArgs;
use super::env::{Env, JsResult, Value};
use super::error::throw;
use super::panic::guard;
use super::sys;

/// A native function: its JS name and the Rust body.
pub struct Export {
    pub name: &'static CStr,
    pub call: fn(&CallArgs) -> JsResult<Value>,
}

/// The single C entry point of every export. The `Export` to run arrives as the function's data
/// pointer; errors are thrown as JS exceptions and panics never leave this function.
unsafe extern "C" fn trampoline(
    raw_env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let env = Env::from_raw(raw_env);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let result = guard(|| {
            let args = CallArgs::read(env, info)?;
            // SAFETY: `register` passed a pointer into a `'static` slice of `Export`s as data.
            let export = unsafe { &*args.data().cast_const().cast::<Export>() };
            (export.call)(&args)
        });
        match result {
            Ok(value) => value,
            Err(failure) => {
                throw(env, failure);
                ptr::null_mut()
            }
        }
    }));
    // Returning null (no value) is how a callback signals "exception pending / undefined".
    outcome.unwrap_or(ptr::null_mut())
}

/// Defines every export of `table` as a function property of `exports`.
pub fn register(env: Env, exports: Value, table: &'static [Export]) -> JsResult<()> {
    for export in table {
        let mut function = ptr::null_mut();
        let data = ptr::from_ref(export).cast_mut().cast::<c_void>();
        // SAFETY: live env; the name is NUL-terminated (NAPI_AUTO_LENGTH); `data` points into a
        // `'static` table, so it outlives the function.
        let status = unsafe {
            sys::napi_create_function(
                env.raw(),
                export.name.as_ptr(),
                sys::NAPI_AUTO_LENGTH,
                Some(trampoline),
                data,
                &mut function,
            )
        };
        env.check(status, "napi_create_function")?;
        env.set(exports, export.name, function)?;
    }
    Ok(())
}
