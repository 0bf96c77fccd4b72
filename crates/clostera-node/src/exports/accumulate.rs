//! `accumulate(x, labels, weights?, d, k, options?, control?, async?)
//!   -> { sums: Float64Array (k x d), weightSums: Float64Array (k), counts: Uint32Array (k) }`

use clostera_kernels::{accumulate, KernelResult, Matrix, PassOptions};

use super::params::{read_weights, weights_slice};
use super::pass::{output_len, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"accumulate",
    call,
};

struct Accumulate {
    x: JsSlice<f32>,
    labels: JsSlice<u32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    k: usize,
    sums: Output<f64>,
    weight_sums: Output<f64>,
    counts: Output<u32>,
}

impl Pass for Accumulate {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let weights = weights_slice(&self.weights);
        let (sums, weight_sums, counts) = (
            self.sums.slice.as_mut_slice(),
            self.weight_sums.slice.as_mut_slice(),
            self.counts.slice.as_mut_slice(),
        );
        accumulate(
            x,
            self.labels.as_slice(),
            weights,
            self.k,
            sums,
            weight_sums,
            counts,
            options,
        )
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"sums", self.sums.value(pinned))?;
        env.set(object, c"weightSums", self.weight_sums.value(pinned))?;
        env.set(object, c"counts", self.counts.value(pinned))?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:accumulate", 5, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let labels = pins.input::<u32>(env, args.get(1), "labels")?;
        let weights = read_weights(env, args.get(2), pins)?;
        let d = to_index(env, args.get(3), "d")?;
        let k = to_index(env, args.get(4), "k")?;
        Matrix::new(x.as_slice(), d, "x")?;
        let sums = pins.output::<f64>(env, output_len(k, d, "sums")?, "sums")?;
        let weight_sums = pins.output::<f64>(env, k, "weightSums")?;
        let counts = pins.output::<u32>(env, k, "counts")?;
        Ok(Accumulate {
            x,
            labels,
            weights,
            d,
            k,
            sums,
            weight_sums,
            counts,
        })
    })
}
