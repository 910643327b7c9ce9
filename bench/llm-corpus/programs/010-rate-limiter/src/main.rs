use rand::Rng;
use std::collections::{BTreeMap, HashMap};

/// Simulated time in milliseconds so the demo is deterministic and fast.
type Millis = u64;

#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    last_refill: Millis,
}

#[derive(Debug, Clone, Copy)]
struct Config {
    capacity: f64,
    refill_per_sec: f64,
}

struct RateLimiter {
    config: Config,
    overrides: HashMap<String, Config>,
    buckets: HashMap<String, Bucket>,
}

#[derive(Debug, Default, Clone, Copy)]
struct ClientStats {
    allowed: u32,
    rejected: u32,
}

impl RateLimiter {
    fn new(capacity: f64, refill_per_sec: f64) -> Self {
        RateLimiter {
            config: Config { capacity, refill_per_sec },
            overrides: HashMap::new(),
            buckets: HashMap::new(),
        }
    }

    fn set_override(&mut self, client: &str, capacity: f64, refill_per_sec: f64) {
        self.overrides.insert(client.to_string(), Config { capacity, refill_per_sec });
    }

    fn config_for(&self, client: &str) -> Config {
        self.overrides.get(client).copied().unwrap_or(self.config)
    }

    /// Try to take `cost` tokens for `client` at time `now`.
    fn try_acquire(&mut self, client: &str, cost: f64, now: Millis) -> bool {
        let cfg = self.config_for(client);
        let bucket = self
            .buckets
            .entry(client.to_string())
            .or_insert(Bucket { tokens: cfg.capacity, last_refill: now });
        let elapsed = now.saturating_sub(bucket.last_refill) as f64 / 1000.0;
        bucket.tokens = (bucket.tokens + elapsed * cfg.refill_per_sec).min(cfg.capacity);
        bucket.last_refill = now;
        if bucket.tokens >= cost {
            bucket.tokens -= cost;
            true
        } else {
            false
        }
    }

    fn tokens(&self, client: &str) -> f64 {
        self.buckets.get(client).map(|b| b.tokens).unwrap_or(self.config_for(client).capacity)
    }
}

struct ClientProfile {
    name: &'static str,
    /// Probability per 100ms tick of starting a burst.
    burst_chance: f64,
    burst_size: std::ops::RangeInclusive<u32>,
}

fn main() {
    let mut limiter = RateLimiter::new(5.0, 2.0); // 5 burst, 2 req/s sustained
    limiter.set_override("premium", 20.0, 10.0);

    let clients = [
        ClientProfile { name: "alice", burst_chance: 0.10, burst_size: 1..=3 },
        ClientProfile { name: "bob", burst_chance: 0.30, burst_size: 3..=8 },
        ClientProfile { name: "scraper", burst_chance: 0.80, burst_size: 5..=15 },
        ClientProfile { name: "premium", burst_chance: 0.40, burst_size: 5..=12 },
    ];

    let mut rng = rand::thread_rng();
    let mut stats: BTreeMap<&str, ClientStats> = BTreeMap::new();
    let tick_ms: Millis = 100;
    let total_ticks = 100; // 10 simulated seconds

    println!("Simulating {} s of traffic (default: capacity 5, refill 2/s; premium: 20, 10/s)\n", total_ticks as u64 * tick_ms / 1000);

    for tick in 0..total_ticks {
        let now = tick as Millis * tick_ms;
        for c in &clients {
            if !rng.gen_bool(c.burst_chance) {
                continue;
            }
            let n = rng.gen_range(c.burst_size.clone());
            let mut ok = 0;
            for i in 0..n {
                // spread requests within the tick a little
                let t = now + (i as Millis * 3).min(tick_ms - 1);
                if limiter.try_acquire(c.name, 1.0, t) {
                    ok += 1;
                }
            }
            let s = stats.entry(c.name).or_default();
            s.allowed += ok;
            s.rejected += n - ok;
            if tick % 10 == 0 || n - ok > 0 && c.name != "scraper" {
                println!(
                    "t={:>5}ms {:<8} burst {:>2}: {:>2} allowed, {:>2} rejected (tokens left {:.1})",
                    now,
                    c.name,
                    n,
                    ok,
                    n - ok,
                    limiter.tokens(c.name)
                );
            }
        }
    }

    println!("\n{:<10} {:>8} {:>9} {:>8}", "Client", "Allowed", "Rejected", "Reject%");
    for (name, s) in &stats {
        let total = s.allowed + s.rejected;
        let pct = if total > 0 { s.rejected as f64 * 100.0 / total as f64 } else { 0.0 };
        println!("{:<10} {:>8} {:>9} {:>7.1}%", name, s.allowed, s.rejected, pct);
    }
}
