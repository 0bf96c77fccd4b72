//! Creating JS values and reading their type (the building blocks of results and errors).

use std::ffi::{c_char, CStr};
use std::ptr;

use super::env::{Env, JsResult, Value};
use super::sys;

/// The `typeof` of a value, plus the distinctions error messages need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    External,
    BigInt,
    Unknown,
}

impl JsType {
    /// Name used in `actual` fields of type errors.
    pub fn name(self) -> &'static str {
        match self {
            JsType::Undefined => "undefined",
            JsType::Null => "null",
            JsType::Boolean => "boolean",
            JsType::Number => "number",
            JsType::String => "string",
            JsType::Symbol => "symbol",
            JsType::Object => "object",
            JsType::Function => "function",
            JsType::External => "external",
            JsType::BigInt => "bigint",
            JsType::Unknown => "unknown",
        }
    }

    /// True for `undefined` and `null`, which both mean "not given" for optional arguments.
    pub fn is_nullish(self) -> bool {
        matches!(self, JsType::Undefined | JsType::Null)
    }
}

impl Env {
    /// `undefined`.
    pub fn undefined(self) -> JsResult<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: live env, valid out pointer.
        let status = unsafe { sys::napi_get_undefined(self.raw(), &mut value) };
        self.check(status, "napi_get_undefined").map(|()| value)
    }

    /// A JS number.
    pub fn double(self, number: f64) -> JsResult<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: live env, valid out pointer.
        let status = unsafe { sys::napi_create_double(self.raw(), number, &mut value) };
        self.check(status, "napi_create_double").map(|()| value)
    }

    /// A JS string (copied).
    pub fn string(self, text: &str) -> JsResult<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: live env; `text` points to `text.len()` valid UTF-8 bytes (no NUL needed when a
        // length is given); valid out pointer.
        let status = unsafe {
            sys::napi_create_string_utf8(
                self.raw(),
                text.as_ptr().cast::<c_char>(),
                text.len(),
                &mut value,
            )
        };
        self.check(status, "napi_create_string_utf8")
            .map(|()| value)
    }

    /// An empty plain object.
    pub fn object(self) -> JsResult<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: live env, valid out pointer.
        let status = unsafe { sys::napi_create_object(self.raw(), &mut value) };
        self.check(status, "napi_create_object").map(|()| value)
    }

    /// An array with `length` holes, to be filled with [`Env::set_element`].
    pub fn array(self, length: usize) -> JsResult<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: live env, valid out pointer.
        let status = unsafe { sys::napi_create_array_with_length(self.raw(), length, &mut value) };
        self.check(status, "napi_create_array_with_length")
            .map(|()| value)
    }

    /// `object[name] = value`.
    pub fn set(self, object: Value, name: &CStr, value: Value) -> JsResult<()> {
        // SAFETY: live env; `object` and `value` are handles of this scope; `name` is NUL-terminated.
        let status =
            unsafe { sys::napi_set_named_property(self.raw(), object, name.as_ptr(), value) };
        self.check(status, "napi_set_named_property")
    }

    /// `object[name]` (may run a getter, hence may leave an exception pending).
    pub fn get(self, object: Value, name: &CStr) -> JsResult<Value> {
        let mut value = ptr::null_mut();
        // SAFETY: live env; `object` is a handle of this scope; `name` is NUL-terminated.
        let status =
            unsafe { sys::napi_get_named_property(self.raw(), object, name.as_ptr(), &mut value) };
        self.check(status, "napi_get_named_property")
            .map(|()| value)
    }

    /// `array[index] = value`.
    pub fn set_element(self, array: Value, index: u32, value: Value) -> JsResult<()> {
        // SAFETY: live env; `array` and `value` are handles of this scope.
        let status = unsafe { sys::napi_set_element(self.raw(), array, index, value) };
        self.check(status, "napi_set_element")
    }

    /// `typeof value`.
    pub fn type_of(self, value: Value) -> JsResult<JsType> {
        let mut kind: sys::napi_valuetype = 0;
        // SAFETY: live env; `value` is a handle of this scope; valid out pointer.
        let status = unsafe { sys::napi_typeof(self.raw(), value, &mut kind) };
        self.check(status, "napi_typeof")?;
        Ok(match kind {
            sys::NAPI_UNDEFINED => JsType::Undefined,
            sys::NAPI_NULL => JsType::Null,
            sys::NAPI_BOOLEAN => JsType::Boolean,
            sys::NAPI_NUMBER => JsType::Number,
            sys::NAPI_STRING => JsType::String,
            sys::NAPI_SYMBOL => JsType::Symbol,
            sys::NAPI_OBJECT => JsType::Object,
            sys::NAPI_FUNCTION => JsType::Function,
            sys::NAPI_EXTERNAL => JsType::External,
            sys::NAPI_BIGINT => JsType::BigInt,
            _ => JsType::Unknown,
        })
    }

    /// True for JS arrays.
    pub fn is_array(self, value: Value) -> JsResult<bool> {
        let mut result = false;
        // SAFETY: live env; `value` is a handle of this scope; valid out pointer.
        let status = unsafe { sys::napi_is_array(self.raw(), value, &mut result) };
        self.check(status, "napi_is_array").map(|()| result)
    }
}
