//! `weightedRowSums(x, y, d, m, options?, control?, async?) -> Float64Array`: the `m x d` sums
//! `x^T y` of the rows weighted by each of the `m` columns of `y` (`n x m`).

use clostera_kernels::{weighted_row_sums, KernelResult, Matrix, PassOptions};

use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"weightedRowSums",
    call,
};

struct WeightedRowSums {
    x: JsSlice<f32>,
    y: JsSlice<f32>,
    d: usize,
    m: usize,
    sums: Output<f64>,
}

impl Pass for WeightedRowSums {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        weighted_row_sums(
            x,
            self.y.as_slice(),
            self.m,
            self.sums.slice.as_mut_slice(),
            options,
        )
    }
    fn result(&mut self, _env: Env, pinned: &[Value]) -> JsResult<Value> {
        Ok(self.sums.value(pinned))
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:weightedRowSums", 4, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let y = pins.input::<f32>(env, args.get(1), "y")?;
        let d = to_index(env, args.get(2), "d")?;
        let m = to_index(env, args.get(3), "m")?;
        rows_of(&x, d, "x")?;
        let sums = pins.output::<f64>(env, m * d, "sums")?;
        Ok(WeightedRowSums { x, y, d, m, sums })
    })
}
