//! The per-cluster sums outputs shared by the fused assignment exports (`assignSums`,
//! `assignTop2Sums`): allocation, the kernel's view of them, and their fields on the result.

use clostera_kernels::ClusterSums;

use super::pass::output_len;
use crate::napi::pins::{Output, Pins};
use crate::napi::{Env, JsResult, Value};

pub struct SumsOutputs {
    sums: Output<f64>,
    weight_sums: Output<f64>,
    counts: Output<u32>,
}

impl SumsOutputs {
    /// Outputs for `k` clusters of `d` components.
    pub fn new(env: Env, pins: &mut Pins, k: usize, d: usize) -> JsResult<SumsOutputs> {
        Ok(SumsOutputs {
            sums: pins.output::<f64>(env, output_len(k, d, "sums")?, "sums")?,
            weight_sums: pins.output::<f64>(env, k, "weightSums")?,
            counts: pins.output::<u32>(env, k, "counts")?,
        })
    }

    /// The kernel's view of the outputs.
    pub fn cluster_sums(&mut self) -> ClusterSums<'_> {
        ClusterSums {
            sums: self.sums.slice.as_mut_slice(),
            weight_sums: self.weight_sums.slice.as_mut_slice(),
            counts: self.counts.slice.as_mut_slice(),
        }
    }

    /// Sets `sums`, `weightSums` and `counts` on the result object.
    pub fn set_on(&self, env: Env, object: Value, pinned: &[Value]) -> JsResult<()> {
        env.set(object, c"sums", self.sums.value(pinned))?;
        env.set(object, c"weightSums", self.weight_sums.value(pinned))?;
        env.set(object, c"counts", self.counts.value(pinned))
    }
}
