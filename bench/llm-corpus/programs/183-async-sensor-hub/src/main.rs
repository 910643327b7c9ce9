//! Async sensor hub.
//!
//! Simulated sensors run as tokio tasks and push readings into an mpsc channel.
//! The hub task checks every reading for anomalies (hard limits, z-score spikes
//! against a rolling window, sequence gaps) and forwards alerts over a second
//! channel to an alert consumer. All readings are kept in a `ReadingLog`, whose
//! custom iterator yields `&Reading` and which implements `IntoIterator for &ReadingLog`.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, VecDeque};
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::time::{sleep, Duration};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SensorKind {
    Temperature,
    Humidity,
    Pressure,
}

impl SensorKind {
    /// (baseline, noise amplitude)
    fn baseline(self) -> (f64, f64) {
        match self {
            SensorKind::Temperature => (21.0, 0.3),
            SensorKind::Humidity => (45.0, 1.0),
            SensorKind::Pressure => (1013.0, 0.8),
        }
    }

    fn limits(self) -> (f64, f64) {
        match self {
            SensorKind::Temperature => (10.0, 30.0),
            SensorKind::Humidity => (20.0, 70.0),
            SensorKind::Pressure => (980.0, 1040.0),
        }
    }

    fn unit(self) -> &'static str {
        match self {
            SensorKind::Temperature => "°C",
            SensorKind::Humidity => "%",
            SensorKind::Pressure => "hPa",
        }
    }
}

#[derive(Debug, Clone)]
struct Reading {
    sensor: String,
    kind: SensorKind,
    seq: u32,
    value: f64,
    at_ms: u64,
}

#[derive(Debug, Clone)]
enum AlertKind {
    OutOfRange { min: f64, max: f64 },
    Spike { mean: f64, z: f64 },
    Gap { missing: u32 },
}

#[derive(Debug, Clone)]
struct Alert {
    sensor: String,
    seq: u32,
    value: f64,
    unit: &'static str,
    kind: AlertKind,
}

impl Alert {
    fn describe(&self) -> String {
        match &self.kind {
            AlertKind::OutOfRange { min, max } => format!(
                "{} #{}: {:.2}{} outside [{min}, {max}]",
                self.sensor, self.seq, self.value, self.unit
            ),
            AlertKind::Spike { mean, z } => format!(
                "{} #{}: spike {:.2}{} (window mean {:.2}, z = {:+.1})",
                self.sensor, self.seq, self.value, self.unit, mean, z
            ),
            AlertKind::Gap { missing } => format!("{} #{}: {} reading(s) missing", self.sensor, self.seq, missing),
        }
    }

    fn label(&self) -> &'static str {
        match self.kind {
            AlertKind::OutOfRange { .. } => "out-of-range",
            AlertKind::Spike { .. } => "spike",
            AlertKind::Gap { .. } => "gap",
        }
    }
}

/// The main collection: every reading the hub accepted, in arrival order.
#[derive(Debug, Default)]
struct ReadingLog {
    readings: Vec<Reading>,
}

impl ReadingLog {
    fn push(&mut self, r: Reading) {
        self.readings.push(r);
    }

    fn len(&self) -> usize {
        self.readings.len()
    }

    fn iter(&self) -> Iter<'_> {
        Iter { log: self, pos: 0 }
    }

    fn by_sensor<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Reading> + 'a {
        self.iter().filter(move |r| r.sensor == name)
    }
}

struct Iter<'a> {
    log: &'a ReadingLog,
    pos: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Reading;

    fn next(&mut self) -> Option<&'a Reading> {
        let reading = self.log.readings.get(self.pos)?;
        self.pos += 1;
        Some(reading)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.log.readings.len() - self.pos;
        (left, Some(left))
    }
}

impl<'a> IntoIterator for &'a ReadingLog {
    type Item = &'a Reading;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

struct Detector {
    window: usize,
    z_limit: f64,
    history: HashMap<String, VecDeque<f64>>,
    last_seq: HashMap<String, u32>,
}

impl Detector {
    fn new(window: usize, z_limit: f64) -> Self {
        Detector { window, z_limit, history: HashMap::new(), last_seq: HashMap::new() }
    }

    fn inspect(&mut self, r: &Reading) -> Vec<Alert> {
        let mut alerts = Vec::new();
        let alert = |kind: AlertKind| Alert {
            sensor: r.sensor.clone(),
            seq: r.seq,
            value: r.value,
            unit: r.kind.unit(),
            kind,
        };

        if let Some(prev) = self.last_seq.insert(r.sensor.clone(), r.seq) {
            if r.seq > prev + 1 {
                alerts.push(alert(AlertKind::Gap { missing: r.seq - prev - 1 }));
            }
        }

        let mut anomalous = false;
        let (min, max) = r.kind.limits();
        if r.value < min || r.value > max {
            alerts.push(alert(AlertKind::OutOfRange { min, max }));
            anomalous = true;
        }

        let window = self.history.entry(r.sensor.clone()).or_default();
        if window.len() >= self.window / 2 {
            let n = window.len() as f64;
            let mean = window.iter().sum::<f64>() / n;
            let variance = window.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
            let std_dev = variance.sqrt().max(1e-6);
            let z = (r.value - mean) / std_dev;
            if z.abs() > self.z_limit {
                alerts.push(alert(AlertKind::Spike { mean, z }));
                anomalous = true;
            }
        }
        // Anomalies are kept out of the baseline so they do not poison it.
        if !anomalous {
            window.push_back(r.value);
            if window.len() > self.window {
                window.pop_front();
            }
        }
        alerts
    }
}

async fn run_sensor(
    name: String,
    kind: SensorKind,
    seed: u64,
    drift_per_sample: f64,
    samples: u32,
    tx: mpsc::Sender<Reading>,
    start: Instant,
) -> u32 {
    let mut rng = StdRng::seed_from_u64(seed);
    let (base, noise) = kind.baseline();
    let mut drift = 0.0;
    let mut sent = 0;
    for seq in 0..samples {
        drift += drift_per_sample + rng.gen_range(-0.1..0.1) * noise;
        if rng.gen_bool(0.03) {
            continue; // packet lost on the "radio link"
        }
        let mut value = base + drift + rng.gen_range(-noise..noise);
        if rng.gen_bool(0.04) {
            let sign = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
            value += sign * noise * rng.gen_range(10.0..25.0);
        }
        let reading = Reading { sensor: name.clone(), kind, seq, value, at_ms: start.elapsed().as_millis() as u64 };
        if tx.send(reading).await.is_err() {
            break;
        }
        sent += 1;
        sleep(Duration::from_millis(rng.gen_range(1..6))).await;
    }
    sent
}

async fn hub(mut rx: mpsc::Receiver<Reading>, alerts: mpsc::Sender<Alert>) -> ReadingLog {
    let mut detector = Detector::new(20, 4.0);
    let mut log = ReadingLog::default();
    while let Some(reading) = rx.recv().await {
        for alert in detector.inspect(&reading) {
            if alerts.send(alert).await.is_err() {
                eprintln!("alert consumer has gone away");
            }
        }
        log.push(reading);
    }
    log
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let (reading_tx, reading_rx) = mpsc::channel::<Reading>(64);
    let (alert_tx, mut alert_rx) = mpsc::channel::<Alert>(64);

    let sensors = [
        ("temp-office", SensorKind::Temperature, 0.0),
        ("temp-server-room", SensorKind::Temperature, 0.15),
        ("hum-lab", SensorKind::Humidity, 0.0),
        ("hum-greenhouse", SensorKind::Humidity, 0.05),
        ("press-roof", SensorKind::Pressure, 0.0),
        ("press-basement", SensorKind::Pressure, -0.02),
    ];

    let mut sensor_handles = Vec::new();
    for (i, (name, kind, drift)) in sensors.iter().enumerate() {
        let tx = reading_tx.clone();
        sensor_handles.push((
            *name,
            tokio::spawn(run_sensor(name.to_string(), *kind, 100 + i as u64, *drift, 80, tx, start)),
        ));
    }
    drop(reading_tx); // the hub stops once every sensor has finished

    let hub_handle = tokio::spawn(hub(reading_rx, alert_tx));
    let alert_handle = tokio::spawn(async move {
        let mut received = Vec::new();
        while let Some(alert) = alert_rx.recv().await {
            if received.len() < 12 {
                println!("  ALERT {}", alert.describe());
            } else if received.len() == 12 {
                println!("  ... (further alerts are only counted)");
            }
            received.push(alert);
        }
        received
    });

    for (name, handle) in sensor_handles {
        match handle.await {
            Ok(sent) => println!("sensor {name:<17} finished, sent {sent} readings"),
            Err(e) => eprintln!("sensor {name} crashed: {e}"),
        }
    }
    let log = hub_handle.await.expect("hub task panicked");
    let alerts = alert_handle.await.expect("alert task panicked");

    println!("\nhub stored {} readings in {} ms", log.len(), start.elapsed().as_millis());

    // Per-sensor statistics via `for r in &log` (IntoIterator for &ReadingLog).
    let mut stats: HashMap<&str, (usize, f64, f64, f64, &'static str)> = HashMap::new();
    for r in &log {
        let e = stats.entry(r.sensor.as_str()).or_insert((0, f64::MAX, f64::MIN, 0.0, r.kind.unit()));
        e.0 += 1;
        e.1 = e.1.min(r.value);
        e.2 = e.2.max(r.value);
        e.3 += r.value;
    }
    let mut names: Vec<&&str> = stats.keys().collect();
    names.sort();
    println!("\n{:<17} {:>5} {:>10} {:>10} {:>10}", "sensor", "n", "min", "mean", "max");
    for name in names {
        let (n, min, max, sum, unit) = stats[*name];
        println!("{:<17} {:>5} {:>10.2} {:>10.2} {:>10.2} {}", name, n, min, sum / n as f64, max, unit);
    }

    let mut by_kind: HashMap<&str, usize> = HashMap::new();
    for a in &alerts {
        *by_kind.entry(a.label()).or_insert(0) += 1;
    }
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    println!("\n{} alerts total: {:?}", alerts.len(), kinds);

    let first_server_alert = alerts.iter().find(|a| a.sensor == "temp-server-room" && a.label() == "out-of-range");
    if let Some(a) = first_server_alert {
        println!("server room first exceeded its limit at reading #{}", a.seq);
    }

    println!("\nfirst five humidity-lab readings:");
    for r in log.by_sensor("hum-lab").take(5) {
        println!("  t={:>4}ms #{:<3} {:.2}{}", r.at_ms, r.seq, r.value, r.kind.unit());
    }
    let late = log.iter().filter(|r| r.at_ms > 100).count();
    println!("readings received after 100 ms: {late}");
}
