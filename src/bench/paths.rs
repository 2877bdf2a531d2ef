//! Where the benchmark's files live: sources under `bench/`, everything fetched or built under
//! `bench/cache/` (ignored by git), and the report's outputs beside the sources.
//!
//! Invariant: the runner writes only inside `bench/cache/` and to the report's two output files.

use std::path::{Path, PathBuf};

/// The benchmark's directories, all derived from the repository root.
#[derive(Clone, Debug)]
pub struct BenchPaths {
    /// `bench/`: sources of the Linux guest, and the report's outputs.
    pub bench: PathBuf,
    /// `bench/cache/`: downloaded packages, extracted files, builds, serial logs.
    pub cache: PathBuf,
}

impl BenchPaths {
    /// The paths of the repository whose root is `root`.
    pub fn in_repo(root: &Path) -> Self {
        let bench = root.join("bench");
        let cache = bench.join("cache");
        Self { bench, cache }
    }

    /// The paths of the repository this runner was built from.
    pub fn of_this_repo() -> Self {
        Self::in_repo(Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// `bench/linux/`: the C benchmark, its spawn target and the guest's `/init`.
    pub fn linux_sources(&self) -> PathBuf {
        self.bench.join("linux")
    }

    /// Where `apt-get download` puts Debian packages.
    pub fn debs(&self) -> PathBuf {
        self.cache.join("debs")
    }

    /// Files extracted from packages, the built benchmark and the initramfs.
    pub fn linux_build(&self) -> PathBuf {
        self.cache.join("linux")
    }

    /// The serial log of the boot named `label`, kept for reading after a run.
    pub fn serial_log(&self, label: &str) -> PathBuf {
        self.cache.join("logs").join(format!("{label}.log"))
    }

    /// `bench/results.json`: every figure of the last run.
    pub fn results_json(&self) -> PathBuf {
        self.bench.join("results.json")
    }

    /// `bench/ratios.svg`: the bar chart of Linux/Spinel ratios.
    pub fn ratio_chart(&self) -> PathBuf {
        self.bench.join("ratios.svg")
    }
}
