//! The byte image of the ABI's C structures: [`Wire`] encodes a value into exactly the bytes
//! the C header lays out (x86_64, little-endian, padding zeroed) and decodes it back.
//!
//! Structures are declared with `wire_struct!`, which writes each field at its
//! `offset_of!` offset, so the encoding follows the `#[repr(C)]` layout by construction and
//! the layout tests (`tests.rs`) only have to pin that layout to the header's numbers. The
//! kernel copies syscall structures through these bytes and so needs no `unsafe` to reach
//! user memory.

/// A value with a fixed C layout that can be turned into its bytes and back.
pub trait Wire: Copy {
    /// `sizeof` in C.
    const SIZE: usize;

    /// Writes the value's `SIZE` bytes at the start of `out` (which holds at least that many).
    fn encode(&self, out: &mut [u8]);

    /// Reads a value from the first `SIZE` bytes of `bytes` (which holds at least that many).
    fn decode(bytes: &[u8]) -> Self;

    /// Writes `values` back to back at the start of `out`: a C array of `Self`.
    fn encode_array<const N: usize>(values: &[Self; N], out: &mut [u8]) {
        let chunks = out[..Self::SIZE * N].chunks_exact_mut(Self::SIZE);
        for (chunk, element) in chunks.zip(values) {
            element.encode(chunk);
        }
    }

    /// Reads a C array of `N` values of `Self` from the start of `bytes`.
    fn decode_array<const N: usize>(bytes: &[u8]) -> [Self; N] {
        let mut chunks = bytes[..Self::SIZE * N].chunks_exact(Self::SIZE);
        core::array::from_fn(|_| chunks.next().map_or_else(|| unreachable!(), Self::decode))
    }
}

/// Implements [`Wire`] for the fixed-width integers, little-endian.
macro_rules! wire_integers {
    ($($ty:ty),*) => {
        $(
            impl Wire for $ty {
                const SIZE: usize = core::mem::size_of::<$ty>();

                fn encode(&self, out: &mut [u8]) {
                    out[..Self::SIZE].copy_from_slice(&self.to_le_bytes());
                }

                fn decode(bytes: &[u8]) -> Self {
                    let mut raw = [0; core::mem::size_of::<$ty>()];
                    raw.copy_from_slice(&bytes[..Self::SIZE]);
                    <$ty>::from_le_bytes(raw)
                }
            }
        )*
    };
}

wire_integers!(u16, u32, i32, u64, i64, usize);

/// A byte; byte arrays (names, packet payloads, padding) are copied whole rather than one
/// element at a time, which the compiler would otherwise keep as that many separate bytes.
impl Wire for u8 {
    const SIZE: usize = 1;

    fn encode(&self, out: &mut [u8]) {
        out[0] = *self;
    }

    fn decode(bytes: &[u8]) -> Self {
        bytes[0]
    }

    fn encode_array<const N: usize>(values: &[u8; N], out: &mut [u8]) {
        out[..N].copy_from_slice(values);
    }

    fn decode_array<const N: usize>(bytes: &[u8]) -> [u8; N] {
        let mut values = [0; N];
        values.copy_from_slice(&bytes[..N]);
        values
    }
}

/// A C `bool`: one byte, 0 or 1. Any non-zero byte decodes as `true`.
impl Wire for bool {
    const SIZE: usize = 1;

    fn encode(&self, out: &mut [u8]) {
        out[0] = u8::from(*self);
    }

    fn decode(bytes: &[u8]) -> Self {
        bytes[0] != 0
    }
}

/// A C array: the elements back to back (every ABI element's size is a multiple of its
/// alignment, so C puts no padding between them).
impl<T: Wire, const N: usize> Wire for [T; N] {
    const SIZE: usize = T::SIZE * N;

    fn encode(&self, out: &mut [u8]) {
        T::encode_array(self, out);
    }

    fn decode(bytes: &[u8]) -> Self {
        T::decode_array(bytes)
    }
}

/// Declares a `#[repr(C)]` ABI structure and its [`Wire`] encoding, field by field at the
/// offsets the compiler gives the C layout. Padding the header names is an explicit field;
/// any other padding is zeroed.
macro_rules! wire_struct {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $($(#[$field_attr:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$attr])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $ty,)*
        }

        impl $crate::wire::Wire for $name {
            const SIZE: usize = core::mem::size_of::<$name>();

            fn encode(&self, out: &mut [u8]) {
                out[..Self::SIZE].fill(0);
                $(
                    $crate::wire::Wire::encode(
                        &self.$field,
                        &mut out[core::mem::offset_of!($name, $field)..],
                    );
                )*
            }

            fn decode(bytes: &[u8]) -> Self {
                assert!(bytes.len() >= Self::SIZE, "decoding from too few bytes");
                $name {
                    $($field: $crate::wire::Wire::decode(
                        &bytes[core::mem::offset_of!($name, $field)..],
                    ),)*
                }
            }
        }
    };
}

pub(crate) use wire_struct;

// The ABI is x86_64's LP64: `size_t` and `uintptr_t` are 64 bits, which `usize` must match.
const _: () = assert!(core::mem::size_of::<usize>() == 8);
