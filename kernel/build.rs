//! Embeds the user programs in the kernel image.
//!
//! The Makefile builds the `user` crate first and passes its programs as
//! `SPINEL_USER_PROGRAMS="name=path name=path ..."`; this script writes `programs.rs`, a table
//! of `include_bytes!` of each ELF file, which `kernel/src/programs.rs` includes. Without the
//! variable the table is empty and the kernel boots with no user space.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=SPINEL_USER_PROGRAMS");
    let programs = std::env::var("SPINEL_USER_PROGRAMS").unwrap_or_default();
    let mut table = String::from("&[\n");
    for entry in programs.split_whitespace() {
        let (name, path) = entry
            .split_once('=')
            .expect("SPINEL_USER_PROGRAMS takes name=path");
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| panic!("no program at {path}"));
        println!("cargo:rerun-if-changed={}", path.display());
        // ELF parsers read the headers in place, so the bytes must be aligned like them.
        let bytes = format!("&Aligned(*include_bytes!({path:?})).0");
        writeln!(table, "    Program {{ name: {name:?}, elf: {bytes} }},").unwrap();
    }
    table.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("programs.rs"), table).expect("cannot write programs.rs");
}
