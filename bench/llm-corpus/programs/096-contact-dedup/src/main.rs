//! contact-dedup: deduplicate contacts by normalised email and phone number,
//! merging their fields and reporting which records were combined.
//! Records borrow their fields directly from the input buffer.
//!
//! Usage: contact-dedup [FILE]   (CSV: name,email,phone,company)

use std::collections::{BTreeSet, HashMap};
use std::env;
use std::fs;

const SAMPLE: &str = "\
name,email,phone,company
Alice Johnson,alice.johnson@gmail.com,+1 (555) 010-2000,Acme
alice johnson,AliceJohnson+newsletter@GMAIL.com,,
Bob Smith,bob@example.org,555.010.3000,Globex
Robert Smith,,1-555-010-3000,Globex Corporation
Carol White,carol@white.io,555 010 4000,
Carol W.,c.white@white.io,(555) 010-4000,Initech
Dan Brown,dan@brown.net,,Umbrella
Eve Black,eve@black.dev,555-010-5000,
Carol White,carol@WHITE.io,,Initech
not,a,valid,row,with,too,many,fields
Frank Green,,,
";

#[derive(Debug)]
struct Contact<'a> {
    line: usize,
    name: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    company: Option<&'a str>,
}

#[derive(Debug)]
enum ParseIssue<'a> {
    WrongFieldCount { line: usize, raw: &'a str, count: usize },
}

fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn parse(input: &str) -> (Vec<Contact<'_>>, Vec<ParseIssue<'_>>) {
    let mut contacts = Vec::new();
    let mut issues = Vec::new();
    for (idx, raw) in input.lines().enumerate().skip(1) {
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').collect();
        match fields.as_slice() {
            [name, email, phone, company] => contacts.push(Contact {
                line: idx + 1,
                name: name.trim(),
                email: non_empty(email),
                phone: non_empty(phone),
                company: non_empty(company),
            }),
            _ => issues.push(ParseIssue::WrongFieldCount { line: idx + 1, raw, count: fields.len() }),
        }
    }
    (contacts, issues)
}

/// Lowercase; drop "+tag"; for gmail-style providers ignore dots in the local part.
fn normalise_email(email: &str) -> Option<String> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.to_ascii_lowercase();
    let mut local = local.split('+').next().unwrap_or("").to_ascii_lowercase();
    if domain == "gmail.com" || domain == "googlemail.com" {
        local.retain(|c| c != '.');
    }
    (!local.is_empty() && domain.contains('.')).then(|| format!("{local}@{domain}"))
}

/// Keep digits only; strip a leading North American country code.
fn normalise_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.len() {
        11 if digits.starts_with('1') => digits[1..].to_string(),
        _ => digits,
    };
    (digits.len() >= 7).then_some(digits)
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect() }
    }
    fn find(&mut self, x: usize) -> usize {
        if self.parent[x] != x {
            let root = self.find(self.parent[x]);
            self.parent[x] = root;
        }
        self.parent[x]
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the earliest record as the representative.
            let (keep, other) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[other] = keep;
        }
    }
}

#[derive(Debug)]
struct Merged<'a> {
    lines: Vec<usize>,
    name: &'a str,
    emails: BTreeSet<&'a str>,
    phones: BTreeSet<&'a str>,
    companies: BTreeSet<&'a str>,
    reasons: BTreeSet<String>,
}

fn dedup<'a>(contacts: &[Contact<'a>]) -> Vec<Merged<'a>> {
    let mut uf = UnionFind::new(contacts.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut reasons: Vec<Vec<String>> = vec![Vec::new(); contacts.len()];

    for (i, c) in contacts.iter().enumerate() {
        let keys = c
            .email
            .and_then(normalise_email)
            .map(|e| format!("email:{e}"))
            .into_iter()
            .chain(c.phone.and_then(normalise_phone).map(|p| format!("phone:{p}")));
        for key in keys {
            match seen.get(&key) {
                Some(&j) => {
                    uf.union(i, j);
                    reasons[i].push(format!("line {} shares {key} with line {}", c.line, contacts[j].line));
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }

    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..contacts.len() {
        groups.entry(uf.find(i)).or_default().push(i);
    }

    let mut merged: Vec<Merged<'a>> = groups
        .into_values()
        .map(|members| {
            let records: Vec<&Contact<'a>> = members.iter().map(|&i| &contacts[i]).collect();
            // Prefer the longest name that is properly capitalised.
            let name = records
                .iter()
                .map(|c| c.name)
                .max_by_key(|n| (n.chars().next().map_or(false, char::is_uppercase), n.len()))
                .unwrap_or("");
            Merged {
                lines: records.iter().map(|c| c.line).collect(),
                name,
                emails: records.iter().filter_map(|c| c.email).collect(),
                phones: records.iter().filter_map(|c| c.phone).collect(),
                companies: records.iter().filter_map(|c| c.company).collect(),
                reasons: members.iter().flat_map(|&i| reasons[i].iter().cloned()).collect(),
            }
        })
        .collect();
    merged.sort_by_key(|m| m.lines[0]);
    merged
}

fn main() {
    let input = match env::args().nth(1) {
        Some(path) => fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}; using sample data");
            SAMPLE.to_string()
        }),
        None => SAMPLE.to_string(),
    };

    let (contacts, issues) = parse(&input);
    for ParseIssue::WrongFieldCount { line, raw, count } in &issues {
        eprintln!("warning: line {line} has {count} fields, expected 4: {raw:?}");
    }

    let merged = dedup(&contacts);
    let duplicates = contacts.len() - merged.len();
    println!("{} contacts read, {} unique after merging ({} duplicates removed)\n", contacts.len(), merged.len(), duplicates);

    for (n, m) in merged.iter().enumerate() {
        let join = |set: &BTreeSet<&str>| if set.is_empty() { "-".to_string() } else { set.iter().copied().collect::<Vec<_>>().join("; ") };
        println!("#{:<2} {}", n + 1, m.name);
        println!("    emails:    {}", join(&m.emails));
        println!("    phones:    {}", join(&m.phones));
        println!("    companies: {}", join(&m.companies));
        if m.lines.len() > 1 {
            let lines: Vec<String> = m.lines.iter().map(|l| l.to_string()).collect();
            println!("    merged from lines {}", lines.join(", "));
            for r in &m.reasons {
                println!("      because {r}");
            }
        }
    }
}
