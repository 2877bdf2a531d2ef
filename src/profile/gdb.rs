//! A client for the GDB remote serial protocol, as QEMU's gdbstub speaks it: just what the
//! profiler needs (software breakpoints, continue, single-step, reading `rip`, detach).
//!
//! Every packet is `$<data>#<checksum>`, the checksum being the sum of the data bytes modulo
//! 256 in two hex digits. The client asks to turn acknowledgements off (`QStartNoAckMode`) right
//! after connecting, so that each request is one packet out and one back; where the stub does
//! not support that (QEMU 7.2), it acknowledges every packet it receives with `+`, and skips
//! the stub's own acknowledgements.
//!
//! Written here rather than taken from a crate: the profiler uses six requests of a protocol
//! whose framing fits in a screen, and the crates that speak it are GDB *servers*.

use std::io::{self, BufReader, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

/// Where `rip` starts in the reply to `g` (all registers, in gdb's x86-64 order: the 16
/// general registers of 8 bytes, then `rip`), in hex digits. QEMU answers `p` (one register)
/// only to a client that asked for its XML target description, which this one does not need.
const RIP_DIGITS: std::ops::Range<usize> = 16 * 16..17 * 16;
/// The breakpoint kind of an x86 software breakpoint: the length of `int3`.
const X86_BREAKPOINT_KIND: u32 = 1;
/// How long QEMU may take to open its gdbstub after being started.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// A connection to a gdbstub.
pub struct Gdb {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// Whether packets are still acknowledged.
    acks: bool,
}

impl Gdb {
    /// Connects to the gdbstub at `address`, retrying while it is not listening yet, and turns
    /// acknowledgements off where the stub can.
    pub fn connect(address: &str) -> io::Result<Gdb> {
        let started = Instant::now();
        let stream = loop {
            match TcpStream::connect(address) {
                Ok(stream) => break stream,
                Err(_) if started.elapsed() < CONNECT_TIMEOUT => {
                    thread::sleep(Duration::from_millis(50))
                }
                Err(error) => return Err(error),
            }
        };
        stream.set_nodelay(true)?;
        let mut gdb = Gdb {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
            acks: true,
        };
        // An empty reply: the stub does not know the request, and acknowledgements stay on.
        gdb.acks = gdb.request("QStartNoAckMode")? != "OK";
        Ok(gdb)
    }

    /// Sets a software breakpoint at `address`.
    pub fn set_breakpoint(&mut self, address: u64) -> io::Result<()> {
        self.request_ok(&format!("Z0,{address:x},{X86_BREAKPOINT_KIND}"))
    }

    /// Removes the software breakpoint at `address`.
    pub fn remove_breakpoint(&mut self, address: u64) -> io::Result<()> {
        self.request_ok(&format!("z0,{address:x},{X86_BREAKPOINT_KIND}"))
    }

    /// Resumes the guest until it stops (at a breakpoint).
    pub fn resume(&mut self) -> io::Result<()> {
        let reply = self.request("c")?;
        expect_stop(&reply)
    }

    /// Executes one instruction (one iteration of a `rep` instruction).
    pub fn step(&mut self) -> io::Result<()> {
        let reply = self.request("s")?;
        expect_stop(&reply)
    }

    /// The current `rip`.
    pub fn rip(&mut self) -> io::Result<u64> {
        let reply = self.request("g")?;
        reply
            .get(RIP_DIGITS)
            .and_then(parse_register)
            .ok_or_else(|| protocol_error(format!("bad register reply {reply:?}")))
    }

    /// Ends the guest (QEMU exits); there is no reply to wait for.
    pub fn kill(mut self) {
        let _ = self.send("k");
    }

    /// Lets the guest run on without the debugger.
    pub fn detach(mut self) -> io::Result<()> {
        self.request_ok("D")
    }

    fn request_ok(&mut self, data: &str) -> io::Result<()> {
        let reply = self.request(data)?;
        check_ok(data, &reply)
    }

    fn request(&mut self, data: &str) -> io::Result<String> {
        self.send(data)?;
        self.receive()
    }

    fn send(&mut self, data: &str) -> io::Result<()> {
        self.writer.write_all(frame(data).as_bytes())
    }

    /// The data of the next packet, skipping acknowledgements and anything before its `$`.
    fn receive(&mut self) -> io::Result<String> {
        let mut byte = [0u8; 1];
        loop {
            self.reader.read_exact(&mut byte)?;
            if byte[0] == b'$' {
                break;
            }
        }
        let mut data = Vec::new();
        loop {
            self.reader.read_exact(&mut byte)?;
            if byte[0] == b'#' {
                break;
            }
            data.push(byte[0]);
        }
        let mut sum = [0u8; 2];
        self.reader.read_exact(&mut sum)?;
        let data = String::from_utf8_lossy(&data).into_owned();
        if std::str::from_utf8(&sum).ok() != Some(checksum_hex(&data).as_str()) {
            return Err(protocol_error(format!("bad checksum on {data:?}")));
        }
        if self.acks {
            self.writer.write_all(b"+")?;
        }
        Ok(data)
    }
}

/// `$<data>#<checksum>`.
fn frame(data: &str) -> String {
    format!("${data}#{}", checksum_hex(data))
}

fn checksum_hex(data: &str) -> String {
    let sum = data.bytes().fold(0u8, |sum, b| sum.wrapping_add(b));
    format!("{sum:02x}")
}

/// A stop reply: `S<signal>` or `T<signal><info>`.
fn expect_stop(reply: &str) -> io::Result<()> {
    match reply.chars().next() {
        Some('S' | 'T') => Ok(()),
        _ => Err(protocol_error(format!("the guest did not stop: {reply:?}"))),
    }
}

fn check_ok(request: &str, reply: &str) -> io::Result<()> {
    match reply {
        "OK" => Ok(()),
        _ => Err(protocol_error(format!("{request:?} answered {reply:?}"))),
    }
}

/// A register in target byte order (x86: little-endian), as hex digit pairs.
fn parse_register(reply: &str) -> Option<u64> {
    if reply.len() != 16 {
        return None;
    }
    let mut value = 0u64;
    for (i, pair) in reply.as_bytes().chunks(2).enumerate() {
        let byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        value |= u64::from(byte) << (8 * i);
    }
    Some(value)
}

fn protocol_error(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("gdbstub: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_the_sum_of_their_bytes() {
        assert_eq!(frame("s"), "$s#73");
        assert_eq!(frame("QStartNoAckMode"), "$QStartNoAckMode#b0");
        assert_eq!(frame(""), "$#00");
    }

    #[test]
    fn registers_are_little_endian() {
        assert_eq!(parse_register("8451108000000000"), Some(0x8010_5184));
        assert_eq!(
            parse_register("00ffffffffffff80"),
            Some(0x80ff_ffff_ffff_ff00)
        );
        assert_eq!(parse_register("E01"), None);
        assert_eq!(parse_register("zz00000000000000"), None);
    }

    #[test]
    fn only_stop_replies_count_as_stops() {
        assert!(expect_stop("T05thread:01;").is_ok());
        assert!(expect_stop("S05").is_ok());
        assert!(expect_stop("E22").is_err());
        assert!(expect_stop("").is_err());
    }
}
