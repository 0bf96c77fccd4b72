//! `assignTop2Sums(x, c, d, metric, weights?, options?, control?, async?) -> { labels, values,
//! second, sums, weightSums, counts }`: the final assignment prepared for one refinement step.

use clostera_kernels::{assign_top2_sums, KernelResult, Matrix, Metric, PassOptions};

use super::params::{read_metric, read_weights, weights_slice};
use super::pass::{rows_of, run_pass, Pass};
use super::sums_outputs::SumsOutputs;
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"assignTop2Sums",
    call,
};

struct AssignTop2Sums {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    metric: Metric,
    labels: Output<u32>,
    values: Output<f32>,
    second: Output<f32>,
    sums: SumsOutputs,
}

impl Pass for AssignTop2Sums {
    const READS_BF16_ROWS: bool = true;
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        let sums = self.sums.cluster_sums();
        assign_top2_sums(
            x,
            c,
            self.metric,
            weights_slice(&self.weights),
            self.labels.slice.as_mut_slice(),
            self.values.slice.as_mut_slice(),
            self.second.slice.as_mut_slice(),
            sums,
            options,
        )
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"labels", self.labels.value(pinned))?;
        env.set(object, c"values", self.values.value(pinned))?;
        env.set(object, c"second", self.second.value(pinned))?;
        self.sums.set_on(env, object, pinned)?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:assignTop2Sums", 5, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let d = to_index(env, args.get(2), "d")?;
        let metric = read_metric(env, args.get(3))?;
        let weights = read_weights(env, args.get(4), pins)?;
        let n = rows_of(&x, d, "x")?;
        let k = rows_of(&c, d, "centroids")?;
        Ok(AssignTop2Sums {
            x,
            c,
            weights,
            d,
            metric,
            labels: pins.output::<u32>(env, n, "labels")?,
            values: pins.output::<f32>(env, n, "values")?,
            second: pins.output::<f32>(env, n, "second")?,
            sums: SumsOutputs::new(env, pins, k, d)?,
        })
    })
}
