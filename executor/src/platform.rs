//! The machine as the executor sees it: the [`Platform`] trait and Spinel's time type.
//!
//! The executor knows nothing of x86. The kernel implements [`Platform`] with the per-CPU
//! GS data, the local APIC (wake-up IPI and one-shot timer), the TSC and `sti; hlt`; the host
//! tests implement it with OS threads standing in for CPUs, park/unpark and a pending-wake flag.
//! The trait is shaped so that the idle step "look at the queues with interrupts off, then
//! enable interrupts and halt as one step" can be expressed, which is what makes idling free of
//! lost wake-ups.

/// A point on the monotonic clock, in nanoseconds since boot: Zircon's `zx_time_t`.
pub type Time = i64;

/// The deadline that never comes: Zircon's `ZX_TIME_INFINITE`.
pub const INFINITE: Time = i64::MAX;

/// What the executor needs from the machine.
///
/// Every method may be called from any CPU. The ones marked *interrupt-safe* are also called on
/// the wake-up path, which runs in interrupt handlers: they must not allocate, block or panic.
pub trait Platform: Send + Sync + 'static {
    /// How many CPUs run the executor. They are numbered densely `0..cpu_count()` whatever their
    /// hardware ids; the count never changes.
    fn cpu_count(&self) -> usize;

    /// The dense index of the CPU running this code (*interrupt-safe*).
    ///
    /// A value of `cpu_count()` or more means "not one of the executor's CPUs" (host tests call
    /// in from helper threads); the executor then treats the caller as a foreign context.
    fn current_cpu(&self) -> usize;

    /// Makes `cpu` leave [`Platform::enable_interrupts_and_halt`] if it is halted there, or
    /// return from its next call at once if it is about to halt (*interrupt-safe*). In the
    /// kernel this is the wake-up IPI, whose handler does nothing but acknowledge the interrupt.
    fn wake_cpu(&self, cpu: usize);

    /// The monotonic clock in nanoseconds (*interrupt-safe*). It never goes back, and readings
    /// on different CPUs are comparable (the kernel's TSC is invariant and synchronised).
    fn now(&self) -> Time;

    /// Arms the current CPU's one-shot timer for `deadline`, replacing any earlier setting;
    /// [`INFINITE`] disarms it. A deadline at or before [`Platform::now`] must fire at once.
    /// When the timer fires, the interrupt handler calls
    /// [`Executor::on_timer_interrupt`](crate::Executor::on_timer_interrupt). It may fire late,
    /// never early.
    fn set_timer(&self, deadline: Time);

    /// Masks interrupts on the current CPU (`cli`).
    fn disable_interrupts(&self);

    /// Unmasks interrupts on the current CPU (`sti`).
    fn enable_interrupts(&self);

    /// Unmasks interrupts and halts until the next interrupt as one step (`sti; hlt`: the
    /// interrupt shadow of `sti` means an interrupt already pending is taken in the `hlt`, not
    /// before it). Called with interrupts masked; returns with them unmasked.
    fn enable_interrupts_and_halt(&self);

    /// Called once each time the number of live tasks drops to zero, on the CPU whose task
    /// finished last. The kernel powers the machine off here; host tests may stop the run
    /// loops. The default does nothing.
    fn on_all_tasks_finished(&self) {}
}
