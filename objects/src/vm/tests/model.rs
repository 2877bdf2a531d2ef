//! Property tests: random sequences of map, unmap, protect, page faults, child VMAR
//! allocation and destruction on a small VMAR, checked after every step against a model that
//! records, for each page, whether it is free, mapped (to which VMO page, with which
//! permissions) or inside a child VMAR (and what that child maps there).
//!
//! Each step's status must be the one the model predicts (spec sections 4.2 to 4.5 and the
//! decisions of `vmar.rs`), the mappings the address space reports must match the model page
//! by page, every page-table entry must show the right frame with the right permissions, and
//! every child VMAR must be destroyed exactly when the model says.

use alloc::vec::Vec;
use core::ops::Range;

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;
use crate::abi::Status;

mod ops;

use ops::{Op, op, perm_options};

/// Pages in the VMAR under test, and in the VMO mapped into it.
const PAGES: usize = 32;

/// What the model knows of one mapped page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Page {
    vmo_page: usize,
    perms: MmuFlags,
}

/// What the model knows of one page of the VMAR under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// Nothing is there.
    Free,
    /// A mapping of the VMAR under test shows `Page` there.
    Mapped(Page),
    /// Child VMAR `child` (an index into [`Harness::children`]) holds the page, and maps
    /// `page` there if it is `Some`.
    InChild { child: usize, page: Option<Page> },
}

impl Slot {
    /// The VMO page the address space shows here, through any VMAR.
    fn shown(self) -> Option<Page> {
        match self {
            Slot::Free => None,
            Slot::Mapped(page) => Some(page),
            Slot::InChild { page, .. } => page,
        }
    }
}

/// A child VMAR the harness allocated, and what the model knows of it.
struct ChildVmar {
    vmar: Arc<Vmar>,
    /// Its pages, counted in the VMAR under test.
    pages: Range<usize>,
    /// Whether the model expects it not destroyed.
    alive: bool,
}

/// The system under test and its model.
struct Harness {
    f: Fixture,
    vmar: Arc<Vmar>,
    vmo: Arc<Vmo>,
    compact: bool,
    model: [Slot; PAGES],
    children: Vec<ChildVmar>,
}

/// The 8 KiB alignment that `align` maps and allocations ask for.
const ALIGN: usize = 2 * P;

/// The options of every child VMAR: mappings may be read-only, placed anywhere.
const CHILD_OPTIONS: VmOptions = VmOptions::CAN_MAP_READ;

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
            model: [Slot::Free; PAGES],
            children: Vec::new(),
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
            Op::Unmap { at, pages } => self.unmap(at, pages),
            Op::Protect { at, pages, perms } => self.protect(at, pages, perms),
            Op::Fault { at, access } => self.fault(at, access),
            Op::Allocate {
                at,
                align,
                pages,
                fill,
            } => self.allocate(at, align, pages, fill),
            Op::Destroy { child } => self.destroy(child),
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

        // The VMO's size is checked before the place (spec §4.2: BUFFER_TOO_SMALL for a
        // mapping past the end of a non-resizable VMO without ALLOW_FAULTS).
        if vmo_page + pages > PAGES {
            prop_assert_eq!(result, Err(Status::BufferTooSmall));
            return Ok(());
        }
        let first = match at {
            Some(at) => match self.specific_outcome(at, pages, overwrite) {
                Err(status) => {
                    prop_assert_eq!(result, Err(status));
                    return Ok(());
                }
                Ok(()) => {
                    prop_assert_eq!(result, Ok(self.addr(at)));
                    at
                }
            },
            None => match self.check_placement(result, pages, align)? {
                Some(at) => at,
                None => return Ok(()),
            },
        };
        for (i, slot) in self.model[first..first + pages].iter_mut().enumerate() {
            *slot = Slot::Mapped(Page {
                vmo_page: vmo_page + i,
                perms,
            });
        }
        Ok(())
    }

    /// The status the model predicts for a region placed at page `at` with `SPECIFIC` (or
    /// `SPECIFIC_OVERWRITE` when `overwrite`): INVALID_ARGS outside the VMAR; with overwrite,
    /// INVALID_ARGS over any part of a child VMAR, even one wholly covered (the decision of
    /// `vmar.rs`: an overwrite replaces mappings only); without, NO_MEMORY over anything.
    fn specific_outcome(&self, at: usize, pages: usize, overwrite: bool) -> ZxResult {
        if at + pages > PAGES {
            return Err(Status::InvalidArgs);
        }
        let slots = &self.model[at..at + pages];
        if overwrite {
            if slots
                .iter()
                .any(|slot| matches!(slot, Slot::InChild { .. }))
            {
                return Err(Status::InvalidArgs);
            }
        } else if slots.iter().any(|&slot| slot != Slot::Free) {
            return Err(Status::NoMemory);
        }
        Ok(())
    }

    /// Checks where the VMAR placed a region of `pages` pages it chose the place of: one of
    /// the free, aligned spots (the lowest when the VMAR is compact), or nowhere (NO_MEMORY)
    /// when there is none. Returns the first page, if it was placed.
    fn check_placement(
        &self,
        result: ZxResult<usize>,
        pages: usize,
        align: bool,
    ) -> Result<Option<usize>, TestCaseError> {
        let spots = self.free_spots(pages, if align { ALIGN } else { P });
        let Ok(addr) = result else {
            prop_assert_eq!(result, Err(Status::NoMemory));
            prop_assert!(spots.is_empty(), "{:?} with room at {:?}", result, spots);
            return Ok(None);
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
        Ok(Some(at))
    }

    /// Unmap: INVALID_ARGS outside the VMAR or over part of a child VMAR, NOT_FOUND over
    /// nothing; otherwise mappings go and wholly covered child VMARs are destroyed.
    fn unmap(&mut self, at: usize, pages: usize) -> Result<(), TestCaseError> {
        let result = self.vmar.unmap(self.addr(at), pages * P);
        let range = at..at + pages;
        let expected = if range.end > PAGES || self.partly_covered_child(&range) {
            Err(Status::InvalidArgs)
        } else if self.model[range.clone()]
            .iter()
            .all(|&slot| slot == Slot::Free)
        {
            Err(Status::NotFound)
        } else {
            for page in range {
                if let Slot::InChild { child, .. } = self.model[page] {
                    self.free_child(child);
                }
                self.model[page] = Slot::Free;
            }
            Ok(())
        };
        prop_assert_eq!(result, expected);
        Ok(())
    }

    /// Protect: the first problem in address order wins, an unmapped page (NOT_FOUND) or a
    /// child VMAR's page (INVALID_ARGS); INVALID_ARGS outside the VMAR.
    fn protect(&mut self, at: usize, pages: usize, perms: MmuFlags) -> Result<(), TestCaseError> {
        let result = self
            .vmar
            .protect(perm_options(perms), self.addr(at), pages * P, VMAR_RIGHTS);
        let expected = if at + pages > PAGES {
            Err(Status::InvalidArgs)
        } else {
            let problem = self.model[at..at + pages]
                .iter()
                .find_map(|slot| match slot {
                    Slot::Free => Some(Status::NotFound),
                    Slot::InChild { .. } => Some(Status::InvalidArgs),
                    Slot::Mapped(_) => None,
                });
            match problem {
                Some(status) => Err(status),
                None => {
                    for slot in &mut self.model[at..at + pages] {
                        if let Slot::Mapped(page) = slot {
                            page.perms = perms;
                        }
                    }
                    Ok(())
                }
            }
        };
        prop_assert_eq!(result, expected);
        Ok(())
    }

    fn fault(&mut self, at: usize, access: FaultAccess) -> Result<(), TestCaseError> {
        let result = self.f.aspace.handle_page_fault(self.addr(at) + 17, access);
        let expected = match self.model[at].shown() {
            None => Err(Status::NotFound),
            Some(page) if !page.perms.contains(access.required()) => Err(Status::AccessDenied),
            Some(_) => Ok(()),
        };
        prop_assert_eq!(result, expected);
        if result.is_ok() {
            prop_assert!(self.f.pt.entry(self.addr(at)).is_some());
        }
        Ok(())
    }

    /// Allocate: placed as a mapping would be; INVALID_ARGS outside the VMAR and NO_MEMORY over
    /// anything for `SPECIFIC`.
    fn allocate(
        &mut self,
        at: Option<usize>,
        align: bool,
        pages: usize,
        fill: bool,
    ) -> Result<(), TestCaseError> {
        let mut options = CHILD_OPTIONS;
        let offset = match at {
            Some(at) => {
                options |= VmOptions::SPECIFIC;
                at * P
            }
            None if align => {
                options |= VmOptions::align_log2(ALIGN.trailing_zeros());
                0
            }
            None => 0,
        };
        let result = self.vmar.allocate(options, offset, pages * P, VMAR_RIGHTS);
        let placed = result
            .as_ref()
            .map(|child| child.base())
            .map_err(|&status| status);
        let first = match at {
            Some(at) => match self.specific_outcome(at, pages, false) {
                Err(status) => {
                    prop_assert_eq!(placed, Err(status));
                    return Ok(());
                }
                Ok(()) => {
                    prop_assert_eq!(placed, Ok(self.addr(at)));
                    at
                }
            },
            None => match self.check_placement(placed, pages, align)? {
                Some(at) => at,
                None => return Ok(()),
            },
        };
        let vmar = result.unwrap();
        prop_assert_eq!(vmar.size(), pages * P);
        if fill {
            let read = VmOptions::PERM_READ;
            let filled = vmar.map(read, 0, &self.vmo, 0, pages * P, VMAR_RIGHTS, VMO_RIGHTS);
            prop_assert_eq!(filled, Ok(vmar.base()));
        }

        let child = self.children.len();
        for (i, slot) in self.model[first..first + pages].iter_mut().enumerate() {
            let page = fill.then_some(Page {
                vmo_page: i,
                perms: MmuFlags::READ,
            });
            *slot = Slot::InChild { child, page };
        }
        self.children.push(ChildVmar {
            vmar,
            pages: first..first + pages,
            alive: true,
        });
        Ok(())
    }

    /// Destroy: the child's pages are free again; a second destroy is BAD_STATE.
    fn destroy(&mut self, child: Index) -> Result<(), TestCaseError> {
        if self.children.is_empty() {
            return Ok(());
        }
        let child = child.index(self.children.len());
        let result = self.children[child].vmar.destroy();
        if self.children[child].alive {
            prop_assert_eq!(result, Ok(()));
            self.free_child(child);
        } else {
            prop_assert_eq!(result, Err(Status::BadState));
        }
        Ok(())
    }

    /// Whether a live child VMAR overlaps `range` without lying wholly inside it.
    fn partly_covered_child(&self, range: &Range<usize>) -> bool {
        self.children
            .iter()
            .filter(|child| child.alive)
            .any(|child| {
                let overlaps = child.pages.start < range.end && range.start < child.pages.end;
                let inside = range.start <= child.pages.start && child.pages.end <= range.end;
                overlaps && !inside
            })
    }

    /// Marks child VMAR `child` destroyed and its pages free.
    fn free_child(&mut self, child: usize) {
        let pages = self.children[child].pages.clone();
        self.children[child].alive = false;
        self.model[pages].fill(Slot::Free);
    }

    /// The pages where `pages` free pages start at an address aligned to `align`.
    fn free_spots(&self, pages: usize, align: usize) -> Vec<usize> {
        (0..=PAGES - pages)
            .filter(|&at| self.addr(at).is_multiple_of(align))
            .filter(|&at| self.model[at..at + pages].iter().all(|&s| s == Slot::Free))
            .collect()
    }

    /// The address space, page tables and child VMARs agree with the model.
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
        let shown = self.model.map(Slot::shown);
        prop_assert_eq!(seen, shown);

        for (vaddr, (frame, flags)) in self.f.pt.entries() {
            let at = (vaddr - self.vmar.base()) / P;
            let Some(page) = shown.get(at).copied().flatten() else {
                return Err(TestCaseError::fail(format!("entry for unmapped page {at}")));
            };
            prop_assert_eq!(flags, page.perms | MmuFlags::USER, "page {}", at);
            prop_assert_eq!(
                Some(frame),
                self.vmo.committed_frame((page.vmo_page * P) as u64)
            );
            prop_assert!(self.f.phys.is_live(frame));
        }

        for (i, child) in self.children.iter().enumerate() {
            prop_assert_eq!(child.vmar.is_destroyed(), !child.alive, "child {}", i);
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vmar_map_protect_unmap_faults_and_child_vmars_follow_the_model(
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
