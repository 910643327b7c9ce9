use rand::Rng;
use std::collections::HashMap;
use std::hash::Hash;

struct Node<K, V> {
    key: K,
    value: V,
    prev: Option<usize>,
    next: Option<usize>,
}

/// An LRU cache backed by a slab of nodes forming a doubly linked list.
pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, usize>,
    nodes: Vec<Option<Node<K, V>>>,
    free: Vec<usize>,
    head: Option<usize>, // most recently used
    tail: Option<usize>, // least recently used
    hits: u64,
    misses: u64,
    evictions: u64,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be positive");
        LruCache {
            capacity,
            map: HashMap::with_capacity(capacity),
            nodes: Vec::with_capacity(capacity),
            free: Vec::new(),
            head: None,
            tail: None,
            hits: 0,
            misses: 0,
            evictions: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    fn node(&self, idx: usize) -> &Node<K, V> {
        self.nodes[idx].as_ref().expect("valid node")
    }

    fn node_mut(&mut self, idx: usize) -> &mut Node<K, V> {
        self.nodes[idx].as_mut().expect("valid node")
    }

    fn detach(&mut self, idx: usize) {
        let (prev, next) = {
            let n = self.node(idx);
            (n.prev, n.next)
        };
        match prev {
            Some(p) => self.node_mut(p).next = next,
            None => self.head = next,
        }
        match next {
            Some(n) => self.node_mut(n).prev = prev,
            None => self.tail = prev,
        }
        let n = self.node_mut(idx);
        n.prev = None;
        n.next = None;
    }

    fn push_front(&mut self, idx: usize) {
        let old_head = self.head;
        {
            let n = self.node_mut(idx);
            n.prev = None;
            n.next = old_head;
        }
        if let Some(h) = old_head {
            self.node_mut(h).prev = Some(idx);
        }
        self.head = Some(idx);
        if self.tail.is_none() {
            self.tail = Some(idx);
        }
    }

    pub fn get(&mut self, key: &K) -> Option<&V> {
        match self.map.get(key).copied() {
            Some(idx) => {
                self.hits += 1;
                self.detach(idx);
                self.push_front(idx);
                Some(&self.node(idx).value)
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&idx) = self.map.get(&key) {
            self.node_mut(idx).value = value;
            self.detach(idx);
            self.push_front(idx);
            return None;
        }
        let mut evicted = None;
        if self.map.len() >= self.capacity {
            if let Some(tail) = self.tail {
                self.detach(tail);
                let node = self.nodes[tail].take().expect("valid tail");
                self.map.remove(&node.key);
                self.free.push(tail);
                self.evictions += 1;
                evicted = Some((node.key, node.value));
            }
        }
        let node = Node { key: key.clone(), value, prev: None, next: None };
        let idx = match self.free.pop() {
            Some(i) => {
                self.nodes[i] = Some(node);
                i
            }
            None => {
                self.nodes.push(Some(node));
                self.nodes.len() - 1
            }
        };
        self.map.insert(key, idx);
        self.push_front(idx);
        evicted
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let idx = self.map.remove(key)?;
        self.detach(idx);
        let node = self.nodes[idx].take()?;
        self.free.push(idx);
        Some(node.value)
    }

    pub fn keys_mru(&self) -> Vec<&K> {
        let mut out = Vec::new();
        let mut cur = self.head;
        while let Some(i) = cur {
            let n = self.node(i);
            out.push(&n.key);
            cur = n.next;
        }
        out
    }

    pub fn stats(&self) -> (u64, u64, u64) {
        (self.hits, self.misses, self.evictions)
    }

    pub fn hit_rate(&self) -> f64 {
        let total = self.hits + self.misses;
        if total == 0 {
            0.0
        } else {
            self.hits as f64 / total as f64
        }
    }
}

fn fetch_page(url: &str) -> String {
    // Pretend to fetch a page over the network.
    format!("<html><title>{}</title><body>content of {}</body></html>", url, url)
}

fn main() {
    let pages = [
        "/", "/about", "/blog", "/blog/rust-lru", "/contact", "/products", "/products/1",
        "/products/2", "/pricing", "/docs",
    ];
    // Skewed popularity: earlier pages are requested more often.
    let weights = [30, 15, 12, 8, 5, 10, 6, 4, 6, 4];
    let total_weight: u32 = weights.iter().sum();

    let mut cache: LruCache<String, String> = LruCache::new(4);
    let mut rng = rand::thread_rng();

    println!("Simulating 40 page lookups with a cache of capacity 4\n");
    for step in 1..=40 {
        let mut roll = rng.gen_range(0..total_weight);
        let mut chosen = pages[0];
        for (p, w) in pages.iter().zip(weights.iter()) {
            if roll < *w {
                chosen = p;
                break;
            }
            roll -= w;
        }
        let key = chosen.to_string();
        let status = if cache.get(&key).is_some() {
            "HIT ".to_string()
        } else {
            let body = fetch_page(chosen);
            match cache.put(key.clone(), body) {
                Some((old, _)) => format!("MISS (evicted {})", old),
                None => "MISS".to_string(),
            }
        };
        println!("{:>2}: {:<16} {}", step, chosen, status);
    }

    println!("\nCache contents (most recent first): {:?}", cache.keys_mru());
    if let Some(removed) = cache.remove(&"/".to_string()) {
        println!("Removed '/' ({} bytes)", removed.len());
    }
    println!("Entries now: {}", cache.len());
    let (hits, misses, evictions) = cache.stats();
    println!(
        "Hits: {}, Misses: {}, Evictions: {}, Hit rate: {:.1}%",
        hits,
        misses,
        evictions,
        cache.hit_rate() * 100.0
    );
}
