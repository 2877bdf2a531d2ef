//! The memory of another process (spec §3.4, §3.5, ruling 14.7):
//! `zx_process_read_memory` and `zx_process_write_memory`.

mod common;

use common::{Harness, st};
use syscalls::abi::*;

const PAGE: u64 = ZX_PAGE_SIZE as u64;

/// A second process with a VMO of `pages` pages mapped read-write into it: its handle and
/// the mapping's address.
fn target(harness: &Harness, pages: u64) -> (zx_handle_t, u64) {
    let job = harness.job_handle();
    let name = harness.memory.alloc_with(b"target");
    let (process, vmar) = harness.create_pair(numbers::process_create, &[job.into(), name, 6, 0]);
    let vmo = harness.vmo(pages * PAGE);
    let (status, addr) = harness.map(
        vmar,
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
        0,
        vmo,
        pages * PAGE,
    );
    assert_eq!(status, 0);
    (process, addr)
}

/// `zx_process_{read,write}_memory`: the status and `actual`.
fn memory_call(
    harness: &Harness,
    number: u64,
    process: zx_handle_t,
    vaddr: u64,
    buffer: u64,
    len: u64,
) -> (i64, u64) {
    let actual = harness.memory.alloc(8);
    let status = harness.call(number, &[process.into(), vaddr, buffer, len, actual]);
    (status, harness.memory.get_u64(actual))
}

#[test]
fn another_processs_memory_can_be_written_and_read_back() {
    let harness = Harness::new();
    let (process, addr) = target(&harness, 40);
    let len = 150_000;
    let data: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
    let source = harness.memory.alloc_with(&data);
    let (status, written) = memory_call(
        &harness,
        numbers::process_write_memory,
        process,
        addr + 10,
        source,
        len as u64,
    );
    assert_eq!((status, written), (0, len as u64));
    let sink = harness.memory.alloc(len);
    let (status, read) = memory_call(
        &harness,
        numbers::process_read_memory,
        process,
        addr + 10,
        sink,
        len as u64,
    );
    assert_eq!((status, read), (0, len as u64));
    assert_eq!(harness.memory.get(sink, len), data);
}

#[test]
fn a_transfer_that_runs_off_the_mapping_stops_there() {
    let harness = Harness::new();
    let (process, addr) = target(&harness, 1);
    let sink = harness.memory.alloc(3 * PAGE as usize);
    let (status, read) = memory_call(
        &harness,
        numbers::process_read_memory,
        process,
        addr + PAGE - 100,
        sink,
        3 * PAGE,
    );
    assert_eq!((status, read), (0, 100));
}

#[test]
fn process_memory_errors() {
    let harness = Harness::new();
    let (process, addr) = target(&harness, 1);
    let buffer = harness.memory.alloc(16);
    let unmapped = harness.memory.unmapped();
    let no_read = harness.reduced(process, ZX_RIGHT_WRITE);
    let no_write = harness.reduced(process, ZX_RIGHT_READ);
    let event = harness.event();
    let read = numbers::process_read_memory;
    let write = numbers::process_write_memory;
    let cases = [
        (read, process, addr, buffer, 0, ZX_ERR_INVALID_ARGS),
        (
            read,
            process,
            addr,
            buffer,
            (64 << 20) + 1,
            ZX_ERR_INVALID_ARGS,
        ),
        (write, process, addr, buffer, u64::MAX, ZX_ERR_INVALID_ARGS),
        (read, 0x1233, addr, buffer, 16, ZX_ERR_BAD_HANDLE),
        (read, event, addr, buffer, 16, ZX_ERR_WRONG_TYPE),
        (read, no_read, addr, buffer, 16, ZX_ERR_ACCESS_DENIED),
        (read, no_write, addr, buffer, 16, ZX_ERR_ACCESS_DENIED),
        (write, no_write, addr, buffer, 16, ZX_ERR_ACCESS_DENIED),
        (read, process, 0x1000, buffer, 16, ZX_ERR_NO_MEMORY),
        (read, process, addr, unmapped, 16, ZX_ERR_INVALID_ARGS),
        (write, process, addr, unmapped, 16, ZX_ERR_INVALID_ARGS),
    ];
    for (number, handle, vaddr, buffer, len, expected) in cases {
        let (status, _) = memory_call(&harness, number, handle, vaddr, buffer, len);
        assert_eq!(status, st(expected), "{number} {len:#x}");
    }
    let no_actual = [process.into(), addr, buffer, 16, 0];
    assert_eq!(harness.call(read, &no_actual), st(ZX_ERR_INVALID_ARGS));

    harness.ok(numbers::task_kill, &[process.into()]);
    let (status, _) = memory_call(&harness, read, process, addr, buffer, 16);
    assert_eq!(status, st(ZX_ERR_BAD_STATE));
}
