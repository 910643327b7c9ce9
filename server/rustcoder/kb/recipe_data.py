"""Curated fix recipes as readable data (`recipes/*.toml`).

A recipe says *when* it applies (an error code and a message pattern with
named captures) and *what* edit it makes (an edit kind implemented in
`rustcoder.fix.recipes`, with parameters filled from the captures), plus a
human title and a worked before/after example. Keeping this as data lets the
knowledge base index and search recipes, lets people read and review them,
and lets one test compile every worked example.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECIPE_DIR = Path(__file__).with_name("recipes")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class RecipeDataError(ValueError):
    """A recipe file that cannot be used; the message names the file and recipe."""


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace `{name}` with `values[name]`; unknown names are left as they are."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


@dataclass(frozen=True)
class RecipeSpec:
    id: str
    #: The error code the recipe is for (its worked example produces it).
    code: str
    #: Matched against the message, the labels and the children's messages.
    pattern: str
    #: The edit kind, a function registered with `rustcoder.fix.recipes.base.edit_kind`.
    kind: str
    params: dict[str, str]
    title: str
    explanation: str
    before: str
    after: str
    source_file: str = ""
    #: Further codes the same edit fixes (the same mistake reported differently).
    extra_codes: tuple[str, ...] = ()
    #: The file of the worked example inside its crate.
    example_file: str = "src/main.rs"
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.code, *self.extra_codes)

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def match(self, message: str) -> dict[str, str] | None:
        """The named captures when `message` matches the pattern, else None."""
        found = self.regex.search(message)
        if found is None:
            return None
        return {k: v for k, v in found.groupdict().items() if v is not None}

    def params_for(self, captures: Mapping[str, str]) -> dict[str, str]:
        return {k: fill(v, captures) for k, v in self.params.items()}

    def title_for(self, values: Mapping[str, str]) -> str:
        return fill(self.title, values)


def _text(entry: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str):
        raise RecipeDataError(f"{where}: `{key}` must be a string")
    return value


def parse_recipe(entry: Mapping[str, Any], where: str, source_file: str = "") -> RecipeSpec:
    """One `[[recipe]]` table as a spec; `RecipeDataError` names `where` when it is not one."""
    recipe_id = _text(entry, "id", where)
    where = f"{where} ({recipe_id})"
    params = entry.get("params", {})
    if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
        raise RecipeDataError(f"{where}: `params` must be a table of strings")
    extra = entry.get("extra_codes", [])
    tags = entry.get("tags", [])
    if not isinstance(extra, list) or not isinstance(tags, list):
        raise RecipeDataError(f"{where}: `extra_codes` and `tags` must be lists")
    spec = RecipeSpec(
        id=recipe_id,
        code=_text(entry, "code", where),
        pattern=_text(entry, "pattern", where),
        kind=_text(entry, "kind", where),
        params=dict(params),
        title=_text(entry, "title", where),
        explanation=_text(entry, "explanation", where, ""),
        before=_text(entry, "before", where),
        after=_text(entry, "after", where),
        source_file=source_file,
        extra_codes=tuple(str(c) for c in extra),
        example_file=_text(entry, "example_file", where, "src/main.rs"),
        tags=tuple(str(t) for t in tags),
    )
    try:
        spec.regex  # noqa: B018 - compile now so a bad pattern names its recipe
    except re.error as exc:
        raise RecipeDataError(f"{where}: bad pattern: {exc}") from exc
    if not re.fullmatch(r"E\d{4}", spec.code):
        raise RecipeDataError(f"{where}: `code` must look like E0123")
    return spec


def _entries(path: Path) -> Iterator[tuple[Mapping[str, Any], str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RecipeDataError(f"{path.name}: {exc}") from exc
    recipes = data.get("recipe", [])
    if not isinstance(recipes, list) or not all(isinstance(r, dict) for r in recipes):
        raise RecipeDataError(f"{path.name}: `recipe` must be [[recipe]] tables")
    for index, entry in enumerate(recipes):
        yield entry, f"{path.name} recipe #{index + 1}"


def load_recipes(directory: Path | None = None) -> list[RecipeSpec]:
    """Every recipe in `directory` (default: the shipped ones), in file order."""
    if directory is None:
        return list(_shipped())
    paths = sorted(directory.glob("*.toml"))
    return _unique([spec for path in paths for spec in _file_specs(path)])


def load_recipe_file(path: Path) -> list[RecipeSpec]:
    """The recipes of one TOML file of `[[recipe]]` tables (a team's own, or a shipped one)."""
    specs = _file_specs(path)
    if not specs:
        raise RecipeDataError(f"{path.name}: no [[recipe]] tables")
    return _unique(specs)


def _file_specs(path: Path) -> list[RecipeSpec]:
    return [parse_recipe(entry, where, path.name) for entry, where in _entries(path)]


def _unique(specs: list[RecipeSpec]) -> list[RecipeSpec]:
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise RecipeDataError(f"{spec.source_file}: duplicate recipe id {spec.id}")
        seen.add(spec.id)
    return specs


def recipe_entry(spec: RecipeSpec) -> dict[str, Any]:
    """`spec` as its `[[recipe]]` table (what `parse_recipe` reads back)."""
    return {
        "id": spec.id,
        "code": spec.code,
        "pattern": spec.pattern,
        "kind": spec.kind,
        "params": dict(spec.params),
        "title": spec.title,
        "explanation": spec.explanation,
        "before": spec.before,
        "after": spec.after,
        "extra_codes": list(spec.extra_codes),
        "example_file": spec.example_file,
        "tags": list(spec.tags),
    }


@functools.cache
def _shipped() -> tuple[RecipeSpec, ...]:
    return tuple(load_recipes(RECIPE_DIR))


def recipes_for_code(code: str | None) -> list[RecipeSpec]:
    """The shipped recipes for an error code."""
    return [spec for spec in _shipped() if code in spec.codes]
