use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use std::collections::HashMap;
use thiserror::Error;
use url::Url;

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

#[derive(Debug, Error)]
enum ShortenError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("unsupported scheme '{0}'")]
    UnsupportedScheme(String),
    #[error("code '{0}' not found")]
    NotFound(String),
    #[error("code '{0}' expired at {1}")]
    Expired(String, DateTime<Utc>),
    #[error("custom code '{0}' is already taken")]
    Taken(String),
    #[error("could not find a free code after {0} attempts")]
    Exhausted(usize),
}

#[derive(Debug, Clone)]
struct Link {
    target: Url,
    created: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
    clicks: u64,
}

struct Shortener {
    links: HashMap<String, Link>,
    code_len: usize,
    collisions: usize,
}

fn base62(mut n: u64) -> String {
    if n == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(ALPHABET[(n % 62) as usize]);
        n /= 62;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

impl Shortener {
    fn new(code_len: usize) -> Self {
        Shortener { links: HashMap::new(), code_len, collisions: 0 }
    }

    fn validate(raw: &str) -> Result<Url, ShortenError> {
        let url = Url::parse(raw).map_err(|e| ShortenError::InvalidUrl(format!("{} ({})", raw, e)))?;
        match url.scheme() {
            "http" | "https" => Ok(url),
            other => Err(ShortenError::UnsupportedScheme(other.to_string())),
        }
    }

    fn random_code(&self) -> String {
        let max = 62u64.pow(self.code_len as u32);
        let n = rand::thread_rng().gen_range(0..max);
        let s = base62(n);
        format!("{:0>width$}", s, width = self.code_len)
    }

    fn shorten(&mut self, raw: &str, ttl: Option<Duration>, now: DateTime<Utc>) -> Result<String, ShortenError> {
        let target = Self::validate(raw)?;
        const MAX_ATTEMPTS: usize = 10;
        for _ in 0..MAX_ATTEMPTS {
            let code = self.random_code();
            if let Some(existing) = self.links.get(&code) {
                let expired = existing.expires.map(|e| e <= now).unwrap_or(false);
                if !expired {
                    self.collisions += 1;
                    continue;
                }
            }
            self.links.insert(code.clone(), Link { target, created: now, expires: ttl.map(|d| now + d), clicks: 0 });
            return Ok(code);
        }
        Err(ShortenError::Exhausted(MAX_ATTEMPTS))
    }

    fn shorten_custom(&mut self, code: &str, raw: &str, now: DateTime<Utc>) -> Result<String, ShortenError> {
        let target = Self::validate(raw)?;
        if self.links.contains_key(code) {
            self.collisions += 1;
            return Err(ShortenError::Taken(code.to_string()));
        }
        self.links.insert(code.to_string(), Link { target, created: now, expires: None, clicks: 0 });
        Ok(code.to_string())
    }

    fn resolve(&mut self, code: &str, now: DateTime<Utc>) -> Result<Url, ShortenError> {
        let link = self.links.get_mut(code).ok_or_else(|| ShortenError::NotFound(code.to_string()))?;
        if let Some(exp) = link.expires {
            if exp <= now {
                return Err(ShortenError::Expired(code.to_string(), exp));
            }
        }
        link.clicks += 1;
        Ok(link.target.clone())
    }

    fn purge_expired(&mut self, now: DateTime<Utc>) -> usize {
        let before = self.links.len();
        self.links.retain(|_, l| l.expires.map(|e| e > now).unwrap_or(true));
        before - self.links.len()
    }
}

fn main() {
    // Short codes of length 2 make collisions likely enough to see the handling.
    let mut s = Shortener::new(2);
    let start = Utc::now();

    let urls = [
        ("https://www.rust-lang.org/learn", None),
        ("https://doc.rust-lang.org/book/ch08-02-strings.html", Some(Duration::hours(1))),
        ("http://example.com/a/very/long/path?with=query&and=params", Some(Duration::minutes(10))),
        ("ftp://files.example.com/pub", None),
        ("not a url", None),
        ("https://crates.io/crates/chrono", None),
    ];

    let mut codes = Vec::new();
    for (u, ttl) in urls.iter() {
        match s.shorten(u, *ttl, start) {
            Ok(code) => {
                println!("shortened {:<60} -> /{}", u, code);
                codes.push(code);
            }
            Err(e) => println!("failed    {:<60} : {}", u, e),
        }
    }
    match s.shorten_custom("rust", "https://www.rust-lang.org", start) {
        Ok(c) => { println!("custom code /{} created", c); codes.push(c); }
        Err(e) => println!("custom failed: {}", e),
    }
    if let Err(e) = s.shorten_custom("rust", "https://example.org", start) {
        println!("custom failed: {}", e);
    }

    // Bulk-generate to exercise collision handling.
    for i in 0..200 {
        let _ = s.shorten(&format!("https://example.com/item/{}", i), Some(Duration::minutes(5)), start);
    }
    println!("\nStored {} links, {} collisions handled", s.links.len(), s.collisions);

    // Simulate clicks at different times.
    let mut rng = rand::thread_rng();
    for minutes in [1i64, 5, 15, 90] {
        let now = start + Duration::minutes(minutes);
        println!("\n-- at t+{} min --", minutes);
        for code in &codes {
            let clicks = rng.gen_range(1..4);
            for _ in 0..clicks {
                let _ = s.resolve(code, now);
            }
            match s.resolve(code, now) {
                Ok(u) => println!("/{:<5} -> {}", code, u),
                Err(e) => println!("/{:<5} !! {}", code, e),
            }
        }
    }
    println!("\nResolving unknown code: {}", s.resolve("zz-nope", start).unwrap_err());

    println!("\nClick counts:");
    for code in &codes {
        if let Some(l) = s.links.get(code) {
            let exp = l.expires.map(|e| e.format("%H:%M:%S").to_string()).unwrap_or_else(|| "never".into());
            println!("/{:<5} {:>3} clicks, created {}, expires {}", code, l.clicks, l.created.format("%H:%M:%S"), exp);
        }
    }
    let purged = s.purge_expired(start + Duration::hours(2));
    println!("\nPurged {} expired links, {} remain", purged, s.links.len());
}
