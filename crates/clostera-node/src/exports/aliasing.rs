//! Rejecting arguments that share memory when a pass writes one of them.
//!
//! Passes that update caller-provided arrays in place (k-means++ distances, Lloyd state) hold a
//! `&mut` slice over JS memory. If JS passed views of one buffer for two arguments, that slice
//! would alias another argument: undefined behaviour in Rust and wrong results in practice. So
//! every written array must be disjoint from every other argument, read or written.

use std::ops::Range;

use clostera_kernels::{KernelError, KernelResult};

use crate::napi::typed_array::{Element, JsSlice};

/// The arguments of one call, by name and memory range.
#[derive(Default)]
pub struct Aliasing {
    written: Vec<(&'static str, Range<usize>)>,
    read: Vec<(&'static str, Range<usize>)>,
}

impl Aliasing {
    /// An array the pass writes.
    pub fn written<T: Element>(mut self, slice: &JsSlice<T>, name: &'static str) -> Self {
        self.written.push((name, slice.byte_range()));
        self
    }

    /// An array the pass only reads.
    pub fn read<T: Element>(mut self, slice: &JsSlice<T>, name: &'static str) -> Self {
        self.read.push((name, slice.byte_range()));
        self
    }

    /// An optional array the pass only reads.
    pub fn read_opt<T: Element>(self, slice: &Option<JsSlice<T>>, name: &'static str) -> Self {
        match slice {
            Some(slice) => self.read(slice, name),
            None => self,
        }
    }

    /// Errors with `CLOSTERA_INVALID_ARGUMENT` when a written array shares a byte with any other.
    pub fn check(&self) -> KernelResult<()> {
        for (index, (name, range)) in self.written.iter().enumerate() {
            let others = self.written[index + 1..].iter().chain(&self.read);
            if let Some((other, _)) = others.into_iter().find(|(_, other)| overlaps(range, other)) {
                return Err(KernelError::invalid(format!(
                    "{name} must not share memory with {other}"
                ))
                .with_expected("separate buffers")
                .with_actual(format!("{name} overlaps {other}")));
            }
        }
        Ok(())
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    !a.is_empty() && !b.is_empty() && a.start < b.end && b.start < a.end
}
