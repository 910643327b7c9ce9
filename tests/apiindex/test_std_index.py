"""std in the API index, read from the toolchain's rustdoc pages (the rust-docs component)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.apiindex.index_store import ApiIndex
from rustcoder.apiindex.std_pages import page_items, std_docs_root


@pytest.fixture(scope="module")
def docs() -> Path:
    root = std_docs_root()
    if root is None:
        pytest.skip("the toolchain's rust-docs component is not installed")
    return root


@pytest.fixture(scope="module")
def std_index(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ApiIndex, int]:
    index = ApiIndex(tmp_path_factory.mktemp("stdcache") / "api.sqlite")
    label, crate_id, parsed = index.ensure_std()
    assert crate_id is not None and parsed and label.startswith("std@")
    yield index, crate_id  # type: ignore[misc]
    index.close()


def test_a_type_page_gives_methods_with_receivers_fields_and_trait_impls(docs: Path) -> None:
    items, impls = page_items(docs, docs / "std" / "vec" / "struct.Vec.html")
    by_name = {i.name: i for i in items}
    assert by_name["Vec"].kind == "struct" and by_name["Vec"].path == "std::vec::Vec"
    push = by_name["extend_from_slice"]
    assert push.signature == "fn extend_from_slice(&mut self, other: &[T])"
    assert push.receiver == "&mut self" and push.owner == "std::vec::Vec"
    assert push.doc.startswith("Clones and appends all elements")
    assert by_name["iter"].trait == "Deref"  # a slice method reached through Deref
    assert by_name["new"].receiver is None
    assert "try_with_capacity" not in by_name  # nightly-only: would not build on stable
    assert any(t.trait == "Extend" for t in impls)
    fields, _ = page_items(docs, docs / "std" / "ops" / "struct.Range.html")
    assert {(i.name, i.kind) for i in fields} >= {("start", "field"), ("end", "field")}


def test_std_lookups_and_the_toolchain_cache(
    std_index: tuple[ApiIndex, int], tmp_path: Path
) -> None:
    index, crate_id = std_index
    (read,) = index.lookup("std::fs::read_to_string", [crate_id])
    assert read.item.signature.startswith("fn read_to_string<P: AsRef<Path>>(path: P)")
    assert [h.item.path for h in index.lookup("String::push_str", [crate_id])] == [
        "std::string::String::push_str"
    ]
    names = {h.item.name for h in index.in_module("std::process", [crate_id])}
    assert {"exit", "abort", "Command"} <= names
    assert ("Iterator", False) in index.traits_of("std::slice::Iter", [crate_id])
    # a second open of the same cache file reuses the toolchain's entry
    again = ApiIndex(index.path)
    try:
        _label, same_id, parsed = again.ensure_std()
        assert same_id == crate_id and not parsed
    finally:
        again.close()
