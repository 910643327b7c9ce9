//! DNS resolver cache simulation.
//!
//! `TtlCache<K, V>` is generic over key and value (keys need Hash + Ord +
//! Display + Clone, values Display + Clone) and implements `Display`. It supports
//! positive entries, negative entries (NXDOMAIN), TTL expiry on a simulated
//! clock and eviction of the soonest-expiring entry when full. A resolver sits in
//! front of a fake upstream zone table and follows CNAME chains.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::hash::Hash;
use std::net::Ipv4Addr;

#[derive(Debug, Clone)]
enum Cached<V> {
    Positive(V),
    Negative { reason: String },
}

impl<V: Display> Display for Cached<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cached::Positive(v) => write!(f, "{v}"),
            Cached::Negative { reason } => write!(f, "NEGATIVE ({reason})"),
        }
    }
}

#[derive(Debug, Clone)]
struct Entry<V> {
    value: Cached<V>,
    expires_at: u64,
    hits: u32,
}

#[derive(Debug, Default, Clone)]
struct CacheStats {
    hits: u64,
    negative_hits: u64,
    misses: u64,
    expirations: u64,
    evictions: u64,
}

enum Lookup<V> {
    Hit(V, u64),
    NegativeHit(String, u64),
    Miss,
}

struct TtlCache<K, V> {
    entries: HashMap<K, Entry<V>>,
    capacity: usize,
    now: u64,
    stats: CacheStats,
}

impl<K, V> TtlCache<K, V>
where
    K: Hash + Eq + Ord + Display + Clone,
    V: Display + Clone,
{
    fn new(capacity: usize) -> Self {
        TtlCache { entries: HashMap::new(), capacity: capacity.max(1), now: 0, stats: CacheStats::default() }
    }

    fn advance_to(&mut self, t: u64) {
        self.now = self.now.max(t);
    }

    fn purge_expired(&mut self) -> usize {
        let now = self.now;
        let before = self.entries.len();
        self.entries.retain(|_, e| e.expires_at > now);
        let removed = before - self.entries.len();
        self.stats.expirations += removed as u64;
        removed
    }

    fn get(&mut self, key: &K) -> Lookup<V> {
        let now = self.now;
        if matches!(self.entries.get(key), Some(e) if e.expires_at <= now) {
            self.entries.remove(key);
            self.stats.expirations += 1;
        }
        match self.entries.get_mut(key) {
            Some(e) => {
                e.hits += 1;
                let remaining = e.expires_at - now;
                match &e.value {
                    Cached::Positive(v) => {
                        self.stats.hits += 1;
                        Lookup::Hit(v.clone(), remaining)
                    }
                    Cached::Negative { reason } => {
                        self.stats.negative_hits += 1;
                        Lookup::NegativeHit(reason.clone(), remaining)
                    }
                }
            }
            None => {
                self.stats.misses += 1;
                Lookup::Miss
            }
        }
    }

    /// Inserts an entry; returns the key evicted to make room, if any.
    fn insert(&mut self, key: K, value: Cached<V>, ttl: u64) -> Option<K> {
        self.purge_expired();
        let mut evicted = None;
        if !self.entries.contains_key(&key) && self.entries.len() >= self.capacity {
            let victim = self
                .entries
                .iter()
                .min_by(|a, b| a.1.expires_at.cmp(&b.1.expires_at).then_with(|| a.0.cmp(b.0)))
                .map(|(k, _)| k.clone());
            if let Some(k) = victim {
                self.entries.remove(&k);
                self.stats.evictions += 1;
                evicted = Some(k);
            }
        }
        self.entries.insert(key, Entry { value, expires_at: self.now + ttl, hits: 0 });
        evicted
    }
}

impl<K, V> Display for TtlCache<K, V>
where
    K: Hash + Eq + Ord + Display + Clone,
    V: Display + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "cache @ t={}s ({}/{} entries)", self.now, self.entries.len(), self.capacity)?;
        let mut keys: Vec<&K> = self.entries.keys().collect();
        keys.sort();
        for k in keys {
            let e = &self.entries[k];
            let ttl = e.expires_at.saturating_sub(self.now);
            let state = if ttl == 0 { " (expired)" } else { "" };
            writeln!(f, "  {:<22} {:<34} ttl={:>4}s hits={}{}", k.to_string(), e.value.to_string(), ttl, e.hits, state)?;
        }
        let s = &self.stats;
        write!(
            f,
            "  stats: hits={} negative_hits={} misses={} expirations={} evictions={}",
            s.hits, s.negative_hits, s.misses, s.expirations, s.evictions
        )
    }
}

/// Case-insensitive domain name without trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct DomainName(String);

impl DomainName {
    fn parse(s: &str) -> Self {
        DomainName(s.trim().trim_end_matches('.').to_ascii_lowercase())
    }
}

impl Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct AddrSet(Vec<Ipv4Addr>);

impl Display for AddrSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|a| a.to_string()).collect();
        write!(f, "{}", parts.join(","))
    }
}

#[derive(Debug, Clone)]
enum Record {
    A { addrs: Vec<Ipv4Addr>, ttl: u64 },
    Cname { target: DomainName, ttl: u64 },
}

struct Upstream {
    zone: HashMap<DomainName, Record>,
    queries: u64,
    negative_ttl: u64,
}

enum UpstreamAnswer {
    Found(Record),
    NxDomain { negative_ttl: u64 },
}

impl Upstream {
    fn query(&mut self, name: &DomainName) -> UpstreamAnswer {
        self.queries += 1;
        match self.zone.get(name) {
            Some(r) => UpstreamAnswer::Found(r.clone()),
            None => UpstreamAnswer::NxDomain { negative_ttl: self.negative_ttl },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Cache,
    Upstream,
}

#[derive(Debug)]
enum Resolution {
    Answer { addrs: AddrSet, ttl: u64, source: Source, chain: Vec<DomainName> },
    NxDomain { ttl: u64, source: Source },
    Error(String),
}

struct Resolver {
    cache: TtlCache<DomainName, AddrSet>,
    upstream: Upstream,
    max_cname_depth: usize,
    latency_ms: u64,
}

impl Resolver {
    fn resolve(&mut self, name: &str) -> Resolution {
        let key = DomainName::parse(name);
        match self.cache.get(&key) {
            Lookup::Hit(addrs, ttl) => return Resolution::Answer { addrs, ttl, source: Source::Cache, chain: vec![] },
            Lookup::NegativeHit(_, ttl) => return Resolution::NxDomain { ttl, source: Source::Cache },
            Lookup::Miss => {}
        }
        let mut current = key.clone();
        let mut chain = Vec::new();
        let mut min_ttl = u64::MAX;
        for _ in 0..=self.max_cname_depth {
            self.latency_ms += 40;
            match self.upstream.query(&current) {
                UpstreamAnswer::Found(Record::A { addrs, ttl }) => {
                    let ttl = ttl.min(min_ttl);
                    let set = AddrSet(addrs);
                    if let Some(old) = self.cache.insert(key.clone(), Cached::Positive(set.clone()), ttl) {
                        println!("      (evicted {old} to make room)");
                    }
                    return Resolution::Answer { addrs: set, ttl, source: Source::Upstream, chain };
                }
                UpstreamAnswer::Found(Record::Cname { target, ttl }) => {
                    min_ttl = min_ttl.min(ttl);
                    chain.push(target.clone());
                    current = target;
                }
                UpstreamAnswer::NxDomain { negative_ttl } => {
                    let ttl = negative_ttl.min(min_ttl);
                    let reason = format!("NXDOMAIN at {current}");
                    if let Some(old) = self.cache.insert(key.clone(), Cached::Negative { reason }, ttl) {
                        println!("      (evicted {old} to make room)");
                    }
                    return Resolution::NxDomain { ttl, source: Source::Upstream };
                }
            }
        }
        Resolution::Error(format!("CNAME chain too long for {key}"))
    }
}

fn zone() -> HashMap<DomainName, Record> {
    let a = |ips: &[[u8; 4]], ttl: u64| Record::A { addrs: ips.iter().map(|o| Ipv4Addr::from(*o)).collect(), ttl };
    let cname = |t: &str, ttl: u64| Record::Cname { target: DomainName::parse(t), ttl };
    [
        ("www.example.com", a(&[[93, 184, 216, 34]], 120)),
        ("api.example.com", a(&[[10, 0, 0, 5], [10, 0, 0, 6]], 30)),
        ("cdn.example.com", cname("edge.cdnprovider.net", 300)),
        ("edge.cdnprovider.net", a(&[[151, 101, 1, 57]], 60)),
        ("shop.example.com", cname("www.example.com", 600)),
        ("loop-a.example.com", cname("loop-b.example.com", 60)),
        ("loop-b.example.com", cname("loop-a.example.com", 60)),
    ]
    .into_iter()
    .map(|(n, r)| (DomainName::parse(n), r))
    .collect()
}

fn main() {
    let mut resolver = Resolver {
        cache: TtlCache::new(5),
        upstream: Upstream { zone: zone(), queries: 0, negative_ttl: 30 },
        max_cname_depth: 4,
        latency_ms: 0,
    };

    let script: Vec<(u64, &str)> = vec![
        (0, "www.example.com"),
        (1, "WWW.Example.com."),
        (2, "api.example.com"),
        (3, "cdn.example.com"),
        (5, "missing.example.com"),
        (10, "missing.example.com"),
        (20, "cdn.example.com"),
        (34, "api.example.com"),
        (40, "missing.example.com"),
        (45, "shop.example.com"),
        (50, "loop-a.example.com"),
        (60, "old.example.org"),
        (90, "www.example.com"),
        (130, "www.example.com"),
        (131, "shop.example.com"),
    ];

    println!("{:>5}  {:<22} {:<8} result", "t(s)", "name", "source");
    for (t, name) in script {
        resolver.cache.advance_to(t);
        if t == 100 || t == 130 {
            // The zone changes, but clients keep seeing cached data until TTL expiry.
        }
        if t == 90 {
            resolver.upstream.zone.insert(
                DomainName::parse("www.example.com"),
                Record::A { addrs: vec![Ipv4Addr::new(93, 184, 216, 99)], ttl: 120 },
            );
            println!("      -- upstream: www.example.com moved to 93.184.216.99 --");
        }
        let (source, text) = match resolver.resolve(name) {
            Resolution::Answer { addrs, ttl, source, chain } => {
                let via = if chain.is_empty() {
                    String::new()
                } else {
                    format!(" via {}", chain.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" -> "))
                };
                (Some(source), format!("{addrs} (ttl {ttl}s){via}"))
            }
            Resolution::NxDomain { ttl, source } => (Some(source), format!("NXDOMAIN (negative ttl {ttl}s)")),
            Resolution::Error(e) => (None, format!("SERVFAIL: {e}")),
        };
        let source = match source {
            Some(Source::Cache) => "cache",
            Some(Source::Upstream) => "upstream",
            None => "-",
        };
        println!("{:>5}  {:<22} {:<8} {}", t, name, source, text);
        if t == 45 || t == 131 {
            println!("\n{}\n", resolver.cache);
        }
    }

    println!(
        "upstream queries: {}, simulated upstream latency: {} ms",
        resolver.upstream.queries, resolver.latency_ms
    );
    let s = &resolver.cache.stats;
    let lookups = s.hits + s.negative_hits + s.misses;
    println!(
        "cache hit ratio: {:.0}% of {} lookups",
        (s.hits + s.negative_hits) as f64 * 100.0 / lookups.max(1) as f64,
        lookups
    );

    // The same generic cache with different key/value types: a reverse (PTR) cache.
    let mut ptr: TtlCache<Ipv4Addr, DomainName> = TtlCache::new(3);
    ptr.insert(Ipv4Addr::new(93, 184, 216, 34), Cached::Positive(DomainName::parse("www.example.com")), 300);
    ptr.insert(Ipv4Addr::new(10, 0, 0, 5), Cached::Positive(DomainName::parse("api.example.com")), 60);
    ptr.insert(Ipv4Addr::new(192, 0, 2, 1), Cached::Negative { reason: "no PTR record".into() }, 30);
    ptr.advance_to(45);
    ptr.insert(Ipv4Addr::new(151, 101, 1, 57), Cached::Positive(DomainName::parse("edge.cdnprovider.net")), 60);
    if let Lookup::Hit(name, ttl) = ptr.get(&Ipv4Addr::new(10, 0, 0, 5)) {
        println!("\nPTR 10.0.0.5 -> {name} ({ttl}s left)");
    }
    println!("\nreverse cache:\n{ptr}");
}
