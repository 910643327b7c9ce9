use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fs;
use thiserror::Error;

pub const DEFAULT_SECTION: &str = "default";

#[derive(Debug, Error, PartialEq)]
pub enum IniError {
    #[error("line {line}: unterminated section header (missing `]`)")]
    UnterminatedSection { line: usize },
    #[error("line {line}: empty section name")]
    EmptySection { line: usize },
    #[error("line {line}: expected `key = value`, found `{text}`")]
    MissingEquals { line: usize, text: String },
    #[error("line {line}: empty key")]
    EmptyKey { line: usize },
    #[error("line {line}: unterminated quoted value")]
    UnterminatedQuote { line: usize },
    #[error("line {line}: unexpected characters `{rest}`")]
    TrailingCharacters { line: usize, rest: String },
    #[error("line {line}: unknown escape sequence `\\{ch}`")]
    BadEscape { line: usize, ch: char },
    #[error("line {line}: duplicate key `{key}` in section [{section}] (first defined on line {first})")]
    DuplicateKey {
        line: usize,
        key: String,
        section: String,
        first: usize,
    },
}

#[derive(Debug, Default)]
pub struct Ini {
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

/// Removes a `;` or `#` comment that starts the text or follows whitespace.
fn strip_inline_comment(s: &str) -> &str {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if (b == b';' || b == b'#') && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &s[..i];
        }
    }
    s
}

fn parse_value(text: &str, line: usize) -> Result<String, IniError> {
    let quote = match text.chars().next() {
        Some(q @ ('"' | '\'')) => q,
        _ => return Ok(strip_inline_comment(text).trim().to_string()),
    };
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if c == quote {
            let rest = strip_inline_comment(&text[i + 1..]).trim();
            if !rest.is_empty() {
                return Err(IniError::TrailingCharacters {
                    line,
                    rest: rest.to_string(),
                });
            }
            return Ok(value);
        }
        // escapes are only interpreted inside double quotes
        if c == '\\' && quote == '"' {
            match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, '"')) => value.push('"'),
                Some((_, other)) => return Err(IniError::BadEscape { line, ch: other }),
                None => break,
            }
        } else {
            value.push(c);
        }
    }
    Err(IniError::UnterminatedQuote { line })
}

impl Ini {
    pub fn parse(input: &str) -> Result<Ini, IniError> {
        let mut ini = Ini::default();
        let mut first_seen: HashMap<(String, String), usize> = HashMap::new();
        let mut section = DEFAULT_SECTION.to_string();

        for (index, raw) in input.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
                continue;
            }

            if line.starts_with('[') {
                let close = line
                    .find(']')
                    .ok_or(IniError::UnterminatedSection { line: line_no })?;
                let name = line[1..close].trim();
                if name.is_empty() {
                    return Err(IniError::EmptySection { line: line_no });
                }
                let rest = strip_inline_comment(&line[close + 1..]).trim();
                if !rest.is_empty() {
                    return Err(IniError::TrailingCharacters {
                        line: line_no,
                        rest: rest.to_string(),
                    });
                }
                section = name.to_string();
                ini.sections.entry(section.clone()).or_default();
                continue;
            }

            let eq = line.find('=').ok_or_else(|| IniError::MissingEquals {
                line: line_no,
                text: line.to_string(),
            })?;
            let key = line[..eq].trim().to_lowercase();
            if key.is_empty() {
                return Err(IniError::EmptyKey { line: line_no });
            }
            let value = parse_value(line[eq + 1..].trim(), line_no)?;

            let id = (section.clone(), key.clone());
            if let Some(&first) = first_seen.get(&id) {
                return Err(IniError::DuplicateKey {
                    line: line_no,
                    key,
                    section: section.clone(),
                    first,
                });
            }
            first_seen.insert(id, line_no);
            ini.sections
                .entry(section.clone())
                .or_default()
                .insert(key, value);
        }
        Ok(ini)
    }

    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.sections
            .get(section)?
            .get(&key.to_lowercase())
            .map(String::as_str)
    }

    pub fn get_int(&self, section: &str, key: &str) -> Option<i64> {
        self.get(section, key)?.parse().ok()
    }

    pub fn get_bool(&self, section: &str, key: &str) -> Option<bool> {
        match self.get(section, key)?.to_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Some(true),
            "false" | "no" | "off" | "0" => Some(false),
            _ => None,
        }
    }

    pub fn sections(&self) -> impl Iterator<Item = (&String, &BTreeMap<String, String>)> {
        self.sections.iter()
    }
}

const SAMPLE: &str = r#"; Global settings live in the implicit "default" section
app_name = Inventory Service
debug = yes

[database]
host = db.internal.example.com   ; primary replica
port = 5432
user = "svc_inventory"
password = "p@ss;word#42"
options = 'sslmode=require'

[server]
listen = 0.0.0.0:8080
workers = 8
banner = "Welcome!\n\tInventory v2"
motd = "He said \"hi\""

[paths]
data = /var/lib/inventory
log  = /var/log/inventory.log # rotated daily
"#;

const BAD_INPUTS: &[(&str, &str)] = &[
    ("unterminated section", "[database\nhost = x"),
    ("missing equals", "[a]\nkey value"),
    ("unterminated quote", "[a]\nname = \"unterminated"),
    ("duplicate key", "[a]\nx = 1\n; comment\nX = 2"),
    ("empty key", "= value"),
    ("trailing garbage", "k = \"abc\" trailing"),
    ("bad escape", "k = \"bad \\q escape\""),
    ("empty section", "[  ]"),
];

fn print_ini(ini: &Ini) {
    println!("{{");
    for (name, entries) in ini.sections() {
        println!("  {:?}: {{", name);
        for (key, value) in entries {
            println!("    {:?}: {:?},", key, value);
        }
        println!("  }},");
    }
    println!("}}");
}

fn main() {
    let (source, text, from_file) = match env::args().nth(1) {
        Some(path) => match fs::read_to_string(&path) {
            Ok(text) => (path, text, true),
            Err(e) => {
                eprintln!("cannot read {}: {}", path, e);
                std::process::exit(1);
            }
        },
        None => ("<built-in sample>".to_string(), SAMPLE.to_string(), false),
    };

    match Ini::parse(&text) {
        Ok(ini) => {
            println!("Parsed {}:", source);
            print_ini(&ini);
            println!();
            println!("typed lookups:");
            println!("  default.debug   -> {:?}", ini.get_bool(DEFAULT_SECTION, "debug"));
            println!("  database.port   -> {:?}", ini.get_int("database", "port"));
            println!("  server.workers  -> {:?}", ini.get_int("server", "workers"));
            println!("  server.banner   -> {:?}", ini.get("server", "banner"));
            println!("  paths.missing   -> {:?}", ini.get("paths", "missing"));
        }
        Err(e) => {
            eprintln!("{}: {}", source, e);
            if from_file {
                std::process::exit(1);
            }
        }
    }

    if !from_file {
        println!("\nerror reporting:");
        for (label, input) in BAD_INPUTS {
            match Ini::parse(input) {
                Ok(_) => println!("  {:<22} parsed without error (unexpected)", label),
                Err(e) => println!("  {:<22} {}", label, e),
            }
        }
    }
}
