//! `seedCommit(rowDists, minDist, nearest, weights?, m, candidate, newIndex, options?, control?, async?)
//!   -> number`: commits a k-means++ candidate scored by `seedPotential` from its kept row
//! distances (no pass over the data); updates `minDist` and `nearest` in place and returns the new
//! weighted total.

use clostera_kernels::{seed_commit, KernelError, KernelResult, PassOptions};

use super::aliasing::Aliasing;
use super::params::{read_weights, weights_slice};
use super::pass::{run_pass, Pass};
use crate::napi::convert::to_index;
use crate::napi::register::Export;
use crate::napi::typed_array::JsSlice;
use crate::napi::{CallArgs, Env, JsResult, Value};

pub const EXPORT: Export = Export {
    name: c"seedCommit",
    call,
};

struct SeedCommit {
    row_dists: JsSlice<f32>,
    min_dist: JsSlice<f32>,
    nearest: JsSlice<u32>,
    weights: Option<JsSlice<f32>>,
    m: usize,
    candidate: usize,
    new_index: u32,
    total: f64,
}

impl Pass for SeedCommit {
    fn run(&mut self, options: &PassOptions<'_>) -> KernelResult<()> {
        let weights = weights_slice(&self.weights);
        self.total = seed_commit(
            self.row_dists.as_slice(),
            self.m,
            self.candidate,
            self.new_index,
            self.min_dist.as_mut_slice(),
            self.nearest.as_mut_slice(),
            weights,
            options,
        )?;
        Ok(())
    }
    fn result(&mut self, env: Env, _pinned: &[Value]) -> JsResult<Value> {
        env.double(self.total)
    }
}

fn call(args: &CallArgs) -> JsResult<Value> {
    run_pass(args, "clostera:seedCommit", 7, |env, args, pins| {
        let row_dists = pins.input::<f32>(env, args.get(0), "rowDists")?;
        let min_dist = pins.input::<f32>(env, args.get(1), "minDist")?;
        let nearest = pins.input::<u32>(env, args.get(2), "nearest")?;
        let weights = read_weights(env, args.get(3), pins)?;
        let m = to_index(env, args.get(4), "m")?;
        let candidate = to_index(env, args.get(5), "candidate")?;
        let new_index = to_index(env, args.get(6), "newIndex")?;
        let new_index = u32::try_from(new_index)
            .map_err(|_| KernelError::invalid("newIndex is too large").with_actual(new_index))?;
        Aliasing::default()
            .written(&min_dist, "minDist")
            .written(&nearest, "nearest")
            .read(&row_dists, "rowDists")
            .read_opt(&weights, "weights")
            .check()?;
        Ok(SeedCommit {
            row_dists,
            min_dist,
            nearest,
            weights,
            m,
            candidate,
            new_index,
            total: 0.0,
        })
    })
}
