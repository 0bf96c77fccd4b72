//! `seedUpdate(x, center, centerGaps, minDist, nearest, weights?, d, newIndex, options?, control?, async?)
//!   -> { total, computed }`: adds one k-means++ centre with triangle-inequality pruning (l2).
//! Updates the caller's `minDist` and `nearest` in place (the seeding state).

use clostera_kernels::{seed_update, KernelResult, Matrix, PassOptions, SeedStepStats};

use super::aliasing::Aliasing;
use super::params::{read_weights, weights_slice};
use super::pass::{run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"seedUpdate",
    call,
};

struct SeedUpdate {
    x: JsSlice<f32>,
    center: JsSlice<f32>,
    gaps: JsSlice<f32>,
    min_dist: JsSlice<f32>,
    nearest: JsSlice<u32>,
    weights: Option<JsSlice<f32>>,
    d: usize,
    new_index: u32,
    stats: SeedStepStats,
}

impl Pass for SeedUpdate {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let x = Matrix::new(self.x.as_slice(), self.d, "x")?;
        let weights = weights_slice(&self.weights);
        self.stats = seed_update(
            x,
            self.center.as_slice(),
            self.new_index,
            self.gaps.as_slice(),
            self.min_dist.as_mut_slice(),
            self.nearest.as_mut_slice(),
            weights,
            options,
        )?;
        Ok(())
    }
    fn result(&mut self, env: Env, _pinned: &[Value]) -> JsResult<Value> {
        let object = env.object()?;
        env.set(object, c"total", env.double(self.stats.total)?)?;
        env.set(object, c"computed", env.double(self.stats.computed as f64)?)?;
        Ok(object)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:seedUpdate", 8, |env, args, pins| {
        let x = pins.input::<f32>(env, args.get(0), "x")?;
        let center = pins.input::<f32>(env, args.get(1), "center")?;
        let gaps = pins.input::<f32>(env, args.get(2), "centerGaps")?;
        let min_dist = pins.input::<f32>(env, args.get(3), "minDist")?;
        let nearest = pins.input::<u32>(env, args.get(4), "nearest")?;
        let weights = read_weights(env, args.get(5), pins)?;
        let d = to_index(env, args.get(6), "d")?;
        let new_index = to_index(env, args.get(7), "newIndex")?;
        let new_index = u32::try_from(new_index).map_err(|_| {
            clostera_kernels::KernelError::invalid("newIndex is too large").with_actual(new_index)
        })?;
        Aliasing::default()
            .written(&min_dist, "minDist")
            .written(&nearest, "nearest")
            .read(&x, "x")
            .read(&center, "center")
            .read(&gaps, "centerGaps")
            .read_opt(&weights, "weights")
            .check()?;
        Ok(SeedUpdate {
            x,
            center,
            gaps,
            min_dist,
            nearest,
            weights,
            d,
            new_index,
            stats: SeedStepStats::default(),
        })
    })
}
