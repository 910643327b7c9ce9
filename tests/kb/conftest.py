"""A real knowledge base, built once per test session with the local rustc.

The build asks `rustc --explain` for every code and compiles every recipe's
example; those answers are cached under pytest's cache dir so later sessions
rebuild in seconds. Every test gets its own per-user learned file.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.kb.builder import BuildReport, build
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.models.embedder import Embedder, shared_embedder


def cache_dir_for(config: pytest.Config, factory: pytest.TempPathFactory) -> Path:
    """pytest's cache dir (kept between runs), or a temp dir when the cache is disabled."""
    cache = getattr(config, "cache", None)
    if cache is None:
        return factory.mktemp("rustcoder-kb-cache")
    return Path(cache.mkdir("rustcoder-kb"))


@pytest.fixture(scope="session")
def kb_cache_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cache_dir_for(request.config, tmp_path_factory)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return shared_embedder()


@pytest.fixture(scope="session")
def built_kb(
    tmp_path_factory: pytest.TempPathFactory, kb_cache_dir: Path, embedder: Embedder
) -> BuildReport:
    out = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    return build(out, cache_dir=kb_cache_dir, embedder=embedder)


@pytest.fixture
def user_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "user" / "learned.sqlite"
    monkeypatch.setenv("RUSTCODER_USER_KB", str(path))
    return path


@pytest.fixture
def kb(built_kb: BuildReport, user_kb: Path, embedder: Embedder) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase.open(built_kb.path, user_kb, embedder)
    assert not opened.problems, opened.problems
    yield opened
    opened.close()


def limited_rustc(folder: Path, codes: list[str]) -> Path:
    """A `rustc` that explains only `codes` (the real rustc otherwise): small, fast builds."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "rustc"
    allowed = " ".join(codes)
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--explain" ]; then\n'
        f'  case " {allowed} " in *" $2 "*) ;; *) echo "error: $2 is not a valid error code" >&2;'
        " exit 1;; esac\n"
        "fi\n"
        'exec rustc "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "rustcoder", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr
