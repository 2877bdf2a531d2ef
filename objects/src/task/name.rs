//! Task names (`ZX_PROP_NAME`): at most 31 bytes, silently truncated, and stored with the
//! NUL that ends them in `ZX_MAX_NAME_LEN` bytes (spec §0.5).

use crate::abi::ZX_MAX_NAME_LEN;

/// An object name.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Name {
    bytes: [u8; ZX_MAX_NAME_LEN],
    len: usize,
}

impl Name {
    /// The name `name` stands for: cut at its first NUL, then at `ZX_MAX_NAME_LEN - 1`
    /// bytes.
    pub fn new(name: &[u8]) -> Name {
        let until_nul = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        let len = until_nul.min(ZX_MAX_NAME_LEN - 1);
        let mut bytes = [0; ZX_MAX_NAME_LEN];
        bytes[..len].copy_from_slice(&name[..len]);
        Name { bytes, len }
    }

    /// The name's bytes, without the NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The `ZX_PROP_NAME` value: the name, then NULs up to `ZX_MAX_NAME_LEN` bytes.
    pub fn to_property(&self) -> [u8; ZX_MAX_NAME_LEN] {
        self.bytes
    }
}

impl core::fmt::Debug for Name {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{:?}",
            core::str::from_utf8(self.as_bytes()).unwrap_or("<bytes>")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_truncated_to_31_bytes() {
        let long = [b'x'; 40];
        let name = Name::new(&long);
        assert_eq!(name.as_bytes(), &long[..31]);
        assert_eq!(name.to_property()[31], 0);
    }

    #[test]
    fn a_name_ends_at_its_first_nul() {
        assert_eq!(Name::new(b"init\0junk").as_bytes(), b"init");
        assert_eq!(Name::new(b"").as_bytes(), b"");
    }
}
