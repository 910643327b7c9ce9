//! anagram-groups: group words into anagram classes and print the largest
//! groups. The index keeps its statistics in its own fields and refreshes
//! them by walking its own entries.
//!
//! Usage: anagram-groups [WORD_FILE] [TOP_N]

use std::collections::{BTreeSet, HashMap};
use std::env;
use std::fs;

const SAMPLE: &str = "
listen silent enlist tinsel inlets google banana
stop pots tops opts post spot
evil vile live veil levi
angel glean angle angle
rat tar art
state taste teats
dusty study
night thing
below elbow bowel
cider cried dicer riced
apple
heart earth hater rathe
the eht
race care acre
dormitory dirtyroom
Listen Silent
a
";

#[derive(Debug, Default)]
struct AnagramIndex {
    groups: HashMap<String, BTreeSet<String>>,
    // statistics, refreshed by `refresh_stats`
    words_seen: usize,
    duplicates: usize,
    rejected: usize,
    unique_words: usize,
    singleton_groups: usize,
    multi_groups: usize,
    largest_group: usize,
    longest_anagram_len: usize,
    size_histogram: Vec<usize>,
}

fn signature(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    chars.sort_unstable();
    chars.into_iter().collect()
}

impl AnagramIndex {
    fn add_text(&mut self, text: &str) {
        for raw in text.split(|c: char| !c.is_alphabetic() && c != '\'') {
            let word: String = raw.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
            if raw.is_empty() {
                continue;
            }
            self.words_seen += 1;
            if word.chars().count() < 2 {
                self.rejected += 1;
                continue;
            }
            let inserted = self.groups.entry(signature(&word)).or_default().insert(word);
            if !inserted {
                self.duplicates += 1;
            }
        }
        self.refresh_stats();
    }

    /// Recompute the derived statistics from the stored groups.
    fn refresh_stats(&mut self) {
        self.unique_words = 0;
        self.singleton_groups = 0;
        self.multi_groups = 0;
        self.largest_group = 0;
        self.longest_anagram_len = 0;
        self.size_histogram.clear();
        for (sig, words) in &self.groups {
            let n = words.len();
            self.unique_words += n;
            if n == 1 {
                self.singleton_groups += 1;
            } else {
                self.multi_groups += 1;
                self.longest_anagram_len = self.longest_anagram_len.max(sig.chars().count());
            }
            self.largest_group = self.largest_group.max(n);
            if self.size_histogram.len() <= n {
                self.size_histogram.resize(n + 1, 0);
            }
            self.size_histogram[n] += 1;
        }
    }

    /// Anagram classes (2+ words), largest first, ties by signature length then alphabetically.
    fn top_groups(&self, n: usize) -> Vec<(&String, &BTreeSet<String>)> {
        let mut groups: Vec<_> = self.groups.iter().filter(|(_, w)| w.len() > 1).collect();
        groups.sort_by(|a, b| {
            b.1.len()
                .cmp(&a.1.len())
                .then(b.0.len().cmp(&a.0.len()))
                .then(a.1.iter().next().cmp(&b.1.iter().next()))
        });
        groups.truncate(n);
        groups
    }

    fn anagrams_of(&self, word: &str) -> Vec<&str> {
        let w = word.to_lowercase();
        self.groups
            .get(&signature(&w))
            .map(|set| set.iter().filter(|x| **x != w).map(String::as_str).collect())
            .unwrap_or_default()
    }
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let text = match args.first() {
        Some(path) => fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}; using sample words");
            SAMPLE.to_string()
        }),
        None => SAMPLE.to_string(),
    };
    let top_n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);

    let mut index = AnagramIndex::default();
    index.add_text(&text);

    println!("Top {} anagram groups:", top_n);
    for (rank, (sig, words)) in index.top_groups(top_n).into_iter().enumerate() {
        let list: Vec<&str> = words.iter().map(String::as_str).collect();
        println!("{:>3}. [{}] {:<9} {}", rank + 1, words.len(), sig, list.join(", "));
    }

    println!("\nStatistics:");
    println!("  words read:          {}", index.words_seen);
    println!("  duplicates ignored:  {}", index.duplicates);
    println!("  too short:           {}", index.rejected);
    println!("  unique words:        {}", index.unique_words);
    println!("  anagram classes:     {}", index.multi_groups);
    println!("  words with no pair:  {}", index.singleton_groups);
    println!("  largest class:       {}", index.largest_group);
    println!("  longest anagram:     {} letters", index.longest_anagram_len);
    println!("  class size histogram:");
    for (size, count) in index.size_histogram.iter().enumerate().filter(|(_, c)| **c > 0) {
        println!("    {size:>2} word(s): {count} class(es) {}", "*".repeat((*count).min(40)));
    }

    for probe in ["Silent", "earth", "apple", "zebra"] {
        let found = index.anagrams_of(probe);
        if found.is_empty() {
            println!("\nno anagrams of '{probe}'");
        } else {
            println!("\nanagrams of '{probe}': {}", found.join(", "));
        }
    }
}
