//! Fork detection: a `pthread_atfork` child handler bumps a process generation, so per-process
//! state (connection pools, locks, in-flight markers) made before a `fork()` is replaced, never
//! reused, in the child.

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

extern "C" fn after_fork_in_child() {
    FORK_GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Installs the child handler once per process.
pub fn register_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a handler that only increments an atomic (async-signal-safe).
        unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) };
    });
}

/// The number of forks between the first process and this one.
pub fn generation() -> u64 {
    FORK_GENERATION.load(Ordering::Acquire)
}

/// A value owned by one process: after a `fork()` the child gets a fresh one from `make`, and the
/// parent's copy (which may hold locks of threads that do not exist in the child) is leaked.
pub struct PerProcess<T> {
    ptr: std::sync::atomic::AtomicPtr<(u64, T)>,
}

impl<T> PerProcess<T> {
    /// An empty holder; the value is made on first use.
    pub const fn new() -> Self {
        PerProcess {
            ptr: std::sync::atomic::AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// This process's value if it has been made (`None` before first use, or in a child that
    /// has not used it yet).
    pub fn get_current(&self) -> Option<&T> {
        // SAFETY: published values are only freed by `drop`, which has `&mut self`.
        let (g, v) = unsafe { self.ptr.load(Ordering::Acquire).as_ref() }?;
        (*g == generation()).then_some(v)
    }

    /// This process's value, made with `make` (which may see the parent's value, if any) when
    /// there is none yet or it belongs to a parent process.
    pub fn get_or<E>(&self, make: impl FnOnce(Option<&T>) -> Result<T, E>) -> Result<&T, E> {
        let generation = generation();
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: published values are only freed by `drop`, which has `&mut self`.
        let old = unsafe { p.as_ref() };
        if let Some((g, v)) = old
            && *g == generation
        {
            return Ok(v);
        }
        let fresh = Box::into_raw(Box::new((generation, make(old.map(|(_, v)| v))?)));
        match self.ptr.compare_exchange(p, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The replaced value is leaked on purpose when it came from a parent process.
            // SAFETY: just published; lives until drop.
            Ok(_) => Ok(unsafe { &(*fresh).1 }),
            Err(current) => {
                // SAFETY: `fresh` was never published.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: published by the thread that won; lives until drop.
                Ok(unsafe { &(*current).1 })
            }
        }
    }
}

impl<T> Default for PerProcess<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        let p = *self.ptr.get_mut();
        if !p.is_null() {
            // SAFETY: the current value is owned by this holder (values of parent processes
            // were replaced and leaked, never freed here).
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

// SAFETY: the holder hands out `&T` to any thread, like an `Arc<T>`.
unsafe impl<T: Send + Sync> Sync for PerProcess<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Send for PerProcess<T> {}
