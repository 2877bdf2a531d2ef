//! Loading an ELF program into a process, and starting `init` with its bootstrap message.
//!
//! Only `init` is loaded by the kernel; every other process is loaded by user space from the
//! program VMOs `init` receives. Each loadable segment gets a VMO holding its bytes (the rest
//! zero, which covers `.bss`), mapped at its link address with the segment's permissions; the
//! stack is a separate VMO mapped where the root VMAR places it. The bootstrap message layout
//! is `syscalls::abi::bootstrap`'s.

use crate::memory::physical::KernelPhysicalMemory;
use crate::programs::PROGRAMS;
use alloc::sync::Arc;
use alloc::vec::Vec;
use objects::handle::Handle;
use objects::ipc::{Channel, Message};
use objects::task::{Job, Process, Thread};
use objects::vm::{PAGE_SIZE, VmOptions, Vmar, Vmo, VmoOptions};
use objects::{Rights, Status, ZxResult};
use syscalls::abi::bootstrap::{BOOTSTRAP_MAGIC, BOOTSTRAP_VERSION, BootstrapHeader};
use xmas_elf::ElfFile;
use xmas_elf::program::{ProgramHeader, Type};

/// Size of `init`'s stack.
const INIT_STACK_SIZE: usize = 256 * 1024;
/// `init` starts 8 bytes below a 16-byte boundary, as right after a `call`.
const ENTRY_STACK_BIAS: usize = 8;

/// Why a program could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file is not an ELF executable this kernel can load.
    BadElf(&'static str),
    /// An object operation failed.
    Object(Status),
}

impl core::fmt::Display for LoadError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LoadError::BadElf(why) => write!(f, "not a loadable ELF executable: {why}"),
            LoadError::Object(status) => write!(f, "{status}"),
        }
    }
}

impl From<Status> for LoadError {
    fn from(status: Status) -> Self {
        LoadError::Object(status)
    }
}

/// Maps every loadable segment of `elf` into `vmar`; returns the entry point.
pub fn load_elf(vmar: &Arc<Vmar>, elf: &[u8]) -> Result<usize, LoadError> {
    let file = ElfFile::new(elf).map_err(LoadError::BadElf)?;
    for header in file
        .program_iter()
        .filter(|h| h.get_type() == Ok(Type::Load))
    {
        load_segment(vmar, elf, &header)?;
    }
    Ok(file.header.pt2.entry_point() as usize)
}

fn load_segment(vmar: &Arc<Vmar>, elf: &[u8], header: &ProgramHeader) -> Result<(), LoadError> {
    let vaddr = header.virtual_addr() as usize;
    let page_start = vaddr & !(PAGE_SIZE - 1);
    let lead = vaddr - page_start;
    let size = (lead + header.mem_size() as usize).next_multiple_of(PAGE_SIZE);
    let file_range = header.offset() as usize..(header.offset() + header.file_size()) as usize;
    let bytes = elf
        .get(file_range)
        .ok_or(LoadError::BadElf("segment past the end of the file"))?;
    let offset = page_start
        .checked_sub(vmar.base())
        .ok_or(LoadError::BadElf("segment below the user half"))?;

    let vmo = Vmo::create(
        Arc::new(KernelPhysicalMemory),
        size as u64,
        VmoOptions::empty(),
    )?;
    vmo.write(lead as u64, bytes)?;
    let flags = header.flags();
    let mut options = VmOptions::SPECIFIC;
    options.set(VmOptions::PERM_READ, flags.is_read());
    options.set(VmOptions::PERM_WRITE, flags.is_write());
    options.set(VmOptions::PERM_EXECUTE, flags.is_execute());
    vmar.map(options, offset, &vmo, 0, size, Rights::all(), Rights::all())?;
    Ok(())
}

/// Maps a stack of `size` bytes; returns the initial stack pointer.
fn map_stack(vmar: &Arc<Vmar>, size: usize) -> ZxResult<usize> {
    let vmo = Vmo::create(
        Arc::new(KernelPhysicalMemory),
        size as u64,
        VmoOptions::empty(),
    )?;
    let options = VmOptions::PERM_READ | VmOptions::PERM_WRITE;
    let base = vmar.map(options, 0, &vmo, 0, size, Rights::all(), Rights::all())?;
    Ok(base + size - ENTRY_STACK_BIAS)
}

/// Creates and starts `init` in `root_job`, with the bootstrap message carrying `cmdline`.
pub fn start_init(root_job: &Arc<Job>, cmdline: &str) -> Result<(), LoadError> {
    let init = crate::programs::find("init").ok_or(LoadError::BadElf("no init program"))?;
    let (process, vmar) = Process::create(root_job, b"init")?;
    let entry = load_elf(&vmar, init.elf)?;
    let stack = map_stack(&vmar, INIT_STACK_SIZE)?;
    let thread = Thread::create(&process, b"init")?;

    let (kernel_end, init_end) = Channel::new();
    let handles = bootstrap_handles(root_job, &process, &vmar, &thread)?;
    kernel_end.write(Message::new(bootstrap_bytes(cmdline), handles)?)?;
    let init_end = Handle::new(init_end, Rights::DEFAULT_CHANNEL);
    Process::start(&process, &thread, entry, stack, Some(init_end), 0)?;
    log::info!("started init ({} programs in the image)", PROGRAMS.len());
    Ok(())
}

fn bootstrap_handles(
    root_job: &Arc<Job>,
    process: &Arc<Process>,
    vmar: &Arc<Vmar>,
    thread: &Arc<Thread>,
) -> ZxResult<Vec<Handle>> {
    let mut handles = Vec::with_capacity(4 + PROGRAMS.len());
    handles.push(Handle::new(process.clone(), Rights::DEFAULT_PROCESS));
    handles.push(Handle::new(vmar.clone(), vmar.default_rights()));
    handles.push(Handle::new(root_job.clone(), Rights::DEFAULT_JOB));
    handles.push(Handle::new(thread.clone(), Rights::DEFAULT_THREAD));
    for program in PROGRAMS {
        let vmo = Vmo::create(
            Arc::new(KernelPhysicalMemory),
            program.elf.len() as u64,
            VmoOptions::empty(),
        )?;
        vmo.write(0, program.elf)?;
        handles.push(Handle::new(vmo, Rights::DEFAULT_VMO | Rights::EXECUTE));
    }
    Ok(handles)
}

fn bootstrap_bytes(cmdline: &str) -> Vec<u8> {
    let names_len: usize = PROGRAMS.iter().map(|program| program.name.len() + 1).sum();
    let header = BootstrapHeader {
        magic: BOOTSTRAP_MAGIC,
        version: BOOTSTRAP_VERSION,
        handle_count: (4 + PROGRAMS.len()) as u32,
        cmdline_len: cmdline.len() as u32,
        program_count: PROGRAMS.len() as u32,
        names_len: names_len as u32,
    };
    let mut bytes = Vec::with_capacity(BootstrapHeader::SIZE + cmdline.len() + names_len);
    bytes.extend_from_slice(&header.to_bytes());
    bytes.extend_from_slice(cmdline.as_bytes());
    for program in PROGRAMS {
        bytes.extend_from_slice(program.name.as_bytes());
        bytes.push(0);
    }
    bytes
}
