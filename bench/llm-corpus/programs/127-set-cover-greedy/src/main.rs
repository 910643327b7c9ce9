use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const BRUTE_FORCE_LIMIT: usize = 18;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Subset {
    id: Uuid,
    label: String,
    elements: BTreeSet<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Solver {
    Greedy,
    BruteForce { max_subsets: usize },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Outcome {
    Covered { chosen: Vec<Uuid> },
    Infeasible { uncovered: Vec<u32> },
    Skipped { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SolverRun {
    solver: Solver,
    outcome: Outcome,
    started_at: DateTime<Utc>,
    elapsed_micros: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Instance {
    id: Uuid,
    created_at: DateTime<Utc>,
    seed: u64,
    universe_size: u32,
    subsets: HashMap<Uuid, Subset>,
    order: Vec<Uuid>,
    runs: Vec<SolverRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ExperimentState {
    id: Uuid,
    created_at: DateTime<Utc>,
    instances: HashMap<Uuid, Instance>,
    instance_order: Vec<Uuid>,
}

fn generate(seed: u64, universe_size: u32, subset_count: usize) -> Instance {
    assert!(universe_size <= 63, "bitmask brute force supports at most 63 elements");
    let mut rng = StdRng::seed_from_u64(seed);
    let all: Vec<u32> = (0..universe_size).collect();
    let max_len = (universe_size as usize / 2).max(2);
    let mut sets: Vec<BTreeSet<u32>> = (0..subset_count)
        .map(|_| {
            let k = rng.gen_range(2..=max_len);
            all.choose_multiple(&mut rng, k).copied().collect()
        })
        .collect();
    // Make sure every element is coverable.
    for e in 0..universe_size {
        if !sets.iter().any(|s| s.contains(&e)) {
            let i = rng.gen_range(0..subset_count);
            sets[i].insert(e);
        }
    }
    let mut subsets = HashMap::new();
    let mut order = Vec::new();
    for (i, elements) in sets.into_iter().enumerate() {
        let id = Uuid::new_v4();
        subsets.insert(id, Subset { id, label: format!("S{i}"), elements });
        order.push(id);
    }
    Instance { id: Uuid::new_v4(), created_at: Utc::now(), seed, universe_size, subsets, order, runs: Vec::new() }
}

fn greedy(inst: &Instance) -> Outcome {
    let mut uncovered: BTreeSet<u32> = (0..inst.universe_size).collect();
    let mut chosen = Vec::new();
    while !uncovered.is_empty() {
        let mut best: Option<(Uuid, usize)> = None;
        for id in &inst.order {
            let gain = inst.subsets[id].elements.intersection(&uncovered).count();
            if gain > best.map_or(0, |b| b.1) {
                best = Some((*id, gain));
            }
        }
        match best {
            None => return Outcome::Infeasible { uncovered: uncovered.into_iter().collect() },
            Some((id, _)) => {
                for e in &inst.subsets[&id].elements {
                    uncovered.remove(e);
                }
                chosen.push(id);
            }
        }
    }
    Outcome::Covered { chosen }
}

fn brute_force(inst: &Instance, max_subsets: usize) -> Outcome {
    let n = inst.order.len();
    if n > max_subsets {
        return Outcome::Skipped { reason: format!("{n} subsets exceed brute-force limit of {max_subsets}") };
    }
    let full: u64 = (1u64 << inst.universe_size) - 1;
    let masks: Vec<u64> = inst
        .order
        .iter()
        .map(|id| inst.subsets[id].elements.iter().fold(0u64, |m, &e| m | (1u64 << e)))
        .collect();
    let mut best: Option<u32> = None;
    for combo in 1u32..(1u32 << n) {
        if let Some(b) = best {
            if combo.count_ones() >= b.count_ones() {
                continue;
            }
        }
        let cover = (0..n).filter(|i| combo & (1 << i) != 0).fold(0u64, |acc, i| acc | masks[i]);
        if cover == full {
            best = Some(combo);
        }
    }
    match best {
        Some(combo) => Outcome::Covered {
            chosen: (0..n).filter(|i| combo & (1 << i) != 0).map(|i| inst.order[i]).collect(),
        },
        None => {
            let covered = masks.iter().fold(0u64, |a, m| a | m);
            Outcome::Infeasible { uncovered: (0..inst.universe_size).filter(|e| covered & (1 << e) == 0).collect() }
        }
    }
}

fn run_solver(inst: &mut Instance, solver: Solver) {
    let started_at = Utc::now();
    let timer = Instant::now();
    let outcome = match &solver {
        Solver::Greedy => greedy(inst),
        Solver::BruteForce { max_subsets } => brute_force(inst, *max_subsets),
    };
    let elapsed_micros = timer.elapsed().as_micros() as u64;
    inst.runs.push(SolverRun { solver, outcome, started_at, elapsed_micros });
}

fn cover_size(inst: &Instance, pick: fn(&Solver) -> bool) -> Option<usize> {
    inst.runs.iter().find(|r| pick(&r.solver)).and_then(|r| match &r.outcome {
        Outcome::Covered { chosen } => Some(chosen.len()),
        _ => None,
    })
}

fn labels(inst: &Instance, ids: &[Uuid]) -> String {
    ids.iter().map(|id| inst.subsets[id].label.as_str()).collect::<Vec<_>>().join(", ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("set_cover_state.json"));

    let mut state = ExperimentState {
        id: Uuid::new_v4(),
        created_at: Utc::now(),
        instances: HashMap::new(),
        instance_order: Vec::new(),
    };

    for (seed, universe, subsets) in [(1, 12, 8), (2, 16, 10), (3, 20, 14), (4, 30, 16), (5, 40, 24)] {
        let mut inst = generate(seed, universe, subsets);
        run_solver(&mut inst, Solver::Greedy);
        run_solver(&mut inst, Solver::BruteForce { max_subsets: BRUTE_FORCE_LIMIT });
        state.instance_order.push(inst.id);
        state.instances.insert(inst.id, inst);
    }

    let json = serde_json::to_string_pretty(&state)?;
    std::fs::write(&path, &json)?;
    println!("Saved experiment {} ({} bytes) to {}", state.id, json.len(), path.display());

    let loaded: ExperimentState = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    println!("Reloaded state matches original: {}\n", loaded == state);

    println!("{:<6} {:>8} {:>8} {:>7} {:>8} {:>7} {:>11}", "seed", "universe", "subsets", "greedy", "optimum", "ratio", "brute (us)");
    for id in &loaded.instance_order {
        let inst = &loaded.instances[id];
        let g = cover_size(inst, |s| matches!(s, Solver::Greedy));
        let opt = cover_size(inst, |s| matches!(s, Solver::BruteForce { .. }));
        let brute_us = inst
            .runs
            .iter()
            .find(|r| matches!(r.solver, Solver::BruteForce { .. }))
            .map(|r| match &r.outcome {
                Outcome::Skipped { .. } => "skipped".to_string(),
                _ => r.elapsed_micros.to_string(),
            })
            .unwrap_or_default();
        let show = |v: Option<usize>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
        let ratio = match (g, opt) {
            (Some(g), Some(o)) if o > 0 => format!("{:.2}", g as f64 / o as f64),
            _ => "-".into(),
        };
        println!(
            "{:<6} {:>8} {:>8} {:>7} {:>8} {:>7} {:>11}",
            inst.seed,
            inst.universe_size,
            inst.order.len(),
            show(g),
            show(opt),
            ratio,
            brute_us
        );
    }

    if let Some(first) = loaded.instance_order.first().map(|id| &loaded.instances[id]) {
        println!("\nInstance seed {} in detail:", first.seed);
        for id in &first.order {
            let s = &first.subsets[id];
            println!("  {:<4} {:?}", s.label, s.elements);
        }
        for run in &first.runs {
            let text = match &run.outcome {
                Outcome::Covered { chosen } => format!("{} sets: {}", chosen.len(), labels(first, chosen)),
                Outcome::Infeasible { uncovered } => format!("infeasible, uncovered {uncovered:?}"),
                Outcome::Skipped { reason } => format!("skipped: {reason}"),
            };
            println!("  {:?} at {} -> {}", run.solver, run.started_at.format("%H:%M:%S%.3f"), text);
        }
    }

    for id in &loaded.instance_order {
        let inst = &loaded.instances[id];
        let largest = inst.subsets.values().map(|s| s.elements.len()).max().unwrap_or(1);
        let harmonic: f64 = (1..=largest).map(|k| 1.0 / k as f64).sum();
        if let (Some(g), Some(o)) = (
            cover_size(inst, |s| matches!(s, Solver::Greedy)),
            cover_size(inst, |s| matches!(s, Solver::BruteForce { .. })),
        ) {
            assert!(g as f64 <= o as f64 * harmonic + 1e-9, "greedy violated the H(n) bound");
        }
    }
    println!("\nGreedy stayed within the H(max subset size) approximation bound on all solved instances.");
    Ok(())
}
