//! Channels (spec §7): the object, its messages, and the read and write operations through
//! handles.

mod io;
mod message;
mod object;

pub use object::{Channel, MAX_PENDING_MESSAGES};
pub use io::{channel_read, channel_write};
pub use message::{HandleInfo, Message, ReadError, ReadMessage};

#[cfg(test)]
mod tests;
