//! error-report: aggregate errors from a log file into categories using
//! regular expressions, count occurrences, and record the first and last
//! timestamp of each. The report is persisted as JSON and reloaded.
//!
//! Usage: error-report [LOG_FILE] [REPORT_JSON]

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use uuid::Uuid;

const SAMPLE_LOG: &str = "\
2024-03-01T08:00:01Z INFO  [api] server started on :8080
2024-03-01T08:02:13Z ERROR [db] connection refused (code=ECONNREFUSED) host=db-1
2024-03-01T08:02:14Z WARN  [api] request timed out after 3000ms calling payments
2024-03-01T08:03:40Z ERROR [api] upstream returned HTTP 502 for /checkout
2024-03-01T08:05:02Z ERROR [db] deadlock detected (code=40P01) on table orders
2024-03-01T08:05:09Z ERROR [worker] open /var/data/export.csv: no such file or directory
2024-03-01T08:06:30Z ERROR [api] request timed out after 5000ms calling inventory
2024-03-01T08:07:45Z FATAL [db] connection refused (code=ECONNREFUSED) host=db-2
2024-03-01T08:09:01Z ERROR [api] upstream returned HTTP 503 for /search
2024-03-01T08:10:17Z ERROR [worker] open /etc/app/secret.key: permission denied
2024-03-01T08:11:00Z WARN  [api] request timed out after 3000ms calling payments
2024-03-01T08:12:12Z ERROR [billing] invoice 8812 total mismatch
garbage line that does not match the format
2024-03-01T08:15:55Z ERROR [api] upstream returned HTTP 502 for /checkout
2024-03-01T08:20:41Z ERROR [db] connection refused (code=ECONNREFUSED) host=db-1
";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Category {
    Database { code: String },
    Timeout { service: String },
    Http { status: u16 },
    Filesystem { reason: String },
    Other { component: String },
}

impl Category {
    fn key(&self) -> String {
        match self {
            Category::Database { code } => format!("db:{code}"),
            Category::Timeout { service } => format!("timeout:{service}"),
            Category::Http { status } => format!("http:{status}"),
            Category::Filesystem { reason } => format!("fs:{reason}"),
            Category::Other { component } => format!("other:{component}"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CategoryStats {
    id: Uuid,
    category: Category,
    count: usize,
    first_seen: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    levels: HashMap<String, usize>,
    sample: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Report {
    id: Uuid,
    generated_at: DateTime<Utc>,
    source: String,
    lines_read: usize,
    unparsed_lines: Vec<usize>,
    categories: HashMap<Uuid, CategoryStats>,
}

struct Classifier {
    line: Regex,
    db: Regex,
    timeout: Regex,
    http: Regex,
    fs: Regex,
}

impl Classifier {
    fn new() -> Result<Self> {
        Ok(Classifier {
            line: Regex::new(r"^(?P<ts>\S+)\s+(?P<level>ERROR|WARN|FATAL|INFO|DEBUG)\s+\[(?P<component>[^\]]+)\]\s+(?P<msg>.*)$")?,
            db: Regex::new(r"(?i)(?:connection refused|deadlock|sql).*?code=(?P<code>\w+)")?,
            timeout: Regex::new(r"(?i)timed out after \d+ms calling (?P<service>[\w-]+)")?,
            http: Regex::new(r"(?i)HTTP (?P<status>[45]\d\d)")?,
            fs: Regex::new(r"(?i):\s*(?P<reason>no such file or directory|permission denied)")?,
        })
    }

    fn classify(&self, component: &str, msg: &str) -> Category {
        if let Some(c) = self.db.captures(msg) {
            return Category::Database { code: c["code"].to_string() };
        }
        if let Some(c) = self.timeout.captures(msg) {
            return Category::Timeout { service: c["service"].to_string() };
        }
        if let Some(status) = self.http.captures(msg).and_then(|c| c["status"].parse().ok()) {
            return Category::Http { status };
        }
        if let Some(c) = self.fs.captures(msg) {
            return Category::Filesystem { reason: c["reason"].to_lowercase() };
        }
        Category::Other { component: component.to_string() }
    }
}

fn analyse(log: &str, source: &str) -> Result<Report> {
    let classifier = Classifier::new()?;
    let mut report = Report {
        id: Uuid::new_v4(),
        generated_at: Utc::now(),
        source: source.to_string(),
        lines_read: 0,
        unparsed_lines: Vec::new(),
        categories: HashMap::new(),
    };
    let mut id_by_key: HashMap<String, Uuid> = HashMap::new();

    for (i, line) in log.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        report.lines_read += 1;
        let Some(caps) = classifier.line.captures(line) else {
            report.unparsed_lines.push(i + 1);
            continue;
        };
        let level = &caps["level"];
        if !matches!(level, "ERROR" | "WARN" | "FATAL") {
            continue;
        }
        let ts: DateTime<Utc> = match DateTime::parse_from_rfc3339(&caps["ts"]) {
            Ok(t) => t.with_timezone(&Utc),
            Err(_) => {
                report.unparsed_lines.push(i + 1);
                continue;
            }
        };
        let category = classifier.classify(&caps["component"], &caps["msg"]);
        let id = *id_by_key.entry(category.key()).or_insert_with(Uuid::new_v4);
        let stats = report.categories.entry(id).or_insert_with(|| CategoryStats {
            id,
            category: category.clone(),
            count: 0,
            first_seen: ts,
            last_seen: ts,
            levels: HashMap::new(),
            sample: caps["msg"].to_string(),
        });
        stats.count += 1;
        stats.first_seen = stats.first_seen.min(ts);
        stats.last_seen = stats.last_seen.max(ts);
        *stats.levels.entry(level.to_string()).or_default() += 1;
    }
    Ok(report)
}

fn describe(c: &Category) -> String {
    match c {
        Category::Database { code } => format!("database error {code}"),
        Category::Timeout { service } => format!("timeout calling {service}"),
        Category::Http { status } => format!("upstream HTTP {status}"),
        Category::Filesystem { reason } => format!("filesystem: {reason}"),
        Category::Other { component } => format!("other ({component})"),
    }
}

fn print_report(r: &Report) {
    println!("Report {} for {} ({} lines, generated {})", r.id, r.source, r.lines_read, r.generated_at.format("%Y-%m-%d %H:%M:%S UTC"));
    let mut cats: Vec<&CategoryStats> = r.categories.values().collect();
    cats.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_seen.cmp(&b.first_seen)));
    println!("{:<32} {:>5}  {:<8} {:<8} {:>9}  levels", "category", "count", "first", "last", "span");
    for c in cats {
        let span = c.last_seen - c.first_seen;
        let mut levels: Vec<String> = c.levels.iter().map(|(l, n)| format!("{l}={n}")).collect();
        levels.sort();
        println!(
            "{:<32} {:>5}  {:<8} {:<8} {:>8}m  {}",
            describe(&c.category),
            c.count,
            c.first_seen.format("%H:%M:%S"),
            c.last_seen.format("%H:%M:%S"),
            span.num_minutes(),
            levels.join(" ")
        );
    }
    if !r.unparsed_lines.is_empty() {
        println!("unparsed lines: {:?}", r.unparsed_lines);
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (log, source) = match args.first() {
        Some(path) => (std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?, path.clone()),
        None => (SAMPLE_LOG.to_string(), "<built-in sample>".to_string()),
    };
    let out_path = args.get(1).map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("error-report.json"));

    let report = analyse(&log, &source)?;
    print_report(&report);

    let json = serde_json::to_string_pretty(&report)?;
    std::fs::write(&out_path, &json).with_context(|| format!("writing {}", out_path.display()))?;
    let reloaded: Report = serde_json::from_str(&std::fs::read_to_string(&out_path)?)?;
    let total: usize = reloaded.categories.values().map(|c| c.count).sum();
    println!("\nSaved to {} and reloaded: {} categories, {} occurrences, same id: {}", out_path.display(), reloaded.categories.len(), total, reloaded.id == report.id);

    if let Some(c) = reloaded.categories.values().max_by_key(|c| c.count) {
        println!("Most frequent category as JSON:\n{}", serde_json::to_string_pretty(c)?);
    }
    Ok(())
}
