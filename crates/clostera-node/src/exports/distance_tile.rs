//! `distanceTile(x, c, d, metric, options?, control?, async?) -> Float32Array` (n x k, row-major).

use clostera_kernels::{distance_tile, KernelResult, Matrix, Metric, PassOptions};

use super::params::read_metric;
use super::pass::{output_len, rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"distanceTile",
    call,
};

struct DistanceTile {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    d: usize,
    metric: Metric,
    tile: Output<f32>,
}

impl Pass for DistanceTile {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        distance_tile(x, c, self.metric, self.tile.slice.as_mut_slice(), options)
    }
    fn result(&mut self, _env: Env, pinned: &[Value]) -> JsResult<Value> {
        Ok(self.tile.value(pinned))
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:distanceTile", 4, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let d = to_index(env, args.get(2), "d")?;
        let metric = read_metric(env, args.get(3))?;
        let n = rows_of(&x, d, "x")?;
        let k = rows_of(&c, d, "centroids")?;
        let tile = pins.output::<f32>(
            env,
            output_len(n, k, "the distance tile")?,
            "the distance tile",
        )?;
        Ok(DistanceTile {
            x,
            c,
            d,
            metric,
            tile,
        })
    })
}
