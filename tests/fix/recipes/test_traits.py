"""Trait recipes on crates other than their worked examples, through the real engine.

Each case is a small crate written into tmp_path and fixed with
`fix_workspace` (rustc's suggestions and every recipe, real cargo): the
expected text must be in the fixed file, and where rustc's own suggestion
would not do, the fix must come from the knowledge base. The last tests show
recipes proposing nothing where they have nothing right to say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix.recipes.helpers import check_fix, proposed_titles

CASES = [
    # id, src/lib.rs, text expected in it after the fix
    (
        "display-placeholder-with-format-spec-becomes-debug",
        """
#[derive(Debug, Clone, Copy)]
pub enum Suit {
    Hearts,
    Spades,
}

pub fn row(suit: Suit, count: u32) -> String {
    format!("{:>8} x{count}", suit)
}
""",
        'format!("{:>8?} x{count}", suit)',
    ),
    (
        "question-mark-in-function-with-early-return",
        """
use std::fs;

pub fn save(path: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    fs::write(path, lines.join("\\n"))?;
}
""",
        [
            "pub fn save(path: &str, lines: &[String]) -> Result<(), Box<dyn std::error::Error>>",
            "        return Ok(());",
            '    fs::write(path, lines.join("\\n"))?;\n    Ok(())\n}',
        ],
    ),
    (
        "question-mark-error-to-string",
        """
use std::fs::File;
use std::io::Read;

pub fn slurp(path: &str) -> Result<String, String> {
    let mut file = File::open(path)?;
    let mut out = String::new();
    file.read_to_string(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
""",
        "let mut file = File::open(path).map_err(|e| e.to_string())?;",
    ),
    (
        "option-question-mark-in-boxed-result",
        """
use std::collections::HashMap;
use std::error::Error;

pub fn port(settings: &HashMap<String, String>) -> Result<u16, Box<dyn Error>> {
    let raw = settings.get("port")?;
    Ok(raw.parse()?)
}
""",
        'let raw = settings.get("port").ok_or("missing value")?;',
    ),
    (
        "float-max-uses-total-cmp",
        """
pub fn hottest(temps: &[f32]) -> Option<f32> {
    temps.iter().copied().max()
}
""",
        "temps.iter().copied().max_by(|a, b| a.total_cmp(b))",
    ),
    (
        "derive-eq-on-float-field-is-dropped",
        """
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub at: u64,
    pub value: f64,
}
""",
        "#[derive(Debug, Clone, PartialEq)]\npub struct Sample",
    ),
    (
        "scalar-multiplication-operator",
        """
#[derive(Debug, Clone, Copy)]
pub struct Vec2 {
    pub x: f32,
    pub y: f32,
}

pub fn scaled(v: Vec2) -> Vec2 {
    v * 2.5
}
""",
        ["impl std::ops::Mul<f32> for Vec2 {", "Vec2 { x: self.x * rhs, y: self.y * rhs }"],
    ),
    (
        "misspelt-trait-method-is-renamed",
        """
pub trait Area {
    fn area(&self) -> f64;
}

pub struct Disk {
    pub r: f64,
}

impl Area for Disk {
    fn aera(&self) -> f64 {
        3.14 * self.r * self.r
    }
}
""",
        "    fn area(&self) -> f64 {\n        3.14",
    ),
    (
        "copy-derived-on-field-type-when-copies-are-used",
        """
#[derive(Debug, Clone)]
pub struct Rgb(pub u8, pub u8, pub u8);

#[derive(Debug, Clone, Copy)]
pub struct Pixel {
    pub at: (u32, u32),
    pub color: Rgb,
}

pub fn twice(p: Pixel) -> (Pixel, Pixel) {
    (p, p)
}
""",
        "#[derive(Debug, Clone, Copy)]\npub struct Rgb",
    ),
    (
        "trait-objects-in-struct-field-are-boxed",
        """
pub trait Shape {
    fn area(&self) -> f64;
}

pub struct Circle {
    pub r: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.r * self.r
    }
}

pub struct Scene {
    shapes: Vec<dyn Shape>,
}

pub fn total(shapes: &[dyn Shape]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

impl Scene {
    pub fn new() -> Scene {
        Scene { shapes: vec![Circle { r: 1.0 }, Circle { r: 2.0 }] }
    }

    pub fn add(&mut self, r: f64) {
        self.shapes.push(Circle { r });
    }

    pub fn area(&self) -> f64 {
        total(&self.shapes)
    }
}
""",
        [
            "    shapes: Vec<Box<dyn Shape>>,",
            "pub fn total(shapes: &[Box<dyn Shape>]) -> f64",
            "vec![Box::new(Circle { r: 1.0 }), Box::new(Circle { r: 2.0 })]",
            "self.shapes.push(Box::new(Circle { r }));",
        ],
    ),
    (
        "default-on-enum-marks-a-unit-variant",
        """
#[derive(Debug)]
pub enum Mode {
    Fast { threads: u8 },
    Safe,
    Off,
}

pub fn start() -> Mode {
    Mode::default()
}
""",
        [
            "#[derive(Debug, Default)]\npub enum Mode {\n    Fast { threads: u8 },\n",
            "    #[default]\n    Safe,\n",
        ],
    ),
    (
        "max-on-struct-merges-ord-with-existing-partial-eq",
        """
#[derive(Debug, PartialEq)]
pub struct Score(pub u32, pub String);

pub fn best(a: Score, b: Score) -> Score {
    a.max(b)
}
""",
        "#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]\npub struct Score",
    ),
    (
        "rc-refcell-shared-with-threads-become-arc-mutex",
        """
use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

pub fn collect_ids() -> Vec<u32> {
    let ids = Arc::new(RefCell::new(Vec::new()));
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let ids = Arc::clone(&ids);
            thread::spawn(move || ids.borrow_mut().push(i))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let out = ids.borrow().clone();
    out
}
""",
        [
            "use std::sync::Mutex;\nuse std::sync::Arc;\n",
            "Arc::new(Mutex::new(Vec::new()))",
            "ids.lock().unwrap().push(i)",
        ],
    ),
    (
        "parse-error-into-io-error-and-widening-sum",
        """
use std::io;

pub fn read_sizes(text: &str) -> io::Result<u64> {
    let mut sizes: Vec<u32> = Vec::new();
    for line in text.lines() {
        sizes.push(line.trim().parse::<u32>()?);
    }
    let total: u64 = sizes.iter().sum();
    Ok(total)
}
""",
        [
            "sizes.push(line.trim().parse::<u32>().map_err(std::io::Error::other)?);",
            "let total: u64 = sizes.iter().map(|&x| x as u64).sum();",
        ],
    ),
    (
        "std-trait-signatures-for-default-and-display",
        """
use std::fmt;

pub struct Counter {
    pub n: u32,
}

impl Default for Counter {
    fn default(&self) -> Self {
        Counter { n: 1 }
    }
}

impl fmt::Display for Counter {
    fn fmt(&self) -> fmt::Result {
        Ok(())
    }
}
""",
        [
            "    fn default() -> Self {\n        Counter { n: 1 }",
            "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {",
        ],
    ),
    (
        "question-mark-in-block-closure-with-boxed-error",
        """
pub fn doubled(rows: &[&str]) -> Result<Vec<u32>, Box<dyn std::error::Error>> {
    let out = rows
        .iter()
        .map(|r| {
            let n: u32 = r.parse()?;
            n * 2
        })
        .collect::<Vec<u32>>();
    Ok(out)
}
""",
        ["            Ok(n * 2)\n", ".collect::<Result<Vec<u32>, Box<dyn std::error::Error>>>()?;"],
    ),
    (
        "float-binary-search-and-keyed-sort",
        """
pub fn rank(mut weights: Vec<f32>, probe: f32) -> usize {
    weights.sort_unstable_by_key(|w| -*w);
    match weights.binary_search(&probe) {
        Ok(i) | Err(i) => i,
    }
}
""",
        [
            "weights.sort_unstable_by(|a, b| (-*a).total_cmp(&(-*b)));",
            "weights.binary_search_by(|p| p.total_cmp(&probe))",
        ],
    ),
    (
        "narrowing-into-in-boxed-error-function",
        """
pub fn slot(index: usize, scale: f64) -> Result<(u16, f32), Box<dyn std::error::Error>> {
    let small: u16 = (index * 2).into();
    let ratio: f32 = scale.into();
    Ok((small, ratio))
}
""",
        ["let small: u16 = (index * 2).try_into()?;", "let ratio: f32 = scale as f32;"],
    ),
    (
        "operator-on-number-struct-also-makes-it-copy",
        """
#[derive(Debug, PartialEq)]
pub struct Meters(pub f64);

pub fn walk(a: Meters, b: Meters) -> (Meters, Meters) {
    let there = a - b;
    (there, a)
}
""",
        [
            "#[derive(Debug, PartialEq, Clone, Copy)]\npub struct Meters(pub f64);",
            "impl std::ops::Sub for Meters {",
            "        Meters(self.0 - rhs.0)\n",
        ],
    ),
    (
        "iterate-over-tuple-struct-collection",
        """
pub struct Inbox(pub Vec<String>);

pub fn subjects(inbox: &Inbox) -> usize {
    let mut n = 0;
    for mail in inbox {
        n += mail.len();
    }
    n
}
""",
        "for mail in &inbox.0 {",
    ),
    (
        "join-items-without-display-uses-debug-form",
        """
#[derive(Debug)]
pub enum Flag {
    Verbose,
    Quiet,
}

pub fn render(flags: Vec<Flag>) -> String {
    flags.join(" ")
}
""",
        'flags.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(" ")',
    ),
    (
        "missing-iterator-items-guess-the-item-type",
        """
pub struct Countdown {
    pub from: u16,
}

impl Iterator for Countdown {}

pub fn total(c: Countdown) -> u16 {
    c.sum()
}
""",
        "impl Iterator for Countdown {\n"
        "    type Item = u16;\n"
        "    fn next(&mut self) -> Option<Self::Item> {\n"
        "        todo!()\n"
        "    }\n"
        "}\n",
    ),
    (
        "impl-of-local-trait-with-type-and-const",
        """
pub trait Encode {
    type Out;
    const TAG: u8;
    fn encode(&self) -> Self::Out;
    fn tag(&self) -> u8 {
        Self::TAG
    }
}

pub enum Shape {
    Dot,
}

pub fn tag_of(s: &Shape) -> u8 {
    s.tag()
}
""",
        "impl Encode for Shape {\n"
        "    type Out = ();\n"
        "    const TAG: u8 = 0;\n"
        "    fn encode(&self) -> Self::Out {\n"
        "        todo!()\n"
        "    }\n"
        "}\n",
    ),
    (
        "supertraits-that-block-dyn-are-dropped",
        """
pub trait Animal: std::fmt::Debug + Clone {
    fn legs(&self) -> u8;
}

pub trait Shape: PartialEq {
    fn sides(&self) -> u8;
}

pub struct Scene {
    pub zoo: Vec<Box<dyn Animal>>,
    pub shapes: Vec<Box<dyn Shape>>,
}
""",
        ["pub trait Animal: std::fmt::Debug {", "pub trait Shape {"],
    ),
    (
        "closures-stored-in-a-vec-are-boxed",
        """
pub fn pipeline(x: i32) -> i32 {
    let mut steps: Vec<dyn Fn(i32) -> i32> = vec![|v| v + 1, |v| v * 2];
    steps.push(|v| v - 3);
    steps.iter().fold(x, |acc, f| f(acc))
}
""",
        [
            "let mut steps: Vec<Box<dyn Fn(i32) -> i32>> = vec![",
            "vec![Box::new(|v| v + 1), Box::new(|v| v * 2)];",
            "steps.push(Box::new(|v| v - 3));",
        ],
    ),
    (
        "boxed-iterator-item-from-the-crates-impl",
        """
pub struct Words {
    pub rest: Vec<String>,
}

impl Iterator for Words {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        self.rest.pop()
    }
}

pub fn words(text: &str) -> Box<dyn Iterator> {
    Box::new(Words { rest: text.split(' ').map(String::from).collect() })
}
""",
        "pub fn words(text: &str) -> Box<dyn Iterator<Item = String>> {",
    ),
]


@pytest.mark.parametrize(
    ("before", "after"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
async def test_trait_recipe_fixes_crate(
    tmp_path: Path, before: str, after: str | list[str]
) -> None:
    await check_fix(tmp_path, before, after)


MULTI_FILE_ORD = {
    "src/lib.rs": """
mod model;

pub use model::{Job, Priority};

pub fn schedule(mut jobs: Vec<Job>) -> Vec<Job> {
    jobs.sort();
    jobs
}
""",
    "src/model.rs": """
#[derive(Debug, Clone)]
pub enum Priority {
    Low,
    High,
}

/// A unit of work.
#[derive(Debug, Clone)]
pub struct Job {
    pub priority: Priority,
    pub id: u32,
}
""",
}


async def test_derive_ord_with_prerequisites_on_nested_type_in_another_file(
    tmp_path: Path,
) -> None:
    await check_fix(
        tmp_path,
        MULTI_FILE_ORD,
        {
            "src/model.rs": [
                "#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]\npub struct Job",
                "#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]\npub enum Priority",
            ]
        },
        kept=["/// A unit of work.\n#[derive("],
    )


async def test_generic_bound_alternatives_with_copy_and_clone(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
pub fn raise_to<T: std::fmt::Debug>(values: &mut [T], floor: T) {
    for v in values.iter_mut() {
        if *v < floor {
            *v = floor;
        }
    }
}
""",
    )
    # rustc's `std::cmp::PartialOrd` written as the prelude name; with `Copy`
    # for the value copied in the loop (borrowck reports that only later).
    assert found == [
        (
            "E0369",
            [
                "Require `T: PartialOrd`",
                "Require `T: PartialOrd + Copy`",
                "Require `T: PartialOrd + Clone`",
            ],
        )
    ]


async def test_missing_items_of_std_display_and_local_trait(tmp_path: Path) -> None:
    fixed = await check_fix(
        tmp_path,
        {
            "src/lib.rs": """
use std::fmt;

pub trait Codec {
    type Output;
    const NAME: &'static str;
    fn encode(&self, input: &[u8]) -> Vec<u8>;
    fn describe(&self) -> String {
        Self::NAME.to_string()
    }
}

pub struct Rot13;

impl Codec for Rot13 {}

impl fmt::Display for Rot13 {}
"""
        },
        [
            '    type Output = ();\n    const NAME: &\'static str = "";\n',
            "    fn encode(&self, input: &[u8]) -> Vec<u8> {\n        todo!()\n    }",
            "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n"
            "        todo!()\n    }",
        ],
    )
    text = fixed["src/lib.rs"]
    assert "fn describe(&self) -> String {\n        todo!()" not in text


async def test_helper_moves_into_existing_inherent_impl(tmp_path: Path) -> None:
    fixed = await check_fix(
        tmp_path,
        {
            "src/lib.rs": """
pub trait Greet {
    fn greet(&self) -> String;
}

pub struct Bot {
    pub name: String,
}

impl Bot {
    pub fn new(name: &str) -> Bot {
        Bot { name: name.to_string() }
    }
}

impl Greet for Bot {
    fn greet(&self) -> String {
        self.shout()
    }

    fn shout(&self) -> String {
        self.name.to_uppercase()
    }
}
"""
        },
        [
            "    }\n    fn shout(&self) -> String {\n        self.name.to_uppercase()\n    }\n}",
            "impl Greet for Bot {\n    fn greet(&self) -> String {\n        self.shout()\n    }\n}",
        ],
    )
    text = fixed["src/lib.rs"]
    assert text.count("impl Bot {") == 1


@pytest.mark.parametrize(
    ("loop_head", "expected"),
    [("for c in word {", "for c in word.chars() {"), ("for i in n {", "for i in 0..n {")],
)
async def test_not_an_iterator(tmp_path: Path, loop_head: str, expected: str) -> None:
    await check_fix(
        tmp_path,
        {
            "src/lib.rs": f"""
pub fn count(word: String, n: usize) -> usize {{
    let mut total = 0;
    {loop_head}
        total += 1;
    }}
    total
}}
"""
        },
        {"src/lib.rs": expected},
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "let words = text.split(',').collect::<Vec<String>>();",
            "text.split(',').map(String::from).collect::<Vec<String>>()",
        ),
        (
            "let words: Vec<u64> = sizes.iter().filter(|s| **s > 0).collect();",
            "sizes.iter().filter(|s| **s > 0).copied().collect()",
        ),
    ],
)
async def test_collect_owned_values(tmp_path: Path, line: str, expected: str) -> None:
    await check_fix(
        tmp_path,
        {
            "src/lib.rs": f"""
pub fn parts(text: &str, sizes: &[u64]) -> usize {{
    {line}
    words.len()
}}
"""
        },
        {"src/lib.rs": expected},
    )


async def test_no_derive_proposed_for_foreign_type(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
#[derive(Clone)]
pub struct Log {
    pub file: std::fs::File,
}
""",
    )
    assert found == [("E0277", [])]


async def test_no_operator_impl_for_non_numeric_struct(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
pub struct Name {
    pub first: String,
}

pub fn join(a: Name, b: Name) -> Name {
    a + b
}
""",
    )
    assert found == [("E0369", [])]


async def test_hash_map_key_bound_asks_for_eq_and_hash_at_once(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
use std::collections::HashMap;

pub fn tally<K>(keys: Vec<K>) -> HashMap<K, usize> {
    let mut counts = HashMap::new();
    for k in keys {
        *counts.entry(k).or_insert(0) += 1;
    }
    counts
}
""",
    )
    assert [code for code, _ in found] == ["E0277", "E0277"]
    for _, titles in found:
        assert titles == ["Require `K: Eq + std::hash::Hash`"]


async def test_method_bound_from_notes_goes_to_impl_generics(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
pub struct Labeled<T: Clone> {
    pub value: T,
}

impl<T: Clone> Labeled<T> {
    pub fn label(&self) -> String {
        self.value.clone().to_string()
    }
}
""",
    )
    assert found == [("E0599", ["Require `T: std::fmt::Display`"])]


async def test_bound_for_a_method_of_a_generic_wrapper(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
pub struct Pair<T> {
    pub a: T,
    pub b: T,
}

impl<T: PartialOrd> Pair<T> {
    pub fn larger(&self) -> &T {
        if self.a > self.b { &self.a } else { &self.b }
    }
}

pub fn report<T: std::fmt::Debug>(p: &Pair<T>) -> String {
    format!("{:?}", p.larger())
}
""",
    )
    assert found == [("E0599", ["Require `T: PartialOrd`"])]


async def test_error_trait_for_struct_error_with_its_own_display(tmp_path: Path) -> None:
    fixed = await check_fix(
        tmp_path,
        {
            "src/lib.rs": """
use std::fmt;

pub struct ParseFailure {
    pub line: usize,
}

impl fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "bad line {}", self.line)
    }
}

fn check(line: usize) -> Result<(), ParseFailure> {
    if line == 0 { Err(ParseFailure { line }) } else { Ok(()) }
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    check(1)?;
    Ok(())
}
"""
        },
        [
            "#[derive(Debug)]\npub struct ParseFailure",
            "}\n\nimpl std::error::Error for ParseFailure {}\n",
        ],
    )
    text = fixed["src/lib.rs"]
    assert text.count("Display for ParseFailure") == 1


async def test_question_mark_on_option_in_main(tmp_path: Path) -> None:
    await check_fix(
        tmp_path,
        {
            "src/main.rs": """
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1)?;
    let size: usize = name.len().to_string().parse()?;
    println!("{name} {size}")
}
"""
        },
        "fn main() -> Result<(), Box<dyn std::error::Error>> {\n"
        "    let args: Vec<String> = std::env::args().collect();\n"
        '    let name = args.get(1).ok_or("missing value")?;\n'
        "    let size: usize = name.len().to_string().parse()?;\n"
        '    println!("{name} {size}");\n'
        "    Ok(())\n"
        "}\n",
        whole=True,
    )


async def test_nested_derive_skips_hand_written_impls(tmp_path: Path) -> None:
    source = """
#[derive(Debug)]
pub struct Token {
    pub secret: String,
}

impl Clone for Token {
    fn clone(&self) -> Self {
        Token { secret: String::new() }
    }
}

#[derive(Debug)]
pub struct Badge(pub u8);

#[derive(Debug)]
pub struct Session {
    pub token: Token,
    pub badge: Badge,
}

fn dup<T: Clone>(t: &T) -> T {
    t.clone()
}

pub fn fork(s: &Session) -> Session {
    dup(s)
}
"""
    found = await proposed_titles(tmp_path, source)
    assert found == [
        ("E0277", ["Add `#[derive(Clone)]` to `Session` and its field types"]),
    ]
    await check_fix(
        tmp_path,
        source,
        [
            "#[derive(Debug, Clone)]\npub struct Session",
            "#[derive(Debug, Clone)]\npub struct Badge",
        ],
        kept=["#[derive(Debug)]\npub struct Token"],
    )


async def test_vec_of_local_type_printed_with_braces(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
pub struct Point {
    pub x: i32,
}

pub fn show(points: Vec<Point>) -> String {
    format!("{}", points)
}
""",
    )
    # Debug on `Point` makes `{:?}` work; a `Display` for `Point` would not help.
    assert found == [("E0277", ["Print `Vec<Point>` with its Debug form (`{:?}`)"])]


async def test_display_impl_between_adjacent_items_keeps_blank_lines(tmp_path: Path) -> None:
    await check_fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug)]
pub struct Id(pub u64);
pub fn banner(id: Id) -> String {
    format!("{id} / {id}")
}
"""
        },
        "#[derive(Debug)]\n"
        "pub struct Id(pub u64);\n"
        "\n"
        "impl std::fmt::Display for Id {\n"
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n"
        '        write!(f, "{:?}", self)\n'
        "    }\n"
        "}\n"
        "\n"
        "pub fn banner(id: Id) -> String {\n"
        '    format!("{id} / {id}")\n'
        "}\n",
        whole=True,
    )


async def test_no_second_impl_for_a_trait_out_of_scope(tmp_path: Path) -> None:
    found = await proposed_titles(
        tmp_path,
        """
mod shapes {
    pub trait Area {
        fn area(&self) -> f64;
    }

    pub struct Square(pub f64);

    impl Area for Square {
        fn area(&self) -> f64 {
            self.0 * self.0
        }
    }
}

pub fn size() -> f64 {
    shapes::Square(2.0).area()
}
""",
    )
    assert [code for code, _ in found] == ["E0599"]
    assert not [t for t in found[0][1] if t.startswith("Implement `Area`")], found
