//! Declares the `loom` cfg, under which the crate's atomics become loom's model-checked ones
//! (see src/sync.rs), so that rustc does not warn about an unknown cfg.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(loom)");
}
