"""What rustc says about each recipe's worked example, to index with the recipe.

A recipe's pattern is a regex, a poor text to search; the message rustc prints
for its `before` example is exactly what users will paste. Each example is
compiled once with the local rustc (metadata only, in parallel) and the
messages are cached per rustc version and example text.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rustcoder.kb.recipe_data import RecipeSpec


def _compile_messages(rustc: str, spec: RecipeSpec) -> list[str]:
    return example_errors(rustc, spec, spec.before)


def example_errors(rustc: str, spec: RecipeSpec, text: str) -> list[str]:
    """rustc's errors of `spec`'s codes for `text` as the example file ("message: label")."""
    crate_type = "lib" if spec.example_file.endswith("lib.rs") else "bin"
    with tempfile.TemporaryDirectory(prefix="rustcoder-kb-") as tmp:
        src = Path(tmp) / "main.rs"
        src.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run(
                [
                    rustc,
                    "--edition=2021",
                    f"--crate-type={crate_type}",
                    "--error-format=json",
                    "--emit=metadata",
                    "--crate-name=example",
                    "-o",
                    str(Path(tmp) / "out.rmeta"),
                    str(src),
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                cwd=tmp,
            )
        except (OSError, subprocess.SubprocessError):
            return []
    messages: list[str] = []
    for line in done.stderr.splitlines():
        try:
            diag = json.loads(line)
        except ValueError:
            continue
        code = (diag.get("code") or {}).get("code") if isinstance(diag, dict) else None
        if code not in spec.codes:
            continue
        # The message plus its primary label, as `KnowledgeBase` queries are built:
        # "mismatched types" alone says little, its label "expected `u8`, found `i64`" does.
        label = next(
            (
                s.get("label")
                for s in diag.get("spans", [])
                if s.get("is_primary") and s.get("label")
            ),
            None,
        )
        text = f"{diag['message']}: {label}" if label else str(diag["message"])
        if text not in messages:
            messages.append(text)
    return messages


def example_messages(
    specs: list[RecipeSpec], rustc: str, version: str, cache_dir: Path | None
) -> dict[str, list[str]]:
    """recipe id -> the messages of its code that rustc reports on its `before`."""
    cache: dict[str, list[str]] = {}
    cache_file = None
    if cache_dir is not None:
        key = hashlib.sha256(version.encode()).hexdigest()[:16]
        cache_file = cache_dir / f"recipe-messages-v2-{key}.json"
        try:
            cache = dict(json.loads(cache_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            cache = {}

    def key_of(spec: RecipeSpec) -> str:
        payload = json.dumps([spec.before, spec.example_file, list(spec.codes)])
        return hashlib.sha256(payload.encode()).hexdigest()

    missing = [s for s in specs if key_of(s) not in cache]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        for spec, found in zip(
            missing, pool.map(lambda s: _compile_messages(rustc, s), missing), strict=True
        ):
            cache[key_of(spec)] = found
    if cache_file is not None and missing:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(cache, sort_keys=True), encoding="utf-8")
            tmp.replace(cache_file)
        except OSError:
            pass
    return {spec.id: list(cache[key_of(spec)]) for spec in specs}
