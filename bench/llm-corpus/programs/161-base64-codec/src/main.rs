//! Hand-written Base64 (RFC 4648, standard alphabet, with padding).
//!
//! The test suite is organised as a tree: groups own their children through
//! `Rc<RefCell<..>>`, and every node keeps a `Weak` back-reference to its
//! parent so that results can be rolled up from the leaves to the root.

use rand::Rng;
use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD: u8 = b'=';

#[derive(Debug, Clone, PartialEq, Eq)]
enum DecodeError {
    InvalidLength(usize),
    InvalidChar { ch: char, pos: usize },
    InvalidPadding { pos: usize },
    NonCanonical { pos: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::InvalidLength(n) => write!(f, "input length {n} is not a multiple of 4"),
            DecodeError::InvalidChar { ch, pos } => {
                write!(f, "invalid character {ch:?} at position {pos}")
            }
            DecodeError::InvalidPadding { pos } => write!(f, "misplaced padding at position {pos}"),
            DecodeError::NonCanonical { pos } => {
                write!(f, "non-zero trailing bits in the final quantum at position {pos}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

fn encode(input: &[u8]) -> String {
    let mut out = String::with_capacity((input.len() + 2) / 3 * 4);
    for chunk in input.chunks(3) {
        let b0 = chunk[0] as u32;
        let b1 = chunk.get(1).copied().unwrap_or(0) as u32;
        let b2 = chunk.get(2).copied().unwrap_or(0) as u32;
        let n = (b0 << 16) | (b1 << 8) | b2;
        out.push(ALPHABET[((n >> 18) & 63) as usize] as char);
        out.push(ALPHABET[((n >> 12) & 63) as usize] as char);
        out.push(if chunk.len() > 1 { ALPHABET[((n >> 6) & 63) as usize] as char } else { PAD as char });
        out.push(if chunk.len() > 2 { ALPHABET[(n & 63) as usize] as char } else { PAD as char });
    }
    out
}

fn decode_symbol(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'a'..=b'z' => Some((c - b'a') as u32 + 26),
        b'0'..=b'9' => Some((c - b'0') as u32 + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn decode(input: &str) -> Result<Vec<u8>, DecodeError> {
    let bytes = input.as_bytes();
    if bytes.len() % 4 != 0 {
        return Err(DecodeError::InvalidLength(bytes.len()));
    }
    let chunk_count = bytes.len() / 4;
    let mut out = Vec::with_capacity(chunk_count * 3);
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == PAD).count();
        if pad > 2 || (pad > 0 && i + 1 != chunk_count) {
            return Err(DecodeError::InvalidPadding { pos: i * 4 + 4 - pad });
        }
        let mut n: u32 = 0;
        for (j, &c) in chunk.iter().enumerate() {
            let v = if j >= 4 - pad {
                0
            } else {
                decode_symbol(c).ok_or(DecodeError::InvalidChar { ch: c as char, pos: i * 4 + j })?
            };
            n = (n << 6) | v;
        }
        let leftover_mask = match pad {
            2 => 0xFFFF,
            1 => 0xFF,
            _ => 0,
        };
        if n & leftover_mask != 0 {
            return Err(DecodeError::NonCanonical { pos: i * 4 });
        }
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push(((n >> 8) & 0xFF) as u8);
        }
        if pad < 1 {
            out.push((n & 0xFF) as u8);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Test tree
// ---------------------------------------------------------------------------

type NodeRef = Rc<RefCell<TestNode>>;

#[derive(Default)]
struct TestNode {
    name: String,
    payload: Option<Vec<u8>>,
    expected: Option<String>,
    passed: usize,
    failed: usize,
    failures: Vec<String>,
    children: Vec<NodeRef>,
    parent: Weak<RefCell<TestNode>>,
}

fn new_group(name: &str) -> NodeRef {
    Rc::new(RefCell::new(TestNode { name: name.to_string(), ..Default::default() }))
}

fn new_case(name: String, payload: Vec<u8>, expected: Option<String>) -> NodeRef {
    Rc::new(RefCell::new(TestNode { name, payload: Some(payload), expected, ..Default::default() }))
}

/// Attaches `child` under `parent`, wiring the weak back-reference.
fn attach(parent: &NodeRef, child: NodeRef) -> NodeRef {
    child.borrow_mut().parent = Rc::downgrade(parent);
    parent.borrow_mut().children.push(Rc::clone(&child));
    child
}

/// Walks the weak parent links up to the root.
fn path_of(node: &NodeRef) -> String {
    let mut names = vec![node.borrow().name.clone()];
    let mut current = node.borrow().parent.upgrade();
    while let Some(p) = current {
        names.push(p.borrow().name.clone());
        current = p.borrow().parent.upgrade();
    }
    names.reverse();
    names.join(" / ")
}

/// Records a result on the node and every ancestor.
fn record(node: &NodeRef, ok: bool) {
    let mut current = Some(Rc::clone(node));
    while let Some(n) = current {
        {
            let mut b = n.borrow_mut();
            if ok {
                b.passed += 1;
            } else {
                b.failed += 1;
            }
        }
        current = n.borrow().parent.upgrade();
    }
}

fn run_case(node: &NodeRef) {
    let (payload, expected) = {
        let b = node.borrow();
        match &b.payload {
            Some(p) => (p.clone(), b.expected.clone()),
            None => return,
        }
    };
    let mut problems = Vec::new();
    let encoded = encode(&payload);
    if let Some(exp) = &expected {
        if &encoded != exp {
            problems.push(format!("encoded {encoded:?}, expected {exp:?}"));
        }
    }
    if encoded.len() != (payload.len() + 2) / 3 * 4 {
        problems.push(format!("encoded length {} is wrong", encoded.len()));
    }
    match decode(&encoded) {
        Ok(decoded) if decoded == payload => {}
        Ok(decoded) => problems.push(format!(
            "round trip mismatch: got {} bytes back, expected {}",
            decoded.len(),
            payload.len()
        )),
        Err(e) => problems.push(format!("decode failed: {e}")),
    }
    let ok = problems.is_empty();
    if !ok {
        println!("FAIL {}: {}", path_of(node), problems.join("; "));
        node.borrow_mut().failures = problems;
    }
    record(node, ok);
}

fn run_all(node: &NodeRef) {
    let children: Vec<NodeRef> = node.borrow().children.clone();
    if children.is_empty() {
        run_case(node);
    } else {
        for child in &children {
            run_all(child);
        }
    }
}

fn print_tree(node: &NodeRef, depth: usize) {
    let n = node.borrow();
    if n.children.is_empty() && n.failures.is_empty() {
        return; // passing leaves are summarised by their group
    }
    let indent = "  ".repeat(depth);
    let mark = if n.failed == 0 { "ok  " } else { "FAIL" };
    println!("{indent}{mark} {} ({} passed, {} failed)", n.name, n.passed, n.failed);
    for f in &n.failures {
        println!("{indent}    - {f}");
    }
    for child in &n.children {
        print_tree(child, depth + 1);
    }
}

fn main() {
    let mut rng = rand::thread_rng();
    let root = new_group("base64");

    let vectors = attach(&root, new_group("rfc4648 vectors"));
    let known = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
        ("Many hands make light work.", "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu"),
    ];
    for (plain, expected) in known {
        println!("{:<30} -> {}", format!("{plain:?}"), encode(plain.as_bytes()));
        attach(&vectors, new_case(format!("{plain:?}"), plain.as_bytes().to_vec(), Some(expected.to_string())));
    }

    let random = attach(&root, new_group("random round trips"));
    let buckets = [("short (0..16 bytes)", 0..16usize, 200), ("medium (16..256 bytes)", 16..256, 100), ("long (256..4096 bytes)", 256..4096, 25)];
    for (label, range, count) in buckets {
        let bucket = attach(&random, new_group(label));
        for i in 0..count {
            let len = rng.gen_range(range.clone());
            let data: Vec<u8> = (0..len).map(|_| rng.gen::<u8>()).collect();
            attach(&bucket, new_case(format!("case #{i} ({len} bytes)"), data, None));
        }
    }

    let edge = attach(&root, new_group("edge cases"));
    attach(&edge, new_case("30 zero bytes".into(), vec![0; 30], Some("A".repeat(40))));
    attach(&edge, new_case("three 0xFF bytes".into(), vec![0xFF; 3], Some("////".into())));
    attach(&edge, new_case("every byte value".into(), (0..=255u8).collect(), None));
    let sample_leaf = attach(&edge, new_case("utf-8 text".into(), "héllo wörld ✓".as_bytes().to_vec(), None));

    run_all(&root);

    println!("\nResults:");
    print_tree(&root, 0);

    println!("\nA leaf knows its ancestors through Weak links: {}", path_of(&sample_leaf));
    println!(
        "root has {} strong reference(s) and {} weak reference(s) from its children",
        Rc::strong_count(&root),
        Rc::weak_count(&root)
    );

    println!("\nMalformed input is rejected:");
    let bad_inputs = ["Zg=", "Zg==Zg==", "Z===", "Zm9v!A==", "=Zm9", "Zh=="];
    for input in bad_inputs {
        match decode(input) {
            Ok(bytes) => println!("  {input:<10} unexpectedly decoded to {bytes:?}"),
            Err(e) => println!("  {input:<10} error: {e}"),
        }
    }

    let (passed, failed) = {
        let r = root.borrow();
        (r.passed, r.failed)
    };
    println!("\nTotal: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
