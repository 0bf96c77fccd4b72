//! A validated row-major view of a float32 matrix.

use crate::error::{ErrorCode, KernelError, KernelResult};

/// A borrowed row-major `n x d` matrix of f32.
#[derive(Clone, Copy, Debug)]
pub struct Matrix<'a> {
    pub data: &'a [f32],
    pub n: usize,
    pub d: usize,
}

impl<'a> Matrix<'a> {
    /// Checks `d > 0` and that the length is a multiple of `d`. `name` appears in error messages.
    pub fn new(data: &'a [f32], d: usize, name: &'static str) -> KernelResult<Self> {
        if d == 0 {
            return Err(
                KernelError::invalid(format!("{name}: d must be at least 1"))
                    .with_expected(">= 1")
                    .with_actual(0usize),
            );
        }
        if data.len() % d != 0 {
            return Err(KernelError::new(
                ErrorCode::DimensionMismatch,
                format!("{name}: length {} is not a multiple of d = {d}", data.len()),
            )
            .with_expected(format!("a multiple of {d}"))
            .with_actual(data.len()));
        }
        Ok(Matrix {
            data,
            n: data.len() / d,
            d,
        })
    }

    /// Row `i` as a slice.
    #[inline]
    pub fn row(&self, i: usize) -> &'a [f32] {
        &self.data[i * self.d..(i + 1) * self.d]
    }
}
