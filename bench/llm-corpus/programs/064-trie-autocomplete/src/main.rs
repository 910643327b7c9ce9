use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::env;
use std::fs;

#[derive(Default, Debug)]
struct Node {
    children: BTreeMap<char, Node>,
    terminal: bool,
    freq: u64,
}

#[derive(Default)]
struct Trie {
    root: Node,
    words: usize,
}

/// Candidate in the top-k heap: higher frequency wins, ties go to the
/// alphabetically smaller word.
#[derive(Debug, PartialEq, Eq)]
struct Candidate {
    freq: u64,
    word: String,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.freq
            .cmp(&other.freq)
            .then_with(|| other.word.cmp(&self.word))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Trie {
    fn insert(&mut self, word: &str, freq: u64) {
        let word = word.trim().to_lowercase();
        if word.is_empty() {
            return;
        }
        let mut node = &mut self.root;
        for ch in word.chars() {
            node = node.children.entry(ch).or_default();
        }
        if !node.terminal {
            node.terminal = true;
            self.words += 1;
        }
        node.freq += freq;
    }

    fn find_node(&self, prefix: &str) -> Option<&Node> {
        let mut node = &self.root;
        for ch in prefix.chars() {
            node = node.children.get(&ch)?;
        }
        Some(node)
    }

    fn frequency(&self, word: &str) -> Option<u64> {
        self.find_node(&word.to_lowercase())
            .filter(|n| n.terminal)
            .map(|n| n.freq)
    }

    /// Top-k completions of `prefix` using a bounded min-heap.
    fn top_k(&self, prefix: &str, k: usize) -> Vec<(String, u64)> {
        let prefix = prefix.to_lowercase();
        let node = match self.find_node(&prefix) {
            Some(n) if k > 0 => n,
            _ => return Vec::new(),
        };
        let mut heap: BinaryHeap<Reverse<Candidate>> = BinaryHeap::with_capacity(k + 1);
        let mut buffer = prefix.clone();
        collect(node, &mut buffer, k, &mut heap);
        let mut results: Vec<Candidate> = heap.into_iter().map(|Reverse(c)| c).collect();
        results.sort_by(|a, b| b.cmp(a));
        results.into_iter().map(|c| (c.word, c.freq)).collect()
    }

    /// Removes a word, pruning nodes that no longer lead anywhere.
    fn remove(&mut self, word: &str) -> bool {
        fn go(node: &mut Node, chars: &[char]) -> (bool, bool) {
            match chars.split_first() {
                None => {
                    if !node.terminal {
                        return (false, false);
                    }
                    node.terminal = false;
                    node.freq = 0;
                    (true, node.children.is_empty())
                }
                Some((c, rest)) => {
                    let (removed, prune_child) = match node.children.get_mut(c) {
                        Some(child) => go(child, rest),
                        None => return (false, false),
                    };
                    if prune_child {
                        node.children.remove(c);
                    }
                    (removed, removed && !node.terminal && node.children.is_empty())
                }
            }
        }
        let chars: Vec<char> = word.to_lowercase().chars().collect();
        let (removed, _) = go(&mut self.root, &chars);
        if removed {
            self.words -= 1;
        }
        removed
    }

    fn node_count(&self) -> usize {
        fn count(node: &Node) -> usize {
            1 + node.children.values().map(count).sum::<usize>()
        }
        count(&self.root)
    }
}

fn collect(node: &Node, buffer: &mut String, k: usize, heap: &mut BinaryHeap<Reverse<Candidate>>) {
    if node.terminal {
        heap.push(Reverse(Candidate {
            freq: node.freq,
            word: buffer.clone(),
        }));
        if heap.len() > k {
            heap.pop(); // drop the current worst
        }
    }
    for (&ch, child) in &node.children {
        buffer.push(ch);
        collect(child, buffer, k, heap);
        buffer.pop();
    }
}

const CORPUS: &str = "The program printed a progress report while the project team promoted \
the prototype. Programming in Rust is productive: the compiler protects programs from \
data races, and the runtime is tiny. Rust programmers run tests, run benchmarks and run \
profilers. The team promised to produce a proper protocol proposal. Progress on the \
protocol was promising, and the product shipped on time. Run, run, run!";

const QUERY_LOG: &[(&str, u64)] = &[
    ("programming", 310),
    ("program", 140),
    ("progress", 75),
    ("project", 220),
    ("promise", 60),
    ("prompt", 90),
    ("protocol", 130),
    ("proton", 12),
    ("prototype", 45),
    ("rust", 900),
    ("rustacean", 35),
    ("rusty", 20),
    ("ruby", 300),
    ("run", 500),
    ("runtime", 150),
    ("rune", 10),
];

fn word_counts(text: &str) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let mut trie = Trie::default();

    match env::args().nth(1) {
        Some(path) => {
            // Either "word frequency" lines or free text.
            let text = fs::read_to_string(&path).unwrap_or_else(|e| {
                eprintln!("cannot read {}: {}", path, e);
                std::process::exit(1);
            });
            for line in text.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                match parts.as_slice() {
                    [word, freq] if freq.parse::<u64>().is_ok() => {
                        trie.insert(word, freq.parse().unwrap_or(1))
                    }
                    _ => {
                        for (word, n) in word_counts(line) {
                            trie.insert(&word, n);
                        }
                    }
                }
            }
        }
        None => {
            for (word, n) in word_counts(CORPUS) {
                trie.insert(&word, n);
            }
            for (word, freq) in QUERY_LOG {
                trie.insert(word, *freq);
            }
        }
    }

    println!(
        "trie holds {} distinct words in {} nodes\n",
        trie.words,
        trie.node_count()
    );

    for (prefix, k) in [("pro", 5), ("prog", 3), ("ru", 4), ("rust", 3), ("the", 3), ("x", 3), ("", 5)] {
        let completions = trie.top_k(prefix, k);
        let shown: Vec<String> = completions
            .iter()
            .map(|(w, f)| format!("{} ({})", w, f))
            .collect();
        let label = if prefix.is_empty() { "<empty>" } else { prefix };
        if shown.is_empty() {
            println!("top {} for {:<8} -> no completions", k, label);
        } else {
            println!("top {} for {:<8} -> {}", k, label, shown.join(", "));
        }
    }

    println!("\nfrequency(\"run\") = {:?}", trie.frequency("run"));
    println!("frequency(\"pro\") = {:?} (prefix only, not a word)", trie.frequency("pro"));

    let before = trie.node_count();
    println!(
        "\nremoving \"prompt\": {}, removing again: {}",
        trie.remove("prompt"),
        trie.remove("prompt")
    );
    println!(
        "nodes {} -> {}; top 3 for \"prom\" now: {:?}",
        before,
        trie.node_count(),
        trie.top_k("prom", 3)
    );
}
