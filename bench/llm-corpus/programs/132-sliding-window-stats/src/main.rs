use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;

/// One measurement; all text fields borrow from the input buffer.
#[derive(Debug, Clone, Copy)]
struct Record<'a> {
    line: usize,
    timestamp: &'a str,
    sensor: &'a str,
    raw_value: &'a str,
    value: f64,
}

#[derive(Debug)]
struct ParseError<'a> {
    line: usize,
    text: &'a str,
    reason: &'static str,
}

struct Records<'a> {
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
}

impl<'a> Records<'a> {
    fn new(input: &'a str) -> Self {
        Records { lines: input.lines().enumerate() }
    }
}

fn parse_line(line: usize, text: &str) -> Result<Record<'_>, ParseError<'_>> {
    let err = |reason| ParseError { line, text, reason };
    let mut fields = text.split(',').map(str::trim);
    let timestamp = fields.next().filter(|s| !s.is_empty()).ok_or(err("missing timestamp"))?;
    let sensor = fields.next().filter(|s| !s.is_empty()).ok_or(err("missing sensor"))?;
    let raw_value = fields.next().filter(|s| !s.is_empty()).ok_or(err("missing value"))?;
    if fields.next().is_some() {
        return Err(err("too many fields"));
    }
    let value: f64 = raw_value.parse().map_err(|_| err("value is not a number"))?;
    if !value.is_finite() {
        return Err(err("value is not finite"));
    }
    Ok(Record { line, timestamp, sensor, raw_value, value })
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ParseError<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (idx, text) = self.lines.next()?;
            let trimmed = text.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            return Some(parse_line(idx + 1, trimmed));
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Stats {
    count: usize,
    mean: f64,
    variance: f64,
    min: f64,
    max: f64,
}

impl Stats {
    fn std_dev(&self) -> f64 {
        self.variance.sqrt()
    }
}

/// Sliding window with O(1) amortized mean/variance/min/max using monotonic deques.
struct SlidingWindow {
    capacity: usize,
    values: VecDeque<f64>,
    mins: VecDeque<(u64, f64)>,
    maxs: VecDeque<(u64, f64)>,
    sum: f64,
    sum_sq: f64,
    pushed: u64,
}

impl SlidingWindow {
    fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "window must hold at least one value");
        SlidingWindow {
            capacity,
            values: VecDeque::with_capacity(capacity + 1),
            mins: VecDeque::new(),
            maxs: VecDeque::new(),
            sum: 0.0,
            sum_sq: 0.0,
            pushed: 0,
        }
    }

    fn push(&mut self, v: f64) {
        let idx = self.pushed;
        self.pushed += 1;
        self.values.push_back(v);
        self.sum += v;
        self.sum_sq += v * v;
        if self.values.len() > self.capacity {
            if let Some(old) = self.values.pop_front() {
                self.sum -= old;
                self.sum_sq -= old * old;
            }
        }
        // Periodically recompute the sums to stop floating point drift.
        if idx % (self.capacity as u64 * 16) == 0 {
            self.sum = self.values.iter().sum();
            self.sum_sq = self.values.iter().map(|x| x * x).sum();
        }

        while self.mins.back().map_or(false, |&(_, b)| b >= v) {
            self.mins.pop_back();
        }
        self.mins.push_back((idx, v));
        while self.maxs.back().map_or(false, |&(_, b)| b <= v) {
            self.maxs.pop_back();
        }
        self.maxs.push_back((idx, v));

        let oldest = self.pushed.saturating_sub(self.capacity as u64);
        while self.mins.front().map_or(false, |&(i, _)| i < oldest) {
            self.mins.pop_front();
        }
        while self.maxs.front().map_or(false, |&(i, _)| i < oldest) {
            self.maxs.pop_front();
        }
    }

    fn stats(&self) -> Option<Stats> {
        let n = self.values.len();
        if n == 0 {
            return None;
        }
        let mean = self.sum / n as f64;
        let variance = (self.sum_sq / n as f64 - mean * mean).max(0.0);
        Some(Stats { count: n, mean, variance, min: self.mins.front()?.1, max: self.maxs.front()?.1 })
    }
}

fn naive_stats(values: &[f64]) -> Stats {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Stats { count: values.len(), mean, variance, min, max }
}

fn sample_input() -> String {
    let mut s = String::from("# timestamp,sensor,value\n");
    let mut seed: u64 = 42;
    let mut noise = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as f64 / (1u64 << 31) as f64
    };
    for i in 0..40 {
        for (sensor, base, amp) in [("temp-a", 21.0, 1.5), ("temp-b", 18.0, 3.0), ("pressure", 1013.0, 4.0)] {
            let mut v = base + (noise() - 0.5) * 2.0 * amp;
            if sensor == "temp-b" && i == 27 {
                v += 25.0; // a spike for the anomaly detector
            }
            let _ = writeln!(s, "2024-06-01T{:02}:{:02}:00,{},{:.2}", 8 + i / 60, i % 60, sensor, v);
        }
        if i == 15 {
            s.push_str("2024-06-01T08:15:30,temp-a,n/a\n");
            s.push_str("this line is garbage\n");
        }
    }
    s
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let buffer = match args.first() {
        Some(path) => std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}; using generated sample");
            sample_input()
        }),
        None => sample_input(),
    };
    let window: usize = args.get(1).and_then(|s| s.parse().ok()).filter(|&n| n > 0).unwrap_or(10);

    let mut windows: HashMap<&str, SlidingWindow> = HashMap::new();
    let mut history: BTreeMap<&str, Vec<Record<'_>>> = BTreeMap::new();
    let mut errors: Vec<ParseError<'_>> = Vec::new();
    let mut anomalies: Vec<(Record<'_>, Stats)> = Vec::new();

    for item in Records::new(&buffer) {
        let record = match item {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let w = windows.entry(record.sensor).or_insert_with(|| SlidingWindow::new(window));
        if let Some(before) = w.stats() {
            if before.count >= window / 2 && before.std_dev() > 0.0 && (record.value - before.mean).abs() > 3.0 * before.std_dev() {
                anomalies.push((record, before));
            }
        }
        w.push(record.value);
        history.entry(record.sensor).or_default().push(record);
    }

    println!("Window size: {window}\n");
    println!("{:<10} {:>6} {:>10} {:>9} {:>10} {:>10} {:>8}", "sensor", "seen", "mean", "stddev", "min", "max", "check");
    for (sensor, records) in &history {
        let stats = windows[sensor].stats().expect("sensor has values");
        let tail: Vec<f64> = records.iter().rev().take(window).map(|r| r.value).collect();
        let reference = naive_stats(&tail);
        let ok = (reference.mean - stats.mean).abs() < 1e-6
            && (reference.variance - stats.variance).abs() < 1e-4
            && reference.min == stats.min
            && reference.max == stats.max
            && reference.count == stats.count;
        println!(
            "{:<10} {:>6} {:>10.3} {:>9.3} {:>10.2} {:>10.2} {:>8}",
            sensor,
            records.len(),
            stats.mean,
            stats.std_dev(),
            stats.min,
            stats.max,
            if ok { "ok" } else { "MISMATCH" }
        );
    }

    if let Some(records) = history.get("temp-a") {
        println!("\nRolling view of temp-a (every 5th reading):");
        let mut w = SlidingWindow::new(window);
        for (i, r) in records.iter().enumerate() {
            w.push(r.value);
            if i % 5 == 4 {
                if let Some(s) = w.stats() {
                    println!("  {} value {:>6} -> mean {:.2} min {:.2} max {:.2}", r.timestamp, r.raw_value, s.mean, s.min, s.max);
                }
            }
        }
    }

    println!("\nAnomalies (> 3 sigma from the preceding window):");
    for (r, s) in &anomalies {
        println!("  line {} {} {} = {} (window mean {:.2}, sd {:.2})", r.line, r.timestamp, r.sensor, r.raw_value, s.mean, s.std_dev());
    }
    if anomalies.is_empty() {
        println!("  none");
    }

    println!("\nRejected lines:");
    for e in &errors {
        println!("  line {}: {} -> {:?}", e.line, e.reason, e.text);
    }
}
