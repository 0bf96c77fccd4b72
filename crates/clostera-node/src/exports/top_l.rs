//! `topL(x, c, d, metric, l, options?, control?, async?) -> { labels: Uint32Array, values: Float32Array }`
//! (n x l, row-major: the l nearest centroids of each row, nearest first, ties to the lowest index).

use clostera_kernels::{top_l, KernelResult, Matrix, Metric, PassOptions, MAX_L};

use super::params::read_metric;
use super::pass::{output_len, rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"topL",
    call,
};

struct TopL {
    x: JsSlice<f32>,
    c: JsSlice<f32>,
    d: usize,
    metric: Metric,
    l: usize,
    labels: Output<u32>,
    values: Output<f32>,
}

impl Pass for TopL {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let c = Matrix::new(self.c.as_slice(), self.d, "centroids")?;
        let (labels, values) = (
            self.labels.slice.as_mut_slice(),
            self.values.slice.as_mut_slice(),
        );
        top_l(x, c, self.metric, self.l, labels, values, options)
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"labels", self.labels.value(pinned))?;
        env.set(object, c"values", self.values.value(pinned))?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:topL", 5, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let c = pins.input::<f32>(env, args.get(1), "centroids")?;
        let d = to_index(env, args.get(2), "d")?;
        let metric = read_metric(env, args.get(3))?;
        let l = to_index(env, args.get(4), "l")?;
        let n = rows_of(&x, d, "x")?;
        // An out-of-range L must not size a huge allocation before the kernel rejects it: size
        // the outputs for zero columns then, and the kernel reports L (it checks L first).
        let columns = if (1..=MAX_L).contains(&l) { l } else { 0 };
        let len = output_len(n, columns, "top-L lists")?;
        let labels = pins.output::<u32>(env, len, "labels")?;
        let values = pins.output::<f32>(env, len, "values")?;
        Ok(TopL {
            x,
            c,
            d,
            metric,
            l,
            labels,
            values,
        })
    })
}
