//! Objects for waiting and talking: events, event pairs, channels and ports (spec §5 to §8).

mod channel;
mod event;
mod eventpair;
mod port;

pub use channel::{
    CALL_TXID_BIT, Channel, ChannelCall, HandleInfo, MAX_PENDING_MESSAGES, Message, ReadError,
    ReadMessage, channel_call, channel_read, channel_write,
};
pub use event::Event;
pub use eventpair::EventPair;
pub use port::{
    MAX_PENDING_PACKETS, Port, PortPacket, PortWait, SignalPacket, port_cancel, port_queue,
    port_queue_read, port_wait, port_wait_now,
};
