//! The native functions, one file per pass. They are internal: `@clostera/kernels` wraps them
//! with validated, typed TypeScript functions.

mod accumulate;
mod aliasing;
mod assign;
mod assign_sums;
mod assign_top2_sums;
mod bf16_rows;
mod bounded_assign;
mod distance_tile;
mod gather_rows;
mod info;
mod kmeanspp_potential;
mod kmeanspp_update;
mod mmap;
mod move_rows;
mod normalize_rows;
mod params;
mod pass;
mod project_rows;
mod relabel;
mod row_norms;
mod seed_commit;
mod seed_potential;
mod seed_update;
mod sums_outputs;
mod top_l;
mod weighted_row_sums;
mod yinyang_assign;

use crate::napi::register::Export;

/// Every function defined on the module's `exports`.
pub static ALL: &[Export] = &[
    row_norms::EXPORT,
    normalize_rows::EXPORT,
    distance_tile::EXPORT,
    gather_rows::EXPORT,
    assign::EXPORT,
    assign_sums::EXPORT,
    assign_top2_sums::EXPORT,
    top_l::EXPORT,
    accumulate::EXPORT,
    move_rows::EXPORT,
    kmeanspp_update::EXPORT,
    kmeanspp_potential::EXPORT,
    bounded_assign::EXPORT,
    seed_update::EXPORT,
    seed_potential::EXPORT,
    seed_commit::EXPORT,
    project_rows::EXPORT,
    bf16_rows::EXPORT,
    weighted_row_sums::EXPORT,
    yinyang_assign::EXPORT,
    relabel::EXPORT,
    mmap::OPEN,
    mmap::READ,
    mmap::CLOSE,
    info::SIMD_INFO,
    info::ERROR_CODES,
    info::PROVOKE_PANIC,
];
