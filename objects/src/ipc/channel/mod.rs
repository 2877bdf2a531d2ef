//! Channels (spec §7): the object, its messages, and the read and write operations through
//! handles.

mod io;
mod message;
mod object;

pub use io::{channel_read, channel_write};
pub use message::{HandleInfo, Message, ReadError, ReadMessage};
pub use object::{Channel, MAX_PENDING_MESSAGES};

#[cfg(test)]
mod tests;
