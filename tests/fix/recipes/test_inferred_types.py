"""Type annotations read from later uses (E0282/E0283/E0284), through the real engine.

Each case fails because a use needs the type before the line that would have
told rustc; `rustcoder fix` must write the type the program itself states
elsewhere (a push, a parameter, a field, the return type, a call site), not
one guessed from a list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix.recipes.helpers import check_fix, check_no_fix

RECIPES = {"E0282-annotate-from-uses", "E0284-parse-from-target"}

CASES = [
    # id, src/lib.rs, text expected in the fixed file
    (
        "vec-element-from-tuple-push",
        """
pub fn dedup(lines: &[&str]) -> usize {
    let mut pending = Vec::new();
    for (id, line) in lines.iter().enumerate() {
        if pending.iter().any(|p| p.1 == *line) {
            continue;
        }
        pending.push((id, line.to_string()));
    }
    pending.len()
}
""",
        "let mut pending: Vec<(usize, String)> = Vec::new();",
    ),
    (
        "map-value-from-entry-add-assign",
        """
use std::collections::HashMap;

pub struct Sale {
    pub region: String,
    pub cents: u64,
}

pub fn regions(sales: &[Sale]) -> usize {
    let mut totals = HashMap::new();
    for sale in sales {
        *totals.entry(sale.region.clone()).or_default() += sale.cents;
    }
    totals.len()
}
""",
        "let mut totals: HashMap<String, u64> = HashMap::new();",
    ),
    (
        "parse-returned-through-if",
        """
pub fn port(text: &str) -> u16 {
    let port = text.trim().parse().unwrap();
    if port.is_power_of_two() {
        port + 1
    } else {
        port
    }
}
""",
        "parse::<u16>()",
    ),
    (
        "parse-passed-to-parameter",
        """
pub struct Stock {
    pub units: u32,
}

impl Stock {
    pub fn restock(&mut self, n: u32) {
        self.units += n;
    }
}

pub fn apply(stock: &mut Stock, line: &str) {
    let qty = line.split(' ').nth(1).unwrap_or("0").parse().unwrap();
    if qty.is_power_of_two() {
        println!("round number");
    }
    stock.restock(qty);
}
""",
        "parse::<u32>()",
    ),
    (
        "parse-into-struct-field",
        """
pub struct Item {
    pub name: String,
    pub price: f64,
}

pub fn item(name: &str, text: &str) -> Option<Item> {
    let price = text.parse().ok()?;
    if price.is_nan() {
        return None;
    }
    Some(Item { name: name.to_string(), price })
}
""",
        "let price: f64",
    ),
    (
        "closure-parameter-from-call",
        """
pub struct Task {
    pub weight: u32,
}

pub fn load(tasks: &[Task]) -> u32 {
    let score = |t| t.weight * 2;
    let mut total = 0;
    for task in tasks {
        total += score(task);
    }
    total
}
""",
        "|t: &Task|",
    ),
    (
        "closure-parameter-from-another-closures-parameter",
        """
#[derive(Clone)]
pub struct Order {
    pub id: u64,
    pub amount: f64,
}

pub fn ranked(orders: &[Order]) -> Vec<u64> {
    let key = |o| o.amount;
    let mut sorted: Vec<Order> = orders.to_vec();
    sorted.sort_by(|a, b| key(b).partial_cmp(&key(a)).unwrap());
    sorted.iter().map(|o| o.id).collect()
}
""",
        "|o: &Order|",
    ),
    (
        "parse-in-sum-chain",
        """
pub fn total(line: &str) -> u64 {
    let sum: u64 = line.split(',').map(|p| p.trim().parse().unwrap()).sum();
    sum
}
""",
        "parse::<u64>()",
    ),
]


@pytest.mark.parametrize(("before", "after"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_type_from_later_uses(tmp_path: Path, before: str, after: str) -> None:
    await check_fix(tmp_path, before, after, source="kb")


NO_FIX = [
    (
        # Only printed: nothing in the program says which type, so no guess is offered.
        "only-printed",
        """
pub fn echo(text: &str) {
    let value = text.parse().unwrap();
    println!("{}", value);
}
""",
        "E0284",
    ),
    (
        # Compared with an integer literal: any integer type would do.
        "compared-with-literal",
        """
pub fn big(text: &str) -> bool {
    let n = text.parse().unwrap();
    if n.is_power_of_two() {
        return n > 100;
    }
    false
}
""",
        "E0282",
    ),
]


@pytest.mark.parametrize(("before", "code"), [c[1:] for c in NO_FIX], ids=[c[0] for c in NO_FIX])
async def test_no_type_when_the_uses_do_not_say(tmp_path: Path, before: str, code: str) -> None:
    await check_no_fix(tmp_path, before, code, RECIPES)
