use futures::stream::{FuturesUnordered, StreamExt};
use rand::Rng;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use url::Url;

/// In-memory "internet": page URL -> (status, outgoing links as written in the HTML).
struct SiteMap {
    pages: HashMap<String, (u16, Vec<String>)>,
}

impl SiteMap {
    fn sample() -> Self {
        let mut pages = HashMap::new();
        let mut add = |url: &str, status: u16, links: &[&str]| {
            pages.insert(url.to_string(), (status, links.iter().map(|s| s.to_string()).collect()));
        };
        add("https://example.com/", 200, &["/about", "/blog", "/products", "https://other.org/"]);
        add("https://example.com/about", 200, &["/", "/team", "mailto:hi@example.com"]);
        add("https://example.com/team", 200, &["/about", "/team/alice", "/team/bob"]);
        add("https://example.com/team/alice", 200, &["/team"]);
        add("https://example.com/team/bob", 404, &[]);
        add("https://example.com/blog", 200, &["/blog/post-1", "/blog/post-2", "/blog?page=2"]);
        add("https://example.com/blog/post-1", 200, &["/blog", "/blog/post-2#comments"]);
        add("https://example.com/blog/post-2", 200, &["/blog/post-1", "/blog/archive/2019"]);
        add("https://example.com/blog/archive/2019", 200, &["/blog/archive/2018"]);
        add("https://example.com/blog/archive/2018", 200, &["/blog/archive/2017"]);
        add("https://example.com/products", 500, &[]);
        add("https://other.org/", 200, &["/elsewhere"]);
        SiteMap { pages }
    }

    /// Simulated network fetch with latency.
    async fn fetch(&self, url: &Url) -> Result<(u16, Vec<String>), String> {
        let latency = rand::thread_rng().gen_range(10..60);
        tokio::time::sleep(Duration::from_millis(latency)).await;
        let mut key = url.clone();
        key.set_fragment(None);
        key.set_query(None);
        self.pages
            .get(key.as_str())
            .cloned()
            .ok_or_else(|| format!("connection refused for {}", key))
    }
}

#[derive(Debug)]
struct PageResult {
    url: Url,
    depth: usize,
    outcome: Result<u16, String>,
    links_found: usize,
}

fn normalise(base: &Url, href: &str) -> Option<Url> {
    let mut u = base.join(href).ok()?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return None;
    }
    u.set_fragment(None);
    Some(u)
}

async fn crawl(site: Arc<SiteMap>, start: Url, max_depth: usize, max_concurrency: usize, same_host_only: bool) -> Vec<PageResult> {
    let sem = Arc::new(Semaphore::new(max_concurrency));
    let host = start.host_str().map(str::to_string);
    let mut visited: HashSet<String> = HashSet::new();
    let mut results = Vec::new();
    let mut in_flight = FuturesUnordered::new();

    let spawn = |url: Url, depth: usize| {
        let site = Arc::clone(&site);
        let sem = Arc::clone(&sem);
        tokio::spawn(async move {
            let _permit = sem.acquire_owned().await.expect("semaphore closed");
            let res = site.fetch(&url).await;
            (url, depth, res)
        })
    };

    visited.insert(start.to_string());
    in_flight.push(spawn(start, 0));

    while let Some(joined) = in_flight.next().await {
        let (url, depth, res) = match joined {
            Ok(v) => v,
            Err(e) => {
                eprintln!("task failed: {}", e);
                continue;
            }
        };
        match res {
            Ok((status, links)) => {
                println!("[depth {}] {} {} ({} links)", depth, status, url, links.len());
                let mut queued = 0;
                if status == 200 && depth < max_depth {
                    for href in &links {
                        let Some(next) = normalise(&url, href) else { continue };
                        if same_host_only && next.host_str().map(str::to_string) != host {
                            continue;
                        }
                        if visited.insert(next.to_string()) {
                            in_flight.push(spawn(next, depth + 1));
                            queued += 1;
                        }
                    }
                }
                let _ = queued;
                results.push(PageResult { url, depth, outcome: Ok(status), links_found: links.len() });
            }
            Err(e) => {
                println!("[depth {}] ERR {} ({})", depth, url, e);
                results.push(PageResult { url, depth, outcome: Err(e), links_found: 0 });
            }
        }
    }
    results
}

#[tokio::main]
async fn main() {
    let site = Arc::new(SiteMap::sample());
    let start = Url::parse("https://example.com/").expect("valid start url");
    let max_depth = 3;
    let concurrency = 3;

    println!("Crawling {} (max depth {}, concurrency {})\n", start, max_depth, concurrency);
    let t0 = Instant::now();
    let mut results = crawl(Arc::clone(&site), start, max_depth, concurrency, true).await;
    let elapsed = t0.elapsed();

    results.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.url.as_str().cmp(b.url.as_str())));
    println!("\n{:<6} {:<8} {:<6} {}", "Depth", "Status", "Links", "URL");
    for r in &results {
        let status = match &r.outcome {
            Ok(s) => s.to_string(),
            Err(_) => "ERR".to_string(),
        };
        println!("{:<6} {:<8} {:<6} {}", r.depth, status, r.links_found, r.url);
    }
    let ok = results.iter().filter(|r| matches!(r.outcome, Ok(200))).count();
    let errors = results.iter().filter(|r| !matches!(r.outcome, Ok(200))).count();
    println!("\nVisited {} pages ({} ok, {} errors/non-200) in {} ms", results.len(), ok, errors, elapsed.as_millis());
}
