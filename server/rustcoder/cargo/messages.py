"""Typed views of rustc's JSON diagnostics as cargo emits them.

Decoded with msgspec straight into frozen structs: a check with many
diagnostics streams hundreds of kilobytes of JSON (every message repeats its
error's long explanation), and decoding must stay a small fraction of the
check's time. Unknown fields are ignored, so newer rustc versions still parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec


class SpanLine(msgspec.Struct, frozen=True):
    text: str = ""
    highlight_start: int = 1
    highlight_end: int = 1


class MacroExpansion(msgspec.Struct, frozen=True):
    span: Span
    macro_decl_name: str = ""
    def_site_span: Span | None = None


class Span(msgspec.Struct, frozen=True):
    file_name: str
    byte_start: int = 0
    byte_end: int = 0
    line_start: int = 1
    line_end: int = 1
    column_start: int = 1
    column_end: int = 1
    is_primary: bool = False
    text: tuple[SpanLine, ...] = ()
    label: str | None = None
    suggested_replacement: str | None = None
    suggestion_applicability: str | None = None
    expansion: MacroExpansion | None = None


class DiagnosticCode(msgspec.Struct, frozen=True):
    code: str
    explanation: str | None = None


class RustDiagnostic(msgspec.Struct, frozen=True):
    message: str
    level: str = "error"
    code_info: DiagnosticCode | None = msgspec.field(default=None, name="code")
    spans: tuple[Span, ...] = ()
    children: tuple[RustDiagnostic, ...] = ()
    rendered: str | None = None

    @property
    def code(self) -> str | None:
        """The error code (E0308) or lint name (unused_mut), if any."""
        return self.code_info.code if self.code_info else None


class _CargoLine(msgspec.Struct):
    reason: str = ""
    message: RustDiagnostic | None = None
    success: bool | None = None
    package_id: str | None = None


_decoder = msgspec.json.Decoder(_CargoLine)


@dataclass
class CargoMessages:
    """Everything one `cargo check --message-format=json` run reported."""

    diagnostics: list[RustDiagnostic] = field(default_factory=list)
    build_success: bool | None = None
    #: Package ids whose build script ran successfully.
    build_scripts_run: list[str] = field(default_factory=list)


def make_diagnostic(
    message: str,
    level: str = "error",
    code: str | None = None,
    spans: tuple[Span, ...] = (),
    rendered: str | None = None,
) -> RustDiagnostic:
    """Build a diagnostic in code (for cargo-level errors that rustc never reported)."""
    return RustDiagnostic(
        message=message,
        level=level,
        code_info=DiagnosticCode(code=code) if code else None,
        spans=spans,
        rendered=rendered,
    )


def parse_cargo_line(line: str | bytes, into: CargoMessages) -> RustDiagnostic | None:
    """Fold one line of cargo's JSON stream into `into`; returns a new diagnostic if any.

    Lines that are not cargo JSON (a build script's own output, a message of a
    shape this version does not know) are skipped.
    """
    line = line.strip()
    if not line or line[:1] not in ("{", b"{"):
        return None
    try:
        msg = _decoder.decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if msg.reason == "compiler-message" and msg.message is not None:
        into.diagnostics.append(msg.message)
        return msg.message
    if msg.reason == "build-finished":
        into.build_success = bool(msg.success)
    elif msg.reason == "build-script-executed" and msg.package_id:
        into.build_scripts_run.append(msg.package_id)
    return None


def parse_cargo_output(text: str) -> CargoMessages:
    result = CargoMessages()
    for line in text.splitlines():
        parse_cargo_line(line, result)
    return result
