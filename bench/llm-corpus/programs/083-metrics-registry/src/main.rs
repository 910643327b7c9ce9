//! metrics-registry: counters, gauges and histograms with labels, rendered in
//! a Prometheus-like text exposition format.

use rand::Rng;
use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

type Labels = BTreeMap<String, String>;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        })
    }
}

#[derive(Debug, Clone)]
struct Histogram {
    bounds: Vec<f64>,
    cumulative: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn new(bounds: &[f64]) -> Self {
        Histogram { bounds: bounds.to_vec(), cumulative: vec![0; bounds.len()], sum: 0.0, count: 0 }
    }

    fn observe(&mut self, v: f64) {
        for (bound, slot) in self.bounds.iter().zip(self.cumulative.iter_mut()) {
            if v <= *bound {
                *slot += 1;
            }
        }
        self.sum += v;
        self.count += 1;
    }
}

#[derive(Debug, Clone)]
enum Value {
    Counter(f64),
    Gauge(f64),
    Histogram(Histogram),
}

#[derive(Debug)]
struct Family {
    name: String,
    help: String,
    kind: Kind,
    buckets: Vec<f64>,
    series: BTreeMap<Labels, Value>,
}

#[derive(Debug)]
enum MetricError {
    Unknown(String),
    WrongKind { name: String, expected: Kind, actual: Kind },
    NegativeIncrement(String, f64),
    AlreadyRegistered(String),
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricError::Unknown(n) => write!(f, "unknown metric '{n}'"),
            MetricError::WrongKind { name, expected, actual } => {
                write!(f, "metric '{name}' is a {actual}, not a {expected}")
            }
            MetricError::NegativeIncrement(n, v) => write!(f, "counter '{n}' cannot decrease by {v}"),
            MetricError::AlreadyRegistered(n) => write!(f, "metric '{n}' already registered"),
        }
    }
}

/// The registry keeps both the metric families and its own bookkeeping
/// statistics; `refresh_stats` recomputes them from the stored entries.
#[derive(Debug, Default)]
struct Registry {
    families: BTreeMap<String, Family>,
    updates: u64,
    rejected: u64,
    series_count: usize,
    observations: u64,
    counters_total: f64,
    errors: Vec<String>,
}

impl Registry {
    fn register(&mut self, name: &str, help: &str, kind: Kind, buckets: &[f64]) -> Result<(), MetricError> {
        if self.families.contains_key(name) {
            return Err(MetricError::AlreadyRegistered(name.to_string()));
        }
        self.families.insert(
            name.to_string(),
            Family { name: name.to_string(), help: help.to_string(), kind, buckets: buckets.to_vec(), series: BTreeMap::new() },
        );
        Ok(())
    }

    fn family_mut(&mut self, name: &str, expected: Kind) -> Result<&mut Family, MetricError> {
        let fam = self.families.get_mut(name).ok_or_else(|| MetricError::Unknown(name.to_string()))?;
        if fam.kind != expected {
            return Err(MetricError::WrongKind { name: name.to_string(), expected, actual: fam.kind });
        }
        Ok(fam)
    }

    fn inc(&mut self, name: &str, l: &Labels, by: f64) -> Result<(), MetricError> {
        if by < 0.0 {
            return Err(MetricError::NegativeIncrement(name.to_string(), by));
        }
        let fam = self.family_mut(name, Kind::Counter)?;
        if let Value::Counter(c) = fam.series.entry(l.clone()).or_insert(Value::Counter(0.0)) {
            *c += by;
        }
        self.updates += 1;
        Ok(())
    }

    fn set(&mut self, name: &str, l: &Labels, v: f64) -> Result<(), MetricError> {
        let fam = self.family_mut(name, Kind::Gauge)?;
        fam.series.insert(l.clone(), Value::Gauge(v));
        self.updates += 1;
        Ok(())
    }

    fn add(&mut self, name: &str, l: &Labels, delta: f64) -> Result<(), MetricError> {
        let fam = self.family_mut(name, Kind::Gauge)?;
        if let Value::Gauge(g) = fam.series.entry(l.clone()).or_insert(Value::Gauge(0.0)) {
            *g += delta;
        }
        self.updates += 1;
        Ok(())
    }

    fn observe(&mut self, name: &str, l: &Labels, v: f64) -> Result<(), MetricError> {
        let fam = self.family_mut(name, Kind::Histogram)?;
        let buckets = fam.buckets.clone();
        if let Value::Histogram(h) = fam.series.entry(l.clone()).or_insert_with(|| Value::Histogram(Histogram::new(&buckets))) {
            h.observe(v);
        }
        self.updates += 1;
        Ok(())
    }

    /// Record the outcome of an operation, keeping error statistics in self.
    fn track(&mut self, result: Result<(), MetricError>) {
        if let Err(e) = result {
            self.rejected += 1;
            self.errors.push(e.to_string());
        }
    }

    /// Recompute aggregate statistics by walking the registry's own entries.
    fn refresh_stats(&mut self) {
        self.series_count = 0;
        self.observations = 0;
        self.counters_total = 0.0;
        for fam in self.families.values() {
            self.series_count += fam.series.len();
            for value in fam.series.values() {
                match value {
                    Value::Counter(c) => self.counters_total += c,
                    Value::Histogram(h) => self.observations += h.count,
                    Value::Gauge(_) => {}
                }
            }
        }
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for fam in self.families.values() {
            let _ = writeln!(out, "# HELP {} {}", fam.name, escape_help(&fam.help));
            let _ = writeln!(out, "# TYPE {} {}", fam.name, fam.kind);
            for (l, value) in &fam.series {
                match value {
                    Value::Counter(v) | Value::Gauge(v) => {
                        let _ = writeln!(out, "{}{} {}", fam.name, format_labels(l, None), format_number(*v));
                    }
                    Value::Histogram(h) => {
                        for (bound, count) in h.bounds.iter().zip(&h.cumulative) {
                            let le = format_number(*bound);
                            let _ = writeln!(out, "{}_bucket{} {}", fam.name, format_labels(l, Some(&le)), count);
                        }
                        let _ = writeln!(out, "{}_bucket{} {}", fam.name, format_labels(l, Some("+Inf")), h.count);
                        let _ = writeln!(out, "{}_sum{} {}", fam.name, format_labels(l, None), format_number(h.sum));
                        let _ = writeln!(out, "{}_count{} {}", fam.name, format_labels(l, None), h.count);
                    }
                }
            }
        }
        out
    }
}

fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

fn format_labels(l: &Labels, le: Option<&str>) -> String {
    let mut parts: Vec<String> = l.iter().map(|(k, v)| format!("{k}=\"{}\"", escape_label(v))).collect();
    if let Some(le) = le {
        parts.push(format!("le=\"{le}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

fn format_number(v: f64) -> String {
    if v.is_infinite() {
        if v > 0.0 { "+Inf".into() } else { "-Inf".into() }
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn main() {
    let mut reg = Registry::default();
    let latency_buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

    for (name, help, kind, buckets) in [
        ("http_requests_total", "Total HTTP requests handled.", Kind::Counter, &[][..]),
        ("http_request_duration_seconds", "Request latency in seconds.", Kind::Histogram, &latency_buckets[..]),
        ("http_in_flight_requests", "Requests currently being served.", Kind::Gauge, &[][..]),
        ("process_memory_bytes", "Resident memory of the process.", Kind::Gauge, &[][..]),
    ] {
        if let Err(e) = reg.register(name, help, kind, buckets) {
            eprintln!("register failed: {e}");
        }
    }

    let mut rng = rand::thread_rng();
    let routes = ["/", "/api/users", "/api/orders", "/healthz"];
    let methods = ["GET", "POST"];

    for _ in 0..500 {
        let route = routes[rng.gen_range(0..routes.len())];
        let method = if route == "/healthz" { "GET" } else { methods[rng.gen_range(0..methods.len())] };
        let code = match rng.gen_range(0..100) {
            0..=3 => "500",
            4..=10 => "404",
            _ => "200",
        };
        let latency: f64 = match route {
            "/healthz" => rng.gen_range(0.001..0.006),
            "/api/orders" => rng.gen_range(0.02..0.8),
            _ => rng.gen_range(0.005..0.2),
        };

        let inflight = labels(&[("route", route)]);
        let r = reg.add("http_in_flight_requests", &inflight, 1.0);
        reg.track(r);
        let r = reg.inc("http_requests_total", &labels(&[("method", method), ("route", route), ("code", code)]), 1.0);
        reg.track(r);
        let r = reg.observe("http_request_duration_seconds", &labels(&[("route", route)]), latency);
        reg.track(r);
        let r = reg.add("http_in_flight_requests", &inflight, -1.0);
        reg.track(r);
    }
    let r = reg.set("process_memory_bytes", &Labels::new(), 48_234_496.0);
    reg.track(r);
    let r = reg.set("http_in_flight_requests", &labels(&[("route", "/api/orders")]), 3.0);
    reg.track(r);

    // Some deliberately invalid operations to exercise error tracking.
    let r = reg.inc("http_requests_total", &labels(&[("method", "GET")]), -1.0);
    reg.track(r);
    let r = reg.set("http_requests_total", &Labels::new(), 1.0);
    reg.track(r);
    let r = reg.observe("does_not_exist", &Labels::new(), 0.2);
    reg.track(r);
    let r = reg.register("process_memory_bytes", "dup", Kind::Gauge, &[]);
    reg.track(r);

    reg.refresh_stats();

    print!("{}", reg.render());
    println!();
    println!("# registry stats");
    println!("#   families:      {}", reg.families.len());
    println!("#   series:        {}", reg.series_count);
    println!("#   updates:       {}", reg.updates);
    println!("#   observations:  {}", reg.observations);
    println!("#   counter total: {}", format_number(reg.counters_total));
    println!("#   rejected:      {}", reg.rejected);
    for e in &reg.errors {
        println!("#     - {e}");
    }
}
