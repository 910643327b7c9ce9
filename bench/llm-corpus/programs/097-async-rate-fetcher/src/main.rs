//! async-rate-fetcher: query several simulated exchange-rate sources
//! concurrently, enforce a per-request timeout, and report the median rate
//! for each currency pair. Workers share results through Arc<RwLock<..>>
//! and statistics through Arc<Mutex<..>>.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, RwLock};
use tokio::time::{sleep, timeout, Instant};

const TIMEOUT: Duration = Duration::from_millis(250);

#[derive(Debug, Clone)]
struct Source {
    name: &'static str,
    base_latency_ms: u64,
    jitter_ms: u64,
    /// Systematic deviation from the "true" rate, e.g. 0.002 = +0.2 %.
    bias: f64,
    failure_rate: f64,
}

#[derive(Debug, Clone)]
struct Quote {
    source: &'static str,
    rate: f64,
    latency: Duration,
}

#[derive(Debug, Default)]
struct FetchStats {
    ok: u32,
    timeouts: u32,
    errors: u32,
    per_source_timeouts: BTreeMap<&'static str, u32>,
}

type Quotes = Arc<RwLock<HashMap<String, Vec<Quote>>>>;

fn true_rate(pair: &str) -> f64 {
    match pair {
        "EUR/USD" => 1.0862,
        "GBP/USD" => 1.2705,
        "USD/JPY" => 151.37,
        "USD/CHF" => 0.9012,
        "AUD/USD" => 0.6531,
        _ => 1.0,
    }
}

/// Simulated remote call: sleeps for a random latency, may fail.
async fn fetch_rate(source: &Source, pair: &str, seed: u64) -> Result<f64, String> {
    let (latency, fails, noise) = {
        let mut rng = StdRng::seed_from_u64(seed);
        let latency = source.base_latency_ms + rng.gen_range(0..=source.jitter_ms);
        (latency, rng.gen_bool(source.failure_rate), rng.gen_range(-0.0015..0.0015))
    };
    sleep(Duration::from_millis(latency)).await;
    if fails {
        return Err(format!("{}: HTTP 503 for {pair}", source.name));
    }
    Ok(true_rate(pair) * (1.0 + source.bias + noise))
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 0 { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

#[tokio::main]
async fn main() {
    let sources = vec![
        Source { name: "ecb-mirror", base_latency_ms: 40, jitter_ms: 60, bias: 0.0, failure_rate: 0.02 },
        Source { name: "fastfx", base_latency_ms: 10, jitter_ms: 30, bias: 0.0008, failure_rate: 0.05 },
        Source { name: "bankfeed", base_latency_ms: 120, jitter_ms: 200, bias: -0.0005, failure_rate: 0.05 },
        Source { name: "cheapquotes", base_latency_ms: 60, jitter_ms: 80, bias: 0.004, failure_rate: 0.25 },
        Source { name: "slowpoke", base_latency_ms: 220, jitter_ms: 150, bias: 0.0, failure_rate: 0.0 },
    ];
    let pairs = ["EUR/USD", "GBP/USD", "USD/JPY", "USD/CHF", "AUD/USD"];

    let quotes: Quotes = Arc::new(RwLock::new(HashMap::new()));
    let stats = Arc::new(Mutex::new(FetchStats::default()));
    let started = Instant::now();

    let mut handles = Vec::new();
    for (si, source) in sources.into_iter().enumerate() {
        let source = Arc::new(source);
        for (pi, pair) in pairs.iter().enumerate() {
            let source = Arc::clone(&source);
            let quotes = Arc::clone(&quotes);
            let stats = Arc::clone(&stats);
            let pair = pair.to_string();
            let seed = 7_919 * si as u64 + 104_729 * pi as u64;
            handles.push(tokio::spawn(async move {
                let t0 = Instant::now();
                match timeout(TIMEOUT, fetch_rate(&source, &pair, seed)).await {
                    Ok(Ok(rate)) => {
                        let quote = Quote { source: source.name, rate, latency: t0.elapsed() };
                        quotes.write().await.entry(pair).or_default().push(quote);
                        stats.lock().await.ok += 1;
                        Ok(())
                    }
                    Ok(Err(e)) => {
                        stats.lock().await.errors += 1;
                        Err(e)
                    }
                    Err(_) => {
                        let mut s = stats.lock().await;
                        s.timeouts += 1;
                        *s.per_source_timeouts.entry(source.name).or_default() += 1;
                        Err(format!("{}: timed out after {:?} fetching {pair}", source.name, TIMEOUT))
                    }
                }
            }));
        }
    }

    let mut problems = Vec::new();
    for handle in handles {
        match handle.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => problems.push(e),
            Err(join_err) => problems.push(format!("task panicked: {join_err}")),
        }
    }
    let elapsed = started.elapsed();

    println!("Fetched {} pairs from 5 sources in {:?} (timeout {:?} per request)\n", pairs.len(), elapsed, TIMEOUT);
    let quotes = quotes.read().await;
    println!("{:<8} {:>8} {:>11} {:>11} {:>11} {:>9}  sources", "pair", "quotes", "median", "min", "max", "spread");
    for pair in pairs {
        let list = quotes.get(pair).map(Vec::as_slice).unwrap_or(&[]);
        let mut rates: Vec<f64> = list.iter().map(|q| q.rate).collect();
        let min = rates.iter().copied().fold(f64::INFINITY, f64::min);
        let max = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        match median(&mut rates) {
            Some(m) => {
                let mut names: Vec<&str> = list.iter().map(|q| q.source).collect();
                names.sort();
                println!(
                    "{:<8} {:>8} {:>11.5} {:>11.5} {:>11.5} {:>8.3}%  {}",
                    pair,
                    list.len(),
                    m,
                    min,
                    max,
                    (max - min) / m * 100.0,
                    names.join(",")
                );
            }
            None => println!("{:<8} {:>8} {:>11}", pair, 0, "n/a"),
        }
    }

    let fastest = quotes.values().flatten().min_by_key(|q| q.latency);
    if let Some(q) = fastest {
        println!("\nFastest answer: {} in {:?}", q.source, q.latency);
    }

    let stats = stats.lock().await;
    println!("\nRequests: {} ok, {} errors, {} timeouts", stats.ok, stats.errors, stats.timeouts);
    for (name, n) in &stats.per_source_timeouts {
        println!("  {name}: {n} timeout(s)");
    }
    if !problems.is_empty() {
        println!("\nProblems:");
        for p in &problems {
            println!("  - {p}");
        }
    }
}
