"""Turn cargo's own errors on stderr into rustc-shaped diagnostics.

Some failures never reach the JSON stream: a manifest cargo cannot parse, a
dependency it cannot resolve, a build script that exits non-zero. They are
reported as diagnostics on Cargo.toml or build.rs so the editor shows them
where the user can act, through the same mapping as compiler messages.
"""

from __future__ import annotations

import re
from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic, Span, SpanLine, make_diagnostic

_LOCATION = re.compile(r"^\s*-->\s*(?P<path>.+?):(?P<line>\d+):(?P<col>\d+)\s*$")
_BUILD_SCRIPT = re.compile(r"failed to run custom build command for `[^`(]*\((?P<path>[^)]+)\)`")
_PROGRESS = re.compile(
    r"^\s*(Compiling|Checking|Finished|Blocking|Updating|Locking|Downloading|Downloaded|Fresh|Running|Adding)\b"
)


def _error_blocks(stderr: str) -> list[list[str]]:
    """Split stderr into blocks that each start with `error:`."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in stderr.splitlines():
        if line.startswith("error"):
            current = [line]
            blocks.append(current)
        elif line.startswith("warning:") or _PROGRESS.match(line):
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def _line_text(path: Path, line: int) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


def _file_span(path: Path, line: int = 1, col: int = 1, length: int = 0) -> Span:
    text = _line_text(path, line)
    end_col = col + length if length else (len(text) + 1 if text is not None and col == 1 else col)
    return Span(
        file_name=str(path),
        byte_start=0,
        byte_end=0,
        line_start=line,
        line_end=line,
        column_start=col,
        column_end=max(end_col, col),
        is_primary=True,
        text=(SpanLine(text=text, highlight_start=col, highlight_end=end_col),)
        if text is not None
        else (),
    )


def stderr_diagnostics(stderr: str, cwd: Path, manifest: Path) -> list[RustDiagnostic]:
    """Diagnostics for cargo-level errors found in `stderr`.

    Errors that rustc itself reported (`could not compile`, `aborting due to`)
    are skipped: they already came through the JSON stream.
    """
    result: list[RustDiagnostic] = []
    for block in _error_blocks(stderr):
        head = block[0]
        if "could not compile" in head or "aborting due to" in head:
            continue
        body = "\n".join(block).rstrip()
        message = head.removeprefix("error:").strip() or head
        build = _BUILD_SCRIPT.search(head)
        if build:
            package_dir = Path(build.group("path"))
            target = package_dir / "build.rs"
            if not target.is_file():
                target = package_dir / "Cargo.toml"
            result.append(
                make_diagnostic(
                    message=f"build script failed\n{_tail(body)}",
                    level="error",
                    code="build-script",
                    spans=(_file_span(target),),
                    rendered=body,
                )
            )
            continue
        location = next((m for m in map(_LOCATION.match, block) if m), None)
        if location:
            path = Path(location.group("path"))
            if not path.is_absolute():
                path = cwd / path
            span = _file_span(path, int(location.group("line")), int(location.group("col")), 1)
        else:
            span = _file_span(manifest)
        result.append(
            make_diagnostic(
                message=f"cargo: {message}"
                + (f"\n{_tail(body)}" if len(block) > 1 and not location else ""),
                level="error",
                code="cargo",
                spans=(span,),
                rendered=body,
            )
        )
    return result


def _tail(text: str, max_lines: int = 30) -> str:
    lines = text.splitlines()
    return "\n".join(lines[-max_lines:])
