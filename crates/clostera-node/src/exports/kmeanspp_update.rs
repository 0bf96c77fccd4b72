//! `kmeansppUpdate(x, center, minDist, weights?, d, metric, options?, control?, async?) -> number`:
//! one k-means++ seeding step. Lowers `minDist` in place (the one pass that writes a caller's
//! array) and returns the new weighted total.

use clostera_kernels::{kmeanspp_update, KernelResult, Matrix, Metric, PassOptions};

use super::aliasing::Aliasing;
use super::params::{read_metric, read_weights, weights_slice};
use super::pass::{run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"kmeansppUpdate",
    call,
};

struct Update {
    x: JsSlice<f32>,
    center: JsSlice<f32>,
    min_dist: JsSlice<f32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    metric: Metric,
    total: f64,
}

impl Pass for Update {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let weights = weights_slice(&self.weights);
        self.total = kmeanspp_update(
            x,
            self.center.as_slice(),
            self.metric,
            self.min_dist.as_mut_slice(),
            weights,
            options,
        )?;
        Ok(())
    }
    fn result(&mut self, env: Env, _pinned: &[Value]) -> JsResult<Value> {
        env.double(self.total)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:kmeansppUpdate", 6, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let center = pins.input::<f32>(env, args.get(1), "center")?;
        let min_dist = pins.input::<f32>(env, args.get(2), "minDist")?;
        let weights = read_weights(env, args.get(3), pins)?;
        let d = to_index(env, args.get(4), "d")?;
        let metric = read_metric(env, args.get(5))?;
        Aliasing::default()
            .written(&min_dist, "minDist")
            .read(&x, "x")
            .read(&center, "center")
            .read_opt(&weights, "weights")
            .check()?;
        Ok(Update {
            x,
            center,
            min_dist,
            weights,
            d,
            metric,
            total: 0.0,
        })
    })
}
