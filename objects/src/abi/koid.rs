//! Kernel object ids.
//!
//! Every object gets a koid when it is created. Koids are 64-bit, start at `ZX_KOID_FIRST`, have
//! the top bit clear and are never reused (`types.h`).

use core::sync::atomic::{AtomicU64, Ordering};

/// A kernel object id (`zx_koid_t`).
pub type Koid = u64;

/// `ZX_KOID_INVALID`.
pub const ZX_KOID_INVALID: Koid = 0;
/// `ZX_KOID_KERNEL`: the kernel itself.
pub const ZX_KOID_KERNEL: Koid = 1;
/// `ZX_KOID_FIRST`: the first koid handed to an object.
pub const ZX_KOID_FIRST: Koid = 1024;

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
