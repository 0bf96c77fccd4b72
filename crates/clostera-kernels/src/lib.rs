//! Clostera's compute core: SIMD distance, assignment, top-L, accumulation and k-means++ passes
//! over dense f32 matrices. Pure Rust with no dependencies; knows nothing of Node (the binding
//! lives in `clostera-node`).
//!
//! Every pass validates its arguments before computing, runs in parallel over fixed blocks of
//! rows (bit-identical results at any thread count), checks a caller-owned cancel flag once per
//! block, and writes into caller-provided outputs.

mod aligned;
pub mod control;
pub mod error;
pub mod matrix;
pub mod metric;
pub mod options;
pub mod parallel;
pub mod passes;
mod placement;
mod pool;
pub mod simd;
mod tiling;
mod tiling_bf16;
mod validate;

pub use control::Control;
pub use error::{Detail, ErrorCode, KernelError, KernelResult};
pub use matrix::Matrix;
pub use metric::Metric;
pub use options::PassOptions;
pub use passes::accumulate::accumulate;
pub use passes::assign::{assign, assign_sums, assign_top2_sums};
pub use passes::bf16_rows::{bf16_rows, Bf16Rows};
pub use passes::bounded_assign::{bounded_assign, BoundedStepStats, CentroidMotion};
pub use passes::cluster_sums::ClusterSums;
pub use passes::distance_tile::distance_tile;
pub use passes::gather_rows::{gather_rows, gather_unit_rows};
pub use passes::kmeanspp::{kmeanspp_potential, kmeanspp_update};
pub use passes::move_rows::move_rows;
pub use passes::normalize_rows::normalize_rows;
pub use passes::projection::{project_rows, weighted_row_sums, SeedProjection};
pub use passes::relabel::relabel;
pub use passes::row_norms::row_norms;
pub use passes::seeding::{seed_commit, seed_potential, seed_update, SeedStepStats};
pub use passes::top_l::{top_l, MAX_L};
pub use passes::yinyang::{yinyang_assign, Grouping, YinyangState};
pub use simd::{bf16_speedup, simd_info, SimdInfo, SimdLevel};

/// Test-only entry point: panics, so the binding can prove a panic never crosses into the host.
pub fn provoke_panic() -> ! {
    panic!("provoked panic (test entry point)")
}
