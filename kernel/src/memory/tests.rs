//! In-kernel tests of the frame allocator, the heap and the kernel image's protections.

use super::frame_allocator::{BadFree, FRAME_SIZE};
use super::{allocate_zeroed_frame, frame_stats, free_frame, heap, phys_to_virt, try_free_frame};
use crate::arch::x86_64::{exception, fixup, probe};
use crate::{check, check_eq, kernel_test};
use alloc::vec::Vec;
use x86_64::PhysAddr;
use x86_64::structures::paging::{PageTableFlags, PhysFrame};

/// Page-fault error code bits (Intel SDM Vol. 3A, Figure 4-12).
const PF_PRESENT: u64 = 1 << 0;
const PF_WRITE: u64 = 1 << 1;

/// A constant that lands in the read-only data segment.
static READ_ONLY: [u8; 64] = [0x5a; 64];
/// A variable that lands in the data segment.
static mut WRITABLE: [u8; 64] = [0; 64];

kernel_test! {
    fn frames_allocated_and_freed_come_back() -> TestResult {
        const COUNT: usize = 1000;
        let before = frame_stats();
        let frames: Vec<_> = (0..COUNT).filter_map(|_| allocate_zeroed_frame()).collect();
        check_eq!(frames.len(), COUNT);
        check_eq!(frame_stats().free, before.free - COUNT as u64);

        let mut addresses: Vec<_> = frames.iter().map(|f| f.start_address().as_u64()).collect();
        addresses.sort_unstable();
        addresses.dedup();
        check!(addresses.len() == COUNT, "a frame was handed out twice");
        check!(addresses.iter().all(|a| a % FRAME_SIZE == 0 && *a >= 0x10_0000));

        frames.into_iter().for_each(free_frame);
        check_eq!(frame_stats(), before);
        Ok(())
    }
}

kernel_test! {
    fn freed_frames_are_reused_and_zeroed() -> TestResult {
        let frame = allocate_zeroed_frame().ok_or("out of frames")?;
        let page = phys_to_virt(frame.start_address()).as_mut_ptr::<u8>();
        // SAFETY: the frame is ours until freed, and the direct map makes it writable.
        unsafe { core::ptr::write_bytes(page, 0xab, FRAME_SIZE as usize) };
        free_frame(frame);

        let again = allocate_zeroed_frame().ok_or("out of frames")?;
        check_eq!(again, frame);
        let page = phys_to_virt(again.start_address()).as_ptr::<u8>();
        // SAFETY: the frame is ours, mapped through the direct map.
        let bytes = unsafe { core::slice::from_raw_parts(page, FRAME_SIZE as usize) };
        check!(bytes.iter().all(|&b| b == 0), "a reused frame was not zeroed");
        free_frame(again);
        Ok(())
    }
}

/// A frame of the first megabyte, which the allocator never hands out, and one far past the
/// machine's memory.
const FOREIGN_FRAMES: [u64; 2] = [0x1000, 1 << 45];

kernel_test! {
    fn a_double_or_foreign_free_is_refused_and_changes_nothing() -> TestResult {
        let frame = allocate_zeroed_frame().ok_or("out of frames")?;
        check_eq!(try_free_frame(frame), Ok(()));
        let after_free = frame_stats();
        check_eq!(try_free_frame(frame), Err(BadFree::AlreadyFree));
        for address in FOREIGN_FRAMES {
            let foreign = PhysFrame::containing_address(PhysAddr::new(address));
            check_eq!(try_free_frame(foreign), Err(BadFree::NotOurs));
        }
        check_eq!(frame_stats(), after_free);

        // The frame went onto the free stack once: two allocations get two frames.
        let first = allocate_zeroed_frame().ok_or("out of frames")?;
        let second = allocate_zeroed_frame().ok_or("out of frames")?;
        check!(first != second, "frame {first:?} was handed out twice");
        free_frame(first);
        free_frame(second);
        Ok(())
    }
}

kernel_test! {
    fn heap_grows_past_its_initial_size() -> TestResult {
        let mapped_before = heap::mapped_bytes();
        let len = heap::INITIAL_SIZE * 4;
        let mut big: Vec<u64> = Vec::with_capacity(len / 8);
        big.extend((0..len as u64 / 8).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        check!(heap::mapped_bytes() >= mapped_before + len, "the heap did not grow");
        let expected = |i: usize| (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let intact = big.iter().enumerate().all(|(i, &v)| v == expected(i));
        check!(intact, "heap contents changed");
        Ok(())
    }
}

kernel_test! {
    fn write_to_read_only_kernel_data_faults() -> TestResult {
        let target = READ_ONLY.as_ptr() as *mut u8;
        // SAFETY: the store is expected to fault; if it went through, the test fails anyway.
        let stored = unsafe { probe::probe_write_u8(target, 0) };
        check!(!stored, "a store into .rodata went through");
        let (vector, error, address) = fixup::last_recovered();
        check_eq!(vector, exception::PAGE_FAULT);
        check_eq!(error & (PF_PRESENT | PF_WRITE), PF_PRESENT | PF_WRITE);
        check_eq!(address, target as u64);
        check_eq!(READ_ONLY[0], 0x5a);
        Ok(())
    }
}

kernel_test! {
    fn write_to_kernel_code_faults() -> TestResult {
        let target = write_to_kernel_code_faults as *const () as *mut u8;
        let original = probe::probe_read_u8(target).ok_or("kernel code is not readable")?;
        // SAFETY: the store is expected to fault; it writes back the byte already there.
        let stored = unsafe { probe::probe_write_u8(target, original) };
        check!(!stored, "a store into kernel code went through");
        check_eq!(fixup::last_recovered().0, exception::PAGE_FAULT);
        Ok(())
    }
}

kernel_test! {
    fn kernel_data_is_writable_but_not_executable() -> TestResult {
        let target = (&raw mut WRITABLE).cast::<u8>();
        // SAFETY: WRITABLE is a test-only static nothing else touches.
        check!(unsafe { probe::probe_write_u8(target, 7) }, "a store into .data faulted");
        let flags = super::page_flags(target as u64).ok_or(".data is not mapped")?;
        check!(flags.contains(PageTableFlags::NO_EXECUTE), ".data is executable: {flags:?}");
        let text = super::page_flags(kernel_data_is_writable_but_not_executable as *const () as u64)
            .ok_or(".text is not mapped")?;
        check!(!text.contains(PageTableFlags::NO_EXECUTE), ".text is not executable");
        check!(!text.contains(PageTableFlags::WRITABLE), ".text is writable");
        Ok(())
    }
}

kernel_test! {
    fn reading_unmapped_memory_is_recovered() -> TestResult {
        check_eq!(probe::probe_read_u8(0x0000_5a5a_0000_0000 as *const u8), None);
        check!(!super::is_mapped(0x0000_5a5a_0000_0000, 1));
        check!(super::is_mapped(READ_ONLY.as_ptr() as u64, 64));
        Ok(())
    }
}
