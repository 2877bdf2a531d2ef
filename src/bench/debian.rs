//! Debian packages for the Linux guest, fetched with `apt-get download` into the cache and
//! opened with `dpkg-deb`; nothing is installed on the host.
//!
//! The kernel is the one Debian's `linux-image-amd64` metapackage points to for the host's
//! release (e.g. `linux-image-6.1.0-57-amd64` on bookworm), so a run measures the kernel a
//! Debian user of that release gets. A package is downloaded only when no `.deb` of its
//! candidate version is in the cache; when apt cannot answer (no package lists, no network),
//! the newest cached `.deb` of the package is used instead.
//!
//! Invariant: a [`Package`] names a `.deb` file that exists in the cache, and its `name` and
//! `version` are read from that file's name, which `apt-get download` writes as
//! `<name>_<version>_<arch>.deb` with `:` escaped as `%3a`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::error::{BenchError, Context, Result};

/// The metapackage that depends on the current kernel image of the Debian release.
pub const KERNEL_METAPACKAGE: &str = "linux-image-amd64";

/// Busybox linked statically: the guest's shell and `poweroff`, in one file.
pub const BUSYBOX_PACKAGE: &str = "busybox-static";

/// A Debian package in the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// The package name, e.g. `linux-image-6.1.0-57-amd64`.
    pub name: String,
    /// The Debian version, e.g. `6.1.192-3`.
    pub version: String,
    /// The `.deb` file.
    pub deb: PathBuf,
}

impl Package {
    /// "name version", as the report shows it.
    pub fn describe(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// The kernel image package `linux-image-amd64` depends on, e.g. `linux-image-6.1.0-57-amd64`.
pub fn current_kernel_package() -> Result<String> {
    let text = apt_cache(&["depends", KERNEL_METAPACKAGE])?;
    kernel_from_depends(&text).ok_or_else(|| {
        BenchError::new(format!(
            "apt-cache names no kernel image that {KERNEL_METAPACKAGE} depends on \
             (run `apt-get update` once to fetch Debian's package lists)"
        ))
    })
}

/// The `.deb` of `name`'s candidate version, downloaded into `debs` unless it is there already
/// (telling `progress` when it downloads). When apt cannot say which version is current, falls
/// back to the newest cached `.deb`.
pub fn fetch(name: &str, debs: &Path, progress: &mut dyn FnMut(&str)) -> Result<Package> {
    fs::create_dir_all(debs).context(|| format!("creating {}", debs.display()))?;
    let version = match candidate_version(name) {
        Ok(version) => version,
        Err(err) => {
            return newest_cached(name, debs)
                .ok_or_else(|| BenchError::caused_by(format!("{name} is not in the cache"), err));
        }
    };
    if let Some(package) = cached(name, debs)
        .into_iter()
        .find(|p| p.version == version)
    {
        return Ok(package);
    }

    progress(&format!("downloading {name} {version}"));
    let output = Command::new("apt-get")
        .args(["download", &format!("{name}={version}")])
        .current_dir(debs)
        .stdin(Stdio::null())
        .output()
        .context(|| format!("running apt-get download {name}"))?;
    if !output.status.success() {
        return Err(BenchError::new(format!(
            "apt-get download {name}={version} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    cached(name, debs)
        .into_iter()
        .find(|p| p.version == version)
        .ok_or_else(|| {
            BenchError::new(format!("apt-get download left no .deb of {name} {version}"))
        })
}

/// The newest cached `.deb` whose package name starts with `prefix` (by file time), for when
/// apt cannot be asked which kernel is current.
pub fn newest_cached_with_prefix(prefix: &str, debs: &Path) -> Option<Package> {
    let entries = fs::read_dir(debs).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let package = package_of_file(&e.path())?;
            let modified = e.metadata().and_then(|m| m.modified()).ok()?;
            package
                .name
                .starts_with(prefix)
                .then_some((modified, package))
        })
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, package)| package)
}

/// Copies the file at `inner` (a path inside the package, e.g. `./boot/vmlinuz-6.1.0-57-amd64`)
/// out of the `.deb` to `dest`, without unpacking the rest. `dest` appears only once complete.
pub fn extract_file(package: &Package, inner: &str, dest: &Path) -> Result<()> {
    let mut tarball = Command::new("dpkg-deb")
        .arg("--fsys-tarfile")
        .arg(&package.deb)
        .stdout(Stdio::piped())
        .spawn()
        .context(|| format!("running dpkg-deb on {}", package.deb.display()))?;
    let tar_input = tarball.stdout.take().expect("stdout is piped");
    let output = Command::new("tar")
        .args(["-x", "-O", "-f", "-", inner])
        .stdin(tar_input)
        .output()
        .context(|| "running tar".to_string())?;
    let unpacked = tarball
        .wait()
        .context(|| "waiting for dpkg-deb".to_string())?;

    if !output.status.success() || !unpacked.success() || output.stdout.is_empty() {
        return Err(BenchError::new(format!(
            "{inner} could not be extracted from {}: {}",
            package.deb.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    if let Some(dir) = dest.parent() {
        fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
    }
    // Written aside and renamed, so an interrupted run never leaves a partial file that a later
    // run would take for a complete one.
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    let partial = dest.with_file_name(format!("{name}.partial"));
    fs::write(&partial, &output.stdout).context(|| format!("writing {}", partial.display()))?;
    fs::rename(&partial, dest).context(|| format!("renaming to {}", dest.display()))
}

/// The version apt would install of `name` (`apt-cache policy`'s "Candidate:").
fn candidate_version(name: &str) -> Result<String> {
    let text = apt_cache(&["policy", name])?;
    candidate_from_policy(&text)
        .ok_or_else(|| BenchError::new(format!("apt-cache knows no candidate version of {name}")))
}

/// The `.deb` files of `name` in `debs`.
fn cached(name: &str, debs: &Path) -> Vec<Package> {
    let Ok(entries) = fs::read_dir(debs) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| package_of_file(&e.path()))
        .filter(|p| p.name == name)
        .collect()
}

fn newest_cached(name: &str, debs: &Path) -> Option<Package> {
    newest_cached_with_prefix(name, debs).filter(|p| p.name == name)
}

fn apt_cache(args: &[&str]) -> Result<String> {
    let output = Command::new("apt-cache")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context(|| format!("running apt-cache {}", args.join(" ")))?;
    if !output.status.success() {
        return Err(BenchError::new(format!(
            "apt-cache {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Reads `apt-cache depends linux-image-amd64`'s first "Depends: linux-image-…" line.
fn kernel_from_depends(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.trim().trim_start_matches('|').strip_prefix("Depends:"))
        .map(str::trim)
        .find(|name| name.starts_with("linux-image-") && !name.contains(' '))
        .map(str::to_string)
}

/// Reads "Candidate: <version>" from `apt-cache policy`; "(none)" means there is none.
fn candidate_from_policy(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("Candidate:"))
        .map(str::trim)
        .find(|version| !version.is_empty() && *version != "(none)")
        .map(str::to_string)
}

/// The package a `.deb` file holds, read from its name `<name>_<version>_<arch>.deb`.
fn package_of_file(path: &Path) -> Option<Package> {
    let file = path.file_name()?.to_str()?.strip_suffix(".deb")?;
    let mut parts = file.split('_');
    let (name, version, _arch) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || name.is_empty() || version.is_empty() {
        return None;
    }
    Some(Package {
        name: name.to_string(),
        version: version.replace("%3a", ":").replace("%3A", ":"),
        deb: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_is_the_image_the_metapackage_depends_on() {
        let text = "linux-image-amd64\n  Depends: linux-image-6.1.0-57-amd64\n";
        assert_eq!(
            kernel_from_depends(text).as_deref(),
            Some("linux-image-6.1.0-57-amd64")
        );
        assert_eq!(kernel_from_depends("linux-image-amd64\n"), None);
    }

    #[test]
    fn candidate_version_is_read_from_policy() {
        let text = "busybox-static:\n  Installed: (none)\n  Candidate: 1:1.35.0-4+deb12u1+b1\n";
        assert_eq!(
            candidate_from_policy(text).as_deref(),
            Some("1:1.35.0-4+deb12u1+b1")
        );
        assert_eq!(
            candidate_from_policy("x:\n  Installed: (none)\n  Candidate: (none)\n"),
            None
        );
    }

    #[test]
    fn deb_file_names_give_name_and_unescaped_version() {
        let path = Path::new("/c/busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb");
        let package = package_of_file(path).expect("a package file");
        assert_eq!(package.name, "busybox-static");
        assert_eq!(package.version, "1:1.35.0-4+deb12u1+b1");
        assert_eq!(package.describe(), "busybox-static 1:1.35.0-4+deb12u1+b1");
        assert_eq!(package_of_file(Path::new("/c/notes.txt")), None);
        assert_eq!(package_of_file(Path::new("/c/a_b.deb")), None);
    }
}
