//! Running a task on the libuv thread pool behind a promise.
//!
//! `queue` creates the promise and the async work on the JS thread; `execute` runs the task on a
//! pool thread (no Node-API calls there); `complete` runs back on the JS thread, resolves or
//! rejects the promise and releases everything. The JS values the task touches stay referenced
//! (`Refs`) from `queue` until `complete`.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use clostera_kernels::{ErrorCode, KernelError, KernelResult};

use super::env::{Env, Failure, JsResult, Value};
use super::error::failure_value;
use super::panic::{guard, guard_kernel};
use super::pins::{Pins, Refs};
use super::sys;

/// Work that can run off the JS thread.
pub trait Task: Send + 'static {
    /// Runs on a pool thread (or on the JS thread for synchronous calls). No Node-API calls.
    fn execute(&mut self) -> KernelResult<()>;
    /// Runs on the JS thread once `execute` succeeded and builds the resolution value. `pinned`
    /// holds the values pinned for the task, in registration order.
    fn resolve(&mut self, env: Env, pinned: &[Value]) -> JsResult<Value>;
}

struct Job<T> {
    task: T,
    refs: Refs,
    deferred: sys::napi_deferred,
    work: sys::napi_async_work,
    outcome: Option<KernelResult<()>>,
}

fn create_promise(env: Env) -> JsResult<(sys::napi_deferred, Value)> {
    let (mut deferred, mut promise) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: live env; valid out pointers.
    let status = unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) };
    env.check(status, "napi_create_promise")
        .map(|()| (deferred, promise))
}

fn settle(env: Env, deferred: sys::napi_deferred, result: JsResult<Value>) {
    match result {
        // SAFETY: live env on the JS thread; `deferred` is settled exactly once (callers own it
        // and drop it afterwards); `value` is a handle of this scope.
        Ok(value) => unsafe {
            sys::napi_resolve_deferred(env.raw(), deferred, value);
        },
        Err(failure) => {
            let reason = failure_value(env, failure);
            // SAFETY: as above.
            unsafe {
                sys::napi_reject_deferred(env.raw(), deferred, reason);
            }
        }
    }
}

/// A promise already rejected with `failure` (errors of async calls are rejections, not throws).
pub fn rejected_promise(env: Env, failure: Failure) -> JsResult<Value> {
    let (deferred, promise) = create_promise(env)?;
    settle(env, deferred, Err(failure));
    Ok(promise)
}

/// Queues `task` on the thread pool and returns the promise of its result.
pub fn queue<T: Task>(env: Env, name: &str, task: T, pins: Pins) -> JsResult<Value> {
    let refs = pins.into_refs(env)?;
    let (deferred, promise) = match create_promise(env) {
        Ok(created) => created,
        Err(failure) => {
            let mut refs = refs;
            refs.release(env);
            return Err(failure);
        }
    };
    let job = Box::into_raw(Box::new(Job {
        task,
        refs,
        deferred,
        work: ptr::null_mut(),
        outcome: None,
    }));
    let created = env.string(name).and_then(|resource_name| {
        let mut work = ptr::null_mut();
        // SAFETY: live env; `job` stays valid until `complete::<T>` reclaims it; the callbacks
        // match the data type.
        let status = unsafe {
            sys::napi_create_async_work(
                env.raw(),
                ptr::null_mut(),
                resource_name,
                Some(execute::<T>),
                Some(complete::<T>),
                job.cast::<c_void>(),
                &mut work,
            )
        };
        env.check(status, "napi_create_async_work").map(|()| work)
    });
    let queued = created.and_then(|work| {
        // SAFETY: `job` is a live allocation only this function touches until the work is queued.
        unsafe { (*job).work = work };
        // SAFETY: live env; `work` was just created and is queued once.
        let status = unsafe { sys::napi_queue_async_work(env.raw(), work) };
        env.check(status, "napi_queue_async_work")
    });
    if let Err(failure) = queued {
        // SAFETY: the work was never queued, so `complete` will not run; we reclaim the job.
        let mut job = unsafe { Box::from_raw(job) };
        job.refs.release(env);
        if !job.work.is_null() {
            // SAFETY: live env; the work exists and was not queued.
            unsafe { sys::napi_delete_async_work(env.raw(), job.work) };
        }
        settle(env, job.deferred, Err(failure));
    }
    Ok(promise)
}

unsafe extern "C" fn execute<T: Task>(_env: sys::napi_env, data: *mut c_void) {
    // SAFETY: `data` is the `Job<T>` leaked by `queue`; between queueing and `complete` only this
    // pool thread touches it.
    let job = unsafe { &mut *data.cast::<Job<T>>() };
    let outcome = guard_kernel(|| job.task.execute());
    job.outcome = Some(outcome);
}

fn outcome_value<T: Task>(env: Env, status: sys::napi_status, job: &mut Job<T>) -> JsResult<Value> {
    if status == sys::NAPI_CANCELLED {
        return Err(KernelError::cancelled().into());
    }
    match job.outcome.take() {
        Some(Ok(())) => {
            let pinned = job.refs.values(env)?;
            job.task.resolve(env, &pinned)
        }
        Some(Err(error)) => Err(error.into()),
        None => Err(
            KernelError::new(ErrorCode::Internal, "async work completed without running").into(),
        ),
    }
}

unsafe extern "C" fn complete<T: Task>(
    env: sys::napi_env,
    status: sys::napi_status,
    data: *mut c_void,
) {
    // SAFETY: `data` is the `Job<T>` leaked by `queue`; the pool thread is done with it, and node
    // calls `complete` exactly once, so we take ownership back here.
    let mut job = unsafe { Box::from_raw(data.cast::<Job<T>>()) };
    let env = Env::from_raw(env);
    // Last line of defence: nothing below should panic, but if it does the panic must not cross
    // into node (that would abort the process).
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let result = guard(|| outcome_value(env, status, &mut job));
        settle(env, job.deferred, result);
        job.refs.release(env);
        // SAFETY: live env on the JS thread; the work is finished and deleted once.
        unsafe { sys::napi_delete_async_work(env.raw(), job.work) };
    }));
}
