//! A bookmark manager with tags, URL validation (url crate), search by tag,
//! title words and site, and JSON persistence.
//!
//! Nothing is copied while parsing: import records, bookmarks and search
//! queries borrow `&str` slices from their input buffers, and the library is
//! deserialized from JSON by borrowing from the file contents.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use url::Url;

/// One line of the import format: `title | url | tag,tag | note`.
#[derive(Debug, Clone, PartialEq)]
struct RawRecord<'a> {
    line_no: usize,
    title: &'a str,
    url: &'a str,
    tags: Vec<&'a str>,
    note: Option<&'a str>,
}

#[derive(Debug)]
enum ImportError<'a> {
    MissingField { line_no: usize, field: &'static str, line: &'a str },
    BadTag { line_no: usize, tag: &'a str },
    InvalidUrl { line_no: usize, url: &'a str, reason: String },
    UnsupportedScheme { line_no: usize, url: &'a str, scheme: String },
    Duplicate { line_no: usize, url: &'a str, existing: u32 },
}

impl fmt::Display for ImportError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::MissingField { line_no, field, line } => write!(f, "line {line_no}: missing {field} in {line:?}"),
            ImportError::BadTag { line_no, tag } => write!(f, "line {line_no}: invalid tag {tag:?}"),
            ImportError::InvalidUrl { line_no, url, reason } => write!(f, "line {line_no}: invalid URL {url:?}: {reason}"),
            ImportError::UnsupportedScheme { line_no, url, scheme } => {
                write!(f, "line {line_no}: {url:?} uses unsupported scheme '{scheme}'")
            }
            ImportError::Duplicate { line_no, url, existing } => {
                write!(f, "line {line_no}: {url:?} is already bookmarked as #{existing}")
            }
        }
    }
}

fn parse_line(line_no: usize, line: &str) -> Result<RawRecord<'_>, ImportError<'_>> {
    let mut fields = line.split('|').map(str::trim);
    let title = fields.next().filter(|s| !s.is_empty()).ok_or(ImportError::MissingField { line_no, field: "title", line })?;
    let url = fields.next().filter(|s| !s.is_empty()).ok_or(ImportError::MissingField { line_no, field: "url", line })?;
    let tags: Vec<&str> = fields.next().unwrap_or("").split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
    if let Some(bad) = tags.iter().find(|t| !t.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')) {
        return Err(ImportError::BadTag { line_no, tag: bad });
    }
    let note = fields.next().filter(|s| !s.is_empty());
    Ok(RawRecord { line_no, title, url, tags, note })
}

fn parse_records(input: &str) -> impl Iterator<Item = Result<RawRecord<'_>, ImportError<'_>>> {
    input.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            None
        } else {
            Some(parse_line(i + 1, line))
        }
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Bookmark<'a> {
    id: u32,
    title: &'a str,
    url: Url,
    #[serde(borrow)]
    tags: Vec<&'a str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl fmt::Display for Bookmark<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:<3} {:<30} {:<44} [{}]", self.id, self.title, self.url.as_str(), self.tags.join(", "))?;
        if let Some(note) = self.note {
            write!(f, " - {note}")?;
        }
        Ok(())
    }
}

/// A search query such as `tag:rust site:docs.rs async book`; every part
/// borrows from the query string.
#[derive(Debug, Default)]
struct Query<'q> {
    tags: Vec<&'q str>,
    site: Option<&'q str>,
    words: Vec<&'q str>,
}

impl<'q> Query<'q> {
    fn parse(input: &'q str) -> Self {
        let mut q = Query::default();
        for token in input.split_whitespace() {
            if let Some(tag) = token.strip_prefix("tag:") {
                q.tags.push(tag);
            } else if let Some(site) = token.strip_prefix("site:") {
                q.site = Some(site);
            } else {
                q.words.push(token);
            }
        }
        q
    }

    fn matches(&self, b: &Bookmark<'_>) -> bool {
        let title = b.title.to_lowercase();
        let host = b.url.host_str().unwrap_or("");
        self.tags.iter().all(|t| b.tags.iter().any(|bt| bt.eq_ignore_ascii_case(t)))
            && self.site.map_or(true, |s| host == s || host.ends_with(&format!(".{s}")))
            && self.words.iter().all(|w| title.contains(&w.to_lowercase()))
    }
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Library<'a> {
    next_id: u32,
    #[serde(borrow)]
    bookmarks: Vec<Bookmark<'a>>,
}

impl<'a> Library<'a> {
    fn validate(&self, r: RawRecord<'a>) -> Result<Bookmark<'a>, ImportError<'a>> {
        let url = Url::parse(r.url).map_err(|e| ImportError::InvalidUrl { line_no: r.line_no, url: r.url, reason: e.to_string() })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ImportError::UnsupportedScheme { line_no: r.line_no, url: r.url, scheme: url.scheme().to_string() });
        }
        if url.host_str().map_or(true, str::is_empty) {
            return Err(ImportError::InvalidUrl { line_no: r.line_no, url: r.url, reason: "missing host".into() });
        }
        if let Some(existing) = self.bookmarks.iter().find(|b| b.url == url) {
            return Err(ImportError::Duplicate { line_no: r.line_no, url: r.url, existing: existing.id });
        }
        Ok(Bookmark { id: 0, title: r.title, url, tags: r.tags, note: r.note })
    }

    fn add(&mut self, mut bookmark: Bookmark<'a>) -> u32 {
        self.next_id += 1;
        bookmark.id = self.next_id;
        self.bookmarks.push(bookmark);
        self.next_id
    }

    fn import(&mut self, input: &'a str) -> (usize, Vec<ImportError<'a>>) {
        let mut added = 0;
        let mut errors = Vec::new();
        for record in parse_records(input) {
            match record.and_then(|r| self.validate(r)) {
                Ok(b) => {
                    self.add(b);
                    added += 1;
                }
                Err(e) => errors.push(e),
            }
        }
        (added, errors)
    }

    fn by_tag(&self, tag: &str) -> Vec<&Bookmark<'a>> {
        self.bookmarks.iter().filter(|b| b.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))).collect()
    }

    fn search_title(&self, text: &str) -> Vec<&Bookmark<'a>> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        self.bookmarks
            .iter()
            .filter(|b| {
                let title = b.title.to_lowercase();
                words.iter().all(|w| title.contains(w.as_str()))
            })
            .collect()
    }

    fn search(&self, query: &Query<'_>) -> Vec<&Bookmark<'a>> {
        self.bookmarks.iter().filter(|b| query.matches(b)).collect()
    }

    fn remove(&mut self, id: u32) -> Option<Bookmark<'a>> {
        let pos = self.bookmarks.iter().position(|b| b.id == id)?;
        Some(self.bookmarks.remove(pos))
    }

    fn tag_cloud(&self) -> BTreeMap<&'a str, usize> {
        self.bookmarks.iter().flat_map(|b| b.tags.iter().copied()).fold(BTreeMap::new(), |mut acc, t| {
            *acc.entry(t).or_insert(0) += 1;
            acc
        })
    }
}

fn print_results(label: &str, results: &[&Bookmark<'_>]) {
    println!("\n{label} ({} result(s))", results.len());
    for b in results {
        println!("  {b}");
    }
}

const IMPORT: &str = "
# title | url | tags | note
The Rust Programming Language | https://doc.rust-lang.org/book/ | rust,docs,learning | the book
Tokio tutorial | https://tokio.rs/tokio/tutorial | rust,async,tutorial
Serde documentation | https://serde.rs | rust,serialization,docs
Hacker News | https://news.ycombinator.com | news
MDN Web Docs | https://developer.mozilla.org/en-US/ | web,docs,javascript | reference for web APIs
Broken link | htp:/missing-slash | broken
No scheme | www.example.com | web
FTP mirror | ftp://ftp.example.org/pub | mirror
Rust book again | https://doc.rust-lang.org/book/ | rust
Missing url |  | nothing
Rust by Example | https://doc.rust-lang.org/rust-by-example/ | rust,learning,examples
Crates registry | https://crates.io | rust,packages
Café guide | https://example.com/caf%C3%A9 | food,travel | Paris coffee
Bad tag | https://example.org | good-tag,bad tag!
Local dashboard | http://localhost:8080/status | dev,local
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut library = Library::default();
    let (added, errors) = library.import(IMPORT);
    println!("Imported {added} bookmark(s), rejected {}:", errors.len());
    for e in &errors {
        println!("  - {e}");
    }

    println!("\nAll bookmarks:");
    for b in &library.bookmarks {
        println!("  {b}");
    }

    print_results("Tag 'rust'", &library.by_tag("rust"));
    print_results("Tag 'DOCS' (case-insensitive)", &library.by_tag("DOCS"));
    print_results("Title contains 'rust book'", &library.search_title("rust book"));
    for q in ["tag:rust learning", "site:rust-lang.org", "tag:docs site:serde.rs", "tag:rust tag:async"] {
        let query = Query::parse(q);
        print_results(&format!("Query {q:?} -> {query:?}"), &library.search(&query));
    }

    if let Some(removed) = library.remove(4) {
        println!("\nRemoved: {removed}");
    }
    println!("\nTag cloud: {:?}", library.tag_cloud());

    // Persist, then load back by borrowing from the file contents.
    let path = std::env::temp_dir().join("bookmarks.json");
    let json = serde_json::to_string_pretty(&library)?;
    fs::write(&path, &json)?;
    let buffer = fs::read_to_string(&path)?;
    let restored: Library<'_> = serde_json::from_str(&buffer)?;
    println!(
        "\nSaved {} bookmarks to {} ({} bytes); reloaded {} (identical: {})",
        library.bookmarks.len(),
        path.display(),
        json.len(),
        restored.bookmarks.len(),
        restored == library
    );
    if let Some(first) = restored.bookmarks.first() {
        let borrowed = buffer.as_ptr_range().contains(&first.title.as_ptr());
        println!("first restored title {:?} borrows from the JSON buffer: {borrowed}", first.title);
    }
    Ok(())
}
