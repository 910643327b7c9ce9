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

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.candidate import FixContext
from rustcoder.fix.compare import is_error
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.fix_command import FixReport, fix_workspace
from rustcoder.fix.recipe_source import RecipeSource

MANIFEST = '[package]\nname = "traits_case"\nversion = "0.1.0"\nedition = "2021"\n'


def write_crate(root: Path, files: dict[str, str]) -> CargoWorkspace:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(MANIFEST)
    for name, text in files.items():
        (root / name).write_text(text.lstrip("\n"))
    return CargoWorkspace(root=root, manifest=root / "Cargo.toml")


async def fix(tmp_path: Path, files: dict[str, str]) -> tuple[FixReport, dict[str, str]]:
    workspace = write_crate(tmp_path / "crate", files)
    report = await fix_workspace(workspace)
    texts = {
        name: report.changed.get(workspace.root / name, ("", (workspace.root / name).read_text()))[
            1
        ]
        for name in files
    }
    return report, texts


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
    report, texts = await fix(tmp_path, MULTI_FILE_ORD)
    assert report.errors_after == 0, report.unfixed
    assert report.applied[0].source == "kb", report.applied
    model = texts["src/model.rs"]
    # Merged into the existing derives, on the field's type too.
    assert "#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]\npub struct Job" in model
    assert "#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]\npub enum Priority" in model
    assert "/// A unit of work.\n#[derive(" in model


async def test_display_placeholder_with_format_spec_becomes_debug(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug, Clone, Copy)]
pub enum Suit {
    Hearts,
    Spades,
}

pub fn row(suit: Suit, count: u32) -> String {
    format!("{:>8} x{count}", suit)
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert 'format!("{:>8?} x{count}", suit)' in texts["src/lib.rs"]


async def test_question_mark_in_function_with_early_return(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
use std::fs;

pub fn save(path: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    fs::write(path, lines.join("\\n"))?;
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert (
        "pub fn save(path: &str, lines: &[String]) -> Result<(), Box<dyn std::error::Error>>"
        in text
    )
    assert "        return Ok(());" in text
    assert '    fs::write(path, lines.join("\\n"))?;\n    Ok(())\n}' in text


async def test_question_mark_error_to_string(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
use std::fs::File;
use std::io::Read;

pub fn slurp(path: &str) -> Result<String, String> {
    let mut file = File::open(path)?;
    let mut out = String::new();
    file.read_to_string(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "let mut file = File::open(path).map_err(|e| e.to_string())?;" in texts["src/lib.rs"]


async def test_option_question_mark_in_boxed_result(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
use std::collections::HashMap;
use std::error::Error;

pub fn port(settings: &HashMap<String, String>) -> Result<u16, Box<dyn Error>> {
    let raw = settings.get("port")?;
    Ok(raw.parse()?)
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert 'let raw = settings.get("port").ok_or("missing value")?;' in texts["src/lib.rs"]


async def test_float_max_uses_total_cmp(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
pub fn hottest(temps: &[f32]) -> Option<f32> {
    temps.iter().copied().max()
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "temps.iter().copied().max_by(|a, b| a.total_cmp(b))" in texts["src/lib.rs"]


async def test_derive_eq_on_float_field_is_dropped(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub at: u64,
    pub value: f64,
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "#[derive(Debug, Clone, PartialEq)]\npub struct Sample" in texts["src/lib.rs"]


async def test_generic_bound_alternatives_with_copy_and_clone(tmp_path: Path) -> None:
    found = await kb_candidates(
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


async def test_scalar_multiplication_operator(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug, Clone, Copy)]
pub struct Vec2 {
    pub x: f32,
    pub y: f32,
}

pub fn scaled(v: Vec2) -> Vec2 {
    v * 2.5
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "impl std::ops::Mul<f32> for Vec2 {" in text
    assert "Vec2 { x: self.x * rhs, y: self.y * rhs }" in text


async def test_missing_items_of_std_display_and_local_trait(tmp_path: Path) -> None:
    report, texts = await fix(
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
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert '    type Output = ();\n    const NAME: &\'static str = "";\n' in text
    assert "    fn encode(&self, input: &[u8]) -> Vec<u8> {\n        todo!()\n    }" in text
    assert "fn describe(&self) -> String {\n        todo!()" not in text
    assert (
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n"
        "        todo!()\n    }"
    ) in text


async def test_misspelt_trait_method_is_renamed(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "    fn area(&self) -> f64 {\n        3.14" in texts["src/lib.rs"]


async def test_helper_moves_into_existing_inherent_impl(tmp_path: Path) -> None:
    report, texts = await fix(
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
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert text.count("impl Bot {") == 1
    assert (
        "    }\n    fn shout(&self) -> String {\n        self.name.to_uppercase()\n    }\n}" in text
    )
    assert (
        "impl Greet for Bot {\n    fn greet(&self) -> String {\n        self.shout()\n    }\n}"
        in text
    )


async def test_copy_derived_on_field_type_when_copies_are_used(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "#[derive(Debug, Clone, Copy)]\npub struct Rgb" in texts["src/lib.rs"]


@pytest.mark.parametrize(
    ("loop_head", "expected"),
    [("for c in word {", "for c in word.chars() {"), ("for i in n {", "for i in 0..n {")],
)
async def test_not_an_iterator(tmp_path: Path, loop_head: str, expected: str) -> None:
    report, texts = await fix(
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
    )
    assert report.errors_after == 0, report.unfixed
    assert expected in texts["src/lib.rs"]


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
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": f"""
pub fn parts(text: &str, sizes: &[u64]) -> usize {{
    {line}
    words.len()
}}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert expected in texts["src/lib.rs"]


async def test_trait_objects_in_struct_field_are_boxed(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "    shapes: Vec<Box<dyn Shape>>," in text
    assert "pub fn total(shapes: &[Box<dyn Shape>]) -> f64" in text
    assert "vec![Box::new(Circle { r: 1.0 }), Box::new(Circle { r: 2.0 })]" in text
    assert "self.shapes.push(Box::new(Circle { r }));" in text


async def test_default_on_enum_marks_a_unit_variant(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug)]
pub enum Mode {
    Fast { threads: u8 },
    Safe,
    Off,
}

pub fn start() -> Mode {
    Mode::default()
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert (
        "#[derive(Debug, Default)]\npub enum Mode {\n    Fast { threads: u8 },\n"
        in (texts["src/lib.rs"])
    )
    assert "    #[default]\n    Safe,\n" in texts["src/lib.rs"]


async def test_max_on_struct_merges_ord_with_existing_partial_eq(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug, PartialEq)]
pub struct Score(pub u32, pub String);

pub fn best(a: Score, b: Score) -> Score {
    a.max(b)
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    # rustc's own suggestion repeats `PartialEq` and does not compile.
    assert report.applied[0].source == "kb", report.applied
    assert (
        "#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]\npub struct Score"
        in (texts["src/lib.rs"])
    )


async def test_rc_refcell_shared_with_threads_become_arc_mutex(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "use std::sync::Mutex;\nuse std::sync::Arc;\n" in text
    assert "Arc::new(Mutex::new(Vec::new()))" in text
    assert "ids.lock().unwrap().push(i)" in text


async def kb_candidates(tmp_path: Path, source: str) -> list[tuple[str | None, list[str]]]:
    """(code, candidate titles) of the recipes for every error of a crate."""
    workspace = write_crate(tmp_path / "crate", {"src/lib.rs": source})
    engine = FixEngine(workspace, settings=FixSettings(parallel=1), sources=[])
    outcome = await engine.check_base()
    errors = [d for d in outcome.diagnostics if is_error(d)]
    assert errors
    result = []
    for diagnostic in errors:
        ctx = FixContext(workspace.root, diagnostic, engine.read_text, errors)
        result.append((diagnostic.code, [c.title for c in RecipeSource().candidates(ctx)]))
    return result


async def test_no_derive_proposed_for_foreign_type(tmp_path: Path) -> None:
    found = await kb_candidates(
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
    found = await kb_candidates(
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
    found = await kb_candidates(
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
    found = await kb_candidates(
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
    found = await kb_candidates(
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


async def test_parse_error_into_io_error_and_widening_sum(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
use std::io;

pub fn read_sizes(text: &str) -> io::Result<u64> {
    let mut sizes: Vec<u32> = Vec::new();
    for line in text.lines() {
        sizes.push(line.trim().parse::<u32>()?);
    }
    let total: u64 = sizes.iter().sum();
    Ok(total)
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "sizes.push(line.trim().parse::<u32>().map_err(std::io::Error::other)?);" in text
    assert "let total: u64 = sizes.iter().map(|&x| x as u64).sum();" in text


async def test_error_trait_for_struct_error_with_its_own_display(tmp_path: Path) -> None:
    report, texts = await fix(
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
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "#[derive(Debug)]\npub struct ParseFailure" in text
    assert "}\n\nimpl std::error::Error for ParseFailure {}\n" in text
    assert text.count("Display for ParseFailure") == 1


async def test_question_mark_on_option_in_main(tmp_path: Path) -> None:
    report, texts = await fix(
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
    )
    assert report.errors_after == 0, report.unfixed
    assert texts["src/main.rs"] == (
        "fn main() -> Result<(), Box<dyn std::error::Error>> {\n"
        "    let args: Vec<String> = std::env::args().collect();\n"
        '    let name = args.get(1).ok_or("missing value")?;\n'
        "    let size: usize = name.len().to_string().parse()?;\n"
        '    println!("{name} {size}");\n'
        "    Ok(())\n"
        "}\n"
    )


async def test_std_trait_signatures_for_default_and_display(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "    fn default() -> Self {\n        Counter { n: 1 }" in text
    assert "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {" in text


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
    found = await kb_candidates(tmp_path, source)
    assert found == [
        ("E0277", ["Add `#[derive(Clone)]` to `Session` and its field types"]),
    ]
    report, texts = await fix(tmp_path / "fix", {"src/lib.rs": source})
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "#[derive(Debug, Clone)]\npub struct Session" in text
    assert "#[derive(Debug, Clone)]\npub struct Badge" in text
    assert "#[derive(Debug)]\npub struct Token" in text


async def test_question_mark_in_block_closure_with_boxed_error(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "            Ok(n * 2)\n" in text
    assert ".collect::<Result<Vec<u32>, Box<dyn std::error::Error>>>()?;" in text


async def test_vec_of_local_type_printed_with_braces(tmp_path: Path) -> None:
    found = await kb_candidates(
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


async def test_float_binary_search_and_keyed_sort(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
pub fn rank(mut weights: Vec<f32>, probe: f32) -> usize {
    weights.sort_unstable_by_key(|w| -*w);
    match weights.binary_search(&probe) {
        Ok(i) | Err(i) => i,
    }
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "weights.sort_unstable_by(|a, b| (-*a).total_cmp(&(-*b)));" in text
    assert "weights.binary_search_by(|p| p.total_cmp(&probe))" in text


async def test_narrowing_into_in_boxed_error_function(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
pub fn slot(index: usize, scale: f64) -> Result<(u16, f32), Box<dyn std::error::Error>> {
    let small: u16 = (index * 2).into();
    let ratio: f32 = scale.into();
    Ok((small, ratio))
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "let small: u16 = (index * 2).try_into()?;" in text
    assert "let ratio: f32 = scale as f32;" in text


async def test_operator_on_number_struct_also_makes_it_copy(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug, PartialEq)]
pub struct Meters(pub f64);

pub fn walk(a: Meters, b: Meters) -> (Meters, Meters) {
    let there = a - b;
    (there, a)
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "#[derive(Debug, PartialEq, Clone, Copy)]\npub struct Meters(pub f64);" in text
    assert "impl std::ops::Sub for Meters {" in text
    assert "        Meters(self.0 - rhs.0)\n" in text


async def test_iterate_over_tuple_struct_collection(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
pub struct Inbox(pub Vec<String>);

pub fn subjects(inbox: &Inbox) -> usize {
    let mut n = 0;
    for mail in inbox {
        n += mail.len();
    }
    n
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "for mail in &inbox.0 {" in texts["src/lib.rs"]


async def test_join_items_without_display_uses_debug_form(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
#[derive(Debug)]
pub enum Flag {
    Verbose,
    Quiet,
}

pub fn render(flags: Vec<Flag>) -> String {
    flags.join(" ")
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert (
        'flags.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(" ")'
        in texts["src/lib.rs"]
    )


async def test_missing_iterator_items_guess_the_item_type(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
pub struct Countdown {
    pub from: u16,
}

impl Iterator for Countdown {}

pub fn total(c: Countdown) -> u16 {
    c.sum()
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert (
        "impl Iterator for Countdown {\n"
        "    type Item = u16;\n"
        "    fn next(&mut self) -> Option<Self::Item> {\n"
        "        todo!()\n"
        "    }\n"
        "}\n"
    ) in texts["src/lib.rs"]


async def test_display_impl_between_adjacent_items_keeps_blank_lines(tmp_path: Path) -> None:
    report, texts = await fix(
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
    )
    assert report.errors_after == 0, report.unfixed
    assert texts["src/lib.rs"] == (
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
        "}\n"
    )


async def test_impl_of_local_trait_with_type_and_const(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert (
        "impl Encode for Shape {\n"
        "    type Out = ();\n"
        "    const TAG: u8 = 0;\n"
        "    fn encode(&self) -> Self::Out {\n"
        "        todo!()\n"
        "    }\n"
        "}\n"
    ) in texts["src/lib.rs"]


async def test_no_second_impl_for_a_trait_out_of_scope(tmp_path: Path) -> None:
    found = await kb_candidates(
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


async def test_supertraits_that_block_dyn_are_dropped(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "pub trait Animal: std::fmt::Debug {" in text
    assert "pub trait Shape {" in text


async def test_closures_stored_in_a_vec_are_boxed(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
pub fn pipeline(x: i32) -> i32 {
    let mut steps: Vec<dyn Fn(i32) -> i32> = vec![|v| v + 1, |v| v * 2];
    steps.push(|v| v - 3);
    steps.iter().fold(x, |acc, f| f(acc))
}
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    text = texts["src/lib.rs"]
    assert "let mut steps: Vec<Box<dyn Fn(i32) -> i32>> = vec![" in text
    assert "vec![Box::new(|v| v + 1), Box::new(|v| v * 2)];" in text
    assert "steps.push(Box::new(|v| v - 3));" in text


async def test_boxed_iterator_item_from_the_crates_impl(tmp_path: Path) -> None:
    report, texts = await fix(
        tmp_path,
        {
            "src/lib.rs": """
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
"""
        },
    )
    assert report.errors_after == 0, report.unfixed
    assert "pub fn words(text: &str) -> Box<dyn Iterator<Item = String>> {" in (texts["src/lib.rs"])
