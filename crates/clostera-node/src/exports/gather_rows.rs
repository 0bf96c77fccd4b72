//! `gatherRows(x, d, ids, options?, control?, async?, out?, unit?) -> Float32Array` (ids.length
//! x d, written into `out` when given; rows scaled to unit norm with `unit`).

use clostera_kernels::{gather_rows, gather_unit_rows, KernelResult, Matrix, PassOptions};

use super::aliasing::Aliasing;
use super::pass::{output_len, rows_of, run_pass, Pass};
use crate::napi::convert::{optional, to_bool, to_index};
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"gatherRows",
    call,
};

struct GatherRows {
    x: JsSlice<f32>,
    d: usize,
    ids: JsSlice<u32>,
    rows: Output<f32>,
    unit: bool,
}

impl Pass for GatherRows {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let gather = if self.unit {
            gather_unit_rows
        } else {
            gather_rows
        };
        gather(
            x,
            self.ids.as_slice(),
            self.rows.slice.as_mut_slice(),
            options,
        )
    }
    fn result(&mut self, _env: Env, pinned: &[Value]) -> JsResult<Value> {
        Ok(self.rows.value(pinned))
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:gatherRows", 3, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let d = to_index(env, args.get(1), "d")?;
        let ids = pins.input::<u32>(env, args.get(2), "ids")?;
        rows_of(&x, d, "x")?;
        let len = output_len(ids.as_slice().len(), d, "rows")?;
        let rows = pins.output_or_into::<f32>(env, args.get(6), len, "out")?;
        Aliasing::default()
            .written(&rows.slice, "out")
            .read(&x, "x")
            .read(&ids, "ids")
            .check()?;
        let unit = match optional(env, args.get(7))? {
            Some(flag) => to_bool(env, flag, "unit")?,
            None => false,
        };
        Ok(GatherRows {
            x,
            d,
            ids,
            rows,
            unit,
        })
    })
}
