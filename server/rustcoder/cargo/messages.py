"""Typed views of rustc's JSON diagnostics as cargo emits them.

Parsing is lenient: cargo interleaves many message kinds, and a field missing
from one rustc version must not lose the whole diagnostic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpanLine:
    text: str
    highlight_start: int
    highlight_end: int


@dataclass(frozen=True)
class MacroExpansion:
    span: Span
    macro_decl_name: str
    def_site_span: Span | None


@dataclass(frozen=True)
class Span:
    file_name: str
    byte_start: int
    byte_end: int
    line_start: int
    line_end: int
    column_start: int
    column_end: int
    is_primary: bool
    text: tuple[SpanLine, ...] = ()
    label: str | None = None
    suggested_replacement: str | None = None
    suggestion_applicability: str | None = None
    expansion: MacroExpansion | None = None


@dataclass(frozen=True)
class RustDiagnostic:
    message: str
    level: str
    code: str | None = None
    spans: tuple[Span, ...] = ()
    children: tuple[RustDiagnostic, ...] = ()
    rendered: str | None = None


@dataclass
class CargoMessages:
    """Everything one `cargo check --message-format=json` run reported."""

    diagnostics: list[RustDiagnostic] = field(default_factory=list)
    build_success: bool | None = None
    #: Package ids whose build script ran successfully.
    build_scripts_run: list[str] = field(default_factory=list)


def _span(raw: dict[str, Any]) -> Span:
    expansion = raw.get("expansion")
    return Span(
        file_name=str(raw.get("file_name", "")),
        byte_start=int(raw.get("byte_start", 0)),
        byte_end=int(raw.get("byte_end", 0)),
        line_start=int(raw.get("line_start", 1)),
        line_end=int(raw.get("line_end", raw.get("line_start", 1))),
        column_start=int(raw.get("column_start", 1)),
        column_end=int(raw.get("column_end", raw.get("column_start", 1))),
        is_primary=bool(raw.get("is_primary", False)),
        text=tuple(
            SpanLine(
                text=str(t.get("text", "")),
                highlight_start=int(t.get("highlight_start", 1)),
                highlight_end=int(t.get("highlight_end", 1)),
            )
            for t in raw.get("text") or ()
        ),
        label=raw.get("label"),
        suggested_replacement=raw.get("suggested_replacement"),
        suggestion_applicability=raw.get("suggestion_applicability"),
        expansion=_expansion(expansion) if isinstance(expansion, dict) else None,
    )


def _expansion(raw: dict[str, Any]) -> MacroExpansion:
    def_site = raw.get("def_site_span")
    return MacroExpansion(
        span=_span(raw.get("span") or {}),
        macro_decl_name=str(raw.get("macro_decl_name", "")),
        def_site_span=_span(def_site) if isinstance(def_site, dict) else None,
    )


def parse_diagnostic(raw: dict[str, Any]) -> RustDiagnostic:
    """Structure one rustc diagnostic object (the `message` of a compiler-message)."""
    code = raw.get("code")
    return RustDiagnostic(
        message=str(raw.get("message", "")),
        level=str(raw.get("level", "error")),
        code=str(code["code"]) if isinstance(code, dict) and code.get("code") else None,
        spans=tuple(_span(s) for s in raw.get("spans") or () if isinstance(s, dict)),
        children=tuple(
            parse_diagnostic(c) for c in raw.get("children") or () if isinstance(c, dict)
        ),
        rendered=raw.get("rendered"),
    )


def parse_cargo_line(line: str | bytes, into: CargoMessages) -> RustDiagnostic | None:
    """Fold one line of cargo's JSON stream into `into`; returns a new diagnostic if any.

    Lines that are not JSON (a build script's own output, cargo's progress on
    older versions) are ignored.
    """
    line = line.strip()
    if not line or line[:1] not in ("{", b"{"):
        return None
    try:
        msg = json.loads(line)
    except ValueError:
        return None
    if not isinstance(msg, dict):
        return None
    reason = msg.get("reason")
    if reason == "compiler-message" and isinstance(msg.get("message"), dict):
        diagnostic = parse_diagnostic(msg["message"])
        into.diagnostics.append(diagnostic)
        return diagnostic
    if reason == "build-finished":
        into.build_success = bool(msg.get("success"))
    elif reason == "build-script-executed":
        into.build_scripts_run.append(str(msg.get("package_id", "")))
    return None


def parse_cargo_output(text: str) -> CargoMessages:
    result = CargoMessages()
    for line in text.splitlines():
        parse_cargo_line(line, result)
    return result
