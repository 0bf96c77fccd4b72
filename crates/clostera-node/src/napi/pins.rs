//! Keeping the JS arrays a pass reads and writes alive until the pass is over.
//!
//! A synchronous pass finishes inside the callback, where the handle scope already keeps every
//! argument alive. An async pass outlives the callback, so every typed array it touches (inputs,
//! outputs, the control array) is held by a strong `napi_ref` until the completion callback; without
//! that the GC could free memory a worker thread is still using.

use std::ptr;

use super::env::{Env, JsResult, Value};
use super::sys;
use super::typed_array::{borrow_typed_array, new_typed_array, Element, JsSlice};

/// The JS values a pass depends on, in registration order.
#[derive(Default)]
pub struct Pins {
    values: Vec<Value>,
    /// Byte ranges of caller memory the pass writes (caller result buffers, arrays updated in
    /// place), for checks against read-only arguments that arrive outside the export's own
    /// aliasing check (`options.bf16`).
    written: Vec<std::ops::Range<usize>>,
}

/// A result array allocated by the binding: the view the pass writes through and the position of
/// its JS value among the pinned values (to hand it back to JS when the pass is done).
pub struct Output<T> {
    pub slice: JsSlice<T>,
    slot: usize,
}

impl<T> Output<T> {
    /// The JS typed array, given the pinned values in registration order.
    pub fn value(&self, pinned: &[Value]) -> Value {
        pinned[self.slot]
    }
}

impl Pins {
    /// Borrows a typed-array argument and pins it.
    pub fn input<T: Element>(
        &mut self,
        env: Env,
        value: Value,
        name: &str,
    ) -> JsResult<JsSlice<T>> {
        let slice = borrow_typed_array::<T>(env, value, name)?;
        self.values.push(value);
        Ok(slice)
    }

    /// Allocates a result array of `len` elements and pins it.
    pub fn output<T: Element>(&mut self, env: Env, len: usize, name: &str) -> JsResult<Output<T>> {
        let (value, slice) = new_typed_array::<T>(env, len, name)?;
        self.values.push(value);
        Ok(Output {
            slice,
            slot: self.values.len() - 1,
        })
    }

    /// Uses the caller's typed array `value` as a result array of `len` elements (so a caller can
    /// reuse a buffer instead of paying for fresh pages each call) and pins it. A wrong length is
    /// `CLOSTERA_DIMENSION_MISMATCH`; the pass must still check it shares no memory with its
    /// inputs (`exports::aliasing`).
    pub fn output_into<T: Element>(
        &mut self,
        env: Env,
        value: Value,
        len: usize,
        name: &str,
    ) -> JsResult<Output<T>> {
        let slice = borrow_typed_array::<T>(env, value, name)?;
        if slice.len() != len {
            return Err(clostera_kernels::KernelError::new(
                clostera_kernels::ErrorCode::DimensionMismatch,
                format!("{name} must hold {len} elements, got {}", slice.len()),
            )
            .with_expected(len)
            .with_actual(slice.len())
            .into());
        }
        self.values.push(value);
        self.written.push(slice.byte_range());
        Ok(Output {
            slice,
            slot: self.values.len() - 1,
        })
    }

    /// Records that the pass writes `slice` (an argument updated in place).
    pub fn mark_written<T: Element>(&mut self, slice: &JsSlice<T>) {
        self.written.push(slice.byte_range());
    }

    /// The caller memory the pass writes, as recorded so far.
    pub fn written(&self) -> &[std::ops::Range<usize>] {
        &self.written
    }

    /// [`Pins::output_into`] when `value` is given (not undefined or null), else [`Pins::output`].
    pub fn output_or_into<T: Element>(
        &mut self,
        env: Env,
        value: Value,
        len: usize,
        name: &str,
    ) -> JsResult<Output<T>> {
        match super::convert::optional(env, value)? {
            Some(value) => self.output_into(env, value, len, name),
            None => self.output(env, len, name),
        }
    }

    /// The pinned values, valid in the current handle scope.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Turns the pins into strong references that survive the current callback.
    pub fn into_refs(self, env: Env) -> JsResult<Refs> {
        let mut refs = Refs {
            refs: Vec::with_capacity(self.values.len()),
        };
        for value in self.values {
            let mut reference = ptr::null_mut();
            // SAFETY: live env; `value` is a handle of this scope; refcount 1 makes it strong.
            let status = unsafe { sys::napi_create_reference(env.raw(), value, 1, &mut reference) };
            if let Err(failure) = env.check(status, "napi_create_reference") {
                refs.release(env);
                return Err(failure);
            }
            refs.refs.push(reference);
        }
        Ok(refs)
    }
}

/// Strong references to the pinned values of an async pass.
pub struct Refs {
    refs: Vec<sys::napi_ref>,
}

// SAFETY: a `napi_ref` is an opaque handle that is only dereferenced through Node-API calls, and
// those are made on the JS thread only (creation in the call, use and release in the completion
// callback); the worker thread merely carries the handles.
unsafe impl Send for Refs {}

impl Refs {
    /// The referenced values, in registration order, as handles of the current scope.
    pub fn values(&self, env: Env) -> JsResult<Vec<Value>> {
        self.refs
            .iter()
            .map(|&reference| {
                let mut value = ptr::null_mut();
                // SAFETY: live env on the JS thread; `reference` was created by `into_refs` and not
                // yet deleted.
                let status =
                    unsafe { sys::napi_get_reference_value(env.raw(), reference, &mut value) };
                env.check(status, "napi_get_reference_value")
                    .map(|()| value)
            })
            .collect()
    }

    /// Deletes every reference, letting the GC reclaim values JS no longer holds.
    pub fn release(&mut self, env: Env) {
        for reference in self.refs.drain(..) {
            // SAFETY: live env on the JS thread; each reference is deleted exactly once (drained).
            unsafe { sys::napi_delete_reference(env.raw(), reference) };
        }
    }
}
