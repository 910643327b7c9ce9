//! A small inventory with four mistakes rustc can help with.
//! `rustcoder check examples/broken-inventory` shows each with its quick fixes.

use std::fmt::Write;

pub struct Item {
    pub name: String,
    pub count: u32,
}

pub fn describe(label: &str, count: u32) -> String {
    format!("{label}: {count}")
}

pub fn report(items: &[Item]) -> String {
    let mut lines = Vec::new();
    for item in items {
        lines.push(describe(item.name.clone(), item.count));
    }
    lines.join("\n")
}

pub fn index(items: &[Item]) -> HashMap<String, u32> {
    let mut by_name = HashMap::new();
    for item in items {
        by_name.insert(item.name.clone(), item.count);
    }
    by_name
}

pub fn total(items: &[Item]) -> u32 {
    let total_count: u32 = items.iter().map(|i| i.count).sum();
    total_cout
}
