//! Approximate top-k heavy hitters over a stream of random words using a
//! Count-Min sketch for frequencies and a lazily-updated min-heap for the
//! current top-k set. Event handlers (closures) can be registered at run time
//! and are invoked with mutable access to shared state.

use rand::distributions::{Distribution, WeightedIndex};
use rand::{rngs::StdRng, SeedableRng};
use std::cmp::Reverse;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

struct CountMinSketch {
    width: usize,
    depth: usize,
    table: Vec<u64>,
    seeds: Vec<u64>,
}

impl CountMinSketch {
    /// Error at most `epsilon * N` with probability `1 - delta`.
    fn with_error(epsilon: f64, delta: f64) -> Self {
        let width = (std::f64::consts::E / epsilon).ceil() as usize;
        let depth = (1.0 / delta).ln().ceil() as usize;
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let seeds = (0..depth)
            .map(|_| {
                // splitmix64
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            })
            .collect();
        CountMinSketch { width, depth, table: vec![0; width * depth], seeds }
    }

    fn cell(&self, row: usize, item: &str) -> usize {
        let mut h = DefaultHasher::new();
        self.seeds[row].hash(&mut h);
        item.hash(&mut h);
        row * self.width + (h.finish() % self.width as u64) as usize
    }

    /// Adds `count` and returns the new estimate.
    fn add(&mut self, item: &str, count: u64) -> u64 {
        let mut estimate = u64::MAX;
        for row in 0..self.depth {
            let idx = self.cell(row, item);
            self.table[idx] += count;
            estimate = estimate.min(self.table[idx]);
        }
        estimate
    }

    fn estimate(&self, item: &str) -> u64 {
        (0..self.depth).map(|row| self.table[self.cell(row, item)]).min().unwrap_or(0)
    }
}

enum Change {
    Unchanged,
    Updated,
    Inserted,
    Replaced { evicted: String, evicted_count: u64 },
}

struct TopK {
    k: usize,
    counts: HashMap<String, u64>,
    heap: BinaryHeap<Reverse<(u64, String)>>,
}

impl TopK {
    fn new(k: usize) -> Self {
        TopK { k, counts: HashMap::new(), heap: BinaryHeap::new() }
    }

    fn offer(&mut self, item: &str, estimate: u64) -> Change {
        if let Some(c) = self.counts.get_mut(item) {
            *c = estimate;
            self.heap.push(Reverse((estimate, item.to_string())));
            self.maybe_compact();
            return Change::Updated;
        }
        if self.counts.len() < self.k {
            self.counts.insert(item.to_string(), estimate);
            self.heap.push(Reverse((estimate, item.to_string())));
            return Change::Inserted;
        }
        let (min_count, min_item) = self.current_min();
        if estimate > min_count {
            self.counts.remove(&min_item);
            self.counts.insert(item.to_string(), estimate);
            self.heap.push(Reverse((estimate, item.to_string())));
            Change::Replaced { evicted: min_item, evicted_count: min_count }
        } else {
            Change::Unchanged
        }
    }

    /// Pops stale heap entries until the top reflects a live count.
    fn current_min(&mut self) -> (u64, String) {
        loop {
            let Reverse((count, item)) = self.heap.peek().cloned().expect("heap holds every live entry");
            match self.counts.get(&item) {
                Some(&live) if live == count => return (count, item),
                _ => {
                    self.heap.pop();
                }
            }
        }
    }

    fn maybe_compact(&mut self) {
        if self.heap.len() > 8 * self.k + 64 {
            self.heap = self.counts.iter().map(|(w, &c)| Reverse((c, w.clone()))).collect();
        }
    }

    fn sorted(&self) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = self.counts.iter().map(|(w, &c)| (w.clone(), c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    fn leader(&self) -> Option<String> {
        self.counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(w, _)| w.clone())
    }
}

#[derive(Debug, Clone)]
enum Event {
    Entered { word: String, estimate: u64 },
    Evicted { word: String, count: u64, by: String },
    NewLeader { word: String, estimate: u64 },
    Milestone { processed: u64, top: Vec<(String, u64)> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum EventKind {
    Entered,
    Evicted,
    NewLeader,
    Milestone,
}

impl Event {
    fn kind(&self) -> EventKind {
        match self {
            Event::Entered { .. } => EventKind::Entered,
            Event::Evicted { .. } => EventKind::Evicted,
            Event::NewLeader { .. } => EventKind::NewLeader,
            Event::Milestone { .. } => EventKind::Milestone,
        }
    }
}

#[derive(Debug, Default)]
struct SharedState {
    log: Vec<String>,
    entries: u64,
    evictions: u64,
    leader_changes: u64,
    snapshots: Vec<(u64, Vec<(String, u64)>)>,
}

type Handler = Box<dyn FnMut(&Event, &mut SharedState)>;

struct HeavyHitters {
    sketch: CountMinSketch,
    topk: TopK,
    processed: u64,
    milestone_every: u64,
    leader: Option<String>,
    handlers: HashMap<EventKind, Vec<Handler>>,
    state: SharedState,
}

impl HeavyHitters {
    fn new(k: usize, epsilon: f64, delta: f64, milestone_every: u64) -> Self {
        HeavyHitters {
            sketch: CountMinSketch::with_error(epsilon, delta),
            topk: TopK::new(k),
            processed: 0,
            milestone_every,
            leader: None,
            handlers: HashMap::new(),
            state: SharedState::default(),
        }
    }

    fn on<F>(&mut self, kind: EventKind, handler: F) -> &mut Self
    where
        F: FnMut(&Event, &mut SharedState) + 'static,
    {
        self.handlers.entry(kind).or_default().push(Box::new(handler));
        self
    }

    fn emit(&mut self, event: Event) {
        if let Some(handlers) = self.handlers.get_mut(&event.kind()) {
            for handler in handlers.iter_mut() {
                handler(&event, &mut self.state);
            }
        }
    }

    fn process(&mut self, word: &str) {
        self.processed += 1;
        let estimate = self.sketch.add(word, 1);
        match self.topk.offer(word, estimate) {
            Change::Inserted => self.emit(Event::Entered { word: word.to_string(), estimate }),
            Change::Replaced { evicted, evicted_count } => {
                self.emit(Event::Entered { word: word.to_string(), estimate });
                self.emit(Event::Evicted { word: evicted, count: evicted_count, by: word.to_string() });
            }
            Change::Updated | Change::Unchanged => {}
        }
        let leader = self.topk.leader();
        if leader != self.leader {
            if let Some(w) = &leader {
                let estimate = self.sketch.estimate(w);
                self.emit(Event::NewLeader { word: w.clone(), estimate });
            }
            self.leader = leader;
        }
        if self.processed % self.milestone_every == 0 {
            let top = self.topk.sorted();
            self.emit(Event::Milestone { processed: self.processed, top });
        }
    }
}

const SYLLABLES: [&str; 10] = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su"];

/// Unique pronounceable word for each index (base-10 digits -> syllables).
fn make_word(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.push_str(SYLLABLES[i % 10]);
        i /= 10;
        if i == 0 {
            break s;
        }
    }
}

fn main() {
    const K: usize = 10;
    const STREAM: usize = 200_000;
    const VOCAB: usize = 2_000;

    let vocabulary: Vec<String> = (0..VOCAB).map(make_word).collect();
    let weights: Vec<f64> = (0..VOCAB).map(|r| 1.0 / ((r + 1) as f64).powf(1.1)).collect();
    let dist = WeightedIndex::new(&weights).expect("positive weights");
    let mut rng = StdRng::seed_from_u64(2024);

    let mut hh = HeavyHitters::new(K, 0.001, 0.01, 50_000);

    // Handlers registered at run time; some keep private state of their own.
    hh.on(EventKind::Entered, |_, state| state.entries += 1)
        .on(EventKind::Evicted, |event, state| {
            state.evictions += 1;
            if let Event::Evicted { word, count, by } = event {
                if state.evictions <= 5 {
                    state.log.push(format!("'{by}' pushed '{word}' ({count}) out of the top-{K}"));
                }
            }
        })
        .on(EventKind::Milestone, |event, state| {
            if let Event::Milestone { processed, top } = event {
                state.snapshots.push((*processed, top.iter().take(3).cloned().collect()));
            }
        });
    let mut last_leader_at = 0u64;
    let mut events_seen = 0u64;
    hh.on(EventKind::NewLeader, move |event, state| {
        events_seen += 1;
        state.leader_changes += 1;
        if let Event::NewLeader { word, estimate } = event {
            state.log.push(format!("leader #{events_seen}: '{word}' with ~{estimate} (previous change {last_leader_at} ago in estimate)"));
            last_leader_at = *estimate;
        }
    });

    let mut exact: HashMap<&str, u64> = HashMap::new();
    for _ in 0..STREAM {
        let word = &vocabulary[dist.sample(&mut rng)];
        *exact.entry(word.as_str()).or_insert(0) += 1;
        hh.process(word);
    }

    println!(
        "Processed {} words ({} distinct). Sketch: {}x{} = {} counters",
        hh.processed,
        exact.len(),
        hh.sketch.depth,
        hh.sketch.width,
        hh.sketch.table.len()
    );

    let mut exact_sorted: Vec<(&str, u64)> = exact.iter().map(|(w, &c)| (*w, c)).collect();
    exact_sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let exact_top: HashSet<&str> = exact_sorted.iter().take(K).map(|(w, _)| *w).collect();

    println!("\n{:<4}{:<12}{:>10}{:>10}{:>8}", "#", "word", "estimate", "exact", "error");
    let approx = hh.topk.sorted();
    for (i, (word, est)) in approx.iter().enumerate() {
        let truth = exact.get(word.as_str()).copied().unwrap_or(0);
        println!("{:<4}{:<12}{:>10}{:>10}{:>8}", i + 1, word, est, truth, est - truth);
    }
    let recall = approx.iter().filter(|(w, _)| exact_top.contains(w.as_str())).count();
    println!("recall vs exact top-{K}: {recall}/{K}");
    let bound = (std::f64::consts::E / 0.001 * 0.001 * hh.processed as f64).ceil();
    println!("theoretical error bound (eps*N): {bound}");

    let s = &hh.state;
    println!("\nHandler state: {} entries, {} evictions, {} leader changes", s.entries, s.evictions, s.leader_changes);
    for line in &s.log {
        println!("  {line}");
    }
    for (processed, top) in &s.snapshots {
        println!("  after {processed:>7}: {top:?}");
    }
}
