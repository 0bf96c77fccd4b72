//! `moveRows(x, ids, from, to, weights?, sums, weightSums, counts, d, options?, control?, async?)
//!   -> undefined`: rows `ids` of `x` leave clusters `from` and join clusters `to`, updating the
//! per-cluster `sums` (k x d), `weightSums` and `counts` in place.

use clostera_kernels::{move_rows, KernelResult, Matrix, PassOptions};

use super::aliasing::Aliasing;
use super::params::{read_weights, weights_slice};
use super::pass::{run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"moveRows",
    call,
};

struct MoveRows {
    x: JsSlice<f32>,
    ids: JsSlice<u32>,
    from: JsSlice<u32>,
    to: JsSlice<u32>,
    weights: Option<JsSlice<f32>>,
    sums: JsSlice<f64>,
    weight_sums: JsSlice<f64>,
    counts: JsSlice<u32>,
    d: usize,
}

impl Pass for MoveRows {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        move_rows(
            x,
            self.ids.as_slice(),
            self.from.as_slice(),
            self.to.as_slice(),
            weights_slice(&self.weights),
            self.sums.as_mut_slice(),
            self.weight_sums.as_mut_slice(),
            self.counts.as_mut_slice(),
            options,
        )
    }
    fn result(&mut self, env: Env, _pinned: &[Value]) -> JsResult<Value> {
        env.undefined()
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:moveRows", 9, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let ids = pins.input::<u32>(env, args.get(1), "ids")?;
        let from = pins.input::<u32>(env, args.get(2), "from")?;
        let to = pins.input::<u32>(env, args.get(3), "to")?;
        let weights = read_weights(env, args.get(4), pins)?;
        let sums = pins.input::<f64>(env, args.get(5), "sums")?;
        let weight_sums = pins.input::<f64>(env, args.get(6), "weightSums")?;
        let counts = pins.input::<u32>(env, args.get(7), "counts")?;
        let d = to_index(env, args.get(8), "d")?;
        Aliasing::default()
            .written(&sums, "sums")
            .written(&weight_sums, "weightSums")
            .written(&counts, "counts")
            .read(&x, "x")
            .read(&ids, "ids")
            .read(&from, "from")
            .read(&to, "to")
            .read_opt(&weights, "weights")
            .check()?;
        Ok(MoveRows {
            x,
            ids,
            from,
            to,
            weights,
            sums,
            weight_sums,
            counts,
            d,
        })
    })
}
