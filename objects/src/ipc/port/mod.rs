//! Ports (spec §8): the object, its packets, the `port_wait` future, and the operations
//! through handles.

mod object;
mod ops;
mod packet;
mod wait;

pub use object::{MAX_PENDING_PACKETS, Port};
pub use ops::{port_cancel, port_queue, port_queue_read, port_wait, port_wait_now};
pub use packet::{PortPacket, SignalPacket};
pub use wait::PortWait;

#[cfg(test)]
mod tests;
