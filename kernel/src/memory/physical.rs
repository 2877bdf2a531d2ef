//! Physical memory as the `objects` crate sees it: frames for VMO pages, read and written
//! through the direct map.

use super::{FRAME_SIZE, allocate_zeroed_frame, free_frame, phys_to_virt};
use objects::vm::{PhysAddr, PhysicalMemory};
use objects::{Status, ZxResult};
use x86_64::structures::paging::PhysFrame;

/// The kernel's frame allocator, lent to VMOs.
pub struct KernelPhysicalMemory;

impl KernelPhysicalMemory {
    fn bytes(frame: PhysAddr, offset: usize, len: usize) -> *mut u8 {
        assert!(
            offset + len <= FRAME_SIZE as usize,
            "access past the end of a frame"
        );
        phys_to_virt(x86_64::PhysAddr::new(frame))
            .as_mut_ptr::<u8>()
            .wrapping_add(offset)
    }
}

impl PhysicalMemory for KernelPhysicalMemory {
    fn alloc_zeroed_frame(&self) -> ZxResult<PhysAddr> {
        let frame = allocate_zeroed_frame().ok_or(Status::NoMemory)?;
        Ok(frame.start_address().as_u64())
    }

    fn free_frame(&self, frame: PhysAddr) {
        free_frame(PhysFrame::containing_address(x86_64::PhysAddr::new(frame)));
    }

    fn read(&self, frame: PhysAddr, offset: usize, buf: &mut [u8]) {
        let source = Self::bytes(frame, offset, buf.len());
        // SAFETY: the frame belongs to the VMO that calls this (it allocated it), the range is
        // inside the frame, and the direct map makes it readable.
        unsafe { core::ptr::copy_nonoverlapping(source, buf.as_mut_ptr(), buf.len()) };
    }

    fn write(&self, frame: PhysAddr, offset: usize, data: &[u8]) {
        let target = Self::bytes(frame, offset, data.len());
        // SAFETY: as for `read`; the VMO's lock serialises writers of its frames.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), target, data.len()) };
    }
}
