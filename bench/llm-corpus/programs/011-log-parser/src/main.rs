use anyhow::{Context, Result};
use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fs;

const SAMPLE_LOG: &str = r#"192.168.1.10 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326
192.168.1.11 - - [10/Oct/2023:13:55:40 +0000] "GET /about HTTP/1.1" 200 1520
10.0.0.5 - - [10/Oct/2023:13:56:01 +0000] "POST /api/login HTTP/1.1" 401 89
10.0.0.5 - - [10/Oct/2023:13:56:03 +0000] "POST /api/login HTTP/1.1" 200 312
192.168.1.10 - - [10/Oct/2023:13:56:10 +0000] "GET /images/logo.png HTTP/1.1" 304 0
172.16.0.2 - - [10/Oct/2023:13:57:22 +0000] "GET /index.html HTTP/1.1" 200 2326
172.16.0.2 - - [10/Oct/2023:13:57:25 +0000] "GET /missing HTTP/1.1" 404 153
10.0.0.7 - - [10/Oct/2023:13:58:00 +0000] "GET /api/items?page=2 HTTP/1.1" 200 4096
10.0.0.7 - - [10/Oct/2023:13:58:02 +0000] "DELETE /api/items/42 HTTP/1.1" 500 57
this line is garbage and should be skipped
192.168.1.12 - - [10/Oct/2023:13:59:13 +0000] "GET /index.html HTTP/1.1" 200 2326
192.168.1.12 - - [10/Oct/2023:13:59:15 +0000] "GET /about HTTP/1.1" 200 1520
10.0.0.5 - - [10/Oct/2023:14:00:01 +0000] "GET /api/items HTTP/1.1" 200 8192
192.168.1.10 - - [10/Oct/2023:14:01:44 +0000] "GET /contact HTTP/1.1" 200 987
"#;

#[derive(Debug)]
struct LogEntry {
    ip: String,
    timestamp: String,
    method: String,
    path: String,
    status: u16,
    bytes: u64,
}

fn parse_line(re: &Regex, line: &str) -> Option<LogEntry> {
    let caps = re.captures(line)?;
    let bytes = match &caps["bytes"] {
        "-" => 0,
        b => b.parse().ok()?,
    };
    Some(LogEntry {
        ip: caps["ip"].to_string(),
        timestamp: caps["ts"].to_string(),
        method: caps["method"].to_string(),
        path: caps["path"].to_string(),
        status: caps["status"].parse().ok()?,
        bytes,
    })
}

fn main() -> Result<()> {
    let text = match env::args().nth(1) {
        Some(path) => fs::read_to_string(&path).with_context(|| format!("reading {}", path))?,
        None => {
            println!("(no log file given, using sample log)\n");
            SAMPLE_LOG.to_string()
        }
    };

    let re = Regex::new(
        r#"^(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) (?P<bytes>\d+|-)"#,
    )?;

    let mut entries = Vec::new();
    let mut bad_lines = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(&re, line) {
            Some(e) => entries.push(e),
            None => {
                bad_lines += 1;
                eprintln!("warning: could not parse line {}: {}", n + 1, line);
            }
        }
    }

    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    let mut by_ip: HashMap<&str, usize> = HashMap::new();
    let mut by_method: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total_bytes = 0u64;
    for e in &entries {
        *by_status.entry(e.status).or_insert(0) += 1;
        let path = e.path.split('?').next().unwrap_or(&e.path);
        *by_path.entry(path).or_insert(0) += 1;
        *by_ip.entry(&e.ip).or_insert(0) += 1;
        *by_method.entry(&e.method).or_insert(0) += 1;
        total_bytes += e.bytes;
    }

    println!("Parsed {} requests ({} unparseable lines)", entries.len(), bad_lines);
    if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
        println!("Time range: {} .. {}", first.timestamp, last.timestamp);
    }
    println!("Total bytes served: {}", total_bytes);

    println!("\nRequests per status code:");
    for (status, count) in &by_status {
        let class = match status / 100 {
            2 => "success",
            3 => "redirect",
            4 => "client error",
            5 => "server error",
            _ => "other",
        };
        println!("  {} {:<13} {:>5}", status, class, count);
    }

    println!("\nRequests per method:");
    for (m, c) in &by_method {
        println!("  {:<7} {:>5}", m, c);
    }

    let mut paths: Vec<_> = by_path.into_iter().collect();
    paths.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!("\nTop 5 paths:");
    for (i, (p, c)) in paths.iter().take(5).enumerate() {
        println!("  {}. {:<20} {:>5}", i + 1, p, c);
    }

    let mut ips: Vec<_> = by_ip.into_iter().collect();
    ips.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if let Some((ip, c)) = ips.first() {
        println!("\nMost active client: {} ({} requests)", ip, c);
    }
    Ok(())
}
