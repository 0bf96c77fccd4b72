//! Reading JS arguments into Rust values, with Clostera error codes on mismatch.
//!
//! Type mismatches are `CLOSTERA_INVALID_TYPE` (expected / actual type names); values of the right
//! type but outside the allowed range are `CLOSTERA_INVALID_ARGUMENT`.

use std::ffi::c_char;
use std::ptr;

use clostera_kernels::{ErrorCode, KernelError};

use super::env::{Env, Failure, JsResult, Value};
use super::sys;
use super::typed_array::typed_array_class;
use super::value::JsType;

/// Largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Longest string argument accepted (metric and SIMD names are a few bytes).
const MAX_STRING_BYTES: usize = 256;

/// A `CLOSTERA_INVALID_TYPE` failure for argument `name`.
pub fn type_error(name: &str, expected: &str, actual: &str) -> Failure {
    Failure::Kernel(
        KernelError::new(
            ErrorCode::InvalidType,
            format!("{name} must be {expected}, got {actual}"),
        )
        .with_expected(expected)
        .with_actual(actual),
    )
}

/// Names the type of a value the way a JS developer would: `Float64Array`, `Array`, `string`...
pub fn describe(env: Env, value: Value) -> JsResult<String> {
    if let Some(class) = typed_array_class(env, value)? {
        return Ok(class.to_string());
    }
    if env.is_array(value)? {
        return Ok("Array".to_string());
    }
    Ok(env.type_of(value)?.name().to_string())
}

/// `None` for `undefined` / `null`, the value otherwise.
pub fn optional(env: Env, value: Value) -> JsResult<Option<Value>> {
    Ok(if env.type_of(value)?.is_nullish() {
        None
    } else {
        Some(value)
    })
}

/// A JS number.
pub fn to_f64(env: Env, value: Value, name: &str) -> JsResult<f64> {
    if env.type_of(value)? != JsType::Number {
        return Err(type_error(name, "number", &describe(env, value)?));
    }
    let mut number = 0.0;
    // SAFETY: live env; `value` is a number handle of this scope; valid out pointer.
    let status = unsafe { sys::napi_get_value_double(env.raw(), value, &mut number) };
    env.check(status, "napi_get_value_double").map(|()| number)
}

/// A non-negative integer that fits a JS number exactly (sizes, counts, `d`, `k`, `l`).
pub fn to_index(env: Env, value: Value, name: &str) -> JsResult<usize> {
    let number = to_f64(env, value, name)?;
    if !((0.0..=MAX_SAFE_INTEGER).contains(&number) && number.fract() == 0.0) {
        return Err(Failure::Kernel(
            KernelError::invalid(format!(
                "{name} must be a non-negative integer, got {number}"
            ))
            .with_expected("a non-negative integer")
            .with_actual(number),
        ));
    }
    usize::try_from(number as u64).map_err(|_| {
        Failure::Kernel(
            KernelError::invalid(format!("{name} = {number} does not fit this platform"))
                .with_expected(format!("<= {}", usize::MAX))
                .with_actual(number),
        )
    })
}

/// A JS boolean (no truthiness coercion: `1` is a type error).
pub fn to_bool(env: Env, value: Value, name: &str) -> JsResult<bool> {
    if env.type_of(value)? != JsType::Boolean {
        return Err(type_error(name, "boolean", &describe(env, value)?));
    }
    let mut result = false;
    // SAFETY: live env; `value` is a boolean handle of this scope; valid out pointer.
    let status = unsafe { sys::napi_get_value_bool(env.raw(), value, &mut result) };
    env.check(status, "napi_get_value_bool").map(|()| result)
}

/// A short JS string, copied out as UTF-8.
pub fn to_string(env: Env, value: Value, name: &str) -> JsResult<String> {
    if env.type_of(value)? != JsType::String {
        return Err(type_error(name, "string", &describe(env, value)?));
    }
    let mut length = 0usize;
    // SAFETY: live env; `value` is a string handle; a null buffer asks for the length only.
    let status = unsafe {
        sys::napi_get_value_string_utf8(env.raw(), value, ptr::null_mut(), 0, &mut length)
    };
    env.check(status, "napi_get_value_string_utf8")?;
    if length > MAX_STRING_BYTES {
        return Err(Failure::Kernel(
            KernelError::invalid(format!("{name} is too long ({length} bytes)"))
                .with_expected(format!("at most {MAX_STRING_BYTES} bytes"))
                .with_actual(length),
        ));
    }
    // Node writes a NUL terminator after the text, so the buffer needs one extra byte.
    let mut buffer = vec![0u8; length + 1];
    let mut written = 0usize;
    // SAFETY: `buffer` holds `length + 1` writable bytes, as declared in `bufsize`.
    let status = unsafe {
        sys::napi_get_value_string_utf8(
            env.raw(),
            value,
            buffer.as_mut_ptr().cast::<c_char>(),
            buffer.len(),
            &mut written,
        )
    };
    env.check(status, "napi_get_value_string_utf8")?;
    buffer.truncate(written);
    Ok(String::from_utf8_lossy(&buffer).into_owned())
}

/// A plain options object (or `None` for `undefined` / `null`).
pub fn to_options_object(env: Env, value: Value, name: &str) -> JsResult<Option<Value>> {
    match env.type_of(value)? {
        JsType::Undefined | JsType::Null => Ok(None),
        JsType::Object => Ok(Some(value)),
        _ => Err(type_error(name, "an object", &describe(env, value)?)),
    }
}
