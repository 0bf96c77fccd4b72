//! Turning Clostera errors into JS `Error` objects, thrown or used to reject a promise.
//!
//! Every error carries `code` (e.g. `"CLOSTERA_NON_FINITE"`), and `row`, `expected`, `actual` when
//! the kernel reported them. The TypeScript layer rewraps these as `ClosteraError`.

use std::ptr;

use clostera_kernels::{Detail, KernelError};

use super::env::{Env, Failure, JsResult, Value};
use super::sys;

fn detail_value(env: Env, detail: &Detail) -> JsResult<Value> {
    match detail {
        Detail::Num(number) => env.double(*number),
        Detail::Text(text) => env.string(text),
    }
}

/// Builds `new Error(message)` with `code`, `row`, `expected` and `actual` set.
pub fn error_object(env: Env, error: &KernelError) -> JsResult<Value> {
    let code = env.string(error.code.as_str())?;
    let message = env.string(&error.message)?;
    let mut object = ptr::null_mut();
    // SAFETY: live env; `code` and `message` are string handles of this scope; valid out pointer.
    // Node sets the `code` property itself when `code` is given.
    let status = unsafe { sys::napi_create_error(env.raw(), code, message, &mut object) };
    env.check(status, "napi_create_error")?;
    if let Some(row) = error.row {
        env.set(object, c"row", env.double(row as f64)?)?;
    }
    if let Some(expected) = &error.expected {
        env.set(object, c"expected", detail_value(env, expected)?)?;
    }
    if let Some(actual) = &error.actual {
        env.set(object, c"actual", detail_value(env, actual)?)?;
    }
    Ok(object)
}

/// The JS value describing `failure`: a Clostera error object, or the exception already pending
/// (taken off the environment so it can reject a promise instead of being thrown).
pub fn failure_value(env: Env, failure: Failure) -> Value {
    let value = match failure {
        Failure::Kernel(error) => error_object(env, &error).ok(),
        Failure::Pending => None,
    };
    // Rejecting needs some value: fall back to whatever exception building the error left, then
    // to `undefined` (only reachable if Node-API itself is failing).
    value
        .or_else(|| env.take_exception())
        .or_else(|| env.undefined().ok())
        .unwrap_or(ptr::null_mut())
}

/// Throws `failure` into JS (a pending exception is simply left pending).
pub fn throw(env: Env, failure: Failure) {
    let error = match failure {
        Failure::Pending => return,
        Failure::Kernel(error) => error,
    };
    if env.is_exception_pending() {
        return;
    }
    match error_object(env, &error) {
        // SAFETY: live env; `object` is an Error handle of this scope.
        Ok(object) => unsafe {
            sys::napi_throw(env.raw(), object);
        },
        Err(_) => {
            if !env.is_exception_pending() {
                // Building the rich error failed; throw a plain one with the code at least.
                let code = std::ffi::CString::new(error.code.as_str()).unwrap_or_default();
                let message =
                    std::ffi::CString::new(error.message.replace('\0', " ")).unwrap_or_default();
                // SAFETY: live env; both strings are NUL-terminated and outlive the call.
                unsafe {
                    sys::napi_throw_error(env.raw(), code.as_ptr(), message.as_ptr());
                }
            }
        }
    }
}
