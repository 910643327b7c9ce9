"""The escape suite through `rustcoder generate` with a scripted model on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.models.openai_server import FakeOpenAI
from tests.sandbox.conftest import (
    RESOURCE_PROBES,
    Aftermath,
    aftermath,
    crate_name,
    server_env,
)
from tests.sandbox.escape_checks import EscapeChecks
from tests.sandbox.probes import Traps, resource_crate


def _generate(model: FakeOpenAI, traps: Traps, out: Path, crate: str) -> dict[str, Any]:
    model.script(f"Here is the crate.\n\n{crate}")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rustcoder",
            "generate",
            "a program",
            "-o",
            str(out),
            "--endpoint",
            model.url,
            "--no-tests",
            "--max-attempts",
            "1",
            "--json",
        ],
        env=server_env(traps),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout, done.stderr
    assert "warning: no sandbox" not in done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def runs(
    traps: Traps, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[dict[str, Any], Aftermath]]]:
    outputs = tmp_path_factory.mktemp("generated")
    done: dict[str, tuple[dict[str, Any], Aftermath]] = {}
    with FakeOpenAI() as model:
        jobs = {"escape": traps.escape_crate(crate_name("gen_escape"))}
        jobs |= {p: resource_crate(p, crate_name(f"gen_{p}")) for p in RESOURCE_PROBES}
        for key, crate in jobs.items():
            result = _generate(model, traps, outputs / key, crate)
            marker = crate_name(f"gen_{key}")
            done[key] = (result, aftermath(traps, json.dumps(result), marker))
    yield done


class TestEscapeThroughGenerate(EscapeChecks):
    """Every probe through this surface."""
