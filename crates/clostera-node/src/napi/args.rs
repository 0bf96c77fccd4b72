//! The arguments of a native call.

use std::ffi::c_void;
use std::ptr;

use clostera_kernels::{ErrorCode, KernelError};

use super::env::{Env, JsResult, Value};
use super::sys;

/// More than any export takes (the widest, `seedPotential`, takes 19). A call with more is refused
/// rather than truncated: dropping the trailing `control` / `async` arguments once made an async
/// pass run synchronously on the JS thread without progress or cancellation.
const MAX_ARGS: usize = 20;

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
        if argc > MAX_ARGS {
            return Err(KernelError::new(
                ErrorCode::Internal,
                format!("native call with {argc} arguments; at most {MAX_ARGS} are read"),
            )
            .into());
        }
        Ok(CallArgs {
            env,
            argv,
            argc,
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
