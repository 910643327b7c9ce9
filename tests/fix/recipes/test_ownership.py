"""Ownership recipes on programs other than their worked examples.

Each case is a small crate written into tmp_path and fixed by the real
engine (rustc's suggestions and every recipe, verified with real cargo), so
these show that the edit kinds generalise beyond the shapes in
`kb/recipes/ownership.toml`, and that they win over rustc's own suggestion
where they should.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.fix.engine import FixSettings
from tests.fix.recipes.helpers import check_fix, proposed_titles

CASES = [
    # (case, program, error code, recipe that must win, text expected after the fix)
    (
        "swap",
        """
fn bubble_sort(items: &mut Vec<u64>) {
    for pass in 0..items.len() {
        for j in 0..items.len() - 1 - pass {
            if items[j] > items[j + 1] {
                std::mem::swap(&mut items[j], &mut items[j + 1]);
            }
        }
    }
}

fn main() {
    let mut items = vec![5, 1, 4, 2];
    bubble_sort(&mut items);
    println!("{items:?}");
}
""",
        "E0499",
        "E0499-slice-swap",
        "items.swap(j, j + 1);",
    ),
    (
        "split",
        """
fn smooth(levels: &mut Vec<i32>, at: usize) {
    let current = &mut levels[at];
    let next = &mut levels[at + 1];
    let mean = (*current + *next) / 2;
    *current = mean;
    *next = mean;
}

fn main() {
    let mut levels = vec![4, 8, 3];
    smooth(&mut levels, 0);
    println!("{levels:?}");
}
""",
        "E0499",
        "E0499-split-at-mut",
        "let (left, right) = levels.split_at_mut(at + 1);\n"
        "    let current = &mut left[at];\n    let next = &mut right[0];",
    ),
    (
        "index_loop_shared",
        """
struct Library {
    titles: Vec<String>,
    seen: usize,
}

impl Library {
    fn visit(&mut self, length: usize) {
        self.seen += length;
    }

    fn visit_all(&mut self) {
        for title in &self.titles {
            self.visit(title.len());
        }
    }
}

fn main() {
    let mut library = Library { titles: vec!["Dune".to_string()], seen: 0 };
    library.visit_all();
    println!("{}", library.seen);
}
""",
        "E0502",
        "E0499-index-loop",
        "for i in 0..self.titles.len() {\n            self.visit(self.titles[i].len());",
    ),
    (
        "live_mut",
        """
fn record(events: &mut Vec<&'static str>, what: &'static str) {
    events.push(what);
}

fn main() {
    let mut events = Vec::new();
    let journal = &mut events;
    journal.push("open");
    record(&mut events, "read");
    journal.push("close");
    println!("{events:?}");
}
""",
        "E0499",
        "E0499-use-existing-borrow",
        "record(journal, ",
    ),
    (
        "owned_names",
        """
fn shout_all(text: &str) -> usize {
    let mut loud: Vec<&str> = Vec::new();
    for line in text.lines() {
        let upper = line.trim().to_uppercase();
        loud.push(&upper);
    }
    loud.iter().map(|line| line.len()).sum()
}

fn main() {
    println!("{}", shout_all("hi\\nthere"));
}
""",
        "E0597",
        "E0597-store-owned",
        "let mut loud: Vec<String> = Vec::new();",
    ),
    (
        "mut_param",
        """
struct Stack {
    items: Vec<u8>,
}

fn push_twice(stack: &Stack, value: u8) {
    stack.items.push(value);
    stack.items.push(value);
}

fn main() {
    let mut first = Stack { items: Vec::new() };
    let second = Stack { items: vec![1] };
    push_twice(&first, 7);
    push_twice(&second, 9);
    first.items.push(0);
    println!("{:?} {:?}", first.items, second.items);
}
""",
        "E0596",
        "E0596-mut-ref-param",
        "fn push_twice(stack: &mut Stack, value: u8)",
    ),
    (
        "arc_thread",
        """
use std::sync::Arc;
use std::thread;

fn main() {
    let settings = Arc::new(vec![("depth", 3)]);
    let handle = thread::spawn(|| settings.len());
    let count = handle.join().unwrap();
    println!("{count} {settings:?}");
}
""",
        "E0373",
        "E0373-clone-into-thread",
        "settings_clone.len()",
    ),
    (
        "partial",
        """
#[derive(Debug)]
struct Ticket {
    seat: Option<String>,
    row: u8,
}

fn main() {
    let ticket = Ticket { seat: Some("12A".to_string()), row: 12 };
    let seat = ticket.seat;
    println!("{seat:?} in row {}", ticket.row);
    println!("{ticket:?}");
}
""",
        "E0382",
        "E0382-partial-move-borrow",
        "let seat = &ticket.seat;",
    ),
    (
        "if_let",
        """
struct Editor {
    draft: Option<String>,
}

impl Editor {
    fn draft_or_empty(&self) -> String {
        if let Some(text) = self.draft {
            return text;
        }
        String::new()
    }
}

fn main() {
    let editor = Editor { draft: Some("hello".to_string()) };
    println!("{}", editor.draft_or_empty());
}
""",
        "E0507",
        "E0507-match-borrow-clone",
        "return text.clone();",
    ),
    (
        "deref",
        """
enum Shape {
    Named(String),
    Blank,
}

fn label(shape: &Shape) -> String {
    match *shape {
        Shape::Named(name) => name,
        Shape::Blank => "?".to_string(),
    }
}

fn main() {
    println!("{}", label(&Shape::Named("disc".to_string())));
}
""",
        "E0507",
        "E0507-match-borrow-clone",
        "match shape {",
    ),
    (
        "transfer",
        """
use std::collections::HashMap;

struct Account {
    balance: i64,
}

fn transfer(accounts: &mut HashMap<String, Account>, from: &str, to: &str, amount: i64) {
    let source = accounts.get_mut(from).unwrap();
    let target = accounts.get_mut(to).unwrap();
    if source.balance >= amount {
        source.balance -= amount;
        target.balance += amount;
    }
}

fn main() {
    let mut accounts = HashMap::new();
    accounts.insert("a".to_string(), Account { balance: 5 });
    accounts.insert("b".to_string(), Account { balance: 0 });
    transfer(&mut accounts, "a", "b", 2);
    println!("{}", accounts["b"].balance);
}
""",
        "E0499",
        "E0499-inline-lookup",
        "        source.balance -= amount;\n"
        "        accounts.get_mut(to).unwrap().balance += amount;",
    ),
    (
        "escaping_str",
        """
use std::thread;

fn greet_later(name: &str) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        println!("hello, {name}");
    })
}

fn main() {
    greet_later("Ada").join().unwrap();
}
""",
        "E0521",
        "E0521-owned-into-thread",
        "let name = name.to_owned();",
    ),
    (
        "loop_threads",
        """
use std::thread;

fn shout_each(words: &[String]) {
    let mut handles = Vec::new();
    for word in words {
        handles.push(thread::spawn(move || word.to_uppercase()));
    }
    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
}

fn main() {
    shout_each(&["hi".to_string()]);
}
""",
        "E0521",
        "E0521-loop-variable",
        "let word = word.to_owned();",
    ),
    (
        "find_or_add",
        """
struct Item {
    name: String,
}

struct Shelf {
    items: Vec<Item>,
}

impl Shelf {
    fn find_or_add(&mut self, name: &str) -> &Item {
        if let Some(item) = self.items.iter().find(|i| i.name == name) {
            return item;
        }
        self.items.push(Item { name: name.to_string() });
        self.items.last().unwrap()
    }
}

fn main() {
    let mut shelf = Shelf { items: Vec::new() };
    println!("{}", shelf.find_or_add("jam").name);
}
""",
        "E0502",
        "E0502-lookup-again",
        "if self.items.iter().find(|i| i.name == name).is_some() {\n"
        "            let item = self.items.iter().find(|i| i.name == name).unwrap();",
    ),
    # `.clone()` of a `&str` is still a borrow; verification moves on to `.to_owned()`.
    (
        "labels",
        """
struct Labeller {
    next: u32,
    text: String,
}

impl Labeller {
    fn next_label(&mut self) -> &str {
        self.next += 1;
        self.text = format!("L{}", self.next);
        &self.text
    }
}

fn main() {
    let mut labeller = Labeller { next: 0, text: String::new() };
    let a = labeller.next_label();
    let b = labeller.next_label();
    println!("{a} {b}");
}
""",
        "E0499",
        "E0499-own-first-result",
        "let a = labeller.next_label().to_owned();",
    ),
    (
        "tidy",
        """
fn tidy(names: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    for name in names {
        let trimmed = name.trim().to_lowercase();
        out.push(trimmed.as_str());
    }
    out
}

fn main() {
    println!("{:?}", tidy(&[" Ann ".to_string()]));
}
""",
        "E0515",
        "E0515-owned-items",
        "fn tidy(names: &[String]) -> Vec<String> {",
    ),
    (
        "score_map",
        """
use std::collections::HashMap;

fn main() {
    let scores: HashMap<&str, Vec<u32>> = HashMap::from([("ann", vec![1])]);
    let ann = scores.get("ann").unwrap();
    ann.push(2);
    println!("{scores:?}");
}
""",
        "E0596",
        "E0596-mutable-lookup",
        'let ann = scores.get_mut("ann")',
    ),
    (
        "first_counter",
        """
struct Counter {
    hits: u32,
}

fn main() {
    let counters = vec![Counter { hits: 0 }];
    let first = &counters[0];
    first.hits += 1;
    println!("{}", counters[0].hits);
}
""",
        "E0594",
        "E0594-mutable-lookup",
        "let first = &mut counters[0];",
    ),
    (
        "stack_pop",
        """
struct Cell {
    value: u32,
    below: Option<Box<Cell>>,
}

struct Stack {
    top: Option<Box<Cell>>,
}

impl Stack {
    fn pop(&mut self) -> Option<u32> {
        if let Some(cell) = self.top {
            self.top = cell.below;
            return Some(cell.value);
        }
        None
    }
}

fn main() {
    let mut stack = Stack { top: Some(Box::new(Cell { value: 1, below: None })) };
    println!("{:?}", stack.pop());
}
""",
        "E0507",
        "E0507-match-take",
        "if let Some(cell) = self.top.take() {",
    ),
    (
        "queue",
        """
fn main() {
    let mut queue = vec![3, 1];
    for n in &queue {
        if *n > 2 {
            queue.push(n - 1);
        }
    }
    println!("{queue:?}");
}
""",
        "E0502",
        "E0502-index-loop",
        "queue.push(queue[i] - 1);",
    ),
    (
        "for_each_self",
        """
struct Meter {
    samples: Vec<u32>,
    total: u64,
}

impl Meter {
    fn add(&mut self, sample: u32) {
        self.total += u64::from(sample);
    }

    fn sum_all(&mut self) {
        self.samples.iter().for_each(|s| self.add(*s));
    }
}

fn main() {
    let mut meter = Meter { samples: vec![2, 3], total: 0 };
    meter.sum_all();
    println!("{}", meter.total);
}
""",
        "E0500",
        "E0502-take-field",
        "let samples = std::mem::take(&mut self.samples);\n"
        "        samples.iter().for_each(|s| self.add(*s));\n"
        "        self.samples = samples;",
    ),
    # rustc's `.clone()` cannot compile (no Clone); using the value first can.
    (
        "not_clone",
        """
struct Token {
    id: u32,
}

struct Session {
    token: Token,
}

fn main() {
    let token = Token { id: 7 };
    let session = Session { token };
    println!("token {}", token.id);
    println!("{}", session.token.id);
}
""",
        "E0382",
        "E0382-use-before-move",
        'println!("token {}", token.id);\n    let session = Session { token };',
    ),
    (
        "method_param",
        """
struct Scorer {
    bonus: u32,
}

impl Scorer {
    fn apply(&self, scores: &Vec<u32>) {
        for s in scores.iter_mut() {
            *s += self.bonus;
        }
    }
}

fn main() {
    let scorer = Scorer { bonus: 2 };
    let scores = vec![1, 2];
    scorer.apply(&scores);
    println!("{scores:?}");
}
""",
        "E0596",
        "E0596-mut-ref-param",
        "scorer.apply(&mut scores);",
    ),
    (
        "as_ref",
        """
fn main() {
    let path: Option<String> = std::env::args().nth(1);
    if path.is_some() {
        let chosen = path.unwrap();
        println!("reading {chosen}");
    }
    println!("{path:?}");
}
""",
        "E0382",
        "E0382-option-as-ref",
        "let chosen = path.as_ref().unwrap();",
    ),
]


@pytest.mark.parametrize(
    ("case", "program", "code", "recipe", "expected"), CASES, ids=[c[0] for c in CASES]
)
async def test_ownership_recipe_fixes_other_programs(
    tmp_path: Path, case: str, program: str, code: str, recipe: str, expected: str
) -> None:
    # The recipe's own title, not some other source's edit, made the change.
    await check_fix(
        tmp_path,
        {"src/main.rs": program},
        expected,
        code=code,
        source="kb",
        title=_titles(recipe),
        settings=FixSettings(parallel=2),
    )


def _titles(recipe: str) -> list[str]:
    """Words the titles of a recipe's candidates contain."""
    return {
        "E0499-slice-swap": [".swap("],
        "E0499-split-at-mut": ["split_at_mut"],
        "E0499-index-loop": ["indices"],
        "E0499-use-existing-borrow": ["already borrows"],
        "E0597-store-owned": ["instead of a reference"],
        "E0596-mut-ref-param": ["as `&mut`"],
        "E0373-clone-into-thread": ["owned copy of"],
        "E0382-partial-move-borrow": ["Borrow `"],
        "E0382-option-as-ref": [".as_ref()"],
        "E0507-match-borrow-clone": ["clone what is moved out"],
        "E0499-inline-lookup": ["where used"],
        "E0521-owned-into-thread": ["owned copy of `name`"],
        "E0521-loop-variable": ["owned copy of `word`"],
        "E0502-lookup-again": ["look it up again"],
        "E0499-own-first-result": ["(.to_owned())"],
        "E0515-owned-items": ["Store `trimmed` itself"],
        "E0596-mutable-lookup": ["mutably"],
        "E0507-match-take": ["leaving `None`"],
        "E0502-index-loop": ["indices of `queue`"],
        "E0382-use-before-move": ["before it is moved"],
        "E0502-take-field": ["Take `self.samples` out"],
        "E0594-mutable-lookup": ["mutably"],
    }[recipe]


async def _proposed(tmp_path: Path, program: str, code: str, recipe: str) -> list[str]:
    """Titles that `recipe` proposes for the first `code` error of `program`."""
    (_, titles), *_ = await proposed_titles(tmp_path, {"src/main.rs": program}, code, recipe)
    return titles


#: Recipes whose rewrite would change what the program does in one of two close
#: programs: (id, program with `SLOT`, code, recipe, the line that lets the recipe
#: propose, the line that must make it decline).
GUARDS = [
    (
        # Moving `limit = 9` below the print of `old` keeps both prints as they were,
        # unless something before the borrow's last use reads `limit`.
        "reorder",
        """
fn main() {
    let mut limit = 3;
    let old = &limit;
    limit = 9;
    SLOT
    println!("{}", limit + 0);
}
""",
        "E0506",
        "E0506-assign-after-last-use",
        'println!("{old}");',
        'println!("{old} {limit}");',
    ),
    (
        # `split_at_mut` must know which index is lower: `a + 1` is, a free `b` may not be.
        "split",
        """
fn link(nodes: &mut Vec<u32>, a: usize, b: usize) {
    let from = &mut nodes[a];
    let to = &mut nodes[SLOT];
    *to += *from;
}

fn main() {
    let mut nodes = vec![1, 2];
    link(&mut nodes, 0, 1);
    println!("{nodes:?}");
}
""",
        "E0499",
        "E0499-split-at-mut",
        "a + 1",
        "b",
    ),
    (
        # Another lookup in between: repeating `last_mut()` at the use finds the same
        # element; after a push it would find the new one.
        "lookup",
        """
fn main() {
    let mut stack = vec![1, 2, 3];
    let top = stack.last_mut().unwrap();
    SLOT
    let second = stack.first_mut().unwrap();
    *top += 1;
    *second += 1;
    println!("{stack:?}");
}
""",
        "E0499",
        "E0499-inline-lookup",
        "let _peek = stack.len();",
        "stack.push(4);",
    ),
    (
        # A thread that only reads can work on a copy; one that changes the value must
        # not silently change a copy instead.
        "thread-copy",
        """
use std::thread;

fn main() {
    let mut log = vec![1, 2, 3];
    let worker = thread::spawn(|| {
        SLOT
    });
    worker.join().unwrap();
    log.push(5);
    println!("{log:?}");
}
""",
        "E0373",
        "E0373-clone-into-thread",
        'println!("{}", log.len());',
        "log.push(4);",
    ),
    (
        # An owned copy of the first result is right only if nothing changes it later.
        "owned-result",
        """
struct Names {
    all: Vec<String>,
}

impl Names {
    fn newest(&mut self) -> &mut String {
        self.all.push(String::new());
        self.all.last_mut().unwrap()
    }
}

fn main() {
    let mut names = Names { all: Vec::new() };
    let a = names.newest();
    let b = names.newest();
    SLOT
    println!("{b}");
}
""",
        "E0499",
        "E0499-own-first-result",
        'println!("{a}");',
        "a.push('!');",
    ),
    (
        # Printing the moved value first changes nothing else, but the moving call
        # also changes `wallet`, which the second print reads.
        "use-before-move",
        """
struct Token {
    id: u32,
}

struct Wallet {
    tokens: Vec<Token>,
}

fn main() {
    let mut wallet = Wallet { tokens: Vec::new() };
    let token = Token { id: 7 };
    wallet.tokens.push(token);
    SLOT
}
""",
        "E0382",
        "E0382-use-before-move",
        'println!("{}", token.id);',
        'println!("{} {}", token.id, wallet.tokens.len());',
    ),
    (
        # Declaring `label` before the block computes the same value, unless the
        # block changes what its value reads first.
        "hoist",
        """
fn main() {
    let mut count = 1;
    let shown: &str;
    if count > 0 {
        SLOT
        let label = format!("count {count}");
        shown = &label;
    } else {
        shown = "none";
    }
    println!("{shown} {count}");
}
""",
        "E0597",
        "E0597-hoist-binding",
        "let unrelated = 1;",
        "count += 1;",
    ),
]

GUARD_CASES = [
    pytest.param(program.replace("SLOT", line), code, recipe, proposes, id=f"{name}-{verdict}")
    for name, program, code, recipe, *lines in GUARDS
    for line, proposes, verdict in zip(lines, (True, False), ("proposed", "declined"), strict=True)
]


@pytest.mark.parametrize(("program", "code", "recipe", "proposed"), GUARD_CASES)
async def test_recipe_declines_where_its_rewrite_would_change_behaviour(
    tmp_path: Path, program: str, code: str, recipe: str, proposed: bool
) -> None:
    titles = await _proposed(tmp_path, program, code, recipe)
    assert bool(titles) is proposed, titles
