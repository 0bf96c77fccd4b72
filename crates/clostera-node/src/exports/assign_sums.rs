//! `assignSums(x, c, d, weights?, options?, control?, async?)
//!   -> { labels, values, sums, weightSums, counts }`: the fused l2 assignment plus the
//! per-cluster sums of the new labels, in one read of the rows (a plain Lloyd iteration).

use clostera_kernels::{assign_sums, KernelResult, Matrix, PassOptions};

use super::params::{read_weights, weights_slice};
use super::pass::{rows_of, run_pass, Pass};
use super::sums_outputs::SumsOutputs;
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"assignSums",
    call,
};

struct AssignSums {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    labels: Output<u32>,
    values: Output<f32>,
    sums: SumsOutputs,
}

impl Pass for AssignSums {
    const READS_BF16_ROWS: bool = true;
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        let sums = self.sums.cluster_sums();
        assign_sums(
            x,
            c,
            weights_slice(&self.weights),
            self.labels.slice.as_mut_slice(),
            self.values.slice.as_mut_slice(),
            sums,
            options,
        )
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"labels", self.labels.value(pinned))?;
        env.set(object, c"values", self.values.value(pinned))?;
        self.sums.set_on(env, object, pinned)?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:assignSums", 4, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let d = to_index(env, args.get(2), "d")?;
        let weights = read_weights(env, args.get(3), pins)?;
        let n = rows_of(&x, d, "x")?;
        let k = rows_of(&c, d, "centroids")?;
        Ok(AssignSums {
            x,
            c,
            weights,
            d,
            labels: pins.output::<u32>(env, n, "labels")?,
            values: pins.output::<f32>(env, n, "values")?,
            sums: SumsOutputs::new(env, pins, k, d)?,
        })
    })
}
