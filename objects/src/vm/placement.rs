//! Where a new mapping or child VMAR goes when the caller does not say (no `SPECIFIC`).
//!
//! By default the spot is drawn uniformly among every aligned address where the region fits
//! (address-space layout randomization); a VMAR created with `COMPACT` takes the lowest such
//! address instead, packing its children together.
//!
//! The randomness comes from [`Prng`], a SplitMix64 generator (Steele, Lea and Flood,
//! "Fast splittable pseudorandom number generators", OOPSLA 2014) seeded per address space:
//! the kernel seeds it from a hardware source, tests from a constant, which makes their
//! placements repeatable. It is hand-written because it is five lines and the crate keeps its
//! dependencies to `spin`, `bitflags` and `log`; it is not a cryptographic generator.

use core::ops::Range;

/// A small seeded pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Prng {
    state: u64,
}

/// SplitMix64's increment: the odd integer closest to 2^64 divided by the golden ratio.
const SPLITMIX_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
/// SplitMix64's two finalizer multipliers.
const SPLITMIX_MUL1: u64 = 0xbf58_476d_1ce4_e5b9;
const SPLITMIX_MUL2: u64 = 0x94d0_49bb_1331_11eb;

impl Prng {
    /// A generator whose output depends only on `seed`.
    pub fn new(seed: u64) -> Prng {
        Prng { state: seed }
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(SPLITMIX_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(SPLITMIX_MUL1);
        z = (z ^ (z >> 27)).wrapping_mul(SPLITMIX_MUL2);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (`bound` > 0), with a bias too small to matter for placement.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }
}

/// How to choose among the spots that fit.
pub enum Placement<'a> {
    /// The lowest spot (`COMPACT`).
    Compact,
    /// A spot drawn uniformly from all of them.
    Random(&'a mut Prng),
}

/// A page-aligned address `a` with `[a, a + size)` inside `bounds` and clear of every range
/// in `occupied`, with `a` a multiple of `align` (a power of two). `occupied` lists disjoint
/// ranges inside `bounds` in increasing order. `None` when nothing fits.
pub fn find_spot<I>(
    occupied: I,
    bounds: Range<usize>,
    size: usize,
    align: usize,
    placement: Placement<'_>,
) -> Option<usize>
where
    I: Iterator<Item = Range<usize>> + Clone,
{
    let mut fits = gaps(occupied, bounds).filter_map(|gap| Spots::in_gap(gap, size, align));
    match placement {
        Placement::Compact => fits.next().map(|spots| spots.first),
        Placement::Random(prng) => {
            let total: u64 = fits.clone().map(|spots| spots.count).sum();
            if total == 0 {
                return None;
            }
            let mut pick = prng.below(total);
            for spots in fits {
                if pick < spots.count {
                    return Some(spots.first + pick as usize * align);
                }
                pick -= spots.count;
            }
            None
        }
    }
}

/// The aligned spots for a region in one gap: `first`, `first + align`, ... (`count` of them).
struct Spots {
    first: usize,
    count: u64,
}

impl Spots {
    fn in_gap(gap: Range<usize>, size: usize, align: usize) -> Option<Spots> {
        let first = gap.start.checked_next_multiple_of(align)?;
        let room = gap.end.checked_sub(first)?;
        let slack = room.checked_sub(size)?;
        Some(Spots {
            first,
            count: (slack / align) as u64 + 1,
        })
    }
}

/// The free ranges of `bounds` between the `occupied` ones.
fn gaps<I>(occupied: I, bounds: Range<usize>) -> impl Iterator<Item = Range<usize>> + Clone
where
    I: Iterator<Item = Range<usize>> + Clone,
{
    let end = bounds.end;
    let tail = core::iter::once(end..end);
    occupied
        .chain(tail)
        .scan(bounds.start, move |cursor, used| {
            let gap = *cursor..used.start.min(end);
            *cursor = (*cursor).max(used.end);
            Some(gap)
        })
        .filter(|gap| gap.start < gap.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::PAGE_SIZE;

    const P: usize = PAGE_SIZE;

    #[test]
    fn compact_takes_the_lowest_gap_that_fits() {
        let used = [0x1000..0x3000, 0x4000..0x5000];
        let spot = find_spot(
            used.iter().cloned(),
            0x1000..0x10000,
            2 * P,
            P,
            Placement::Compact,
        );
        assert_eq!(spot, Some(0x5000));
        let spot = find_spot(
            used.iter().cloned(),
            0x1000..0x10000,
            P,
            P,
            Placement::Compact,
        );
        assert_eq!(spot, Some(0x3000));
    }

    #[test]
    fn alignment_skips_unaligned_starts() {
        let used = core::iter::once(0x10000..0x11000);
        let spot = find_spot(used, 0x10000..0x40000, P, 0x10000, Placement::Compact);
        assert_eq!(spot, Some(0x20000));
    }

    #[test]
    fn nothing_fits_in_a_full_range() {
        let used = [0x1000..0x2000, 0x3000..0x4000];
        let mut prng = Prng::new(1);
        let spot = find_spot(
            used.iter().cloned(),
            0x1000..0x4000,
            2 * P,
            P,
            Placement::Random(&mut prng),
        );
        assert_eq!(spot, None);
    }

    #[test]
    fn random_spots_are_free_aligned_and_vary() {
        let used = core::iter::once(0x4000..0x8000);
        let mut prng = Prng::new(7);
        let mut seen = alloc::collections::BTreeSet::new();
        for _ in 0..200 {
            let spot = find_spot(
                used.clone(),
                0x1000..0x20000,
                2 * P,
                P,
                Placement::Random(&mut prng),
            )
            .unwrap();
            assert_eq!(spot % P, 0);
            assert!(spot >= 0x1000 && spot + 2 * P <= 0x20000);
            assert!(spot + 2 * P <= 0x4000 || spot >= 0x8000);
            seen.insert(spot);
        }
        // 2 + 23 spots exist; 200 draws see most of them.
        assert!(seen.len() > 15, "only {} distinct spots", seen.len());
    }

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Prng::new(42);
        let mut b = Prng::new(42);
        let mut c = Prng::new(43);
        let xs: [u64; 4] = core::array::from_fn(|_| a.next_u64());
        let ys: [u64; 4] = core::array::from_fn(|_| b.next_u64());
        let zs: [u64; 4] = core::array::from_fn(|_| c.next_u64());
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }
}
