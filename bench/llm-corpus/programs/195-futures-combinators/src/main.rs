//! Tour of future/stream combinators from the `futures` crate, driven by tokio
//! timers: `join_all`, `try_join_all`, `select` (racing and timeouts), and
//! streams with `map`, `filter`, `buffer_unordered`, `buffered`, `then`,
//! `fold` and `select`.
//!
//! Results are collected into an `OutcomeSet` whose custom iterator yields
//! `&Outcome`; `IntoIterator` is implemented for `&OutcomeSet`.

use futures::future::{self, Either};
use futures::stream::{self, StreamExt};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::sleep;

#[derive(Debug, Clone)]
struct Outcome {
    task: u32,
    value: u64,
    delay_ms: u64,
    finish_rank: usize,
    finished_at_ms: u128,
}

#[derive(Debug, Default)]
struct OutcomeSet {
    label: String,
    items: Vec<Outcome>,
}

struct OutcomeIter<'a> {
    items: &'a [Outcome],
    pos: usize,
}

impl<'a> Iterator for OutcomeIter<'a> {
    type Item = &'a Outcome;

    fn next(&mut self) -> Option<&'a Outcome> {
        let item = self.items.get(self.pos)?;
        self.pos += 1;
        Some(item)
    }
}

impl<'a> IntoIterator for &'a OutcomeSet {
    type Item = &'a Outcome;
    type IntoIter = OutcomeIter<'a>;

    fn into_iter(self) -> OutcomeIter<'a> {
        self.iter()
    }
}

impl OutcomeSet {
    fn new(label: &str, items: Vec<Outcome>) -> Self {
        OutcomeSet { label: label.to_string(), items }
    }

    fn iter(&self) -> OutcomeIter<'_> {
        OutcomeIter { items: &self.items, pos: 0 }
    }

    fn total(&self) -> u64 {
        self.iter().map(|o| o.value).sum()
    }

    fn completion_order(&self) -> Vec<u32> {
        let mut by_rank: Vec<&Outcome> = self.iter().collect();
        by_rank.sort_by_key(|o| o.finish_rank);
        by_rank.into_iter().map(|o| o.task).collect()
    }

    fn print(&self) {
        println!("{} ({} results, total value {}):", self.label, self.items.len(), self.total());
        for o in self {
            println!(
                "  task {:>3}  delay {:>3}ms  finished #{:<2} at {:>4}ms  value {}",
                o.task, o.delay_ms, o.finish_rank, o.finished_at_ms, o.value
            );
        }
        println!("  completion order: {:?}", self.completion_order());
    }
}

#[derive(Clone)]
struct Clock {
    start: Instant,
    finished: Arc<AtomicUsize>,
}

impl Clock {
    fn new() -> Self {
        Clock { start: Instant::now(), finished: Arc::new(AtomicUsize::new(0)) }
    }

    fn elapsed_ms(&self) -> u128 {
        self.start.elapsed().as_millis()
    }
}

async fn work(task: u32, delay_ms: u64, clock: Clock) -> Outcome {
    sleep(Duration::from_millis(delay_ms)).await;
    let finish_rank = clock.finished.fetch_add(1, Ordering::SeqCst) + 1;
    Outcome { task, value: task as u64 * 10 + delay_ms % 7, delay_ms, finish_rank, finished_at_ms: clock.elapsed_ms() }
}

async fn fallible(task: u32, delay_ms: u64) -> Result<u64, String> {
    sleep(Duration::from_millis(delay_ms)).await;
    if task == 3 {
        Err(format!("task {task} failed after {delay_ms}ms"))
    } else {
        Ok(task as u64 * 100)
    }
}

fn delay_for(task: u32) -> u64 {
    (task as u64 * 37) % 90 + 10
}

#[tokio::main]
async fn main() {
    // 1. join_all: run everything concurrently, results keep input order.
    let clock = Clock::new();
    let jobs: Vec<_> = [120u64, 30, 80, 10, 60]
        .iter()
        .enumerate()
        .map(|(i, &d)| work(i as u32 + 1, d, clock.clone()))
        .collect();
    let results = future::join_all(jobs).await;
    let joined = OutcomeSet::new("join_all", results);
    joined.print();
    println!("  wall time {}ms (max single delay 120ms)\n", clock.elapsed_ms());

    // 2. try_join_all: short-circuits on the first error.
    match future::try_join_all((1..=2u32).map(|i| fallible(i, 20))).await {
        Ok(values) => println!("try_join_all (all succeed): {values:?}"),
        Err(e) => println!("try_join_all unexpectedly failed: {e}"),
    }
    match future::try_join_all((1..=4u32).map(|i| fallible(i, 10 * i as u64))).await {
        Ok(values) => println!("try_join_all unexpectedly succeeded: {values:?}"),
        Err(e) => println!("try_join_all (one fails): error = {e}\n"),
    }

    // 3. select: race two futures; the loser is handed back and can still be awaited.
    let clock = Clock::new();
    let fast = Box::pin(work(100, 40, clock.clone()));
    let slow = Box::pin(work(200, 150, clock.clone()));
    match future::select(fast, slow).await {
        Either::Left((winner, loser)) => {
            println!("select: left (task {}) won at {}ms", winner.task, winner.finished_at_ms);
            let late = loser.await;
            println!("        the other future was resumed and finished at {}ms", late.finished_at_ms);
        }
        Either::Right((winner, loser)) => {
            println!("select: right (task {}) won at {}ms", winner.task, winner.finished_at_ms);
            let late = loser.await;
            println!("        the other future was resumed and finished at {}ms", late.finished_at_ms);
        }
    }

    // select as a timeout: the abandoned job is simply dropped.
    let job = Box::pin(work(300, 500, clock.clone()));
    let timer = Box::pin(sleep(Duration::from_millis(100)));
    match future::select(job, timer).await {
        Either::Left((o, _)) => println!("select timeout: job finished in time with value {}", o.value),
        Either::Right(((), _abandoned)) => println!("select timeout: gave up after 100ms, job dropped\n"),
    }

    // 4. buffer_unordered vs buffered: at most 4 in flight.
    let clock = Clock::new();
    let unordered: Vec<Outcome> = stream::iter(1..=10u32)
        .map(|i| work(i, delay_for(i), clock.clone()))
        .buffer_unordered(4)
        .collect()
        .await;
    let unordered = OutcomeSet::new("buffer_unordered(4): yielded as they complete", unordered);
    unordered.print();
    println!("  wall time {}ms\n", clock.elapsed_ms());

    let clock = Clock::new();
    let ordered: Vec<Outcome> = stream::iter(1..=10u32)
        .map(|i| work(i, delay_for(i), clock.clone()))
        .buffered(4)
        .collect()
        .await;
    let ordered = OutcomeSet::new("buffered(4): yielded in input order", ordered);
    let yielded: Vec<u32> = ordered.iter().map(|o| o.task).collect();
    println!("{}: yield order {:?}, completion order {:?}", ordered.label, yielded, ordered.completion_order());
    println!("  wall time {}ms\n", clock.elapsed_ms());

    // 5. filter -> map -> buffer_unordered -> filter -> map pipeline.
    let clock = Clock::new();
    let pipeline: Vec<Outcome> = stream::iter(1..=12u32)
        .filter(|i| future::ready(i % 3 != 0))
        .map(|i| work(i, delay_for(i), clock.clone()))
        .buffer_unordered(3)
        .filter(|o| future::ready(o.value % 2 == 0))
        .collect()
        .await;
    let evens = OutcomeSet::new("pipeline: tasks not divisible by 3, even values only", pipeline);
    let labels: Vec<String> = evens.iter().map(|o| format!("t{}={}", o.task, o.value)).collect();
    println!("{}: {}", evens.label, labels.join(", "));

    // 6. then + fold: sequential async steps reduced to one value.
    let started = Instant::now();
    let total = stream::iter(vec![5u64, 15, 25])
        .then(|ms| async move {
            sleep(Duration::from_millis(ms)).await;
            ms * 2
        })
        .fold(0u64, |acc, v| async move { acc + v })
        .await;
    println!("then + fold: total {} after {}ms (sequential)", total, started.elapsed().as_millis());

    // 7. stream::select: merge two timed streams as items become ready.
    let ticks = |label: &'static str, every: u64, count: u32| {
        stream::unfold(0u32, move |n| async move {
            if n >= count {
                None
            } else {
                sleep(Duration::from_millis(every)).await;
                Some((format!("{label}#{n}"), n + 1))
            }
        })
    };
    let merged: Vec<String> = stream::select(ticks("fast", 15, 4), ticks("slow", 40, 2)).collect().await;
    println!("stream::select merged: {}", merged.join(" "));

    // Iterating the collections through IntoIterator for &OutcomeSet.
    let mut best: Option<&Outcome> = None;
    for set in [&joined, &unordered, &ordered, &evens] {
        for o in set {
            if best.map_or(true, |b| o.value > b.value) {
                best = Some(o);
            }
        }
    }
    if let Some(b) = best {
        println!("\nlargest value across all sets: task {} with {}", b.task, b.value);
    }
}
