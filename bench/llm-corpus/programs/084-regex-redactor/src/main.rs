//! regex-redactor: find and redact emails, phone numbers, credit cards and IP
//! addresses. Findings and output segments borrow slices of the input buffer.
//!
//! Usage: regex-redactor [FILE]

use regex::Regex;
use std::collections::BTreeMap;
use std::env;
use std::fmt;
use std::fs;
use std::ops::Range;

const SAMPLE: &str = "\
Ticket #4812 opened by jane.doe@example.com from 192.168.10.42.
Customer called from (555) 123-4567 and later from +1 555.987.6543.
Payment card on file: 4111 1111 1111 1111, backup card 5500-0000-0000-0004.
Invalid card-like number 1234 5678 9012 3456 should stay (fails Luhn).
Escalated to ops-team+alerts@corp.example.org; server 10.0.0.256 is not an IP.
Order ids like 2024-0001 and versions 1.2.3 are harmless.
Reply to: John.Smith@Mail.Example.co.uk, cc: admin@localhost.localdomain
Gateway 8.8.8.8 answered; phone 555-0100 is too short to count.
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    CreditCard,
    Email,
    Ip,
    Phone,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::CreditCard => "credit card",
            Kind::Email => "email",
            Kind::Ip => "IP address",
            Kind::Phone => "phone",
        })
    }
}

/// A sensitive match; `text` borrows from the scanned input.
#[derive(Debug, Clone)]
struct Finding<'a> {
    kind: Kind,
    text: &'a str,
    span: Range<usize>,
    line: usize,
}

impl<'a> Finding<'a> {
    fn mask(&self) -> String {
        match self.kind {
            Kind::CreditCard => {
                let digits: String = self.text.chars().filter(char::is_ascii_digit).collect();
                format!("[CARD ****{}]", &digits[digits.len().saturating_sub(4)..])
            }
            Kind::Email => {
                let domain = self.text.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
                format!("[EMAIL @{}]", domain.to_lowercase())
            }
            Kind::Ip => "[IP]".to_string(),
            Kind::Phone => "[PHONE]".to_string(),
        }
    }
}

/// A piece of output: either untouched input or a redacted finding.
#[derive(Debug)]
enum Segment<'a> {
    Plain(&'a str),
    Redacted(Finding<'a>),
}

struct Redactor {
    patterns: Vec<(Kind, Regex)>,
}

impl Redactor {
    fn new() -> Result<Self, regex::Error> {
        // Order matters: earlier patterns win when spans overlap at the same start.
        let patterns = vec![
            (Kind::Email, Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")?),
            (Kind::CreditCard, Regex::new(r"\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{1,4}\b")?),
            (
                Kind::Ip,
                Regex::new(r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b")?,
            ),
            (Kind::Phone, Regex::new(r"(?:\+?1[-. ]?)?(?:\(\d{3}\)|\b\d{3})[-. ]?\d{3}[-. ]\d{4}\b")?),
        ];
        Ok(Redactor { patterns })
    }

    /// Collect non-overlapping findings in input order.
    fn scan<'a>(&self, input: &'a str) -> Vec<Finding<'a>> {
        let mut candidates: Vec<(usize, Finding<'a>)> = Vec::new();
        for (priority, (kind, re)) in self.patterns.iter().enumerate() {
            for m in re.find_iter(input) {
                if *kind == Kind::CreditCard && !luhn_valid(m.as_str()) {
                    continue;
                }
                if *kind == Kind::Ip && is_part_of_longer_dotted(input, m.range()) {
                    continue;
                }
                candidates.push((
                    priority,
                    Finding { kind: *kind, text: m.as_str(), span: m.range(), line: line_of(input, m.start()) },
                ));
            }
        }
        candidates.sort_by(|(pa, a), (pb, b)| {
            a.span.start.cmp(&b.span.start).then(pa.cmp(pb)).then(b.span.len().cmp(&a.span.len()))
        });

        let mut result: Vec<Finding<'a>> = Vec::new();
        let mut covered_until = 0;
        for (_, f) in candidates {
            if f.span.start >= covered_until {
                covered_until = f.span.end;
                result.push(f);
            }
        }
        result
    }

    fn segments<'a>(&self, input: &'a str) -> Vec<Segment<'a>> {
        let mut out = Vec::new();
        let mut pos = 0;
        for f in self.scan(input) {
            if f.span.start > pos {
                out.push(Segment::Plain(&input[pos..f.span.start]));
            }
            pos = f.span.end;
            out.push(Segment::Redacted(f));
        }
        if pos < input.len() {
            out.push(Segment::Plain(&input[pos..]));
        }
        out
    }
}

fn line_of(input: &str, offset: usize) -> usize {
    input[..offset].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Reject things like `10.0.0.25` inside `10.0.0.256` or version strings `1.2.3.4.5`.
fn is_part_of_longer_dotted(input: &str, span: Range<usize>) -> bool {
    let bytes = input.as_bytes();
    let before = span.start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(span.end).copied();
    let next_after = bytes.get(span.end + 1).copied();
    matches!(before, Some(b'.') | Some(b'0'..=b'9'))
        || matches!(after, Some(b'0'..=b'9'))
        || (after == Some(b'.') && matches!(next_after, Some(b'0'..=b'9')))
}

fn luhn_valid(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn main() {
    let input = match env::args().nth(1) {
        Some(path) => match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot read {path}: {e}; using built-in sample");
                SAMPLE.to_string()
            }
        },
        None => SAMPLE.to_string(),
    };

    let redactor = match Redactor::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bad pattern: {e}");
            std::process::exit(1);
        }
    };

    let segments = redactor.segments(&input);
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut redacted = String::with_capacity(input.len());

    println!("Findings:");
    for seg in &segments {
        match seg {
            Segment::Plain(text) => redacted.push_str(text),
            Segment::Redacted(f) => {
                *counts.entry(f.kind).or_default() += 1;
                println!("  line {:>2} [{:>5}..{:<5}] {:<12} {:?}", f.line, f.span.start, f.span.end, f.kind.to_string(), f.text);
                redacted.push_str(&f.mask());
            }
        }
    }

    println!("\nRedacted text:\n{}", redacted);

    println!("Summary:");
    let total: usize = counts.values().sum();
    for kind in [Kind::Email, Kind::Phone, Kind::CreditCard, Kind::Ip] {
        println!("  {:<12} {:>3}", kind.to_string(), counts.get(&kind).copied().unwrap_or(0));
    }
    println!("  {:<12} {:>3}", "total", total);
}
