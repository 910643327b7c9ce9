"""One way to test a recipe, in the spirit of rust-analyzer's `check_fix(before, after)`.

`check_fix` writes `before` as a crate, runs `rustcoder fix` on it (rustc's
suggestions and every recipe, each candidate compiled by real cargo) and
checks that it builds after the fix and reads as `after` says. `check_no_fix`
checks that a recipe whose message pattern matches proposes nothing, and
`proposals` lists what the recipes propose, for the tests that compare titles.
Every family's tests call these, so what "fixed" means is written once, and
so is the one import of the fix rounds (`fix_workspace`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import is_error
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.recipe_source import RecipeSource
from rustcoder.fix.rounds import FixReport, fix_workspace
from rustcoder.fix.stubs import added_placeholder
from rustcoder.kb.recipe_data import recipes_for_code

MANIFEST = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'

#: A crate's sources: the text of `src/lib.rs`, or file name -> text.
Files = str | Mapping[str, str]
#: What a fixed file must contain: one fragment, several, or per file name.
Expected = str | Sequence[str] | Mapping[str, str | Sequence[str]]


def crate_files(files: Files) -> dict[str, str]:
    """`files` by name, each without the newline that opens a triple-quoted string."""
    named = {"src/lib.rs": files} if isinstance(files, str) else dict(files)
    return {name: text.lstrip("\n") for name, text in named.items()}


def write_crate(root: Path, files: Files, name: str = "recipe_case") -> CargoWorkspace:
    """A std-only crate at `root` with `files` (`src/lib.rs` when one text is given)."""
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(MANIFEST.format(name=name))
    for file_name, text in crate_files(files).items():
        path = root / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return CargoWorkspace(root=root, manifest=root / "Cargo.toml")


@dataclass
class Fixed:
    """What `rustcoder fix` reported, and every file of the crate as the fix left it."""

    report: FixReport
    texts: dict[str, str]

    def __getitem__(self, file_name: str) -> str:
        return self.texts[file_name]


async def fix(root: Path, before: Files, settings: FixSettings | None = None) -> Fixed:
    """Run the fix rounds (without `--apply`) on `before` written at `root`.

    Checks what holds for every run: there was an error, and no file was
    written (a fix reaches the user's files only when they apply it).
    """
    files = crate_files(before)
    workspace = write_crate(root, files)
    report = await fix_workspace(workspace, fix_settings=settings)
    assert report.errors_before >= 1, "`before` builds already"
    texts = {}
    for file_name, text in files.items():
        path = workspace.root / file_name
        assert path.read_text() == text, f"{file_name} was written without --apply"
        texts[file_name] = report.changed.get(path, (text, text))[1]
    return Fixed(report, texts)


def _expected_placeholder(expected: Expected, files: Mapping[str, str], whole: bool) -> str | None:
    """The placeholder (todo!(), unsafe, ...) the expected fix adds, if any."""
    if whole and isinstance(expected, str):
        (only,) = files
        return added_placeholder(files[only], expected)
    for name, fragments in _fragments(expected, files).items():
        before = files.get(name, "")
        found = added_placeholder(before, before + "\n" + "\n".join(fragments))
        if found is not None:
            return found
    return None


def _fragments(expected: Expected, files: Mapping[str, str]) -> dict[str, list[str]]:
    if isinstance(expected, Mapping):
        return {
            name: [parts] if isinstance(parts, str) else list(parts)
            for name, parts in expected.items()
        }
    (only,) = files  # one fragment list needs a one-file crate
    return {only: [expected] if isinstance(expected, str) else list(expected)}


async def check_fix(
    tmp_path: Path,
    before: Files,
    after: Expected,
    *,
    code: str | None = None,
    source: str | None = None,
    title: str | Sequence[str] | None = None,
    kept: Sequence[str] = (),
    whole: bool = False,
    settings: FixSettings | None = None,
) -> Fixed:
    """`rustcoder fix` makes `before` build, and every fragment of `after` is in the
    fixed file where `before` did not have it (with `whole`, `after` is the file).

    `code`: the error the first applied fix answers; `source`: who proposed that
    fix (`"kb"` for a recipe; any when not given); `title`: words its title contains
    (any of them); `kept`: fragments of `before` the fix must leave in place.
    Returns the fixed files for checks particular to a test.
    """
    files = crate_files(before)
    stub = _expected_placeholder(after, files, whole)
    if stub is not None:
        # A recipe that answers with a placeholder: applied only when stubs are allowed.
        settings = dataclasses.replace(settings or FixSettings(), allow_stubs=True)
    fixed = await fix(tmp_path / "crate", files, settings)
    report = fixed.report
    assert report.errors_after == 0, (report.unfixed, report.applied)
    first = report.applied[0]
    if stub is not None:
        assert any(a.stub is not None for a in report.applied), report.applied
        assert len(report.fixed) < len(report.applied), "a placeholder never counts as fixed"
    if code is not None:
        assert first.code == code, report.applied
    if source is not None:
        assert first.source == source, report.applied
    if title is not None:
        words = [title] if isinstance(title, str) else title
        assert any(word in first.title for word in words), first.title
    if whole:
        assert isinstance(after, str)
        (name,) = files
        assert fixed[name] == after.lstrip("\n")
        return fixed
    for name, fragments in _fragments(after, files).items():
        for fragment in fragments:
            assert fragment in fixed[name], fixed[name]
            assert fragment not in files.get(name, ""), f"`before` has {fragment!r} already"
    for fragment in kept:
        assert any(fragment in text for text in files.values()), fragment
        assert any(fragment in text for text in fixed.texts.values()), fixed.texts
    return fixed


def _recipe_engine(root: Path, before: Files) -> FixEngine:
    """An engine over `before` written at `root` whose only source is the recipes."""
    workspace = write_crate(root, before)
    return FixEngine(workspace, settings=FixSettings(parallel=1), sources=[RecipeSource()])


async def proposals(
    tmp_path: Path, before: Files, code: str | None = None
) -> list[tuple[str | None, list[Candidate]]]:
    """For every error of `before` (those of `code` only, when given), in the order rustc
    reports them: the error's code and the recipes' candidates as the engine ranks them."""
    engine = _recipe_engine(tmp_path / "proposed", before)
    base = await engine.check_base()
    errors = [d for d in base.diagnostics if is_error(d)]
    targets = [d for d in errors if code is None or d.code == code]
    assert targets, f"`before` has no error {code or ''}: {[d.message for d in errors]}"
    return [(d.code, engine.candidates(d, errors)) for d in targets]


async def proposed_titles(
    tmp_path: Path, before: Files, code: str | None = None, recipe: str | None = None
) -> list[tuple[str | None, list[str]]]:
    """`proposals` as (code, titles), the titles of `recipe`'s candidates only when given."""
    found = await proposals(tmp_path, before, code)
    return [
        (error_code, [c.title for c in candidates if recipe is None or c.recipe_id == recipe])
        for error_code, candidates in found
    ]


async def check_no_fix(tmp_path: Path, before: Files, code: str, recipes: set[str]) -> None:
    """`before` fails with `code`, the message pattern of one of `recipes` matches it (so
    it is the edit kind that declines), and none of `recipes` proposes a fix."""
    engine = _recipe_engine(tmp_path / "proposed", before)
    base = await engine.check_base()
    targets = [d for d in base.diagnostics if is_error(d) and d.code == code]
    assert targets, [d.message for d in base.diagnostics]
    messages = [m for t in targets for m in _messages(t)]
    assert any(
        spec.match(m) is not None
        for spec in recipes_for_code(code)
        if spec.id in recipes
        for m in messages
    )
    proposed = {c.recipe_id for t in targets for c in engine.candidates(t)}
    assert not proposed & recipes, proposed


def _messages(diagnostic: RustDiagnostic) -> list[str]:
    labels = [s.label for s in diagnostic.spans if s.label]
    return [diagnostic.message, *labels, *(c.message for c in diagnostic.children)]
