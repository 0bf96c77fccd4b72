//! Stable error codes and the error type every pass returns.
//!
//! This file is the single source of the `CLOSTERA_*` codes: the Node binding exports
//! [`ErrorCode::ALL`] and the TypeScript mirror is tested against it.

use std::any::Any;
use std::fmt;

/// A stable, documented error code. The string form never changes once released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    InvalidArgument,
    InvalidType,
    DimensionMismatch,
    NonFinite,
    ZeroNorm,
    UnsupportedSimd,
    Cancelled,
    Internal,
    Io,
    Format,
    Unsupported,
    OutOfMemory,
}

impl ErrorCode {
    /// Every code, in a fixed order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidArgument,
        ErrorCode::InvalidType,
        ErrorCode::DimensionMismatch,
        ErrorCode::NonFinite,
        ErrorCode::ZeroNorm,
        ErrorCode::UnsupportedSimd,
        ErrorCode::Cancelled,
        ErrorCode::Internal,
        ErrorCode::Io,
        ErrorCode::Format,
        ErrorCode::Unsupported,
        ErrorCode::OutOfMemory,
    ];

    /// The stable string form, e.g. `CLOSTERA_NON_FINITE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "CLOSTERA_INVALID_ARGUMENT",
            ErrorCode::InvalidType => "CLOSTERA_INVALID_TYPE",
            ErrorCode::DimensionMismatch => "CLOSTERA_DIMENSION_MISMATCH",
            ErrorCode::NonFinite => "CLOSTERA_NON_FINITE",
            ErrorCode::ZeroNorm => "CLOSTERA_ZERO_NORM",
            ErrorCode::UnsupportedSimd => "CLOSTERA_UNSUPPORTED_SIMD",
            ErrorCode::Cancelled => "CLOSTERA_CANCELLED",
            ErrorCode::Internal => "CLOSTERA_INTERNAL",
            ErrorCode::Io => "CLOSTERA_IO",
            ErrorCode::Format => "CLOSTERA_FORMAT",
            ErrorCode::Unsupported => "CLOSTERA_UNSUPPORTED",
            ErrorCode::OutOfMemory => "CLOSTERA_OUT_OF_MEMORY",
        }
    }

    /// One sentence saying when the code is used.
    pub fn describe(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "An argument has a value outside its allowed range (k = 0, L > k, a label >= k, ...).",
            ErrorCode::InvalidType => "An argument has the wrong type (for example a Float64Array where a Float32Array is expected).",
            ErrorCode::DimensionMismatch => "Array lengths or dimensions disagree (data length not a multiple of d, centroids of another d, ...).",
            ErrorCode::NonFinite => "A value is NaN or infinite; the offending row is reported.",
            ErrorCode::ZeroNorm => "A row has zero norm where the cosine metric needs a direction; the offending row is reported.",
            ErrorCode::UnsupportedSimd => "The requested SIMD level is not available on this CPU or build.",
            ErrorCode::Cancelled => "The work was cancelled through its AbortSignal.",
            ErrorCode::Internal => "A bug inside Clostera (including a caught Rust panic); the process keeps running.",
            ErrorCode::Io => "A file system operation failed.",
            ErrorCode::Format => "Input bytes are malformed: truncated, wrong magic, a header that disagrees with the file, ragged or null vectors.",
            ErrorCode::Unsupported => "The input is valid but uses a feature Clostera does not support (Fortran order, an unsupported dtype or codec).",
            ErrorCode::OutOfMemory => "The work would exceed the memory budget it was given.",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A detail value attached to an error: what was expected, what was found.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    Num(f64),
    Text(String),
}

impl From<f64> for Detail {
    fn from(v: f64) -> Self {
        Detail::Num(v)
    }
}
impl From<usize> for Detail {
    fn from(v: usize) -> Self {
        Detail::Num(v as f64)
    }
}
impl From<u32> for Detail {
    fn from(v: u32) -> Self {
        Detail::Num(v as f64)
    }
}
impl From<f32> for Detail {
    fn from(v: f32) -> Self {
        Detail::Num(v as f64)
    }
}
impl From<&str> for Detail {
    fn from(v: &str) -> Self {
        Detail::Text(v.to_string())
    }
}
impl From<String> for Detail {
    fn from(v: String) -> Self {
        Detail::Text(v)
    }
}

/// The error every pass returns: a stable code, a message, and the offending details.
#[derive(Clone, Debug, PartialEq)]
pub struct KernelError {
    pub code: ErrorCode,
    pub message: String,
    pub row: Option<u64>,
    pub expected: Option<Detail>,
    pub actual: Option<Detail>,
}

/// Result alias used by every pass.
pub type KernelResult<T> = Result<T, KernelError>;

impl KernelError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        KernelError {
            code,
            message: message.into(),
            row: None,
            expected: None,
            actual: None,
        }
    }
    pub fn with_row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }
    pub fn with_expected(mut self, expected: impl Into<Detail>) -> Self {
        self.expected = Some(expected.into());
        self
    }
    pub fn with_actual(mut self, actual: impl Into<Detail>) -> Self {
        self.actual = Some(actual.into());
        self
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        KernelError::new(ErrorCode::InvalidArgument, message)
    }
    pub fn cancelled() -> Self {
        KernelError::new(ErrorCode::Cancelled, "the operation was cancelled")
    }
    /// Turns a caught panic payload into a `CLOSTERA_INTERNAL` error carrying the panic message.
    pub fn internal_from_panic(payload: &(dyn Any + Send)) -> Self {
        let text = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown panic payload".to_string()
        };
        KernelError::new(
            ErrorCode::Internal,
            format!("internal error (Rust panic): {text}"),
        )
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for KernelError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(c.as_str().starts_with("CLOSTERA_"));
            assert!(seen.insert(c.as_str()), "duplicate {}", c);
            assert!(!c.describe().is_empty());
        }
    }

    #[test]
    fn panic_payloads_become_internal() {
        let e = KernelError::internal_from_panic(&"boom");
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(e.message.contains("boom"));
        let e = KernelError::internal_from_panic(&String::from("bang"));
        assert!(e.message.contains("bang"));
    }
}
