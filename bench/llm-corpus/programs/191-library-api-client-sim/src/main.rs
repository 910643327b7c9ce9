//! Client for a simulated book API.
//!
//! Request URLs are built with the `url` crate (join + query_pairs_mut), the
//! in-process fake server parses them back, answers with JSON pages that carry a
//! `next` link, and throttles every few calls with HTTP 429 so the client's retry
//! logic is exercised. The client keeps its catalogue statistics in fields of
//! the same struct and recomputes them by iterating over its own `books`.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Book {
    id: u32,
    title: String,
    author: String,
    year: u16,
    genre: String,
    available: bool,
    rating: f32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Page {
    page: u32,
    per_page: u32,
    total: u32,
    next: Option<String>,
    items: Vec<Book>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ApiError {
    error: String,
    retry_after_ms: Option<u64>,
}

struct Response {
    status: u16,
    body: String,
}

/// In-process stand-in for `https://api.books.example/v1/`.
struct FakeServer {
    books: Vec<Book>,
    calls: u32,
    throttle_every: u32,
}

impl FakeServer {
    fn new(books: Vec<Book>, throttle_every: u32) -> Self {
        FakeServer { books, calls: 0, throttle_every }
    }

    fn error(status: u16, message: &str, retry_after_ms: Option<u64>) -> Response {
        let body = serde_json::to_string(&ApiError { error: message.to_string(), retry_after_ms })
            .expect("error body serialises");
        Response { status, body }
    }

    fn handle(&mut self, url: &Url) -> Response {
        self.calls += 1;
        if self.throttle_every > 0 && self.calls % self.throttle_every == 0 {
            return Self::error(429, "rate limit exceeded", Some(250));
        }
        if url.scheme() != "https" || url.host_str() != Some("api.books.example") {
            return Self::error(404, "unknown host", None);
        }
        let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
        match segments.as_slice() {
            ["v1", "books"] => self.list(url),
            ["v1", "books", raw_id] => match raw_id.parse::<u32>() {
                Ok(id) => match self.books.iter().find(|b| b.id == id) {
                    Some(book) => Response { status: 200, body: serde_json::to_string(book).expect("book serialises") },
                    None => Self::error(404, &format!("book {id} not found"), None),
                },
                Err(_) => Self::error(400, &format!("invalid book id '{raw_id}'"), None),
            },
            _ => Self::error(404, &format!("no route for {}", url.path()), None),
        }
    }

    fn list(&self, url: &Url) -> Response {
        let params: HashMap<String, String> = url.query_pairs().into_owned().collect();
        let page = params.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1);
        let per_page = params.get("per_page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(10).clamp(1, 50);
        let matches = |field: &str, key: &str| {
            params.get(key).map_or(true, |wanted| field.to_lowercase().contains(&wanted.to_lowercase()))
        };
        let matching: Vec<&Book> = self
            .books
            .iter()
            .filter(|b| matches(b.title.as_str(), "q") && matches(b.author.as_str(), "author") && matches(b.genre.as_str(), "genre"))
            .collect();

        let start = ((page - 1) * per_page) as usize;
        let items: Vec<Book> = matching.iter().skip(start).take(per_page as usize).map(|b| (*b).clone()).collect();
        let next = if start + items.len() < matching.len() {
            let mut next_url = url.clone();
            let kept: Vec<(String, String)> = url.query_pairs().into_owned().filter(|(k, _)| k != "page").collect();
            {
                let mut query = next_url.query_pairs_mut();
                query.clear();
                for (k, v) in &kept {
                    query.append_pair(k, v);
                }
                query.append_pair("page", &(page + 1).to_string());
            }
            Some(next_url.to_string())
        } else {
            None
        };
        let page = Page { page, per_page, total: matching.len() as u32, next, items };
        Response { status: 200, body: serde_json::to_string(&page).expect("page serialises") }
    }
}

#[derive(Debug, Default, Clone)]
struct Query {
    title: Option<String>,
    author: Option<String>,
    genre: Option<String>,
    per_page: u32,
}

struct LibraryClient {
    base: Url,
    server: FakeServer,
    max_retries: u32,
    books: Vec<Book>,
    // transport statistics
    requests: u32,
    retries: u32,
    pages_fetched: u32,
    bytes_received: usize,
    // catalogue statistics, recomputed from `books`
    available: usize,
    mean_year: f64,
    mean_rating: f64,
    by_genre: BTreeMap<String, usize>,
    by_decade: BTreeMap<u16, usize>,
    by_author: BTreeMap<String, usize>,
    oldest: Option<(u16, String)>,
    newest: Option<(u16, String)>,
    best_rated: Option<(f32, String)>,
}

impl LibraryClient {
    fn new(base: &str, server: FakeServer) -> Result<Self> {
        let base = Url::parse(base).with_context(|| format!("invalid base URL '{base}'"))?;
        Ok(LibraryClient {
            base,
            server,
            max_retries: 3,
            books: Vec::new(),
            requests: 0,
            retries: 0,
            pages_fetched: 0,
            bytes_received: 0,
            available: 0,
            mean_year: 0.0,
            mean_rating: 0.0,
            by_genre: BTreeMap::new(),
            by_decade: BTreeMap::new(),
            by_author: BTreeMap::new(),
            oldest: None,
            newest: None,
            best_rated: None,
        })
    }

    fn search_url(&self, query: &Query, page: u32) -> Result<Url> {
        let mut url = self.base.join("books").context("building the books endpoint")?;
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(t) = &query.title {
                pairs.append_pair("q", t);
            }
            if let Some(a) = &query.author {
                pairs.append_pair("author", a);
            }
            if let Some(g) = &query.genre {
                pairs.append_pair("genre", g);
            }
            pairs.append_pair("per_page", &query.per_page.to_string());
            pairs.append_pair("page", &page.to_string());
        }
        Ok(url)
    }

    fn get(&mut self, url: &Url) -> Result<String> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.requests += 1;
            let response = self.server.handle(url);
            self.bytes_received += response.body.len();
            match response.status {
                200 => return Ok(response.body),
                429 if attempt <= self.max_retries => {
                    self.retries += 1;
                    let err: ApiError = serde_json::from_str(&response.body).context("decoding 429 body")?;
                    println!("    429 {} - retrying after {} ms (attempt {attempt})", err.error, err.retry_after_ms.unwrap_or(0));
                }
                status => {
                    let detail = serde_json::from_str::<ApiError>(&response.body)
                        .map(|e| e.error)
                        .unwrap_or_else(|_| response.body.clone());
                    bail!("HTTP {status}: {detail}");
                }
            }
        }
    }

    /// Follows `next` links until the last page; returns how many new books arrived.
    fn fetch_all(&mut self, query: &Query) -> Result<usize> {
        let mut next = Some(self.search_url(query, 1)?);
        let mut added = 0;
        while let Some(url) = next.take() {
            println!("  GET {url}");
            let body = self.get(&url).with_context(|| format!("fetching {url}"))?;
            let page: Page = serde_json::from_str(&body).context("decoding page JSON")?;
            self.pages_fetched += 1;
            println!("    page {} ({} items of {} total)", page.page, page.items.len(), page.total);
            for book in page.items {
                if !self.books.iter().any(|b| b.id == book.id) {
                    self.books.push(book);
                    added += 1;
                }
            }
            next = match page.next {
                Some(link) => Some(Url::parse(&link).with_context(|| format!("bad next link '{link}'"))?),
                None => None,
            };
        }
        self.recompute_stats();
        Ok(added)
    }

    fn get_book(&mut self, id: u32) -> Result<Book> {
        let url = self.base.join(&format!("books/{id}"))?;
        let body = self.get(&url).with_context(|| format!("looking up book {id}"))?;
        let book: Book = serde_json::from_str(&body).context("decoding book JSON")?;
        Ok(book)
    }

    /// Recomputes every statistic field by iterating over `self.books`.
    fn recompute_stats(&mut self) {
        self.available = 0;
        self.by_genre.clear();
        self.by_decade.clear();
        self.by_author.clear();
        self.oldest = None;
        self.newest = None;
        self.best_rated = None;
        let mut year_sum = 0u64;
        let mut rating_sum = 0.0f64;
        for book in &self.books {
            if book.available {
                self.available += 1;
            }
            *self.by_genre.entry(book.genre.clone()).or_insert(0) += 1;
            *self.by_decade.entry(book.year / 10 * 10).or_insert(0) += 1;
            *self.by_author.entry(book.author.clone()).or_insert(0) += 1;
            year_sum += book.year as u64;
            rating_sum += book.rating as f64;
            if self.oldest.as_ref().map_or(true, |(y, _)| book.year < *y) {
                self.oldest = Some((book.year, book.title.clone()));
            }
            if self.newest.as_ref().map_or(true, |(y, _)| book.year > *y) {
                self.newest = Some((book.year, book.title.clone()));
            }
            if self.best_rated.as_ref().map_or(true, |(r, _)| book.rating > *r) {
                self.best_rated = Some((book.rating, book.title.clone()));
            }
        }
        let n = self.books.len().max(1) as f64;
        self.mean_year = year_sum as f64 / n;
        self.mean_rating = rating_sum / n;
    }

    fn print_report(&self) {
        println!("\n=== Catalogue report ===");
        println!("books cached      : {} ({} available)", self.books.len(), self.available);
        println!("mean year         : {:.0}", self.mean_year);
        println!("mean rating       : {:.2}", self.mean_rating);
        if let Some((y, t)) = &self.oldest {
            println!("oldest            : {t} ({y})");
        }
        if let Some((y, t)) = &self.newest {
            println!("newest            : {t} ({y})");
        }
        if let Some((r, t)) = &self.best_rated {
            println!("best rated        : {t} ({r})");
        }
        println!("by genre          : {:?}", self.by_genre);
        let decades: Vec<String> = self.by_decade.iter().map(|(d, n)| format!("{d}s:{n}")).collect();
        println!("by decade         : {}", decades.join(" "));
        let prolific: Vec<String> = self
            .by_author
            .iter()
            .filter(|(_, &n)| n > 1)
            .map(|(a, n)| format!("{a} ({n})"))
            .collect();
        println!("repeat authors    : {}", prolific.join(", "));
        println!(
            "transport         : {} requests, {} retries, {} pages, {} bytes",
            self.requests, self.retries, self.pages_fetched, self.bytes_received
        );
    }
}

fn seed_books() -> Vec<Book> {
    let raw = [
        ("Dune", "Frank Herbert", 1965, "science fiction", 4.3),
        ("Foundation", "Isaac Asimov", 1951, "science fiction", 4.2),
        ("I, Robot", "Isaac Asimov", 1950, "science fiction", 4.0),
        ("The Left Hand of Darkness", "Ursula K. Le Guin", 1969, "science fiction", 4.1),
        ("A Wizard of Earthsea", "Ursula K. Le Guin", 1968, "fantasy", 4.0),
        ("The Hobbit", "J. R. R. Tolkien", 1937, "fantasy", 4.3),
        ("The Fellowship of the Ring", "J. R. R. Tolkien", 1954, "fantasy", 4.4),
        ("Neuromancer", "William Gibson", 1984, "science fiction", 3.9),
        ("The Name of the Wind", "Patrick Rothfuss", 2007, "fantasy", 4.5),
        ("Mistborn", "Brandon Sanderson", 2006, "fantasy", 4.5),
        ("The Way of Kings", "Brandon Sanderson", 2010, "fantasy", 4.6),
        ("Hyperion", "Dan Simmons", 1989, "science fiction", 4.2),
        ("Snow Crash", "Neal Stephenson", 1992, "science fiction", 4.0),
        ("The Martian", "Andy Weir", 2011, "science fiction", 4.4),
        ("Project Hail Mary", "Andy Weir", 2021, "science fiction", 4.5),
        ("Pride and Prejudice", "Jane Austen", 1813, "classic", 4.3),
        ("Emma", "Jane Austen", 1815, "classic", 4.0),
        ("Moby-Dick", "Herman Melville", 1851, "classic", 3.5),
        ("Jane Eyre", "Charlotte Bronte", 1847, "classic", 4.1),
        ("The Colour of Magic", "Terry Pratchett", 1983, "fantasy", 4.0),
        ("Guards! Guards!", "Terry Pratchett", 1989, "fantasy", 4.3),
        ("Kindred", "Octavia E. Butler", 1979, "science fiction", 4.3),
    ];
    raw.iter()
        .enumerate()
        .map(|(i, &(title, author, year, genre, rating))| Book {
            id: i as u32 + 1,
            title: title.to_string(),
            author: author.to_string(),
            year,
            genre: genre.to_string(),
            available: i % 3 != 1,
            rating,
        })
        .collect()
}

fn main() -> Result<()> {
    let server = FakeServer::new(seed_books(), 5);
    let mut client = LibraryClient::new("https://api.books.example/v1/", server)?;

    let fantasy = Query { genre: Some("fantasy".into()), per_page: 3, ..Default::default() };
    println!("Fetching all fantasy books (3 per page):");
    let added = client.fetch_all(&fantasy)?;
    println!("  -> {added} new books");

    let scifi = Query { genre: Some("science fiction".into()), per_page: 4, ..Default::default() };
    println!("\nFetching all science fiction books (4 per page):");
    let added = client.fetch_all(&scifi)?;
    println!("  -> {added} new books");

    let tricky = Query { title: Some("Guards! Guards!".into()), author: Some("pratchett".into()), per_page: 10, ..Default::default() };
    println!("\nURL with encoded query: {}", client.search_url(&tricky, 1)?);
    let added = client.fetch_all(&tricky)?;
    println!("  -> {added} new books (already cached)");

    println!("\nSingle lookups:");
    let book = client.get_book(16)?;
    println!("  book 16: {} by {} ({})", book.title, book.author, book.year);
    match client.get_book(999) {
        Ok(b) => println!("  unexpected: {}", b.title),
        Err(e) => println!("  expected error: {e:#}"),
    }

    client.print_report();
    Ok(())
}
