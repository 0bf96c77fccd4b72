//! What every pass export shares: the trailing `(options, control, async)` arguments, and running
//! the pass either inline or on the libuv thread pool behind a promise.
//!
//! Argument convention of every pass: `(typed-array inputs..., d, pass parameters...,
//! options?: { threads?, simd?, validate?, bf16? }, control?: BigInt64Array, async?: boolean)`.
//! `bf16` is `{ pairs, errNorms, sqnorms }` as `bf16Rows` returns them for the pass's rows; only
//! the passes that screen in bf16 read it (see [`Pass::READS_BF16_ROWS`]).
//! With `async` true every error, argument errors included, rejects the returned promise.

use std::sync::atomic::AtomicI64;

use clostera_kernels::{
    Bf16Rows, Control, ErrorCode, KernelError, KernelResult, Matrix, PassOptions, SimdLevel,
};

use crate::napi::async_work::{queue, rejected_promise, Task};
use crate::napi::convert::{optional, to_bool, to_index, to_options_object, to_string};
use crate::napi::panic::guard;
use crate::napi::pins::Pins;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

/// A pass whose arguments have been read (and whose outputs allocated) on the JS thread.
pub trait Pass: Send + 'static {
    /// Runs the kernel: inline for sync calls, on a pool thread for async ones.
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()>;
    /// Builds the value JS receives (JS thread). `pinned` are the pinned values in order.
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value>;
    /// Whether the pass reads `options.bf16` (a bf16 copy of its rows). Only such passes get it
    /// in their [`PassOptions`], after a check that it shares no memory with any array the pass
    /// writes ([`Pins::written`]).
    const READS_BF16_ROWS: bool = false;
}

/// Per-call settings from the `options` object and the control array.
struct Settings {
    threads: Option<usize>,
    simd: Option<SimdLevel>,
    validate: bool,
    /// Slot 0: cancel flag, slot 1: rows done (a BigInt64Array, usually over a SharedArrayBuffer).
    control: Option<JsSlice<i64>>,
    /// `options.bf16`: pairs, error norms, squared norms.
    bf16: Option<(JsSlice<u32>, JsSlice<f32>, JsSlice<f32>)>,
}

impl Settings {
    fn read(env: Env, options: Value, control: Value, pins: &mut Pins) -> JsResult<Settings> {
        let mut settings = Settings {
            threads: None,
            simd: None,
            validate: true,
            control: None,
            bf16: None,
        };
        if let Some(object) = to_options_object(env, options, "options")? {
            if let Some(threads) = optional(env, env.get(object, c"threads")?)? {
                settings.threads = Some(to_index(env, threads, "options.threads")?);
            }
            if let Some(simd) = optional(env, env.get(object, c"simd")?)? {
                settings.simd = SimdLevel::parse(&to_string(env, simd, "options.simd")?)?;
            }
            if let Some(validate) = optional(env, env.get(object, c"validate")?)? {
                settings.validate = to_bool(env, validate, "options.validate")?;
            }
            if let Some(copy) = to_options_object(env, env.get(object, c"bf16")?, "options.bf16")? {
                settings.bf16 = Some((
                    pins.input::<u32>(env, env.get(copy, c"pairs")?, "options.bf16.pairs")?,
                    pins.input::<f32>(env, env.get(copy, c"errNorms")?, "options.bf16.errNorms")?,
                    pins.input::<f32>(env, env.get(copy, c"sqnorms")?, "options.bf16.sqnorms")?,
                ));
            }
        }
        if let Some(control) = optional(env, control)? {
            let slots = pins.input::<i64>(env, control, "control")?;
            if slots.len() < 2
                || !(slots.as_ptr() as usize).is_multiple_of(std::mem::align_of::<AtomicI64>())
            {
                return Err(KernelError::invalid(
                    "control must be a BigInt64Array of at least 2 aligned slots",
                )
                .with_expected(">= 2")
                .with_actual(slots.len())
                .into());
            }
            settings.control = Some(slots);
        }
        Ok(settings)
    }

    /// Rejects a bf16 copy that shares memory with an array the pass writes.
    fn check_bf16_disjoint(&self, pins: &Pins) -> KernelResult<()> {
        let Some((pairs, err, sq)) = &self.bf16 else { return Ok(()) };
        for (range, name) in [(pairs.byte_range(), "pairs"), (err.byte_range(), "errNorms"), (sq.byte_range(), "sqnorms")] {
            if pins.written().iter().any(|w| w.start < range.end && range.start < w.end) {
                return Err(KernelError::invalid(format!(
                    "options.bf16.{name} shares memory with an array the pass writes"
                )));
            }
        }
        Ok(())
    }

    fn pass_options(&self, with_bf16: bool) -> PassOptions<'_> {
        let control = match &self.control {
            None => Control::NONE,
            Some(slots) => {
                let base = slots.as_ptr();
                // SAFETY: `read` checked two slots and AtomicI64 alignment; the array is pinned for
                // the whole pass and JS only touches it through `Atomics`, so viewing the slots as
                // atomics for the lifetime of `&self` is sound.
                let (cancel, progress) =
                    unsafe { (AtomicI64::from_ptr(base), AtomicI64::from_ptr(base.add(1))) };
                Control {
                    cancel: Some(cancel),
                    progress: Some(progress),
                }
            }
        };
        PassOptions {
            threads: self.threads,
            simd: self.simd,
            control,
            validate: self.validate,
            bf16_rows: self.bf16.as_ref().filter(|_| with_bf16).map(|(pairs, err, sq)| Bf16Rows {
                pairs: pairs.as_slice(),
                err_norms: err.as_slice(),
                sqnorms: sq.as_slice(),
            }),
        }
    }
}

struct PassTask<P> {
    pass: P,
    settings: Settings,
}

impl<P: Pass> Task for PassTask<P> {
    fn execute(&mut self) -> KernelResult<()> {
        self.pass.run(&self.settings.pass_options(P::READS_BF16_ROWS))
    }
    fn resolve(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        self.pass.result(env, pinned)
    }
}

/// Runs a pass export. `tail` is the index of the `options` argument (then `control`, `async`);
/// `prepare` reads the pass's own arguments, pinning inputs and allocating outputs.
pub fn run_pass<P: Pass>(
    args: &CallArgs,
    name: &str,
    tail: usize,
    prepare: impl FnOnce(Env, &CallArgs, &mut Pins) -> JsResult<P>,
) -> JsResult<Value> {
    let env = args.env();
    let is_async = match optional(env, args.get(tail + 2))? {
        Some(flag) => to_bool(env, flag, "async")?,
        None => false,
    };
    let prepared = guard(|| {
        let mut pins = Pins::default();
        let settings = Settings::read(env, args.get(tail), args.get(tail + 1), &mut pins)?;
        let pass = prepare(env, args, &mut pins)?;
        if P::READS_BF16_ROWS {
            settings.check_bf16_disjoint(&pins)?;
        }
        Ok((PassTask { pass, settings }, pins))
    });
    match (is_async, prepared) {
        (false, Ok((mut task, pins))) => {
            task.execute()?;
            task.resolve(env, pins.values())
        }
        (false, Err(failure)) => Err(failure),
        (true, Ok((task, pins))) => queue(env, name, task, pins),
        (true, Err(failure)) => rejected_promise(env, failure),
    }
}

/// Validates `data` as an `n x d` matrix (the kernel's own check) and returns `n`, so outputs can
/// be sized before the pass runs.
pub fn rows_of(data: &JsSlice<f32>, d: usize, name: &'static str) -> KernelResult<usize> {
    Matrix::new(data.as_slice(), d, name).map(|matrix| matrix.n)
}

/// `a * b` for output sizes, with overflow reported instead of wrapping.
pub fn output_len(a: usize, b: usize, name: &str) -> KernelResult<usize> {
    a.checked_mul(b).ok_or_else(|| {
        KernelError::new(
            ErrorCode::OutOfMemory,
            format!("{name} would need {a} x {b} elements"),
        )
    })
}
