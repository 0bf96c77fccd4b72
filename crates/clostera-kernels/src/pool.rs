//! A process-wide pool of parked worker threads for the parallel loops.
//!
//! Spawning threads for every pass cost more than a small pass itself: on a 2-core VM a fresh
//! thread (plus waking the idle vCPU it lands on) took long enough that 2-thread Lloyd
//! iterations on a 2,560 x 784 training sample ran no faster than 1-thread ones (about 1.05 ms
//! each either way, against 0.69 ms for 2 threads back to back). Workers here stay alive; after a
//! job each one spins for a while (`SPIN`, yielding the core to any other runnable thread) so the
//! next pass of a fit finds it awake and on its own core, then parks on a condition variable so
//! an idle library costs no CPU.
//!
//! One caller owns the pool at a time (`try_run` fails when it is busy: a second concurrent pass,
//! or a nested one, then spawns scoped threads as before). A job borrows the caller's stack, so
//! the caller always waits for every worker it woke before returning, panics included; worker
//! panics are caught and re-raised on the caller's thread.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};

/// How long an idle worker spins before it parks: long enough to bridge every gap between the
/// passes of a fit (JS between inline passes, hand-offs to libuv for async ones), short enough to
/// cost nothing once the library is idle. The spin yields the core now and then, so another
/// runnable thread (V8's, libuv's) takes the spinning worker's core instead of preempting the
/// caller. Parking is what costs most: a futex wake-up puts the worker on its waker's core
/// (wake-affine placement), and two threads sharing one core run a pass at 1-thread speed until
/// the load balancer separates them. Measured on Fashion-MNIST k = 10 fits (2 threads, 24 fits
/// after 300 ms idle each): with a 1 ms spin the worker shared the caller's core in 44% of the
/// passes and a 0.6 ms iteration took 0.82-1.03 ms (median); with 10 ms, 5-7% and 0.60 ms, and
/// the fit's median went from 40-44 ms to 33-34 ms. Longer spins (30, 100 ms) measured the same.
const SPIN: Duration = Duration::from_millis(10);

/// Spin iterations between two looks at the clock (and, for an idle worker, two yields).
const SPINS_PER_CHECK: u32 = 64;

/// How long a caller spins for its workers before it parks. Short: a worker still busy after this
/// has usually lost its core to another thread, and parking frees the caller's core for it.
const WAIT_SPIN: Duration = Duration::from_micros(50);

/// Largest number of pooled workers; a pass asking for more threads spawns them as before.
const MAX_WORKERS: usize = 255;

type Task = dyn Fn() + Sync;
type Panic = Box<dyn Any + Send + 'static>;

/// A job's task with its lifetime erased.
struct TaskPtr(*const Task);

// SAFETY: the pointee is `Sync` (shared calls from several threads are allowed) and the caller
// keeps it alive until every worker has counted down the job's latch (see `Pool::run`).
unsafe impl Send for TaskPtr {}

/// Counts the workers still running a job and keeps the first panic.
struct Latch {
    left: AtomicUsize,
    panic: Mutex<Option<Panic>>,
    lock: Mutex<()>,
    done: Condvar,
}

impl Latch {
    fn new(count: usize) -> Self {
        Latch {
            left: AtomicUsize::new(count),
            panic: Mutex::new(None),
            lock: Mutex::new(()),
            done: Condvar::new(),
        }
    }

    fn count_down(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            // Taking the lock orders this wake-up after the waiter's last check of `left`.
            let _guard = lock(&self.lock);
            self.done.notify_all();
        }
    }

    fn wait(&self) {
        let start = Instant::now();
        let mut spins = 0u32;
        while self.left.load(Ordering::Acquire) != 0 {
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(SPINS_PER_CHECK) && start.elapsed() > WAIT_SPIN {
                let mut guard = lock(&self.lock);
                while self.left.load(Ordering::Acquire) != 0 {
                    guard = self.done.wait(guard).unwrap_or_else(|e| e.into_inner());
                }
                return;
            }
            std::hint::spin_loop();
        }
    }
}

struct Job {
    task: TaskPtr,
    latch: Arc<Latch>,
}

/// One worker's mailbox.
struct Slot {
    job: Mutex<Option<Job>>,
    /// Set with the job, so a spinning worker sees it without taking the lock.
    ready: AtomicBool,
    wake: Condvar,
    /// The worker's kernel thread id (0 until it has started).
    tid: AtomicI32,
    /// The CPU currently excluded from the worker's affinity mask (`placement::NONE`: none).
    excluded: AtomicUsize,
}

/// Locks a mutex, ignoring poisoning (nothing guarded here can be left half-written).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn worker_loop(slot: Arc<Slot>) {
    slot.tid
        .store(crate::placement::thread_id(), Ordering::Release);
    loop {
        let start = Instant::now();
        let mut spins = 0u32;
        while !slot.ready.load(Ordering::Acquire) {
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(SPINS_PER_CHECK) {
                if start.elapsed() > SPIN {
                    let mut guard = lock(&slot.job);
                    while guard.is_none() {
                        guard = slot.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
                    }
                    break;
                }
                std::thread::yield_now();
            }
            std::hint::spin_loop();
        }
        let job = {
            let mut guard = lock(&slot.job);
            slot.ready.store(false, Ordering::Relaxed);
            guard.take()
        };
        let Some(job) = job else { continue };
        // SAFETY: the submitting caller keeps the task alive until this worker counts down the
        // latch below, which is the last use of the pointer.
        let outcome = catch_unwind(AssertUnwindSafe(|| unsafe { (*job.task.0)() }));
        if let Err(payload) = outcome {
            lock(&job.latch.panic).get_or_insert(payload);
        }
        job.latch.count_down();
    }
}

struct Pool {
    slots: Vec<Arc<Slot>>,
}

impl Pool {
    /// Makes sure `workers` workers exist; false if a thread could not be started.
    fn grow(&mut self, workers: usize) -> bool {
        while self.slots.len() < workers {
            let slot = Arc::new(Slot {
                job: Mutex::new(None),
                ready: AtomicBool::new(false),
                wake: Condvar::new(),
                tid: AtomicI32::new(0),
                excluded: AtomicUsize::new(crate::placement::NONE),
            });
            let theirs = Arc::clone(&slot);
            let spawned = std::thread::Builder::new()
                .name(format!("clostera-{}", self.slots.len() + 1))
                .spawn(move || worker_loop(theirs));
            if spawned.is_err() {
                return false;
            }
            self.slots.push(slot);
        }
        true
    }

    /// Runs `task` on this thread and on `extra` workers at once; returns when all have finished.
    fn run(&self, extra: usize, task: &(dyn Fn() + Sync + '_)) {
        let latch = Arc::new(Latch::new(extra));
        // SAFETY: erases the borrow's lifetime; `latch.wait()` below returns only after every
        // worker given the pointer has finished with it, on every path (the caller's own call
        // is wrapped in catch_unwind so a panic cannot skip the wait).
        let erased: *const Task =
            unsafe { std::mem::transmute::<&(dyn Fn() + Sync + '_), &'static Task>(task) };
        let caller_cpu = crate::placement::current_cpu();
        for slot in &self.slots[..extra] {
            // Keep the worker off this thread's CPU (see `placement`), re-pinning only when the
            // caller has moved since the last job.
            if let Some(cpu) = caller_cpu {
                if slot.excluded.load(Ordering::Relaxed) != cpu
                    && crate::placement::keep_off(slot.tid.load(Ordering::Acquire), cpu)
                {
                    slot.excluded.store(cpu, Ordering::Relaxed);
                }
            }
            let mut guard = lock(&slot.job);
            *guard = Some(Job {
                task: TaskPtr(erased),
                latch: Arc::clone(&latch),
            });
            slot.ready.store(true, Ordering::Release);
            slot.wake.notify_one();
        }
        let own = catch_unwind(AssertUnwindSafe(task));
        latch.wait();
        if let Err(payload) = own {
            resume_unwind(payload);
        }
        let worker_panic = lock(&latch.panic).take();
        if let Some(payload) = worker_panic {
            resume_unwind(payload);
        }
    }
}

static POOL: Mutex<Pool> = Mutex::new(Pool { slots: Vec::new() });

/// Runs `task` on the calling thread and `extra` pooled workers concurrently, returning once all
/// have finished (a panic in any of them is re-raised here). Returns false without running
/// anything when the pool is in use by another pass or cannot provide that many workers; the
/// caller then spawns its own threads.
pub(crate) fn try_run(extra: usize, task: &(dyn Fn() + Sync)) -> bool {
    if extra > MAX_WORKERS {
        return false;
    }
    let mut pool = match POOL.try_lock() {
        Ok(pool) => pool,
        Err(TryLockError::Poisoned(e)) => e.into_inner(),
        Err(TryLockError::WouldBlock) => return false,
    };
    if !pool.grow(extra) {
        return false;
    }
    pool.run(extra, task);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn runs_the_task_once_on_the_caller_and_on_each_worker() {
        for extra in [0usize, 1, 3] {
            let calls = AtomicUsize::new(0);
            let ids = Mutex::new(HashSet::new());
            let task = || {
                calls.fetch_add(1, Ordering::SeqCst);
                ids.lock().unwrap().insert(std::thread::current().id());
                // Long enough that every thread is inside the task at once.
                std::thread::sleep(Duration::from_millis(5));
            };
            // Another test may hold the pool; retry until it is free.
            while !try_run(extra, &task) {
                std::thread::yield_now();
            }
            assert_eq!(calls.load(Ordering::SeqCst), extra + 1);
            assert_eq!(ids.lock().unwrap().len(), extra + 1);
        }
    }

    #[test]
    fn a_worker_panic_reaches_the_caller_after_every_thread_finished() {
        let finished = AtomicUsize::new(0);
        let caller = std::thread::current().id();
        let task = || {
            if std::thread::current().id() != caller {
                panic!("worker panic (test)");
            }
            std::thread::sleep(Duration::from_millis(5));
            finished.fetch_add(1, Ordering::SeqCst);
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            while !try_run(2, &task) {
                std::thread::yield_now();
            }
        }));
        assert!(
            outcome.is_err(),
            "the panic must be re-raised on the caller"
        );
        assert_eq!(finished.load(Ordering::SeqCst), 1);
        // The pool still works afterwards.
        let calls = AtomicUsize::new(0);
        while !try_run(2, &|| {
            calls.fetch_add(1, Ordering::SeqCst);
        }) {
            std::thread::yield_now();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_busy_pool_refuses_instead_of_blocking() {
        let inner = AtomicUsize::new(0);
        let task = || {
            // Nested use from inside a job: the pool is held, so this must say no at once.
            if !try_run(1, &|| {}) {
                inner.fetch_add(1, Ordering::SeqCst);
            }
        };
        while !try_run(1, &task) {
            std::thread::yield_now();
        }
        assert_eq!(inner.load(Ordering::SeqCst), 2);
        assert!(!try_run(MAX_WORKERS + 1, &|| {}));
    }
}
