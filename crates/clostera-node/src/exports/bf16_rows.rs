//! `bf16Rows(x, d, options?, control?, async?) -> { pairs, errNorms, sqnorms }`: the rows rounded
//! to bf16 (`n x ceil(d/2)` pairs in a Uint32Array), each row's rounding-error norm and its f32
//! squared norm, for passes that screen the same rows many times (`seedPotential`).

use clostera_kernels::{bf16_rows, KernelResult, Matrix, PassOptions};

use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"bf16Rows",
    call,
};

struct Bf16RowsPass {
    x: JsSlice<f32>,
    d: usize,
    pairs: Output<u32>,
    err_norms: Output<f32>,
    sqnorms: Output<f32>,
}

impl Pass for Bf16RowsPass {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        bf16_rows(
            x,
            self.pairs.slice.as_mut_slice(),
            self.err_norms.slice.as_mut_slice(),
            self.sqnorms.slice.as_mut_slice(),
            options,
        )
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"pairs", self.pairs.value(pinned))?;
        env.set(object, c"errNorms", self.err_norms.value(pinned))?;
        env.set(object, c"sqnorms", self.sqnorms.value(pinned))?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:bf16Rows", 2, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let d = to_index(env, args.get(1), "d")?;
        let n = rows_of(&x, d, "x")?;
        let pairs = pins.output::<u32>(env, n * d.div_ceil(2), "pairs")?;
        let err_norms = pins.output::<f32>(env, n, "errNorms")?;
        let sqnorms = pins.output::<f32>(env, n, "sqnorms")?;
        Ok(Bf16RowsPass {
            x,
            d,
            pairs,
            err_norms,
            sqnorms,
        })
    })
}
