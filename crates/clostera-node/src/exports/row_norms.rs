//! `rowNorms(x, d, squared, options?, control?, async?) -> Float32Array` (n norms).

use clostera_kernels::{row_norms, KernelResult, Matrix, PassOptions};

use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::{to_bool, to_index};
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"rowNorms",
    call,
};

struct RowNorms {
    x: JsSlice<f32>,
    d: usize,
    squared: bool,
    norms: Output<f32>,
}

impl Pass for RowNorms {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        row_norms(x, self.squared, self.norms.slice.as_mut_slice(), options)
    }
    fn result(&mut self, _env: Env, pinned: &[Value]) -> JsResult<Value> {
        Ok(self.norms.value(pinned))
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:rowNorms", 3, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let d = to_index(env, args.get(1), "d")?;
        let squared = to_bool(env, args.get(2), "squared")?;
        let n = rows_of(&x, d, "x")?;
        let norms = pins.output::<f32>(env, n, "norms")?;
        Ok(RowNorms {
            x,
            d,
            squared,
            norms,
        })
    })
}
