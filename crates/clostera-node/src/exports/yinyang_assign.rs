//! `yinyangAssign(x, c, groupOf, labels, lower, values, drift?, weights?, d, t, withSums, options?, control?, async?)
//!   -> { changed, recomputed, objective, distances, sums?, weightSums?, counts? }`: one exact Lloyd assignment step with Yinyang group
//! bounds (l2). Updates the caller's `labels`, `lower` (`n x t`) and `values` in place; `drift`
//! absent means the first step (every row computed, bounds initialised). With `withSums` the step
//! also returns the per-cluster sums of its new assignment (fused, no second pass over the data).

use clostera_kernels::{
    yinyang_assign, BoundedStepStats, ClusterSums, Grouping, KernelResult, Matrix, PassOptions,
    YinyangState,
};

use super::aliasing::Aliasing;
use super::params::{read_weights, step_stats_object, weights_slice};
use super::pass::{output_len, run_pass, Pass};
use crate::napi::convert::{optional, to_bool, to_index};
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"yinyangAssign",
    call,
};

struct Yinyang {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    group_of: JsSlice<u32>,
    labels: JsSlice<u32>,
    lower: JsSlice<f32>,
    values: JsSlice<f32>,
    drift: Option<JsSlice<f32>>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    t: usize,
    sums: Option<(Output<f64>, Output<f64>, Output<u32>)>,
    stats: BoundedStepStats,
}

impl Pass for Yinyang {
    const READS_BF16_ROWS: bool = true;
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        let grouping = Grouping {
            group_of: self.group_of.as_slice(),
            t: self.t,
        };
        let drift = self.drift.as_ref().map(JsSlice::as_slice);
        let weights = weights_slice(&self.weights);
        let state = YinyangState {
            labels: self.labels.as_mut_slice(),
            lower: self.lower.as_mut_slice(),
            values: self.values.as_mut_slice(),
        };
        let sums = self.sums.as_mut().map(|(s, w, n)| ClusterSums {
            sums: s.slice.as_mut_slice(),
            weight_sums: w.slice.as_mut_slice(),
            counts: n.slice.as_mut_slice(),
        });
        self.stats = yinyang_assign(x, c, &grouping, drift, state, weights, sums, options)?;
        Ok(())
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = step_stats_object(env, &self.stats)?;
        if let Some((sums, weight_sums, counts)) = &self.sums {
            env.set(object, c"sums", sums.value(pinned))?;
            env.set(object, c"weightSums", weight_sums.value(pinned))?;
            env.set(object, c"counts", counts.value(pinned))?;
        }
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:yinyangAssign", 11, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let group_of = pins.input::<u32>(env, args.get(2), "groupOf")?;
        let labels = pins.input::<u32>(env, args.get(3), "labels")?;
        let lower = pins.input::<f32>(env, args.get(4), "lower")?;
        let values = pins.input::<f32>(env, args.get(5), "values")?;
        let drift = optional(env, args.get(6))?
            .map(|v| pins.input::<f32>(env, v, "drift"))
            .transpose()?;
        let weights = read_weights(env, args.get(7), pins)?;
        let d = to_index(env, args.get(8), "d")?;
        let t = to_index(env, args.get(9), "t")?;
        let with_sums = to_bool(env, args.get(10), "withSums")?;
        let sums = if with_sums {
            let k = super::pass::rows_of(&c, d, "centroids")?;
            Some((
                pins.output::<f64>(env, output_len(k, d, "sums")?, "sums")?,
                pins.output::<f64>(env, k, "weightSums")?,
                pins.output::<u32>(env, k, "counts")?,
            ))
        } else {
            None
        };
        pins.mark_written(&labels);
        pins.mark_written(&lower);
        pins.mark_written(&values);
        Aliasing::default()
            .written(&labels, "labels")
            .written(&lower, "lower")
            .written(&values, "values")
            .read(&x, "x")
            .read(&c, "centroids")
            .read(&group_of, "groupOf")
            .read_opt(&drift, "drift")
            .read_opt(&weights, "weights")
            .check()?;
        Ok(Yinyang {
            x,
            c,
            group_of,
            labels,
            lower,
            values,
            drift,
            weights,
            d,
            t,
            sums,
            stats: BoundedStepStats::default(),
        })
    })
}
