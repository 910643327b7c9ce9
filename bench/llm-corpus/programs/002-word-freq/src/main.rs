use std::collections::HashMap;
use std::env;
use std::fs;
use std::process;

const SAMPLE: &str = "It was the best of times, it was the worst of times, it was the age of wisdom, \
it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, \
it was the season of Light, it was the season of Darkness, it was the spring of hope, \
it was the winter of despair, we had everything before us, we had nothing before us, \
we were all going direct to Heaven, we were all going direct the other way.";

fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn count_words(words: &[String]) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in words {
        *counts.entry(w.as_str()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let text = if let Some(path) = args.get(1) {
        match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("Error reading '{}': {}", path, e);
                process::exit(1);
            }
        }
    } else {
        eprintln!("No file given; using built-in sample text.\n");
        SAMPLE.to_string()
    };

    let words = tokenize(&text);
    let counts = count_words(&words);

    let mut sorted: Vec<(&str, usize)> = counts.iter().map(|(w, c)| (*w, *c)).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));

    println!("Top {} words:", sorted.len().min(20));
    println!("{:<5} {:<20} {:>8} {:>8}", "Rank", "Word", "Count", "Share");
    let total = words.len();
    for (i, (word, count)) in sorted.iter().take(20).enumerate() {
        let share = if total > 0 { *count as f64 * 100.0 / total as f64 } else { 0.0 };
        println!("{:<5} {:<20} {:>8} {:>7.2}%", i + 1, word, count, share);
    }
    println!();
    println!("Total words:  {}", total);
    println!("Unique words: {}", counts.len());
}
