//! Page protections of the kernel image.
//!
//! The kernel's ELF program headers say what each loaded segment may do: text is read and
//! execute, read-only data is read only, data and bss are read and write but never execute.
//! Boot reads the headers of the image the bootloader loaded and makes every page's entry say
//! exactly that (write protection also binds the kernel itself, since CR0.WP is set), so a stray
//! write into code or constants faults instead of corrupting the kernel silently.

use super::{phys_to_virt, with_kernel_page_table};
use x86_64::PhysAddr;
use x86_64::VirtAddr;
use x86_64::registers::control::{Cr0, Cr0Flags, Efer, EferFlags};
use x86_64::structures::paging::mapper::{MappedFrame, TranslateResult};
use x86_64::structures::paging::{Mapper, Page, PageTableFlags, Size4KiB, Translate};
use xmas_elf::ElfFile;
use xmas_elf::program::{ProgramHeader, Type};

/// Makes the page protections of every loaded segment match its ELF flags.
pub fn enforce_protections(kernel_phys: u64, kernel_len: u64) {
    assert!(
        Cr0::read().contains(Cr0Flags::WRITE_PROTECT),
        "CR0.WP must be set"
    );
    assert!(
        Efer::read().contains(EferFlags::NO_EXECUTE_ENABLE),
        "EFER.NXE must be set"
    );

    let image = phys_to_virt(PhysAddr::new(kernel_phys)).as_ptr::<u8>();
    // SAFETY: the bootloader reports the kernel ELF file at this physical range, which it keeps
    // reserved; the direct map makes it readable.
    let image = unsafe { core::slice::from_raw_parts(image, kernel_len as usize) };
    let elf = ElfFile::new(image).expect("the kernel image is a valid ELF file");

    let mut changed = 0;
    for header in elf
        .program_iter()
        .filter(|h| h.get_type() == Ok(Type::Load))
    {
        changed += enforce_segment(&header);
    }
    log::info!("kernel image: text R-X, rodata R--, data RW- enforced ({changed} pages fixed)");
}

/// Sets the flags of one segment's pages; returns how many pages needed a change.
fn enforce_segment(header: &ProgramHeader) -> usize {
    let flags = header.flags();
    let start = VirtAddr::new(header.virtual_addr());
    let end = start + header.mem_size();
    let pages = Page::<Size4KiB>::range_inclusive(
        Page::containing_address(start),
        Page::containing_address(end - 1u64),
    );
    let mut changed = 0;
    with_kernel_page_table(|table| {
        for page in pages {
            let TranslateResult::Mapped {
                frame: MappedFrame::Size4KiB(_),
                flags: old,
                ..
            } = table.translate(page.start_address())
            else {
                panic!(
                    "kernel page {:?} is not mapped with 4 KiB pages",
                    page.start_address()
                );
            };
            let mut new = old - PageTableFlags::WRITABLE - PageTableFlags::NO_EXECUTE;
            new.set(PageTableFlags::WRITABLE, flags.is_write());
            new.set(PageTableFlags::NO_EXECUTE, !flags.is_execute());
            if new != old {
                // SAFETY: the page belongs to the kernel image, and the new flags are exactly
                // what its segment allows, so no live access is broken.
                unsafe { table.update_flags(page, new) }
                    .expect("page is mapped")
                    .flush();
                changed += 1;
            }
        }
    });
    changed
}
