//! Exports that are not passes: `simdInfo()`, `errorCodes()` and the test-only `__provokePanic()`.

use clostera_kernels::{simd_info, ErrorCode, KernelResult};

use crate::napi::async_work::{queue, Task};
use crate::napi::convert::{optional, to_bool};
use crate::napi::pins::Pins;
use crate::napi::register::Export;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const SIMD_INFO: Export = Export {
    name: c"simdInfo",
    call: call_simd_info,
};
pub const ERROR_CODES: Export = Export {
    name: c"errorCodes",
    call: call_error_codes,
};
pub const PROVOKE_PANIC: Export = Export {
    name: c"__provokePanic",
    call: call_provoke_panic,
};

/// `simdInfo() -> { inUse: string, available: string[], threads: number, bf16Speedup?: number }`.
fn call_simd_info(args: &CallArgs) -> JsResult<Value> {
    let env = args.env();
    let info = simd_info()?;
    let available = env.array(info.available.len())?;
    for (index, level) in info.available.iter().enumerate() {
        env.set_element(available, index as u32, env.string(level.as_str())?)?;
    }
    let object = env.object()?;
    env.set(object, c"inUse", env.string(info.in_use.as_str())?)?;
    env.set(object, c"available", available)?;
    env.set(object, c"threads", env.double(info.threads as f64)?)?;
    if let Some(speedup) = info.bf16_speedup {
        env.set(object, c"bf16Speedup", env.double(speedup)?)?;
    }
    Ok(object)
}

/// `errorCodes() -> { code: string, description: string }[]`, in `ErrorCode::ALL` order.
fn call_error_codes(args: &CallArgs) -> JsResult<Value> {
    let env = args.env();
    let list = env.array(ErrorCode::ALL.len())?;
    for (index, code) in ErrorCode::ALL.iter().enumerate() {
        let entry = env.object()?;
        env.set(entry, c"code", env.string(code.as_str())?)?;
        env.set(entry, c"description", env.string(code.describe())?)?;
        env.set_element(list, index as u32, entry)?;
    }
    Ok(list)
}

/// Panics on whichever thread executes it.
struct PanicTask;

impl Task for PanicTask {
    fn execute(&mut self) -> KernelResult<()> {
        clostera_kernels::provoke_panic()
    }
    fn resolve(&mut self, env: Env, _pinned: &[Value]) -> JsResult<Value> {
        env.undefined()
    }
}

/// `__provokePanic(async?: boolean)`: panics inside the kernels crate, on the JS thread (throws)
/// or on a pool thread (rejects), to test that a panic becomes a `CLOSTERA_INTERNAL` error and
/// node keeps running.
fn call_provoke_panic(args: &CallArgs) -> JsResult<Value> {
    let env = args.env();
    let is_async = match optional(env, args.get(0))? {
        Some(flag) => to_bool(env, flag, "async")?,
        None => false,
    };
    if is_async {
        queue(env, "clostera:provokePanic", PanicTask, Pins::default())
    } else {
        clostera_kernels::provoke_panic()
    }
}
