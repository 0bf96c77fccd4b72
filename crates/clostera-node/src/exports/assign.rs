//! `assign(x, c, d, metric, options?, control?, async?) -> { labels: Uint32Array, values: Float32Array }`
//! (nearest centroid of each row, ties to the lowest index).

use clostera_kernels::{assign, KernelResult, Matrix, Metric, PassOptions};

use super::params::read_metric;
use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"assign",
    call,
};

struct Assign {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    d: usize,
    metric: Metric,
    labels: Output<u32>,
    values: Output<f32>,
}

impl Pass for Assign {
    const READS_BF16_ROWS: bool = true;
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        assign(
            x,
            c,
            self.metric,
            self.labels.slice.as_mut_slice(),
            self.values.slice.as_mut_slice(),
            options,
        )
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"labels", self.labels.value(pinned))?;
        env.set(object, c"values", self.values.value(pinned))?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:assign", 4, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let d = to_index(env, args.get(2), "d")?;
        let metric = read_metric(env, args.get(3))?;
        let n = rows_of(&x, d, "x")?;
        let labels = pins.output::<u32>(env, n, "labels")?;
        let values = pins.output::<f32>(env, n, "values")?;
        Ok(Assign {
            x,
            c,
            d,
            metric,
            labels,
            values,
        })
    })
}
