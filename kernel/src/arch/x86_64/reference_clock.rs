//! Clocks of known frequency that the TSC and the local APIC timer are measured against at
//! boot: the HPET's main counter, or else the ACPI PM timer.
//!
//! Both are read by polling; neither raises an interrupt. A counter narrower than 64 bits wraps,
//! so elapsed time is taken modulo its width and a measurement must stay well under one wrap
//! (the 24-bit PM timer wraps every 4.7 s).

use super::acpi;
use crate::memory::map_mmio;
use x86_64::instructions::port::Port;
use x86_64::{PhysAddr, VirtAddr};

/// HPET General Capabilities and ID register; bits 63:32 are the counter period in femtoseconds
/// (IA-PC HPET 1.0a, 2.3.4).
const HPET_CAPABILITIES: u64 = 0x000;
/// HPET capabilities bit 13: the main counter has 64 bits (otherwise 32).
const HPET_COUNTER_64_BIT: u64 = 1 << 13;
/// HPET General Configuration register; bit 0 starts the main counter.
const HPET_CONFIGURATION: u64 = 0x010;
const HPET_ENABLE: u64 = 1 << 0;
/// HPET Main Counter Value register.
const HPET_MAIN_COUNTER: u64 = 0x0f0;
/// Bytes of HPET registers the kernel maps.
const HPET_REGISTERS_LEN: u64 = 0x400;
/// Femtoseconds per second.
const FS_PER_SECOND: u64 = 1_000_000_000_000_000;
/// The PM timer's fixed frequency (ACPI 6.5, 4.8.3.3).
const PM_TIMER_HZ: u64 = 3_579_545;

/// A free-running counter of known frequency.
pub enum ReferenceClock {
    Hpet {
        registers: VirtAddr,
        hz: u64,
        /// The counter's width as a mask.
        mask: u64,
    },
    PmTimer {
        port: u16,
        /// The counter's width (24 or 32 bits) as a mask.
        mask: u32,
    },
}

impl ReferenceClock {
    /// The HPET if the tables describe one, else the PM timer, else nothing.
    pub fn find() -> Option<ReferenceClock> {
        let machine = acpi::machine();
        if let Some(address) = machine.hpet {
            return Some(Self::hpet(PhysAddr::new(address)));
        }
        machine.pm_timer.map(|timer| ReferenceClock::PmTimer {
            port: timer.port,
            mask: if timer.is_32_bit {
                u32::MAX
            } else {
                0x00ff_ffff
            },
        })
    }

    fn hpet(address: PhysAddr) -> ReferenceClock {
        let registers = map_mmio(address, HPET_REGISTERS_LEN);
        let read = |offset: u64| {
            // SAFETY: the HPET's register block is mapped uncached at `registers`; 64-bit reads
            // of its registers have no side effects.
            unsafe { (registers + offset).as_ptr::<u64>().read_volatile() }
        };
        let capabilities = read(HPET_CAPABILITIES);
        let period_fs = (capabilities >> 32).max(1);
        let configuration = read(HPET_CONFIGURATION);
        if configuration & HPET_ENABLE == 0 {
            // SAFETY: setting ENABLE_CNF only starts the main counter; the HPET's timers stay
            // as the firmware left them (disabled).
            unsafe {
                (registers + HPET_CONFIGURATION)
                    .as_mut_ptr::<u64>()
                    .write_volatile(configuration | HPET_ENABLE)
            };
        }
        ReferenceClock::Hpet {
            registers,
            hz: FS_PER_SECOND / period_fs,
            mask: if capabilities & HPET_COUNTER_64_BIT != 0 {
                u64::MAX
            } else {
                u64::from(u32::MAX)
            },
        }
    }

    /// How the TSC's frequency was found with this clock, for the boot log.
    pub fn name(&self) -> &'static str {
        match self {
            ReferenceClock::Hpet { .. } => "measured against the HPET",
            ReferenceClock::PmTimer { .. } => "measured against the ACPI PM timer",
        }
    }

    /// The counter's frequency in Hz.
    pub fn hz(&self) -> u64 {
        match self {
            ReferenceClock::Hpet { hz, .. } => *hz,
            ReferenceClock::PmTimer { .. } => PM_TIMER_HZ,
        }
    }

    /// The counter's current value.
    pub fn read(&self) -> u64 {
        match self {
            ReferenceClock::Hpet {
                registers, mask, ..
            } => {
                // SAFETY: the main counter register is mapped; reading it has no side effects.
                let value = unsafe {
                    (*registers + HPET_MAIN_COUNTER)
                        .as_ptr::<u64>()
                        .read_volatile()
                };
                value & mask
            }
            ReferenceClock::PmTimer { port, mask } => {
                // SAFETY: the FADT names this port as the PM timer; reading it has no side
                // effects.
                u64::from(unsafe { Port::<u32>::new(*port).read() } & mask)
            }
        }
    }

    /// Counter ticks from `earlier` to `later`, allowing for one wrap of a narrow counter.
    pub fn elapsed(&self, earlier: u64, later: u64) -> u64 {
        match self {
            ReferenceClock::Hpet { mask, .. } => later.wrapping_sub(earlier) & mask,
            ReferenceClock::PmTimer { mask, .. } => later.wrapping_sub(earlier) & u64::from(*mask),
        }
    }
}
