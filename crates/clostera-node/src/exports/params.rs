//! Reading the parameters several passes share: the metric name and optional weights.

use clostera_kernels::{BoundedStepStats, Metric};

use crate::napi::convert::{optional, to_string};
use crate::napi::pins::Pins;
use crate::napi::typed_array::JsSlice;
use crate::napi::{Env, JsResult, Value};

/// `"l2" | "ip" | "cos"`; other strings are the kernel's `CLOSTERA_INVALID_ARGUMENT`.
pub fn read_metric(env: Env, value: Value) -> JsResult<Metric> {
    Ok(Metric::parse(&to_string(env, value, "metric")?)?)
}

/// An optional per-row weight Float32Array (`undefined` / `null` mean unweighted).
pub fn read_weights(env: Env, value: Value, pins: &mut Pins) -> JsResult<Option<JsSlice<f32>>> {
    optional(env, value)?
        .map(|weights| pins.input::<f32>(env, weights, "weights"))
        .transpose()
}

/// The weights as the kernels take them.
pub fn weights_slice(weights: &Option<JsSlice<f32>>) -> Option<&[f32]> {
    weights.as_ref().map(JsSlice::as_slice)
}

/// `{ changed, recomputed, objective, distances }` of a pruned Lloyd step, shared by the bounded
/// and Yinyang passes.
pub fn step_stats_object(env: Env, stats: &BoundedStepStats) -> JsResult<Value> {
    let object = env.object()?;
    env.set(object, c"changed", env.double(stats.changed as f64)?)?;
    env.set(object, c"recomputed", env.double(stats.recomputed as f64)?)?;
    env.set(object, c"objective", env.double(stats.objective)?)?;
    env.set(object, c"distances", env.double(stats.distances as f64)?)?;
    Ok(object)
}
