//! Kernel object ids.
//!
//! Every object gets a koid when it is created. Koids are 64-bit, start at `ZX_KOID_FIRST`, have
//! the top bit clear and are never reused (`types.h`).

use core::sync::atomic::{AtomicU64, Ordering};

use syscalls_abi::{ZX_KOID_FIRST, zx_koid_t};

/// A kernel object id (`zx_koid_t`).
pub type Koid = zx_koid_t;

static NEXT_KOID: AtomicU64 = AtomicU64::new(ZX_KOID_FIRST);

/// A fresh koid, never returned before.
pub fn new_koid() -> Koid {
    // Relaxed is enough: the counter only has to hand out distinct values.
    NEXT_KOID.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn koids_are_fresh_and_above_first() {
        let a = new_koid();
        let b = new_koid();
        assert!(a >= ZX_KOID_FIRST && b >= ZX_KOID_FIRST);
        assert_ne!(a, b);
        assert_eq!(a >> 63, 0);
    }
}
