use std::collections::{BTreeMap, HashSet};
use std::env;
use std::fmt;
use std::fs;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Value>),
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{:?}", s),
            Value::Int(i) => write!(f, "{}", i),
            Value::Float(x) => write!(f, "{}", x),
            Value::Bool(b) => write!(f, "{}", b),
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(|v| v.to_string()).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    value: Value,
    line: usize,
}

type Document = BTreeMap<String, BTreeMap<String, Entry>>;

#[derive(Debug, Error)]
enum ConfigError {
    #[error("line {line}: syntax error: {msg}")]
    Syntax { line: usize, msg: String },
    #[error("line {line}: duplicate key `{key}` (first defined on line {first})")]
    DuplicateKey { line: usize, key: String, first: usize },
    #[error("missing required key `{section}.{key}`")]
    Missing { section: String, key: String },
    #[error("line {line}: `{section}.{key}` should be {expected}, found {found}")]
    WrongType {
        line: usize,
        section: String,
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("line {line}: `{section}.{key}` = {value} is out of range {min}..={max}")]
    OutOfRange {
        line: usize,
        section: String,
        key: String,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("line {line}: `{section}.{key}`: {msg}")]
    Invalid {
        line: usize,
        section: String,
        key: String,
        msg: String,
    },
    #[error("line {line}: unknown key `{section}.{key}`")]
    UnknownKey { line: usize, section: String, key: String },
    #[error("unknown section [{0}]")]
    UnknownSection(String),
}

#[derive(Debug, Error)]
#[error("configuration has {} error(s)", .0.len())]
struct ConfigErrors(Vec<ConfigError>);

fn syntax(line: usize, msg: impl Into<String>) -> ConfigError {
    ConfigError::Syntax {
        line,
        msg: msg.into(),
    }
}

/// Drops a `#` comment that is not inside a quoted string.
fn strip_comment(s: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return &s[..i],
            _ => {}
        }
        escaped = false;
    }
    s
}

fn parse_string(s: &str, line: usize) -> Result<String, ConfigError> {
    let mut out = String::new();
    let mut chars = s[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let rest = chars.as_str().trim();
                if !rest.is_empty() {
                    return Err(syntax(line, format!("unexpected `{}` after string", rest)));
                }
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some(other) => return Err(syntax(line, format!("invalid escape `\\{}`", other))),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err(syntax(line, "unterminated string"))
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_string = false;
    let mut start = 0;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            ',' if !in_string => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        prev = c;
    }
    parts.push(&s[start..]);
    parts
}

fn parse_value(s: &str, line: usize) -> Result<Value, ConfigError> {
    if s.is_empty() {
        return Err(syntax(line, "missing value"));
    }
    if s.starts_with('"') {
        return parse_string(s, line).map(Value::Str);
    }
    if s.starts_with('[') {
        let inner = s
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .ok_or_else(|| syntax(line, "unterminated array"))?;
        let mut items = Vec::new();
        for part in split_top_level(inner) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let item = parse_value(part, line)?;
            if let Value::Array(_) = item {
                return Err(syntax(line, "nested arrays are not supported"));
            }
            items.push(item);
        }
        return Ok(Value::Array(items));
    }
    match s {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let cleaned = s.replace('_', "");
    if let Ok(i) = cleaned.parse::<i64>() {
        return Ok(Value::Int(i));
    }
    if let Ok(x) = cleaned.parse::<f64>() {
        if x.is_finite() {
            return Ok(Value::Float(x));
        }
    }
    Err(syntax(
        line,
        format!("cannot parse value `{}` (strings must be quoted)", s),
    ))
}

/// Parses `[section]` headers and `key = value` lines. Keys before the first
/// header belong to the `root` section.
fn parse_document(text: &str) -> Result<Document, ConfigError> {
    let mut doc: Document = BTreeMap::new();
    let mut section = String::from("root");
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| syntax(line_no, "missing `]` in section header"))?
                .trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(syntax(line_no, format!("invalid section name `{}`", name)));
            }
            section = name.to_string();
            doc.entry(section.clone()).or_default();
            continue;
        }
        let (key, raw_value) = line
            .split_once('=')
            .ok_or_else(|| syntax(line_no, format!("expected `key = value`, found `{}`", line)))?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(syntax(line_no, format!("invalid key `{}`", key)));
        }
        let value = parse_value(raw_value.trim(), line_no)?;
        let table = doc.entry(section.clone()).or_default();
        if let Some(previous) = table.get(key) {
            return Err(ConfigError::DuplicateKey {
                line: line_no,
                key: format!("{}.{}", section, key),
                first: previous.line,
            });
        }
        table.insert(
            key.to_string(),
            Entry {
                value,
                line: line_no,
            },
        );
    }
    Ok(doc)
}

/// Reads typed values from one section, recording every problem it finds
/// instead of stopping at the first one.
struct SectionReader<'a> {
    section: &'a str,
    entries: Option<&'a BTreeMap<String, Entry>>,
    used: HashSet<&'static str>,
    errors: &'a mut Vec<ConfigError>,
}

impl<'a> SectionReader<'a> {
    fn new(doc: &'a Document, section: &'a str, errors: &'a mut Vec<ConfigError>) -> Self {
        SectionReader {
            section,
            entries: doc.get(section),
            used: HashSet::new(),
            errors,
        }
    }

    fn entry(&mut self, key: &'static str) -> Option<&'a Entry> {
        self.used.insert(key);
        self.entries.and_then(|m| m.get(key))
    }

    fn line_of(&self, key: &str) -> usize {
        self.entries
            .and_then(|m| m.get(key))
            .map(|e| e.line)
            .unwrap_or(0)
    }

    fn wrong_type(&mut self, key: &str, entry: &Entry, expected: &'static str) {
        self.errors.push(ConfigError::WrongType {
            line: entry.line,
            section: self.section.to_string(),
            key: key.to_string(),
            expected,
            found: entry.value.type_name(),
        });
    }

    fn missing(&mut self, key: &str) {
        self.errors.push(ConfigError::Missing {
            section: self.section.to_string(),
            key: key.to_string(),
        });
    }

    fn invalid(&mut self, key: &str, msg: impl Into<String>) {
        let line = self.line_of(key);
        self.errors.push(ConfigError::Invalid {
            line,
            section: self.section.to_string(),
            key: key.to_string(),
            msg: msg.into(),
        });
    }

    fn string(&mut self, key: &'static str, default: Option<&str>) -> Option<String> {
        match self.entry(key) {
            Some(Entry {
                value: Value::Str(s),
                ..
            }) => Some(s.clone()),
            Some(e) => {
                self.wrong_type(key, e, "a string");
                None
            }
            None => match default {
                Some(d) => Some(d.to_string()),
                None => {
                    self.missing(key);
                    None
                }
            },
        }
    }

    fn int(&mut self, key: &'static str, default: i64, min: i64, max: i64) -> i64 {
        match self.entry(key) {
            Some(Entry {
                value: Value::Int(v),
                line,
            }) => {
                if *v < min || *v > max {
                    self.errors.push(ConfigError::OutOfRange {
                        line: *line,
                        section: self.section.to_string(),
                        key: key.to_string(),
                        value: *v,
                        min,
                        max,
                    });
                    default
                } else {
                    *v
                }
            }
            Some(e) => {
                self.wrong_type(key, e, "an integer");
                default
            }
            None => default,
        }
    }

    fn boolean(&mut self, key: &'static str, default: bool) -> bool {
        match self.entry(key) {
            Some(Entry {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(e) => {
                self.wrong_type(key, e, "a boolean");
                default
            }
            None => default,
        }
    }

    fn string_list(&mut self, key: &'static str) -> Vec<String> {
        match self.entry(key) {
            Some(Entry {
                value: Value::Array(items),
                line,
            }) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::Str(s) => out.push(s.clone()),
                        other => self.errors.push(ConfigError::WrongType {
                            line: *line,
                            section: self.section.to_string(),
                            key: format!("{}[]", key),
                            expected: "a string",
                            found: other.type_name(),
                        }),
                    }
                }
                out
            }
            Some(e) => {
                self.wrong_type(key, e, "an array of strings");
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    /// Reports keys present in the file that no field asked for.
    fn finish(self) {
        if let Some(entries) = self.entries {
            for (key, entry) in entries {
                if !self.used.contains(key.as_str()) {
                    self.errors.push(ConfigError::UnknownKey {
                        line: entry.line,
                        section: self.section.to_string(),
                        key: key.clone(),
                    });
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "trace" => Some(LogLevel::Trace),
            "debug" => Some(LogLevel::Debug),
            "info" => Some(LogLevel::Info),
            "warn" | "warning" => Some(LogLevel::Warn),
            "error" => Some(LogLevel::Error),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct ServerConfig {
    host: String,
    port: u16,
    workers: u32,
    tls: bool,
    cert_path: Option<String>,
}

#[derive(Debug)]
struct DatabaseConfig {
    url: String,
    pool_size: u32,
    timeout_secs: u64,
}

#[derive(Debug)]
struct LoggingConfig {
    level: LogLevel,
    file: Option<String>,
}

#[derive(Debug)]
struct AppConfig {
    name: String,
    server: ServerConfig,
    database: DatabaseConfig,
    logging: LoggingConfig,
    features: Vec<String>,
}

const KNOWN_SECTIONS: [&str; 5] = ["root", "server", "database", "logging", "features"];

fn load_config(text: &str) -> Result<AppConfig, ConfigErrors> {
    let doc = parse_document(text).map_err(|e| ConfigErrors(vec![e]))?;
    let mut errors = Vec::new();
    for name in doc.keys() {
        if !KNOWN_SECTIONS.contains(&name.as_str()) {
            errors.push(ConfigError::UnknownSection(name.clone()));
        }
    }

    let name = {
        let mut r = SectionReader::new(&doc, "root", &mut errors);
        let name = r.string("name", Some("app")).unwrap_or_default();
        r.finish();
        name
    };

    let server = {
        let mut r = SectionReader::new(&doc, "server", &mut errors);
        let host = r.string("host", Some("127.0.0.1")).unwrap_or_default();
        if host.trim().is_empty() {
            r.invalid("host", "must not be empty");
        }
        let port = r.int("port", 8080, 1, 65535) as u16;
        let workers = r.int("workers", 4, 1, 256) as u32;
        let tls = r.boolean("tls", false);
        let cert_path = r.string("cert_path", Some("")).filter(|s| !s.is_empty());
        if tls && cert_path.is_none() {
            r.missing("cert_path (required when tls = true)");
        }
        r.finish();
        ServerConfig {
            host,
            port,
            workers,
            tls,
            cert_path,
        }
    };

    let database = {
        let mut r = SectionReader::new(&doc, "database", &mut errors);
        let url = r.string("url", None).unwrap_or_default();
        let valid_scheme = ["postgres://", "mysql://", "sqlite://"]
            .iter()
            .any(|scheme| url.starts_with(scheme));
        if !url.is_empty() && !valid_scheme {
            r.invalid("url", "unsupported scheme, expected postgres://, mysql:// or sqlite://");
        }
        let pool_size = r.int("pool_size", 10, 1, 100) as u32;
        let timeout_secs = r.int("timeout_secs", 30, 1, 3600) as u64;
        r.finish();
        DatabaseConfig {
            url,
            pool_size,
            timeout_secs,
        }
    };

    let logging = {
        let mut r = SectionReader::new(&doc, "logging", &mut errors);
        let level_text = r.string("level", Some("info")).unwrap_or_else(|| "info".to_string());
        let level = match LogLevel::parse(&level_text) {
            Some(level) => level,
            None => {
                r.invalid(
                    "level",
                    format!("unknown level `{}` (expected trace|debug|info|warn|error)", level_text),
                );
                LogLevel::Info
            }
        };
        let file = r.string("file", Some("")).filter(|s| !s.is_empty());
        r.finish();
        LoggingConfig { level, file }
    };

    let features = {
        let mut r = SectionReader::new(&doc, "features", &mut errors);
        let enabled = r.string_list("enabled");
        r.finish();
        enabled
    };

    if errors.is_empty() {
        Ok(AppConfig {
            name,
            server,
            database,
            logging,
            features,
        })
    } else {
        Err(ConfigErrors(errors))
    }
}

const GOOD: &str = r#"
name = "billing-service"

[server]
host = "0.0.0.0"
port = 8443
workers = 16
tls = true
cert_path = "/etc/billing/tls.pem"   # rotated monthly

[database]
url = "postgres://billing@db.internal/billing"
pool_size = 20

[logging]
level = "debug"
file = "/var/log/billing.log"

[features]
enabled = ["invoices", "refunds", "multi-currency"]
"#;

const MINIMAL: &str = r#"
[database]
url = "sqlite://local.db"
"#;

const BAD: &str = r#"
name = "billing"

[server]
host = ""
port = 70_000
workers = "eight"
tls = true

[database]
url = "redis://localhost"
pool_size = 0

[logging]
level = "verbose"
colour = true

[features]
enabled = ["auth", 42]

[metrics]
enabled = true
"#;

const SYNTAX_ERROR: &str = "[server\nport = 80\n";

fn check(label: &str, text: &str) {
    println!("== {} ==", label);
    match load_config(text) {
        Ok(config) => println!("{:#?}\n", config),
        Err(ConfigErrors(errors)) => {
            println!("{}", ConfigErrors(Vec::with_capacity(0)).to_string().replace("0", &errors.len().to_string()));
            for e in &errors {
                println!("  - {}", e);
            }
            println!();
        }
    }
}

fn main() {
    if let Some(path) = env::args().nth(1) {
        match fs::read_to_string(&path) {
            Ok(text) => check(&path, &text),
            Err(e) => eprintln!("cannot read {}: {}", path, e),
        }
        return;
    }
    check("valid configuration", GOOD);
    check("minimal configuration (defaults applied)", MINIMAL);
    check("invalid configuration", BAD);
    check("syntax error", SYNTAX_ERROR);
}
