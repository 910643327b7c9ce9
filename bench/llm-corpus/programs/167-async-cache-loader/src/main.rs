//! An async loading cache: missing keys are fetched with a loader function,
//! concurrent requests for the same key share a single in-flight load
//! (per-key `tokio::sync::OnceCell`), entries expire after a TTL and the
//! least recently used entry is evicted when the cache is full.
//!
//! Statistics live in fields of the same struct as the entries and are
//! refreshed by methods that iterate over those entries.

use futures::future::{join_all, BoxFuture, FutureExt};
use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

type Loader<K, V> = Arc<dyn Fn(K) -> BoxFuture<'static, Result<V, String>> + Send + Sync>;

struct Slot<V> {
    cell: Arc<OnceCell<V>>,
    inserted: Instant,
    last_access: Instant,
    hits: u64,
}

impl<V> Slot<V> {
    fn new(now: Instant) -> Self {
        Slot { cell: Arc::new(OnceCell::new()), inserted: now, last_access: now, hits: 0 }
    }
}

struct Inner<K, V> {
    entries: HashMap<K, Slot<V>>,
    // request counters
    hits: u64,
    misses: u64,
    coalesced: u64,
    loads: u64,
    load_errors: u64,
    evictions: u64,
    // derived from the entries by `refresh_stats`
    ready: usize,
    pending: usize,
    total_entry_hits: u64,
    hottest: Option<(K, u64)>,
    oldest_age: Duration,
}

impl<K: Eq + Hash + Clone, V> Inner<K, V> {
    fn new() -> Self {
        Inner {
            entries: HashMap::new(),
            hits: 0,
            misses: 0,
            coalesced: 0,
            loads: 0,
            load_errors: 0,
            evictions: 0,
            ready: 0,
            pending: 0,
            total_entry_hits: 0,
            hottest: None,
            oldest_age: Duration::ZERO,
        }
    }

    fn refresh_stats(&mut self) {
        let now = Instant::now();
        self.ready = 0;
        self.pending = 0;
        self.total_entry_hits = 0;
        self.hottest = None;
        self.oldest_age = Duration::ZERO;
        for (key, slot) in &self.entries {
            if slot.cell.initialized() {
                self.ready += 1;
            } else {
                self.pending += 1;
            }
            self.total_entry_hits += slot.hits;
            let better = self.hottest.as_ref().map_or(true, |(_, h)| slot.hits > *h);
            if better {
                self.hottest = Some((key.clone(), slot.hits));
            }
            self.oldest_age = self.oldest_age.max(now.duration_since(slot.inserted));
        }
    }

    fn evict_expired(&mut self, ttl: Duration, now: Instant) -> usize {
        let before = self.entries.len();
        self.entries.retain(|_, slot| !(slot.cell.initialized() && now.duration_since(slot.inserted) > ttl));
        let removed = before - self.entries.len();
        self.evictions += removed as u64;
        removed
    }

    /// Evicts least recently used, fully loaded entries until within capacity.
    fn evict_lru(&mut self, capacity: usize, protect: &K) {
        while self.entries.len() > capacity {
            let victim = self
                .entries
                .iter()
                .filter(|(k, s)| *k != protect && s.cell.initialized())
                .min_by_key(|(_, s)| s.last_access)
                .map(|(k, _)| k.clone());
            match victim {
                Some(k) => {
                    self.entries.remove(&k);
                    self.evictions += 1;
                }
                None => break,
            }
        }
    }
}

pub struct AsyncCache<K, V> {
    inner: Mutex<Inner<K, V>>,
    loader: Loader<K, V>,
    capacity: usize,
    ttl: Duration,
}

impl<K, V> AsyncCache<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new<F>(capacity: usize, ttl: Duration, loader: F) -> Self
    where
        F: Fn(K) -> BoxFuture<'static, Result<V, String>> + Send + Sync + 'static,
    {
        AsyncCache { inner: Mutex::new(Inner::new()), loader: Arc::new(loader), capacity: capacity.max(1), ttl }
    }

    fn with_inner<R>(&self, f: impl FnOnce(&mut Inner<K, V>) -> R) -> R {
        let mut guard = self.inner.lock().expect("cache mutex poisoned");
        f(&mut guard)
    }

    pub async fn get(&self, key: K) -> Result<V, String> {
        let cell = {
            let mut guard = self.inner.lock().expect("cache mutex poisoned");
            let inner = &mut *guard;
            let now = Instant::now();
            let ttl = self.ttl;
            match inner.entries.get_mut(&key) {
                Some(slot) if slot.cell.initialized() && now.duration_since(slot.inserted) > ttl => {
                    // Stale: replace with a fresh, empty slot.
                    inner.evictions += 1;
                    inner.misses += 1;
                    *slot = Slot::new(now);
                    slot.hits += 1;
                    slot.cell.clone()
                }
                Some(slot) => {
                    slot.hits += 1;
                    slot.last_access = now;
                    if slot.cell.initialized() {
                        inner.hits += 1;
                    } else {
                        inner.coalesced += 1;
                    }
                    slot.cell.clone()
                }
                None => {
                    inner.misses += 1;
                    let mut slot = Slot::new(now);
                    slot.hits = 1;
                    let cell = slot.cell.clone();
                    inner.entries.insert(key.clone(), slot);
                    inner.evict_lru(self.capacity, &key);
                    cell
                }
            }
        };

        let result = cell
            .get_or_try_init(|| {
                self.with_inner(|i| i.loads += 1);
                (self.loader)(key.clone())
            })
            .await;
        match result {
            Ok(value) => Ok(value.clone()),
            Err(e) => {
                self.with_inner(|i| i.load_errors += 1);
                Err(e)
            }
        }
    }

    pub fn purge_expired(&self) -> usize {
        let ttl = self.ttl;
        self.with_inner(|i| i.evict_expired(ttl, Instant::now()))
    }

    pub fn report(&self) -> String
    where
        K: Debug,
    {
        self.with_inner(|i| {
            i.refresh_stats();
            let requests = i.hits + i.misses + i.coalesced;
            let served_without_own_load = if requests == 0 {
                0.0
            } else {
                (i.hits + i.coalesced) as f64 * 100.0 / requests as f64
            };
            format!(
                "entries {} (ready {}, pending {}) | requests {} = hits {} + misses {} + coalesced {} | \
                 loads {} (errors {}) | evictions {} | shared-result rate {:.1}% | hottest {:?} | \
                 entry hits {} | oldest entry {:?}",
                i.entries.len(),
                i.ready,
                i.pending,
                requests,
                i.hits,
                i.misses,
                i.coalesced,
                i.loads,
                i.load_errors,
                i.evictions,
                served_without_own_load,
                i.hottest,
                i.total_entry_hits,
                i.oldest_age
            )
        })
    }
}

#[tokio::main]
async fn main() {
    let backend_calls = Arc::new(AtomicUsize::new(0));
    let calls_for_loader = Arc::clone(&backend_calls);

    let cache: Arc<AsyncCache<u32, String>> =
        Arc::new(AsyncCache::new(8, Duration::from_millis(400), move |id: u32| {
            let calls = Arc::clone(&calls_for_loader);
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50 + (id as u64 % 5) * 10)).await;
                if id % 13 == 0 {
                    Err(format!("user {id} not found in the backing store"))
                } else {
                    Ok(format!("user-{id} (score {})", id * 37 % 101))
                }
            }
            .boxed()
        }));

    // Phase 1: 42 concurrent tasks asking for only six distinct keys.
    println!("== phase 1: concurrent burst ==");
    let keys = [1u32, 2, 3, 4, 5, 13];
    let mut handles = Vec::new();
    for i in 0..42usize {
        let cache = Arc::clone(&cache);
        let key = keys[i % keys.len()];
        handles.push(tokio::spawn(async move { (key, cache.get(key).await) }));
    }
    let results: Vec<(u32, Result<String, String>)> =
        join_all(handles).await.into_iter().map(|r| r.expect("task panicked")).collect();
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    println!("{} requests, {} ok, {} failed", results.len(), ok, results.len() - ok);
    if let Some((key, Err(e))) = results.iter().find(|(_, r)| r.is_err()) {
        println!("example failure for key {key}: {e}");
    }
    println!(
        "backend calls: {} (5 good keys loaded once each; failed loads are retried by waiting callers)",
        backend_calls.load(Ordering::SeqCst)
    );
    println!("{}\n", cache.report());

    // Phase 2: repeated reads are served from memory.
    println!("== phase 2: warm reads ==");
    for key in [1, 2, 3, 1, 1] {
        let value = cache.get(key).await.expect("cached");
        println!("get({key}) -> {value}");
    }
    println!("backend calls: {}", backend_calls.load(Ordering::SeqCst));
    println!("{}\n", cache.report());

    // Phase 3: more distinct keys than capacity forces LRU eviction.
    println!("== phase 3: overflow the capacity of 8 ==");
    let fresh: Vec<Result<String, String>> = join_all((20..30).map(|k| cache.get(k))).await;
    println!("loaded {} new keys ({} ok)", fresh.len(), fresh.iter().filter(|r| r.is_ok()).count());
    println!("backend calls: {}", backend_calls.load(Ordering::SeqCst));
    println!("{}\n", cache.report());

    // Phase 4: after the TTL, entries are purged and reloaded on demand.
    println!("== phase 4: expiry ==");
    tokio::time::sleep(Duration::from_millis(450)).await;
    let purged = cache.purge_expired();
    println!("purged {purged} expired entries");
    let before = backend_calls.load(Ordering::SeqCst);
    let again = join_all((0..5).map(|_| cache.get(21))).await;
    println!(
        "5 concurrent gets of key 21 after expiry -> {:?}; backend calls +{}",
        again[0],
        backend_calls.load(Ordering::SeqCst) - before
    );
    println!("{}", cache.report());
}
