//! Multiprocessor support. Until application processors are started, the bootstrap CPU is the
//! only one, and stopping "the others" has nothing to do.

/// Asks every other CPU to stop (used by the panic path).
pub fn stop_other_cpus() {}
