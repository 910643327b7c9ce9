"""Project templates: each compiles and passes its tests; `kb build` stores them and the
knowledge base's hybrid search finds them by description."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.generate.templates import (
    Template,
    TemplateFinder,
    finder,
    shipped_templates,
    templates_digest,
)
from rustcoder.kb.builder import BuildReport, build, recipes_digest
from rustcoder.kb.cli import stale_reason
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.recipe_data import load_recipes
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder, shared_embedder
from tests.kb.conftest import cache_dir_for, limited_rustc

TEMPLATES = shipped_templates()


@pytest.fixture(scope="module")
def template_rustc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return limited_rustc(tmp_path_factory.mktemp("bin"), ["E0382"])


@pytest.fixture(scope="module")
def template_base(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, template_rustc: Path
) -> BuildReport:
    """A real base holding the shipped templates (one error code, no recipes: quick)."""
    out = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    cache = cache_dir_for(request.config, tmp_path_factory)
    return build(
        out, rustc=str(template_rustc), recipes=[], cache_dir=cache, embedder=shared_embedder()
    )


@pytest.fixture(scope="module")
def template_kb(template_base: BuildReport) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase.open(template_base.path, learn=False)
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def find(template_kb: KnowledgeBase) -> TemplateFinder:
    return finder(template_kb)


def test_at_least_twelve_templates_with_descriptions() -> None:
    assert len(TEMPLATES) >= 12
    for template in TEMPLATES:
        assert len(template.description) > 40, template.name
        assert "Cargo.toml" in template.files
        assert any("#[test]" in text for text in template.files.values()), template.name


@pytest.fixture(scope="module")
def shared_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("template-target")


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_template_builds_without_warnings_and_passes_its_tests(
    tmp_path: Path, shared_target: Path, template: Template
) -> None:
    for relative, text in template.files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {"CARGO_TARGET_DIR": str(shared_target), "RUSTFLAGS": "-D warnings"}
    result = subprocess.run(
        ["cargo", "test", "--offline", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.rmtree(tmp_path / "src")


QUERIES = [
    ("a tool that counts how often each word appears in a text", "text-processing"),
    ("spread jobs over worker threads and collect the results", "concurrency"),
    ("evaluate arithmetic expressions typed by the user", "parsing"),
    ("a config loader with its own error enum and nice messages", "error-handling"),
    ("command line program taking options and flags", "cli-args"),
    ("a generic queue with fixed capacity", "data-structures"),
    ("multiply matrices and find prime numbers", "numeric"),
    ("an in-memory key value database driven by text commands", "state-machine"),
    ("lazy sequence of numbers with a custom iterator", "iterators"),
    ("shapes with a common trait computing their area", "traits-generics"),
    ("a reusable library of statistics functions with tests", "library-tests"),
    ("read a csv file and write a summary to another file", "file-io"),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_search_finds_the_template_in_the_top_two(
    find: TemplateFinder, query: str, expected: str
) -> None:
    names = [t.name for t in find(query, 2)]
    assert expected in names, names


def test_keyword_search_works_without_the_embedder(template_base: BuildReport) -> None:
    broken = Embedder(model_path=template_base.path.parent / "no-such-model.onnx")
    kb = KnowledgeBase.open(template_base.path, learn=False, embedder=broken)
    try:
        assert [t.name for t in finder(kb)("threads and channels", 1)] == ["concurrency"]
    finally:
        kb.close()


def test_kb_build_stores_the_templates_whole(find: TemplateFinder) -> None:
    (found,) = find("spread jobs over worker threads and collect the results", 1)
    shipped = next(t for t in TEMPLATES if t.name == found.name)
    assert found == shipped  # description, tags and every file, as in the sources


def test_templates_never_answer_an_error_search(template_kb: KnowledgeBase) -> None:
    result = template_kb.search("threads and channels with a mutex", limit=20)
    assert result.hits and all(h.kind != "template" for h in result.hits)


def test_changed_templates_make_the_base_stale(
    template_base: BuildReport, template_rustc: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "kb.sqlite"
    shutil.copyfile(template_base.path, copy)
    store = KbStore.open(copy)
    try:
        meta = store.meta()
        assert meta["templates_sha256"] == templates_digest(TEMPLATES)
        # As if built from the shipped recipes, but from other templates.
        store.conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'recipes_sha256'",
            (recipes_digest(load_recipes()),),
        )
        assert stale_reason(copy, str(template_rustc)) is None
        store.conn.execute("UPDATE meta SET value = 'old' WHERE key = 'templates_sha256'")
    finally:
        store.close()
    assert stale_reason(copy, str(template_rustc)) == "the project templates changed"
