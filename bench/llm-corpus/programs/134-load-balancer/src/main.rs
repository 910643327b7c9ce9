use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone)]
struct Backend {
    name: String,
    weight: u32,
    capacity: u32,
    speed: f64,
    outage: Option<(u32, u32)>,
    healthy: bool,
    active: u32,
}

impl Backend {
    fn new(name: &str, weight: u32, capacity: u32, speed: f64, outage: Option<(u32, u32)>) -> Self {
        Backend { name: name.into(), weight, capacity, speed, outage, healthy: true, active: 0 }
    }
}

trait Strategy {
    fn name(&self) -> &str;
    fn pick(&mut self, backends: &[Backend]) -> Option<usize>;
}

struct RoundRobin {
    next: usize,
}

impl Strategy for RoundRobin {
    fn name(&self) -> &str {
        "round-robin"
    }
    fn pick(&mut self, backends: &[Backend]) -> Option<usize> {
        let n = backends.len();
        for offset in 0..n {
            let i = (self.next + offset) % n;
            if backends[i].healthy {
                self.next = i + 1;
                return Some(i);
            }
        }
        None
    }
}

struct LeastConnections;

impl Strategy for LeastConnections {
    fn name(&self) -> &str {
        "least-connections"
    }
    fn pick(&mut self, backends: &[Backend]) -> Option<usize> {
        backends.iter().enumerate().filter(|(_, b)| b.healthy).min_by_key(|(i, b)| (b.active, *i)).map(|(i, _)| i)
    }
}

/// Smooth weighted round robin (as used by nginx).
struct WeightedRoundRobin {
    current: Vec<i64>,
}

impl Strategy for WeightedRoundRobin {
    fn name(&self) -> &str {
        "weighted-round-robin"
    }
    fn pick(&mut self, backends: &[Backend]) -> Option<usize> {
        self.current.resize(backends.len(), 0);
        let total: i64 = backends.iter().filter(|b| b.healthy).map(|b| b.weight as i64).sum();
        let mut best: Option<usize> = None;
        for (i, b) in backends.iter().enumerate().filter(|(_, b)| b.healthy) {
            self.current[i] += b.weight as i64;
            if best.map_or(true, |j| self.current[i] > self.current[j]) {
                best = Some(i);
            }
        }
        let chosen = best?;
        self.current[chosen] -= total;
        Some(chosen)
    }
}

struct WeightedLeastConnections;

impl Strategy for WeightedLeastConnections {
    fn name(&self) -> &str {
        "weighted-least-conn"
    }
    fn pick(&mut self, backends: &[Backend]) -> Option<usize> {
        // Compare active/weight without floats: a.active * b.weight vs b.active * a.weight.
        backends
            .iter()
            .enumerate()
            .filter(|(_, b)| b.healthy && b.weight > 0)
            .min_by(|(_, a), (_, b)| (a.active as u64 * b.weight as u64).cmp(&(b.active as u64 * a.weight as u64)))
            .map(|(i, _)| i)
    }
}

struct PowerOfTwoChoices {
    rng: StdRng,
}

impl Strategy for PowerOfTwoChoices {
    fn name(&self) -> &str {
        "power-of-two"
    }
    fn pick(&mut self, backends: &[Backend]) -> Option<usize> {
        let healthy: Vec<usize> = (0..backends.len()).filter(|&i| backends[i].healthy).collect();
        if healthy.is_empty() {
            return None;
        }
        let a = healthy[self.rng.gen_range(0..healthy.len())];
        let b = healthy[self.rng.gen_range(0..healthy.len())];
        Some(if backends[a].active <= backends[b].active { a } else { b })
    }
}

struct SimConfig {
    ticks: u32,
    mean_arrivals: u32,
    base_duration: f64,
}

#[derive(Debug, Default, Clone)]
struct BackendStats {
    served: u64,
    rejected: u64,
    peak: u32,
    total_latency: f64,
}

struct Report {
    names: Vec<String>,
    stats: Vec<BackendStats>,
    unroutable: u64,
}

/// Generic helpers usable on any strategy, including `dyn Strategy`.
trait StrategyExt: Strategy {
    fn simulate<R: Rng>(&mut self, template: &[Backend], cfg: &SimConfig, rng: &mut R) -> Report {
        let mut backends = template.to_vec();
        let mut stats = vec![BackendStats::default(); backends.len()];
        let mut in_flight: BinaryHeap<Reverse<(u32, usize)>> = BinaryHeap::new();
        let mut unroutable = 0;
        for tick in 0..cfg.ticks {
            while let Some(&Reverse((finish, i))) = in_flight.peek() {
                if finish > tick {
                    break;
                }
                in_flight.pop();
                backends[i].active -= 1;
            }
            for b in backends.iter_mut() {
                b.healthy = !b.outage.map_or(false, |(from, to)| (from..to).contains(&tick));
            }
            let arrivals = rng.gen_range(0..=cfg.mean_arrivals * 2);
            self.for_each_pick(&mut backends, arrivals, |backends, i| {
                let b = &mut backends[i];
                let s = &mut stats[i];
                if b.active >= b.capacity {
                    s.rejected += 1;
                    return;
                }
                let load = 1.0 + b.active as f64 / b.capacity as f64;
                let latency = cfg.base_duration * load / b.speed * rng.gen_range(0.7..1.3);
                b.active += 1;
                s.served += 1;
                s.peak = s.peak.max(b.active);
                s.total_latency += latency;
                in_flight.push(Reverse((tick + latency.ceil() as u32, i)));
            }, &mut unroutable);
        }
        Report { names: backends.iter().map(|b| b.name.clone()).collect(), stats, unroutable }
    }

    fn for_each_pick<F>(&mut self, backends: &mut Vec<Backend>, count: u32, mut f: F, unroutable: &mut u64)
    where
        F: FnMut(&mut Vec<Backend>, usize),
    {
        for _ in 0..count {
            match self.pick(backends) {
                Some(i) => f(backends, i),
                None => *unroutable += 1,
            }
        }
    }
}

impl<T: Strategy + ?Sized> StrategyExt for T {}

#[derive(Default)]
struct Registry {
    strategies: Vec<Box<dyn Strategy>>,
    by_name: HashMap<String, usize>,
}

impl Registry {
    fn register(&mut self, strategy: Box<dyn Strategy>) {
        self.by_name.insert(strategy.name().to_string(), self.strategies.len());
        self.strategies.push(strategy);
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Box<dyn Strategy>> {
        let i = *self.by_name.get(name)?;
        self.strategies.get_mut(i)
    }

    fn names(&self) -> Vec<String> {
        self.strategies.iter().map(|s| s.name().to_string()).collect()
    }
}

fn print_report(name: &str, report: &Report, weights: &[u32]) {
    let served: u64 = report.stats.iter().map(|s| s.served).sum();
    let rejected: u64 = report.stats.iter().map(|s| s.rejected).sum();
    let latency: f64 = report.stats.iter().map(|s| s.total_latency).sum::<f64>() / served.max(1) as f64;
    println!("\n{name}: served {served}, rejected {rejected}, unroutable {}, mean latency {latency:.2} ticks", report.unroutable);
    let total_weight: u32 = weights.iter().sum();
    for ((bname, s), w) in report.names.iter().zip(&report.stats).zip(weights) {
        let share = 100.0 * s.served as f64 / served.max(1) as f64;
        let fair = 100.0 * *w as f64 / total_weight as f64;
        let bar = "#".repeat((share / 2.0).round() as usize);
        println!(
            "  {bname:<6} {:>6} served ({share:>5.1}%, weight share {fair:>5.1}%) {:>5} rejected peak {:>3}  {bar}",
            s.served, s.rejected, s.peak
        );
    }
}

fn main() {
    let backends = vec![
        Backend::new("alpha", 5, 20, 1.5, None),
        Backend::new("beta", 3, 12, 1.0, None),
        Backend::new("gamma", 1, 6, 0.5, None),
        Backend::new("delta", 3, 12, 1.0, Some((100, 160))),
    ];
    let weights: Vec<u32> = backends.iter().map(|b| b.weight).collect();
    let cfg = SimConfig { ticks: 300, mean_arrivals: 9, base_duration: 4.0 };

    let mut registry = Registry::default();
    registry.register(Box::new(RoundRobin { next: 0 }));
    registry.register(Box::new(LeastConnections));
    registry.register(Box::new(WeightedRoundRobin { current: Vec::new() }));
    registry.register(Box::new(WeightedLeastConnections));
    registry.register(Box::new(PowerOfTwoChoices { rng: StdRng::seed_from_u64(99) }));

    println!("Strategies: {}", registry.names().join(", "));
    println!("{} ticks, ~{} requests per tick; delta is down for ticks 100..160", cfg.ticks, cfg.mean_arrivals);

    let mut summary = Vec::new();
    for strategy in registry.strategies.iter_mut() {
        // Same seed for every strategy so they see identical traffic.
        let mut rng = StdRng::seed_from_u64(7);
        let report = strategy.simulate(&backends, &cfg, &mut rng);
        print_report(strategy.name(), &report, &weights);
        let rejected: u64 = report.stats.iter().map(|s| s.rejected).sum();
        summary.push((strategy.name().to_string(), rejected));
    }

    summary.sort_by_key(|(_, r)| *r);
    println!("\nRanking by rejected requests:");
    for (i, (name, rejected)) in summary.iter().enumerate() {
        println!("  {}. {name:<22} {rejected}", i + 1);
    }

    if let Some(wrr) = registry.get_mut("weighted-round-robin") {
        let mut probe = backends.clone();
        probe.iter_mut().for_each(|b| b.healthy = true);
        let picks: Vec<&str> = (0..12).filter_map(|_| wrr.pick(&probe)).map(|i| probe[i].name.as_str()).collect();
        println!("\nSmooth WRR pick order (weights 5/3/1/3): {}", picks.join(" "));
    }
}
