//! string-compression: run-length encoding and Huffman coding of strings,
//! with compression ratios and decode round-trip verification. The benchmark
//! struct owns its samples and accumulates statistics in its own fields.
//!
//! Usage: string-compression [TEXT ...]

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

// ---------------- Run-length encoding ----------------

/// Runs of (count, char); counts are capped at 255 so each fits a byte.
fn rle_encode(s: &str) -> Vec<(u8, char)> {
    let mut out: Vec<(u8, char)> = Vec::new();
    for c in s.chars() {
        match out.last_mut() {
            Some((n, last)) if *last == c && *n < u8::MAX => *n += 1,
            _ => out.push((1, c)),
        }
    }
    out
}

fn rle_decode(runs: &[(u8, char)]) -> String {
    runs.iter().flat_map(|&(n, c)| std::iter::repeat(c).take(n as usize)).collect()
}

fn rle_bits(runs: &[(u8, char)]) -> usize {
    runs.iter().map(|(_, c)| 8 + 8 * c.len_utf8()).sum()
}

fn rle_display(runs: &[(u8, char)]) -> String {
    runs.iter().map(|(n, c)| if *n == 1 { c.to_string() } else { format!("{n}{c}") }).collect()
}

// ---------------- Huffman coding ----------------

#[derive(Debug)]
enum Node {
    Leaf(char),
    Internal(usize, usize),
}

struct Huffman {
    nodes: Vec<Node>,
    root: usize,
    codes: HashMap<char, Vec<bool>>,
}

impl Huffman {
    fn build(text: &str) -> Option<Huffman> {
        let mut freq: BTreeMap<char, usize> = BTreeMap::new();
        for c in text.chars() {
            *freq.entry(c).or_default() += 1;
        }
        if freq.is_empty() {
            return None;
        }
        let mut nodes = Vec::new();
        // (frequency, tie-break order, node index) — min-heap via Reverse.
        let mut heap = BinaryHeap::new();
        for (order, (&c, &f)) in freq.iter().enumerate() {
            nodes.push(Node::Leaf(c));
            heap.push(Reverse((f, order, nodes.len() - 1)));
        }
        let mut order = nodes.len();
        while heap.len() > 1 {
            let Reverse((fa, _, a)) = heap.pop()?;
            let Reverse((fb, _, b)) = heap.pop()?;
            nodes.push(Node::Internal(a, b));
            heap.push(Reverse((fa + fb, order, nodes.len() - 1)));
            order += 1;
        }
        let Reverse((_, _, root)) = heap.pop()?;

        let mut h = Huffman { nodes, root, codes: HashMap::new() };
        let mut stack = vec![(root, Vec::new())];
        while let Some((idx, prefix)) = stack.pop() {
            match h.nodes[idx] {
                // A single-symbol alphabet still needs one bit per symbol.
                Node::Leaf(c) => {
                    h.codes.insert(c, if prefix.is_empty() { vec![false] } else { prefix });
                }
                Node::Internal(l, r) => {
                    let mut left = prefix.clone();
                    left.push(false);
                    let mut right = prefix;
                    right.push(true);
                    stack.push((l, left));
                    stack.push((r, right));
                }
            }
        }
        Some(h)
    }

    fn encode(&self, text: &str) -> Vec<bool> {
        text.chars().flat_map(|c| self.codes[&c].iter().copied()).collect()
    }

    fn decode(&self, bits: &[bool]) -> String {
        let mut out = String::new();
        if let Node::Leaf(c) = self.nodes[self.root] {
            return std::iter::repeat(c).take(bits.len()).collect();
        }
        let mut idx = self.root;
        for &bit in bits {
            if let Node::Internal(l, r) = self.nodes[idx] {
                idx = if bit { r } else { l };
            }
            if let Node::Leaf(c) = self.nodes[idx] {
                out.push(c);
                idx = self.root;
            }
        }
        out
    }

    fn code_table(&self) -> Vec<(char, String)> {
        let mut table: Vec<(char, String)> = self
            .codes
            .iter()
            .map(|(c, bits)| (*c, bits.iter().map(|&b| if b { '1' } else { '0' }).collect()))
            .collect();
        table.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then(a.0.cmp(&b.0)));
        table
    }
}

fn pack(bits: &[bool]) -> Vec<u8> {
    bits.chunks(8).map(|chunk| chunk.iter().enumerate().fold(0u8, |acc, (i, &b)| acc | ((b as u8) << (7 - i)))).collect()
}

// ---------------- Benchmark with statistics ----------------

#[derive(Debug)]
struct Sample {
    name: String,
    text: String,
}

#[derive(Debug)]
struct Row {
    name: String,
    original_bits: usize,
    rle_bits: usize,
    huffman_bits: usize,
    rle_ok: bool,
    huffman_ok: bool,
}

#[derive(Debug, Default)]
struct Bench {
    samples: Vec<Sample>,
    rows: Vec<Row>,
    total_original: usize,
    total_rle: usize,
    total_huffman: usize,
    failures: usize,
    rle_wins: usize,
    huffman_wins: usize,
}

impl Bench {
    fn add(&mut self, name: &str, text: &str) {
        self.samples.push(Sample { name: name.to_string(), text: text.to_string() });
    }

    /// Compress every sample, verifying round trips and updating totals.
    fn run(&mut self) {
        for sample in &self.samples {
            let original_bits = sample.text.len() * 8;
            let runs = rle_encode(&sample.text);
            let rle_ok = rle_decode(&runs) == sample.text;
            let rle_bits = rle_bits(&runs);

            let (huffman_bits, huffman_ok) = match Huffman::build(&sample.text) {
                Some(h) => {
                    let bits = h.encode(&sample.text);
                    (pack(&bits).len() * 8, h.decode(&bits) == sample.text)
                }
                None => (0, sample.text.is_empty()),
            };

            self.total_original += original_bits;
            self.total_rle += rle_bits;
            self.total_huffman += huffman_bits;
            if !(rle_ok && huffman_ok) {
                self.failures += 1;
            }
            if rle_bits < huffman_bits {
                self.rle_wins += 1;
            } else if huffman_bits < rle_bits {
                self.huffman_wins += 1;
            }
            self.rows.push(Row { name: sample.name.clone(), original_bits, rle_bits, huffman_bits, rle_ok, huffman_ok });
        }
    }

    fn report(&self) {
        let ratio = |c: usize, o: usize| if o == 0 { 0.0 } else { c as f64 / o as f64 };
        println!("{:<14} {:>9} {:>9} {:>7} {:>9} {:>7}  verify", "sample", "orig bits", "RLE bits", "ratio", "Huff bits", "ratio");
        for r in &self.rows {
            println!(
                "{:<14} {:>9} {:>9} {:>7.3} {:>9} {:>7.3}  {}",
                r.name,
                r.original_bits,
                r.rle_bits,
                ratio(r.rle_bits, r.original_bits),
                r.huffman_bits,
                ratio(r.huffman_bits, r.original_bits),
                if r.rle_ok && r.huffman_ok { "ok" } else { "MISMATCH" }
            );
        }
        println!(
            "{:<14} {:>9} {:>9} {:>7.3} {:>9} {:>7.3}",
            "TOTAL",
            self.total_original,
            self.total_rle,
            ratio(self.total_rle, self.total_original),
            self.total_huffman,
            ratio(self.total_huffman, self.total_original)
        );
        println!("\nRLE smaller on {} sample(s), Huffman smaller on {}; {} verification failure(s).", self.rle_wins, self.huffman_wins, self.failures);
    }
}

fn main() {
    let mut bench = Bench::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        bench.add("runs", "AAAAAAAAAABBBBBBBBCCCCCCDDDDEEFFFFFFFFFFFFFFFF");
        bench.add("english", "the quick brown fox jumps over the lazy dog and then the dog sleeps");
        bench.add("dna", "ACGTTGCAACGTAGCTAGCTAGGCTAACGTTTTTTTTTTACGATCGATCGA");
        bench.add("single-char", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
        bench.add("unicode", "ééééé ñññ 日本日本日本 🙂🙂🙂🙂");
        bench.add("empty", "");
        bench.add("bitmap row", "0000000011111111000000001111111100000000");
    } else {
        for (i, a) in args.iter().enumerate() {
            bench.add(&format!("arg{}", i + 1), a);
        }
    }

    bench.run();
    bench.report();

    // Show the details for one sample.
    let demo = "mississippi river";
    println!("\nDetails for {demo:?}:");
    println!("  RLE: {}", rle_display(&rle_encode(demo)));
    if let Some(h) = Huffman::build(demo) {
        let bits = h.encode(demo);
        let shown: String = bits.iter().map(|&b| if b { '1' } else { '0' }).collect();
        println!("  Huffman bits ({}): {}", bits.len(), shown);
        println!("  packed bytes: {:02x?}", pack(&bits));
        println!("  code table:");
        for (c, code) in h.code_table() {
            println!("    {:?} -> {}", c, code);
        }
        println!("  decoded: {:?}", h.decode(&bits));
    }
}
