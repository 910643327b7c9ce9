//! bloom-filter: Bloom filters with configurable size and hash count, a
//! false-positive-rate experiment on random strings, and persistence of the
//! whole store (filters + experiment results) as JSON.
//!
//! Usage: bloom-filter [STATE_FILE]

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum HashStrategy {
    /// Kirsch–Mitzenmacher: h_i = h1 + i * h2.
    DoubleHashing { seed1: u64, seed2: u64 },
    /// One independently seeded hash per function.
    Seeded { seeds: Vec<u64> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Sizing {
    Manual { bits: usize, hashes: u32 },
    Optimal { expected_items: usize, target_fpr: f64 },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BloomFilter {
    id: Uuid,
    label: String,
    created_at: DateTime<Utc>,
    sizing: Sizing,
    strategy: HashStrategy,
    num_bits: usize,
    num_hashes: u32,
    bits: Vec<u64>,
    inserted: usize,
}

fn fnv1a(data: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finaliser for better bit dispersion
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl BloomFilter {
    fn new(label: &str, sizing: Sizing, double_hashing: bool) -> Self {
        let (num_bits, num_hashes) = match sizing {
            Sizing::Manual { bits, hashes } => (bits.max(8), hashes.max(1)),
            Sizing::Optimal { expected_items, target_fpr } => {
                let n = expected_items.max(1) as f64;
                let m = (-n * target_fpr.ln() / std::f64::consts::LN_2.powi(2)).ceil();
                let k = ((m / n) * std::f64::consts::LN_2).round().max(1.0);
                (m as usize, k as u32)
            }
        };
        let strategy = if double_hashing {
            HashStrategy::DoubleHashing { seed1: 0x51, seed2: 0xA7 }
        } else {
            HashStrategy::Seeded { seeds: (0..num_hashes as u64).map(|i| 1000 + i * 7919).collect() }
        };
        BloomFilter {
            id: Uuid::new_v4(),
            label: label.to_string(),
            created_at: Utc::now(),
            sizing,
            strategy,
            num_bits,
            num_hashes,
            bits: vec![0; (num_bits + 63) / 64],
            inserted: 0,
        }
    }

    fn positions(&self, item: &str) -> Vec<usize> {
        let data = item.as_bytes();
        let m = self.num_bits as u64;
        match &self.strategy {
            HashStrategy::DoubleHashing { seed1, seed2 } => {
                let h1 = fnv1a(data, *seed1);
                let h2 = fnv1a(data, *seed2) | 1; // odd step
                (0..self.num_hashes as u64).map(|i| (h1.wrapping_add(i.wrapping_mul(h2)) % m) as usize).collect()
            }
            HashStrategy::Seeded { seeds } => seeds.iter().map(|&s| (fnv1a(data, s) % m) as usize).collect(),
        }
    }

    fn insert(&mut self, item: &str) {
        for p in self.positions(item) {
            self.bits[p / 64] |= 1 << (p % 64);
        }
        self.inserted += 1;
    }

    fn contains(&self, item: &str) -> bool {
        self.positions(item).into_iter().all(|p| self.bits[p / 64] & (1 << (p % 64)) != 0)
    }

    fn fill_ratio(&self) -> f64 {
        let set: u32 = self.bits.iter().map(|w| w.count_ones()).sum();
        set as f64 / self.num_bits as f64
    }

    fn expected_fpr(&self) -> f64 {
        let k = self.num_hashes as f64;
        let exponent = -k * self.inserted as f64 / self.num_bits as f64;
        (1.0 - exponent.exp()).powf(k)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Experiment {
    id: Uuid,
    filter_id: Uuid,
    ran_at: DateTime<Utc>,
    inserted: usize,
    probes: usize,
    false_positives: usize,
    false_negatives: usize,
    measured_fpr: f64,
    expected_fpr: f64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Store {
    filters: HashMap<Uuid, BloomFilter>,
    experiments: HashMap<Uuid, Experiment>,
}

fn random_string(rng: &mut StdRng) -> String {
    let len = rng.gen_range(6..16);
    rng.sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

fn run_experiment(filter: &mut BloomFilter, items: usize, probes: usize, rng: &mut StdRng) -> Experiment {
    let mut members = HashSet::with_capacity(items);
    while members.len() < items {
        members.insert(random_string(rng));
    }
    for m in &members {
        filter.insert(m);
    }
    let false_negatives = members.iter().filter(|m| !filter.contains(m)).count();

    let mut false_positives = 0;
    let mut tested = 0;
    while tested < probes {
        let candidate = random_string(rng);
        if members.contains(&candidate) {
            continue;
        }
        tested += 1;
        if filter.contains(&candidate) {
            false_positives += 1;
        }
    }

    Experiment {
        id: Uuid::new_v4(),
        filter_id: filter.id,
        ran_at: Utc::now(),
        inserted: filter.inserted,
        probes,
        false_positives,
        false_negatives,
        measured_fpr: false_positives as f64 / probes as f64,
        expected_fpr: filter.expected_fpr(),
    }
}

fn main() -> Result<()> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("bloom-filter-store.json"));

    let mut rng = StdRng::seed_from_u64(2024);
    let mut store = Store::default();
    let configs = [
        ("tiny m=8k k=3", Sizing::Manual { bits: 8_192, hashes: 3 }, true),
        ("m=32k k=1", Sizing::Manual { bits: 32_768, hashes: 1 }, true),
        ("m=32k k=5", Sizing::Manual { bits: 32_768, hashes: 5 }, true),
        ("m=32k k=5 seeded", Sizing::Manual { bits: 32_768, hashes: 5 }, false),
        ("m=32k k=12", Sizing::Manual { bits: 32_768, hashes: 12 }, true),
        ("optimal 1%", Sizing::Optimal { expected_items: 3_000, target_fpr: 0.01 }, true),
        ("optimal 0.1%", Sizing::Optimal { expected_items: 3_000, target_fpr: 0.001 }, true),
    ];

    println!("{:<18} {:>7} {:>3} {:>6} {:>9} {:>9} {:>5} {:>3}", "filter", "bits", "k", "fill", "measured", "expected", "FP", "FN");
    for (label, sizing, double) in configs {
        let mut filter = BloomFilter::new(label, sizing, double);
        let exp = run_experiment(&mut filter, 3_000, 20_000, &mut rng);
        println!(
            "{:<18} {:>7} {:>3} {:>5.1}% {:>8.3}% {:>8.3}% {:>5} {:>3}",
            label,
            filter.num_bits,
            filter.num_hashes,
            filter.fill_ratio() * 100.0,
            exp.measured_fpr * 100.0,
            exp.expected_fpr * 100.0,
            exp.false_positives,
            exp.false_negatives
        );
        store.experiments.insert(exp.id, exp);
        store.filters.insert(filter.id, filter);
    }

    let json = serde_json::to_string(&store)?;
    std::fs::write(&path, &json).with_context(|| format!("writing {}", path.display()))?;
    println!("\nSaved {} filters and {} experiments to {} ({} KiB)", store.filters.len(), store.experiments.len(), path.display(), json.len() / 1024);

    let loaded: Store = serde_json::from_str(&std::fs::read_to_string(&path)?).context("parsing saved store")?;
    let mut mismatches = 0;
    for (id, original) in &store.filters {
        let restored = loaded.filters.get(id).context("filter missing after reload")?;
        anyhow::ensure!(restored.bits == original.bits && restored.strategy == original.strategy, "filter {id} changed");
        for _ in 0..500 {
            let probe = random_string(&mut rng);
            if restored.contains(&probe) != original.contains(&probe) {
                mismatches += 1;
            }
        }
    }
    println!("Reloaded store verified: identical answers on random probes ({mismatches} mismatches)");

    let best = loaded
        .experiments
        .values()
        .filter_map(|e| loaded.filters.get(&e.filter_id).map(|f| (f, e)))
        .min_by(|a, b| (a.1.measured_fpr * a.0.num_bits as f64).total_cmp(&(b.1.measured_fpr * b.0.num_bits as f64)));
    if let Some((f, e)) = best {
        println!("Best space/accuracy trade-off: '{}' ({} bits, measured {:.3}%, created {})", f.label, f.num_bits, e.measured_fpr * 100.0, f.created_at.format("%Y-%m-%d %H:%M:%S"));
    }
    Ok(())
}
