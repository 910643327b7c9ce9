"""Project templates: each compiles and passes its tests; search finds them by description."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rustcoder.generate.templates import Template, TemplateIndex, shipped_templates

TEMPLATES = shipped_templates()


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
def test_search_finds_the_template_in_the_top_two(query: str, expected: str) -> None:
    index = TemplateIndex(TEMPLATES, embed=True)
    names = [t.name for t, _ in index.search(query, limit=2)]
    assert expected in names, names


def test_keyword_search_works_without_the_embedder() -> None:
    index = TemplateIndex(TEMPLATES, embed=False)
    assert index.search("threads and channels", limit=1)[0][0].name == "concurrency"
