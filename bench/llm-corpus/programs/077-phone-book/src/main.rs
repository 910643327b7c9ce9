use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{Read, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Mobile,
    Home,
    Work,
    Other,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_lowercase().as_str() {
            "mobile" | "cell" => Some(Kind::Mobile),
            "home" => Some(Kind::Home),
            "work" | "office" => Some(Kind::Work),
            "other" => Some(Kind::Other),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Kind::Mobile => "mobile",
            Kind::Home => "home",
            Kind::Work => "work",
            Kind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Phone {
    kind: Kind,
    number: String,
}

#[derive(Debug, Clone)]
struct Contact {
    id: u32,
    name: String,
    email: Option<String>,
    phones: Vec<Phone>,
}

impl fmt::Display for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:<2} {}", self.id, self.name)?;
        if let Some(email) = &self.email {
            write!(f, " <{}>", email)?;
        }
        let phones: Vec<String> = self
            .phones
            .iter()
            .map(|p| format!("{}: {}", p.kind.as_str(), p.number))
            .collect();
        if !phones.is_empty() {
            write!(f, " - {}", phones.join(", "))?;
        }
        Ok(())
    }
}

/// One CSV row per contact; numbers are packed as `kind:number;kind:number`.
#[derive(Debug, Serialize, Deserialize)]
struct CsvContact {
    name: String,
    email: String,
    phones: String,
}

#[derive(Debug, Default)]
struct ImportReport {
    added: usize,
    merged: usize,
    numbers: usize,
    errors: Vec<String>,
}

/// Keeps digits and a leading `+`; 7 to 15 digits (E.164 allows at most 15).
fn normalize_number(raw: &str) -> Result<String> {
    let trimmed = raw.trim();
    if let Some(bad) = trimmed
        .chars()
        .find(|c| !(c.is_ascii_digit() || " +-().".contains(*c)))
    {
        bail!("invalid character {:?} in phone number `{}`", bad, raw);
    }
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() < 7 || digits.len() > 15 {
        bail!("phone number `{}` must have 7-15 digits", raw);
    }
    Ok(if trimmed.starts_with('+') {
        format!("+{}", digits)
    } else {
        digits
    })
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut curr = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        curr[0] = i;
        for j in 1..=b.len() {
            let cost = if a[i - 1] == b[j - 1] { 0 } else { 1 };
            curr[j] = (prev[j] + 1).min(curr[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut curr);
    }
    prev[b.len()]
}

/// 1.0 for a prefix match, otherwise 1 - normalised edit distance.
fn token_similarity(query: &str, token: &str) -> f64 {
    if token.starts_with(query) {
        return 1.0;
    }
    let distance = levenshtein(query, token);
    let longest = query.chars().count().max(token.chars().count()).max(1);
    1.0 - distance as f64 / longest as f64
}

#[derive(Default)]
struct PhoneBook {
    contacts: BTreeMap<u32, Contact>,
    next_id: u32,
}

impl PhoneBook {
    fn add_contact(&mut self, name: &str, email: Option<&str>) -> u32 {
        self.next_id += 1;
        let id = self.next_id;
        self.contacts.insert(
            id,
            Contact {
                id,
                name: name.trim().to_string(),
                email: email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()),
                phones: Vec::new(),
            },
        );
        id
    }

    fn add_number(&mut self, id: u32, kind: Kind, raw: &str) -> Result<()> {
        let number = normalize_number(raw)?;
        if let Some(owner) = self.find_by_number(&number) {
            if owner.id == id {
                return Ok(()); // already recorded for this contact
            }
            bail!("{} already belongs to {}", number, owner.name);
        }
        let contact = self
            .contacts
            .get_mut(&id)
            .with_context(|| format!("no contact with id {}", id))?;
        contact.phones.push(Phone { kind, number });
        Ok(())
    }

    fn find_by_number(&self, raw: &str) -> Option<&Contact> {
        let number = normalize_number(raw).ok()?;
        self.contacts
            .values()
            .find(|c| c.phones.iter().any(|p| p.number == number))
    }

    fn find_by_name(&self, name: &str) -> Option<u32> {
        let wanted = name.trim().to_lowercase();
        self.contacts
            .values()
            .find(|c| c.name.to_lowercase() == wanted)
            .map(|c| c.id)
    }

    /// Fuzzy search over name tokens; digit-only queries search the numbers.
    fn search(&self, query: &str) -> Vec<(f64, &Contact)> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return Vec::new();
        }
        if query.chars().all(|c| c.is_ascii_digit() || c == '+') {
            let digits = query.trim_start_matches('+');
            return self
                .contacts
                .values()
                .filter(|c| c.phones.iter().any(|p| p.number.contains(digits)))
                .map(|c| (1.0, c))
                .collect();
        }
        let q_tokens: Vec<&str> = query.split_whitespace().collect();
        let mut results: Vec<(f64, &Contact)> = self
            .contacts
            .values()
            .filter_map(|c| {
                let name = c.name.to_lowercase();
                let name_tokens: Vec<&str> = name.split_whitespace().collect();
                let score = q_tokens
                    .iter()
                    .map(|q| {
                        name_tokens
                            .iter()
                            .map(|t| token_similarity(q, t))
                            .fold(0.0, f64::max)
                    })
                    .sum::<f64>()
                    / q_tokens.len() as f64;
                if score >= 0.6 {
                    Some((score, c))
                } else {
                    None
                }
            })
            .collect();
        results.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .expect("finite score")
                .then_with(|| a.1.name.cmp(&b.1.name))
        });
        results
    }

    fn export_csv<W: Write>(&self, writer: W) -> Result<()> {
        let mut w = csv::Writer::from_writer(writer);
        for c in self.contacts.values() {
            let phones = c
                .phones
                .iter()
                .map(|p| format!("{}:{}", p.kind.as_str(), p.number))
                .collect::<Vec<_>>()
                .join(";");
            w.serialize(CsvContact {
                name: c.name.clone(),
                email: c.email.clone().unwrap_or_default(),
                phones,
            })?;
        }
        w.flush()?;
        Ok(())
    }

    /// Imports rows, merging into existing contacts with the same name.
    fn import_csv<R: Read>(&mut self, reader: R) -> Result<ImportReport> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let mut report = ImportReport::default();
        for (i, row) in rdr.deserialize::<CsvContact>().enumerate() {
            let line = i + 2;
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    report.errors.push(format!("line {}: {}", line, e));
                    continue;
                }
            };
            if row.name.trim().is_empty() {
                report.errors.push(format!("line {}: missing name", line));
                continue;
            }
            let id = match self.find_by_name(&row.name) {
                Some(id) => {
                    report.merged += 1;
                    id
                }
                None => {
                    report.added += 1;
                    let email = (!row.email.is_empty()).then(|| row.email.as_str());
                    self.add_contact(&row.name, email)
                }
            };
            for entry in row.phones.split(';').map(str::trim).filter(|e| !e.is_empty()) {
                let (kind, number) = match entry.split_once(':') {
                    Some((k, n)) => (Kind::parse(k).unwrap_or(Kind::Other), n),
                    None => (Kind::Other, entry),
                };
                match self.add_number(id, kind, number) {
                    Ok(()) => report.numbers += 1,
                    Err(e) => report.errors.push(format!("line {}: {}", line, e)),
                }
            }
        }
        Ok(report)
    }
}

fn print_report(label: &str, report: &ImportReport) {
    println!(
        "{}: {} added, {} merged, {} numbers",
        label, report.added, report.merged, report.numbers
    );
    for e in &report.errors {
        println!("  error: {}", e);
    }
}

const MESSY_CSV: &str = "\
name,email,phones
John Smith,,home:+1 (555) 010-9999
Grace Hopper,grace@navy.example,work:+1 555 010 7777;mobile:555-0100-abc
,nobody@example.com,mobile:5550103333
Linus Torvalds,linus@example.org,mobile:12
Ada Lovelace,ada@example.com,mobile:+44 20 7946 0001
";

fn main() -> Result<()> {
    let mut book = PhoneBook::default();
    let seed: [(&str, Option<&str>, &[(Kind, &str)]); 6] = [
        ("John Smith", Some("john.smith@example.com"), &[(Kind::Mobile, "+1 (555) 010-1234"), (Kind::Work, "555.010.4321")]),
        ("Jane Smithers", Some("jane@example.com"), &[(Kind::Mobile, "+1 555 010 5678")]),
        ("Ada Lovelace", Some("ada@example.com"), &[(Kind::Home, "+44 20 7946 0000")]),
        ("Alan Turing", None, &[(Kind::Work, "+44 161 496 0000")]),
        ("Marie Curie", Some("marie@example.fr"), &[(Kind::Mobile, "+33 6 12 34 56 78"), (Kind::Home, "+33 1 23 45 67 89")]),
        ("Jon Snow", None, &[(Kind::Other, "555 010 2020")]),
    ];
    for (name, email, phones) in seed {
        let id = book.add_contact(name, email);
        for (kind, number) in phones {
            book.add_number(id, *kind, number)?;
        }
    }
    if let Err(e) = book.add_number(2, Kind::Home, "+1 (555) 010-1234") {
        println!("rejected: {}", e);
    }
    if let Err(e) = book.add_number(2, Kind::Home, "call me maybe") {
        println!("rejected: {}", e);
    }

    println!("\nPhone book:");
    for c in book.contacts.values() {
        println!("  {}", c);
    }

    println!("\nSearch:");
    for query in ["jon smith", "smth", "ana", "marie curie", "lovelace", "5550101234", "turing alan"] {
        let hits = book.search(query);
        if hits.is_empty() {
            println!("  {:<12} -> no match", query);
        }
        for (score, c) in hits.iter().take(3) {
            println!("  {:<12} -> {:.2} {}", query, score, c.name);
        }
    }
    match book.find_by_number("(555) 010 5678") {
        Some(c) => println!("  reverse lookup (555) 010 5678 -> {}", c.name),
        None => println!("  reverse lookup: not found"),
    }

    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("phone-book-export.csv"));
    book.export_csv(File::create(&path).with_context(|| format!("creating {}", path.display()))?)?;
    println!("\nexported {} contacts to {}", book.contacts.len(), path.display());

    let mut restored = PhoneBook::default();
    let report = restored.import_csv(File::open(&path)?)?;
    print_report("re-imported", &report);
    assert_eq!(restored.contacts.len(), book.contacts.len());

    let report = restored.import_csv(MESSY_CSV.as_bytes())?;
    print_report("\nmerged messy CSV", &report);

    println!("\nAfter merge:");
    for c in restored.contacts.values() {
        println!("  {}", c);
    }

    let mut out = Vec::new();
    restored.export_csv(&mut out)?;
    println!("\nCSV export:\n{}", String::from_utf8(out)?);
    Ok(())
}
