//! The committed pages of a VMO: page index to the frame that holds it.
//!
//! The first page committed sits inline in the [`PageMap`] and only the others go into a
//! B-tree, so that committing the page of a one-page VMO (or the first page of any VMO), as a
//! page fault does, allocates no tree node.

use alloc::collections::BTreeMap;
use core::ops::Index;

use super::page_table::PhysAddr;

/// Page index to frame, for the committed pages of a VMO.
#[derive(Default)]
pub(super) struct PageMap {
    /// One page, in no particular order with `rest`; never a page that `rest` holds too.
    inline: Option<(u64, PhysAddr)>,
    /// The other pages.
    rest: BTreeMap<u64, PhysAddr>,
}

impl PageMap {
    /// The frame of `page`, if committed.
    pub fn get(&self, page: u64) -> Option<PhysAddr> {
        match self.inline {
            Some((inline, frame)) if inline == page => Some(frame),
            _ => self.rest.get(&page).copied(),
        }
    }

    /// Whether `page` is committed.
    pub fn contains(&self, page: u64) -> bool {
        self.get(page).is_some()
    }

    /// How many pages are committed.
    pub fn len(&self) -> usize {
        usize::from(self.inline.is_some()) + self.rest.len()
    }

    /// Records `frame` as the frame of `page`, in place of any frame it had.
    pub fn insert(&mut self, page: u64, frame: PhysAddr) {
        match &mut self.inline {
            Some((inline, old)) if *inline == page => *old = frame,
            None if !self.rest.contains_key(&page) => self.inline = Some((page, frame)),
            _ => {
                self.rest.insert(page, frame);
            }
        }
    }

    /// Removes the pages from `first` on and returns their frames.
    pub fn split_off(&mut self, first: u64) -> impl Iterator<Item = PhysAddr> + use<> {
        let inline = self.inline.take_if(|(page, _)| *page >= first);
        let rest = self.rest.split_off(&first);
        inline
            .map(|(_, frame)| frame)
            .into_iter()
            .chain(rest.into_values())
    }

    /// The frames of every committed page.
    pub fn frames(&self) -> impl Iterator<Item = PhysAddr> + '_ {
        let inline = self.inline.map(|(_, frame)| frame);
        inline.into_iter().chain(self.rest.values().copied())
    }
}

impl Index<u64> for PageMap {
    type Output = PhysAddr;

    /// The frame of `page`, which must be committed.
    fn index(&self, page: u64) -> &PhysAddr {
        match &self.inline {
            Some((inline, frame)) if *inline == page => frame,
            _ => &self.rest[&page],
        }
    }
}

impl Extend<(u64, PhysAddr)> for PageMap {
    fn extend<I: IntoIterator<Item = (u64, PhysAddr)>>(&mut self, pages: I) {
        pages
            .into_iter()
            .for_each(|(page, frame)| self.insert(page, frame));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn sorted(frames: impl Iterator<Item = PhysAddr>) -> Vec<PhysAddr> {
        let mut frames: Vec<_> = frames.collect();
        frames.sort();
        frames
    }

    #[test]
    fn the_first_page_sits_inline_and_the_others_in_the_tree() {
        let mut pages = PageMap::default();
        pages.insert(3, 0x3000);
        pages.extend([(1, 0x1000), (7, 0x7000)]);
        assert_eq!(pages.inline, Some((3, 0x3000)));
        assert_eq!(pages.len(), 3);
        assert_eq!(pages.get(1), Some(0x1000));
        assert_eq!((pages[3], pages[7]), (0x3000, 0x7000));
        assert_eq!(pages.get(3), Some(0x3000));
        assert!(pages.contains(7));
        assert!(!pages.contains(2));
        assert_eq!(sorted(pages.frames()), [0x1000, 0x3000, 0x7000]);
    }

    #[test]
    fn insert_replaces_the_frame_wherever_the_page_is() {
        let mut pages = PageMap::default();
        pages.insert(1, 0x1000);
        pages.insert(2, 0x2000);
        pages.insert(1, 0xa000);
        pages.insert(2, 0xb000);
        assert_eq!(pages.len(), 2);
        assert_eq!((pages.get(1), pages.get(2)), (Some(0xa000), Some(0xb000)));
    }

    #[test]
    fn a_page_of_the_tree_is_not_duplicated_once_the_inline_slot_is_free() {
        let mut pages = PageMap::default();
        pages.extend([(5, 0x5000), (2, 0x2000)]);
        assert_eq!(sorted(pages.split_off(4)), [0x5000]);
        pages.insert(2, 0xc000);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages.get(2), Some(0xc000));
    }

    #[test]
    fn split_off_takes_the_pages_from_the_first_on() {
        let mut pages = PageMap::default();
        pages.extend([(4, 0x4000), (1, 0x1000), (6, 0x6000)]);
        assert_eq!(sorted(pages.split_off(4)), [0x4000, 0x6000]);
        assert_eq!(sorted(pages.frames()), [0x1000]);
        assert_eq!(sorted(pages.split_off(0)), [0x1000]);
        assert_eq!(pages.len(), 0);
    }
}
