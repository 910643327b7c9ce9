"""Item recipes on crates other than their worked examples, through the real engine.

Each crate is written into tmp_path and fixed by `fix_workspace` with real
cargo; the tests check which source's fix won and what the files say after.
Some crates have their item in another file, so the edit must reach there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.fix.compare import ErrorSet, is_error
from rustcoder.fix.edits import apply_edits
from rustcoder.fix.engine import FixEngine
from rustcoder.fix.recipe_source import RecipeSource
from tests.fix.recipes.helpers import check_fix, proposed_titles, write_crate

CASES: list[tuple[str, dict[str, str], str, dict[str, list[str]]]] = [
    (
        # A private fn in a module file: `pub` there, `use` here.
        "fn-in-other-file",
        {
            "src/main.rs": """
mod config;

fn main() {
    let port = read_port("port=8080");
    println!("{port}");
}
""",
            "src/config.rs": """
fn read_port(line: &str) -> u16 {
    line.trim_start_matches("port=").parse().unwrap_or(80)
}
""",
        },
        "E0425",
        {
            "src/main.rs": ["use crate::config::read_port;"],
            "src/config.rs": ["pub fn read_port(line: &str) -> u16"],
        },
    ),
    (
        # A private struct in another file, named through its module path.
        "private-struct-other-file",
        {
            "src/main.rs": """
mod shapes;

fn main() {
    let sq = shapes::Square { side: 2.0 };
    println!("{}", sq.side * sq.side);
}
""",
            "src/shapes.rs": """
#[derive(Debug)]
struct Square {
    pub side: f64,
}
""",
        },
        "E0603",
        {"src/shapes.rs": ["#[derive(Debug)]\npub struct Square {"]},
    ),
    (
        # Missing fields of a struct defined in another file, single-line literal.
        "missing-fields-other-file",
        {
            "src/main.rs": """
mod model;

fn main() {
    let job = model::Job { name: String::from("backup"), priority: 3 };
    println!("{} {} {:?}", job.name, job.priority, job.tags);
}
""",
            "src/model.rs": """
pub struct Job {
    pub name: String,
    pub priority: u8,
    pub tags: Vec<String>,
    pub retries: u32,
}
""",
        },
        "E0063",
        {
            "src/main.rs": [
                'model::Job { name: String::from("backup"), priority: 3, '
                "tags: Default::default(), retries: Default::default() }"
            ]
        },
    ),
    (
        # Matching an Option on one line: the `None` arm is added on that line.
        "option-match-one-line",
        {
            "src/lib.rs": """
pub fn or_zero(value: Option<i64>) -> i64 {
    match value { Some(v) => v * 2 }
}
""",
        },
        "E0004",
        {"src/lib.rs": ["match value { Some(v) => v * 2, None => todo!() }"]},
    ),
    (
        # `.await` in a method; the async caller awaits it in turn.
        "await-in-method",
        {
            "src/lib.rs": """
pub struct Client {
    pub base: String,
}

async fn get(url: String) -> usize {
    url.len()
}

impl Client {
    pub fn fetch(&self, path: &str) -> usize {
        get(format!("{}/{}", self.base, path)).await
    }
}

pub async fn fetch_all(client: &Client) -> usize {
    client.fetch("a") + client.fetch("b")
}
""",
        },
        "E0728",
        {
            "src/lib.rs": [
                "pub async fn fetch(&self, path: &str) -> usize",
                'client.fetch("a").await + client.fetch("b").await',
            ]
        },
    ),
    (
        # A struct literal with a field of the wrong name: keep the local, match the field.
        "wrong-field-in-literal",
        {
            "src/main.rs": """
struct Span {
    start: usize,
    end: usize,
}

fn main() {
    let begin = 2;
    let end = 9;
    let s = Span { begin, end };
    println!("{}", s.end - s.start);
}
""",
        },
        "E0560",
        {"src/main.rs": ["let s = Span { start: begin, end };"]},
    ),
    (
        # A refutable `let` in a loop: skip to the next item.
        "let-else-in-loop",
        {
            "src/main.rs": """
fn main() {
    let lines = ["a=1", "junk", "b=2"];
    let mut total = 0;
    for line in lines {
        let Some((_, value)) = line.split_once('=');
        total += value.parse::<i32>().unwrap_or(0);
    }
    println!("{total}");
}
""",
        },
        "E0005",
        {"src/main.rs": ["let Some((_, value)) = line.split_once('=') else { continue; };"]},
    ),
    (
        # A binding made in a loop and read after it.
        "hoist-out-of-loop",
        {
            "src/main.rs": """
fn main() {
    let names = ["ann", "bob"];
    for name in names {
        let last = name.to_uppercase();
        println!("{last}");
    }
    println!("{}", last);
}
""",
        },
        "E0425",
        {
            "src/main.rs": [
                "    let mut last = Default::default();\n    for name in names {\n"
                "        last = name.to_uppercase();"
            ]
        },
    ),
    (
        # An enum using an undeclared lifetime, with an impl block.
        "enum-lifetime",
        {
            "src/lib.rs": """
pub enum Token {
    Word(&'src str),
    Number(i64),
}

impl Token {
    pub fn is_word(&self) -> bool {
        matches!(self, Token::Word(_))
    }
}
""",
        },
        "E0261",
        {"src/lib.rs": ["pub enum Token<'src> {", "impl<'src> Token<'src> {"]},
    ),
    (
        # Misspelt imports: the uses of the name change with the import.
        "misspelt-imports",
        {
            "src/main.rs": """
mod helpers;
use helpers::formatPrice;
use std::collections::Hashmap;

fn main() {
    let mut m: Hashmap<u8, String> = Hashmap::new();
    m.insert(1, formatPrice(3));
    println!("{} {:?}", formatPrice(4), m);
}
""",
            "src/helpers.rs": """
pub fn format_price(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}
""",
        },
        "E0432",
        {
            "src/main.rs": [
                "use helpers::format_price;",
                "let mut m: HashMap<u8, String> = HashMap::new();",
                'println!("{} {:?}", format_price(4), m);',
            ]
        },
    ),
    (
        # Module files that were never declared: at the root and one level down.
        "undeclared-modules",
        {
            "src/main.rs": """
mod net;
use crate::text::slugify;

fn main() {
    println!("{} {}", slugify("Hello World"), net::http::status());
}
""",
            "src/text.rs": """
pub fn slugify(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}
""",
            "src/net.rs": """
pub fn timeout() -> u32 {
    30
}
""",
            "src/net/http.rs": """
pub fn status() -> u16 {
    200
}
""",
        },
        "E0432",
        {"src/main.rs": ["mod net;\nmod text;\n"], "src/net.rs": ["pub mod http;\n"]},
    ),
    (
        # A literal inside `vec![...]` (macro tokens) and one with a comment as last line.
        "literals-in-macro-and-commented",
        {
            "src/main.rs": """
#[derive(Debug)]
struct Item {
    name: String,
    price: u32,
}

fn main() {
    let items = vec![Item { name: "a".into() }, Item { name: "b".into(), price: 2 }];
    let extra = Item {
        name: "c".into(),
        // the price is set later
    };
    println!("{items:?} {extra:?}");
}
""",
        },
        "E0063",
        {
            "src/main.rs": [
                'vec![Item { name: "a".into(), price: Default::default() }, Item',
                'name: "c".into(),\n        price: Default::default(),\n        // the price',
            ]
        },
    ),
    (
        # Two unused parameters (a lifetime and a type): one marker holds both.
        "phantom-two-params",
        {
            "src/lib.rs": """
pub struct Handle<'a, T> {
    pub index: usize,
}

impl<'a, T> Handle<'a, T> {
    pub fn first() -> Self {
        Handle { index: 0 }
    }
}
""",
        },
        "E0392",
        {
            "src/lib.rs": [
                "use std::marker::PhantomData;",
                "_marker: PhantomData<(&'a (), T)>,",
                "Handle { index: 0, _marker: PhantomData }",
            ]
        },
    ),
    (
        # A reference returned from owned data through branches: rustc's `'static`
        # would only trade E0106 for E0515, so the owned return must win.
        "owned-return-through-branches",
        {
            "src/lib.rs": """
pub fn pick(a: String, b: String) -> &str {
    if a.len() >= b.len() {
        &a
    } else {
        b.as_str()
    }
}
""",
        },
        "E0106",
        {
            "src/lib.rs": [
                "pub fn pick(a: String, b: String) -> String {",
                "        a\n",
                "        b\n",
            ]
        },
    ),
    (
        # A trait impl for a generic type that forgot its parameters (and a const one).
        "impl-generics-trait",
        {
            "src/lib.rs": """
use std::fmt;

pub struct Grid<T, const N: usize> {
    pub cells: [T; N],
}

impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grid of {}", N)
    }
}
""",
        },
        # rustc's own help for `N` is "a local with a similar name: `f`"; the recipe wins.
        "E0425",
        {"src/lib.rs": ["impl<T, const N: usize> fmt::Debug for Grid<T, N> {"]},
    ),
    (
        # A deref of a raw pointer in safe code.
        "raw-pointer-deref",
        {
            "src/main.rs": """
fn main() {
    let mut values = [1u8, 2, 3];
    let first = values.as_mut_ptr();
    let copy = *first;
    println!("{copy} {:?}", values);
}
""",
        },
        "E0133",
        {"src/main.rs": ["let copy = unsafe { *first };"]},
    ),
]


@pytest.mark.parametrize(
    ("name", "files", "code", "expected"), CASES, ids=[case[0] for case in CASES]
)
async def test_item_recipe(
    tmp_path: Path,
    name: str,
    files: dict[str, str],
    code: str,
    expected: dict[str, list[str]],
) -> None:
    await check_fix(tmp_path, files, expected, code=code, source="kb")


async def _kb_candidates(tmp_path: Path, source: str, code: str) -> list[str]:
    """Titles the recipes propose for the `code` errors of a crate whose `src/main.rs`
    is `source`."""
    found = await proposed_titles(tmp_path, {"src/main.rs": source}, code)
    return [title for _, titles in found for title in titles]


async def test_use_goes_into_the_module_that_needs_it(tmp_path: Path) -> None:
    """A std type used inside an inline module is imported there, after its own `use`s."""
    workspace = write_crate(
        tmp_path / "crate",
        {
            "src/lib.rs": """
pub fn tally(words: &[&str]) -> usize {
    words.len()
}

#[cfg(test)]
mod tests {
    use super::tally;

    #[test]
    fn counts() {
        let mut seen = BTreeSet::new();
        seen.insert(tally(&["a"]));
        assert_eq!(seen.len(), 1);
    }
}
""",
        },
    )
    engine = FixEngine(workspace, sources=[RecipeSource()])
    base = await engine.check_base()
    errors = [d for d in base.diagnostics if is_error(d)]
    (target,) = [d for d in errors if d.code == "E0433"]
    baseline = ErrorSet.of(base.diagnostics, workspace.root)
    path = workspace.root / "src" / "lib.rs"
    fixed = []
    for candidate in engine.candidates(target, errors):
        if (await engine.verify(candidate, target, baseline)).ok:
            fixed.append(apply_edits(path.read_text(), list(candidate.edits)))
    assert fixed
    assert "    use super::tally;\n    use std::collections::BTreeSet;\n" in fixed[0]
    assert fixed[0].startswith("pub fn tally")


async def test_no_default_means_no_struct_update(tmp_path: Path) -> None:
    """`..Default::default()` only for structs that have a `Default`."""
    titles = await _kb_candidates(
        tmp_path,
        """
struct Limits {
    max: u32,
    min: u32,
}

fn main() {
    let l = Limits { max: 3 };
    println!("{} {}", l.max, l.min);
}
""",
        "E0063",
    )
    assert any("Default::default()" in t and "Fill" in t for t in titles), titles
    assert not any(t.startswith("Take the other fields") for t in titles), titles


async def test_unknown_name_proposes_no_import(tmp_path: Path) -> None:
    """A name that std's table and the crate do not define gets no `use`."""
    titles = await _kb_candidates(
        tmp_path,
        """
fn main() {
    let t = Tracker::new();
    println!("{}", t);
}
""",
        "E0433",
    )
    assert not any("Import" in t for t in titles), titles


async def test_await_in_main_is_not_made_async(tmp_path: Path) -> None:
    """`main` cannot be `async` without a runtime, so no recipe proposes it."""
    titles = await _kb_candidates(
        tmp_path,
        """
async fn answer() -> u32 {
    42
}

fn main() {
    println!("{}", answer().await);
}
""",
        "E0728",
    )
    assert titles == []
