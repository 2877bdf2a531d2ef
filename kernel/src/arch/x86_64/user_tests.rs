//! In-kernel tests of user-mode entry and exit: a few instructions of ring-3 code mapped through
//! the `objects` crate's VMARs, run with `UserContext::enter`.

use super::user::{RDX, Trap, UserContext};
use super::usercopy::{copy_from_user, copy_to_user};
use crate::memory::physical::KernelPhysicalMemory;
use crate::memory::user_page_table::{UserPageTable, deactivate_user_table};
use crate::{check, check_eq, kernel_test};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::arch::global_asm;
use objects::Rights;
use objects::vm::{AddressSpace, FaultAccess, USER_ASPACE_BASE, USER_ASPACE_END, VmOptions};
use objects::vm::{Vmo, VmoOptions};

/// Vector numbers the tests expect (Intel SDM Vol. 3A, Table 6-1).
const INVALID_OPCODE: u8 = 6;
const PAGE_FAULT: u8 = 14;
const PAGE: usize = 4096;
const STACK_PAGES: usize = 4;

// The user program: two syscalls around a store to the (not yet faulted-in) stack, a store of
// an SSE register, then an invalid opcode.
global_asm!(
    r#"
    .section .rodata.spinel_user_test, "a"
    .global spinel_user_test_code
spinel_user_test_code:
    mov eax, 42
    mov edi, 7
    mov r12, 12
    syscall
    mov [rsp - 8], rax
    mov rbx, [rsp - 8]
    movq xmm0, rbx
    mov eax, 43
    syscall
    movq rdx, xmm0
    mov eax, 44
    syscall
    ud2
    .global spinel_user_test_code_end
spinel_user_test_code_end:
    "#
);

unsafe extern "C" {
    static spinel_user_test_code: u8;
    static spinel_user_test_code_end: u8;
}

fn user_code() -> &'static [u8] {
    let start = &raw const spinel_user_test_code;
    let end = &raw const spinel_user_test_code_end;
    // SAFETY: both symbols delimit the bytes of the program above, in read-only data.
    unsafe { core::slice::from_raw_parts(start, end.offset_from(start) as usize) }
}

struct Fixture {
    table: Arc<UserPageTable>,
    space: Arc<AddressSpace>,
    entry: u64,
    stack_top: u64,
}

impl Fixture {
    fn new() -> Result<Fixture, alloc::string::String> {
        let table = Arc::new(UserPageTable::new().map_err(|e| alloc::format!("{e}"))?);
        let range = USER_ASPACE_BASE..USER_ASPACE_END;
        let space =
            AddressSpace::new(table.clone(), range, 0x5eed).map_err(|e| alloc::format!("{e}"))?;
        let root = space.root_vmar();
        let all = Rights::all();
        let physical = Arc::new(KernelPhysicalMemory);

        let code = Vmo::create(physical.clone(), PAGE as u64, VmoOptions::empty())
            .map_err(|e| alloc::format!("{e}"))?;
        code.write(0, user_code())
            .map_err(|e| alloc::format!("{e}"))?;
        let rx = VmOptions::PERM_READ | VmOptions::PERM_EXECUTE;
        let entry = root
            .map(rx, 0, &code, 0, PAGE, all, all)
            .map_err(|e| alloc::format!("{e}"))?;

        let stack = Vmo::create(physical, (STACK_PAGES * PAGE) as u64, VmoOptions::empty())
            .map_err(|e| alloc::format!("{e}"))?;
        let rw = VmOptions::PERM_READ | VmOptions::PERM_WRITE;
        let base = root
            .map(rw, 0, &stack, 0, STACK_PAGES * PAGE, all, all)
            .map_err(|e| alloc::format!("{e}"))?;
        Ok(Fixture {
            table,
            space,
            entry: entry as u64,
            stack_top: (base + STACK_PAGES * PAGE) as u64,
        })
    }
}

kernel_test! {
    fn user_code_runs_syscalls_faults_and_traps_back() -> TestResult {
        let fixture = Fixture::new()?;
        fixture.table.activate();
        let mut context = UserContext::new(fixture.entry, fixture.stack_top, 0, 0);
        let mut syscalls = Vec::new();
        let mut page_faults = 0;
        let last = loop {
            match context.enter() {
                Trap::Syscall => {
                    let (number, args) = context.syscall_args();
                    syscalls.push((number, args[0], args[6], context.rbx, context.args[RDX]));
                    context.set_syscall_result(number + 1000);
                }
                Trap::Exception { vector: PAGE_FAULT, fault_address, error_code } => {
                    page_faults += 1;
                    let access = Trap::page_fault_access(error_code);
                    check!(fixture.space.handle_page_fault(fault_address as usize, access).is_ok(),
                        "unresolvable fault at {fault_address:#x}");
                }
                other => break other,
            }
        };
        deactivate_user_table();

        check!(
            syscalls.len() == 3,
            "{} syscalls, then {last:?} at {:#x}",
            syscalls.len(),
            context.rip
        );
        check_eq!((syscalls[0].0, syscalls[0].1, syscalls[0].2), (42, 7, 12));
        // The second syscall sees the first's result, stored through the demand-paged stack.
        check_eq!((syscalls[1].0, syscalls[1].3), (43, 1042));
        // The SSE register survived a trip through the kernel.
        check_eq!((syscalls[2].0, syscalls[2].4), (44, 1042));
        // One fault for the first instruction fetch, one for the first store to the stack.
        check_eq!(page_faults, 2);
        let invalid_opcode = matches!(last, Trap::Exception { vector: INVALID_OPCODE, .. });
        check!(invalid_opcode, "last trap {last:?}");
        check_eq!(context.rip, fixture.entry + user_code().len() as u64 - 2);
        Ok(())
    }
}

kernel_test! {
    fn user_copies_page_in_and_reject_bad_addresses() -> TestResult {
        let fixture = Fixture::new()?;
        fixture.table.activate();
        let space = fixture.space.clone();
        let address = fixture.stack_top - 64;
        // Not faulted in yet, and no process is current on this CPU to page it in...
        let untouched = copy_to_user(address, &[1, 2, 3]);
        // ...and succeed once the page is in.
        space
            .handle_page_fault(address as usize, FaultAccess::Write)
            .map_err(|e| alloc::format!("{e}"))?;
        let written = copy_to_user(address, &[1, 2, 3]);
        let mut back = [0u8; 3];
        let read = copy_from_user(&mut back, address);
        // Eight bytes at a time and then one by one: 19 bytes take both paths.
        let long: [u8; 19] = core::array::from_fn(|i| i as u8 + 1);
        let long_written = copy_to_user(address + 8, &long);
        let mut long_back = [0u8; 19];
        let long_read = copy_from_user(&mut long_back, address + 8);
        let unmapped = copy_from_user(&mut back, USER_ASPACE_BASE as u64 - 4096);
        let unmapped_long = copy_from_user(&mut long_back, USER_ASPACE_BASE as u64 - 4096);
        let kernel = copy_from_user(&mut back, 0xffff_8000_0000_0000);
        let wraps = copy_to_user(u64::MAX - 1, &[0; 4]);
        deactivate_user_table();

        check!(untouched.is_err(), "a copy into a missing page succeeded");
        check!(written.is_ok() && read.is_ok(), "copies into a present page failed");
        check_eq!(back, [1, 2, 3]);
        check!(long_written.is_ok() && long_read.is_ok(), "a long copy failed");
        check_eq!(long_back, long);
        let all_refused =
            unmapped.is_err() && unmapped_long.is_err() && kernel.is_err() && wraps.is_err();
        check!(all_refused, "a bad address was accepted");
        Ok(())
    }
}
