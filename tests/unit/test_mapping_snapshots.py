"""Snapshot tests of the rustc → LSP mapping against real captured cargo output.

Each fixture crate under tests/data/mapping/ holds `cargo-check.jsonl` (cargo's
JSON stream, captured by tests/data/mapping/capture.py) and `expected.json`
(the mapping of that stream with the workspace root `/WORKSPACE`). Besides the
whole-file comparison, focused tests check the properties the snapshots are
meant to pin down, computing the expected values independently of the mapper.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lsprotocol import types as lsp

from rustcoder.cargo.messages import RustDiagnostic, Span, parse_cargo_output
from rustcoder.cargo.to_lsp import MappedDiagnostic, QuickFix, map_diagnostics

MAPPING_DIR = Path(__file__).resolve().parents[1] / "data" / "mapping"
WORKSPACE = Path("/WORKSPACE")
LIB_URI = "file:///WORKSPACE/src/lib.rs"
REGENERATE = ".venv/bin/python tests/data/mapping/capture.py --only-expected"


def _load_capture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mapping_capture", MAPPING_DIR / "capture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


capture = _load_capture()
FIXTURES: list[str] = capture.fixture_names()


# --- helpers -----------------------------------------------------------------


def jsonl(name: str) -> str:
    return (MAPPING_DIR / name / "cargo-check.jsonl").read_text(encoding="utf-8")


def rust_diagnostics(name: str) -> list[RustDiagnostic]:
    return parse_cargo_output(jsonl(name)).diagnostics


def mapped(name: str, **kwargs: Any) -> dict[str, list[MappedDiagnostic]]:
    return map_diagnostics(rust_diagnostics(name), WORKSPACE, **kwargs)


def all_mapped(name: str, **kwargs: Any) -> list[MappedDiagnostic]:
    return [m for items in mapped(name, **kwargs).values() for m in items]


def main_diagnostics(name: str, code: str | None = None) -> list[MappedDiagnostic]:
    """The non-hint diagnostics of a fixture, optionally only those with `code`."""
    return [
        m
        for m in all_mapped(name)
        if not m.is_child_hint and (code is None or m.diagnostic.code == code)
    ]


def only(items: list[MappedDiagnostic]) -> MappedDiagnostic:
    assert len(items) == 1, [m.diagnostic.message for m in items]
    return items[0]


def source_lines(name: str, rel: str = "src/lib.rs") -> list[str]:
    return (MAPPING_DIR / name / rel).read_text(encoding="utf-8").splitlines()


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def find(name: str, needle: str, line_with: str = "", rel: str = "src/lib.rs") -> lsp.Range:
    """The UTF-16 range of `needle` on the first line of a fixture's source that has
    `line_with` (by default, `needle` itself)."""
    for line_no, line in enumerate(source_lines(name, rel)):
        if (line_with or needle) in line and needle in line:
            start = line.index(needle, line.find(line_with) if line_with else 0)
            return lsp.Range(
                start=lsp.Position(line=line_no, character=utf16_len(line[:start])),
                end=lsp.Position(line=line_no, character=utf16_len(line[: start + len(needle)])),
            )
    raise AssertionError(f"{needle!r} (on a line with {line_with!r}) not in {name}/{rel}")


def related(m: MappedDiagnostic, message: str) -> list[lsp.DiagnosticRelatedInformation]:
    return [r for r in m.diagnostic.related_information or [] if r.message == message]


def walk_children(rd: RustDiagnostic) -> Iterator[RustDiagnostic]:
    for child in rd.children:
        yield child
        yield from walk_children(child)


def suggestion_spans(rd: RustDiagnostic) -> Iterator[tuple[RustDiagnostic, Span]]:
    for child in walk_children(rd):
        for span in child.spans:
            if span.suggested_replacement is not None:
                yield child, span


def apply_edits(lines: list[str], fix: QuickFix) -> list[str]:
    """Apply one fix's edits (all on the same file) to its text, as an editor would."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: lsp.Position) -> int:
        line = lines[pos.line]
        chars, units = 0, 0
        while units < pos.character:
            units += utf16_len(line[chars])
            chars += 1
        return starts[pos.line] + chars

    for edit in sorted(fix.edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text.split("\n")


# --- whole snapshots ---------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_snapshot_matches(name: str) -> None:
    actual = capture.snapshot(capture.map_capture(jsonl(name)))
    expected_path = MAPPING_DIR / name / "expected.json"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                capture.dump_json(expected).splitlines(),
                capture.dump_json(actual).splitlines(),
                fromfile=f"{name}/expected.json",
                tofile=f"{name} (mapped now)",
                lineterm="",
                n=4,
            )
        )
        pytest.fail(
            f"mapping of {name}/cargo-check.jsonl differs from {name}/expected.json:\n{diff}\n\n"
            f"If the change is intended, regenerate with:\n    {REGENERATE} {name}",
            pytrace=False,
        )


@pytest.mark.parametrize("name", FIXTURES)
def test_expected_file_is_in_canonical_form(name: str) -> None:
    text = (MAPPING_DIR / name / "expected.json").read_text(encoding="utf-8")
    assert text == capture.dump_json(json.loads(text)), f"reformat with: {REGENERATE} {name}"


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_crate_is_its_own_workspace(name: str) -> None:
    manifest = tomllib.loads((MAPPING_DIR / name / "Cargo.toml").read_text(encoding="utf-8"))
    assert "workspace" in manifest
    assert manifest["package"]["name"] == f"snap-{name}"
    assert manifest["package"]["edition"] == "2021"
    assert not manifest.get("dependencies")


@pytest.mark.parametrize("name", FIXTURES)
def test_capture_is_portable(name: str) -> None:
    lines = [json.loads(line) for line in jsonl(name).splitlines()]
    assert lines, "empty capture"
    assert {line["reason"] for line in lines} <= {"compiler-message", "build-finished"}
    assert lines[-1]["reason"] == "build-finished"
    for line in lines[:-1]:
        assert line["manifest_path"] == "/WORKSPACE/Cargo.toml"
        assert line["target"]["src_path"].startswith("/WORKSPACE/src/")
        assert line["package_id"].startswith("path+file:///WORKSPACE#")
    text = jsonl(name)
    for marker in (str(MAPPING_DIR), "/tmp/", "/home/", "/root/"):
        assert marker not in text


@pytest.mark.parametrize("name", FIXTURES)
def test_data_carries_the_same_fixes(name: str) -> None:
    items = all_mapped(name)
    assert items
    for m in items:
        data = m.diagnostic.data
        assert isinstance(data, dict)
        assert data["fixes"] == [f.to_json() for f in m.fixes]
        assert [QuickFix.from_json(raw) for raw in data["fixes"]] == m.fixes
        assert data["level"] == ("hint" if m.is_child_hint else m.source.level if m.source else "")


def test_distinct_codes_across_fixtures() -> None:
    codes = {
        m.diagnostic.code for name in FIXTURES for m in main_diagnostics(name) if m.diagnostic.code
    }
    required = {
        "unused_variables",
        "unused_mut",
        "unused_imports",
        "dead_code",
        "deprecated",
        "while_true",
        "E0004",
        "E0046",
        "E0061",
        "E0063",
        "E0106",
        "E0277",
        "E0308",
        "E0382",
        "E0425",
        "E0499",
        "E0502",
        "E0560",
        "E0599",
    }
    assert required <= codes, sorted(required - codes)
    assert len(codes) >= 15


# --- positions ---------------------------------------------------------------


def test_non_ascii_columns_are_utf16() -> None:
    line_no = 1
    line = source_lines("non_ascii")[line_no]
    assert "🦀" in line and "é" in line  # an astral-plane and a two-byte character before
    chars = line.rindex("crab")
    units16 = utf16_len(line[:chars])
    units8 = len(line[:chars].encode("utf-8"))
    assert chars < units16 < units8  # the three encodings really differ here

    m = only(main_diagnostics("non_ascii", "E0308"))
    assert m.uri == LIB_URI
    assert m.diagnostic.range == lsp.Range(
        start=lsp.Position(line=line_no, character=units16),
        end=lsp.Position(line=line_no, character=units16 + len("crab")),
    )
    (due,) = related(m, "expected due to this")
    assert due.location.range == find("non_ascii", "usize", "let count")

    by_encoding = {
        enc: only([x for x in all_mapped("non_ascii", encoding=enc) if not x.is_child_hint])
        for enc in ("utf-8", "utf-32")
    }
    assert by_encoding["utf-8"].diagnostic.range.start.character == units8
    assert by_encoding["utf-32"].diagnostic.range.start.character == chars


def test_error_in_second_module_file() -> None:
    by_uri = mapped("second_module")
    assert set(by_uri) == {"file:///WORKSPACE/src/util.rs"}
    m = only(main_diagnostics("second_module", "E0560"))
    target = find("second_module", "rigth", rel="src/util.rs")
    assert m.diagnostic.range == target
    (fix,) = m.fixes
    assert fix.edits[0].uri == "file:///WORKSPACE/src/util.rs"
    assert fix.edits[0].new_text == "right"


# --- macros ------------------------------------------------------------------


def test_error_inside_local_macro_rules() -> None:
    m = only(main_diagnostics("macro_rules", "E0308"))
    rd = m.source
    assert rd is not None
    primary = next(s for s in rd.spans if s.is_primary)
    assert primary.expansion is not None and primary.expansion.macro_decl_name == "make_fn!"
    # The exact span is in the workspace (the macro's body), so it stays there,
    # as in rust-analyzer; the call site comes as related information.
    assert m.uri == LIB_URI
    assert m.diagnostic.range == find("macro_rules", '"not a number"')
    assert not related(m, "Exact error occurred here")
    (call,) = related(m, "Error originated from macro call here")
    assert call.location.uri == LIB_URI
    assert call.location.range == find("macro_rules", "make_fn!(answer)")


def test_error_inside_std_macro_moves_to_call_site() -> None:
    m = only(main_diagnostics("std_macros", "E0308"))
    rd = m.source
    assert rd is not None
    primary = next(s for s in rd.spans if s.is_primary)
    assert primary.file_name.startswith("/rustc/")  # rustc points into alloc's vec!
    assert m.uri == LIB_URI
    assert m.diagnostic.range == find("std_macros", "vec![1]")
    (exact,) = related(m, "Exact error occurred here")
    assert exact.location.uri.startswith("file:///rustc/")
    assert exact.location.uri.endswith("/library/alloc/src/macros.rs")
    assert exact.location.range.start.line == primary.line_start - 1
    (due,) = related(m, "expected due to this")
    assert due.location.range == find("std_macros", "String", "let list")


def test_error_in_println_args() -> None:
    m = only(main_diagnostics("std_macros", "E0277"))
    assert m.uri == LIB_URI
    assert m.diagnostic.range == find("std_macros", "value", "println!")
    (call,) = related(m, "Error originated from macro call here")
    assert call.location.range == find("std_macros", 'println!("{}", value)')
    # The intermediate expansions live in std: no related information points there.
    uris = {r.location.uri for r in m.diagnostic.related_information or []}
    assert uris == {LIB_URI}
    (param,) = related(m, "required by this formatting parameter")
    assert param.location.range == find("std_macros", "{}")


def test_error_in_format_args() -> None:
    m = only(main_diagnostics("std_macros", "E0425"))
    assert m.diagnostic.range == find("std_macros", "missing_name")
    assert m.diagnostic.message.startswith("cannot find value `missing_name`")


# --- quick fixes -------------------------------------------------------------


def test_multi_span_suggestion_is_one_fix() -> None:
    m = only(main_diagnostics("missing_lifetime", "E0106"))
    (fix,) = m.fixes
    assert len(fix.edits) >= 2
    assert len({(e.range.start.line, e.range.start.character) for e in fix.edits}) == len(fix.edits)
    assert not fix.is_preferred and fix.applicability == "MaybeIncorrect"
    lines = source_lines("missing_lifetime")
    fixed = apply_edits(lines, fix)
    assert fixed[0] == "pub fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {"
    assert fixed[1:] == lines[1:]


def test_alternatives_are_separate_non_preferred_fixes() -> None:
    m = only(main_diagnostics("import_alternatives", "E0425"))
    assert len(m.fixes) >= 2
    assert all(not f.is_preferred for f in m.fixes)
    assert all(len(f.edits) == 1 for f in m.fixes)
    ranges = [f.edits[0].range for f in m.fixes]
    places = {(r.start.line, r.start.character, r.end.line, r.end.character) for r in ranges}
    assert len(places) == 1  # all at the same place
    texts = {f.edits[0].new_text.strip() for f in m.fixes}
    assert texts == {"use std::cmp::Ordering;", "use std::sync::atomic::Ordering;"}
    for fix in m.fixes:
        fixed = apply_edits(source_lines("import_alternatives"), fix)
        assert fixed[0] == fix.edits[0].new_text.splitlines()[0]


@pytest.mark.parametrize(
    ("name", "code"),
    [("placeholders", "E0046"), ("match_exhaustive", "E0004"), ("type_errors", "E0061")],
)
def test_has_placeholders_suggestions_give_no_fix(name: str, code: str) -> None:
    m = only(main_diagnostics(name, code))
    assert m.source is not None
    placeholders = [
        (child, span)
        for child, span in suggestion_spans(m.source)
        if span.suggestion_applicability == "HasPlaceholders"
    ]
    assert placeholders, "the capture no longer has a HasPlaceholders suggestion"
    assert m.fixes == []
    for child, _ in placeholders:
        hints = [
            h
            for h in all_mapped(name)
            if h.is_child_hint and h.diagnostic.message == f"{child.level}: {child.message}"
        ]
        assert hints and all(h.fixes == [] for h in hints)


def test_borrow_suggestion() -> None:
    m = only(main_diagnostics("borrow_suggestion", "E0308"))
    (fix,) = m.fixes
    assert fix.is_preferred and fix.applicability == "MachineApplicable"
    (edit,) = fix.edits
    name_range = find("borrow_suggestion", "name)")
    assert edit.range == lsp.Range(start=name_range.start, end=name_range.start)
    assert edit.new_text == "&"
    assert apply_edits(source_lines("borrow_suggestion"), fix)[6] == "    length(&name)"


def test_misspelled_name_suggestion() -> None:
    m = only(main_diagnostics("typo", "E0425"))
    assert m.diagnostic.range == find("typo", "countr")
    (fix,) = m.fixes
    (edit,) = fix.edits
    assert edit.new_text == "counter"
    assert apply_edits(source_lines("typo"), fix)[2] == "    counter + 1"


def test_machine_applicable_lint_fix() -> None:
    m = only(main_diagnostics("lint_fix", "while_true"))
    assert m.diagnostic.severity == lsp.DiagnosticSeverity.Warning
    assert m.diagnostic.tags is None
    (fix,) = m.fixes
    assert fix.is_preferred and fix.applicability == "MachineApplicable"
    assert apply_edits(source_lines("lint_fix"), fix)[1] == "    loop {"


def test_is_preferred_only_for_machine_applicable() -> None:
    counts = {True: 0, False: 0}
    for name in FIXTURES:
        for hint in all_mapped(name):
            # A child's Hint carries exactly that child's fixes: the alternatives.
            if not hint.is_child_hint:
                continue
            assert hint.source is not None
            applicability = {
                (f"file:///WORKSPACE/{s.file_name}", s.line_start - 1, s.suggested_replacement): (
                    s.suggestion_applicability
                )
                for _, s in suggestion_spans(hint.source)
            }
            for fix in hint.fixes:
                raw = {applicability[(e.uri, e.range.start.line, e.new_text)] for e in fix.edits}
                assert "HasPlaceholders" not in raw
                expected = raw == {"MachineApplicable"} and len(hint.fixes) == 1
                assert fix.is_preferred == expected, (name, fix.title, raw)
                assert (fix.applicability == "MachineApplicable") == (raw == {"MachineApplicable"})
                counts[fix.is_preferred] += 1
    assert counts[True] >= 4 and counts[False] >= 4


def test_main_diagnostic_offers_all_children_fixes() -> None:
    for name in FIXTURES:
        items = all_mapped(name)
        for m in items:
            if m.is_child_hint:
                continue
            hints = [h for h in items if h.is_child_hint and h.source is m.source]
            assert m.fixes == [f for h in hints for f in h.fixes]


# --- tags, links, hints ------------------------------------------------------


def test_unused_lints_are_unnecessary() -> None:
    items = main_diagnostics("unused")
    codes = {m.diagnostic.code for m in items}
    assert codes == {"unused_imports", "unused_mut", "unused_variables", "dead_code"}
    for m in items:
        assert m.diagnostic.tags == [lsp.DiagnosticTag.Unnecessary], m.diagnostic.code
        assert m.diagnostic.severity == lsp.DiagnosticSeverity.Warning
    for name in FIXTURES:
        for m in main_diagnostics(name):
            if m.diagnostic.code not in codes:
                assert lsp.DiagnosticTag.Unnecessary not in (m.diagnostic.tags or [])
    ranges = {m.diagnostic.code: m.diagnostic.range for m in items}
    assert ranges["unused_variables"] == find("unused", "unused", "let unused")
    assert ranges["dead_code"] == find("unused", "helper")


def test_deprecated_is_tagged() -> None:
    m = only(main_diagnostics("deprecated", "deprecated"))
    assert m.diagnostic.tags == [lsp.DiagnosticTag.Deprecated]
    assert m.diagnostic.range == find("deprecated", "old_api", "    old_api()")
    # The span-less child note is folded into the message.
    assert "note: `#[warn(deprecated)]` on by default" in m.diagnostic.message


def test_code_description_links_error_codes_only() -> None:
    checked = 0
    for name in FIXTURES:
        for m in all_mapped(name):
            code = m.diagnostic.code
            assert isinstance(code, str)
            if code.startswith("E") and code[1:].isdigit():
                assert m.diagnostic.code_description == lsp.CodeDescription(
                    href=f"https://doc.rust-lang.org/error_codes/{code}.html"
                )
                checked += 1
            else:
                assert m.diagnostic.code_description is None
    assert checked > 15


@pytest.mark.parametrize("name", FIXTURES)
def test_children_with_spans_become_hints(name: str) -> None:
    items = all_mapped(name)
    for m in items:
        if m.is_child_hint:
            continue
        assert m.source is not None
        for child in m.source.children:
            if not child.spans:
                assert f"{child.level}: {child.message}" in m.diagnostic.message
                continue
            message = f"{child.level}: {child.message}"
            assert related(m, message), message
            hints = [h for h in items if h.is_child_hint and h.source is m.source]
            hints = [h for h in hints if h.diagnostic.message == message]
            assert hints, message
            for hint in hints:
                assert hint.diagnostic.severity == lsp.DiagnosticSeverity.Hint
                assert hint.diagnostic.code == m.diagnostic.code
                origins = related(hint, "original diagnostic")
                assert any(o.location.range == m.diagnostic.range for o in origins)
    without = all_mapped(name, child_hints=False)
    assert not any(m.is_child_hint for m in without)
    assert [m.diagnostic for m in without] == [m.diagnostic for m in items if not m.is_child_hint]


def test_hint_for_note_points_at_function_definition() -> None:
    hints = [
        m
        for m in all_mapped("borrow_suggestion")
        if m.is_child_hint and m.diagnostic.message == "note: function defined here"
    ]
    (hint,) = hints
    assert hint.diagnostic.range == find("borrow_suggestion", "length")
    assert hint.fixes == []


# --- borrow checking ---------------------------------------------------------


def test_use_after_move() -> None:
    items = main_diagnostics("use_after_move", "E0382")
    assert len(items) == 2
    borrow, in_loop = items
    assert borrow.diagnostic.range == find("use_after_move", "data", "data.len()")
    assert related(borrow, "value moved here")[0].location.range == find(
        "use_after_move", "data", "consume(data)"
    )
    (clone,) = borrow.fixes
    assert clone.is_preferred
    assert apply_edits(source_lines("use_after_move"), clone)[6] == (
        "    let n = consume(data.clone());"
    )
    assert in_loop.diagnostic.range == find("use_after_move", "s", "drop(s)")
    assert related(in_loop, "inside of this loop")


def test_borrow_conflicts() -> None:
    e0502 = only(main_diagnostics("borrow_conflicts", "E0502"))
    assert e0502.diagnostic.range == find("borrow_conflicts", "v.push(4)")
    assert related(e0502, "immutable borrow occurs here")[0].location.range == find(
        "borrow_conflicts", "v", "&v[0]"
    )
    e0499 = only(main_diagnostics("borrow_conflicts", "E0499"))
    assert e0499.diagnostic.range == find("borrow_conflicts", "&mut s", "let b")
    assert related(e0499, "first mutable borrow occurs here")[0].location.range == find(
        "borrow_conflicts", "&mut s", "let a"
    )
