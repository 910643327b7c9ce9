"""Items generated from their uses: `Type::new` and structs known only from literals.

The generated item must follow from the program (the struct's fields, the
call's arguments, the literal's values); where it does not, nothing is
proposed rather than a placeholder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix.recipes.helpers import check_fix, check_no_fix, proposals

CASES = [
    # id, src/lib.rs, texts expected in the fixed file
    (
        "new-without-impl-block",
        """
pub struct Account {
    pub id: u32,
    pub owner: String,
    pub balance: f64,
    pub history: Vec<f64>,
}

pub fn open(owner: &str) -> Account {
    Account::new(1, owner, 0.0)
}
""",
        [
            "impl Account {",
            "fn new(id: u32, owner: &str, balance: f64) -> Self {",
            "owner: owner.to_string(),",
            "history: Vec::new(),",
        ],
    ),
    (
        "new-args-matched-by-name",
        """
use std::collections::HashMap;

pub struct Cache {
    entries: HashMap<String, String>,
    capacity: usize,
    hits: u64,
}

impl Cache {
    pub fn len(&self) -> usize {
        self.entries.len() + self.hits as usize
    }
}

pub fn make(capacity: usize) -> Cache {
    let cache = Cache::new(capacity);
    println!("{} of {}", cache.len(), cache.capacity);
    cache
}
""",
        ["fn new(capacity: usize) -> Self {", "entries: HashMap::new(),", "hits: 0,"],
    ),
    (
        "new-with-no-arguments",
        """
pub struct Counter {
    pub seen: Vec<String>,
    pub total: u64,
    pub last: Option<String>,
}

pub fn fresh() -> Counter {
    Counter::new()
}
""",
        ["fn new() -> Self {", "last: None,"],
    ),
    (
        "new-of-generic-struct",
        """
pub struct Ring<T> {
    slots: Vec<T>,
    limit: usize,
}

pub fn ring() -> usize {
    let ring: Ring<String> = Ring::new(8);
    ring.slots.len() + ring.limit
}
""",
        ["impl<T> Ring<T> {", "fn new(limit: usize) -> Self {"],
    ),
    (
        "getter-called-on-a-reference-in-a-macro",
        """
pub struct Sensor {
    label: String,
    celsius: f64,
}

pub fn show(sensor: &Sensor) {
    println!("{} {:.1}", sensor.get_label(), sensor.celsius);
}
""",
        ["fn get_label(&self) -> &str {", "&self.label"],
    ),
    (
        "getter-whose-caller-owns-the-value",
        """
pub struct Sensor {
    label: String,
}

pub fn label(sensor: &Sensor) -> String {
    let owned: String = sensor.get_label();
    owned
}
""",
        ["fn get_label(&self) -> String {", "self.label.clone()"],
    ),
    (
        "setter-and-flag",
        """
pub struct Valve {
    open: bool,
    pressure: u32,
}

pub fn cycle(valve: &mut Valve) -> bool {
    valve.set_pressure(7);
    valve.is_open()
}
""",
        ["fn set_pressure(&mut self, pressure: u32) {", "self.pressure = pressure;"],
    ),
    (
        "struct-from-literal",
        """
pub fn origin(name: &str) -> f64 {
    let p = Point { x: 0.5, y: -1.0, label: format!("{name}!") };
    println!("{}", p.label);
    p.x + p.y
}
""",
        ["struct Point {", "x: f64,", "label: String,"],
    ),
]


@pytest.mark.parametrize(("before", "after"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_item_from_its_uses(tmp_path: Path, before: str, after: list[str]) -> None:
    await check_fix(tmp_path, before, after, source="kb")


async def test_new_called_where_the_type_has_another_constructor(tmp_path: Path) -> None:
    before = """
pub struct Timer {
    pub label: String,
    pub ticks: u64,
}

impl Timer {
    pub fn start(label: &str) -> Self {
        Timer { label: label.to_string(), ticks: 1 }
    }
}

pub fn timer() -> u64 {
    Timer::new("boot").ticks
}
"""
    await check_fix(tmp_path, before, 'Timer::start("boot")', code="E0599", source="kb")


async def test_new_whose_arguments_fit_no_field_is_not_written(tmp_path: Path) -> None:
    # A `&str` cannot be stored in any field: no constructor follows from this call.
    before = """
pub struct Gauge {
    pub level: u8,
}

pub fn gauge() -> Gauge {
    Gauge::new("full")
}
"""
    await check_no_fix(tmp_path, before, "E0599", {"E0599-generate-constructor"})


async def test_accessor_of_a_field_the_struct_lacks_is_not_written(tmp_path: Path) -> None:
    before = """
pub struct Lamp {
    pub on: bool,
}

pub fn color(lamp: &Lamp) -> u32 {
    lamp.get_color()
}
"""
    await check_no_fix(tmp_path, before, "E0599", {"E0599-generate-accessor"})


async def test_accessor_is_not_written_beside_one_of_another_name(tmp_path: Path) -> None:
    # `name()` already reads the field: the call should be renamed, not a twin written.
    before = """
pub struct User {
    name: String,
}

impl User {
    pub fn name(&self) -> &str {
        &self.name
    }
}

pub fn greet(user: &User) -> String {
    format!("hi {}", user.get_name())
}
"""
    await check_no_fix(tmp_path, before, "E0599", {"E0599-generate-accessor"})


async def test_struct_whose_field_type_is_unknown_is_not_declared(tmp_path: Path) -> None:
    before = """
pub fn pair() -> i32 {
    let p = Pair { left: make(), right: 1 };
    p.right
}
"""
    found = await proposals(tmp_path, before, "E0422")
    assert all(c.recipe_id != "E0422-generate-struct" for _, cs in found for c in cs), found


async def test_struct_named_like_a_declared_one_is_not_declared_again(tmp_path: Path) -> None:
    # `Pointt` is a typo of `Point`: a second struct would compile but be the wrong fix.
    before = """
pub struct Point {
    pub x: f64,
    pub y: f64,
}

pub fn origin() -> f64 {
    let p = Pointt { x: 0.0, y: 0.0 };
    p.x
}
"""
    found = await proposals(tmp_path, before, "E0422")
    assert all(c.recipe_id != "E0422-generate-struct" for _, cs in found for c in cs), found


async def test_trait_named_like_its_derive_is_imported(tmp_path: Path) -> None:
    before = """
use std::hash::Hasher;

pub struct Key(u32);

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u32(self.0);
    }
}
"""
    await check_fix(tmp_path, before, "use std::hash::Hash;", code="E0404")
