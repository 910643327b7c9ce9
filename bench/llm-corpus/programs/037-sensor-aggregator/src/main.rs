use chrono::{DateTime, Duration, TimeZone, Utc};
use itertools::Itertools;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, VecDeque};

#[derive(Debug, Clone)]
struct Reading {
    sensor_id: String,
    timestamp: DateTime<Utc>,
    value: f64,
}

#[derive(Debug, Clone, Copy)]
struct Stats {
    count: usize,
    min: f64,
    max: f64,
    mean: f64,
    stddev: f64,
}

impl Stats {
    fn from_values<'a, I: IntoIterator<Item = &'a f64>>(values: I) -> Option<Stats> {
        let v: Vec<f64> = values.into_iter().copied().collect();
        if v.is_empty() {
            return None;
        }
        let count = v.len();
        let mean = v.iter().sum::<f64>() / count as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / count as f64;
        Some(Stats {
            count,
            min: v.iter().cloned().fold(f64::INFINITY, f64::min),
            max: v.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            mean,
            stddev: var.sqrt(),
        })
    }
}

/// Keeps readings within a time window for each sensor.
struct SlidingWindow {
    width: Duration,
    windows: BTreeMap<String, VecDeque<(DateTime<Utc>, f64)>>,
}

impl SlidingWindow {
    fn new(width: Duration) -> Self {
        SlidingWindow { width, windows: BTreeMap::new() }
    }

    fn push(&mut self, r: &Reading) {
        let w = self.windows.entry(r.sensor_id.clone()).or_default();
        w.push_back((r.timestamp, r.value));
        let cutoff = r.timestamp - self.width;
        while let Some(&(t, _)) = w.front() {
            if t <= cutoff {
                w.pop_front();
            } else {
                break;
            }
        }
    }

    fn stats(&self, sensor: &str) -> Option<Stats> {
        self.windows.get(sensor).and_then(|w| Stats::from_values(w.iter().map(|(_, v)| v)))
    }
}

fn simulate(start: DateTime<Utc>, minutes: i64) -> Vec<Reading> {
    let mut rng = StdRng::seed_from_u64(7);
    let sensors = [("temp-kitchen", 21.0, 0.4), ("temp-garage", 12.0, 1.5), ("humidity-bath", 55.0, 6.0)];
    let mut readings = Vec::new();
    for minute in 0..minutes {
        for (i, (id, base, noise)) in sensors.iter().enumerate() {
            // Not every sensor reports every minute.
            if rng.gen_bool(0.15) {
                continue;
            }
            let drift = (minute as f64 / 20.0 + i as f64).sin() * noise;
            let mut value = base + drift + rng.gen_range(-noise..*noise) * 0.5;
            if rng.gen_bool(0.01) {
                value += noise * 8.0; // occasional spike
            }
            let jitter = rng.gen_range(0..50);
            readings.push(Reading {
                sensor_id: id.to_string(),
                timestamp: start + Duration::minutes(minute) + Duration::seconds(jitter),
                value,
            });
        }
    }
    readings
}

fn main() {
    let start = Utc.with_ymd_and_hms(2024, 7, 1, 12, 0, 0).unwrap();
    let mut readings = simulate(start, 60);
    readings.sort_by_key(|r| r.timestamp);
    println!("Generated {} readings from {} sensors over 60 minutes\n", readings.len(),
        readings.iter().map(|r| &r.sensor_id).unique().count());

    // Sliding 10-minute windows, reported every 15 minutes of simulated time.
    let mut window = SlidingWindow::new(Duration::minutes(10));
    let mut next_report = start + Duration::minutes(15);
    for r in &readings {
        while r.timestamp >= next_report {
            println!("--- window ending {} (last 10 min) ---", next_report.format("%H:%M"));
            for sensor in window.windows.keys() {
                if let Some(s) = window.stats(sensor) {
                    println!("  {:<14} n={:>2} min={:>6.2} max={:>6.2} mean={:>6.2} sd={:>5.2}",
                        sensor, s.count, s.min, s.max, s.mean, s.stddev);
                }
            }
            next_report = next_report + Duration::minutes(15);
        }
        window.push(r);

        // Flag values far from the current window mean.
        if let Some(s) = window.stats(&r.sensor_id) {
            if s.count >= 5 && s.stddev > 0.0 && ((r.value - s.mean) / s.stddev).abs() > 2.5 {
                println!("  ! anomaly {} at {}: {:.2} (window mean {:.2})",
                    r.sensor_id, r.timestamp.format("%H:%M:%S"), r.value, s.mean);
            }
        }
    }

    println!("\n=== Whole-period statistics per sensor ===");
    let grouped = readings.iter().into_group_map_by(|r| r.sensor_id.clone());
    for (sensor, rs) in grouped.into_iter().sorted_by(|a, b| a.0.cmp(&b.0)) {
        let s = Stats::from_values(rs.iter().map(|r| &r.value)).unwrap();
        let first = rs.iter().map(|r| r.timestamp).min().unwrap();
        let last = rs.iter().map(|r| r.timestamp).max().unwrap();
        println!("{:<14} n={:>3} min={:>6.2} max={:>6.2} mean={:>6.2} sd={:>5.2}  [{} .. {}]",
            sensor, s.count, s.min, s.max, s.mean, s.stddev, first.format("%H:%M"), last.format("%H:%M"));
    }
}
