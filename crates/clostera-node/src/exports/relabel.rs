//! `relabel(x, d, ids, c, metric, oldLabels, weights?, options?, control?, async?) -> { labels,
//! values, sums, weightSums, counts }`: rows `ids` assigned to moved centroids, with their sums by
//! their old labels (the second half of a refinement step).

use clostera_kernels::{relabel, KernelResult, Matrix, Metric, PassOptions};

use super::params::{read_metric, read_weights, weights_slice};
use super::pass::{rows_of, run_pass, Pass};
use super::sums_outputs::SumsOutputs;
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"relabel",
    call,
};

struct Relabel {
    x: JsSlice<f32>,
    ids: JsSlice<u32>,
    c: JsSlice<f32>,
    old: JsSlice<u32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    metric: Metric,
    labels: Output<u32>,
    values: Output<f32>,
    sums: SumsOutputs,
}

impl Pass for Relabel {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        let sums = self.sums.cluster_sums();
        relabel(
            x,
            self.ids.as_slice(),
            c,
            self.metric,
            self.old.as_slice(),
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
    run_pass(args, "clostera:relabel", 7, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let d = to_index(env, args.get(1), "d")?;
        let ids = pins.input::<u32>(env, args.get(2), "ids")?;
        let c = pins.input::<f32>(env, args.get(3), "centroids")?;
        let metric = read_metric(env, args.get(4))?;
        let old = pins.input::<u32>(env, args.get(5), "oldLabels")?;
        let weights = read_weights(env, args.get(6), pins)?;
        rows_of(&x, d, "x")?;
        let k = rows_of(&c, d, "centroids")?;
        let m = ids.as_slice().len();
        Ok(Relabel {
            x,
            ids,
            c,
            old,
            weights,
            d,
            metric,
            labels: pins.output::<u32>(env, m, "labels")?,
            values: pins.output::<f32>(env, m, "values")?,
            sums: SumsOutputs::new(env, pins, k, d)?,
        })
    })
}
