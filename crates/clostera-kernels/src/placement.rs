//! Keeping a pass's worker off its caller's CPU (Linux).
//!
//! Why: on VMs whose CPUs share no cache level the kernel knows of (Firecracker here: no cache
//! topology in sysfs), each CPU is its own scheduling domain, so a woken worker is placed on its
//! waker's CPU and the idle-sibling search never looks at the other one. The caller and the
//! worker then time-share one CPU while the other idles, and a pass runs at 1-thread speed, for
//! the rest of the fit: measured with `perf sched` on Fashion-MNIST k = 10 (2,560 x 784 per
//! pass), in 2 of 5 runs of 20 passes every pass took 0.60-0.65 ms against 0.32-0.35 ms when the
//! two threads were apart. Before handing a worker a job the caller excludes its own CPU from
//! the worker's affinity mask (one system call, only when the excluded CPU changes), so the
//! kernel moves the worker if it has to. Results do not depend on any of this: blocks are fixed.
//!
//! Everything here is best effort: a failed call leaves the placement to the kernel.

/// glibc's `cpu_set_t`: 1024 CPUs.
#[cfg(target_os = "linux")]
type CpuSet = [u64; 16];

#[cfg(target_os = "linux")]
mod sys {
    use super::CpuSet;
    extern "C" {
        pub fn sched_getcpu() -> i32;
        pub fn gettid() -> i32;
        pub fn sched_getaffinity(pid: i32, size: usize, mask: *mut CpuSet) -> i32;
        pub fn sched_setaffinity(pid: i32, size: usize, mask: *const CpuSet) -> i32;
    }
}

/// No CPU excluded yet.
pub(crate) const NONE: usize = usize::MAX;

/// The CPU the calling thread runs on, if the system says.
pub(crate) fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sched_getcpu takes no arguments and only returns a number (or -1).
        let cpu = unsafe { sys::sched_getcpu() };
        usize::try_from(cpu).ok()
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// The calling thread's kernel id (0 where there is none to use).
pub(crate) fn thread_id() -> i32 {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid takes no arguments and cannot fail.
        unsafe { sys::gettid() }
    }
    #[cfg(not(target_os = "linux"))]
    0
}

/// Restricts thread `tid` to the CPUs the calling thread may use, minus `cpu`. Does nothing (and
/// returns false) when that would leave no CPU, `cpu` is out of range, or a call fails.
pub(crate) fn keep_off(tid: i32, cpu: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        if tid <= 0 || cpu >= 1024 {
            return false;
        }
        let mut mask: CpuSet = [0; 16];
        // SAFETY: `mask` is a writable cpu_set_t of the size passed; pid 0 is the calling thread.
        if unsafe { sys::sched_getaffinity(0, std::mem::size_of::<CpuSet>(), &mut mask) } != 0 {
            return false;
        }
        mask[cpu / 64] &= !(1u64 << (cpu % 64));
        if mask.iter().all(|w| *w == 0) {
            return false;
        }
        // SAFETY: `mask` is a valid cpu_set_t of the size passed; `tid` is one of our threads.
        unsafe { sys::sched_setaffinity(tid, std::mem::size_of::<CpuSet>(), &mask) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (tid, cpu);
        false
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_thread_kept_off_a_cpu_never_runs_there() {
        let Some(cpu) = current_cpu() else { return };
        let (tx, rx) = std::sync::mpsc::channel();
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let worker = std::thread::spawn(move || {
            tx.send(thread_id()).unwrap();
            go_rx.recv().unwrap();
            // Spin a little so the kernel has had the chance to move us.
            let until = std::time::Instant::now() + std::time::Duration::from_millis(5);
            let mut seen = std::collections::HashSet::new();
            while std::time::Instant::now() < until {
                seen.extend(current_cpu());
            }
            seen
        });
        let tid = rx.recv().unwrap();
        let moved = keep_off(tid, cpu);
        go_tx.send(()).unwrap();
        let seen = worker.join().unwrap();
        if moved {
            assert!(
                !seen.contains(&cpu),
                "ran on the excluded CPU {cpu}: {seen:?}"
            );
        } else {
            // A single allowed CPU: nothing to move the thread to.
            eprintln!("keep_off: only one CPU allowed; nothing to check");
        }
    }
}
