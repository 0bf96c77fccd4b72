//! Read-only memory maps of whole files, for reading vector files larger than RAM.
//!
//! Node has no `mmap`, so `@clostera/io` reaches this crate through the Node binding. A mapping
//! is read window by window; after a window is consumed, [`Mapping::release`] tells the kernel
//! (`madvise(MADV_DONTNEED)`) to drop its pages from the process's resident set. The pages stay in
//! the OS page cache, so re-reading is cheap, but the process's RSS stays bounded by the window
//! size rather than growing to the size of the file.
//!
//! Only Unix is supported; elsewhere [`Mapping::open`] returns an `Unsupported` I/O error.

use std::fs::File;
use std::io;
use std::path::Path;

#[cfg(unix)]
mod sys {
    use std::ffi::c_void;

    pub const PROT_READ: i32 = 1;
    pub const MAP_PRIVATE: i32 = 2;
    pub const MADV_SEQUENTIAL: i32 = 2;
    pub const MADV_DONTNEED: i32 = 4;

    extern "C" {
        pub fn mmap(
            addr: *mut c_void,
            len: usize,
            prot: i32,
            flags: i32,
            fd: i32,
            offset: i64,
        ) -> *mut c_void;
        pub fn munmap(addr: *mut c_void, len: usize) -> i32;
        pub fn madvise(addr: *mut c_void, len: usize, advice: i32) -> i32;
        pub fn getpagesize() -> i32;
    }

    /// `MAP_FAILED` is `(void*)-1`.
    pub fn map_failed() -> *mut c_void {
        usize::MAX as *mut c_void
    }
}

/// A read-only, private mapping of a whole file.
pub struct Mapping {
    ptr: *mut u8,
    len: usize,
    // Kept open for the life of the mapping so the file cannot be swapped for another under it
    // by descriptor reuse (the mapping itself would survive a close).
    _file: File,
}

// SAFETY: the mapping is read-only (PROT_READ) and never remapped while the value lives; the
// pointer is only dereferenced through `&self` reads, so sharing or moving it across threads
// cannot create a data race on memory this process writes.
unsafe impl Send for Mapping {}
// SAFETY: as above: every access is a read of immutable memory.
unsafe impl Sync for Mapping {}

fn out_of_range(offset: u64, len: usize, size: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("window [{offset}, {offset}+{len}) is outside the {size}-byte mapping"),
    )
}

impl Mapping {
    /// Map the whole of `path` read-only. An empty file gives an empty mapping (no `mmap` call,
    /// which would reject a zero length).
    pub fn open(path: impl AsRef<Path>) -> io::Result<Mapping> {
        let file = File::open(path)?;
        let len = usize::try_from(file.metadata()?.len()).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "file larger than the address space",
            )
        })?;
        Self::map(file, len)
    }

    #[cfg(unix)]
    fn map(file: File, len: usize) -> io::Result<Mapping> {
        use std::os::fd::AsRawFd;
        if len == 0 {
            return Ok(Mapping {
                ptr: std::ptr::NonNull::dangling().as_ptr(),
                len: 0,
                _file: file,
            });
        }
        // SAFETY: a fresh read-only private mapping of an open descriptor; the kernel validates
        // every argument and reports failure as MAP_FAILED, which is checked below.
        let ptr = unsafe {
            sys::mmap(
                std::ptr::null_mut(),
                len,
                sys::PROT_READ,
                sys::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == sys::map_failed() {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `ptr..ptr+len` is the mapping just created. The advice is only a hint about
        // the read pattern (more read-ahead), so its result is ignored.
        unsafe { sys::madvise(ptr, len, sys::MADV_SEQUENTIAL) };
        Ok(Mapping {
            ptr: ptr.cast::<u8>(),
            len,
            _file: file,
        })
    }

    #[cfg(not(unix))]
    fn map(_file: File, _len: usize) -> io::Result<Mapping> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "memory maps are only implemented on Unix",
        ))
    }

    /// Size of the mapped file in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes `[offset, offset + len)`, or an `InvalidInput` error when outside the file.
    pub fn window(&self, offset: u64, len: usize) -> io::Result<&[u8]> {
        let start = usize::try_from(offset).map_err(|_| out_of_range(offset, len, self.len))?;
        match start.checked_add(len) {
            Some(end) if end <= self.len => {}
            _ => return Err(out_of_range(offset, len, self.len)),
        }
        if len == 0 {
            return Ok(&[]);
        }
        // SAFETY: `start + len <= self.len` was checked, so the range lies inside the live,
        // readable mapping; it is never written or unmapped while `&self` is borrowed.
        Ok(unsafe { std::slice::from_raw_parts(self.ptr.add(start), len) })
    }

    /// Copy `out.len()` bytes starting at `offset` into `out`.
    pub fn read_into(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        out.copy_from_slice(self.window(offset, out.len())?);
        Ok(())
    }

    /// Drop the pages overlapping `[offset, offset + len)` from the resident set. Later reads
    /// fault them back in from the page cache (the mapping is private and read-only, so nothing
    /// is lost). Only whole pages inside the range are released.
    pub fn release(&self, offset: u64, len: usize) -> io::Result<()> {
        self.window(offset, len)?;
        self.release_unchecked(offset as usize, len)
    }

    #[cfg(unix)]
    fn release_unchecked(&self, start: usize, len: usize) -> io::Result<()> {
        // SAFETY: getpagesize has no preconditions.
        let page = unsafe { sys::getpagesize() } as usize;
        let first = start.div_ceil(page) * page;
        let end = (start + len) / page * page;
        if end <= first {
            return Ok(());
        }
        // SAFETY: `first..end` is page-aligned and inside the mapping (checked by `window`);
        // MADV_DONTNEED on a private read-only file mapping only discards clean pages.
        let rc =
            unsafe { sys::madvise(self.ptr.add(first).cast(), end - first, sys::MADV_DONTNEED) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn release_unchecked(&self, _start: usize, _len: usize) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        #[cfg(unix)]
        if self.len > 0 {
            // SAFETY: `ptr..ptr+len` is the mapping created in `map`, unmapped exactly once here;
            // no borrow of it can outlive `self`.
            unsafe { sys::munmap(self.ptr.cast(), self.len) };
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("clostera-mmap-{}-{name}", std::process::id()));
        File::create(&path).unwrap().write_all(bytes).unwrap();
        path
    }

    #[test]
    fn reads_windows_of_the_file() {
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let path = temp_file("windows", &bytes);
        let m = Mapping::open(&path).unwrap();
        assert_eq!(m.len(), bytes.len());
        assert_eq!(m.window(0, 10).unwrap(), &bytes[..10]);
        assert_eq!(m.window(99_990, 10).unwrap(), &bytes[99_990..]);
        let mut out = vec![0u8; 5000];
        m.read_into(12_345, &mut out).unwrap();
        assert_eq!(out, &bytes[12_345..17_345]);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn rejects_windows_outside_the_file() {
        let path = temp_file("range", &[1, 2, 3, 4]);
        let m = Mapping::open(&path).unwrap();
        assert_eq!(
            m.window(4, 1).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(
            m.window(u64::MAX, 1).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert_eq!(
            m.window(2, usize::MAX).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        assert!(m.window(4, 0).unwrap().is_empty());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn empty_files_map_to_empty() {
        let path = temp_file("empty", &[]);
        let m = Mapping::open(&path).unwrap();
        assert!(m.is_empty());
        assert!(m.window(0, 0).unwrap().is_empty());
        m.release(0, 0).unwrap();
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn released_pages_read_back_unchanged() {
        let bytes: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 256) as u8).collect();
        let path = temp_file("release", &bytes);
        let m = Mapping::open(&path).unwrap();
        let before = m.window(0, bytes.len()).unwrap().to_vec();
        m.release(0, bytes.len()).unwrap();
        m.release(3, 5).unwrap(); // a sub-page range releases nothing and is fine
        assert_eq!(m.window(0, bytes.len()).unwrap(), before.as_slice());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn missing_file_is_not_found() {
        let err = Mapping::open("/nonexistent/clostera-mmap").err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
