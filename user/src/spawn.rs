//! The process builder: starts a program from its ELF file in a VMO.
//!
//! [`ProcessBuilder::spawn`] plans the ELF (see [`crate::elf`]), creates the process in the
//! given job, copies each segment into a fresh VMO mapped at its address (`ZX_VM_SPECIFIC` at
//! `address - root VMAR base`, permissions from the segment flags), maps a stack, creates the
//! first thread and a channel, writes the startup message (see [`crate::startup`]) on one end
//! and starts the process with the other end as its first argument:
//!
//! - `rdi` = the startup channel, `rsi` = 0;
//! - `rsp` = top of a fresh stack minus 8 (the top is 16-byte aligned, so the entry sees the
//!   stack as right after a `call`);
//! - `rip` = the ELF entry point; every other register zero.

use crate::channel::Channel;
use crate::elf::{self, Plan};
use crate::handle::{Handle, HandleBased};
use crate::rights::Rights;
use crate::startup;
use crate::status::{Status, ZxResult};
use crate::task::{Job, Process, Thread};
use crate::vm::{VmOptions, round_up_page};
use crate::vmar::Vmar;
use crate::vmo::Vmo;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// The stack size of a new process's first thread.
pub const DEFAULT_STACK_SIZE: usize = 256 * 1024;

/// Builds and starts one process.
#[derive(Debug)]
pub struct ProcessBuilder<'a> {
    job: &'a Job,
    name: String,
    elf: &'a Vmo,
    args: Vec<String>,
    handles: Vec<Handle>,
    stack_size: usize,
}

/// A process the builder started.
#[derive(Debug)]
pub struct Spawned {
    /// The process.
    pub process: Process,
    /// Its first thread.
    pub thread: Thread,
}

impl<'a> ProcessBuilder<'a> {
    /// A process named `name` in `job`, running the executable in `elf`.
    pub fn new(job: &'a Job, name: &str, elf: &'a Vmo) -> Self {
        ProcessBuilder {
            job,
            name: String::from(name),
            elf,
            args: Vec::new(),
            handles: Vec::new(),
            stack_size: DEFAULT_STACK_SIZE,
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(String::from(arg));
        self
    }

    /// Adds several arguments.
    pub fn args<'s>(mut self, args: impl IntoIterator<Item = &'s str>) -> Self {
        self.args.extend(args.into_iter().map(String::from));
        self
    }

    /// Adds a handle (the child finds it in `Startup::handles`, in the order added).
    pub fn handle(mut self, handle: impl Into<Handle>) -> Self {
        self.handles.push(handle.into());
        self
    }

    /// Sets the first thread's stack size.
    pub fn stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = bytes;
        self
    }

    /// Creates, loads and starts the process.
    pub fn spawn(self) -> ZxResult<Spawned> {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let message = startup::encode(&args, self.handles.len()).map_err(|_| Status::OutOfRange)?;
        let file_len = usize::try_from(self.elf.size()?).map_err(|_| Status::OutOfRange)?;
        let headers = read_aligned(self.elf, file_len.min(HEADERS_READ))?;
        let plan = elf::plan(aligned(&headers), file_len).map_err(|_| Status::InvalidArgs)?;

        let (process, vmar) = self.job.create_process(&self.name)?;
        load(&vmar, &plan, self.elf)?;
        let stack_top = map_stack(&vmar, self.stack_size)?;
        let thread = process.create_thread(&self.name)?;

        let (ours, theirs) = Channel::create()?;
        let mut handles = vec![
            process.duplicate(Rights::SAME_RIGHTS)?.into_handle(),
            vmar.into_handle(),
            thread.duplicate(Rights::SAME_RIGHTS)?.into_handle(),
        ];
        handles.extend(self.handles);
        ours.write(&message, handles)?;
        process.start(&thread, plan.entry, stack_top - 8, theirs.into(), 0)?;
        Ok(Spawned { process, thread })
    }
}

/// Bytes read from the start of an ELF file to find its headers: the linker puts the
/// program headers right after the ELF header.
const HEADERS_READ: usize = 4096;

/// The first `size` bytes of `vmo`, with 8 spare bytes so that an 8-aligned view of them
/// exists.
fn read_aligned(vmo: &Vmo, size: usize) -> ZxResult<Vec<u8>> {
    let mut buffer = vec![0; size + 8];
    let start = buffer.as_ptr().align_offset(8);
    vmo.read(&mut buffer[start..start + size], 0)?;
    Ok(buffer)
}

/// The 8-aligned view of a buffer from [`read_aligned`] (`xmas-elf` reads headers in place).
fn aligned(buffer: &[u8]) -> &[u8] {
    let start = buffer.as_ptr().align_offset(8);
    &buffer[start..buffer.len() - 8 + start]
}

/// Maps every segment of `plan` into `vmar`. Read-only and executable segments are mapped
/// straight from the program's VMO (the only VMOs with `ZX_RIGHT_EXECUTE`; ELF keeps file
/// offsets and addresses congruent modulo the page size); writable segments get a private
/// copy of their bytes in a fresh VMO, zero-filled past the file part (`.bss`).
fn load(vmar: &Vmar, plan: &Plan, elf: &Vmo) -> ZxResult {
    let base = vmar.info()?.base;
    let elf_size = elf.size()? as usize;
    for segment in &plan.segments {
        let options = VmOptions::SPECIFIC | segment.permissions;
        let offset = segment
            .address
            .checked_sub(base)
            .ok_or(Status::OutOfRange)?;
        let file_start = segment.file_offset - segment.page_offset;
        let shareable = !segment.permissions.contains(VmOptions::PERM_WRITE)
            && file_start + segment.size <= elf_size;
        if shareable {
            vmar.map(options, offset, elf, file_start as u64, segment.size)?;
            continue;
        }
        let vmo = Vmo::create(segment.size as u64)?;
        let mut bytes = vec![0; segment.file_size];
        elf.read(&mut bytes, segment.file_offset as u64)?;
        vmo.write(&bytes, segment.page_offset as u64)?;
        vmar.map(options, offset, &vmo, 0, segment.size)?;
    }
    Ok(())
}

/// Maps a stack of `size` bytes in `vmar`; returns its 16-byte aligned top.
fn map_stack(vmar: &Vmar, size: usize) -> ZxResult<usize> {
    let size = round_up_page(size);
    let vmo = Vmo::create(size as u64)?;
    let address = vmar.map(VmOptions::PERM_RW, 0, &vmo, 0, size)?;
    Ok(address + size)
}
