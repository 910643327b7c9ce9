"""Every error code the local rustc can explain, with its examples, offline.

rustc has no command that lists its codes, so the builder asks `rustc
--explain` for every E0001..E0999 in parallel threads (about 5 s on 2 cores)
and caches the answers per rustc version, which keeps rebuilds fast and their
content identical. Code blocks are split into the erroneous examples (those
after "Erroneous code example" or rustc's own error-marking comments) and the
corrected ones (the rest).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CODE_RANGE = range(1, 1000)
NO_LONGER_EMITTED = "no longer emitted"


class ExplainError(RuntimeError):
    """rustc could not be run."""


@dataclass(frozen=True)
class ErrorCodeDoc:
    code: str
    title: str
    explanation: str
    erroneous: tuple[str, ...]
    corrected: tuple[str, ...]
    emitted: bool

    def excerpt(self, limit: int = 600) -> str:
        """The explanation's prose up to its first code block, at most `limit` chars."""
        return explanation_excerpt(self.explanation, limit)


def rustc_version(rustc: str = "rustc") -> str:
    try:
        done = subprocess.run(
            [rustc, "--version"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ExplainError(f"cannot run `{rustc} --version`: {exc}") from exc
    return done.stdout.strip()


def _explain(rustc: str, code: str) -> str | None:
    done = subprocess.run(
        [rustc, "--explain", code], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout if done.returncode == 0 and done.stdout.strip() else None


def fetch_explanations(rustc: str = "rustc", cache_dir: Path | None = None) -> dict[str, str]:
    """code -> raw `rustc --explain` text for every code rustc knows."""
    version = rustc_version(rustc)
    cache_file = None
    if cache_dir is not None:
        # Keyed by the executable too: two toolchains may report the same version.
        exe = shutil.which(rustc) or rustc
        key = hashlib.sha256(f"{version}\0{Path(exe).resolve()}".encode()).hexdigest()[:16]
        cache_file = cache_dir / f"rustc-explain-{key}.json"
        try:
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            if cached.get("version") == version and isinstance(cached.get("codes"), dict):
                return dict(cached["codes"])
        except (OSError, ValueError):
            pass
    codes = [f"E{n:04d}" for n in CODE_RANGE]
    with ThreadPoolExecutor(max_workers=max(4, (os.cpu_count() or 2) * 2)) as pool:
        texts = list(pool.map(lambda c: _explain(rustc, c), codes))
    found = {code: text for code, text in zip(codes, texts, strict=True) if text is not None}
    if not found:
        raise ExplainError(f"`{rustc} --explain` explained no error code")
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": version, "codes": found}), encoding="utf-8")
            tmp.replace(cache_file)
        except OSError:
            pass
    return found


_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```\s*$", re.S | re.M)
_ERROR_MARK = re.compile(r"//\s*(?:error|~\s*ERROR)", re.I)


def parse_explanation(code: str, text: str) -> ErrorCodeDoc:
    """Title, examples and status from one `rustc --explain` text."""
    emitted = NO_LONGER_EMITTED not in text.split("\n\n", 1)[0]
    title = _title(text)
    erroneous: list[str] = []
    corrected: list[str] = []
    last = 0
    for match in _FENCE.finditer(text):
        prose = text[last : match.start()].lower()
        block = match.group(1).rstrip() + "\n"
        last = match.end()
        # The first block of an explanation is its erroneous example; later ones
        # are corrections unless the prose or the block itself marks an error.
        first = not erroneous and not corrected
        if first or "erroneous" in prose or _ERROR_MARK.search(block):
            erroneous.append(block)
        else:
            corrected.append(block)
    return ErrorCodeDoc(
        code=code,
        title=title,
        explanation=text.strip() + "\n",
        erroneous=tuple(erroneous),
        corrected=tuple(corrected),
        emitted=emitted,
    )


def explanation_excerpt(text: str, limit: int = 600) -> str:
    """The explanation's prose without code blocks, cut at a sentence end within `limit`."""
    prose = _FENCE.sub("", text)
    paragraphs = []
    for para in re.split(r"\n\s*\n", prose):
        para = " ".join(para.split())
        if not para or para.startswith("#### Note") or para.endswith(":"):
            continue  # notes, and the lines that only introduce a code block
        if re.match(r"^\[[^\]]+\]:\s", para):
            continue  # markdown link definitions
        paragraphs.append(para)
    head = "\n\n".join(paragraphs)
    if len(head) <= limit:
        return head
    cut = head.rfind(". ", 0, limit)
    return head[: cut + 1] if cut > 0 else head[:limit].rstrip() + "…"


def _title(text: str) -> str:
    """The first sentence of the first paragraph (skipping the "no longer emitted" note)."""
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        if para and not para.startswith("#"):
            end = para.find(". ")
            return para[: end + 1] if end > 0 else para
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first.lstrip("#").strip()


def load_error_codes(rustc: str = "rustc", cache_dir: Path | None = None) -> list[ErrorCodeDoc]:
    texts = fetch_explanations(rustc, cache_dir)
    return [parse_explanation(code, texts[code]) for code in sorted(texts)]
