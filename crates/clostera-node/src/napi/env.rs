//! The Node-API environment handle and the failure type every wrapper returns.

use std::ffi::CStr;
use std::ptr;

use clostera_kernels::{ErrorCode, KernelError};

use super::sys;

/// A JS value handle, valid in the handle scope of the current callback.
pub type Value = sys::napi_value;

/// Why a call into or out of JS failed.
#[derive(Debug)]
pub enum Failure {
    /// A Clostera error to turn into a JS `Error` (thrown or used to reject a promise).
    Kernel(KernelError),
    /// A JS exception is already pending (for example a getter threw); it is propagated as is.
    Pending,
}

impl From<KernelError> for Failure {
    fn from(error: KernelError) -> Self {
        Failure::Kernel(error)
    }
}

/// Result of every wrapper that talks to JS.
pub type JsResult<T> = Result<T, Failure>;

/// The environment of the current call. Only valid on the JS thread, during the callback that
/// received it; it is `Copy` so helpers can take it by value.
#[derive(Clone, Copy)]
pub struct Env {
    raw: sys::napi_env,
}

impl Env {
    /// Wraps the handle node passed to a callback.
    pub fn from_raw(raw: sys::napi_env) -> Env {
        Env { raw }
    }

    /// The raw handle, for `sys` calls.
    pub fn raw(self) -> sys::napi_env {
        self.raw
    }

    /// Turns a `napi_status` into a result. A failure with a pending exception propagates that
    /// exception; any other failure is a bug in this binding and becomes `CLOSTERA_INTERNAL`.
    pub fn check(self, status: sys::napi_status, what: &str) -> JsResult<()> {
        if status == sys::NAPI_OK {
            return Ok(());
        }
        if status == sys::NAPI_PENDING_EXCEPTION || self.is_exception_pending() {
            return Err(Failure::Pending);
        }
        Err(Failure::Kernel(KernelError::new(
            ErrorCode::Internal,
            format!(
                "Node-API call {what} failed with status {status}: {}",
                self.last_error_message()
            ),
        )))
    }

    /// True while a JS exception is pending in this environment.
    pub fn is_exception_pending(self) -> bool {
        let mut pending = false;
        // SAFETY: `self.raw` is the live env of the current callback; `pending` is a valid out pointer.
        let status = unsafe { sys::napi_is_exception_pending(self.raw, &mut pending) };
        status == sys::NAPI_OK && pending
    }

    /// Takes the pending exception, if any, so it can be used to reject a promise instead.
    pub fn take_exception(self) -> Option<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: `self.raw` is the live env; `value` is a valid out pointer.
        let status = unsafe { sys::napi_get_and_clear_last_exception(self.raw, &mut value) };
        (status == sys::NAPI_OK && !value.is_null()).then_some(value)
    }

    /// Node's description of the last failed call, for diagnostics.
    fn last_error_message(self) -> String {
        let mut info: *const sys::napi_extended_error_info = ptr::null();
        // SAFETY: `self.raw` is the live env; `info` is a valid out pointer.
        let status = unsafe { sys::napi_get_last_error_info(self.raw, &mut info) };
        if status != sys::NAPI_OK || info.is_null() {
            return "no details".to_string();
        }
        // SAFETY: node returned a valid pointer to its error info, valid until the next call.
        let message = unsafe { (*info).error_message };
        if message.is_null() {
            return "no details".to_string();
        }
        // SAFETY: `error_message` is a NUL-terminated static string owned by node.
        unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned()
    }
}
