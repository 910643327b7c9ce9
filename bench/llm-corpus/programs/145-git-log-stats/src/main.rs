use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use tokio::sync::{Mutex, RwLock};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[derive(Debug, Clone)]
struct Commit {
    hash: String,
    author: String,
    email: String,
    date: Option<DateTime<FixedOffset>>,
    weekday: Option<usize>,
    files: Vec<(String, u64, u64)>,
}

#[derive(Debug, Default)]
struct Stats {
    commits: usize,
    per_author: HashMap<String, usize>,
    per_weekday: [usize; 7],
    per_hour: [usize; 24],
    files: HashMap<String, (usize, u64)>,
    added: u64,
    deleted: u64,
    errors: Vec<String>,
}

fn split_commits(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.starts_with("commit ") && !current.trim().is_empty() {
            blocks.push(std::mem::take(&mut current));
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        blocks.push(current);
    }
    blocks
}

fn parse_commit(block: &str) -> Result<Commit, String> {
    let mut lines = block.lines();
    let hash = lines
        .next()
        .and_then(|l| l.strip_prefix("commit "))
        .map(|h| h.trim().chars().take(10).collect::<String>())
        .ok_or_else(|| "block does not start with 'commit'".to_string())?;
    let mut author = None;
    let mut email = String::new();
    let mut date = None;
    let mut weekday = None;
    let mut files = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("Author:") {
            let rest = rest.trim();
            match rest.split_once('<') {
                Some((name, mail)) => {
                    author = Some(name.trim().to_string());
                    email = mail.trim_end_matches('>').trim().to_lowercase();
                }
                None => author = Some(rest.to_string()),
            }
        } else if let Some(rest) = line.strip_prefix("Date:") {
            let rest = rest.trim();
            match DateTime::parse_from_str(rest, "%a %b %e %H:%M:%S %Y %z") {
                Ok(d) => {
                    weekday = Some(d.weekday().num_days_from_monday() as usize);
                    date = Some(d);
                }
                Err(_) => {
                    // Fall back to the weekday abbreviation at the start of the line.
                    weekday = rest.split_whitespace().next().and_then(|w| WEEKDAYS.iter().position(|d| *d == w));
                }
            }
        } else if !line.starts_with(' ') && !line.trim().is_empty() {
            let parts: Vec<&str> = line.split('\t').collect();
            if parts.len() == 3 {
                let added = parts[0].parse().unwrap_or(0);
                let deleted = parts[1].parse().unwrap_or(0);
                files.push((parts[2].to_string(), added, deleted));
            }
        }
    }
    let author = author.ok_or_else(|| format!("commit {hash} has no author"))?;
    Ok(Commit { hash, author, email, date, weekday, files })
}

async fn worker(id: usize, blocks: Vec<String>, stats: Arc<Mutex<Stats>>, mailmap: Arc<RwLock<HashMap<String, String>>>) -> usize {
    let mut local = Stats::default();
    for block in &blocks {
        match parse_commit(block) {
            Ok(commit) => {
                let name = {
                    let map = mailmap.read().await;
                    map.get(&commit.email).cloned().unwrap_or_else(|| commit.author.clone())
                };
                local.commits += 1;
                *local.per_author.entry(name).or_insert(0) += 1;
                if let Some(w) = commit.weekday {
                    local.per_weekday[w] += 1;
                }
                if let Some(d) = commit.date {
                    local.per_hour[d.hour() as usize] += 1;
                }
                for (path, added, deleted) in &commit.files {
                    let entry = local.files.entry(path.clone()).or_insert((0, 0));
                    entry.0 += 1;
                    entry.1 += added + deleted;
                    local.added += added;
                    local.deleted += deleted;
                }
                if commit.files.is_empty() {
                    local.errors.push(format!("worker {id}: commit {} lists no files", commit.hash));
                }
            }
            Err(e) => local.errors.push(format!("worker {id}: {e}")),
        }
        tokio::task::yield_now().await;
    }
    let parsed = local.commits;
    let mut shared = stats.lock().await;
    shared.commits += local.commits;
    for (k, v) in local.per_author {
        *shared.per_author.entry(k).or_insert(0) += v;
    }
    for i in 0..7 {
        shared.per_weekday[i] += local.per_weekday[i];
    }
    for i in 0..24 {
        shared.per_hour[i] += local.per_hour[i];
    }
    for (k, (c, l)) in local.files {
        let e = shared.files.entry(k).or_insert((0, 0));
        e.0 += c;
        e.1 += l;
    }
    shared.added += local.added;
    shared.deleted += local.deleted;
    shared.errors.extend(local.errors);
    parsed
}

fn bar(n: usize, max: usize, width: usize) -> String {
    if max == 0 {
        return String::new();
    }
    "#".repeat((n * width).div_ceil(max))
}

const SAMPLE_LOG: &str = "\
commit 9f1c2a7d5e3b4c6a8d9e0f1a2b3c4d5e6f7a8b9c
Author: Alice Martin <alice@example.com>
Date:   Mon Mar 4 10:12:33 2024 +0100

    Add CLI argument parsing

12\t3\tsrc/main.rs
40\t0\tsrc/cli.rs

commit 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b
Author: Bob Chen <bob@example.com>
Date:   Mon Mar 4 15:40:02 2024 +0100

    Fix off-by-one in pagination

2\t2\tsrc/pager.rs

commit 2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c
Author: alice <ALICE@example.com>
Date:   Tue Mar 5 09:01:45 2024 +0100

    Refactor config loading

30\t22\tsrc/config.rs
5\t1\tsrc/main.rs

commit 3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d
Author: Carol Diaz <carol@example.com>
Date:   Wed Mar 6 22:15:10 2024 -0500

    Update README with examples

25\t4\tREADME.md

commit 4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e
Author: Bob Chen <bob@example.com>
Date:   Thu Mar 7 11:30:00 2024 +0100

    Add pager tests

60\t0\ttests/pager.rs
1\t1\tsrc/pager.rs

commit 5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f
Author: Alice Martin <alice@example.com>
Date:   Thu Mar 7 14:05:12 2024 +0100

    Add logo

-\t-\tassets/logo.png
3\t0\tREADME.md

commit 6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a
Author: Dmitri Ivanov <dmitri@example.com>
Date:   Sat Mar 9 16:45:59 2024 +0300

    Speed up config parsing

14\t9\tsrc/config.rs
2\t2\tsrc/main.rs

commit 7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b
Author: Carol Diaz <carol@example.com>
Date:   Sun Mar 10 10:10:10 2024 -0500

    Merge branch 'docs'

commit 8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c
Author: Bob Chen <bob@example.com>
Date:   Mon Mar 11 08:55:21 2024 +0100

    Handle empty pages

7\t3\tsrc/pager.rs
9\t0\ttests/pager.rs

commit 9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d
Date:   Mon Mar 11 09:00:00 2024 +0100

    Broken entry without author

commit 0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e
Author: Alice Martin <alice@example.com>
Date:   Fri Mar 15 17:20:44 2024 +0100

    Release 0.2.0

1\t1\tCargo.toml
12\t0\tCHANGELOG.md
1\t1\tsrc/main.rs
";

#[tokio::main]
async fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(1);
            }
        },
        None => SAMPLE_LOG.to_string(),
    };

    let blocks = split_commits(&text);
    let stats = Arc::new(Mutex::new(Stats::default()));
    let mailmap = Arc::new(RwLock::new(HashMap::from([
        ("alice@example.com".to_string(), "Alice Martin".to_string()),
        ("bob@example.com".to_string(), "Bob Chen".to_string()),
    ])));

    let workers = 4.min(blocks.len().max(1));
    let chunk = blocks.len().div_ceil(workers).max(1);
    let mut handles = Vec::new();
    for (id, part) in blocks.chunks(chunk).enumerate() {
        let part = part.to_vec();
        handles.push(tokio::spawn(worker(id, part, Arc::clone(&stats), Arc::clone(&mailmap))));
    }
    let mut parsed_per_worker = Vec::new();
    for h in handles {
        parsed_per_worker.push(h.await.unwrap_or(0));
    }

    let stats = stats.lock().await;
    println!("Parsed {} of {} commit blocks with {} workers {:?}", stats.commits, blocks.len(), parsed_per_worker.len(), parsed_per_worker);
    println!("Lines added: {}, deleted: {}\n", stats.added, stats.deleted);

    let mut authors: Vec<(&String, &usize)> = stats.per_author.iter().collect();
    authors.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let max_a = authors.first().map(|a| *a.1).unwrap_or(0);
    println!("Commits per author:");
    for (name, n) in &authors {
        println!("  {name:<16} {n:>3} {}", bar(**n, max_a, 20));
    }

    let max_w = stats.per_weekday.iter().copied().max().unwrap_or(0);
    println!("\nCommits per weekday:");
    for (day, n) in WEEKDAYS.iter().zip(stats.per_weekday.iter()) {
        println!("  {day} {n:>3} {}", bar(*n, max_w, 20));
    }
    if let Some((hour, n)) = stats.per_hour.iter().enumerate().max_by_key(|(h, n)| (**n, std::cmp::Reverse(*h))) {
        println!("  busiest hour (author local time): {hour:02}:00 with {n} commit(s)");
    }

    let mut files: Vec<(&String, &(usize, u64))> = stats.files.iter().collect();
    files.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(b.1 .1.cmp(&a.1 .1)).then(a.0.cmp(b.0)));
    println!("\nMost changed files:");
    for (path, (commits, lines)) in files.iter().take(5) {
        println!("  {path:<20} {commits} commit(s), {lines} line(s) changed");
    }

    if !stats.errors.is_empty() {
        println!("\nWarnings:");
        for e in &stats.errors {
            println!("  {e}");
        }
    }
}
