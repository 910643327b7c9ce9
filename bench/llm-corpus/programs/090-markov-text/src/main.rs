//! markov-text: generate text from a Markov chain built over an input file.
//!
//! Usage: markov-text [FILE] [--order N] [--words N] [--seed S]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fmt::{self, Display};
use std::fs;
use std::hash::Hash;

const SAMPLE: &str = "It was the best of times, it was the worst of times, it was the age of wisdom, \
it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, \
it was the season of Light, it was the season of Darkness, it was the spring of hope, \
it was the winter of despair, we had everything before us, we had nothing before us, \
we were all going direct to Heaven, we were all going direct the other way. \
There were a king with a large jaw and a queen with a plain face, on the throne of England; \
there were a king with a large jaw and a queen with a fair face, on the throne of France. \
In both countries it was clearer than crystal to the lords of the State preserves of loaves \
and fishes, that things in general were settled for ever.";

/// A fixed-length window of tokens used as a chain state.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Prefix<T>(Vec<T>);

impl<T: Display> Display for Prefix<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            write!(f, "{t}")?;
        }
        write!(f, "]")
    }
}

/// Counts of values observed after each key.
#[derive(Debug, Clone)]
struct FrequencyTable<K, V>
where
    K: Hash + Eq + Ord + Clone + Display,
    V: Ord + Clone + Display,
{
    table: HashMap<K, BTreeMap<V, usize>>,
}

impl<K, V> FrequencyTable<K, V>
where
    K: Hash + Eq + Ord + Clone + Display,
    V: Ord + Clone + Display,
{
    fn new() -> Self {
        FrequencyTable { table: HashMap::new() }
    }

    fn add(&mut self, key: K, value: V) {
        *self.table.entry(key).or_default().entry(value).or_insert(0) += 1;
    }

    fn len(&self) -> usize {
        self.table.len()
    }

    /// Keys in sorted order so generation is reproducible for a given seed.
    fn sorted_keys(&self) -> Vec<&K> {
        let mut keys: Vec<&K> = self.table.keys().collect();
        keys.sort();
        keys
    }

    /// Weighted random choice among the successors of `key`.
    fn sample<R: Rng + ?Sized>(&self, key: &K, rng: &mut R) -> Option<&V> {
        let options = self.table.get(key)?;
        let total: usize = options.values().sum();
        let mut pick = rng.gen_range(0..total);
        for (value, &count) in options {
            if pick < count {
                return Some(value);
            }
            pick -= count;
        }
        None
    }
}

impl<K, V> Display for FrequencyTable<K, V>
where
    K: Hash + Eq + Ord + Clone + Display,
    V: Ord + Clone + Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for key in self.sorted_keys() {
            let successors = &self.table[key];
            let parts: Vec<String> = successors.iter().map(|(v, n)| format!("{v}:{n}")).collect();
            writeln!(f, "{key} -> {{{}}}", parts.join(", "))?;
        }
        Ok(())
    }
}

/// A Markov chain over any token type.
struct MarkovChain<T>
where
    T: Hash + Eq + Ord + Clone + Display,
{
    order: usize,
    transitions: FrequencyTable<Prefix<T>, T>,
}

impl<T> MarkovChain<T>
where
    T: Hash + Eq + Ord + Clone + Display,
{
    fn build(tokens: &[T], order: usize) -> Self {
        let mut transitions = FrequencyTable::new();
        for window in tokens.windows(order + 1) {
            transitions.add(Prefix(window[..order].to_vec()), window[order].clone());
        }
        MarkovChain { order, transitions }
    }

    fn generate<R: Rng + ?Sized>(&self, rng: &mut R, max_tokens: usize, is_start: impl Fn(&T) -> bool) -> Vec<T> {
        let keys = self.transitions.sorted_keys();
        if keys.is_empty() {
            return Vec::new();
        }
        let starts: Vec<&&Prefix<T>> = keys.iter().filter(|k| k.0.first().map_or(false, &is_start)).collect();
        let start: &Prefix<T> = if starts.is_empty() {
            keys[rng.gen_range(0..keys.len())]
        } else {
            starts[rng.gen_range(0..starts.len())]
        };

        let mut out: Vec<T> = start.0.clone();
        let mut state = start.clone();
        while out.len() < max_tokens {
            let Some(next) = self.transitions.sample(&state, rng) else { break };
            out.push(next.clone());
            state = Prefix(out[out.len() - self.order..].to_vec());
        }
        out
    }
}

impl<T> Display for MarkovChain<T>
where
    T: Hash + Eq + Ord + Clone + Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "MarkovChain(order={}, states={})", self.order, self.transitions.len())?;
        write!(f, "{}", self.transitions)
    }
}

struct Options {
    path: Option<String>,
    order: usize,
    words: usize,
    seed: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options { path: None, order: 2, words: 60, seed: 2024 };
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--order" => opts.order = value("--order")?.parse().map_err(|e| format!("bad order: {e}"))?,
            "--words" => opts.words = value("--words")?.parse().map_err(|e| format!("bad word count: {e}"))?,
            "--seed" => opts.seed = value("--seed")?.parse().map_err(|e| format!("bad seed: {e}"))?,
            _ => opts.path = Some(arg),
        }
    }
    if opts.order == 0 {
        return Err("order must be at least 1".into());
    }
    Ok(opts)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("usage: markov-text [FILE] [--order N] [--words N] [--seed S]");
            std::process::exit(2);
        }
    };
    let text = match &opts.path {
        Some(p) => fs::read_to_string(p).unwrap_or_else(|e| {
            eprintln!("cannot read {p}: {e}; using built-in sample");
            SAMPLE.to_string()
        }),
        None => SAMPLE.to_string(),
    };

    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    if words.len() <= opts.order {
        eprintln!("input too short for order {}", opts.order);
        std::process::exit(1);
    }

    let chain = MarkovChain::build(&words, opts.order);
    println!("Built word chain: {} tokens, order {}, {} states", words.len(), opts.order, chain.transitions.len());

    println!("\nFirst transitions:");
    for line in chain.to_string().lines().skip(1).take(8) {
        println!("  {line}");
    }

    let mut rng = StdRng::seed_from_u64(opts.seed);
    let generated = chain.generate(&mut rng, opts.words, |w: &String| w.chars().next().map_or(false, char::is_uppercase));
    // Trim to the last sentence end if there is one past the halfway point.
    let mut out = generated.join(" ");
    if let Some(pos) = out.rfind(|c| c == '.' || c == ';') {
        if pos > out.len() / 2 {
            out.truncate(pos + 1);
        }
    }
    println!("\nGenerated (seed {}):\n{}", opts.seed, textwrap(&out, 72));

    // The same generic structure works over characters.
    let chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
    let char_chain = MarkovChain::build(&chars, 4);
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let gibberish: String = char_chain.generate(&mut rng, 160, |c: &char| c.is_uppercase()).into_iter().collect();
    println!("\nCharacter-level chain (order 4, {} states):\n{}", char_chain.transitions.len(), textwrap(&gibberish, 72));
}

fn textwrap(s: &str, width: usize) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}
