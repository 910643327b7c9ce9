//! queue-simulation: a bank with several tellers and random customer
//! arrivals/service times. Each (tellers, replication) scenario runs on its
//! own scoped thread; results come back over an mpsc channel and are merged.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::mpsc;
use std::thread;

#[derive(Debug, Clone, Copy)]
struct Params {
    /// Mean customers per minute.
    arrival_rate: f64,
    /// Mean service time in minutes.
    mean_service: f64,
    /// Length of the opening hours in minutes.
    open_minutes: f64,
}

#[derive(Debug, Clone)]
struct RunStats {
    tellers: usize,
    replication: u64,
    customers: usize,
    avg_wait: f64,
    max_wait: f64,
    p95_wait: f64,
    waited_over_5: f64,
    utilisation: f64,
    closing_overrun: f64,
}

fn exponential(rng: &mut StdRng, mean: f64) -> f64 {
    // Inverse transform sampling; 1 - U avoids ln(0).
    -mean * (1.0 - rng.gen::<f64>()).ln()
}

fn simulate(tellers: usize, params: Params, seed: u64) -> RunStats {
    let mut rng = StdRng::seed_from_u64(seed);

    // Generate arrivals during opening hours.
    let mut arrivals = Vec::new();
    let mut t = 0.0;
    loop {
        t += exponential(&mut rng, 1.0 / params.arrival_rate);
        if t > params.open_minutes {
            break;
        }
        let service = exponential(&mut rng, params.mean_service).max(0.5);
        arrivals.push((t, service));
    }

    // FIFO queue: each customer goes to the teller that frees up first.
    // Min-heap of (time teller becomes free, teller id), times stored as integer micro-minutes.
    let mut free_at: BinaryHeap<Reverse<(u64, usize)>> = (0..tellers).map(|i| Reverse((0, i))).collect();
    let mut busy = vec![0.0f64; tellers];
    let mut waits = Vec::with_capacity(arrivals.len());
    let mut last_departure: f64 = 0.0;

    for &(arrival, service) in &arrivals {
        let Reverse((free_micros, teller)) = free_at.pop().expect("at least one teller");
        let free = free_micros as f64 / 1e6;
        let start = arrival.max(free);
        let end = start + service;
        waits.push(start - arrival);
        busy[teller] += service;
        last_departure = last_departure.max(end);
        free_at.push(Reverse(((end * 1e6) as u64, teller)));
    }

    let n = waits.len().max(1) as f64;
    let mut sorted = waits.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let p95 = sorted.get(((sorted.len() as f64) * 0.95) as usize).copied().unwrap_or(0.0);
    let horizon = last_departure.max(params.open_minutes);

    RunStats {
        tellers,
        replication: seed,
        customers: waits.len(),
        avg_wait: waits.iter().sum::<f64>() / n,
        max_wait: sorted.last().copied().unwrap_or(0.0),
        p95_wait: p95,
        waited_over_5: waits.iter().filter(|&&w| w > 5.0).count() as f64 / n,
        utilisation: busy.iter().sum::<f64>() / (horizon * tellers as f64),
        closing_overrun: (last_departure - params.open_minutes).max(0.0),
    }
}

#[derive(Debug, Default)]
struct Summary {
    runs: usize,
    customers: usize,
    avg_wait: f64,
    worst_wait: f64,
    p95_wait: f64,
    waited_over_5: f64,
    utilisation: f64,
    overrun: f64,
}

impl Summary {
    fn add(&mut self, r: &RunStats) {
        self.runs += 1;
        self.customers += r.customers;
        self.avg_wait += r.avg_wait;
        self.worst_wait = self.worst_wait.max(r.max_wait);
        self.p95_wait += r.p95_wait;
        self.waited_over_5 += r.waited_over_5;
        self.utilisation += r.utilisation;
        self.overrun += r.closing_overrun;
    }

    fn mean(&self, total: f64) -> f64 {
        total / self.runs.max(1) as f64
    }
}

fn main() {
    let params = Params { arrival_rate: 1.2, mean_service: 4.0, open_minutes: 8.0 * 60.0 };
    let teller_options: Vec<usize> = (3..=8).collect();
    let replications: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let workers = thread::available_parallelism().map(|n| n.get()).unwrap_or(4);

    println!(
        "Bank: {:.1} arrivals/min, mean service {:.1} min, open {} min; {} replications per config on {} threads\n",
        params.arrival_rate, params.mean_service, params.open_minutes, replications, workers
    );

    // Build the job list, then split it round-robin across worker threads.
    let jobs: Vec<(usize, u64)> = teller_options
        .iter()
        .flat_map(|&t| (0..replications).map(move |r| (t, 1_000 + r)))
        .collect();

    let results: Vec<RunStats> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<RunStats>();
        for w in 0..workers {
            let tx = tx.clone();
            let my_jobs: Vec<(usize, u64)> = jobs.iter().copied().skip(w).step_by(workers).collect();
            scope.spawn(move || {
                for (tellers, seed) in my_jobs {
                    // Same seed for every teller count => common random numbers.
                    let stats = simulate(tellers, params, seed);
                    if tx.send(stats).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        rx.into_iter().collect()
    });

    // Merge per teller count.
    let mut merged: BTreeMap<usize, Summary> = BTreeMap::new();
    for r in &results {
        merged.entry(r.tellers).or_default().add(r);
    }

    println!(
        "{:>7} {:>6} {:>10} {:>9} {:>9} {:>10} {:>8} {:>9}",
        "tellers", "runs", "customers", "avg wait", "p95 wait", "worst", ">5 min", "util"
    );
    for (tellers, s) in &merged {
        println!(
            "{:>7} {:>6} {:>10.1} {:>8.2}m {:>8.2}m {:>9.1}m {:>7.1}% {:>8.1}%",
            tellers,
            s.runs,
            s.customers as f64 / s.runs.max(1) as f64,
            s.mean(s.avg_wait),
            s.mean(s.p95_wait),
            s.worst_wait,
            s.mean(s.waited_over_5) * 100.0,
            s.mean(s.utilisation) * 100.0
        );
    }

    let target = 2.0;
    match merged.iter().find(|(_, s)| s.mean(s.avg_wait) <= target) {
        Some((t, s)) => println!(
            "\nFewest tellers keeping the average wait under {target} min: {t} (avg {:.2} min, closes {:.1} min late on average)",
            s.mean(s.avg_wait),
            s.mean(s.overrun)
        ),
        None => println!("\nNo configuration keeps the average wait under {target} min."),
    }

    let worst_run = results.iter().max_by(|a, b| a.max_wait.total_cmp(&b.max_wait));
    if let Some(r) = worst_run {
        println!(
            "Worst single run: {} tellers, seed {}, one customer waited {:.1} min",
            r.tellers, r.replication, r.max_wait
        );
    }
}
