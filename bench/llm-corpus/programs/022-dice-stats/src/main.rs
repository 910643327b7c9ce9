use rand::Rng;
use regex::Regex;
use std::collections::BTreeMap;
use std::env;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error)]
enum DiceError {
    #[error("could not parse dice notation '{0}' (expected e.g. 3d6+2)")]
    BadNotation(String),
    #[error("dice count must be between 1 and 1000, got {0}")]
    BadCount(u32),
    #[error("die must have at least 2 sides, got {0}")]
    BadSides(u32),
}

#[derive(Debug, Clone, Copy)]
struct DiceSpec {
    count: u32,
    sides: u32,
    modifier: i32,
}

impl fmt::Display for DiceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}d{}", self.count, self.sides)?;
        if self.modifier > 0 {
            write!(f, "+{}", self.modifier)?;
        } else if self.modifier < 0 {
            write!(f, "{}", self.modifier)?;
        }
        Ok(())
    }
}

impl DiceSpec {
    fn parse(s: &str) -> Result<Self, DiceError> {
        let re = Regex::new(r"^\s*(\d*)[dD](\d+)\s*(?:([+-])\s*(\d+))?\s*$").unwrap();
        let caps = re.captures(s).ok_or_else(|| DiceError::BadNotation(s.to_string()))?;
        let count = match caps.get(1).map(|m| m.as_str()) {
            Some("") | None => 1,
            Some(n) => n.parse().map_err(|_| DiceError::BadNotation(s.to_string()))?,
        };
        let sides: u32 = caps[2].parse().map_err(|_| DiceError::BadNotation(s.to_string()))?;
        let modifier = match (caps.get(3), caps.get(4)) {
            (Some(sign), Some(n)) => {
                let v: i32 = n.as_str().parse().map_err(|_| DiceError::BadNotation(s.to_string()))?;
                if sign.as_str() == "-" { -v } else { v }
            }
            _ => 0,
        };
        if count == 0 || count > 1000 {
            return Err(DiceError::BadCount(count));
        }
        if sides < 2 {
            return Err(DiceError::BadSides(sides));
        }
        Ok(DiceSpec { count, sides, modifier })
    }

    fn roll<R: Rng>(&self, rng: &mut R) -> i64 {
        let sum: i64 = (0..self.count).map(|_| rng.gen_range(1..=self.sides) as i64).sum();
        sum + self.modifier as i64
    }

    fn min(&self) -> i64 {
        self.count as i64 + self.modifier as i64
    }

    fn max(&self) -> i64 {
        (self.count * self.sides) as i64 + self.modifier as i64
    }

    fn expected(&self) -> f64 {
        self.count as f64 * (self.sides as f64 + 1.0) / 2.0 + self.modifier as f64
    }
}

fn simulate(spec: &DiceSpec, trials: usize) {
    let mut rng = rand::thread_rng();
    let mut hist: BTreeMap<i64, usize> = BTreeMap::new();
    let mut results = Vec::with_capacity(trials);
    for _ in 0..trials {
        let r = spec.roll(&mut rng);
        *hist.entry(r).or_insert(0) += 1;
        results.push(r);
    }
    let n = trials as f64;
    let mean = results.iter().sum::<i64>() as f64 / n;
    let var = results.iter().map(|&r| (r as f64 - mean).powi(2)).sum::<f64>() / n;
    results.sort_unstable();
    let median = results[results.len() / 2];
    let mode = hist.iter().max_by_key(|(_, &c)| c).map(|(v, _)| *v).unwrap_or(0);

    println!("\n{} — {} rolls (range {}..={}, expected mean {:.2})", spec, trials, spec.min(), spec.max(), spec.expected());
    println!("mean {:.3}, std dev {:.3}, median {}, mode {}, observed min {}, max {}",
        mean, var.sqrt(), median, mode, results[0], results[results.len() - 1]);

    let max_count = *hist.values().max().unwrap_or(&1);
    let width = 50.0;
    for (value, count) in &hist {
        let bar = ((*count as f64 / max_count as f64) * width).round() as usize;
        println!("{:>5} | {:<50} {:>5} ({:>5.2}%)", value, "#".repeat(bar.max(if *count > 0 { 1 } else { 0 })), count, *count as f64 * 100.0 / n);
    }
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let notations: Vec<String> = if args.is_empty() {
        vec!["3d6+2".into(), "1d20".into(), "2d10-3".into(), "d8".into(), "0d6".into(), "banana".into()]
    } else {
        args
    };
    const TRIALS: usize = 10_000;
    for n in &notations {
        match DiceSpec::parse(n) {
            Ok(spec) => simulate(&spec, TRIALS),
            Err(e) => println!("\nerror: {}", e),
        }
    }
}
