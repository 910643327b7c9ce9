//! heap-kth: find the k largest and k smallest values of a large random
//! vector with bounded heaps, and maintain a running median with two heaps.
//! Each streaming statistic is a trait object in a registry keyed by name.
//!
//! Usage: heap-kth [N] [K]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::time::Instant;

trait StreamStat {
    fn name(&self) -> String;
    fn push(&mut self, x: i64);
    fn summary(&self) -> String;
    /// Values to compare against a brute-force answer, if applicable.
    fn result(&self) -> Vec<i64>;
    fn reset(&mut self);
}

/// Generic helpers for any stream statistic behind `dyn`.
impl<'a> dyn StreamStat + 'a {
    fn feed<I>(&mut self, items: I) -> usize
    where
        I: IntoIterator<Item = i64>,
    {
        let mut n = 0;
        for x in items {
            self.push(x);
            n += 1;
        }
        n
    }

    fn feed_refs<'b, I>(&mut self, items: I) -> usize
    where
        I: IntoIterator<Item = &'b i64>,
    {
        self.feed(items.into_iter().copied())
    }
}

/// Keeps the k largest values using a min-heap of size k.
struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<i64>>,
}

impl StreamStat for TopK {
    fn name(&self) -> String {
        format!("top-{}", self.k)
    }
    fn push(&mut self, x: i64) {
        if self.heap.len() < self.k {
            self.heap.push(Reverse(x));
        } else if let Some(&Reverse(min)) = self.heap.peek() {
            if x > min {
                self.heap.pop();
                self.heap.push(Reverse(x));
            }
        }
    }
    fn summary(&self) -> String {
        format!("{:?}", self.result())
    }
    fn result(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self.heap.iter().map(|r| r.0).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }
    fn reset(&mut self) {
        self.heap.clear();
    }
}

/// Keeps the k smallest values using a max-heap of size k.
struct BottomK {
    k: usize,
    heap: BinaryHeap<i64>,
}

impl StreamStat for BottomK {
    fn name(&self) -> String {
        format!("bottom-{}", self.k)
    }
    fn push(&mut self, x: i64) {
        if self.heap.len() < self.k {
            self.heap.push(x);
        } else if let Some(&max) = self.heap.peek() {
            if x < max {
                self.heap.pop();
                self.heap.push(x);
            }
        }
    }
    fn summary(&self) -> String {
        format!("{:?}", self.result())
    }
    fn result(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self.heap.iter().copied().collect();
        v.sort_unstable();
        v
    }
    fn reset(&mut self) {
        self.heap.clear();
    }
}

/// Running median: max-heap for the lower half, min-heap for the upper half.
#[derive(Default)]
struct RunningMedian {
    low: BinaryHeap<i64>,
    high: BinaryHeap<Reverse<i64>>,
}

impl RunningMedian {
    fn median(&self) -> Option<f64> {
        match (self.low.peek(), self.high.peek()) {
            (None, _) => None,
            (Some(&l), Some(&Reverse(h))) if self.low.len() == self.high.len() => Some((l as f64 + h as f64) / 2.0),
            (Some(&l), _) => Some(l as f64),
        }
    }
}

impl StreamStat for RunningMedian {
    fn name(&self) -> String {
        "median".into()
    }
    fn push(&mut self, x: i64) {
        match self.low.peek() {
            Some(&top) if x > top => self.high.push(Reverse(x)),
            _ => self.low.push(x),
        }
        // Rebalance so that low has the same size as high, or one more.
        if self.low.len() > self.high.len() + 1 {
            if let Some(v) = self.low.pop() {
                self.high.push(Reverse(v));
            }
        } else if self.high.len() > self.low.len() {
            if let Some(Reverse(v)) = self.high.pop() {
                self.low.push(v);
            }
        }
    }
    fn summary(&self) -> String {
        match self.median() {
            Some(m) => format!("{m} (from {} values)", self.low.len() + self.high.len()),
            None => "empty".into(),
        }
    }
    fn result(&self) -> Vec<i64> {
        // Twice the median keeps the answer integral for comparison.
        self.median().map(|m| vec![(m * 2.0) as i64]).unwrap_or_default()
    }
    fn reset(&mut self) {
        self.low.clear();
        self.high.clear();
    }
}

/// Simple running min/max/mean for context.
#[derive(Default)]
struct Moments {
    n: u64,
    sum: i128,
    min: Option<i64>,
    max: Option<i64>,
}

impl StreamStat for Moments {
    fn name(&self) -> String {
        "moments".into()
    }
    fn push(&mut self, x: i64) {
        self.n += 1;
        self.sum += x as i128;
        self.min = Some(self.min.map_or(x, |m| m.min(x)));
        self.max = Some(self.max.map_or(x, |m| m.max(x)));
    }
    fn summary(&self) -> String {
        let mean = if self.n == 0 { 0.0 } else { self.sum as f64 / self.n as f64 };
        format!("n={} min={:?} max={:?} mean={:.2}", self.n, self.min, self.max, mean)
    }
    fn result(&self) -> Vec<i64> {
        self.min.into_iter().chain(self.max).collect()
    }
    fn reset(&mut self) {
        *self = Moments::default();
    }
}

fn brute_force(data: &[i64], k: usize) -> BTreeMap<String, Vec<i64>> {
    let mut sorted = data.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let mut out = BTreeMap::new();
    out.insert(format!("top-{k}"), sorted.iter().rev().take(k).copied().collect());
    out.insert(format!("bottom-{k}"), sorted.iter().take(k).copied().collect());
    let twice_median = if n % 2 == 0 { sorted[n / 2 - 1] + sorted[n / 2] } else { sorted[n / 2] * 2 };
    out.insert("median".to_string(), vec![twice_median]);
    out.insert("moments".to_string(), vec![sorted[0], sorted[n - 1]]);
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let k: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);

    let mut registry: BTreeMap<String, Box<dyn StreamStat>> = BTreeMap::new();
    let stats: Vec<Box<dyn StreamStat>> = vec![
        Box::new(TopK { k, heap: BinaryHeap::with_capacity(k + 1) }),
        Box::new(BottomK { k, heap: BinaryHeap::with_capacity(k + 1) }),
        Box::new(RunningMedian::default()),
        Box::new(Moments::default()),
    ];
    for s in stats {
        registry.insert(s.name(), s);
    }

    let mut rng = StdRng::seed_from_u64(12345);
    let data: Vec<i64> = (0..n).map(|_| rng.gen_range(-1_000_000_000..1_000_000_000)).collect();
    println!("Generated {} random values, k = {}\n", data.len(), k);

    let expected = brute_force(&data, k);
    for (name, stat) in registry.iter_mut() {
        let t = Instant::now();
        let fed = stat.feed_refs(&data);
        let elapsed = t.elapsed();
        let ok = expected.get(name).map_or(true, |e| *e == stat.result());
        println!("{:<10} fed {} in {:>9.2?} [{}]", name, fed, elapsed, if ok { "matches sort" } else { "MISMATCH" });
        println!("           {}", stat.summary());
    }

    // Running median on a short stream, printed step by step.
    println!("\nRunning median of a stream:");
    if let Some(median) = registry.get_mut("median") {
        median.reset();
        let stream = [5, 15, 1, 3, 8, 7, 9, 10, 20, 2];
        for (i, x) in stream.iter().enumerate() {
            median.push(*x);
            println!("  after {:>2} values (+{:>2}): median {}", i + 1, x, median.summary());
        }
    }

    // Feeding from any iterator works too.
    if let Some(top) = registry.get_mut(&format!("top-{k}")) {
        top.reset();
        top.feed((1..=100).map(|x| x * x % 97));
        println!("\nTop {k} of x^2 mod 97 for x in 1..=100: {}", top.summary());
    }
}
