//! binary-protocol: encode/decode a framed binary message protocol.
//!
//! Frame layout (big endian):
//!   magic   u16  0xB1 0x7E
//!   version u8
//!   type    u8
//!   flags   u8
//!   seq     u32
//!   length  u32  payload length
//!   payload [u8; length]
//!   crc32   u32  over everything before it

use anyhow::{ensure, Context};
use thiserror::Error;

const MAGIC: u16 = 0xB17E;
const VERSION: u8 = 1;
const HEADER_LEN: usize = 2 + 1 + 1 + 1 + 4 + 4;
const MAX_PAYLOAD: usize = 64 * 1024;

#[derive(Debug, Error, PartialEq)]
enum ProtocolError {
    #[error("buffer truncated: needed {needed} more bytes, {available} available")]
    Truncated { needed: usize, available: usize },
    #[error("bad magic number 0x{0:04X}")]
    BadMagic(u16),
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u8),
    #[error("unknown message type {0}")]
    UnknownType(u8),
    #[error("payload of {0} bytes exceeds limit of {MAX_PAYLOAD}")]
    PayloadTooLarge(usize),
    #[error("checksum mismatch: frame says 0x{expected:08X}, computed 0x{actual:08X}")]
    Checksum { expected: u32, actual: u32 },
    #[error("builder is missing field '{0}'")]
    MissingField(&'static str),
    #[error("message type {0:?} must not carry a payload")]
    UnexpectedPayload(MessageType),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum MessageType {
    Ping = 1,
    Pong = 2,
    Data = 3,
    Ack = 4,
    Error = 5,
}

impl TryFrom<u8> for MessageType {
    type Error = ProtocolError;
    fn try_from(v: u8) -> Result<Self, ProtocolError> {
        Ok(match v {
            1 => MessageType::Ping,
            2 => MessageType::Pong,
            3 => MessageType::Data,
            4 => MessageType::Ack,
            5 => MessageType::Error,
            other => return Err(ProtocolError::UnknownType(other)),
        })
    }
}

mod flags {
    pub const COMPRESSED: u8 = 0b0000_0001;
    pub const URGENT: u8 = 0b0000_0010;
    pub const FINAL: u8 = 0b0000_0100;
}

#[derive(Debug, Clone, PartialEq)]
struct Message {
    kind: MessageType,
    flags: u8,
    seq: u32,
    payload: Vec<u8>,
}

#[derive(Debug, Default)]
struct MessageBuilder {
    kind: Option<MessageType>,
    flags: u8,
    seq: Option<u32>,
    payload: Vec<u8>,
}

impl MessageBuilder {
    fn new() -> Self {
        Self::default()
    }
    fn kind(mut self, kind: MessageType) -> Self {
        self.kind = Some(kind);
        self
    }
    fn seq(mut self, seq: u32) -> Self {
        self.seq = Some(seq);
        self
    }
    fn flag(mut self, flag: u8) -> Self {
        self.flags |= flag;
        self
    }
    fn payload(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.payload = bytes.as_ref().to_vec();
        self
    }
    fn text(self, s: &str) -> Self {
        self.payload(s.as_bytes())
    }
    fn build(self) -> Result<Message, ProtocolError> {
        let kind = self.kind.ok_or(ProtocolError::MissingField("kind"))?;
        let seq = self.seq.ok_or(ProtocolError::MissingField("seq"))?;
        if self.payload.len() > MAX_PAYLOAD {
            return Err(ProtocolError::PayloadTooLarge(self.payload.len()));
        }
        if matches!(kind, MessageType::Ping | MessageType::Pong) && !self.payload.is_empty() {
            return Err(ProtocolError::UnexpectedPayload(kind));
        }
        Ok(Message { kind, flags: self.flags, seq, payload: self.payload })
    }
}

/// CRC-32 (IEEE 802.3), bitwise implementation.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

// ---------- encoding ----------

fn encode(msg: &Message) -> Result<Vec<u8>, ProtocolError> {
    let mut out = Vec::with_capacity(HEADER_LEN + msg.payload.len() + 4);
    write_header(&mut out, msg)?;
    out.extend_from_slice(&msg.payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    Ok(out)
}

fn write_header(out: &mut Vec<u8>, msg: &Message) -> Result<(), ProtocolError> {
    let len = u32::try_from(msg.payload.len()).map_err(|_| ProtocolError::PayloadTooLarge(msg.payload.len()))?;
    if msg.payload.len() > MAX_PAYLOAD {
        return Err(ProtocolError::PayloadTooLarge(msg.payload.len()));
    }
    out.extend_from_slice(&MAGIC.to_be_bytes());
    out.push(VERSION);
    out.push(msg.kind as u8);
    out.push(msg.flags);
    out.extend_from_slice(&msg.seq.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    Ok(())
}

// ---------- decoding ----------

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], ProtocolError> {
        let available = self.buf.len() - self.pos;
        if available < n {
            return Err(ProtocolError::Truncated { needed: n - available, available });
        }
        let slice = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, ProtocolError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ProtocolError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, ProtocolError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

struct Header {
    kind: MessageType,
    flags: u8,
    seq: u32,
    len: usize,
}

fn read_header(r: &mut Reader<'_>) -> Result<Header, ProtocolError> {
    let magic = r.u16()?;
    if magic != MAGIC {
        return Err(ProtocolError::BadMagic(magic));
    }
    let version = r.u8()?;
    if version != VERSION {
        return Err(ProtocolError::UnsupportedVersion(version));
    }
    let kind = MessageType::try_from(r.u8()?)?;
    let flags = r.u8()?;
    let seq = r.u32()?;
    let len = r.u32()? as usize;
    if len > MAX_PAYLOAD {
        return Err(ProtocolError::PayloadTooLarge(len));
    }
    Ok(Header { kind, flags, seq, len })
}

/// Decode one frame from the front of `buf`; returns the message and bytes consumed.
fn decode(buf: &[u8]) -> Result<(Message, usize), ProtocolError> {
    let mut r = Reader::new(buf);
    let header = read_header(&mut r)?;
    let payload = r.take(header.len)?.to_vec();
    let body_end = r.pos;
    let expected = r.u32()?;
    let actual = crc32(&buf[..body_end]);
    if expected != actual {
        return Err(ProtocolError::Checksum { expected, actual });
    }
    Ok((Message { kind: header.kind, flags: header.flags, seq: header.seq, payload }, r.pos))
}

/// Decode a stream of back-to-back frames.
fn decode_stream(mut buf: &[u8]) -> Result<Vec<Message>, ProtocolError> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let (msg, used) = decode(buf)?;
        out.push(msg);
        buf = &buf[used..];
    }
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

fn main() -> anyhow::Result<()> {
    ensure!(crc32(b"123456789") == 0xCBF4_3926, "CRC-32 self-test failed");

    let messages = vec![
        MessageBuilder::new().kind(MessageType::Ping).seq(1).build()?,
        MessageBuilder::new().kind(MessageType::Data).seq(2).flag(flags::URGENT).text("hello, protocol").build()?,
        MessageBuilder::new().kind(MessageType::Data).seq(3).flag(flags::COMPRESSED).flag(flags::FINAL).payload((0u8..=255).collect::<Vec<_>>()).build()?,
        MessageBuilder::new().kind(MessageType::Ack).seq(3).payload(3u32.to_be_bytes()).build()?,
        MessageBuilder::new().kind(MessageType::Error).seq(4).text("rate limited").build()?,
    ];

    println!("Round trips:");
    let mut stream = Vec::new();
    for msg in &messages {
        let bytes = encode(msg).with_context(|| format!("encoding seq {}", msg.seq))?;
        let (decoded, used) = decode(&bytes).with_context(|| format!("decoding seq {}", msg.seq))?;
        ensure!(&decoded == msg, "round trip mismatch for seq {}", msg.seq);
        ensure!(used == bytes.len(), "decoder consumed {used} of {} bytes", bytes.len());
        let preview = &bytes[..bytes.len().min(20)];
        println!("  ok  {:?} seq={} flags={:03b} {} bytes: {}{}", msg.kind, msg.seq, msg.flags, bytes.len(), hex(preview), if bytes.len() > 20 { " …" } else { "" });
        stream.extend_from_slice(&bytes);
    }

    let all = decode_stream(&stream).context("decoding concatenated stream")?;
    ensure!(all == messages, "stream decode mismatch");
    println!("  ok  stream of {} frames ({} bytes) decoded", all.len(), stream.len());

    println!("\nError cases:");
    let good = encode(&messages[1])?;

    let mut corrupted = good.clone();
    corrupted[HEADER_LEN + 2] ^= 0xFF;
    let mut bad_magic = good.clone();
    bad_magic[0] = 0x00;
    let mut bad_type = good.clone();
    bad_type[3] = 42;
    let mut bad_version = good.clone();
    bad_version[2] = 9;

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("flipped payload byte", corrupted),
        ("truncated frame", good[..good.len() - 3].to_vec()),
        ("bad magic", bad_magic),
        ("unknown type", bad_type),
        ("future version", bad_version),
        ("empty buffer", Vec::new()),
    ];
    for (name, bytes) in cases {
        match decode(&bytes) {
            Ok(_) => anyhow::bail!("case '{name}' unexpectedly decoded"),
            Err(e) => println!("  ok  {name:<22} -> {e}"),
        }
    }

    let builder_errors = [
        MessageBuilder::new().seq(1).build(),
        MessageBuilder::new().kind(MessageType::Data).build(),
        MessageBuilder::new().kind(MessageType::Pong).seq(1).text("nope").build(),
        MessageBuilder::new().kind(MessageType::Data).seq(1).payload(vec![0u8; MAX_PAYLOAD + 1]).build(),
    ];
    for result in builder_errors {
        match result {
            Ok(m) => anyhow::bail!("builder accepted invalid message {m:?}"),
            Err(e) => println!("  ok  builder rejected: {e}"),
        }
    }

    println!("\nAll protocol checks passed.");
    Ok(())
}
