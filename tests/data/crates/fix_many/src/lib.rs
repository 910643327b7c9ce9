//! Many independent errors of every stage, as a model writes a crate in one go.

pub fn widen(x: u32) -> u64 {
    x
}

pub fn greeting(name: &str) -> String {
    name
}

pub fn count_words(text: &str) -> usize {
    let words = text.split_whitespace().count();
    wrods
}

pub fn index_of(names: &[String], wanted: &str) -> Option<usize> {
    names.iter().position(|n| n == wanted)
}

pub fn tally(items: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for item in items {
        *counts.entry(item.to_string()).or_insert(0) += 1;
    }
    counts
}

pub fn collect_even(limit: u32) -> Vec<u32> {
    let evens = Vec::new();
    for n in 0..limit {
        if n % 2 == 0 {
            evens.push(n);
        }
    }
    evens
}

pub fn shout(name: String) -> String {
    name.to_uppercase()
}

pub fn greet_twice(name: String) -> String {
    let first = shout(name);
    let second = shout(name);
    format!("{first} {second}")
}

pub fn half(total: u64) -> u32 {
    let halved: u32 = total / 2;
    halved
}
