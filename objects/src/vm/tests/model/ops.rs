//! The steps of the VMAR model and how proptest draws them.

use proptest::prelude::*;
use proptest::sample::Index;

use super::{MmuFlags, PAGES};
use crate::vm::{FaultAccess, VmOptions};

/// One step.
#[derive(Clone, Debug)]
pub(super) enum Op {
    /// Map `pages` pages of the VMO from `vmo_page`: at page `at` (`SPECIFIC`, or
    /// `SPECIFIC_OVERWRITE` when `overwrite`), or anywhere (with 8 KiB alignment when
    /// `align`). Maps may run past the VMO's end.
    Map {
        at: Option<usize>,
        overwrite: bool,
        align: bool,
        pages: usize,
        vmo_page: usize,
        perms: MmuFlags,
    },
    Unmap {
        at: usize,
        pages: usize,
    },
    Protect {
        at: usize,
        pages: usize,
        perms: MmuFlags,
    },
    Fault {
        at: usize,
        access: FaultAccess,
    },
    /// Allocate a child VMAR of `pages` pages at page `at` (`SPECIFIC`) or anywhere (8 KiB
    /// aligned when `align`); when `fill`, map the VMO read-only over all of it.
    Allocate {
        at: Option<usize>,
        align: bool,
        pages: usize,
        fill: bool,
    },
    /// Destroy one of the child VMARs allocated so far (perhaps one already destroyed).
    Destroy {
        child: Index,
    },
}

fn perms() -> impl Strategy<Value = MmuFlags> {
    prop_oneof![
        Just(MmuFlags::empty()),
        Just(MmuFlags::READ),
        Just(MmuFlags::READ | MmuFlags::WRITE),
        Just(MmuFlags::READ | MmuFlags::EXECUTE),
        Just(MmuFlags::RWX),
    ]
}

pub(super) fn op() -> impl Strategy<Value = Op> {
    let map = (
        proptest::option::of(0..PAGES + 2),
        any::<bool>(),
        any::<bool>(),
        1..8usize,
        0..PAGES,
        perms(),
    )
        .prop_map(|(at, overwrite, align, pages, vmo_page, perms)| Op::Map {
            at,
            overwrite,
            align,
            pages,
            vmo_page,
            perms,
        });
    let unmap = (0..PAGES + 2, 1..10usize).prop_map(|(at, pages)| Op::Unmap { at, pages });
    let protect = (0..PAGES + 2, 1..10usize, perms()).prop_map(|(at, pages, perms)| Op::Protect {
        at,
        pages,
        perms,
    });
    let access = prop_oneof![
        Just(FaultAccess::Read),
        Just(FaultAccess::Write),
        Just(FaultAccess::Execute)
    ];
    let fault = (0..PAGES, access).prop_map(|(at, access)| Op::Fault { at, access });
    let allocate = (
        proptest::option::of(0..PAGES + 2),
        any::<bool>(),
        1..6usize,
        any::<bool>(),
    )
        .prop_map(|(at, align, pages, fill)| Op::Allocate {
            at,
            align,
            pages,
            fill,
        });
    let destroy = any::<Index>().prop_map(|child| Op::Destroy { child });
    prop_oneof![
        3 => map,
        2 => unmap,
        2 => protect,
        3 => fault,
        1 => allocate,
        1 => destroy,
    ]
}

/// The `PERM_*` options for `perms`.
pub(super) fn perm_options(perms: MmuFlags) -> VmOptions {
    let mut options = VmOptions::empty();
    options.set(VmOptions::PERM_READ, perms.contains(MmuFlags::READ));
    options.set(VmOptions::PERM_WRITE, perms.contains(MmuFlags::WRITE));
    options.set(VmOptions::PERM_EXECUTE, perms.contains(MmuFlags::EXECUTE));
    options
}
