//! Augmented AVL interval tree with insertion and overlap queries, verified
//! against a brute-force scan.
//!
//! The tree owns a set of event handlers (boxed closures registered at run
//! time). After each insert / query it calls them with mutable access to a
//! caller-supplied shared state, which here collects statistics.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Closed interval [start, end] with an id so equal ranges stay distinguishable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Interval {
    start: i64,
    end: i64,
    id: usize,
}

impl Interval {
    fn new(start: i64, end: i64, id: usize) -> Self {
        assert!(start <= end, "interval start must not exceed its end");
        Interval { start, end, id }
    }

    fn overlaps(&self, other: &Interval) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    fn len(&self) -> i64 {
        self.end - self.start
    }
}

#[derive(Debug)]
struct Node {
    iv: Interval,
    max_end: i64,
    height: i32,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

impl Node {
    fn new(iv: Interval) -> Box<Node> {
        Box::new(Node { iv, max_end: iv.end, height: 1, left: None, right: None })
    }

    fn update(&mut self) {
        self.height = 1 + height(&self.left).max(height(&self.right));
        self.max_end = self.iv.end.max(max_end(&self.left)).max(max_end(&self.right));
    }
}

fn height(n: &Option<Box<Node>>) -> i32 {
    n.as_ref().map_or(0, |n| n.height)
}

fn max_end(n: &Option<Box<Node>>) -> i64 {
    n.as_ref().map_or(i64::MIN, |n| n.max_end)
}

fn rotate_right(mut n: Box<Node>) -> Box<Node> {
    let mut l = n.left.take().expect("rotate_right needs a left child");
    n.left = l.right.take();
    n.update();
    l.right = Some(n);
    l.update();
    l
}

fn rotate_left(mut n: Box<Node>) -> Box<Node> {
    let mut r = n.right.take().expect("rotate_left needs a right child");
    n.right = r.left.take();
    n.update();
    r.left = Some(n);
    r.update();
    r
}

fn rebalance(mut n: Box<Node>) -> Box<Node> {
    n.update();
    let balance = height(&n.left) - height(&n.right);
    if balance > 1 {
        let left = n.left.take().expect("left-heavy node has a left child");
        n.left = Some(if height(&left.right) > height(&left.left) { rotate_left(left) } else { left });
        return rotate_right(n);
    }
    if balance < -1 {
        let right = n.right.take().expect("right-heavy node has a right child");
        n.right = Some(if height(&right.left) > height(&right.right) { rotate_right(right) } else { right });
        return rotate_left(n);
    }
    n
}

fn insert_node(node: Option<Box<Node>>, iv: Interval) -> Box<Node> {
    match node {
        None => Node::new(iv),
        Some(mut n) => {
            if iv < n.iv {
                n.left = Some(insert_node(n.left.take(), iv));
            } else {
                n.right = Some(insert_node(n.right.take(), iv));
            }
            rebalance(n)
        }
    }
}

fn query_node(node: &Option<Box<Node>>, q: &Interval, out: &mut Vec<Interval>) {
    if let Some(n) = node {
        // Nothing in this subtree ends late enough to reach the query.
        if n.max_end < q.start {
            return;
        }
        query_node(&n.left, q, out);
        if n.iv.overlaps(q) {
            out.push(n.iv);
        }
        // Right subtree only holds intervals starting at or after n.iv.start.
        if n.iv.start <= q.end {
            query_node(&n.right, q, out);
        }
    }
}

/// Checks AVL balance, cached heights and the max_end augmentation.
fn check_invariants(node: &Option<Box<Node>>) -> Result<(i32, i64), String> {
    match node {
        None => Ok((0, i64::MIN)),
        Some(n) => {
            let (lh, lm) = check_invariants(&n.left)?;
            let (rh, rm) = check_invariants(&n.right)?;
            if (lh - rh).abs() > 1 {
                return Err(format!("unbalanced node {:?}", n.iv));
            }
            if n.height != 1 + lh.max(rh) {
                return Err(format!("stale height at {:?}", n.iv));
            }
            let expected = n.iv.end.max(lm).max(rm);
            if n.max_end != expected {
                return Err(format!("max_end {} should be {} at {:?}", n.max_end, expected, n.iv));
            }
            Ok((n.height, n.max_end))
        }
    }
}

type InsertHandler<S> = Box<dyn FnMut(&mut S, &Interval)>;
type QueryHandler<S> = Box<dyn FnMut(&mut S, &Interval, &[Interval])>;

struct IntervalTree<S> {
    root: Option<Box<Node>>,
    len: usize,
    on_insert: Vec<InsertHandler<S>>,
    on_query: Vec<QueryHandler<S>>,
}

impl<S> IntervalTree<S> {
    fn new() -> Self {
        IntervalTree { root: None, len: 0, on_insert: Vec::new(), on_query: Vec::new() }
    }

    fn on_insert(&mut self, handler: impl FnMut(&mut S, &Interval) + 'static) {
        self.on_insert.push(Box::new(handler));
    }

    fn on_query(&mut self, handler: impl FnMut(&mut S, &Interval, &[Interval]) + 'static) {
        self.on_query.push(Box::new(handler));
    }

    fn insert(&mut self, iv: Interval, state: &mut S) {
        self.root = Some(insert_node(self.root.take(), iv));
        self.len += 1;
        for handler in self.on_insert.iter_mut() {
            handler(state, &iv);
        }
    }

    fn query(&mut self, q: Interval, state: &mut S) -> Vec<Interval> {
        let mut out = Vec::new();
        query_node(&self.root, &q, &mut out);
        for handler in self.on_query.iter_mut() {
            handler(state, &q, &out);
        }
        out
    }

    fn stab(&mut self, point: i64, state: &mut S) -> Vec<Interval> {
        self.query(Interval::new(point, point, usize::MAX), state)
    }

    fn height(&self) -> i32 {
        height(&self.root)
    }

    fn len(&self) -> usize {
        self.len
    }
}

fn brute_force(all: &[Interval], q: &Interval) -> Vec<Interval> {
    let mut hits: Vec<Interval> = all.iter().filter(|iv| iv.overlaps(q)).copied().collect();
    hits.sort();
    hits
}

#[derive(Debug, Default)]
struct Stats {
    inserts: usize,
    total_length: i64,
    widest: Option<Interval>,
    queries: usize,
    total_hits: usize,
    max_hits: usize,
    empty_queries: usize,
    log: Vec<String>,
}

fn main() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut tree: IntervalTree<Stats> = IntervalTree::new();
    let mut stats = Stats::default();

    // Handlers registered at run time; each gets `&mut Stats`.
    tree.on_insert(|s: &mut Stats, iv: &Interval| {
        s.inserts += 1;
        s.total_length += iv.len();
    });
    tree.on_insert(|s: &mut Stats, iv: &Interval| {
        if s.widest.map_or(true, |w| iv.len() > w.len()) {
            s.widest = Some(*iv);
        }
    });
    tree.on_query(|s: &mut Stats, _q: &Interval, hits: &[Interval]| {
        s.queries += 1;
        s.total_hits += hits.len();
        s.max_hits = s.max_hits.max(hits.len());
    });
    tree.on_query(|s: &mut Stats, q: &Interval, hits: &[Interval]| {
        if hits.is_empty() {
            s.empty_queries += 1;
            if s.log.len() < 3 {
                s.log.push(format!("query [{}, {}] found nothing", q.start, q.end));
            }
        }
    });

    let mut all = Vec::new();
    for id in 0..2000 {
        let start: i64 = rng.gen_range(0..100_000);
        let len: i64 = rng.gen_range(0..500);
        let iv = Interval::new(start, start + len, id);
        tree.insert(iv, &mut stats);
        all.push(iv);
    }
    // A few hand-made edge cases: touching endpoints and a huge interval.
    for (k, (s, e)) in [(50_000, 50_000), (49_990, 50_000), (50_000, 50_010), (-1_000, 200_000)].into_iter().enumerate() {
        let iv = Interval::new(s, e, 10_000 + k);
        tree.insert(iv, &mut stats);
        all.push(iv);
    }

    match check_invariants(&tree.root) {
        Ok((h, _)) => println!(
            "tree holds {} intervals, height {} (log2 n = {:.1}), invariants OK",
            tree.len(),
            h,
            (tree.len() as f64).log2()
        ),
        Err(e) => println!("INVARIANT VIOLATION: {e}"),
    }

    let mut mismatches = 0;
    for _ in 0..500 {
        let start: i64 = rng.gen_range(-200..100_200);
        let len: i64 = if rng.gen_bool(0.2) { 0 } else { rng.gen_range(0..2_000) };
        let q = Interval::new(start, start + len, usize::MAX);
        let mut got = tree.query(q, &mut stats);
        got.sort();
        let expected = brute_force(&all, &q);
        if got != expected {
            mismatches += 1;
            println!("mismatch for {:?}: tree {} vs brute force {}", q, got.len(), expected.len());
        }
    }

    let stabbed = tree.stab(50_000, &mut stats);
    let expected = brute_force(&all, &Interval::new(50_000, 50_000, usize::MAX));
    println!(
        "stab(50000) -> {} intervals (brute force {}), e.g. {:?}",
        stabbed.len(),
        expected.len(),
        stabbed.iter().take(3).map(|iv| (iv.start, iv.end)).collect::<Vec<_>>()
    );

    println!("\nrandom queries: 500, mismatches against brute force: {mismatches}");
    println!("inserts seen by handlers : {}", stats.inserts);
    println!("average interval length  : {:.1}", stats.total_length as f64 / stats.inserts.max(1) as f64);
    if let Some(w) = stats.widest {
        println!("widest interval          : [{}, {}] (id {})", w.start, w.end, w.id);
    }
    println!("queries seen by handlers : {}", stats.queries);
    println!("average hits per query   : {:.2}", stats.total_hits as f64 / stats.queries.max(1) as f64);
    println!("max hits for one query   : {}", stats.max_hits);
    println!("empty queries            : {}", stats.empty_queries);
    for line in &stats.log {
        println!("  log: {line}");
    }
    println!("final tree height        : {}", tree.height());
    println!("{}", if mismatches == 0 { "RESULT: tree agrees with brute force" } else { "RESULT: DISAGREEMENT FOUND" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_brute_force_on_random_data() {
        let mut rng = StdRng::seed_from_u64(99);
        let mut tree: IntervalTree<()> = IntervalTree::new();
        let mut all = Vec::new();
        for id in 0..500 {
            let s: i64 = rng.gen_range(0..1_000);
            let iv = Interval::new(s, s + rng.gen_range(0..50), id);
            tree.insert(iv, &mut ());
            all.push(iv);
        }
        assert!(check_invariants(&tree.root).is_ok());
        for _ in 0..200 {
            let s: i64 = rng.gen_range(-10..1_010);
            let q = Interval::new(s, s + rng.gen_range(0..30), usize::MAX);
            let mut got = tree.query(q, &mut ());
            got.sort();
            assert_eq!(got, brute_force(&all, &q));
        }
    }

    #[test]
    fn touching_endpoints_overlap() {
        let mut tree: IntervalTree<()> = IntervalTree::new();
        tree.insert(Interval::new(1, 5, 0), &mut ());
        tree.insert(Interval::new(6, 9, 1), &mut ());
        assert_eq!(tree.stab(5, &mut ()).len(), 1);
        assert_eq!(tree.query(Interval::new(5, 6, 9), &mut ()).len(), 2);
        assert!(tree.stab(10, &mut ()).is_empty());
    }

    #[test]
    fn handlers_receive_mutable_state() {
        let mut tree: IntervalTree<Vec<i64>> = IntervalTree::new();
        tree.on_insert(|seen: &mut Vec<i64>, iv: &Interval| seen.push(iv.start));
        let mut seen = Vec::new();
        tree.insert(Interval::new(3, 4, 0), &mut seen);
        tree.insert(Interval::new(1, 2, 1), &mut seen);
        assert_eq!(seen, vec![3, 1]);
    }
}
