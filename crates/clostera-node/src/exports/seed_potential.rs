//! `seedPotential(x, candidates, candidateGaps, minDist, nearest, weights?, rowDists?, basis?,
//!   projectedRows?, rowNorms?, gain?, bf16Pairs?, bf16ErrNorms?, bf16Sqnorms?, d, chosen,
//!   options?, control?, async?)
//!   -> { totals: Float64Array, computed }`: scores k-means++ candidates without committing them,
//! pruned by the triangle inequality (l2) and, with the three projection arrays (all or none),
//! by a projected lower bound (`gain` as `projectRows` returns it). `rowDists` (`n x m`, optional) receives each row's squared
//! distance to each candidate (+inf where pruned) for `seedCommit`. The three bf16 arrays (all or
//! none, as `bf16Rows` returns them for `x`) add the bf16 screen where the CPU has it.

use clostera_kernels::{
    seed_potential, Bf16Rows, KernelError, KernelResult, Matrix, PassOptions, SeedProjection,
};

use super::aliasing::Aliasing;
use super::params::{read_weights, weights_slice};
use super::pass::{rows_of, run_pass, Pass};
use crate::napi::convert::{optional, to_f64, to_index};
use crate::napi::pins::Output;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"seedPotential",
    call,
};

struct SeedPotential {
    x: JsSlice<f32>,
    candidates: JsSlice<f32>,
    gaps: JsSlice<f32>,
    min_dist: JsSlice<f32>,
    nearest: JsSlice<u32>,
    weights: Option<JsSlice<f32>>,
    row_dists: Option<JsSlice<f32>>,
    projection: Option<([JsSlice<f32>; 3], f32)>,
    bf16: Option<(JsSlice<u32>, JsSlice<f32>, JsSlice<f32>)>,
    d: usize,
    chosen: usize,
    totals: Output<f64>,
    computed: u64,
}

impl Pass for SeedPotential {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let candidates = Matrix::new(self.candidates.as_slice(), self.d, "candidates")?;
        let weights = weights_slice(&self.weights);
        let projection = match &self.projection {
            Some(([basis, rows, norms], gain)) => Some(SeedProjection {
                basis: Matrix::new(basis.as_slice(), self.d, "basis")?,
                rows: rows.as_slice(),
                row_norms: norms.as_slice(),
                gain: *gain,
            }),
            None => None,
        };
        self.computed = seed_potential(
            x,
            candidates,
            self.gaps.as_slice(),
            self.chosen,
            self.min_dist.as_slice(),
            self.nearest.as_slice(),
            weights,
            self.totals.slice.as_mut_slice(),
            self.row_dists.as_mut().map(JsSlice::as_mut_slice),
            projection,
            self.bf16.as_ref().map(|(pairs, err, sq)| Bf16Rows {
                pairs: pairs.as_slice(),
                err_norms: err.as_slice(),
                sqnorms: sq.as_slice(),
            }),
            options,
        )?;
        Ok(())
    }
    fn result(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"totals", self.totals.value(pinned))?;
        env.set(object, c"computed", env.double(self.computed as f64)?)?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:seedPotential", 16, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let candidates = pins.input::<f32>(env, args.get(1), "candidates")?;
        let gaps = pins.input::<f32>(env, args.get(2), "candidateGaps")?;
        let min_dist = pins.input::<f32>(env, args.get(3), "minDist")?;
        let nearest = pins.input::<u32>(env, args.get(4), "nearest")?;
        let weights = read_weights(env, args.get(5), pins)?;
        let row_dists = optional(env, args.get(6))?
            .map(|v| pins.input::<f32>(env, v, "rowDists"))
            .transpose()?;
        let mut parts = Vec::new();
        for (at, name) in [(7, "basis"), (8, "projectedRows"), (9, "rowNorms")] {
            if let Some(v) = optional(env, args.get(at))? {
                parts.push(pins.input::<f32>(env, v, name)?);
            }
        }
        let gain = optional(env, args.get(10))?
            .map(|v| to_f64(env, v, "gain"))
            .transpose()?;
        let projection =
            match (<[JsSlice<f32>; 3]>::try_from(parts), gain) {
                (Ok(all), Some(gain)) => Some((all, gain as f32)),
                (Err(parts), None) if parts.is_empty() => None,
                _ => return Err(KernelError::invalid(
                    "basis, projectedRows, rowNorms and gain go together: give all four or none",
                )
                .into()),
            };
        let bf16 = match (
            optional(env, args.get(11))?,
            optional(env, args.get(12))?,
            optional(env, args.get(13))?,
        ) {
            (Some(p), Some(e), Some(s)) => Some((
                pins.input::<u32>(env, p, "bf16Pairs")?,
                pins.input::<f32>(env, e, "bf16ErrNorms")?,
                pins.input::<f32>(env, s, "bf16Sqnorms")?,
            )),
            (None, None, None) => None,
            _ => {
                return Err(KernelError::invalid(
                    "bf16Pairs, bf16ErrNorms and bf16Sqnorms go together: give all three or none",
                )
                .into())
            }
        };
        if let Some(row_dists) = &row_dists {
            let mut aliasing = Aliasing::default()
                .written(row_dists, "rowDists")
                .read(&x, "x")
                .read(&candidates, "candidates")
                .read(&gaps, "candidateGaps")
                .read(&min_dist, "minDist")
                .read(&nearest, "nearest")
                .read_opt(&weights, "weights");
            if let Some((parts, _)) = &projection {
                for (part, name) in parts.iter().zip(["basis", "projectedRows", "rowNorms"]) {
                    aliasing = aliasing.read(part, name);
                }
            }
            if let Some((_, err, sq)) = &bf16 {
                aliasing = aliasing.read(err, "bf16ErrNorms").read(sq, "bf16Sqnorms");
            }
            aliasing.check()?;
        }
        let d = to_index(env, args.get(14), "d")?;
        let chosen = to_index(env, args.get(15), "chosen")?;
        let m = rows_of(&candidates, d, "candidates")?;
        let totals = pins.output::<f64>(env, m, "totals")?;
        Ok(SeedPotential {
            x,
            candidates,
            gaps,
            min_dist,
            nearest,
            weights,
            row_dists,
            projection,
            bf16,
            d,
            chosen,
            totals,
            computed: 0,
        })
    })
}
