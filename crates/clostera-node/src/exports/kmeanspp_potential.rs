//! `kmeansppPotential(x, candidates, minDist, weights?, d, metric, options?, control?, async?)
//!   -> Float64Array`: per candidate centre, the weighted total `minDist` would have with it
//! (greedy k-means++). `minDist` is only read.

use clostera_kernels::{kmeanspp_potential, KernelResult, Matrix, Metric, PassOptions};

use super::params::{read_metric, read_weights, weights_slice};
use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"kmeansppPotential",
    call,
};

struct Potential {
    x: JsSlice<f32>,
    candidates: JsSlice<f32>,
    min_dist: JsSlice<f32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    metric: Metric,
    totals: Output<f64>,
}

impl Pass for Potential {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let candidates = Matrix::new(self.candidates.as_slice(), self.d, "candidates")?;
        let weights = weights_slice(&self.weights);
        let totals = self.totals.slice.as_mut_slice();
        kmeanspp_potential(
            x,
            candidates,
            self.metric,
            self.min_dist.as_slice(),
            weights,
            totals,
            options,
        )
    }
    fn result(&mut self, _env: Env, pinned: &[Value]) -> JsResult<Value> {
        Ok(self.totals.value(pinned))
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:kmeansppPotential", 6, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let candidates = pins.input::<f32>(env, args.get(1), "candidates")?;
        let min_dist = pins.input::<f32>(env, args.get(2), "minDist")?;
        let weights = read_weights(env, args.get(3), pins)?;
        let d = to_index(env, args.get(4), "d")?;
        let metric = read_metric(env, args.get(5))?;
        let m = rows_of(&candidates, d, "candidates")?;
        let totals = pins.output::<f64>(env, m, "totals")?;
        Ok(Potential {
            x,
            candidates,
            min_dist,
            weights,
            d,
            metric,
            totals,
        })
    })
}
