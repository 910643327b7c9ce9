"""Type recipes on programs other than their worked examples, through the real engine.

Each case is a small crate written into tmp_path that fails with one type
error; `rustcoder fix` (rustc's suggestions plus the recipes, every candidate
compiled) must make it build, and the applied edit must be the recipe's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix.recipes.helpers import check_fix, check_no_fix

CASES = [
    # id, src/lib.rs, error code fixed first, text expected in the fixed file
    (
        "option-max-unwrapped",
        """
pub fn oldest(ages: &[u32]) -> u32 {
    ages.iter().max()
}
""",
        "E0308",
        "ages.iter().max().copied().unwrap()",
    ),
    (
        "else-if-chain-to-string",
        """
pub fn describe(n: i64, unit: &str) -> String {
    let text = if n < 0 {
        "negative"
    } else if n == 0 {
        "zero"
    } else {
        unit.repeat(n as usize)
    };
    text
}
""",
        "E0308",
        '"negative".to_string()',
    ),
    (
        "retarget-existing-cast",
        """
pub fn total_len(words: &[&str]) -> u64 {
    words.iter().map(|w| w.len()).sum::<usize>() as u32
}
""",
        "E0308",
        "sum::<usize>() as u64",
    ),
    (
        "collect-into-string",
        """
pub fn shout(word: &str) -> String {
    let loud = word.chars().map(|c| c.to_ascii_uppercase()).collect();
    format!("{}!", loud.trim_end())
}
""",
        "E0282",
        "collect::<String>()",
    ),
    (
        "extra-argument-removed",
        """
fn greet(name: &str) -> String {
    format!("hi {name}")
}

pub fn welcome() -> String {
    greet("ana", "bob")
}
""",
        "E0061",
        'greet("ana")',
    ),
    (
        "compound-assign-cast",
        """
pub fn letters(words: &[String]) -> u32 {
    let mut total: u32 = 0;
    for w in words {
        total += w.len();
    }
    total
}
""",
        "E0308",
        "total += w.len() as u32;",
    ),
    (
        "string-is-not-an-iterator",
        """
pub fn vowels(word: &str) -> usize {
    let owned = word.to_lowercase();
    owned.filter(|c| "aeiou".contains(*c)).count()
}
""",
        "E0599",
        "owned.chars().filter(",
    ),
    (
        "const-fn-for-local-call",
        """
fn square(side: u32) -> u32 {
    side * side
}

pub const BOARD_CELLS: u32 = square(8);
""",
        "E0015",
        "const fn square(side: u32)",
    ),
    (
        "vec-cast-to-length",
        """
pub fn count(items: Vec<String>) -> u32 {
    items as u32
}
""",
        "E0605",
        "items.len() as u32",
    ),
    (
        "index-option-with-question-mark",
        """
pub fn first_score(scores: Option<Vec<u32>>) -> Option<u32> {
    Some(scores[0] * 2)
}
""",
        "E0608",
        "Some(scores?[0] * 2)",
    ),
    (
        "negate-unsigned",
        """
pub fn debit(amount: u32) -> i64 {
    -amount
}
""",
        "E0600",
        "-(amount as i64)",
    ),
    (
        "match-option-string-as-deref",
        """
pub fn is_admin(role: Option<String>) -> bool {
    match role {
        Some("admin") => true,
        _ => false,
    }
}
""",
        "E0308",
        "match role.as_deref() {",
    ),
    (
        "loop-falls-through-to-false",
        """
pub fn has_negative(values: &[i32]) -> bool {
    for v in values {
        if *v < 0 {
            return true;
        }
    }
}
""",
        "E0308",
        "    }\n    false\n}",
    ),
    (
        "if-without-else",
        """
pub fn is_big(x: u32) -> bool {
    if x > 100 {
        return true;
    }
}
""",
        "E0317",
        "} else { false }",
    ),
    (
        "field-from-available-list",
        """
pub struct Person {
    pub first_name: String,
    pub age: u32,
}

pub fn greet(p: &Person) -> String {
    format!("hi {} ({})", p.name, p.age)
}
""",
        "E0609",
        "p.first_name, p.age",
    ),
    (
        "lower-is-to-lowercase",
        """
pub fn normalise(tag: &str) -> String {
    tag.trim().lower()
}
""",
        "E0599",
        "tag.trim().to_lowercase()",
    ),
    (
        "join-numbers",
        """
pub fn csv(values: &[u8]) -> String {
    values.to_vec().join(",")
}
""",
        "E0599",
        '.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")',
    ),
    (
        "match-on-tuple-of-strings",
        """
pub fn route(method: String, path: String) -> u16 {
    match (method, path) {
        ("GET", "/") => 200,
        _ => 404,
    }
}
""",
        "E0308",
        "match (method.as_str(), path.as_str()) {",
    ),
    (
        "option-str-to-option-string",
        """
pub struct Query {
    pub term: Option<String>,
}

pub fn query(args: &[&str]) -> Query {
    let term = args.first().copied();
    Query { term }
}
""",
        "E0308",
        "Query { term: term.map(|s| s.to_string()) }",
    ),
    (
        "collect-results-with-question-mark",
        """
use std::num::ParseIntError;

pub fn parse_all(parts: &[&str]) -> Result<Vec<i64>, ParseIntError> {
    let values: Vec<i64> = parts.iter().map(|p| p.parse::<i64>()).collect();
    Ok(values)
}
""",
        "E0277",
        ".collect::<Result<_, _>>()?;",
    ),
    (
        "char-as-byte",
        """
pub fn checksum(text: &str) -> u8 {
    let mut sum: u8 = 0;
    for c in text.chars() {
        sum = sum.wrapping_add(c);
    }
    sum
}
""",
        "E0308",
        "sum.wrapping_add(c as u8)",
    ),
    (
        "product-into-wider-type",
        """
pub fn volume(sides: &[u32]) -> u64 {
    sides.iter().product()
}
""",
        "E0277",
        "sides.iter().product::<u32>() as u64",
    ),
    (
        "float-literals-in-formula",
        """
pub fn to_fahrenheit(celsius: f64) -> f64 {
    celsius * 9 / 5 + 32
}
""",
        "E0277",
        "celsius * 9.0 / 5.0 + 32.0",
    ),
    (
        "float-accumulator",
        """
pub fn total(prices: &[f32]) -> f32 {
    let mut sum = 0;
    for p in prices {
        sum += p;
    }
    sum
}
""",
        "E0277",
        "let mut sum = 0.0;",
    ),
    (
        "char-branches",
        """
pub fn symbol(negative: bool) -> char {
    if negative { "-" } else { "+" }
}
""",
        "E0308",
        "if negative { '-' } else { '+' }",
    ),
    (
        "flat-map-lowercase",
        """
pub fn quiet(text: &str) -> String {
    text.chars().map(|c| c.to_lowercase()).collect()
}
""",
        "E0277",
        "text.chars().flat_map(|c| c.to_lowercase()).collect()",
    ),
    (
        "signed-code-to-char",
        """
pub fn letter(offset: i32) -> char {
    (97 + offset) as char
}
""",
        "E0604",
        "char::from_u32((97 + offset) as u32).unwrap()",
    ),
    (
        "parse-owned-text",
        """
pub fn retries(setting: Option<String>) -> u8 {
    let raw = setting.unwrap_or_default();
    let count: u8 = raw;
    count
}
""",
        "E0308",
        "let count: u8 = raw.trim().parse::<u8>().unwrap();",
    ),
    (
        "compare-option-with-some-ref",
        """
pub fn is_first(items: &[u32], wanted: u32) -> bool {
    items.first() == wanted
}
""",
        "E0308",
        "items.first() == Some(&wanted)",
    ),
    (
        "no-unwrap-on-plain-value",
        """
pub fn width(lines: &[&str]) -> usize {
    lines.iter().map(|l| l.len()).sum::<usize>().unwrap()
}
""",
        "E0599",
        "lines.iter().map(|l| l.len()).sum::<usize>()\n",
    ),
    (
        "average-divides-floats",
        """
pub fn mean(values: &[u64]) -> f64 {
    let total: u64 = values.iter().sum();
    total / values.len() as u64
}
""",
        "E0308",
        "total as f64 / values.len() as f64",
    ),
    (
        "unwrap-inferred-result",
        """
pub fn pair(line: &str) -> (String, u16) {
    let (key, value) = line.split_once('=').unwrap_or((line, "0"));
    let port = value.trim().parse();
    (key.to_string(), port)
}
""",
        "E0308",
        "(key.to_string(), port.unwrap())",
    ),
    (
        "count-up-to-n",
        """
pub fn squares(n: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for i in n {
        out.push(i * i);
    }
    out
}
""",
        "E0277",
        "for i in 0..n {",
    ),
    (
        "enumerate-borrowed-vec",
        """
pub fn numbered(lines: &Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in lines {
        out.push(format!("{n}: {line}"));
    }
    out
}
""",
        "E0308",
        "for (n, line) in lines.iter().enumerate() {",
    ),
    (
        "count-as-condition",
        """
pub fn describe(errors: u32) -> &'static str {
    if errors { "failed" } else { "ok" }
}
""",
        "E0308",
        "if errors != 0 {",
    ),
    (
        "uppercase-char-not-dropped",
        """
pub fn capital(word: &str) -> char {
    let first = word.chars().next().unwrap_or(' ');
    let upper: char = first.to_uppercase();
    upper
}
""",
        "E0308",
        "let upper: char = first.to_uppercase().next().unwrap();",
    ),
    (
        "float-power",
        """
pub fn area(radius: f64) -> f64 {
    3.14159 * radius.pow(2)
}
""",
        "E0599",
        "radius.powi(2)",
    ),
    (
        "set-add-is-insert",
        """
use std::collections::HashSet;

pub fn unique(words: &[&str]) -> usize {
    let mut seen = HashSet::new();
    for w in words {
        seen.add(*w);
    }
    seen.len()
}
""",
        "E0599",
        "seen.insert(*w);",
    ),
    (
        "slice-range-with-i32-bound",
        """
pub fn prefix(text: &str, n: i32) -> &str {
    &text[0..n]
}
""",
        "E0277",
        "&text[0..n as usize]",
    ),
    (
        "wrong-let-annotation",
        """
pub fn count_words(text: &str) -> usize {
    let words: Vec<&str> = text.split_whitespace().count();
    words
}
""",
        "E0308",
        "let words: usize = text.split_whitespace().count();",
    ),
]


@pytest.mark.parametrize(
    ("source", "code", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_type_recipe_fixes_crate(
    tmp_path: Path, source: str, code: str, expected: str
) -> None:
    fixed = await check_fix(tmp_path, source, expected, code=code)
    assert any(fix.source == "kb" for fix in fixed.report.applied), fixed.report.applied


NOTHING_CASES = [
    # id, code, src/lib.rs, recipes whose pattern matches but which must propose nothing
    (
        "hashset-index",
        "E0608",
        """
use std::collections::HashSet;

pub fn pick(tags: &HashSet<String>) -> String {
    tags[0].clone()
}
""",
        {"E0608-index-inner-collection"},
    ),
    (
        "float-for-string",
        "E0308",
        """
pub fn label(price: f64) -> String {
    price
}
""",
        {"E0308-numeric-as-cast", "E0308-unwrap-option", "E0308-collect-iterator"},
    ),
    (
        "string-outside-branches",
        "E0308",
        """
pub fn first(name: &str) -> usize {
    let upper: &str = name.to_uppercase();
    upper.len()
}
""",
        {"E0308-branches-to-string", "E0308-numeric-as-cast"},
    ),
    (
        "adapter-on-an-iterator",
        "E0599",
        """
pub fn doubled(v: &[i32]) -> Vec<i32> {
    v.iter().map(|x: i32| x * 2).collect()
}
""",
        {"E0599-iter-before-adapter", "E0599-method-alias"},
    ),
]


@pytest.mark.parametrize(
    ("code", "source", "silent"),
    [case[1:] for case in NOTHING_CASES],
    ids=[case[0] for case in NOTHING_CASES],
)
async def test_type_recipes_propose_nothing_when_they_do_not_apply(
    tmp_path: Path, code: str, source: str, silent: set[str]
) -> None:
    # A silent recipe's pattern matches, so it is its edit kind that must decline.
    await check_no_fix(tmp_path, source, code, silent)
