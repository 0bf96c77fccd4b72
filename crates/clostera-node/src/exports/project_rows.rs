//! `projectRows(x, basis, d, options?, control?, async?) -> { projections, norms, gain }`: the
//! `n x m` dot products of the rows with the `m` basis rows, the rows' squared norms, and the
//! basis's gain (a bound on the largest eigenvalue of `B B^T`).

use clostera_kernels::{project_rows, KernelResult, Matrix, PassOptions};

use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"projectRows",
    call,
};

struct ProjectRows {
    x: JsSlice<f32>,
    basis: JsSlice<f32>,
    d: usize,
    projections: Output<f32>,
    norms: Output<f32>,
    gain: f32,
}

impl Pass for ProjectRows {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let basis = Matrix::new(self.basis.as_slice(), self.d, "basis")?;
        self.gain = project_rows(
            x,
            basis,
            self.projections.slice.as_mut_slice(),
            Some(self.norms.slice.as_mut_slice()),
            options,
        )?;
        Ok(())
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"projections", self.projections.value(pinned))?;
        env.set(object, c"norms", self.norms.value(pinned))?;
        env.set(object, c"gain", env.double(self.gain as f64)?)?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:projectRows", 3, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let basis = pins.input::<f32>(env, args.get(1), "basis")?;
        let d = to_index(env, args.get(2), "d")?;
        let n = rows_of(&x, d, "x")?;
        let m = rows_of(&basis, d, "basis")?;
        let projections = pins.output::<f32>(env, n * m, "projections")?;
        let norms = pins.output::<f32>(env, n, "norms")?;
        Ok(ProjectRows {
            x,
            basis,
            d,
            projections,
            norms,
            gain: 0.0,
        })
    })
}
