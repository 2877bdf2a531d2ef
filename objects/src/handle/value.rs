//! Handle values: how a table slot and its generation become the 32-bit number user space sees.
//!
//! A value packs a 15-bit slot index and a 15-bit generation into 30 bits, scrambles them with
//! a bijection keyed per table, and sets the two fixed low bits (`ZX_HANDLE_FIXED_BITS_MASK`).
//! So values are never 0, never small sequential integers, differ between processes, and a
//! closed value comes back only after its slot has gone round all 2^15 generations.
//!
//! The scramble is an odd multiplication, a xorshift and a xor with the key, each invertible
//! modulo 2^30. It hides the layout from casual guessing; it is not a secret against a
//! determined attacker, and the table checks every decoded value.

use crate::abi::{HandleValue, ZX_HANDLE_FIXED_BITS_MASK};

/// Bits of the slot index: a table has at most 2^15 slots.
pub(crate) const INDEX_BITS: u32 = 15;
/// Bits of the generation counter of each slot.
const GENERATION_BITS: u32 = 15;
/// Bits that carry information in a value (above the two fixed bits).
const PAYLOAD_BITS: u32 = INDEX_BITS + GENERATION_BITS;
const PAYLOAD_MASK: u32 = (1 << PAYLOAD_BITS) - 1;
/// Where the payload starts in a value: above the fixed bits.
const FIXED_BITS: u32 = ZX_HANDLE_FIXED_BITS_MASK.count_ones();

/// The generation after `generation`, wrapping at 2^15.
pub(crate) fn next_generation(generation: u16) -> u16 {
    ((u32::from(generation) + 1) & ((1 << GENERATION_BITS) - 1)) as u16
}

/// An odd multiplier (the 32-bit golden ratio) and its inverse modulo 2^32.
const MULTIPLIER: u32 = 0x9e37_79b9;
const MULTIPLIER_INVERSE: u32 = inverse_mod_2_32(MULTIPLIER);
/// The xorshift distance: half the payload, so that the shift is its own inverse.
const XORSHIFT: u32 = PAYLOAD_BITS / 2;

/// The inverse of an odd `a` modulo 2^32, by Newton's iteration (each step doubles the number
/// of correct low bits, starting from 3).
const fn inverse_mod_2_32(a: u32) -> u32 {
    let mut x = a;
    let mut step = 0;
    while step < 5 {
        x = x.wrapping_mul(2u32.wrapping_sub(a.wrapping_mul(x)));
        step += 1;
    }
    x
}

/// Turns (slot index, generation) into handle values and back, for one table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ValueCodec {
    key: u32,
}

impl ValueCodec {
    /// A codec whose values depend on `seed`.
    pub(crate) fn new(seed: u64) -> ValueCodec {
        ValueCodec {
            key: (splitmix64(seed) as u32) & PAYLOAD_MASK,
        }
    }

    /// The value naming slot `index` at `generation`.
    pub(crate) fn encode(&self, index: u32, generation: u16) -> HandleValue {
        let payload = (u32::from(generation) << INDEX_BITS) | index;
        let mut scrambled = payload.wrapping_mul(MULTIPLIER) & PAYLOAD_MASK;
        scrambled ^= scrambled >> XORSHIFT;
        scrambled ^= self.key;
        (scrambled << FIXED_BITS) | ZX_HANDLE_FIXED_BITS_MASK
    }

    /// The (slot index, generation) a value names, or `None` when its fixed bits are wrong.
    pub(crate) fn decode(&self, value: HandleValue) -> Option<(u32, u16)> {
        if value & ZX_HANDLE_FIXED_BITS_MASK != ZX_HANDLE_FIXED_BITS_MASK {
            return None;
        }
        let mut scrambled = (value >> FIXED_BITS) ^ self.key;
        scrambled ^= scrambled >> XORSHIFT;
        let payload = scrambled.wrapping_mul(MULTIPLIER_INVERSE) & PAYLOAD_MASK;
        Some((
            payload & ((1 << INDEX_BITS) - 1),
            (payload >> INDEX_BITS) as u16,
        ))
    }
}

/// SplitMix64's output function: spreads consecutive seeds over all 64 bits.
pub(crate) fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplier_inverse_is_exact() {
        assert_eq!(MULTIPLIER.wrapping_mul(MULTIPLIER_INVERSE), 1);
    }

    #[test]
    fn encode_then_decode_round_trips_every_corner() {
        let codec = ValueCodec::new(42);
        for index in [0, 1, 2, 1000, (1 << INDEX_BITS) - 1] {
            for generation in [0u16, 1, 77, (1 << GENERATION_BITS) - 1] {
                let value = codec.encode(index, generation);
                assert_eq!(value & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
                assert_eq!(codec.decode(value), Some((index, generation)));
            }
        }
    }

    #[test]
    fn values_without_fixed_bits_do_not_decode() {
        let codec = ValueCodec::new(7);
        assert_eq!(codec.decode(0), None);
        assert_eq!(codec.decode(0x1000), None);
        assert_eq!(codec.decode(0x1001), None);
    }

    #[test]
    fn tables_with_different_seeds_give_different_values() {
        let (a, b) = (ValueCodec::new(1), ValueCodec::new(2));
        assert_ne!(a.encode(0, 0), b.encode(0, 0));
    }

    #[test]
    fn generation_wraps_within_its_bits() {
        assert_eq!(next_generation(0), 1);
        assert_eq!(next_generation((1 << GENERATION_BITS) - 1), 0);
    }
}
