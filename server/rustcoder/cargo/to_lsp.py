"""Map rustc diagnostics to LSP, the way rust-analyzer's flycheck_to_proto does.

This module is pure: rustc JSON plus the workspace root in, LSP diagnostics and
quick fixes out. Snapshot tests pin it against real compiler output.

What it does, after rust-analyzer:
- one LSP diagnostic per primary span; a span inside a macro expansion stays
  where it is when that is in the workspace (a local `macro_rules!` body),
  else it moves to the innermost call site that is (e.g. a `vec!` call), with
  related information pointing at the exact place and each macro call;
- secondary spans with labels and children with spans become
  relatedInformation, and each such child also becomes a Hint diagnostic at its
  own location (with the fix, if it carries one);
- children without spans are appended to the message;
- suggestions with applicability MachineApplicable, MaybeIncorrect or none
  become quick fixes (HasPlaceholders is dropped); preferred only when every
  part is MachineApplicable; alternatives rustc offers at the same spot become
  separate fixes instead of one overlapping edit;
- columns are converted from rustc's character columns to the negotiated
  position encoding (UTF-16 by default) using the line text in the span; in a
  file with a lone CR (a line break to editors, not to rustc) ranges come from
  the byte offsets and the file's text instead.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from rustcoder.cargo.messages import RustDiagnostic, Span
from rustcoder.cargo.offsets import byte_to_char, lone_cr_index

SOURCE = "rustcoder"

OK_APPLICABILITY = {None, "MachineApplicable", "MaybeIncorrect", "Unspecified"}

UNNECESSARY_CODES = {
    "dead_code",
    "unknown_lints",
    "unreachable_code",
    "unreachable_patterns",
    "unused_attributes",
    "unused_imports",
    "unused_macros",
    "unused_variables",
    "unused_mut",
    "unused_assignments",
    "unused_parens",
    "unused_braces",
    "unused_labels",
    "unused_must_use",
    "unused_qualifications",
}
DEPRECATED_CODES = {"deprecated"}


@dataclass(frozen=True)
class FileEdit:
    uri: str
    range: lsp.Range
    new_text: str


@dataclass(frozen=True)
class QuickFix:
    """One rustc suggestion: all its edits are applied together."""

    title: str
    edits: tuple[FileEdit, ...]
    is_preferred: bool
    applicability: str

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "isPreferred": self.is_preferred,
            "applicability": self.applicability,
            "edits": [
                {
                    "uri": e.uri,
                    "range": _range_json(e.range),
                    "newText": e.new_text,
                }
                for e in self.edits
            ],
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> QuickFix:
        return QuickFix(
            title=str(raw["title"]),
            is_preferred=bool(raw.get("isPreferred", False)),
            applicability=str(raw.get("applicability", "Unspecified")),
            edits=tuple(
                FileEdit(
                    uri=str(e["uri"]),
                    range=_range_from_json(e["range"]),
                    new_text=str(e["newText"]),
                )
                for e in raw["edits"]
            ),
        )


@dataclass
class MappedDiagnostic:
    uri: str
    diagnostic: lsp.Diagnostic
    fixes: list[QuickFix] = field(default_factory=list)
    #: The rustc diagnostic this came from (for a Hint, its parent's).
    source: RustDiagnostic | None = None
    #: True for the Hint diagnostics placed at child notes.
    is_child_hint: bool = False


def _range_json(r: lsp.Range) -> dict[str, Any]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }


def _range_from_json(raw: dict[str, Any]) -> lsp.Range:
    return lsp.Range(
        start=lsp.Position(
            line=int(raw["start"]["line"]), character=int(raw["start"]["character"])
        ),
        end=lsp.Position(line=int(raw["end"]["line"]), character=int(raw["end"]["character"])),
    )


# --- positions ---------------------------------------------------------------


def convert_column(line_text: str | None, char_column: int, encoding: str = "utf-16") -> int:
    """rustc counts columns in Unicode scalar values (0-based here); LSP wants `encoding` units."""
    if line_text is None or encoding == "utf-32" or line_text.isascii():
        return char_column
    prefix = line_text[:char_column]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8")) + max(0, char_column - len(line_text))
    units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in prefix)
    return units + max(0, char_column - len(line_text))


def span_range(span: Span, encoding: str = "utf-16", root: Path | None = None) -> lsp.Range:
    """rustc's line/column, except in a file with a lone CR: rustc's lines end only
    at LF, editors' also at a lone CR, so there the range comes from the byte offsets."""
    index = lone_cr_index(resolve_path(root, span.file_name)) if root is not None else None
    if index is not None and 0 <= span.byte_start <= span.byte_end:
        (sl, sc), (el, ec) = (
            index.position(byte_to_char(index.text, offset), encoding)
            for offset in (span.byte_start, span.byte_end)
        )
        return lsp.Range(
            start=lsp.Position(line=sl, character=sc), end=lsp.Position(line=el, character=ec)
        )
    first = span.text[0].text if span.text else None
    last = span.text[-1].text if span.text else None
    start = lsp.Position(
        line=max(span.line_start - 1, 0),
        character=convert_column(first, max(span.column_start - 1, 0), encoding),
    )
    end = lsp.Position(
        line=max(span.line_end - 1, 0),
        character=convert_column(last, max(span.column_end - 1, 0), encoding),
    )
    return lsp.Range(start=start, end=end)


def resolve_path(workspace_root: Path, file_name: str) -> Path:
    path = Path(file_name)
    return path if path.is_absolute() else workspace_root / path


@functools.lru_cache(maxsize=4096)
def file_uri(workspace_root: Path, file_name: str) -> str:
    """URI of a span's file; cached because pathlib dominates mapping time."""
    return resolve_path(workspace_root, file_name).as_uri()


def is_dummy_macro_file(file_name: str) -> bool:
    """rustc names synthetic files like `<::core::macros::panic macros>`."""
    return file_name.startswith("<") and file_name.endswith(">")


def span_location(workspace_root: Path, span: Span, encoding: str) -> lsp.Location:
    return lsp.Location(
        uri=file_uri(workspace_root, span.file_name),
        range=span_range(span, encoding, workspace_root),
    )


def expansion_stack(span: Span) -> Iterator[Span]:
    """The span, then each macro call it came from, outwards."""
    current: Span | None = span
    while current is not None:
        yield current
        current = current.expansion.span if current.expansion else None


def _in_workspace(workspace_root: Path, span: Span) -> bool:
    return _file_in_workspace(workspace_root, span.file_name)


@functools.lru_cache(maxsize=4096)
def _file_in_workspace(workspace_root: Path, file_name: str) -> bool:
    if is_dummy_macro_file(file_name):
        return False
    return resolve_path(workspace_root, file_name).is_relative_to(workspace_root)


def primary_location(workspace_root: Path, span: Span, encoding: str) -> lsp.Location:
    """The place a user can see: the span itself, or the macro call that produced it."""
    stack = list(expansion_stack(span))
    for candidate in stack:
        if _in_workspace(workspace_root, candidate):
            return span_location(workspace_root, candidate, encoding)
    return span_location(workspace_root, stack[-1], encoding)


# --- children ----------------------------------------------------------------


@dataclass
class _Child:
    related: lsp.DiagnosticRelatedInformation | None
    fixes: list[QuickFix]
    message_line: str | None


def group_alternatives(spans: list[Span]) -> list[list[Span]]:
    """Split suggestion spans into alternatives.

    rustc lists alternatives ("consider importing one of these") as several
    spans at the same place; merging them into one edit would make overlapping
    edits. A span that repeats a place already in the current group starts a
    new alternative.
    """
    groups: list[list[Span]] = []
    seen: set[tuple[str, int, int]] = set()
    for span in spans:
        key = (span.file_name, span.byte_start, span.byte_end)
        if not groups or key in seen:
            groups.append([])
            seen = set()
        groups[-1].append(span)
        seen.add(key)
    return groups


def _fix_title(message: str, spans: list[Span]) -> str:
    replacements = [s.suggested_replacement or "" for s in spans]
    shown = [r.strip() for r in replacements if r.strip()]
    if len(shown) == 1 and "\n" not in shown[0] and len(shown[0]) <= 60 and len(spans) == 1:
        return f"{message}: `{shown[0]}`"
    if not shown:
        return message if message.lower().startswith("remove") else f"{message} (remove)"
    return message


def _map_child(child: RustDiagnostic, workspace_root: Path, encoding: str) -> _Child:
    spans = list(child.spans)
    if not spans:
        return _Child(related=None, fixes=[], message_line=f"{child.level}: {child.message}")
    suggestion_spans = [s for s in spans if s.suggested_replacement is not None]
    fixes: list[QuickFix] = []
    for group in group_alternatives(suggestion_spans):
        if not all(s.suggestion_applicability in OK_APPLICABILITY for s in group):
            continue
        edits = tuple(
            FileEdit(
                uri=file_uri(workspace_root, s.file_name),
                range=span_range(s, encoding, workspace_root),
                new_text=s.suggested_replacement or "",
            )
            for s in group
        )
        all_machine = all(s.suggestion_applicability == "MachineApplicable" for s in group)
        fixes.append(
            QuickFix(
                title=_fix_title(child.message, group),
                edits=edits,
                is_preferred=all_machine,
                applicability="MachineApplicable"
                if all_machine
                else (
                    "MaybeIncorrect"
                    if any(s.suggestion_applicability == "MaybeIncorrect" for s in group)
                    else "Unspecified"
                ),
            )
        )
    # More than one alternative: none of them is "the" fix.
    if len(fixes) > 1:
        fixes = [QuickFix(f.title, f.edits, False, f.applicability) for f in fixes]
    anchor = next((s for s in spans if s.is_primary), spans[0])
    related = lsp.DiagnosticRelatedInformation(
        location=span_location(workspace_root, anchor, encoding),
        message=f"{child.level}: {child.message}" if child.message else child.level,
    )
    return _Child(related=related, fixes=fixes, message_line=None)


# --- diagnostics -------------------------------------------------------------


def _severity(level: str) -> lsp.DiagnosticSeverity:
    if level.startswith("error"):
        return lsp.DiagnosticSeverity.Error
    if level == "warning":
        return lsp.DiagnosticSeverity.Warning
    if level == "help":
        return lsp.DiagnosticSeverity.Hint
    return lsp.DiagnosticSeverity.Information


def code_description(code: str | None) -> lsp.CodeDescription | None:
    if not code:
        return None
    if code.startswith("E") and code[1:].isdigit():
        return lsp.CodeDescription(href=f"https://doc.rust-lang.org/error_codes/{code}.html")
    if code.startswith("clippy::"):
        name = code.removeprefix("clippy::")
        return lsp.CodeDescription(
            href=f"https://rust-lang.github.io/rust-clippy/master/index.html#{name}"
        )
    return None


def _tags(code: str | None) -> list[lsp.DiagnosticTag] | None:
    if code in UNNECESSARY_CODES:
        return [lsp.DiagnosticTag.Unnecessary]
    if code in DEPRECATED_CODES:
        return [lsp.DiagnosticTag.Deprecated]
    return None


def map_rust_diagnostic(
    rd: RustDiagnostic, workspace_root: Path, encoding: str = "utf-16", child_hints: bool = True
) -> list[MappedDiagnostic]:
    """All LSP diagnostics (with their quick fixes) for one rustc diagnostic.

    A diagnostic without a primary span (e.g. "aborting due to 2 previous
    errors") maps to nothing, as in rust-analyzer.
    """
    primary_spans = [s for s in rd.spans if s.is_primary]
    if not primary_spans:
        return []

    children = [_map_child(c, workspace_root, encoding) for c in rd.children]
    fixes = [fix for c in children for fix in c.fixes]
    message_lines = [c.message_line for c in children if c.message_line]
    severity = _severity(rd.level)
    code_desc = code_description(rd.code)
    data: dict[str, Any] = {
        "rendered": rd.rendered or "",
        "level": rd.level,
        "fixes": [f.to_json() for f in fixes],
    }

    result: list[MappedDiagnostic] = []
    for primary in primary_spans:
        location = primary_location(workspace_root, primary, encoding)
        related: list[lsp.DiagnosticRelatedInformation] = []
        in_macro = primary.expansion is not None
        if in_macro:
            exact = span_location(workspace_root, primary, encoding)
            if exact != location and not is_dummy_macro_file(primary.file_name):
                related.append(
                    lsp.DiagnosticRelatedInformation(
                        location=exact, message="Exact error occurred here"
                    )
                )
            for outer in list(expansion_stack(primary))[1:]:
                call = span_location(workspace_root, outer, encoding)
                if call != location and _in_workspace(workspace_root, outer):
                    related.append(
                        lsp.DiagnosticRelatedInformation(
                            location=call, message="Error originated from macro call here"
                        )
                    )
        for secondary in rd.spans:
            if secondary.is_primary or not secondary.label:
                continue
            related.append(
                lsp.DiagnosticRelatedInformation(
                    location=primary_location(workspace_root, secondary, encoding),
                    message=secondary.label,
                )
            )
        related.extend(c.related for c in children if c.related is not None)

        message = rd.message
        if primary.label and primary.label not in message:
            message += f"\n{primary.label}"
        for line in message_lines:
            message += f"\n{line}"

        diagnostic = lsp.Diagnostic(
            range=location.range,
            message=message,
            severity=severity,
            code=rd.code,
            code_description=code_desc,
            source=SOURCE,
            related_information=related or None,
            tags=_tags(rd.code),
            data=data,
        )
        result.append(
            MappedDiagnostic(uri=location.uri, diagnostic=diagnostic, fixes=list(fixes), source=rd)
        )

        if child_hints:
            for child in children:
                if child.related is None:
                    continue
                hint = lsp.Diagnostic(
                    range=child.related.location.range,
                    message=child.related.message,
                    severity=lsp.DiagnosticSeverity.Hint,
                    code=rd.code,
                    code_description=code_desc,
                    source=SOURCE,
                    related_information=[
                        lsp.DiagnosticRelatedInformation(
                            location=location, message="original diagnostic"
                        )
                    ],
                    data={
                        "rendered": rd.rendered or "",
                        "level": "hint",
                        "fixes": [f.to_json() for f in child.fixes],
                    },
                )
                result.append(
                    MappedDiagnostic(
                        uri=child.related.location.uri,
                        diagnostic=hint,
                        fixes=list(child.fixes),
                        source=rd,
                        is_child_hint=True,
                    )
                )
    return result


def _key(m: MappedDiagnostic) -> tuple[Any, ...]:
    r = m.diagnostic.range
    return (
        m.uri,
        r.start.line,
        r.start.character,
        r.end.line,
        r.end.character,
        m.diagnostic.code,
        m.diagnostic.severity,
        m.diagnostic.message,
    )


class DiagnosticMapper:
    """Maps diagnostics one at a time, as cargo streams them, without duplicates.

    Mapping while cargo still compiles other targets hides its cost behind the
    compiler's. `--all-targets` compiles a library twice (lib and its unit
    tests), so rustc reports the same diagnostic twice; those collapse to one.
    """

    def __init__(
        self, workspace_root: Path, encoding: str = "utf-16", child_hints: bool = True
    ) -> None:
        self.workspace_root = workspace_root
        self.encoding = encoding
        self.child_hints = child_hints
        self.by_uri: dict[str, list[MappedDiagnostic]] = {}
        self._seen: set[tuple[Any, ...]] = set()

    def add(self, rd: RustDiagnostic) -> None:
        for mapped in map_rust_diagnostic(rd, self.workspace_root, self.encoding, self.child_hints):
            key = _key(mapped)
            if key in self._seen:
                continue
            self._seen.add(key)
            self.by_uri.setdefault(mapped.uri, []).append(mapped)


def map_diagnostics(
    diagnostics: Iterable[RustDiagnostic],
    workspace_root: Path,
    encoding: str = "utf-16",
    child_hints: bool = True,
) -> dict[str, list[MappedDiagnostic]]:
    """Map a whole check run, grouped by file URI, without duplicates."""
    mapper = DiagnosticMapper(workspace_root, encoding, child_hints)
    for rd in diagnostics:
        mapper.add(rd)
    return mapper.by_uri
