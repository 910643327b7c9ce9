//! skyline: compute the skyline of buildings given as (left, right, height)
//! triples. Several solver strategies live behind `Box<dyn SkylineSolver>` in
//! a registry keyed by name; they are cross-checked against each other.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BinaryHeap};
use std::fmt;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Building {
    left: i64,
    right: i64,
    height: i64,
}

/// A key point: at `x` the skyline changes to `height`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KeyPoint {
    x: i64,
    height: i64,
}

impl fmt::Display for KeyPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.height)
    }
}

trait SkylineSolver {
    fn name(&self) -> &'static str;
    fn complexity(&self) -> &'static str;
    fn solve(&self, buildings: &[Building]) -> Vec<KeyPoint>;
}

/// Generic helpers available on every solver trait object.
impl<'a> dyn SkylineSolver + 'a {
    /// Solve from any iterator of (left, right, height) tuples.
    fn solve_from<I>(&self, triples: I) -> Vec<KeyPoint>
    where
        I: IntoIterator<Item = (i64, i64, i64)>,
    {
        let buildings: Vec<Building> = triples
            .into_iter()
            .filter(|&(l, r, h)| l < r && h > 0)
            .map(|(left, right, height)| Building { left, right, height })
            .collect();
        self.solve(&buildings)
    }

    /// Solve and measure how long it took.
    fn timed<T: AsRef<[Building]>>(&self, buildings: T) -> (Vec<KeyPoint>, Duration) {
        let start = Instant::now();
        let result = self.solve(buildings.as_ref());
        (result, start.elapsed())
    }
}

/// Append a key point, skipping redundant ones.
fn push_point(out: &mut Vec<KeyPoint>, x: i64, height: i64) {
    match out.last_mut() {
        Some(last) if last.height == height => {}
        Some(last) if last.x == x => {
            last.height = height;
            // Merging may have made it redundant with the previous point.
            if out.len() >= 2 && out[out.len() - 2].height == height {
                out.pop();
            }
        }
        _ => out.push(KeyPoint { x, height }),
    }
}

fn critical_xs(buildings: &[Building]) -> Vec<i64> {
    let mut xs: Vec<i64> = buildings.iter().flat_map(|b| [b.left, b.right]).collect();
    xs.sort_unstable();
    xs.dedup();
    xs
}

struct Naive;

impl SkylineSolver for Naive {
    fn name(&self) -> &'static str {
        "naive"
    }
    fn complexity(&self) -> &'static str {
        "O(n^2)"
    }
    fn solve(&self, buildings: &[Building]) -> Vec<KeyPoint> {
        let mut out = Vec::new();
        for x in critical_xs(buildings) {
            let h = buildings.iter().filter(|b| b.left <= x && x < b.right).map(|b| b.height).max().unwrap_or(0);
            push_point(&mut out, x, h);
        }
        out
    }
}

struct Sweep;

impl SkylineSolver for Sweep {
    fn name(&self) -> &'static str {
        "sweep-heap"
    }
    fn complexity(&self) -> &'static str {
        "O(n log n)"
    }
    fn solve(&self, buildings: &[Building]) -> Vec<KeyPoint> {
        let mut sorted = buildings.to_vec();
        sorted.sort_by_key(|b| b.left);
        let mut heap: BinaryHeap<(i64, i64)> = BinaryHeap::new(); // (height, right)
        let mut out = Vec::new();
        let mut i = 0;
        for x in critical_xs(buildings) {
            while i < sorted.len() && sorted[i].left <= x {
                heap.push((sorted[i].height, sorted[i].right));
                i += 1;
            }
            // Lazily drop buildings that have ended.
            while let Some(&(_, right)) = heap.peek() {
                if right <= x {
                    heap.pop();
                } else {
                    break;
                }
            }
            push_point(&mut out, x, heap.peek().map_or(0, |&(h, _)| h));
        }
        out
    }
}

struct DivideAndConquer;

impl DivideAndConquer {
    fn rec(buildings: &[Building]) -> Vec<KeyPoint> {
        match buildings {
            [] => Vec::new(),
            [b] => vec![KeyPoint { x: b.left, height: b.height }, KeyPoint { x: b.right, height: 0 }],
            _ => {
                let (l, r) = buildings.split_at(buildings.len() / 2);
                Self::merge(&Self::rec(l), &Self::rec(r))
            }
        }
    }

    fn merge(a: &[KeyPoint], b: &[KeyPoint]) -> Vec<KeyPoint> {
        let (mut i, mut j) = (0, 0);
        let (mut ha, mut hb) = (0, 0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        while i < a.len() || j < b.len() {
            let x = match (a.get(i), b.get(j)) {
                (Some(pa), Some(pb)) => pa.x.min(pb.x),
                (Some(pa), None) => pa.x,
                (None, Some(pb)) => pb.x,
                (None, None) => unreachable!(),
            };
            if i < a.len() && a[i].x == x {
                ha = a[i].height;
                i += 1;
            }
            if j < b.len() && b[j].x == x {
                hb = b[j].height;
                j += 1;
            }
            push_point(&mut out, x, ha.max(hb));
        }
        out
    }
}

impl SkylineSolver for DivideAndConquer {
    fn name(&self) -> &'static str {
        "divide-conquer"
    }
    fn complexity(&self) -> &'static str {
        "O(n log n)"
    }
    fn solve(&self, buildings: &[Building]) -> Vec<KeyPoint> {
        Self::rec(buildings)
    }
}

fn render(points: &[KeyPoint], width_limit: i64) {
    let Some(max_h) = points.iter().map(|p| p.height).max() else { return };
    let end = points.last().map_or(0, |p| p.x).min(width_limit);
    let height_at = |x: i64| points.iter().take_while(|p| p.x <= x).last().map_or(0, |p| p.height);
    for level in (1..=max_h).rev() {
        let row: String = (0..end).map(|x| if height_at(x) >= level { '#' } else { ' ' }).collect();
        println!("{level:>3} |{row}");
    }
    println!("    +{}", "-".repeat(end as usize));
}

fn main() {
    let mut registry: BTreeMap<&'static str, Box<dyn SkylineSolver>> = BTreeMap::new();
    let solvers: Vec<Box<dyn SkylineSolver>> = vec![Box::new(Naive), Box::new(Sweep), Box::new(DivideAndConquer)];
    for s in solvers {
        registry.insert(s.name(), s);
    }

    let triples = [(2, 9, 10), (3, 7, 15), (5, 12, 12), (15, 20, 10), (19, 24, 8), (24, 28, 3), (30, 32, 6)];
    println!("Buildings (left, right, height): {:?}\n", triples);

    let reference = registry["sweep-heap"].solve_from(triples);
    println!("Key points: {}", reference.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(" "));
    for (name, solver) in &registry {
        let result = solver.solve_from(triples);
        println!("  {:<15} {}", name, if result == reference { "agrees" } else { "DISAGREES" });
    }
    println!();
    render(&reference, 80);

    // Stress test on random input.
    let mut rng = StdRng::seed_from_u64(99);
    let random: Vec<Building> = (0..3000)
        .map(|_| {
            let left = rng.gen_range(0..100_000);
            Building { left, right: left + rng.gen_range(1..5_000), height: rng.gen_range(1..1_000) }
        })
        .collect();

    println!("\nRandom input: {} buildings", random.len());
    let mut outputs = Vec::new();
    for (name, solver) in &registry {
        let (points, elapsed) = solver.timed(&random);
        println!("  {:<15} {:<11} {:>6} key points in {:?}", name, solver.complexity(), points.len(), elapsed);
        outputs.push(points);
    }
    let consistent = outputs.windows(2).all(|w| w[0] == w[1]);
    println!("All solvers consistent: {consistent}");
}
