//! The arguments of a native call.

use std::ffi::c_void;
use std::ptr;

use super::env::{Env, JsResult, Value};
use super::sys;

/// More than any export takes; extra arguments are ignored like in JS.
const MAX_ARGS: usize = 12;

/// The arguments JS passed, plus the `data` pointer registered with the function.
pub struct CallArgs {
    env: Env,
    argv: [Value; MAX_ARGS],
    argc: usize,
    undefined: Value,
    data: *mut c_void,
}

impl CallArgs {
    /// Reads the arguments of the current call.
    pub fn read(env: Env, info: sys::napi_callback_info) -> JsResult<CallArgs> {
        let mut argv = [ptr::null_mut(); MAX_ARGS];
        let mut argc = MAX_ARGS;
        let mut data = ptr::null_mut();
        // SAFETY: live env and the `info` of the current callback; `argv` has room for `argc`
        // values; `this` is not needed (null is allowed).
        let status = unsafe {
            sys::napi_get_cb_info(
                env.raw(),
                info,
                &mut argc,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                &mut data,
            )
        };
        env.check(status, "napi_get_cb_info")?;
        Ok(CallArgs {
            env,
            argv,
            argc: argc.min(MAX_ARGS),
            undefined: env.undefined()?,
            data,
        })
    }

    /// Argument `index`, or `undefined` when it was not passed.
    pub fn get(&self, index: usize) -> Value {
        if index < self.argc {
            self.argv[index]
        } else {
            self.undefined
        }
    }

    /// The environment of the call.
    pub fn env(&self) -> Env {
        self.env
    }

    /// The `data` pointer given to `napi_create_function`.
    pub fn data(&self) -> *mut c_void {
        self.data
    }
}
