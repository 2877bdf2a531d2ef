//! Loading plans for ELF executables: which pages to map where, with which permissions.
//!
//! [`plan`] reads a static x86_64 executable (parsed with `xmas-elf`) and turns each
//! `PT_LOAD` segment into a [`Segment`]: a page-aligned range of the new address space, the
//! bytes of the file that go at its start, and the permissions from the segment's flags. It
//! refuses what the process builder could not load faithfully: other machines or classes,
//! position-independent or relocatable files, segments outside the user address range, overlap
//! between segments (two segments in one page would need one mapping with two permissions),
//! and file ranges past the end of the file.

use crate::vm::{PAGE_SIZE, USER_BASE, USER_END, VmOptions, round_down_page, round_up_page};
use alloc::vec::Vec;
use xmas_elf::ElfFile;
use xmas_elf::header::{Class, Machine, Type};
use xmas_elf::program::Type as SegmentType;

/// One `PT_LOAD` segment, page-aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The first page's address.
    pub address: usize,
    /// Bytes to map: whole pages covering the segment's memory size.
    pub size: usize,
    /// Where in the first page the segment starts (`p_vaddr % PAGE_SIZE`).
    pub page_offset: usize,
    /// Where the segment's bytes start in the file.
    pub file_offset: usize,
    /// How many bytes come from the file (the rest is zero: `.bss`).
    pub file_size: usize,
    /// `PERM_READ`, `PERM_WRITE`, `PERM_EXECUTE` from the segment flags.
    pub permissions: VmOptions,
}

/// How to load an executable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The entry point.
    pub entry: usize,
    /// The segments, in address order.
    pub segments: Vec<Segment>,
}

/// Why an ELF file cannot be loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfError {
    /// `xmas-elf` could not parse it.
    Parse(&'static str),
    /// Not a 64-bit x86_64 file.
    WrongMachine,
    /// Not a static executable (`ET_EXEC`).
    NotExecutable,
    /// No `PT_LOAD` segment.
    NoSegments,
    /// A segment outside the user address range, or with memory smaller than its file part.
    BadSegment,
    /// Two segments share a page.
    Overlap,
    /// A segment's file range is past the end of the file, or the program headers past the
    /// bytes given.
    Truncated,
    /// The entry point is not in an executable segment.
    BadEntry,
}

/// Plans the loading of an executable of `file_len` bytes from its first bytes, `headers`,
/// which must hold the ELF header and the program headers and start 8-byte aligned.
pub fn plan(headers: &[u8], file_len: usize) -> Result<Plan, ElfError> {
    let elf = ElfFile::new(headers).map_err(ElfError::Parse)?;
    let machine = elf.header.pt2.machine().as_machine();
    if elf.header.pt1.class() != Class::SixtyFour || machine != Machine::X86_64 {
        return Err(ElfError::WrongMachine);
    }
    if elf.header.pt2.type_().as_type() != Type::Executable {
        return Err(ElfError::NotExecutable);
    }

    let pt2 = &elf.header.pt2;
    let table_size = usize::from(pt2.ph_count()) * usize::from(pt2.ph_entry_size());
    let table_end = (pt2.ph_offset() as usize).checked_add(table_size);
    if table_end.is_none_or(|end| end > headers.len()) {
        return Err(ElfError::Truncated);
    }

    let mut segments = Vec::new();
    for header in elf.program_iter() {
        if header.get_type().map_err(ElfError::Parse)? != SegmentType::Load {
            continue;
        }
        segments.push(segment(
            header.virtual_addr(),
            header.mem_size(),
            header.offset(),
            header.file_size(),
            permissions(header.flags()),
            file_len,
        )?);
    }
    segments.sort_by_key(|segment| segment.address);
    check_layout(&segments)?;

    let entry = elf.header.pt2.entry_point() as usize;
    let executable = |s: &&Segment| s.permissions.contains(VmOptions::PERM_EXECUTE);
    let in_segment = |s: &Segment| (s.address + s.page_offset..s.address + s.size).contains(&entry);
    if !segments.iter().filter(executable).any(in_segment) {
        return Err(ElfError::BadEntry);
    }
    Ok(Plan { entry, segments })
}

/// One segment from its program header fields.
fn segment(
    vaddr: u64,
    mem_size: u64,
    offset: u64,
    file_size: u64,
    permissions: VmOptions,
    file_len: usize,
) -> Result<Segment, ElfError> {
    let (vaddr, mem_size) = (vaddr as usize, mem_size as usize);
    let (offset, file_size) = (offset as usize, file_size as usize);
    let end = vaddr.checked_add(mem_size).ok_or(ElfError::BadSegment)?;
    if vaddr < USER_BASE || end > USER_END || file_size > mem_size || mem_size == 0 {
        return Err(ElfError::BadSegment);
    }
    if offset
        .checked_add(file_size)
        .is_none_or(|file_end| file_end > file_len)
    {
        return Err(ElfError::Truncated);
    }
    let address = round_down_page(vaddr);
    Ok(Segment {
        address,
        size: round_up_page(end) - address,
        page_offset: vaddr - address,
        file_offset: offset,
        file_size,
        permissions,
    })
}

/// The mapping permissions of ELF segment flags.
fn permissions(flags: xmas_elf::program::Flags) -> VmOptions {
    let mut permissions = VmOptions::empty();
    permissions.set(VmOptions::PERM_READ, flags.is_read());
    permissions.set(VmOptions::PERM_WRITE, flags.is_write());
    permissions.set(VmOptions::PERM_EXECUTE, flags.is_execute());
    permissions
}

/// Checks that sorted segments exist and share no page.
fn check_layout(segments: &[Segment]) -> Result<(), ElfError> {
    if segments.is_empty() {
        return Err(ElfError::NoSegments);
    }
    for pair in segments.windows(2) {
        if pair[0].address + pair[0].size > pair[1].address {
            return Err(ElfError::Overlap);
        }
    }
    debug_assert!(segments.iter().all(|s| s.address % PAGE_SIZE == 0));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EHDR_SIZE: usize = 64;
    const PHDR_SIZE: usize = 56;
    const PT_LOAD: u32 = 1;
    const PT_NOTE: u32 = 4;
    const PF_X: u32 = 1;
    const PF_W: u32 = 2;
    const PF_R: u32 = 4;

    /// A program header: (type, flags, offset, vaddr, file size, memory size).
    type Phdr = (u32, u32, u64, u64, u64, u64);

    /// A minimal ELF64 file: header, program headers, then zeros up to `len` bytes.
    fn elf(elf_type: u16, machine: u16, entry: u64, phdrs: &[Phdr], len: usize) -> Vec<u64> {
        let mut bytes = vec![0u8; len];
        bytes[..4].copy_from_slice(b"\x7fELF");
        bytes[4] = 2; // ELFCLASS64
        bytes[5] = 1; // little-endian
        bytes[6] = 1; // EV_CURRENT
        bytes[16..18].copy_from_slice(&elf_type.to_le_bytes());
        bytes[18..20].copy_from_slice(&machine.to_le_bytes());
        bytes[20..24].copy_from_slice(&1u32.to_le_bytes());
        bytes[24..32].copy_from_slice(&entry.to_le_bytes());
        bytes[32..40].copy_from_slice(&(EHDR_SIZE as u64).to_le_bytes());
        bytes[52..54].copy_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
        bytes[54..56].copy_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
        bytes[56..58].copy_from_slice(&(phdrs.len() as u16).to_le_bytes());
        for (i, &(kind, flags, offset, vaddr, file_size, mem_size)) in phdrs.iter().enumerate() {
            let at = EHDR_SIZE + i * PHDR_SIZE;
            let fields = [offset, vaddr, vaddr, file_size, mem_size, PAGE_SIZE as u64];
            bytes[at..at + 4].copy_from_slice(&kind.to_le_bytes());
            bytes[at + 4..at + 8].copy_from_slice(&flags.to_le_bytes());
            for (j, field) in fields.iter().enumerate() {
                bytes[at + 8 + j * 8..at + 16 + j * 8].copy_from_slice(&field.to_le_bytes());
            }
        }
        // Words, so that the bytes start 8-byte aligned as `plan` requires.
        bytes
            .chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn bytes_of(words: &[u64]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn plan_of(words: &[u64]) -> Result<Plan, ElfError> {
        // Copy into an 8-aligned buffer: the same trick the process builder uses.
        let bytes = bytes_of(words);
        let mut buffer = vec![0u8; bytes.len() + 8];
        let start = buffer.as_ptr().align_offset(8);
        buffer[start..start + bytes.len()].copy_from_slice(&bytes);
        plan(&buffer[start..start + bytes.len()], bytes.len())
    }

    const EXEC: u16 = 2;
    const DYN: u16 = 3;
    const X86_64: u16 = 62;
    const AARCH64: u16 = 183;
    const BASE: u64 = 0x2000_0000;

    #[test]
    fn text_and_data_segments_become_page_aligned_mappings() {
        let text = (PT_LOAD, PF_R | PF_X, 0x1000, BASE + 0x1000, 0x1800, 0x1800);
        let note = (PT_NOTE, PF_R, 0, 0, 0, 0);
        let data = (PT_LOAD, PF_R | PF_W, 0x2800, BASE + 0x3800, 0x100, 0x2000);
        let file = elf(EXEC, X86_64, BASE + 0x1010, &[data, note, text], 0x3000);
        let plan = plan_of(&file).unwrap();
        assert_eq!(plan.entry, (BASE + 0x1010) as usize);
        let [text, data] = plan.segments.as_slice() else {
            panic!("two segments")
        };
        assert_eq!(
            (text.address, text.size),
            ((BASE + 0x1000) as usize, 0x2000)
        );
        assert_eq!(
            (text.page_offset, text.file_offset, text.file_size),
            (0, 0x1000, 0x1800)
        );
        assert_eq!(
            text.permissions,
            VmOptions::PERM_READ | VmOptions::PERM_EXECUTE
        );
        assert_eq!(
            (data.address, data.page_offset),
            ((BASE + 0x3000) as usize, 0x800)
        );
        assert_eq!(data.size, 0x3000);
        assert_eq!(data.permissions, VmOptions::PERM_RW);
    }

    #[test]
    fn other_machines_and_relocatable_files_are_refused() {
        let text = (PT_LOAD, PF_R | PF_X, 0, BASE, 0x100, 0x100);
        assert_eq!(
            plan_of(&elf(EXEC, AARCH64, BASE, &[text], 0x1000)),
            Err(ElfError::WrongMachine)
        );
        assert_eq!(
            plan_of(&elf(DYN, X86_64, BASE, &[text], 0x1000)),
            Err(ElfError::NotExecutable)
        );
    }

    #[test]
    fn segments_outside_user_space_or_past_the_file_are_refused() {
        let low = (PT_LOAD, PF_R | PF_X, 0, 0x1000, 0x100, 0x100);
        assert_eq!(
            plan_of(&elf(EXEC, X86_64, 0x1000, &[low], 0x1000)),
            Err(ElfError::BadSegment)
        );
        let kernel_half = crate::vm::KERNEL_ADDRESS as u64;
        let kernel = (PT_LOAD, PF_R, 0, kernel_half, 0x100, 0x100);
        let file = elf(EXEC, X86_64, BASE, &[kernel], 0x1000);
        assert_eq!(plan_of(&file), Err(ElfError::BadSegment));
        let long = (PT_LOAD, PF_R | PF_X, 0x800, BASE, 0x1000, 0x1000);
        assert_eq!(
            plan_of(&elf(EXEC, X86_64, BASE, &[long], 0x1000)),
            Err(ElfError::Truncated)
        );
    }

    #[test]
    fn program_headers_past_the_given_bytes_are_truncated() {
        let text = (PT_LOAD, PF_R | PF_X, 0, BASE, 0x100, 0x100);
        let bytes = bytes_of(&elf(EXEC, X86_64, BASE, &[text], 0x1000));
        let mut buffer = vec![0u8; 0x1000 + 8];
        let start = buffer.as_ptr().align_offset(8);
        buffer[start..start + 0x1000].copy_from_slice(&bytes);
        let headers = &buffer[start..start + EHDR_SIZE + PHDR_SIZE - 1];
        assert_eq!(plan(headers, 0x1000), Err(ElfError::Truncated));
        assert!(plan(&buffer[start..start + EHDR_SIZE + PHDR_SIZE], 0x1000).is_ok());
    }

    #[test]
    fn segments_sharing_a_page_are_refused() {
        let text = (PT_LOAD, PF_R | PF_X, 0, BASE, 0x100, 0x100);
        let data = (PT_LOAD, PF_R | PF_W, 0x100, BASE + 0x100, 0x100, 0x100);
        let file = elf(EXEC, X86_64, BASE, &[text, data], 0x1000);
        assert_eq!(plan_of(&file), Err(ElfError::Overlap));
    }

    #[test]
    fn the_entry_must_be_in_an_executable_segment() {
        let data = (PT_LOAD, PF_R | PF_W, 0, BASE, 0x100, 0x100);
        assert_eq!(
            plan_of(&elf(EXEC, X86_64, BASE, &[data], 0x1000)),
            Err(ElfError::BadEntry)
        );
        assert_eq!(
            plan_of(&elf(EXEC, X86_64, BASE, &[], 0x1000)),
            Err(ElfError::NoSegments)
        );
    }
}
