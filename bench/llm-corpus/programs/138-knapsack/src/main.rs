use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Display};
use std::hash::Hash;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone)]
struct Item<V> {
    weight: usize,
    value: V,
}

/// A knapsack instance keyed by item identifiers of type K with values of type V.
struct Knapsack<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Copy + Into<u64> + Display + Ord,
{
    name: String,
    capacity: usize,
    items: HashMap<K, Item<V>>,
}

#[derive(Debug, Clone)]
struct Solution<K: Ord> {
    method: &'static str,
    chosen: BTreeSet<K>,
    value: u64,
    weight: usize,
}

impl<K, V> Knapsack<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Copy + Into<u64> + Display + Ord,
{
    fn new(name: &str, capacity: usize) -> Self {
        Knapsack { name: name.to_string(), capacity, items: HashMap::new() }
    }

    fn add(&mut self, key: K, weight: usize, value: V) -> &mut Self {
        self.items.insert(key, Item { weight, value });
        self
    }

    fn sorted_keys(&self) -> Vec<&K> {
        let mut keys: Vec<&K> = self.items.keys().collect();
        keys.sort();
        keys
    }

    fn make_solution(&self, method: &'static str, chosen: BTreeSet<K>) -> Solution<K> {
        let value = chosen.iter().map(|k| self.items[k].value.into()).sum();
        let weight = chosen.iter().map(|k| self.items[k].weight).sum();
        Solution { method, chosen, value, weight }
    }

    /// Exact 0/1 knapsack in O(n * capacity).
    fn solve_dp(&self) -> Solution<K> {
        let keys = self.sorted_keys();
        let n = keys.len();
        let cap = self.capacity;
        let mut table = vec![vec![0u64; cap + 1]; n + 1];
        for (i, key) in keys.iter().enumerate() {
            let item = &self.items[*key];
            let v: u64 = item.value.into();
            for w in 0..=cap {
                let skip = table[i][w];
                let take = if item.weight <= w { table[i][w - item.weight] + v } else { 0 };
                table[i + 1][w] = skip.max(take);
            }
        }
        let mut chosen = BTreeSet::new();
        let mut w = cap;
        for i in (0..n).rev() {
            if table[i + 1][w] != table[i][w] {
                let key = keys[i];
                chosen.insert(key.clone());
                w -= self.items[key].weight;
            }
        }
        self.make_solution("dynamic programming", chosen)
    }

    /// Greedy by value density; fast but not optimal.
    fn solve_greedy(&self) -> Solution<K> {
        let mut keys = self.sorted_keys();
        let density = |k: &K| {
            let it = &self.items[k];
            if it.weight == 0 {
                f64::INFINITY
            } else {
                it.value.into() as f64 / it.weight as f64
            }
        };
        keys.sort_by(|a, b| density(b).partial_cmp(&density(a)).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(b)));
        let mut remaining = self.capacity;
        let mut chosen = BTreeSet::new();
        for key in keys {
            let weight = self.items[key].weight;
            if weight <= remaining {
                remaining -= weight;
                chosen.insert(key.clone());
            }
        }
        self.make_solution("greedy (density)", chosen)
    }

    /// Greedy improved with the best single item: guaranteed at least half of the optimum.
    fn solve_greedy_plus(&self) -> Solution<K> {
        let greedy = self.solve_greedy();
        let best_single = self
            .items
            .iter()
            .filter(|(_, it)| it.weight <= self.capacity)
            .max_by(|a, b| a.1.value.cmp(&b.1.value).then(b.0.cmp(a.0)))
            .map(|(k, _)| k.clone());
        match best_single {
            Some(k) if self.items[&k].value.into() > greedy.value => {
                self.make_solution("greedy + best item", BTreeSet::from([k]))
            }
            _ => Solution { method: "greedy + best item", ..greedy },
        }
    }
}

impl<K, V> Display for Knapsack<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Copy + Into<u64> + Display + Ord,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Knapsack '{}' (capacity {}, {} items)", self.name, self.capacity, self.items.len())?;
        writeln!(f, "  {:<14} {:>7} {:>7} {:>8}", "item", "weight", "value", "density")?;
        for key in self.sorted_keys() {
            let it = &self.items[key];
            let density = if it.weight == 0 { f64::INFINITY } else { it.value.into() as f64 / it.weight as f64 };
            writeln!(f, "  {:<14} {:>7} {:>7} {:>8.2}", key.to_string(), it.weight, it.value.to_string(), density)?;
        }
        Ok(())
    }
}

impl<K: Ord + Display> Display for Solution<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self.chosen.iter().map(|k| k.to_string()).collect();
        write!(f, "{:<20} value {:>6}  weight {:>5}  [{}]", self.method, self.value, self.weight, items.join(", "))
    }
}

fn compare<K, V>(ks: &Knapsack<K, V>, show_items: bool)
where
    K: Hash + Ord + Display + Clone,
    V: Copy + Into<u64> + Display + Ord,
{
    if show_items {
        print!("{ks}");
    } else {
        println!("Knapsack '{}' (capacity {}, {} items)", ks.name, ks.capacity, ks.items.len());
    }
    let optimum = ks.solve_dp();
    for sol in [optimum.clone(), ks.solve_greedy(), ks.solve_greedy_plus()] {
        let pct = if optimum.value == 0 { 100.0 } else { 100.0 * sol.value as f64 / optimum.value as f64 };
        assert!(sol.weight <= ks.capacity, "solution exceeds capacity");
        if show_items {
            println!("  {sol}  ({pct:.1}% of optimum)");
        } else {
            println!("  {:<20} value {:>6}  weight {:>5}  items {:>3}  ({pct:.1}% of optimum)", sol.method, sol.value, sol.weight, sol.chosen.len());
        }
    }
    println!();
}

fn main() {
    let mut classic: Knapsack<&'static str, u32> = Knapsack::new("classic", 50);
    classic.add("gold", 10, 60).add("silver", 20, 100).add("bronze", 30, 120);
    compare(&classic, true);

    let mut camping: Knapsack<String, u16> = Knapsack::new("camping trip", 20);
    for (name, weight, value) in [
        ("tent", 9, 150),
        ("sleeping bag", 4, 90),
        ("stove", 3, 60),
        ("water filter", 1, 80),
        ("camera", 2, 30),
        ("book", 1, 10),
        ("first aid kit", 2, 70),
        ("extra boots", 5, 20),
        ("rain jacket", 2, 65),
    ] {
        camping.add(name.to_string(), weight, value);
    }
    compare(&camping, true);

    let mut trap: Knapsack<&'static str, u64> = Knapsack::new("greedy trap", 100);
    trap.add("pebble", 1, 2).add("statue", 100, 100);
    compare(&trap, true);

    let mut rng = StdRng::seed_from_u64(2024);
    let mut random: Knapsack<u32, u64> = Knapsack::new("random 40 items", 500);
    for id in 0..40u32 {
        let weight = rng.gen_range(5..80);
        let value = (weight as u64 * rng.gen_range(50..150) / 100).max(1);
        random.add(id, weight, value);
    }
    compare(&random, false);
}
