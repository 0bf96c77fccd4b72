//! `normalizeRows(x, d, options?, control?, async?, out?) -> { rows: Float32Array, norms:
//! Float32Array }` (unit-norm copies of the rows, written into `out` when given, and their norms).

use clostera_kernels::{normalize_rows, KernelResult, Matrix, PassOptions};

use super::aliasing::Aliasing;
use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"normalizeRows",
    call,
};

struct NormalizeRows {
    x: JsSlice<f32>,
    d: usize,
    rows: Output<f32>,
    norms: Output<f32>,
}

impl Pass for NormalizeRows {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        normalize_rows(
            x,
            self.rows.slice.as_mut_slice(),
            self.norms.slice.as_mut_slice(),
            options,
        )
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"rows", self.rows.value(pinned))?;
        env.set(object, c"norms", self.norms.value(pinned))?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:normalizeRows", 2, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let d = to_index(env, args.get(1), "d")?;
        let n = rows_of(&x, d, "x")?;
        let rows = pins.output_or_into::<f32>(env, args.get(5), n * d, "out")?;
        let norms = pins.output::<f32>(env, n, "norms")?;
        Aliasing::default()
            .written(&rows.slice, "out")
            .read(&x, "x")
            .check()?;
        Ok(NormalizeRows { x, d, rows, norms })
    })
}
