//! ACPI tables: what the kernel needs from the firmware's description of the machine.
//!
//! Tables are parsed with the `acpi` crate and boiled down at boot into plain values kept here:
//! how to power the machine off (the PM1 control blocks from the FADT and the `\_S5` sleep type
//! from the DSDT), the CPUs and interrupt controllers of the MADT ([`madt`]), and the reference
//! clocks, HPET and PM timer ([`timers`]). Spinel has no AML interpreter: `\_S5` is found by
//! scanning the DSDT for its name and decoding the package that follows, which is how every
//! firmware seen so far encodes it. A machine without usable tables boots anyway, on one CPU, and
//! halts instead of powering off.

pub mod madt;
pub mod timers;

use acpi::fadt::Fadt;
use acpi::{AcpiHandler, AcpiTables, PhysicalMapping};
use core::ptr::NonNull;
use x86_64::PhysAddr;
use x86_64::instructions::port::Port;

/// PM1 control register: SCI_EN, set once ACPI owns the hardware (ACPI 6.5, Table 4.13).
const SCI_EN: u16 = 1 << 0;
/// PM1 control register: shift of the SLP_TYPx field.
const SLP_TYP_SHIFT: u16 = 10;
/// PM1 control register: SLP_EN, which enters the sleep state written in SLP_TYPx.
const SLP_EN: u16 = 1 << 13;
/// How many times to poll SCI_EN after asking the firmware to hand ACPI over.
const ACPI_ENABLE_POLLS: usize = 1_000_000;
/// AML opcodes used when decoding `\_S5` (ACPI 6.5, 20.3).
const AML_PACKAGE_OP: u8 = 0x12;
const AML_BYTE_PREFIX: u8 = 0x0a;
const AML_ZERO_OP: u8 = 0x00;
const AML_ONE_OP: u8 = 0x01;

/// How to enter sleep state S5 (soft off).
#[derive(Clone, Copy, Debug)]
struct SoftOff {
    pm1a_control: u16,
    pm1b_control: Option<u16>,
    sleep_type_a: u16,
    sleep_type_b: u16,
    smi_command: u16,
    acpi_enable: u8,
}

static SOFT_OFF: spin::Once<Option<SoftOff>> = spin::Once::new();

/// What the tables say about CPUs, interrupt controllers and clocks; all empty without tables.
#[derive(Debug, Default)]
pub struct MachineTables {
    /// The MADT's CPUs and interrupt controllers, if there is a MADT.
    pub interrupts: Option<madt::InterruptTopology>,
    /// Physical address of the HPET's registers.
    pub hpet: Option<u64>,
    pub pm_timer: Option<timers::PmTimer>,
}

static MACHINE: spin::Once<MachineTables> = spin::Once::new();

/// The CPUs, interrupt controllers and clocks the tables describe (empty before [`init`] or
/// without tables).
pub fn machine() -> &'static MachineTables {
    MACHINE.call_once(MachineTables::default)
}

/// Maps ACPI tables through the kernel's direct map of physical memory.
#[derive(Clone, Copy)]
pub struct DirectMap;

impl AcpiHandler for DirectMap {
    unsafe fn map_physical_region<T>(
        &self,
        address: usize,
        size: usize,
    ) -> PhysicalMapping<Self, T> {
        let virt = crate::memory::map_physical(PhysAddr::new(address as u64), size as u64);
        let pointer = NonNull::new(virt.as_mut_ptr::<T>()).expect("direct map is never null");
        // SAFETY: `pointer` maps `size` bytes at `address`, which the caller vouches hold a T.
        unsafe { PhysicalMapping::new(address, pointer, size, size, *self) }
    }

    fn unmap_physical_region<T>(_region: &PhysicalMapping<Self, T>) {}
}

/// Reads the tables the kernel needs, from the RSDP the bootloader found.
pub fn init(rsdp: Option<u64>) {
    let Some(rsdp) = rsdp else {
        log::warn!("acpi: the bootloader found no RSDP; no power-off, one CPU");
        SOFT_OFF.call_once(|| None);
        machine();
        return;
    };
    // SAFETY: the bootloader located and validated the RSDP at this address.
    let tables = match unsafe { AcpiTables::from_rsdp(DirectMap, rsdp as usize) } {
        Ok(tables) => tables,
        Err(error) => {
            log::warn!("acpi: bad tables ({error:?}); no power-off, one CPU");
            SOFT_OFF.call_once(|| None);
            machine();
            return;
        }
    };
    MACHINE.call_once(|| read_machine_tables(&tables));
    let soft_off = soft_off(&tables);
    if soft_off.is_none() {
        log::warn!("acpi: no usable \\_S5; the kernel will halt instead of powering off");
    }
    SOFT_OFF.call_once(|| soft_off);
}

fn read_machine_tables(tables: &AcpiTables<DirectMap>) -> MachineTables {
    let interrupts = match tables.find_table::<acpi::madt::Madt>() {
        Ok(table) => {
            // SAFETY: the mapping covers the whole table, `region_length` bytes (the length its
            // header gives, over which the checksum was verified), and nothing writes to it.
            let bytes = unsafe {
                core::slice::from_raw_parts(
                    table.virtual_start().as_ptr().cast::<u8>(),
                    table.region_length(),
                )
            };
            madt::parse(bytes)
                .inspect_err(|error| log::warn!("acpi: bad MADT ({error}); ignoring it, one CPU"))
                .ok()
        }
        Err(error) => {
            log::warn!("acpi: no usable MADT ({error:?}); one CPU");
            None
        }
    };
    MachineTables {
        interrupts,
        hpet: timers::hpet_address(tables),
        pm_timer: timers::pm_timer(tables),
    }
}

fn soft_off(tables: &AcpiTables<DirectMap>) -> Option<SoftOff> {
    let fadt = tables.find_table::<Fadt>().ok()?;
    let pm1a_control = io_port(fadt.pm1a_control_block().ok()?.address)?;
    let pm1b_control = fadt
        .pm1b_control_block()
        .ok()?
        .and_then(|block| io_port(block.address));
    let smi_command = fadt.smi_cmd_port as u16;
    let acpi_enable = fadt.acpi_enable;
    let dsdt = tables.dsdt().ok()?;
    let aml = crate::memory::map_physical(PhysAddr::new(dsdt.address as u64), dsdt.length as u64);
    // SAFETY: the DSDT's AML stream is `length` bytes at `address`, mapped just above.
    let aml = unsafe { core::slice::from_raw_parts(aml.as_ptr::<u8>(), dsdt.length as usize) };
    let (sleep_type_a, sleep_type_b) = find_s5(aml)?;
    Some(SoftOff {
        pm1a_control,
        pm1b_control,
        sleep_type_a,
        sleep_type_b,
        smi_command,
        acpi_enable,
    })
}

/// A PM1 block address as an I/O port (blocks in memory space are not supported).
fn io_port(address: u64) -> Option<u16> {
    u16::try_from(address).ok().filter(|&port| port != 0)
}

/// Finds `_S5_` followed by a package and returns its first two integers (SLP_TYPa, SLP_TYPb).
fn find_s5(aml: &[u8]) -> Option<(u16, u16)> {
    let at = aml.windows(4).position(|window| window == b"_S5_")?;
    let mut bytes = aml[at + 4..].iter().copied();
    if bytes.next()? != AML_PACKAGE_OP {
        return None;
    }
    // PkgLength: bits 6-7 of the lead byte count the extra length bytes (ACPI 6.5, 20.2.4).
    let lead = bytes.next()?;
    for _ in 0..(lead >> 6) {
        bytes.next()?;
    }
    let _element_count = bytes.next()?;
    let mut integer = || match bytes.next()? {
        AML_BYTE_PREFIX => bytes.next().map(u16::from),
        AML_ZERO_OP => Some(0),
        AML_ONE_OP => Some(1),
        _ => None,
    };
    Some((integer()?, integer()?))
}

/// Enters S5 if the tables said how; returns if the machine is still running.
pub fn enter_s5() {
    let Some(Some(off)) = SOFT_OFF.get().copied() else {
        return;
    };
    let mut pm1a = Port::<u16>::new(off.pm1a_control);
    // SAFETY: the PM1 control blocks and the SMI command port are the FADT's fixed hardware
    // registers; writing SLP_TYP with SLP_EN is the documented way to enter S5 (ACPI 6.5, 7.4.2).
    unsafe {
        if pm1a.read() & SCI_EN == 0 && off.smi_command != 0 {
            Port::<u8>::new(off.smi_command).write(off.acpi_enable);
            for _ in 0..ACPI_ENABLE_POLLS {
                if pm1a.read() & SCI_EN != 0 {
                    break;
                }
                core::hint::spin_loop();
            }
        }
        pm1a.write((off.sleep_type_a << SLP_TYP_SHIFT) | SLP_EN);
        if let Some(pm1b) = off.pm1b_control {
            Port::<u16>::new(pm1b).write((off.sleep_type_b << SLP_TYP_SHIFT) | SLP_EN);
        }
    }
}
