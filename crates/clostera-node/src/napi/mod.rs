//! A small, safe layer over the raw Node-API (`sys`), written by hand because the `napi` crates
//! are not available offline.

pub mod args;
pub mod async_work;
pub mod convert;
pub mod env;
pub mod error;
pub mod panic;
pub mod pins;
pub mod register;
pub mod sys;
pub mod typed_array;
pub mod value;

pub use args::CallArgs;
pub use env::{Env, JsResult, Value};
