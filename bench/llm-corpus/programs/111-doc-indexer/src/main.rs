//! doc-indexer: build an inverted index over text documents and answer
//! boolean queries (AND, OR, NOT, parentheses; adjacency means AND), ranking
//! matches by TF-IDF. The corpus is iterable: `for doc in &corpus`.
//!
//! Usage: doc-indexer [FILE ...]   (no files: built-in sample documents)

use std::collections::{BTreeSet, HashMap};
use std::fmt;

#[derive(Debug)]
struct Document {
    id: usize,
    title: String,
    text: String,
}

#[derive(Debug, Default)]
struct Corpus {
    docs: Vec<Document>,
}

/// Iterator over the corpus's documents, yielding references.
struct DocIter<'a> {
    docs: &'a [Document],
    pos: usize,
}

impl<'a> Iterator for DocIter<'a> {
    type Item = &'a Document;
    fn next(&mut self) -> Option<&'a Document> {
        let doc = self.docs.get(self.pos)?;
        self.pos += 1;
        Some(doc)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.docs.len() - self.pos;
        (left, Some(left))
    }
}

impl<'a> IntoIterator for &'a Corpus {
    type Item = &'a Document;
    type IntoIter = DocIter<'a>;
    fn into_iter(self) -> DocIter<'a> {
        DocIter { docs: &self.docs, pos: 0 }
    }
}

impl Corpus {
    fn add(&mut self, title: &str, text: &str) {
        let id = self.docs.len();
        self.docs.push(Document { id, title: title.to_string(), text: text.to_string() });
    }
    fn len(&self) -> usize {
        self.docs.len()
    }
    fn get(&self, id: usize) -> Option<&Document> {
        self.docs.get(id)
    }
}

fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(|w| w.to_lowercase())
}

struct Index {
    /// term -> (doc id -> term frequency)
    postings: HashMap<String, HashMap<usize, usize>>,
    doc_lengths: Vec<usize>,
}

impl Index {
    fn build(corpus: &Corpus) -> Index {
        let mut postings: HashMap<String, HashMap<usize, usize>> = HashMap::new();
        let mut doc_lengths = vec![0; corpus.len()];
        for doc in corpus {
            for term in tokenize(&doc.title).chain(tokenize(&doc.text)) {
                *postings.entry(term).or_default().entry(doc.id).or_default() += 1;
                doc_lengths[doc.id] += 1;
            }
        }
        Index { postings, doc_lengths }
    }

    fn docs_with(&self, term: &str) -> BTreeSet<usize> {
        self.postings.get(term).map(|p| p.keys().copied().collect()).unwrap_or_default()
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.doc_lengths.len() as f64;
        let df = self.postings.get(term).map_or(0, |p| p.len()) as f64;
        ((n + 1.0) / (df + 1.0)).ln() + 1.0
    }

    fn tf_idf(&self, term: &str, doc: usize) -> f64 {
        let tf = self.postings.get(term).and_then(|p| p.get(&doc)).copied().unwrap_or(0) as f64;
        let len = self.doc_lengths[doc].max(1) as f64;
        (tf / len) * self.idf(term)
    }
}

#[derive(Debug, Clone)]
enum Query {
    Term(String),
    And(Box<Query>, Box<Query>),
    Or(Box<Query>, Box<Query>),
    Not(Box<Query>),
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Term(t) => write!(f, "{t}"),
            Query::And(a, b) => write!(f, "({a} AND {b})"),
            Query::Or(a, b) => write!(f, "({a} OR {b})"),
            Query::Not(q) => write!(f, "NOT {q}"),
        }
    }
}

/// Grammar: or := and ("OR" and)* ; and := not (("AND")? not)* ; not := "NOT" not | atom ;
/// atom := term | "(" or ")"
struct QueryParser {
    tokens: Vec<String>,
    pos: usize,
}

impl QueryParser {
    fn parse(input: &str) -> Result<Query, String> {
        let spaced = input.replace('(', " ( ").replace(')', " ) ");
        let tokens: Vec<String> = spaced.split_whitespace().map(str::to_string).collect();
        if tokens.is_empty() {
            return Err("empty query".into());
        }
        let mut p = QueryParser { tokens, pos: 0 };
        let q = p.or()?;
        match p.peek() {
            None => Ok(q),
            Some(t) => Err(format!("unexpected '{t}'")),
        }
    }
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }
    fn or(&mut self) -> Result<Query, String> {
        let mut left = self.and()?;
        while self.peek() == Some("OR") {
            self.pos += 1;
            left = Query::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Query, String> {
        let mut left = self.not()?;
        loop {
            match self.peek() {
                Some("AND") => {
                    self.pos += 1;
                }
                Some("OR") | Some(")") | None => break,
                Some(_) => {} // implicit AND
            }
            left = Query::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }
    fn not(&mut self) -> Result<Query, String> {
        if self.peek() == Some("NOT") {
            self.pos += 1;
            return Ok(Query::Not(Box::new(self.not()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Query, String> {
        let tok = self.peek().ok_or("query ends unexpectedly")?.to_string();
        self.pos += 1;
        match tok.as_str() {
            "(" => {
                let q = self.or()?;
                if self.peek() != Some(")") {
                    return Err("missing ')'".into());
                }
                self.pos += 1;
                Ok(q)
            }
            ")" | "AND" | "OR" => Err(format!("unexpected '{tok}'")),
            _ => Ok(Query::Term(tok.to_lowercase())),
        }
    }
}

fn evaluate(q: &Query, index: &Index, universe: &BTreeSet<usize>) -> BTreeSet<usize> {
    match q {
        Query::Term(t) => index.docs_with(t),
        Query::And(a, b) => &evaluate(a, index, universe) & &evaluate(b, index, universe),
        Query::Or(a, b) => &evaluate(a, index, universe) | &evaluate(b, index, universe),
        Query::Not(inner) => universe - &evaluate(inner, index, universe),
    }
}

/// Terms that contribute to ranking (those not under a NOT).
fn positive_terms(q: &Query, out: &mut Vec<String>) {
    match q {
        Query::Term(t) => out.push(t.clone()),
        Query::And(a, b) | Query::Or(a, b) => {
            positive_terms(a, out);
            positive_terms(b, out);
        }
        Query::Not(_) => {}
    }
}

fn search<'c>(corpus: &'c Corpus, index: &Index, query: &str) -> Result<(Query, Vec<(&'c Document, f64)>), String> {
    let q = QueryParser::parse(query)?;
    let universe: BTreeSet<usize> = corpus.into_iter().map(|d| d.id).collect();
    let hits = evaluate(&q, index, &universe);
    let mut terms = Vec::new();
    positive_terms(&q, &mut terms);
    let mut ranked: Vec<(&Document, f64)> = hits
        .into_iter()
        .filter_map(|id| corpus.get(id))
        .map(|d| (d, terms.iter().map(|t| index.tf_idf(t, d.id)).sum()))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    Ok((q, ranked))
}

fn main() {
    let mut corpus = Corpus::default();
    let files: Vec<String> = std::env::args().skip(1).collect();
    for path in &files {
        match std::fs::read_to_string(path) {
            Ok(text) => corpus.add(path, &text),
            Err(e) => eprintln!("skipping {path}: {e}"),
        }
    }
    if corpus.len() == 0 {
        corpus.add("Rust ownership", "Rust uses ownership and borrowing to guarantee memory safety without a garbage collector. The borrow checker enforces the rules.");
        corpus.add("Garbage collection", "Java and Go use a garbage collector to manage memory. Garbage collection pauses can affect latency.");
        corpus.add("Async Rust", "Async Rust uses futures and an executor such as tokio. Futures are lazy and must be polled.");
        corpus.add("Python memory", "Python manages memory with reference counting plus a cycle detecting garbage collector.");
        corpus.add("Systems programming", "C and C++ give manual memory control. Rust offers similar control with safety guarantees and zero cost abstractions.");
        corpus.add("Web servers", "Web servers in Go and Rust handle many connections with async IO. Tokio powers many Rust servers.");
    }

    let index = Index::build(&corpus);
    println!("Indexed {} documents, {} distinct terms\n", corpus.len(), index.postings.len());
    for doc in &corpus {
        println!("  [{}] {} ({} terms)", doc.id, doc.title, index.doc_lengths[doc.id]);
    }

    let queries = [
        "memory",
        "rust AND memory",
        "garbage OR async",
        "memory NOT rust",
        "rust (tokio OR borrow)",
        "NOT memory",
        "(go OR python) AND collector NOT java",
        "rust AND (",
    ];
    for q in queries {
        println!("\nquery: {q}");
        match search(&corpus, &index, q) {
            Ok((parsed, results)) if results.is_empty() => println!("  parsed as {parsed}\n  no matches"),
            Ok((parsed, results)) => {
                println!("  parsed as {parsed}");
                for (doc, score) in results {
                    println!("  {:>7.4}  [{}] {}", score, doc.id, doc.title);
                }
            }
            Err(e) => println!("  error: {e}"),
        }
    }
}
