"""Files in and out as text: Rust Coder's flattened `[filename: path]` format.

Models and agents exchange whole crates as one text. Two shapes are
accepted: `[filename: path]` headers followed by the file's text, and
fenced blocks whose info string or preceding line names the path. Every
path is checked so that nothing lands outside the crate.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

#: Files a crate may hold at most, and the bytes of one file, so a reply or a
#: request cannot fill the disk.
MAX_FILES = 64
MAX_FILE_BYTES = 1_000_000

_HEADER = re.compile(r"^\[filename:\s*(?P<path>[^\]\n]+?)\s*\]\s*$", re.MULTILINE)
_FENCE = re.compile(
    r"^(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
#: A line right before a fence that names a file:
#: "src/main.rs:", "// File: src/lib.rs", "**Cargo.toml**".
_PATH_LINE = re.compile(
    r"(?:^|[\s*`#/:])(?P<path>(?:[\w.-]+/)*[\w.-]+\.(?:rs|toml|md|txt|json|lock))\b[`*:]*\s*$"
)
_INFO_PATH = re.compile(r"(?:^|[\s:=])(?P<path>(?:[\w.-]+/)*[\w.-]+\.(?:rs|toml|md|txt|json|lock))")


class UnsafePathError(ValueError):
    """A file name that would escape the crate or is not a plain relative path."""


class FlattenedFormatError(ValueError):
    """Text that holds no usable files (or too many, or too large)."""


def validate_path(path: str) -> str:
    """The normalized relative path, or UnsafePathError saying why not."""
    raw = path.strip().strip("`'\"")
    if not raw:
        raise UnsafePathError("empty file name")
    if "\0" in raw or "\\" in raw:
        raise UnsafePathError(f"{raw!r}: only plain '/'-separated relative paths are allowed")
    if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw) or raw.startswith("~"):
        raise UnsafePathError(f"{raw!r}: absolute paths are not allowed")
    parts = PurePosixPath(raw).parts
    if any(part == ".." for part in parts):
        raise UnsafePathError(f"{raw!r}: '..' is not allowed")
    clean = [p for p in parts if p != "."]
    if not clean:
        raise UnsafePathError(f"{raw!r}: not a file")
    if clean[0] in ("target", ".git", ".cargo"):
        raise UnsafePathError(f"{raw!r}: files under {clean[0]}/ cannot be written")
    return "/".join(clean)


def _checked(files: dict[str, str]) -> dict[str, str]:
    if len(files) > MAX_FILES:
        raise FlattenedFormatError(f"too many files ({len(files)} > {MAX_FILES})")
    for path, text in files.items():
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            raise FlattenedFormatError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
    return files


def _parse_headers(text: str) -> dict[str, str]:
    matches = list(_HEADER.finditer(text))
    files: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        body = text[match.end() : following.start() if following else len(text)]
        body = body.removeprefix("\n")
        fenced = _FENCE.fullmatch(body.strip("\n"))
        if fenced:  # "[filename: x]" followed by a fenced block
            body = fenced.group("body")
        files[validate_path(match.group("path"))] = body.rstrip("\n") + "\n"
    return files


def _parse_fences(text: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for match in _FENCE.finditer(text):
        path = None
        info = _INFO_PATH.search(match.group("info"))
        if info:
            path = info.group("path")
        else:
            before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
            line = _PATH_LINE.search(before)
            if line:
                path = line.group("path")
        if path is not None:
            files[validate_path(path)] = match.group("body").rstrip("\n") + "\n"
    return files


def parse_files(text: str) -> dict[str, str]:
    """The files a flattened text holds, by relative path, in order of appearance.

    Raises UnsafePathError for a path that escapes the crate and
    FlattenedFormatError when nothing usable is found.
    """
    files = _parse_headers(text) if _HEADER.search(text) else _parse_fences(text)
    if not files:
        raise FlattenedFormatError(
            "no files found: expected `[filename: path]` headers or fenced blocks naming a path"
        )
    return _checked(files)


def format_files(files: dict[str, str]) -> str:
    """The flattened text of `files` (Cargo.toml first, then the others in order)."""
    order = sorted(files, key=lambda p: (p != "Cargo.toml", p != "src/main.rs", p))
    return "\n".join(f"[filename: {path}]\n{files[path].rstrip()}\n" for path in order)
