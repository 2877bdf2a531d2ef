//! Channels (spec §7): the object, its messages, the calls waiting for their replies, and the
//! read, write and call operations through handles.

mod call;
mod io;
mod message;
mod object;

pub use call::{CALL_TXID_BIT, ChannelCall};
pub use io::{channel_call, channel_read, channel_write};
pub use message::{HandleInfo, Message, ReadError, ReadMessage};
pub use object::{Channel, MAX_PENDING_MESSAGES};

#[cfg(test)]
mod call_tests;
#[cfg(test)]
mod tests;
