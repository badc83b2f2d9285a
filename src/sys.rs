//! Memory tuning for glibc's allocator, the one small piece of platform glue.
//!
//! glibc gives every thread that allocates its own arena (up to 8 per core), and
//! memory freed in one arena is not reused by another. With parsing moved off the
//! async threads (tokio's blocking pool then, a parser thread per core now), that
//! tripled peak RSS in the loopback benchmark (62 → 217 MB). Two arenas, and handing
//! freed pages back after each feed, keep memory flat in the number of feeds. Elsewhere (musl, other systems) these are no-ops.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::os::raw::c_int;

    /// `M_ARENA_MAX` from glibc's `<malloc.h>`.
    const M_ARENA_MAX: c_int = -8;

    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
        fn malloc_trim(pad: usize) -> c_int;
    }

    pub fn limit_arenas(n: c_int) {
        // SAFETY: mallopt only changes allocator parameters; it is called once at start,
        // before any worker thread exists.
        unsafe {
            mallopt(M_ARENA_MAX, n);
        }
    }

    pub fn trim() {
        // SAFETY: malloc_trim returns free memory to the system; it is thread-safe.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Caps the allocator's arenas; call once at the start of `main`, before threads start.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::limit_arenas(2);
}

/// Hands memory freed by a finished feed back to the system.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::trim();
}
