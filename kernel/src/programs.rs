//! The user programs built into the kernel image (see `kernel/build.rs`).

/// One program: its name and its ELF file.
pub struct Program {
    pub name: &'static str,
    pub elf: &'static [u8],
}

/// Gives embedded ELF files the alignment of their headers.
#[allow(
    dead_code,
    reason = "built by the generated table, which is empty without user programs"
)]
#[repr(C, align(8))]
struct Aligned<Bytes: ?Sized>(Bytes);

/// Every program in the image, in the order the build listed them.
pub static PROGRAMS: &[Program] = include!(concat!(env!("OUT_DIR"), "/programs.rs"));

/// The program called `name`.
pub fn find(name: &str) -> Option<&'static Program> {
    PROGRAMS.iter().find(|program| program.name == name)
}
