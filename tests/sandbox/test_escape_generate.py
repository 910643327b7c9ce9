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
    TAGGED_PROBES,
    Aftermath,
    aftermath,
    assert_contained,
    assert_resource_probe,
    crate_name,
    server_env,
)
from tests.sandbox.probes import Traps, probe_results, resource_crate


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


@pytest.mark.parametrize("probe", TAGGED_PROBES)
def test_probe_does_not_escape(
    runs: dict[str, tuple[dict[str, Any], Aftermath]], probe: str
) -> None:
    body, _ = runs["escape"]
    assert body["build_success"], body["build_output"]
    result = probe_results(body["run_output"]).get(probe)
    assert result is not None, body["run_output"]
    assert not result.startswith("ESCAPED"), result


def test_escape_probes_left_nothing_outside(
    runs: dict[str, tuple[dict[str, Any], Aftermath]],
) -> None:
    assert_contained(runs["escape"][1])


@pytest.mark.parametrize("probe", RESOURCE_PROBES)
def test_resource_probe_is_contained(
    runs: dict[str, tuple[dict[str, Any], Aftermath]], probe: str
) -> None:
    body, after = runs[probe]
    assert body["build_success"], body["build_output"]
    assert_resource_probe(probe, after, body["run_output"])
