use regex::Regex;
use std::collections::HashMap;
use std::env;
use std::fs;

const SAMPLE: &str = r#"# My Project

Some intro text.

## Installation

```bash
# this is a comment, not a heading
cargo install my-project
```

### From source
### From crates.io

## Usage

### Basic usage
#### Flags & Options
### Advanced: `config.toml`

Setext Heading
--------------

## Usage

# FAQ ##
"#;

#[derive(Debug)]
struct Heading {
    level: usize,
    text: String,
    anchor: String,
}

/// GitHub-style slug: lowercase, drop punctuation, spaces to hyphens.
fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            slug.push('-');
        } else if c == '_' {
            slug.push('_');
        }
    }
    slug
}

fn strip_inline(text: &str) -> String {
    // Remove inline code backticks, emphasis markers and links [text](url) -> text.
    let link = Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap();
    let t = link.replace_all(text, "$1");
    t.chars().filter(|&c| c != '`' && c != '*').collect::<String>().trim().to_string()
}

fn extract_headings(md: &str) -> Vec<Heading> {
    let atx = Regex::new(r"^(#{1,6})\s+(.*?)\s*#*\s*$").unwrap();
    let mut headings = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut in_fence = false;
    let lines: Vec<&str> = md.lines().collect();

    let mut push = |level: usize, raw: &str, headings: &mut Vec<Heading>| {
        let text = strip_inline(raw);
        if text.is_empty() {
            return;
        }
        let base = slugify(&text);
        let count = seen.entry(base.clone()).or_insert(0);
        let anchor = if *count == 0 { base.clone() } else { format!("{}-{}", base, count) };
        *count += 1;
        headings.push(Heading { level, text, anchor });
    };

    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(caps) = atx.captures(line) {
            push(caps[1].len(), &caps[2], &mut headings);
            continue;
        }
        // Setext headings: text line followed by === or ---
        if let Some(next) = lines.get(i + 1) {
            let n = next.trim();
            if !line.trim().is_empty() && !n.is_empty() {
                if n.chars().all(|c| c == '=') {
                    push(1, line.trim(), &mut headings);
                } else if n.chars().all(|c| c == '-') && n.len() >= 2 {
                    push(2, line.trim(), &mut headings);
                }
            }
        }
    }
    headings
}

fn main() {
    let (name, content) = match env::args().nth(1) {
        Some(path) => match fs::read_to_string(&path) {
            Ok(c) => (path, c),
            Err(e) => {
                eprintln!("cannot read {}: {}", path, e);
                std::process::exit(1);
            }
        },
        None => ("<sample>".to_string(), SAMPLE.to_string()),
    };

    let headings = extract_headings(&content);
    if headings.is_empty() {
        println!("No headings found in {}", name);
        return;
    }
    let min_level = headings.iter().map(|h| h.level).min().unwrap_or(1);

    println!("## Table of Contents ({})\n", name);
    for h in &headings {
        let indent = "  ".repeat(h.level - min_level);
        println!("{}- [{}](#{})", indent, h.text, h.anchor);
    }
    println!("\n{} headings, deepest level {}", headings.len(), headings.iter().map(|h| h.level).max().unwrap());
}
