//! The Linux guest: Debian's kernel, and an initramfs holding busybox, the C benchmark built
//! from `bench/linux/`, and its `/init`.
//!
//! Each step is skipped when its output in the cache is current: a package when its `.deb` of the
//! candidate version is there, an extracted file when it exists, the C build and the initramfs
//! when a stamp beside them records the digest of exactly the inputs they were made from. The
//! initramfs is an uncompressed newc archive whose entries have fixed owners, modes and times, so
//! the same inputs always give the same bytes.
//!
//! Invariant: a [`LinuxGuest`]'s kernel and initramfs exist and were made from the sources now
//! in `bench/linux/`.

use std::collections::hash_map::DefaultHasher;
use std::fs::{self, File};
use std::hash::Hasher;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::debian::{self, BUSYBOX_PACKAGE, Package};
use super::error::{BenchError, Context, Result};
use super::paths::BenchPaths;

/// Flags of the C benchmark: optimised, static (the initramfs has no C library), with threads.
const BENCH_CFLAGS: [&str; 5] = ["-O2", "-static", "-pthread", "-Wall", "-Wextra"];

/// Flags of `exit0`: no C library at all, so spawning it costs only the kernel's work.
const EXIT0_CFLAGS: [&str; 4] = ["-O2", "-static", "-nostdlib", "-Wall"];

/// The spawn target's source; every other `.c` file in `bench/linux/` is the benchmark.
const EXIT0_SOURCE: &str = "exit0.c";

/// Directory and file modes in the initramfs (`S_IFDIR`, `S_IFREG`, `S_IFCHR` of stat(2)).
const MODE_DIRECTORY: u32 = 0o040_755;
const MODE_PROGRAM: u32 = 0o100_755;
const MODE_CONSOLE: u32 = 0o020_600;

/// `/dev/console` is character device 5:1 (Linux's devices.txt), the console init writes to.
const CONSOLE_DEVICE: (u32, u32) = (5, 1);

/// The kernel and initramfs to boot, and where they came from.
#[derive(Clone, Debug)]
pub struct LinuxGuest {
    /// The kernel image (`vmlinuz`) extracted from Debian's package.
    pub kernel: PathBuf,
    /// The initramfs archive.
    pub initramfs: PathBuf,
    /// Debian's kernel image package.
    pub kernel_package: Package,
    /// Debian's busybox package.
    pub busybox_package: Package,
}

impl LinuxGuest {
    /// ("linux-image", "linux-image-… version"), ("busybox", "…"), for the results.
    pub fn provenance(&self) -> Vec<(String, String)> {
        vec![
            ("linux-image".to_string(), self.kernel_package.describe()),
            ("busybox".to_string(), self.busybox_package.describe()),
        ]
    }
}

/// Fetches, extracts and builds whatever of the Linux guest is not current in the cache, telling
/// `progress` about each step that does work.
pub fn prepare_linux_guest(
    paths: &BenchPaths,
    progress: &mut dyn FnMut(&str),
) -> Result<LinuxGuest> {
    let debs = paths.debs();
    let build = paths.linux_build();

    let kernel_package = fetch_kernel_package(&debs, progress)?;
    let busybox_package = debian::fetch(BUSYBOX_PACKAGE, &debs, progress)?;
    let kernel = extract_once(
        &kernel_package,
        &vmlinuz_path(&kernel_package)?,
        &build,
        progress,
    )?;
    let busybox = extract_once(&busybox_package, "./bin/busybox", &build, progress)?;

    let (bench, exit0) = build_benchmark(&paths.linux_sources(), &build, progress)?;
    let init = paths.linux_sources().join("init");
    let initramfs = build.join("initramfs.cpio");
    let files: [(&str, &Path); 4] = [
        ("init", &init),
        ("bin/busybox", &busybox),
        ("bin/linux-bench", &bench),
        ("bin/exit0", &exit0),
    ];
    pack_initramfs(&files, &initramfs, progress)?;

    Ok(LinuxGuest {
        kernel,
        initramfs,
        kernel_package,
        busybox_package,
    })
}

/// The kernel image package the metapackage points to now, fetched; or, when apt cannot be
/// asked, the newest one already cached.
fn fetch_kernel_package(debs: &Path, progress: &mut dyn FnMut(&str)) -> Result<Package> {
    match debian::current_kernel_package() {
        Ok(name) => debian::fetch(&name, debs, progress),
        Err(err) => debian::newest_cached_with_prefix("linux-image-", debs)
            .filter(|p| p.name != debian::KERNEL_METAPACKAGE)
            .ok_or(err),
    }
}

/// `./boot/vmlinuz-<release>` for a package named `linux-image-<release>`.
fn vmlinuz_path(package: &Package) -> Result<String> {
    let release = package
        .name
        .strip_prefix("linux-image-")
        .ok_or_else(|| BenchError::new(format!("{} is not a linux-image package", package.name)))?;
    Ok(format!("./boot/vmlinuz-{release}"))
}

/// Extracts `inner` from `package` into `<build>/<name>_<version>/`, unless it is there.
fn extract_once(
    package: &Package,
    inner: &str,
    build: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<PathBuf> {
    let file_name = Path::new(inner)
        .file_name()
        .expect("a file path inside the package");
    let dest = build
        .join(format!("{}_{}", package.name, package.version))
        .join(file_name);
    if !dest.exists() {
        progress(&format!("extracting {inner} from {}", package.describe()));
        debian::extract_file(package, inner, &dest)?;
    }
    Ok(dest)
}

/// Builds `linux-bench` and `exit0` with the host's gcc unless their stamp matches the sources
/// and the compiler; returns their paths.
fn build_benchmark(
    sources: &Path,
    build: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<(PathBuf, PathBuf)> {
    let mut inputs = source_files(sources)?;
    inputs.sort();
    let compiler = gcc_version()?;

    let bench = build.join("linux-bench");
    let exit0 = build.join("exit0");
    let stamp = build.join("linux-bench.stamp");
    let mut digest = Digest::new();
    digest.text(&compiler);
    digest.text(&BENCH_CFLAGS.join(" "));
    digest.text(&EXIT0_CFLAGS.join(" "));
    for input in &inputs {
        digest.file(input)?;
    }
    if stamp_matches(&stamp, digest.finish(), &[&bench, &exit0]) {
        return Ok((bench, exit0));
    }

    progress("building the C benchmark");
    fs::create_dir_all(build).context(|| format!("creating {}", build.display()))?;
    let (exit0_sources, bench_sources): (Vec<&PathBuf>, Vec<&PathBuf>) = inputs
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .partition(|p| p.file_name().is_some_and(|n| n == EXIT0_SOURCE));
    gcc(&BENCH_CFLAGS, &bench_sources, &bench)?;
    gcc(&EXIT0_CFLAGS, &exit0_sources, &exit0)?;
    write_stamp(&stamp, digest.finish())?;
    Ok((bench, exit0))
}

/// The `.c` and `.h` files of the benchmark.
fn source_files(sources: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(sources).context(|| format!("reading {}", sources.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .context(|| format!("reading {}", sources.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "c" || e == "h") {
            files.push(path);
        }
    }
    Ok(files)
}

fn gcc_version() -> Result<String> {
    let output = Command::new("gcc")
        .arg("--version")
        .output()
        .context(|| "running gcc --version (gcc builds the Linux benchmark)".to_string())?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string())
}

fn gcc(flags: &[&str], sources: &[&PathBuf], output: &Path) -> Result<()> {
    let result = Command::new("gcc")
        .args(flags)
        .arg("-o")
        .arg(output)
        .args(sources)
        .output()
        .context(|| format!("running gcc for {}", output.display()))?;
    if !result.status.success() {
        return Err(BenchError::new(format!(
            "gcc failed building {}:\n{}",
            output.display(),
            String::from_utf8_lossy(&result.stderr)
        )));
    }
    Ok(())
}

/// Writes the initramfs holding `files` (path in the archive, file on the host), with the
/// directories above them and `/dev/console`, unless its stamp matches their contents.
fn pack_initramfs(
    files: &[(&str, &Path)],
    archive: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    let mut digest = Digest::new();
    let mut contents = Vec::new();
    for (inner, host) in files {
        let bytes = fs::read(host).context(|| format!("reading {}", host.display()))?;
        digest.text(inner);
        digest.bytes(&bytes);
        contents.push((*inner, bytes));
    }
    let stamp = archive.with_extension("stamp");
    if stamp_matches(&stamp, digest.finish(), &[archive]) {
        return Ok(());
    }

    progress("packing the initramfs");
    let out = File::create(archive).context(|| format!("creating {}", archive.display()))?;
    write_newc(BufWriter::new(out), &contents)
        .context(|| format!("writing {}", archive.display()))?;
    write_stamp(&stamp, digest.finish())
}

/// A newc archive of `files`: `/dev`, `/proc`, `/sys` and every parent directory, then
/// `/dev/console`, then the files, all owned by root with time 0.
fn write_newc<W: Write>(mut out: W, files: &[(&str, Vec<u8>)]) -> std::io::Result<W> {
    let mut directories: Vec<&str> = vec!["dev", "proc", "sys"];
    for (inner, _) in files {
        if let Some((parent, _)) = inner.rsplit_once('/') {
            directories.push(parent);
        }
    }
    directories.sort_unstable();
    directories.dedup();

    let mut inode = 0;
    let mut next_inode = || {
        inode += 1;
        inode
    };
    for directory in directories {
        let entry = cpio::NewcBuilder::new(directory)
            .ino(next_inode())
            .mode(MODE_DIRECTORY);
        out = entry.nlink(2).write(out, 0).finish()?;
    }
    let console = cpio::NewcBuilder::new("dev/console")
        .ino(next_inode())
        .mode(MODE_CONSOLE)
        .rdev_major(CONSOLE_DEVICE.0)
        .rdev_minor(CONSOLE_DEVICE.1);
    out = console.write(out, 0).finish()?;
    for (inner, bytes) in files {
        let entry = cpio::NewcBuilder::new(inner)
            .ino(next_inode())
            .mode(MODE_PROGRAM);
        let size = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
        let mut writer = entry.write(out, size);
        writer.write_all(bytes)?;
        out = writer.finish()?;
    }
    let mut out = cpio::newc::trailer(out)?;
    out.flush()?;
    Ok(out)
}

/// A digest of build inputs, to tell whether an output in the cache is current. Not
/// cryptographic: it guards against stale builds, not against tampering.
struct Digest(DefaultHasher);

impl Digest {
    fn new() -> Self {
        Self(DefaultHasher::new())
    }

    fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.write_usize(bytes.len());
        self.0.write(bytes);
    }

    fn file(&mut self, path: &Path) -> Result<()> {
        let bytes = fs::read(path).context(|| format!("reading {}", path.display()))?;
        self.text(&path.file_name().unwrap_or_default().to_string_lossy());
        self.bytes(&bytes);
        Ok(())
    }

    fn finish(&self) -> String {
        format!("{:016x}", self.0.finish())
    }
}

fn stamp_matches(stamp: &Path, digest: String, outputs: &[&Path]) -> bool {
    outputs.iter().all(|o| o.exists()) && fs::read_to_string(stamp).is_ok_and(|s| s == digest)
}

fn write_stamp(stamp: &Path, digest: String) -> Result<()> {
    fs::write(stamp, digest).context(|| format!("writing {}", stamp.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of a newc archive: (name, mode, size, rdev major, rdev minor, contents).
    fn entries(mut archive: &[u8]) -> Vec<(String, u32, u32, u32, u32, Vec<u8>)> {
        let mut found = Vec::new();
        loop {
            let mut reader = cpio::NewcReader::new(archive).expect("a valid entry");
            if reader.entry().is_trailer() {
                return found;
            }
            let e = reader.entry();
            let meta = (
                e.name().to_string(),
                e.mode(),
                e.file_size(),
                e.rdev_major(),
                e.rdev_minor(),
            );
            let mut contents = Vec::new();
            std::io::Read::read_to_end(&mut reader, &mut contents).expect("entry contents");
            found.push((meta.0, meta.1, meta.2, meta.3, meta.4, contents));
            archive = reader.finish().expect("next entry");
        }
    }

    #[test]
    fn initramfs_holds_directories_console_and_files() {
        let files = [
            ("init", b"#!/bin/busybox sh\n".to_vec()),
            ("bin/exit0", vec![0x7f, b'E']),
        ];
        let archive = write_newc(Vec::new(), &files).expect("an archive");
        let names: Vec<_> = entries(&archive)
            .into_iter()
            .map(|e| (e.0, e.1, e.3, e.4))
            .collect();
        assert_eq!(
            names,
            vec![
                ("bin".to_string(), MODE_DIRECTORY, 0, 0),
                ("dev".to_string(), MODE_DIRECTORY, 0, 0),
                ("proc".to_string(), MODE_DIRECTORY, 0, 0),
                ("sys".to_string(), MODE_DIRECTORY, 0, 0),
                ("dev/console".to_string(), MODE_CONSOLE, 5, 1),
                ("init".to_string(), MODE_PROGRAM, 0, 0),
                ("bin/exit0".to_string(), MODE_PROGRAM, 0, 0),
            ]
        );
        let init = entries(&archive)
            .into_iter()
            .find(|e| e.0 == "init")
            .expect("init");
        assert_eq!(init.5, b"#!/bin/busybox sh\n");
    }

    #[test]
    fn same_inputs_give_the_same_archive() {
        let files = [("bin/linux-bench", vec![1, 2, 3, 4, 5])];
        let first = write_newc(Vec::new(), &files).expect("an archive");
        let second = write_newc(Vec::new(), &files).expect("an archive");
        assert_eq!(first, second);
    }

    #[test]
    fn digest_changes_with_any_input() {
        let digest = |parts: &[&str]| {
            let mut d = Digest::new();
            parts.iter().for_each(|p| d.text(p));
            d.finish()
        };
        assert_eq!(digest(&["a", "b"]), digest(&["a", "b"]));
        assert_ne!(digest(&["a", "b"]), digest(&["a", "c"]));
        assert_ne!(digest(&["ab", ""]), digest(&["a", "b"]));
    }

    #[test]
    fn vmlinuz_is_named_after_the_release() {
        let package = Package {
            name: "linux-image-6.1.0-57-amd64".into(),
            version: "6.1.192-3".into(),
            deb: PathBuf::from("x.deb"),
        };
        assert_eq!(
            vmlinuz_path(&package).unwrap(),
            "./boot/vmlinuz-6.1.0-57-amd64"
        );
    }
}
