//! `mmapOpen(path) -> { handle, size }`, `mmapRead(handle, offset, target, release)` and
//! `mmapClose(handle)`: read-only file mappings from `clostera-mmap`, for `@clostera/io`.
//!
//! A mapping lives in a process-wide handle table (JS holds only the number), and is read by
//! copying a window into a caller-provided `Uint8Array`; `release` then drops that window's pages
//! from the resident set, which keeps RSS bounded while a file larger than RAM is streamed.

use std::sync::{Arc, Mutex, PoisonError};

use clostera_kernels::{ErrorCode, KernelError};
use clostera_mmap::Mapping;

use crate::napi::convert::{to_bool, to_index, to_string};
use crate::napi::pins::Pins;
use crate::napi::register::Export;
use crate::napi::sys;
use crate::napi::typed_array::Element;
use crate::napi::{CallArgs, JsResult, Value};

// Byte windows travel as Uint8Array; only this file needs the element type.
impl Element for u8 {
    const KIND: sys::napi_typedarray_type = sys::NAPI_UINT8_ARRAY;
    const CLASS: &'static str = "Uint8Array";
}

pub const OPEN: Export = Export {
    name: c"mmapOpen",
    call: call_open,
};
pub const READ: Export = Export {
    name: c"mmapRead",
    call: call_read,
};
pub const CLOSE: Export = Export {
    name: c"mmapClose",
    call: call_close,
};

/// Open mappings; a handle is an index into this table (closed slots are reused).
static MAPPINGS: Mutex<Vec<Option<Arc<Mapping>>>> = Mutex::new(Vec::new());

fn table() -> std::sync::MutexGuard<'static, Vec<Option<Arc<Mapping>>>> {
    // A panic while the lock was held cannot leave the table half-updated (each update is one
    // assignment), so a poisoned lock is still consistent.
    MAPPINGS.lock().unwrap_or_else(PoisonError::into_inner)
}

fn io_error(error: &std::io::Error, what: String) -> KernelError {
    let code = match error.kind() {
        std::io::ErrorKind::InvalidInput => ErrorCode::InvalidArgument,
        std::io::ErrorKind::Unsupported => ErrorCode::Unsupported,
        _ => ErrorCode::Io,
    };
    KernelError::new(code, format!("{what}: {error}"))
}

fn lookup(handle: usize) -> JsResult<Arc<Mapping>> {
    table().get(handle).and_then(Option::clone).ok_or_else(|| {
        KernelError::invalid(format!("mmap handle {handle} is not open"))
            .with_actual(handle as f64)
            .into()
    })
}

/// `mmapOpen(path: string) -> { handle: number, size: number }`.
fn call_open(args: &CallArgs) -> JsResult<Value> {
    let env = args.env();
    let path = to_string(env, args.get(0), "path")?;
    let mapping = Mapping::open(&path).map_err(|e| io_error(&e, format!("cannot map {path}")))?;
    let size = mapping.len();
    let handle = {
        let mut slots = table();
        let mapping = Some(Arc::new(mapping));
        match slots.iter().position(Option::is_none) {
            Some(free) => {
                slots[free] = mapping;
                free
            }
            None => {
                slots.push(mapping);
                slots.len() - 1
            }
        }
    };
    let object = env.object()?;
    env.set(object, c"handle", env.double(handle as f64)?)?;
    env.set(object, c"size", env.double(size as f64)?)?;
    Ok(object)
}

/// `mmapRead(handle: number, offset: number, target: Uint8Array, release: boolean)`: copies
/// `target.length` bytes at `offset` into `target`, then (if `release`) drops those pages.
fn call_read(args: &CallArgs) -> JsResult<Value> {
    let env = args.env();
    let handle = to_index(env, args.get(0), "handle")?;
    let offset = to_index(env, args.get(1), "offset")?;
    let mut pins = Pins::default();
    let mut target = pins.input::<u8>(env, args.get(2), "target")?;
    let release = to_bool(env, args.get(3), "release")?;
    let mapping = lookup(handle)?;
    let len = target.len();
    mapping
        .read_into(offset as u64, target.as_mut_slice())
        .map_err(|e| io_error(&e, "mmapRead".to_owned()))?;
    if release {
        mapping
            .release(offset as u64, len)
            .map_err(|e| io_error(&e, "mmapRead release".to_owned()))?;
    }
    env.undefined()
}

/// `mmapClose(handle: number)`: unmaps once the last in-flight read is done. Idempotent.
fn call_close(args: &CallArgs) -> JsResult<Value> {
    let env = args.env();
    let handle = to_index(env, args.get(0), "handle")?;
    if let Some(slot) = table().get_mut(handle) {
        *slot = None;
    }
    env.undefined()
}
