use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::env;
use std::fmt;
use std::fs;

#[derive(Debug, Clone, PartialEq)]
enum Invalid {
    Empty,
    TooLong(usize),
    MissingAt,
    MultipleAt(usize),
    EmptyLocal,
    LocalTooLong(usize),
    InvalidLocalChars(String),
    DotPlacement,
    EmptyDomain,
    MissingTld,
    InvalidDomainLabel(String),
    InvalidTld(String),
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Empty => write!(f, "address is empty"),
            Invalid::TooLong(n) => write!(f, "address is {} characters long (max 254)", n),
            Invalid::MissingAt => write!(f, "missing `@`"),
            Invalid::MultipleAt(n) => write!(f, "contains {} `@` signs", n),
            Invalid::EmptyLocal => write!(f, "nothing before `@`"),
            Invalid::LocalTooLong(n) => write!(f, "local part is {} characters (max 64)", n),
            Invalid::InvalidLocalChars(chars) => write!(f, "invalid character(s) in local part: {}", chars),
            Invalid::DotPlacement => write!(f, "local part starts/ends with a dot or has consecutive dots"),
            Invalid::EmptyDomain => write!(f, "nothing after `@`"),
            Invalid::MissingTld => write!(f, "domain has no top-level domain"),
            Invalid::InvalidDomainLabel(l) => write!(f, "invalid domain label `{}`", l),
            Invalid::InvalidTld(t) => write!(f, "invalid top-level domain `{}`", t),
        }
    }
}

const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";

struct Validator {
    local_re: Regex,
    label_re: Regex,
    tld_re: Regex,
}

impl Validator {
    fn new() -> Self {
        Validator {
            local_re: Regex::new(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$").expect("valid regex"),
            label_re: Regex::new(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
                .expect("valid regex"),
            tld_re: Regex::new(r"^[A-Za-z]{2,63}$").expect("valid regex"),
        }
    }

    /// Validates and returns the normalised address.
    fn validate(&self, raw: &str) -> Result<String, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::Empty);
        }
        if s.len() > 254 {
            return Err(Invalid::TooLong(s.len()));
        }
        match s.matches('@').count() {
            0 => return Err(Invalid::MissingAt),
            1 => {}
            n => return Err(Invalid::MultipleAt(n)),
        }
        let (local, domain) = s.split_once('@').expect("exactly one @");

        if local.is_empty() {
            return Err(Invalid::EmptyLocal);
        }
        if local.len() > 64 {
            return Err(Invalid::LocalTooLong(local.len()));
        }
        if !self.local_re.is_match(local) {
            let bad: BTreeSet<char> = local
                .chars()
                .filter(|c| !(c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(*c)))
                .collect();
            let shown: Vec<String> = bad.iter().map(|c| format!("{:?}", c)).collect();
            return Err(Invalid::InvalidLocalChars(shown.join(" ")));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(Invalid::DotPlacement);
        }

        if domain.is_empty() {
            return Err(Invalid::EmptyDomain);
        }
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err(Invalid::MissingTld);
        }
        for label in &labels[..labels.len() - 1] {
            if !self.label_re.is_match(label) {
                return Err(Invalid::InvalidDomainLabel(label.to_string()));
            }
        }
        let tld = labels[labels.len() - 1];
        if !self.tld_re.is_match(tld) {
            return Err(Invalid::InvalidTld(tld.to_string()));
        }

        Ok(normalise(local, &domain))
    }
}

/// Lower-cases the address; for Gmail also drops dots and `+tags`,
/// since Gmail ignores them when delivering.
fn normalise(local: &str, domain: &str) -> String {
    let mut local = local.to_lowercase();
    let domain = if domain == "googlemail.com" {
        "gmail.com".to_string()
    } else {
        domain.to_string()
    };
    if domain == "gmail.com" {
        if let Some(plus) = local.find('+') {
            local.truncate(plus);
        }
        local = local.replace('.', "");
    }
    format!("{}@{}", local, domain)
}

const SAMPLE: &[&str] = &[
    "John.Smith@Example.com",
    "john.smith+newsletter@gmail.com",
    "J.O.H.N.SMITH@googlemail.com",
    "johnsmith@gmail.com",
    "alice@sub.example.co.uk",
    "  bob@example.com  ",
    "bob@EXAMPLE.com",
    "carol@Example.COM",
    "ok_123@domain-with-dash.io",
    "o'reilly@publisher.org",
    "no-at-sign.example.com",
    "two@@example.com",
    "a@b@c.com",
    ".leading@example.com",
    "trailing.@example.com",
    "double..dot@example.com",
    "user@-badlabel.com",
    "user@example",
    "user@example.c",
    "user@exa_mple.com",
    "",
    "spaces in@example.com",
    "quote\"d@example.com",
    "x@123.45",
    "@example.com",
    "dave@",
];

fn main() {
    let inputs: Vec<String> = match env::args().nth(1) {
        Some(path) => match fs::read_to_string(&path) {
            Ok(text) => text.lines().map(String::from).collect(),
            Err(e) => {
                eprintln!("cannot read {}: {}", path, e);
                std::process::exit(1);
            }
        },
        None => SAMPLE.iter().map(|s| s.to_string()).collect(),
    };

    let validator = Validator::new();
    let mut by_domain: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut duplicates: Vec<(usize, String, usize)> = Vec::new();
    let mut invalid: Vec<(usize, String, Invalid)> = Vec::new();

    for (i, raw) in inputs.iter().enumerate() {
        let line = i + 1;
        match validator.validate(raw) {
            Ok(normalised) => {
                if let Some(&first) = first_seen.get(&normalised) {
                    duplicates.push((line, normalised.clone(), first));
                    continue;
                }
                first_seen.insert(normalised.clone(), line);
                let domain = normalised
                    .rsplit_once('@')
                    .map(|(_, d)| d.to_string())
                    .unwrap_or_default();
                by_domain
                    .entry(domain)
                    .or_default()
                    .push((raw.trim().to_string(), normalised));
            }
            Err(reason) => invalid.push((line, raw.clone(), reason)),
        }
    }

    let valid_count: usize = by_domain.values().map(Vec::len).sum();
    println!("VALID ADDRESSES BY DOMAIN ({} unique)", valid_count);
    for (domain, entries) in &by_domain {
        println!("  {} ({})", domain, entries.len());
        for (original, normalised) in entries {
            if original == normalised {
                println!("    {}", normalised);
            } else {
                println!("    {:<34} <- {}", normalised, original);
            }
        }
    }

    if !duplicates.is_empty() {
        println!("\nDUPLICATES AFTER NORMALISATION");
        for (line, address, first) in &duplicates {
            println!("  line {:>2}: {} (same as line {})", line, address, first);
        }
    }

    println!("\nINVALID ADDRESSES ({})", invalid.len());
    for (line, raw, reason) in &invalid {
        println!("  line {:>2}: {:<28} {}", line, format!("{:?}", raw), reason);
    }

    println!(
        "\nsummary: {} inputs, {} valid, {} duplicates, {} invalid",
        inputs.len(),
        valid_count,
        duplicates.len(),
        invalid.len()
    );
}
