"""Shared set-up of the escape suite: traps outside the job, and what to check after each run."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rustcoder.sandbox import isolation
from rustcoder.sandbox.job import JOB_PREFIX
from tests.generate.test_sandbox import _alive
from tests.sandbox.probes import PROBE_NAMES, RESOURCE_MAINS, Traps

#: Programs get 2 s of wall clock here (the default is 10 s) to keep the suite short.
RUN_TIMEOUT = "2"

TAGGED_PROBES = [f"{tag}.{name}" for tag in ("build", "main") for name in PROBE_NAMES]
RESOURCE_PROBES = list(RESOURCE_MAINS)


def require_sandbox() -> None:
    found = isolation()
    if not found.sandboxed:
        pytest.fail(
            f"the escape suite needs bubblewrap (scripts/bootstrap.sh installs it): {found}"
        )


@dataclass
class Aftermath:
    """What was true right after one run: the facts each probe's test asserts."""

    reply: str
    strays: list[str]
    leftovers: list[str]
    breaches: list[str]
    health: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


@pytest.fixture(scope="module")
def traps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traps]:
    require_sandbox()
    made = Traps.create(tmp_path_factory.mktemp("traps"))
    server_env(made)  # its TMPDIR is part of the baseline
    made.baseline = tree_snapshot(made.root)
    yield made
    made.close()


def server_env(traps: Traps) -> dict[str, str]:
    """The environment of a server (or `generate`) under test: fake $HOME, own TMPDIR."""
    tmp = traps.root / "server-tmp"
    tmp.mkdir(exist_ok=True)
    return {
        **traps.server_env(dict(os.environ)),
        "TMPDIR": str(tmp),
        "RUSTCODER_RUN_TIMEOUT": RUN_TIMEOUT,
    }


def job_leftovers(traps: Traps) -> list[str]:
    """Job dirs still in the server's TMPDIR."""
    tmp = traps.root / "server-tmp"
    return sorted(p.name for p in tmp.glob(f"{JOB_PREFIX}*"))


def aftermath(traps: Traps, reply: str, marker: str, health: int | None = None) -> Aftermath:
    new_files = sorted(tree_snapshot(traps.root) - traps.baseline)
    return Aftermath(
        reply=reply,
        strays=_alive(marker),
        leftovers=job_leftovers(traps),
        breaches=traps.breaches(reply) + [f"{name} appeared outside the job" for name in new_files],
        health=health,
    )


def crate_name(probe: str) -> str:
    """A crate name unique to this test run: its binary's path marks its processes."""
    return f"probe_{probe}_{os.getpid()}"


def python() -> str:
    return sys.executable


def assert_contained(after: Aftermath) -> None:
    assert after.breaches == []
    assert after.strays == []
    assert after.leftovers == []
    if after.health is not None:
        assert after.health == 200


def assert_resource_probe(probe: str, after: Aftermath, run_output: str) -> None:
    """The probe was stopped by a limit (not by luck) and left nothing behind."""
    assert_contained(after)
    if probe == "huge_allocation":
        assert "ALLOCATED" not in run_output
    elif probe == "huge_file":
        assert "WROTE 5 GB" not in run_output
        assert "limit" in run_output or "killed" in run_output
    elif probe in ("endless_loop", "fork_bomb"):
        assert "time limit" in run_output
    elif probe == "output_flood":
        assert "[output truncated]" in run_output
        assert len(run_output) < 200_000
    elif probe == "double_fork":
        assert "parent done" in run_output


#: Written by the server process itself (not by job code): its TMPDIR and its own caches
#: under the fake $HOME (onnxruntime, the learned KB).
OWN_FILES = ("server-tmp", "home/.cache", "home/.local")


def tree_snapshot(root: Path) -> set[str]:
    paths = (str(p.relative_to(root)) for p in root.rglob("*"))
    return {p for p in paths if not any(p == own or p.startswith(own + "/") for own in OWN_FILES)}
