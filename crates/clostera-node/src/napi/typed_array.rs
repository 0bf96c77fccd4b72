//! Typed arrays: borrowing JS memory as Rust slices (with element-type checks) and allocating
//! result arrays whose memory the kernels write directly.

use std::ffi::c_void;
use std::mem::{align_of, size_of};
use std::ops::Range;
use std::ptr::{self, NonNull};

use clostera_kernels::{ErrorCode, KernelError};

use super::convert::{describe, type_error};
use super::env::{Env, Failure, JsResult, Value};
use super::sys;

/// An element type the binding exchanges with JS, tied to its typed-array class.
pub trait Element: Copy + Send + 'static {
    /// The Node-API element type.
    const KIND: sys::napi_typedarray_type;
    /// The JS class name, used in type errors.
    const CLASS: &'static str;
}

impl Element for f32 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_FLOAT32_ARRAY;
    const CLASS: &'static str = "Float32Array";
}
impl Element for f64 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_FLOAT64_ARRAY;
    const CLASS: &'static str = "Float64Array";
}
impl Element for u32 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_UINT32_ARRAY;
    const CLASS: &'static str = "Uint32Array";
}
impl Element for i64 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_BIGINT64_ARRAY;
    const CLASS: &'static str = "BigInt64Array";
}

/// The class name of a typed-array element type.
fn class_name(kind: sys::napi_typedarray_type) -> &'static str {
    match kind {
        sys::NAPI_INT8_ARRAY => "Int8Array",
        sys::NAPI_UINT8_ARRAY => "Uint8Array",
        sys::NAPI_UINT8_CLAMPED_ARRAY => "Uint8ClampedArray",
        sys::NAPI_INT16_ARRAY => "Int16Array",
        sys::NAPI_UINT16_ARRAY => "Uint16Array",
        sys::NAPI_INT32_ARRAY => "Int32Array",
        sys::NAPI_UINT32_ARRAY => "Uint32Array",
        sys::NAPI_FLOAT32_ARRAY => "Float32Array",
        sys::NAPI_FLOAT64_ARRAY => "Float64Array",
        sys::NAPI_BIGINT64_ARRAY => "BigInt64Array",
        sys::NAPI_BIGUINT64_ARRAY => "BigUint64Array",
        _ => "TypedArray",
    }
}

/// View of typed-array memory owned by JS. It carries no lifetime; instead only `Pins` creates
/// views, and it keeps the JS array alive until the pass owning the view is finished. JS must not
/// write to pass inputs while a pass runs (documented in the TypeScript API).
pub struct JsSlice<T> {
    ptr: *mut T,
    len: usize,
}

// SAFETY: the memory belongs to a JS typed array that `Pins` keeps alive until the pass completes,
// and the only other party that could touch it (JS code) is documented not to while a pass runs.
// So moving the view to a libuv worker thread does not create unsynchronised access.
unsafe impl<T: Send> Send for JsSlice<T> {}

impl<T: Element> JsSlice<T> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Address range in bytes, to reject aliasing between a mutated array and the inputs.
    pub fn byte_range(&self) -> Range<usize> {
        let start = self.ptr as usize;
        start..start + self.len * size_of::<T>()
    }

    /// The first element's address (for atomics over the control array).
    pub fn as_ptr(&self) -> *mut T {
        self.ptr
    }

    /// The elements as a shared slice.
    pub fn as_slice(&self) -> &[T] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: non-empty typed arrays have a non-null, element-aligned pointer (checked in
        // `from_raw`) to `len` initialised elements. Only `Pins` creates views, so the JS array
        // stays alive while the pass owning this view can run; JS is documented not to write to
        // pass inputs meanwhile.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    /// The elements as a mutable slice. Passes that write a caller-provided array first reject
    /// arguments sharing memory with it (`exports::aliasing`); arrays from `Pins::output` are fresh
    /// allocations nothing else views.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: as in `as_slice`; `&mut self` plus the overlap rule above make this the only
        // live view of these bytes.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    fn from_raw(data: *mut c_void, len: usize) -> JsResult<JsSlice<T>> {
        let ptr = if len == 0 {
            NonNull::<T>::dangling().as_ptr()
        } else {
            data.cast::<T>()
        };
        if len > 0 && (ptr.is_null() || !(ptr as usize).is_multiple_of(align_of::<T>())) {
            return Err(Failure::Kernel(KernelError::new(
                ErrorCode::Internal,
                format!("{} memory is null or misaligned", T::CLASS),
            )));
        }
        Ok(JsSlice { ptr, len })
    }
}

/// The typed-array class of `value`, or `None` when it is not a typed array.
pub fn typed_array_class(env: Env, value: Value) -> JsResult<Option<&'static str>> {
    let mut is_typed_array = false;
    // SAFETY: live env; `value` is a handle of this scope; valid out pointer.
    let status = unsafe { sys::napi_is_typedarray(env.raw(), value, &mut is_typed_array) };
    env.check(status, "napi_is_typedarray")?;
    if !is_typed_array {
        return Ok(None);
    }
    Ok(Some(class_name(typed_array_info(env, value)?.0)))
}

fn typed_array_info(
    env: Env,
    value: Value,
) -> JsResult<(sys::napi_typedarray_type, usize, *mut c_void)> {
    let (mut kind, mut len, mut data) = (0, 0usize, ptr::null_mut());
    // SAFETY: live env; `value` is a typed array; unused outputs may be null per the Node-API docs.
    let status = unsafe {
        sys::napi_get_typedarray_info(
            env.raw(),
            value,
            &mut kind,
            &mut len,
            &mut data,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    env.check(status, "napi_get_typedarray_info")
        .map(|()| (kind, len, data))
}

/// Views `value` as a `T` typed array; anything else is `CLOSTERA_INVALID_TYPE`.
pub(super) fn borrow_typed_array<T: Element>(
    env: Env,
    value: Value,
    name: &str,
) -> JsResult<JsSlice<T>> {
    match typed_array_class(env, value)? {
        None => Err(type_error(name, T::CLASS, &describe(env, value)?)),
        Some(class) if class != T::CLASS => Err(type_error(name, T::CLASS, class)),
        Some(_) => {
            let (_, len, data) = typed_array_info(env, value)?;
            JsSlice::from_raw(data, len)
        }
    }
}

/// Allocates a zero-filled `T` typed array of `len` elements on the JS heap and returns it with a
/// view of its memory, so a pass can write its result in place.
pub(super) fn new_typed_array<T: Element>(
    env: Env,
    len: usize,
    name: &str,
) -> JsResult<(Value, JsSlice<T>)> {
    let out_of_memory = |bytes: String| {
        Failure::Kernel(
            KernelError::new(
                ErrorCode::OutOfMemory,
                format!("cannot allocate {name}: {bytes} bytes"),
            )
            .with_actual(len),
        )
    };
    let bytes = len
        .checked_mul(size_of::<T>())
        .ok_or_else(|| out_of_memory(format!("{len} x {}", size_of::<T>())))?;
    let (mut data, mut buffer, mut array) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
    // SAFETY: live env; valid out pointers. V8 zero-fills new ArrayBuffers.
    let mut status =
        unsafe { sys::napi_create_arraybuffer(env.raw(), bytes, &mut data, &mut buffer) };
    if status == sys::NAPI_OK {
        // SAFETY: `buffer` is the ArrayBuffer just created, exactly `len` elements of `T` long.
        status =
            unsafe { sys::napi_create_typedarray(env.raw(), T::KIND, len, buffer, 0, &mut array) };
    }
    if status != sys::NAPI_OK {
        // V8 reports a failed allocation (or a length over its typed-array limit) as a RangeError;
        // report it with Clostera's code instead.
        if env.take_exception().is_some() {
            return Err(out_of_memory(bytes.to_string()));
        }
        env.check(status, "napi_create_arraybuffer / napi_create_typedarray")?;
    }
    Ok((array, JsSlice::from_raw(data, len)?))
}
