//! The VMAR tree of one address space: every VMAR, its child VMARs and its mappings.
//!
//! The tree is an arena of [`VmarNode`]s keyed by [`VmarId`], guarded as a whole by the
//! address space's lock. Ids are never reused, so a VMAR that is destroyed (its node gone)
//! stays recognisably dead to every `Vmar` that still names it. Each node keeps its children
//! in a map keyed by base address; they are disjoint and inside the node's range.
//!
//! Walks that depend on user-controlled depth (destroying a subtree, finding the mapping under
//! an address) are loops over an explicit stack or cursor, never recursion on the kernel stack.
//!
//! Mappings never overlap, at whatever depth they sit, so the tree also keeps every mapping in
//! one index by base address, for the page-fault path: one search finds the mapping under an
//! address, however deep. Invariant: the index holds exactly the mappings that are children
//! of live nodes; every change of a node's mappings goes through [`VmarTree::insert_mapping`]
//! and `take_child`.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

use super::mapping::{Mapping, MappingInfo};
use super::options::{VmOptions, rights_for};
use super::page_table::MmuFlags;
use super::placement::{Placement, Prng, find_spot};
use crate::abi::{Status, ZxResult};

/// The name of a VMAR inside its address space's tree.
pub(super) type VmarId = u64;

/// One VMAR.
pub(super) struct VmarNode {
    /// Its range.
    pub range: Range<usize>,
    /// Its `CAN_MAP_*` and `COMPACT` options.
    pub flags: VmOptions,
    /// The VMAR that holds it; `None` for the root.
    pub parent: Option<VmarId>,
    /// Child VMARs and mappings, by base address.
    pub children: BTreeMap<usize, Child>,
}

/// Something a VMAR holds.
pub(super) enum Child {
    /// A child VMAR and where it ends.
    Vmar { id: VmarId, end: usize },
    /// A mapping.
    Mapping(Arc<Mapping>),
}

impl Child {
    fn end(&self) -> usize {
        match self {
            Child::Vmar { end, .. } => *end,
            Child::Mapping(mapping) => mapping.end(),
        }
    }
}

/// Every VMAR of an address space.
pub(super) struct VmarTree {
    nodes: BTreeMap<VmarId, VmarNode>,
    /// Every mapping, by base address (see the module doc).
    mappings: BTreeMap<usize, Arc<Mapping>>,
    root: VmarId,
    next_id: VmarId,
    prng: Prng,
}

impl VmarTree {
    /// A tree holding only a root VMAR over `range` with `flags`.
    pub fn new(range: Range<usize>, flags: VmOptions, aslr_seed: u64) -> VmarTree {
        let root = VmarNode {
            range,
            flags,
            parent: None,
            children: BTreeMap::new(),
        };
        VmarTree {
            nodes: BTreeMap::from([(0, root)]),
            mappings: BTreeMap::new(),
            root: 0,
            next_id: 1,
            prng: Prng::new(aslr_seed),
        }
    }

    /// The root VMAR's id.
    pub fn root(&self) -> VmarId {
        self.root
    }

    /// The live VMAR `id`; BAD_STATE once it has been destroyed.
    pub fn node(&self, id: VmarId) -> ZxResult<&VmarNode> {
        self.nodes.get(&id).ok_or(Status::BadState)
    }

    /// The mapping that covers `vaddr`, at whatever depth.
    pub fn find_mapping(&self, vaddr: usize) -> Option<&Arc<Mapping>> {
        let (_, mapping) = self.mappings.range(..=vaddr).next_back()?;
        let found = (vaddr < mapping.end()).then_some(mapping);
        debug_assert!(
            found.map(Arc::as_ptr) == self.find_mapping_by_walk(vaddr).map(Arc::as_ptr),
            "the mapping index disagrees with the tree at {vaddr:#x}"
        );
        found
    }

    /// [`find_mapping`](Self::find_mapping) by walking down the tree, to check the index.
    fn find_mapping_by_walk(&self, vaddr: usize) -> Option<&Arc<Mapping>> {
        let mut id = self.root;
        loop {
            let node = self.nodes.get(&id)?;
            let (_, child) = node.children.range(..=vaddr).next_back()?;
            if child.end() <= vaddr {
                return None;
            }
            match child {
                Child::Mapping(mapping) => return Some(mapping),
                Child::Vmar { id: child, .. } => id = *child,
            }
        }
    }

    /// Whether nothing in VMAR `id` overlaps `range`.
    pub fn is_free(&self, id: VmarId, range: &Range<usize>) -> bool {
        let children = &self.nodes[&id].children;
        let before = children.range(..range.start).next_back();
        before.is_none_or(|(_, child)| child.end() <= range.start)
            && children.range(range.clone()).next().is_none()
    }

    /// A free spot for `size` bytes aligned to `align` in VMAR `id`, below `limit`; randomized
    /// unless the VMAR is `COMPACT`.
    pub fn find_spot(
        &mut self,
        id: VmarId,
        size: usize,
        align: usize,
        limit: usize,
    ) -> Option<usize> {
        let node = &self.nodes[&id];
        let occupied = node.children.iter().map(|(&base, child)| base..child.end());
        let placement = if node.flags.contains(VmOptions::COMPACT) {
            Placement::Compact
        } else {
            Placement::Random(&mut self.prng)
        };
        find_spot(occupied, node.range.start..limit, size, align, placement)
    }

    /// Adds a child VMAR over `range` (free, inside `parent`) and returns its id.
    pub fn insert_vmar(&mut self, parent: VmarId, range: Range<usize>, flags: VmOptions) -> VmarId {
        let id = self.next_id;
        self.next_id += 1;
        let child = Child::Vmar { id, end: range.end };
        self.node_mut(parent).children.insert(range.start, child);
        let node = VmarNode {
            range,
            flags,
            parent: Some(parent),
            children: BTreeMap::new(),
        };
        self.nodes.insert(id, node);
        id
    }

    /// Adds `mapping` (over a free range of `parent`, registered with its VMO).
    pub fn insert_mapping(&mut self, parent: VmarId, mapping: Arc<Mapping>) {
        self.mappings.insert(mapping.base, mapping.clone());
        self.node_mut(parent)
            .children
            .insert(mapping.base, Child::Mapping(mapping));
    }

    /// Takes the child of VMAR `id` at `base` out of the node, and out of the mapping index
    /// if it is a mapping.
    fn take_child(&mut self, id: VmarId, base: usize) -> Option<Child> {
        let child = self.node_mut(id).children.remove(&base)?;
        if let Child::Mapping(_) = child {
            self.mappings.remove(&base);
        }
        Some(child)
    }

    /// Unmaps `range` (inside VMAR `id`): mappings partly inside are cut, child VMARs wholly
    /// inside are destroyed. Returns whether the range held anything.
    ///
    /// INVALID_ARGS, with nothing changed, when a child VMAR lies partly inside, or lies
    /// inside at all when `destroy_vmars` is false.
    pub fn unmap(
        &mut self,
        id: VmarId,
        range: Range<usize>,
        destroy_vmars: bool,
    ) -> ZxResult<bool> {
        let children = &self.node(id)?.children;
        let keys = overlapping(children, &range);
        for key in &keys {
            if let Child::Vmar { end, .. } = children[key]
                && (!destroy_vmars || *key < range.start || end > range.end)
            {
                return Err(Status::InvalidArgs);
            }
        }

        for &key in &keys {
            match self.take_child(id, key) {
                Some(Child::Mapping(mapping)) => {
                    let cut = range.start.max(mapping.base)..range.end.min(mapping.end());
                    for piece in mapping.cut(cut) {
                        self.insert_mapping(id, piece);
                    }
                }
                Some(Child::Vmar { id: child, .. }) => self.destroy_detached(child),
                None => unreachable!("overlapping() returned a key of this map"),
            }
        }
        Ok(!keys.is_empty())
    }

    /// Gives `range` (inside VMAR `id`) the permissions `perms`.
    ///
    /// The range must be covered, without holes, by mappings that are direct children of the
    /// VMAR. INVALID_ARGS when a child VMAR lies in it; NOT_FOUND when part of it is not mapped;
    /// ACCESS_DENIED when the VMAR's `CAN_MAP_*` or the rights of the VMO handle a mapping was
    /// made with do not allow `perms`. The first problem in address order is reported, and
    /// nothing changes unless there is none.
    pub fn protect(&mut self, id: VmarId, range: Range<usize>, perms: MmuFlags) -> ZxResult<()> {
        let node = self.node(id)?;
        let keys = overlapping(&node.children, &range);
        let mut covered = range.start;
        for key in &keys {
            // A hole before this child comes first in address order, whatever the child is.
            if *key > covered {
                return Err(Status::NotFound);
            }
            let Child::Mapping(mapping) = &node.children[key] else {
                return Err(Status::InvalidArgs);
            };
            let allowed = node.flags.can_map().contains(perms)
                && mapping.vmo_rights.contains(rights_for(perms));
            if !allowed {
                return Err(Status::AccessDenied);
            }
            covered = mapping.end();
        }
        if covered < range.end {
            return Err(Status::NotFound);
        }

        for &key in &keys {
            let Some(Child::Mapping(mapping)) = self.take_child(id, key) else {
                unreachable!("every key names a mapping, checked above");
            };
            let part = range.start.max(mapping.base)..range.end.min(mapping.end());
            for piece in mapping.reprotect(part, perms) {
                self.insert_mapping(id, piece);
            }
        }
        Ok(())
    }

    /// Destroys VMAR `id`: it leaves its parent, and it, its mappings and its descendants
    /// disappear from the tree and the page tables.
    pub fn destroy(&mut self, id: VmarId) {
        let Some(node) = self.nodes.get(&id) else {
            return;
        };
        if let Some(parent) = node.parent {
            let base = node.range.start;
            self.take_child(parent, base);
        }
        self.destroy_detached(id);
    }

    /// Destroys every VMAR at once, the root too, once the page table has been retired: the
    /// mappings leave their VMOs without touching the page table.
    pub fn destroy_retired(&mut self) {
        self.mappings.clear();
        for node in core::mem::take(&mut self.nodes).into_values() {
            for child in node.children.into_values() {
                if let Child::Mapping(mapping) = child {
                    mapping.detach();
                }
            }
        }
    }

    /// Every mapping of the address space, in address order.
    pub fn mappings(&self) -> Vec<MappingInfo> {
        self.mappings
            .values()
            .map(|mapping| mapping.info())
            .collect()
    }

    /// Destroys VMAR `id`, already removed from its parent's children, and its subtree.
    fn destroy_detached(&mut self, id: VmarId) {
        let mut pending = vec![id];
        while let Some(id) = pending.pop() {
            let Some(node) = self.nodes.remove(&id) else {
                continue;
            };
            for child in node.children.into_values() {
                match child {
                    Child::Mapping(mapping) => {
                        self.mappings.remove(&mapping.base);
                        mapping.cut(mapping.base..mapping.end());
                    }
                    Child::Vmar { id, .. } => pending.push(id),
                }
            }
        }
    }

    fn node_mut(&mut self, id: VmarId) -> &mut VmarNode {
        self.nodes
            .get_mut(&id)
            .expect("VMAR ids passed here are live")
    }
}

/// The keys of the children that overlap `range`, in address order.
fn overlapping(children: &BTreeMap<usize, Child>, range: &Range<usize>) -> Vec<usize> {
    let before = children.range(..range.start).next_back();
    let before = before
        .filter(|(_, child)| child.end() > range.start)
        .map(|(&key, _)| key);
    before
        .into_iter()
        .chain(children.range(range.clone()).map(|(&key, _)| key))
        .collect()
}
