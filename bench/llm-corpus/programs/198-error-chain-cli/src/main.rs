//! `error-chain-cli <config-file> <data-file>`
//!
//! Reads a `key = value` config file and a CSV-like data file of expenses,
//! aggregates them and prints a report. Parsing errors are precise `thiserror`
//! enums; the I/O and orchestration layers wrap them with `anyhow` context so
//! the user sees the whole chain. Totals live in `Tally<K, V>`, a generic table
//! whose keys need `Hash + Ord + Display + Clone` and which implements `Display`.
//!
//! Run without arguments to execute a demo that writes sample files to a
//! temporary directory and walks through success and failure scenarios.

use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::fmt::{self, Display};
use std::fs;
use std::hash::Hash;
use std::ops::Add;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
enum ConfigError {
    #[error("line {line}: expected `key = value`, found `{text}`")]
    Syntax { line: usize, text: String },
    #[error("missing required key `{0}`")]
    MissingKey(String),
    #[error("key `{key}` has invalid value `{value}`: {reason}")]
    InvalidValue { key: String, value: String, reason: String },
    #[error("duplicate key `{key}` on line {line}")]
    DuplicateKey { key: String, line: usize },
}

#[derive(Debug, Error)]
enum DataError {
    #[error("line {line}: expected 3 comma-separated fields, found {found}")]
    FieldCount { line: usize, found: usize },
    #[error("line {line}: invalid date `{text}` (expected YYYY-MM-DD)")]
    BadDate { line: usize, text: String },
    #[error("line {line}: invalid amount `{text}`")]
    BadAmount {
        line: usize,
        text: String,
        #[source]
        source: std::num::ParseFloatError,
    },
    #[error("line {line}: unknown category `{category}` (allowed: {allowed})")]
    UnknownCategory { line: usize, category: String, allowed: String },
    #[error("line {line}: amount {amount:.2} exceeds the configured limit {limit:.2}")]
    OverLimit { line: usize, amount: f64, limit: f64 },
}

/// Money amount with two-decimal display.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
struct Amount(f64);

impl Add for Amount {
    type Output = Amount;
    fn add(self, o: Amount) -> Amount {
        Amount(self.0 + o.0)
    }
}

impl Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

/// Generic aggregation table: sums values per key and counts entries.
#[derive(Debug, Clone)]
struct Tally<K, V> {
    title: String,
    totals: HashMap<K, V>,
    counts: HashMap<K, usize>,
}

impl<K, V> Tally<K, V>
where
    K: Hash + Eq + Ord + Display + Clone,
    V: Copy + Default + Display + PartialOrd + Add<Output = V>,
{
    fn new(title: impl Into<String>) -> Self {
        Tally { title: title.into(), totals: HashMap::new(), counts: HashMap::new() }
    }

    fn add(&mut self, key: K, value: V) {
        let total = self.totals.entry(key.clone()).or_default();
        *total = *total + value;
        *self.counts.entry(key).or_insert(0) += 1;
    }

    fn sorted_keys(&self) -> Vec<&K> {
        let mut keys: Vec<&K> = self.totals.keys().collect();
        keys.sort();
        keys
    }

    fn grand_total(&self) -> V {
        self.totals.values().fold(V::default(), |acc, &v| acc + v)
    }

    fn largest(&self) -> Option<(&K, V)> {
        self.totals.iter().fold(None, |best: Option<(&K, V)>, (k, &v)| match best {
            Some((bk, bv)) if bv > v || (bv == v && bk < k) => best,
            _ => Some((k, v)),
        })
    }
}

impl<K, V> Display for Tally<K, V>
where
    K: Hash + Eq + Ord + Display + Clone,
    V: Copy + Default + Display + PartialOrd + Add<Output = V>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.title)?;
        for k in self.sorted_keys() {
            writeln!(f, "  {:<10} {:>10}  ({} entries)", k.to_string(), self.totals[k].to_string(), self.counts[k])?;
        }
        write!(f, "  {:<10} {:>10}", "TOTAL", self.grand_total().to_string())
    }
}

#[derive(Debug, Clone)]
struct Config {
    title: String,
    currency: String,
    categories: Vec<String>,
    limit: f64,
    strict: bool,
}

fn parse_config(text: &str) -> Result<Config, ConfigError> {
    let mut raw: HashMap<String, String> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| ConfigError::Syntax { line: line_no, text: line.to_string() })?;
        let key = k.trim().to_lowercase();
        if raw.insert(key.clone(), v.trim().to_string()).is_some() {
            return Err(ConfigError::DuplicateKey { key, line: line_no });
        }
    }
    let get = |key: &str| raw.get(key).cloned().ok_or_else(|| ConfigError::MissingKey(key.to_string()));
    let invalid = |key: &str, value: &str, reason: &str| ConfigError::InvalidValue {
        key: key.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    };

    let title = get("title")?;
    let currency = get("currency")?;
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(invalid("currency", &currency, "expected a 3-letter ISO code"));
    }
    let categories_raw = get("categories")?;
    let categories: Vec<String> = categories_raw
        .split(',')
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .collect();
    if categories.is_empty() {
        return Err(invalid("categories", &categories_raw, "at least one category is required"));
    }
    let limit_raw = get("limit")?;
    let limit: f64 = limit_raw.parse().map_err(|e: std::num::ParseFloatError| invalid("limit", &limit_raw, &e.to_string()))?;
    if !(limit > 0.0) {
        return Err(invalid("limit", &limit_raw, "must be positive"));
    }
    let strict = match raw.get("strict").map(String::as_str) {
        None | Some("false") | Some("no") => false,
        Some("true") | Some("yes") => true,
        Some(other) => return Err(invalid("strict", other, "expected true or false")),
    };
    Ok(Config { title, currency, categories, limit, strict })
}

#[derive(Debug, Clone)]
struct Record {
    line: usize,
    month: u32,
    category: String,
    amount: Amount,
}

fn parse_record(line_no: usize, line: &str, config: &Config) -> Result<Record, DataError> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() != 3 {
        return Err(DataError::FieldCount { line: line_no, found: fields.len() });
    }
    let month = fields[0]
        .get(5..7)
        .filter(|_| fields[0].len() == 10)
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| DataError::BadDate { line: line_no, text: fields[0].to_string() })?;
    let category = fields[1].to_lowercase();
    if !config.categories.contains(&category) {
        return Err(DataError::UnknownCategory { line: line_no, category, allowed: config.categories.join(", ") });
    }
    let amount: f64 = fields[2]
        .parse()
        .map_err(|source| DataError::BadAmount { line: line_no, text: fields[2].to_string(), source })?;
    if amount > config.limit {
        return Err(DataError::OverLimit { line: line_no, amount, limit: config.limit });
    }
    Ok(Record { line: line_no, month, category, amount: Amount(amount) })
}

/// In strict mode the first bad line aborts; otherwise bad lines become warnings.
fn parse_data(text: &str, config: &Config) -> Result<(Vec<Record>, Vec<DataError>), DataError> {
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("date") {
            continue;
        }
        match parse_record(i + 1, line, config) {
            Ok(r) => records.push(r),
            Err(e) if !config.strict => warnings.push(e),
            Err(e) => return Err(e),
        }
    }
    Ok((records, warnings))
}

fn load_config(path: &Path) -> Result<Config> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read config file `{}`", path.display()))?;
    let config = parse_config(&text).with_context(|| format!("invalid configuration in `{}`", path.display()))?;
    Ok(config)
}

fn load_data(path: &Path, config: &Config) -> Result<(Vec<Record>, Vec<DataError>)> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read data file `{}`", path.display()))?;
    let parsed = parse_data(&text, config).with_context(|| format!("bad record in `{}` (strict mode)", path.display()))?;
    Ok(parsed)
}

struct Report {
    config: Config,
    by_category: Tally<String, Amount>,
    by_month: Tally<u32, u32>,
    warnings: Vec<DataError>,
    records: usize,
}

fn run(config_path: &Path, data_path: &Path) -> Result<Report> {
    let config = load_config(config_path).context("loading configuration")?;
    let (records, warnings) = load_data(data_path, &config).context("loading expense data")?;
    if records.is_empty() {
        bail!("no valid records in `{}`", data_path.display());
    }
    let mut by_category = Tally::new(format!("{} - spending by category ({})", config.title, config.currency));
    let mut by_month = Tally::new("Entries per month");
    for r in &records {
        by_category.add(r.category.clone(), r.amount);
        by_month.add(r.month, 1u32);
    }
    let first_line = records.first().map(|r| r.line).unwrap_or(0);
    println!("  (first valid record on line {first_line})");
    Ok(Report { config, by_category, by_month, warnings, records: records.len() })
}

fn print_report(report: &Report) {
    println!("{}", report.by_category);
    println!("{}", report.by_month);
    if let Some((cat, total)) = report.by_category.largest() {
        println!("largest category: {cat} with {total} {}", report.config.currency);
    }
    println!("{} records used, strict mode: {}", report.records, report.config.strict);
    if !report.warnings.is_empty() {
        println!("{} line(s) skipped:", report.warnings.len());
        for w in &report.warnings {
            println!("  warning: {w}");
        }
    }
}

fn report_error(err: &anyhow::Error) {
    println!("error: {err:#}");
    println!("caused by:");
    for (i, cause) in err.chain().enumerate() {
        println!("  {i}: {cause}");
    }
    if let Some(e) = err.downcast_ref::<DataError>() {
        println!("  (root cause is a data error: {e:?})");
    } else if let Some(e) = err.downcast_ref::<ConfigError>() {
        println!("  (root cause is a config error: {e:?})");
    } else if let Some(e) = err.downcast_ref::<std::io::Error>() {
        println!("  (root cause is an I/O error of kind {:?})", e.kind());
    }
}

const GOOD_CONFIG: &str = "\
# household budget
title = Household spending
currency = EUR
categories = food, rent, travel, fun
limit = 500
strict = false
";

const STRICT_CONFIG: &str = "\
title = Household spending (strict)
currency = EUR
categories = food, rent, travel, fun
limit = 500
strict = true
";

const BAD_LIMIT_CONFIG: &str = "\
title = Broken
currency = EUR
categories = food
limit = lots
";

const SYNTAX_CONFIG: &str = "\
title = Broken
currency EUR
";

const DATA: &str = "\
date,category,amount
2024-01-03,food,54.20
2024-01-05,rent,450.00
2024-01-17,travel,120.00
2024-02-02,food,61.75
2024-02-09,fun,35.00
2024-02-14,food,forty
2024-02-20,gifts,25.00
2024-03-01,rent,450.00
2024-03-08,travel,980.00
2024-03-11,food;12.00
2024-13-01,food,5.00
2024-03-15,fun,18.50
";

fn write_file(dir: &Path, name: &str, contents: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    fs::write(&path, contents).with_context(|| format!("writing demo file `{}`", path.display()))?;
    Ok(path)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.len() {
        2 => {
            let report = run(Path::new(&args[0]), Path::new(&args[1]))?;
            print_report(&report);
            return Ok(());
        }
        0 => {}
        _ => bail!("usage: error-chain-cli <config-file> <data-file>"),
    }

    let dir = std::env::temp_dir().join(format!("error-chain-cli-demo-{}", std::process::id()));
    fs::create_dir_all(&dir).with_context(|| format!("creating demo directory `{}`", dir.display()))?;
    let good = write_file(&dir, "budget.conf", GOOD_CONFIG)?;
    let strict = write_file(&dir, "strict.conf", STRICT_CONFIG)?;
    let bad_limit = write_file(&dir, "bad-limit.conf", BAD_LIMIT_CONFIG)?;
    let syntax = write_file(&dir, "syntax.conf", SYNTAX_CONFIG)?;
    let data = write_file(&dir, "expenses.csv", DATA)?;
    let missing = dir.join("does-not-exist.csv");

    let scenarios = [
        ("valid config, lenient parsing", &good, &data),
        ("strict mode stops at the first bad line", &strict, &data),
        ("missing data file", &good, &missing),
        ("invalid limit value", &bad_limit, &data),
        ("config syntax error", &syntax, &data),
    ];
    for (label, config_path, data_path) in scenarios {
        println!("\n=== {label} ===");
        match run(config_path, data_path) {
            Ok(report) => print_report(&report),
            Err(err) => report_error(&err),
        }
    }

    fs::remove_dir_all(&dir).with_context(|| format!("cleaning up `{}`", dir.display()))?;
    Ok(())
}
