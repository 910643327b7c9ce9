"""The LLM-corpus scorer's rules: what counts as a kept item, a placeholder, a half.

The scorer's verdicts are the corpus figures in bench/RESULTS.md, so its
normalisations are pinned here: a fix may add bounds, generics or lifetime
bounds to an impl header and still keep the item, but dropping an item or
adding a placeholder is caught.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCORER = Path(__file__).resolve().parents[2] / "bench" / "llm_corpus.py"


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("llm_corpus", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["llm_corpus"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("impl dyn Selection {", "impl dyn Selection + '_ {"),
        ("impl dyn Selection {", "impl<'a> dyn Selection + 'a {"),
        ("impl<T> Cache<T> {", "impl<T: Clone + Hash> Cache<T> {"),
        ("impl<K, V> Store<K, V> {", "impl<K, V> Store<K, V> where K: Ord {"),
        ("impl Display for Table<'_> {", "impl<'a> Display for Table<'a> {"),
    ],
)
def test_impl_header_keeps_item_when_bounds_are_added(
    scorer: ModuleType, before: str, after: str
) -> None:
    assert scorer.top_level_items(before) == scorer.top_level_items(after)


def test_dropped_or_renamed_items_are_seen(scorer: ModuleType) -> None:
    source = "struct A {}\nfn main() {}\nimpl A {\n}\nimpl Display for A {\n"
    assert scorer.top_level_items(source) == {
        "struct A",
        "fn main",
        "impl A",
        "impl Display for A",
    }
    assert "impl Debug for A" in scorer.top_level_items("impl Debug for A {")
    assert scorer.top_level_items("    fn nested() {}") == set()


def test_added_placeholders_are_counted(scorer: ModuleType) -> None:
    before = scorer.placeholder_counts("fn f() -> u8 { 1 }")
    after = scorer.placeholder_counts(
        '#[allow(dead_code)]\nfn f() -> u8 { todo!() }\nfn g() { unsafe { panic!("x") } }'
    )
    grown = {name for name, n in after.items() if n > before[name]}
    assert grown == {"todo!", "panic!", "unsafe", "#[allow"}


def test_halves_by_task_number(scorer: ModuleType) -> None:
    assert scorer.half_of("001-todo-cli") == "tune"
    assert scorer.half_of("086-genetic") == "heldback"


def test_versions_pinned_features_kept(scorer: ModuleType) -> None:
    manifest = 'rand = "0.9"\nuuid = { version = "1.4", features = ["v4"] }\nlocal = "2"\n'
    pinned = scorer.pin_to_registry(manifest, {"rand": "0.8.5", "uuid": "1.10.0"})
    assert pinned == (
        'rand = "0.8.5"\nuuid = { version = "1.10.0", features = ["v4"] }\nlocal = "2"\n'
    )
