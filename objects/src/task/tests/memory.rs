//! `zx_process_read_memory` and `zx_process_write_memory` (spec §3.4, §3.5, ruling 14.7).

use super::*;
use crate::abi::Status;
use crate::ipc::Event;
use crate::task::ops::{process_read_memory, process_write_memory};
use crate::vm::{PAGE_SIZE, VmOptions, Vmo, VmoOptions};

/// A process with one read-only page mapped, holding `data` at its start.
fn process_with_page(world: &World, data: &[u8]) -> (HandleValue, Arc<Process>, usize) {
    let (value, process) = world.process_in(&world.root);
    let vmo = Vmo::create(
        world.physical.clone(),
        PAGE_SIZE as u64,
        VmoOptions::empty(),
    )
    .unwrap();
    vmo.write(0, data).unwrap();
    let rights = Rights::DEFAULT_VMO | Rights::DEFAULT_VMAR | Rights::IO;
    let addr = process
        .root_vmar()
        .map(VmOptions::PERM_READ, 0, &vmo, 0, PAGE_SIZE, rights, rights)
        .unwrap();
    (value, process, addr)
}

#[test]
fn read_memory_reads_through_mappings_and_stops_at_their_end() {
    let world = World::new();
    let (value, _, addr) = process_with_page(&world, b"hello");
    let mut buf = [0u8; 5];
    assert_eq!(
        process_read_memory(world.table(), value, addr, &mut buf),
        Ok(5)
    );
    assert_eq!(&buf, b"hello");

    let mut long = [0u8; 16];
    let tail = addr + PAGE_SIZE - 8;
    assert_eq!(
        process_read_memory(world.table(), value, tail, &mut long),
        Ok(8)
    );
}

#[test]
fn write_memory_writes_even_read_only_mappings() {
    let world = World::new();
    let (value, process, addr) = process_with_page(&world, b"");
    assert_eq!(
        process_write_memory(world.table(), value, addr + 1, b"xy"),
        Ok(2)
    );
    let mut buf = [0u8; 3];
    process.read_memory(addr, &mut buf).unwrap();
    assert_eq!(&buf, b"\0xy");
}

#[test]
fn memory_access_where_nothing_is_mapped_is_no_memory() {
    let world = World::new();
    let (value, _, addr) = process_with_page(&world, b"");
    let mut buf = [0u8; 4];
    let unmapped = addr + PAGE_SIZE;
    assert_eq!(
        process_read_memory(world.table(), value, unmapped, &mut buf),
        Err(Status::NoMemory)
    );
    assert_eq!(
        process_write_memory(world.table(), value, unmapped, &buf),
        Err(Status::NoMemory)
    );
}

#[test]
fn memory_access_of_zero_or_over_64_mib_is_invalid_args() {
    let world = World::new();
    let (value, _, addr) = process_with_page(&world, b"");
    assert_eq!(
        process_read_memory(world.table(), value, addr, &mut []),
        Err(Status::InvalidArgs)
    );
    let huge = alloc::vec![0u8; PROCESS_MEMORY_MAX_BYTES + 1];
    assert_eq!(
        process_write_memory(world.table(), value, addr, &huge),
        Err(Status::InvalidArgs)
    );
}

#[test]
fn read_memory_needs_read_and_write_and_write_memory_needs_write() {
    let world = World::new();
    let (_, process, addr) = process_with_page(&world, b"");
    let mut buf = [0u8; 1];
    let no_write = world.insert(
        process.clone(),
        Rights::DEFAULT_PROCESS.difference(Rights::WRITE),
    );
    let no_read = world.insert(
        process.clone(),
        Rights::DEFAULT_PROCESS.difference(Rights::READ),
    );
    assert_eq!(
        process_read_memory(world.table(), no_write, addr, &mut buf),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        process_read_memory(world.table(), no_read, addr, &mut buf),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        process_write_memory(world.table(), no_write, addr, &buf),
        Err(Status::AccessDenied)
    );
    assert_eq!(
        process_write_memory(world.table(), no_read, addr, &buf),
        Ok(1)
    );
}

#[test]
fn memory_access_with_bad_or_wrong_handles_fails() {
    let world = World::new();
    let event = world.insert(Event::new(), Rights::DEFAULT_EVENT | Rights::IO);
    let mut buf = [0u8; 1];
    assert_eq!(
        process_read_memory(world.table(), 0x1111_1113, USER_ASPACE_BASE, &mut buf),
        Err(Status::BadHandle)
    );
    assert_eq!(
        process_write_memory(world.table(), event, USER_ASPACE_BASE, &buf),
        Err(Status::WrongType)
    );
}

#[test]
fn memory_access_of_a_dying_process_is_bad_state() {
    let world = World::new();
    let (value, process, addr) = process_with_page(&world, b"");
    let (_, thread) = world.thread_in(&process);
    process.start(&thread, ENTRY, STACK, None, 0).unwrap();
    let started = world.take_one().0;
    process.kill();
    let mut buf = [0u8; 1];
    assert_eq!(
        process_read_memory(world.table(), value, addr, &mut buf),
        Err(Status::BadState),
        "dying"
    );
    drop(started);
    assert_eq!(
        process_write_memory(world.table(), value, addr, &buf),
        Err(Status::BadState),
        "dead"
    );
}
