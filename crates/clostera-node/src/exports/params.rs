//! Reading the parameters several passes share: the metric name and optional weights.

use clostera_kernels::Metric;

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
