//! `boundedAssign(x, c, labels, lower, values, drift?, halfSep?, weights?, d, options?, control?, async?)
//!   -> { changed, recomputed, objective }`: one exact pruned Lloyd assignment step (l2). Updates
//! the caller's `labels`, `lower` and `values` in place (the engine's per-row state); `drift` and
//! `halfSep` absent means the first step (every row recomputed).

use clostera_kernels::{
    bounded_assign, BoundedStepStats, CentroidMotion, KernelResult, Matrix, PassOptions,
};

use super::aliasing::Aliasing;
use super::params::{read_weights, step_stats_object, weights_slice};
use super::pass::{run_pass, Pass};
use crate::napi::convert::{optional, to_index};
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"boundedAssign",
    call,
};

struct Bounded {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    labels: JsSlice<u32>,
    lower: JsSlice<f32>,
    values: JsSlice<f32>,
    motion: Option<(JsSlice<f32>, JsSlice<f32>)>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    stats: BoundedStepStats,
}

impl Pass for Bounded {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        let motion = self.motion.as_ref().map(|(drift, half)| CentroidMotion {
            drift: drift.as_slice(),
            half_sep: half.as_slice(),
        });
        let weights = weights_slice(&self.weights);
        self.stats = bounded_assign(
            x,
            c,
            motion,
            self.labels.as_mut_slice(),
            self.lower.as_mut_slice(),
            self.values.as_mut_slice(),
            weights,
            options,
        )?;
        Ok(())
    }
    fn result(&mut self, env: Env, _pinned: &[Value]) -> JsResult<Value> {
        let object = step_stats_object(env, &self.stats)?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:boundedAssign", 9, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let labels = pins.input::<u32>(env, args.get(2), "labels")?;
        let lower = pins.input::<f32>(env, args.get(3), "lower")?;
        let values = pins.input::<f32>(env, args.get(4), "values")?;
        let drift = optional(env, args.get(5))?
            .map(|v| pins.input::<f32>(env, v, "drift"))
            .transpose()?;
        let half = optional(env, args.get(6))?
            .map(|v| pins.input::<f32>(env, v, "halfSep"))
            .transpose()?;
        let weights = read_weights(env, args.get(7), pins)?;
        let d = to_index(env, args.get(8), "d")?;
        Aliasing::default()
            .written(&labels, "labels")
            .written(&lower, "lower")
            .written(&values, "values")
            .read(&x, "x")
            .read(&c, "centroids")
            .read_opt(&drift, "drift")
            .read_opt(&half, "halfSep")
            .read_opt(&weights, "weights")
            .check()?;
        let motion = match (drift, half) {
            (Some(drift), Some(half)) => Some((drift, half)),
            _ => None,
        };
        Ok(Bounded {
            x,
            c,
            labels,
            lower,
            values,
            motion,
            weights,
            d,
            stats: BoundedStepStats::default(),
        })
    })
}
