//! genetic-algorithm: evolve random strings toward a target phrase using
//! selection, crossover and mutation. Selection strategies are trait objects
//! held in a registry keyed by name, and each is run on the same problem.

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use std::collections::BTreeMap;
use std::env;

const CHARSET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ,.!'-";

#[derive(Debug, Clone)]
struct Individual {
    genes: Vec<u8>,
    fitness: f64,
}

impl Individual {
    fn random(len: usize, rng: &mut dyn RngCore) -> Self {
        let genes = (0..len).map(|_| CHARSET[rng.gen_range(0..CHARSET.len())]).collect();
        Individual { genes, fitness: 0.0 }
    }

    fn evaluate(&mut self, target: &[u8]) {
        let matches = self.genes.iter().zip(target).filter(|(a, b)| a == b).count();
        self.fitness = matches as f64 / target.len() as f64;
    }

    fn as_str(&self) -> String {
        String::from_utf8_lossy(&self.genes).into_owned()
    }
}

/// A parent-selection strategy.
trait Selection {
    fn name(&self) -> &str;
    fn description(&self) -> String;
    /// Pick the index of one parent given each individual's fitness.
    fn select_index(&self, fitness: &[f64], rng: &mut dyn RngCore) -> usize;

    /// Convenience for concrete types: box the strategy for the registry.
    fn boxed(self) -> Box<dyn Selection>
    where
        Self: Sized + 'static,
    {
        Box::new(self)
    }
}

/// Generic helpers usable on any boxed strategy.
impl dyn Selection {
    fn select_from<'a, T>(&self, items: &'a [T], fitness: &[f64], rng: &mut dyn RngCore) -> &'a T {
        &items[self.select_index(fitness, rng)]
    }

    fn select_pair<'a, T>(&self, items: &'a [T], fitness: &[f64], rng: &mut dyn RngCore) -> (&'a T, &'a T) {
        let a = self.select_from(items, fitness, rng);
        let b = self.select_from(items, fitness, rng);
        (a, b)
    }
}

struct Tournament {
    size: usize,
}

impl Selection for Tournament {
    fn name(&self) -> &str {
        "tournament"
    }
    fn description(&self) -> String {
        format!("best of {} random individuals", self.size)
    }
    fn select_index(&self, fitness: &[f64], rng: &mut dyn RngCore) -> usize {
        (0..self.size)
            .map(|_| rng.gen_range(0..fitness.len()))
            .max_by(|&a, &b| fitness[a].total_cmp(&fitness[b]))
            .unwrap_or(0)
    }
}

struct Roulette;

impl Selection for Roulette {
    fn name(&self) -> &str {
        "roulette"
    }
    fn description(&self) -> String {
        "fitness-proportionate (squared fitness)".into()
    }
    fn select_index(&self, fitness: &[f64], rng: &mut dyn RngCore) -> usize {
        let total: f64 = fitness.iter().map(|f| f * f + 1e-9).sum();
        let mut pick = rng.gen::<f64>() * total;
        for (i, f) in fitness.iter().enumerate() {
            pick -= f * f + 1e-9;
            if pick <= 0.0 {
                return i;
            }
        }
        fitness.len() - 1
    }
}

struct Rank;

impl Selection for Rank {
    fn name(&self) -> &str {
        "rank"
    }
    fn description(&self) -> String {
        "linear rank weighting".into()
    }
    fn select_index(&self, fitness: &[f64], rng: &mut dyn RngCore) -> usize {
        let mut order: Vec<usize> = (0..fitness.len()).collect();
        order.sort_by(|&a, &b| fitness[a].total_cmp(&fitness[b]));
        let n = order.len();
        let total = n * (n + 1) / 2;
        let mut pick = rng.gen_range(0..total);
        for (rank, &idx) in order.iter().enumerate() {
            let weight = rank + 1;
            if pick < weight {
                return idx;
            }
            pick -= weight;
        }
        order[n - 1]
    }
}

#[derive(Debug, Clone)]
struct Config {
    population: usize,
    mutation_rate: f64,
    elitism: usize,
    max_generations: usize,
    seed: u64,
}

#[derive(Debug)]
struct RunResult {
    best: Individual,
    generations: usize,
    solved: bool,
    history: Vec<(usize, f64, String)>,
}

fn crossover(a: &Individual, b: &Individual, rng: &mut dyn RngCore) -> Individual {
    let point = rng.gen_range(0..=a.genes.len());
    let genes = a.genes[..point].iter().chain(&b.genes[point..]).copied().collect();
    Individual { genes, fitness: 0.0 }
}

fn mutate(ind: &mut Individual, rate: f64, rng: &mut dyn RngCore) {
    for g in ind.genes.iter_mut() {
        if rng.gen_bool(rate) {
            *g = CHARSET[rng.gen_range(0..CHARSET.len())];
        }
    }
}

fn evolve(target: &str, selection: &dyn Selection, cfg: &Config) -> RunResult {
    let target = target.as_bytes();
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let mut population: Vec<Individual> = (0..cfg.population)
        .map(|_| {
            let mut ind = Individual::random(target.len(), &mut rng);
            ind.evaluate(target);
            ind
        })
        .collect();
    let mut history = Vec::new();

    for generation in 0..cfg.max_generations {
        population.sort_by(|a, b| b.fitness.total_cmp(&a.fitness));
        let best = &population[0];
        if generation % 25 == 0 || best.fitness >= 1.0 {
            history.push((generation, best.fitness, best.as_str()));
        }
        if best.fitness >= 1.0 {
            return RunResult { best: best.clone(), generations: generation, solved: true, history };
        }

        let fitness: Vec<f64> = population.iter().map(|i| i.fitness).collect();
        let mut next: Vec<Individual> = population.iter().take(cfg.elitism).cloned().collect();
        while next.len() < cfg.population {
            let (a, b) = selection.select_pair(&population, &fitness, &mut rng);
            let mut child = crossover(a, b, &mut rng);
            mutate(&mut child, cfg.mutation_rate, &mut rng);
            child.evaluate(target);
            next.push(child);
        }
        population = next;
    }

    population.sort_by(|a, b| b.fitness.total_cmp(&a.fitness));
    let best = population[0].clone();
    history.push((cfg.max_generations, best.fitness, best.as_str()));
    RunResult { best, generations: cfg.max_generations, solved: false, history }
}

fn main() {
    let target = env::args().nth(1).unwrap_or_else(|| "Hello, genetic world!".to_string());
    if let Some(bad) = target.bytes().find(|b| !CHARSET.contains(b)) {
        eprintln!("target contains unsupported character {:?}", bad as char);
        std::process::exit(1);
    }

    let mut registry: BTreeMap<String, Box<dyn Selection>> = BTreeMap::new();
    for strategy in [Tournament { size: 3 }.boxed(), Roulette.boxed(), Rank.boxed()] {
        registry.insert(strategy.name().to_string(), strategy);
    }

    let cfg = Config { population: 200, mutation_rate: 0.01, elitism: 2, max_generations: 1500, seed: 42 };
    println!("Target: {:?} ({} chars)", target, target.len());
    println!("Config: {:?}\n", cfg);

    let mut summary = Vec::new();
    for (name, strategy) in &registry {
        println!("--- {} selection: {} ---", name, strategy.description());
        let result = evolve(&target, strategy.as_ref(), &cfg);
        for (gen, fit, text) in &result.history {
            println!("  gen {:>5}  fitness {:>5.1}%  {:?}", gen, fit * 100.0, text);
        }
        println!(
            "  => {} after {} generations\n",
            if result.solved { "solved" } else { "not solved" },
            result.generations
        );
        summary.push((name.clone(), result));
    }

    summary.sort_by_key(|(_, r)| (!r.solved, r.generations));
    println!("{:<12} {:>8} {:>12} {:>9}", "strategy", "solved", "generations", "best");
    for (name, r) in &summary {
        println!("{:<12} {:>8} {:>12} {:>8.1}%", name, r.solved, r.generations, r.best.fitness * 100.0);
    }
}
