use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

struct Entry<V> {
    value: V,
    expires_at: Instant,
}

#[derive(Default)]
struct Stats {
    hits: AtomicU64,
    misses: AtomicU64,
    expired_on_get: AtomicU64,
    swept: AtomicU64,
    inserts: AtomicU64,
}

struct Shared<K, V> {
    map: Mutex<HashMap<K, Entry<V>>>,
    stats: Stats,
}

impl<K: Eq + Hash, V> Shared<K, V> {
    fn sweep(&self) -> usize {
        let now = Instant::now();
        let mut map = self.map.lock().expect("cache lock poisoned");
        let before = map.len();
        map.retain(|_, e| e.expires_at > now);
        let removed = before - map.len();
        self.stats.swept.fetch_add(removed as u64, Ordering::Relaxed);
        removed
    }
}

/// A thread-safe cache whose entries expire after a time-to-live.
/// Expired entries are removed lazily on `get` and periodically by a
/// background thread, which stops when the cache is dropped.
pub struct TtlCache<K, V>
where
    K: Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    shared: Arc<Shared<K, V>>,
    default_ttl: Duration,
    stop: Mutex<Option<Sender<()>>>,
    cleaner: Mutex<Option<JoinHandle<()>>>,
}

impl<K, V> TtlCache<K, V>
where
    K: Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    pub fn new(default_ttl: Duration, cleanup_every: Duration) -> Self {
        let shared = Arc::new(Shared {
            map: Mutex::new(HashMap::new()),
            stats: Stats::default(),
        });
        let (tx, rx) = mpsc::channel::<()>();
        let worker = Arc::clone(&shared);
        let handle = thread::Builder::new()
            .name("ttl-cleaner".to_string())
            .spawn(move || loop {
                match rx.recv_timeout(cleanup_every) {
                    Err(RecvTimeoutError::Timeout) => {
                        let removed = worker.sweep();
                        if removed > 0 {
                            println!(
                                "    [cleaner] swept {} expired entr{}",
                                removed,
                                if removed == 1 { "y" } else { "ies" }
                            );
                        }
                    }
                    // A message or a dropped sender both mean "shut down".
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                }
            })
            .expect("failed to spawn cleanup thread");
        TtlCache {
            shared,
            default_ttl,
            stop: Mutex::new(Some(tx)),
            cleaner: Mutex::new(Some(handle)),
        }
    }

    pub fn insert(&self, key: K, value: V) {
        self.insert_with_ttl(key, value, self.default_ttl);
    }

    pub fn insert_with_ttl(&self, key: K, value: V, ttl: Duration) {
        let entry = Entry {
            value,
            expires_at: Instant::now() + ttl,
        };
        self.shared.map.lock().expect("cache lock poisoned").insert(key, entry);
        self.shared.stats.inserts.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let now = Instant::now();
        let mut map = self.shared.map.lock().expect("cache lock poisoned");
        let state = map
            .get(key)
            .map(|e| if e.expires_at > now { Some(e.value.clone()) } else { None });
        match state {
            Some(Some(value)) => {
                self.shared.stats.hits.fetch_add(1, Ordering::Relaxed);
                Some(value)
            }
            Some(None) => {
                // Lazy expiry: the entry is stale, drop it now.
                map.remove(key);
                self.shared.stats.expired_on_get.fetch_add(1, Ordering::Relaxed);
                self.shared.stats.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
            None => {
                self.shared.stats.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Returns the cached value or computes, stores and returns a fresh one.
    pub fn get_or_insert_with<F: FnOnce() -> V>(&self, key: K, compute: F) -> V {
        let now = Instant::now();
        let mut map = self.shared.map.lock().expect("cache lock poisoned");
        if let Some(e) = map.get(&key) {
            if e.expires_at > now {
                self.shared.stats.hits.fetch_add(1, Ordering::Relaxed);
                return e.value.clone();
            }
        }
        self.shared.stats.misses.fetch_add(1, Ordering::Relaxed);
        let value = compute();
        map.insert(
            key,
            Entry {
                value: value.clone(),
                expires_at: now + self.default_ttl,
            },
        );
        self.shared.stats.inserts.fetch_add(1, Ordering::Relaxed);
        value
    }

    pub fn remove(&self, key: &K) -> Option<V> {
        self.shared
            .map
            .lock()
            .expect("cache lock poisoned")
            .remove(key)
            .map(|e| e.value)
    }

    pub fn ttl_remaining(&self, key: &K) -> Option<Duration> {
        let map = self.shared.map.lock().expect("cache lock poisoned");
        map.get(key)
            .and_then(|e| e.expires_at.checked_duration_since(Instant::now()))
    }

    /// Number of stored entries, including expired ones not yet removed.
    pub fn len(&self) -> usize {
        self.shared.map.lock().expect("cache lock poisoned").len()
    }

    pub fn stats(&self) -> String {
        let s = &self.shared.stats;
        format!(
            "hits {}, misses {}, inserts {}, expired on get {}, swept by cleaner {}",
            s.hits.load(Ordering::Relaxed),
            s.misses.load(Ordering::Relaxed),
            s.inserts.load(Ordering::Relaxed),
            s.expired_on_get.load(Ordering::Relaxed),
            s.swept.load(Ordering::Relaxed)
        )
    }
}

impl<K, V> Drop for TtlCache<K, V>
where
    K: Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    fn drop(&mut self) {
        // Dropping the sender wakes the cleaner with `Disconnected`.
        if let Ok(stop) = self.stop.get_mut() {
            stop.take();
        }
        if let Some(handle) = self.cleaner.get_mut().ok().and_then(|h| h.take()) {
            let _ = handle.join();
        }
    }
}

fn main() {
    let start = Instant::now();
    let t = || format!("[{:>4} ms]", start.elapsed().as_millis());

    println!("== lazy expiry (cleaner runs only every 10 s) ==");
    {
        let cache: TtlCache<String, String> =
            TtlCache::new(Duration::from_millis(150), Duration::from_secs(10));
        cache.insert("session:alice".to_string(), "token-a1".to_string());
        cache.insert_with_ttl("config".to_string(), "v42".to_string(), Duration::from_secs(5));
        println!("{} get alice  -> {:?}", t(), cache.get(&"session:alice".to_string()));
        println!(
            "{} alice ttl  -> {:?}",
            t(),
            cache.ttl_remaining(&"session:alice".to_string()).map(|d| d.as_millis())
        );
        thread::sleep(Duration::from_millis(200));
        println!("{} entries stored before get: {}", t(), cache.len());
        println!("{} get alice  -> {:?} (expired)", t(), cache.get(&"session:alice".to_string()));
        println!("{} get config -> {:?}", t(), cache.get(&"config".to_string()));
        println!("{} entries stored after get: {}", t(), cache.len());
        println!("{} stats: {}", t(), cache.stats());
    }

    println!("\n== background cleanup every 100 ms ==");
    let cache: TtlCache<String, String> =
        TtlCache::new(Duration::from_millis(250), Duration::from_millis(100));
    for user in ["alice", "bob", "carol", "dave"] {
        cache.insert(format!("session:{}", user), format!("token-{}", user));
    }
    cache.insert_with_ttl("otp:erin".to_string(), "918273".to_string(), Duration::from_millis(80));
    cache.insert_with_ttl("config".to_string(), "v42".to_string(), Duration::from_secs(5));
    println!("{} stored {} entries", t(), cache.len());
    println!("{} removed bob -> {:?}", t(), cache.remove(&"session:bob".to_string()));
    thread::sleep(Duration::from_millis(150));
    println!("{} after 150 ms: {} entries", t(), cache.len());
    thread::sleep(Duration::from_millis(250));
    println!("{} after 400 ms: {} entries", t(), cache.len());
    println!("{} get config -> {:?}", t(), cache.get(&"config".to_string()));

    println!("\n== concurrent readers with get_or_insert_with ==");
    let computed = AtomicU64::new(0);
    thread::scope(|scope| {
        for worker in 0..4 {
            let cache = &cache;
            let computed = &computed;
            scope.spawn(move || {
                for i in 0..50 {
                    let key = format!("user:{}", (i + worker) % 10);
                    cache.get_or_insert_with(key.clone(), || {
                        computed.fetch_add(1, Ordering::Relaxed);
                        thread::sleep(Duration::from_millis(1)); // pretend to hit a database
                        format!("profile of {}", key)
                    });
                }
            });
        }
    });
    println!(
        "{} 200 lookups over 10 keys -> {} computations",
        t(),
        computed.load(Ordering::Relaxed)
    );
    println!("{} stats: {}", t(), cache.stats());
    drop(cache);
    println!("{} cache dropped, cleaner thread joined", t());
}
