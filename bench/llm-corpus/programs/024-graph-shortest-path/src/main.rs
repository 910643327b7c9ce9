use anyhow::{anyhow, bail, Context, Result};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::env;
use std::fs;

const SAMPLE: &str = "\
# from to weight
A B 4
A C 2
B C 5
B D 10
C E 3
E D 4
D F 11
E F 20
C B 1
F A 7
G F 1
";

#[derive(Default)]
struct Graph {
    names: Vec<String>,
    index: HashMap<String, usize>,
    adj: Vec<Vec<(usize, u64)>>,
}

impl Graph {
    fn node(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        self.adj.push(Vec::new());
        i
    }

    fn parse(text: &str) -> Result<Graph> {
        let mut g = Graph::default();
        for (lineno, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() != 3 {
                bail!("line {}: expected 'from to weight', got '{}'", lineno + 1, line);
            }
            let w: u64 = parts[2].parse().with_context(|| format!("line {}: bad weight '{}'", lineno + 1, parts[2]))?;
            let a = g.node(parts[0]);
            let b = g.node(parts[1]);
            g.adj[a].push((b, w));
        }
        Ok(g)
    }

    fn dijkstra(&self, src: usize) -> (Vec<Option<u64>>, Vec<Option<usize>>) {
        let n = self.names.len();
        let mut dist: Vec<Option<u64>> = vec![None; n];
        let mut prev: Vec<Option<usize>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        dist[src] = Some(0);
        heap.push(Reverse((0u64, src)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if let Some(best) = dist[u] {
                if d > best {
                    continue;
                }
            }
            for &(v, w) in &self.adj[u] {
                let nd = d + w;
                if dist[v].map_or(true, |cur| nd < cur) {
                    dist[v] = Some(nd);
                    prev[v] = Some(u);
                    heap.push(Reverse((nd, v)));
                }
            }
        }
        (dist, prev)
    }

    fn shortest_path(&self, from: &str, to: &str) -> Result<Option<(u64, Vec<String>)>> {
        let s = *self.index.get(from).ok_or_else(|| anyhow!("unknown node '{}'", from))?;
        let t = *self.index.get(to).ok_or_else(|| anyhow!("unknown node '{}'", to))?;
        let (dist, prev) = self.dijkstra(s);
        let cost = match dist[t] {
            Some(c) => c,
            None => return Ok(None),
        };
        let mut path = vec![t];
        let mut cur = t;
        while let Some(p) = prev[cur] {
            path.push(p);
            cur = p;
        }
        path.reverse();
        Ok(Some((cost, path.into_iter().map(|i| self.names[i].clone()).collect())))
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let (text, queries): (String, Vec<(String, String)>) = match args.as_slice() {
        [file, from, to, ..] => (fs::read_to_string(file).with_context(|| format!("reading {}", file))?, vec![(from.clone(), to.clone())]),
        [file] => {
            let text = fs::read_to_string(file).with_context(|| format!("reading {}", file))?;
            (text, vec![("A".into(), "F".into())])
        }
        _ => {
            println!("usage: graph-shortest-path <edges.txt> [FROM TO]  (using built-in sample)\n");
            let q = [("A", "F"), ("A", "D"), ("B", "E"), ("F", "E"), ("A", "G"), ("A", "Z")];
            (SAMPLE.to_string(), q.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
        }
    };

    let graph = Graph::parse(&text)?;
    let edges: usize = graph.adj.iter().map(|e| e.len()).sum();
    println!("Graph: {} nodes, {} edges", graph.names.len(), edges);

    for (from, to) in &queries {
        match graph.shortest_path(from, to) {
            Ok(Some((cost, path))) => println!("{} -> {}: cost {:>3}  path {}", from, to, cost, path.join(" -> ")),
            Ok(None) => println!("{} -> {}: unreachable", from, to),
            Err(e) => println!("{} -> {}: error: {}", from, to, e),
        }
    }

    if let Some(&src) = graph.index.get(&queries[0].0) {
        let (dist, _) = graph.dijkstra(src);
        println!("\nAll distances from {}:", graph.names[src]);
        for (i, d) in dist.iter().enumerate() {
            match d {
                Some(d) => println!("  {:<4} {}", graph.names[i], d),
                None => println!("  {:<4} ∞", graph.names[i]),
            }
        }
    }
    Ok(())
}
