use std::collections::HashMap;
use std::fmt::{self, Display};
use std::hash::Hash;
use std::time::{Duration, Instant};

use futures::future::join_all;
use rand::Rng;

const TICKS: u32 = 24;
const TICK_MS: u64 = 120;
const TIMEOUT_MS: u64 = 90;

/// Latency measurement used as the value type of the health table.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Millis(u64);

impl Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[derive(Debug, Clone)]
struct Record<V> {
    checks: u64,
    successes: u64,
    consecutive_failures: u32,
    last_value: Option<V>,
    worst_value: Option<V>,
    last_error: Option<String>,
    alerting: bool,
}

impl<V> Default for Record<V> {
    fn default() -> Self {
        Self {
            checks: 0,
            successes: 0,
            consecutive_failures: 0,
            last_value: None,
            worst_value: None,
            last_error: None,
            alerting: false,
        }
    }
}

#[derive(Debug, PartialEq)]
enum Transition {
    Unchanged,
    Alert,
    Recovered,
}

/// Generic health table keyed by service identifier, storing measurements of type V.
struct HealthTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Display + Clone + PartialOrd,
{
    records: HashMap<K, Record<V>>,
    alert_threshold: u32,
}

impl<K, V> HealthTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Display + Clone + PartialOrd,
{
    fn new(alert_threshold: u32) -> Self {
        Self { records: HashMap::new(), alert_threshold }
    }

    fn record_success(&mut self, key: &K, value: V) -> Transition {
        let rec = self.records.entry(key.clone()).or_default();
        rec.checks += 1;
        rec.successes += 1;
        rec.consecutive_failures = 0;
        let worse = rec.worst_value.as_ref().map_or(true, |w| value > *w);
        if worse {
            rec.worst_value = Some(value.clone());
        }
        rec.last_value = Some(value);
        rec.last_error = None;
        if rec.alerting {
            rec.alerting = false;
            Transition::Recovered
        } else {
            Transition::Unchanged
        }
    }

    fn record_failure(&mut self, key: &K, error: String) -> Transition {
        let threshold = self.alert_threshold;
        let rec = self.records.entry(key.clone()).or_default();
        rec.checks += 1;
        rec.consecutive_failures += 1;
        rec.last_error = Some(error);
        if !rec.alerting && rec.consecutive_failures >= threshold {
            rec.alerting = true;
            Transition::Alert
        } else {
            Transition::Unchanged
        }
    }

    fn uptime(&self, key: &K) -> Option<f64> {
        self.records
            .get(key)
            .filter(|r| r.checks > 0)
            .map(|r| 100.0 * r.successes as f64 / r.checks as f64)
    }

    fn sorted_keys(&self) -> Vec<&K> {
        let mut keys: Vec<&K> = self.records.keys().collect();
        keys.sort();
        keys
    }

    fn overall_uptime(&self) -> f64 {
        let (ok, total) = self.records.values().fold((0, 0), |(o, t), r| (o + r.successes, t + r.checks));
        if total == 0 {
            100.0
        } else {
            100.0 * ok as f64 / total as f64
        }
    }
}

impl<K, V> Display for HealthTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Display + Clone + PartialOrd,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<12} {:>6} {:>8} {:>8} {:>8}  {}", "service", "checks", "uptime", "last", "worst", "state")?;
        for key in self.sorted_keys() {
            let r = &self.records[key];
            let show = |v: &Option<V>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "-".into());
            let state = if r.alerting {
                format!("DOWN ({})", r.last_error.as_deref().unwrap_or("?"))
            } else if r.consecutive_failures > 0 {
                format!("degraded x{}", r.consecutive_failures)
            } else {
                "up".to_string()
            };
            writeln!(
                f,
                "{:<12} {:>6} {:>7.1}% {:>8} {:>8}  {}",
                key.to_string(),
                r.checks,
                self.uptime(key).unwrap_or(0.0),
                show(&r.last_value),
                show(&r.worst_value),
                state
            )?;
        }
        write!(f, "overall uptime: {:.1}%", self.overall_uptime())
    }
}

#[derive(Debug, Clone)]
struct Service {
    name: String,
    failure_rate: f64,
    latency_ms: (u64, u64),
    outage: Option<(u32, u32)>,
}

impl Service {
    fn new(name: &str, failure_rate: f64, latency_ms: (u64, u64), outage: Option<(u32, u32)>) -> Self {
        Self { name: name.to_string(), failure_rate, latency_ms, outage }
    }
}

async fn check(service: &Service, tick: u32) -> Result<Millis, String> {
    let (latency, random_failure) = {
        let mut rng = rand::thread_rng();
        (rng.gen_range(service.latency_ms.0..=service.latency_ms.1), rng.gen_bool(service.failure_rate))
    };
    tokio::time::sleep(Duration::from_millis(latency.min(TIMEOUT_MS))).await;
    if let Some((from, to)) = service.outage {
        if (from..to).contains(&tick) {
            return Err("connection refused".into());
        }
    }
    if latency > TIMEOUT_MS {
        return Err(format!("timeout after {TIMEOUT_MS}ms"));
    }
    if random_failure {
        return Err("HTTP 503".into());
    }
    Ok(Millis(latency))
}

#[tokio::main]
async fn main() {
    let services = vec![
        Service::new("auth", 0.02, (5, 30), None),
        Service::new("payments", 0.05, (20, 60), Some((6, 13))),
        Service::new("search", 0.10, (30, 110), None),
        Service::new("inventory", 0.01, (10, 40), Some((18, 21))),
    ];
    let mut table: HealthTable<String, Millis> = HealthTable::new(3);
    let mut alerts: Vec<String> = Vec::new();
    let started = Instant::now();
    let mut interval = tokio::time::interval(Duration::from_millis(TICK_MS));

    println!("Monitoring {} services for {} ticks ({}ms interval)\n", services.len(), TICKS, TICK_MS);
    for tick in 0..TICKS {
        interval.tick().await;
        let checks = services.iter().map(|s| async move { (s.name.clone(), check(s, tick).await) });
        let results = join_all(checks).await;

        for (name, result) in results {
            let transition = match result {
                Ok(latency) => table.record_success(&name, latency),
                Err(e) => table.record_failure(&name, e),
            };
            let at = started.elapsed().as_millis();
            match transition {
                Transition::Alert => {
                    let msg = format!("[{at:>5}ms] ALERT: {name} failed {} checks in a row", table.alert_threshold);
                    println!("{msg}");
                    alerts.push(msg);
                }
                Transition::Recovered => {
                    let msg = format!("[{at:>5}ms] RECOVERED: {name} is healthy again");
                    println!("{msg}");
                    alerts.push(msg);
                }
                Transition::Unchanged => {}
            }
        }

        if tick % 8 == 7 {
            println!("\n-- status after tick {} --\n{table}\n", tick + 1);
        }
    }

    println!("== Final report after {:.1}s ==", started.elapsed().as_secs_f64());
    println!("{table}");
    println!("\n{} alert events:", alerts.len());
    for a in &alerts {
        println!("  {a}");
    }
    let mut worst: Vec<(&String, f64)> = table.sorted_keys().into_iter().filter_map(|k| table.uptime(k).map(|u| (k, u))).collect();
    worst.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
    if let Some((name, uptime)) = worst.first() {
        println!("\nLeast available service: {name} ({uptime:.1}% uptime)");
    }
}
