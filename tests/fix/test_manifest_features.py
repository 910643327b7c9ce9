"""The Cargo.toml feature edit on the ways people write a dependency (text in, text out)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rustcoder.fix.edits import apply_edits
from rustcoder.fix.manifest_features import feature_edit

HEAD = '[package]\nname = "app"\nversion = "0.1.0"\n\n'


def enabled(manifest: str, package: str = "uuid", feature: str = "v4") -> str:
    edit = feature_edit(Path("Cargo.toml"), manifest, package, feature)
    assert edit is not None
    return apply_edits(manifest, [edit])


@pytest.mark.parametrize(
    ("deps", "table", "expected"),
    [
        ('uuid = "1"  # ids\n', "dependencies", {"version": "1", "features": ["v4"]}),
        ('uuid = { version = "1" }\n', "dependencies", {"version": "1", "features": ["v4"]}),
        (
            'uuid = { version = "1", features = ["serde"] }\n',
            "dependencies",
            {"version": "1", "features": ["serde", "v4"]},
        ),
        ("uuid = { workspace = true }\n", "dependencies", {"workspace": True, "features": ["v4"]}),
    ],
)
def test_inline_forms(deps: str, table: str, expected: dict[str, object]) -> None:
    text = enabled(f'{HEAD}[{table}]\n{deps}serde = "1"\n')
    parsed = tomllib.loads(text)
    assert parsed[table]["uuid"] == expected
    assert parsed[table]["serde"] == "1"
    if "# ids" in deps:
        assert "# ids" in text  # the comment stays


def test_a_dependency_table_gets_a_features_line_or_one_more_entry() -> None:
    text = enabled(f'{HEAD}[dependencies.uuid]\nversion = "1"\n\n[dev-dependencies]\n')
    assert tomllib.loads(text)["dependencies"]["uuid"] == {"version": "1", "features": ["v4"]}
    text = enabled(f'{HEAD}[dependencies.uuid]\nversion = "1"\nfeatures = ["serde"]\n')
    assert tomllib.loads(text)["dependencies"]["uuid"]["features"] == ["serde", "v4"]


def test_dash_and_underscore_names_and_dev_dependencies() -> None:
    text = enabled(f'{HEAD}[dependencies]\nserde-json = "1"\n', "serde_json", "raw_value")
    assert tomllib.loads(text)["dependencies"]["serde-json"]["features"] == ["raw_value"]
    # only a dev-dependency: not what the library or binary builds with
    manifest = f'{HEAD}[dev-dependencies]\nuuid = "1"\n'
    assert feature_edit(Path("Cargo.toml"), manifest, "uuid", "v4") is None
