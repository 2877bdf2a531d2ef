//! Property tests: random sequences of map, unmap, protect and page faults on a small VMAR,
//! checked after every step against a model that records, for each page, which VMO page it
//! shows and with which permissions.
//!
//! Each step's status must be the one the model predicts (spec sections 4.2 to 4.4), the
//! mappings the address space reports must match the model page by page, and every
//! page-table entry must show the right frame with the right permissions.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::abi::Status;

/// Pages in the VMAR under test, and in the VMO mapped into it.
const PAGES: usize = 32;

/// What the model knows of one mapped page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Page {
    vmo_page: usize,
    perms: MmuFlags,
}

/// One step.
#[derive(Clone, Debug)]
enum Op {
    /// Map `pages` pages of the VMO from `vmo_page`: at page `at` (`SPECIFIC`, or
    /// `SPECIFIC_OVERWRITE` when `overwrite`), or anywhere (with 8 KiB alignment when
    /// `align`).
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

fn op() -> impl Strategy<Value = Op> {
    let map = (
        proptest::option::of(0..PAGES + 2),
        any::<bool>(),
        any::<bool>(),
        1..8usize,
        0..PAGES - 8,
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
    prop_oneof![3 => map, 2 => unmap, 2 => protect, 3 => fault]
}

/// The `PERM_*` options for `perms`.
fn perm_options(perms: MmuFlags) -> VmOptions {
    let mut options = VmOptions::empty();
    options.set(VmOptions::PERM_READ, perms.contains(MmuFlags::READ));
    options.set(VmOptions::PERM_WRITE, perms.contains(MmuFlags::WRITE));
    options.set(VmOptions::PERM_EXECUTE, perms.contains(MmuFlags::EXECUTE));
    options
}

/// The system under test and its model.
struct Harness {
    f: Fixture,
    vmar: Arc<Vmar>,
    vmo: Arc<Vmo>,
    compact: bool,
    model: [Option<Page>; PAGES],
}

/// The 8 KiB alignment that `align` maps ask for.
const ALIGN: usize = 2 * P;

impl Harness {
    fn new(compact: bool) -> Harness {
        let f = Fixture::new();
        let mut options = VmOptions::CAN_MAP_RWX | VmOptions::CAN_MAP_SPECIFIC;
        options.set(VmOptions::COMPACT, compact);
        let vmar = f.root.allocate(options, 0, PAGES * P, VMAR_RIGHTS).unwrap();
        let vmo = f.vmo(PAGES);
        Harness {
            f,
            vmar,
            vmo,
            compact,
            model: [None; PAGES],
        }
    }

    fn addr(&self, page: usize) -> usize {
        self.vmar.base() + page * P
    }

    /// Runs `op` on the VMAR and on the model; fails when they disagree.
    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::Map {
                at,
                overwrite,
                align,
                pages,
                vmo_page,
                perms,
            } => self.map(at, overwrite, align, pages, vmo_page, perms),
            Op::Unmap { at, pages } => {
                let result = self.vmar.unmap(self.addr(at), pages * P);
                let expected = if at + pages > PAGES {
                    Err(Status::InvalidArgs)
                } else if self.model[at..at + pages].iter().all(Option::is_none) {
                    Err(Status::NotFound)
                } else {
                    self.model[at..at + pages].fill(None);
                    Ok(())
                };
                prop_assert_eq!(result, expected);
                Ok(())
            }
            Op::Protect { at, pages, perms } => {
                let result =
                    self.vmar
                        .protect(perm_options(perms), self.addr(at), pages * P, VMAR_RIGHTS);
                let expected = if at + pages > PAGES {
                    Err(Status::InvalidArgs)
                } else if self.model[at..at + pages].iter().any(Option::is_none) {
                    Err(Status::NotFound)
                } else {
                    self.model[at..at + pages]
                        .iter_mut()
                        .flatten()
                        .for_each(|page| page.perms = perms);
                    Ok(())
                };
                prop_assert_eq!(result, expected);
                Ok(())
            }
            Op::Fault { at, access } => {
                let result = self.f.aspace.handle_page_fault(self.addr(at) + 17, access);
                let expected = match self.model[at] {
                    None => Err(Status::NotFound),
                    Some(page) if !page.perms.contains(access.required()) => {
                        Err(Status::AccessDenied)
                    }
                    Some(_) => Ok(()),
                };
                prop_assert_eq!(result, expected);
                if result.is_ok() {
                    prop_assert!(self.f.pt.entry(self.addr(at)).is_some());
                }
                Ok(())
            }
        }
    }

    fn map(
        &mut self,
        at: Option<usize>,
        overwrite: bool,
        align: bool,
        pages: usize,
        vmo_page: usize,
        perms: MmuFlags,
    ) -> Result<(), TestCaseError> {
        let mut options = perm_options(perms);
        let offset = match at {
            Some(at) if overwrite => {
                options |= VmOptions::SPECIFIC_OVERWRITE;
                at * P
            }
            Some(at) => {
                options |= VmOptions::SPECIFIC;
                at * P
            }
            None => 0,
        };
        if align && at.is_none() {
            options |= VmOptions::align_log2(ALIGN.trailing_zeros());
        }
        let vmo_offset = (vmo_page * P) as u64;
        let result = self.vmar.map(
            options,
            offset,
            &self.vmo,
            vmo_offset,
            pages * P,
            VMAR_RIGHTS,
            VMO_RIGHTS,
        );

        let first = match at {
            Some(at) if at + pages > PAGES => {
                prop_assert_eq!(result, Err(Status::InvalidArgs));
                return Ok(());
            }
            Some(at) if !overwrite && self.model[at..at + pages].iter().any(Option::is_some) => {
                prop_assert_eq!(result, Err(Status::NoMemory));
                return Ok(());
            }
            Some(at) => {
                prop_assert_eq!(result, Ok(self.addr(at)));
                at
            }
            None => {
                let spots = self.free_spots(pages, if align { ALIGN } else { P });
                let Ok(addr) = result else {
                    prop_assert!(spots.is_empty(), "{:?} with room at {:?}", result, spots);
                    return Ok(());
                };
                let at = (addr - self.vmar.base()) / P;
                prop_assert!(
                    spots.contains(&at),
                    "placed at page {} outside {:?}",
                    at,
                    spots
                );
                if self.compact {
                    prop_assert_eq!(
                        Some(&at),
                        spots.first(),
                        "compact placement is not the lowest"
                    );
                }
                at
            }
        };
        for (i, page) in self.model[first..first + pages].iter_mut().enumerate() {
            *page = Some(Page {
                vmo_page: vmo_page + i,
                perms,
            });
        }
        Ok(())
    }

    /// The pages where `pages` free pages start at an address aligned to `align`.
    fn free_spots(&self, pages: usize, align: usize) -> Vec<usize> {
        (0..=PAGES - pages)
            .filter(|&at| self.addr(at).is_multiple_of(align))
            .filter(|&at| self.model[at..at + pages].iter().all(Option::is_none))
            .collect()
    }

    /// The address space and page tables agree with the model.
    fn check(&self) -> Result<(), TestCaseError> {
        let mut seen: [Option<Page>; PAGES] = [None; PAGES];
        for mapping in self.f.aspace.mappings() {
            prop_assert_eq!(mapping.vmo_koid, self.vmo.koid());
            let first = (mapping.base - self.vmar.base()) / P;
            for i in 0..mapping.size / P {
                prop_assert!(
                    seen[first + i].is_none(),
                    "two mappings cover page {}",
                    first + i
                );
                let vmo_page = mapping.vmo_offset as usize / P + i;
                seen[first + i] = Some(Page {
                    vmo_page,
                    perms: mapping.perms,
                });
            }
        }
        prop_assert_eq!(seen, self.model);

        for (vaddr, (frame, flags)) in self.f.pt.entries() {
            let at = (vaddr - self.vmar.base()) / P;
            let Some(page) = self.model.get(at).copied().flatten() else {
                return Err(TestCaseError::fail(format!("entry for unmapped page {at}")));
            };
            prop_assert_eq!(flags, page.perms | MmuFlags::USER, "page {}", at);
            prop_assert_eq!(
                Some(frame),
                self.vmo.committed_frame((page.vmo_page * P) as u64)
            );
            prop_assert!(self.f.phys.is_live(frame));
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vmar_map_protect_unmap_and_faults_follow_the_model(
        compact in any::<bool>(),
        ops in proptest::collection::vec(op(), 1..48),
    ) {
        let mut harness = Harness::new(compact);
        for op in &ops {
            harness.step(op)?;
            harness.check()?;
        }
    }

    #[test]
    fn random_placement_in_the_root_stays_inside_aligned_and_disjoint(
        seed in any::<u64>(),
        sizes in proptest::collection::vec((1..64usize, 0..=4u32), 1..24),
    ) {
        let range = USER_ASPACE_BASE..USER_ASPACE_END;
        let aspace = AddressSpace::new(FakePageTable::new(), range, seed).unwrap();
        let root = aspace.root_vmar();
        let size = (64 * P) as u64;
        let vmo = Vmo::create(FakePhysicalMemory::new(), size, VmoOptions::empty()).unwrap();
        for &(pages, align_shift) in &sizes {
            let align = P << align_shift;
            let options = RW | VmOptions::align_log2(align.trailing_zeros());
            let addr = root.map(options, 0, &vmo, 0, pages * P, VMAR_RIGHTS, VMO_RIGHTS).unwrap();
            prop_assert_eq!(addr % align, 0);
            prop_assert!(addr >= USER_ASPACE_BASE && addr + pages * P <= USER_ASPACE_END);
        }
        let maps = aspace.mappings();
        prop_assert_eq!(maps.len(), sizes.len());
        for pair in maps.windows(2) {
            prop_assert!(pair[0].base + pair[0].size <= pair[1].base);
        }
    }
}
