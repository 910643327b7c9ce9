"""The escape suite through `rustcoder api` (REST on 127.0.0.1): every probe stays in its job."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import Api, start_api, stop_api
from tests.models.openai_server import FakeOpenAI
from tests.sandbox.conftest import (
    RESOURCE_PROBES,
    TAGGED_PROBES,
    Aftermath,
    aftermath,
    assert_contained,
    crate_name,
    server_env,
)
from tests.sandbox.escape_checks import EscapeChecks
from tests.sandbox.probes import MAIN_RS, Traps, probe_results, resource_crate

#: `main` with an error the fix rounds repair (rustc's own suggestion: `let mut`).
BROKEN_MAIN = MAIN_RS.replace("fn main() {", "fn main() {\n    let count = 0;\n    count += 1;\n")


def _run(
    api: Api, traps: Traps, path: str, code: str, marker: str
) -> tuple[dict[str, Any], Aftermath]:
    status, body = api.request("POST", path, {"code": code})
    assert status == 200, body
    return body, aftermath(traps, json.dumps(body), marker, api.request("GET", "/health")[0])


@pytest.fixture(scope="module")
def runs(traps: Traps) -> Iterator[dict[str, tuple[dict[str, Any], Aftermath]]]:
    """Every probe run once through one server; the tests below check what each left."""
    with FakeOpenAI() as model:
        api = start_api(model, "--concurrency", "2", "--queue", "8", env=server_env(traps))
        try:
            done: dict[str, tuple[dict[str, Any], Aftermath]] = {}
            done["health"] = (api.request("GET", "/health")[1], aftermath(traps, "", "-"))
            name = crate_name("escape")
            done["escape"] = _run(api, traps, "/compile", traps.escape_crate(name), name)
            for probe in RESOURCE_PROBES:
                name = crate_name(probe)
                done[probe] = _run(api, traps, "/compile", resource_crate(probe, name), name)
            name = crate_name("fixed")
            crate = traps.escape_crate(name, BROKEN_MAIN)
            done["fix"] = _run(api, traps, "/compile-and-fix", crate, name)
            yield done
        finally:
            stop_api(api)


def test_health_reports_the_sandbox(runs: dict[str, tuple[dict[str, Any], Aftermath]]) -> None:
    health, _ = runs["health"]
    assert health["isolation"]["sandbox"] == "bubblewrap" and not health["isolation"]["unsafe"]


class TestEscapeThroughRest(EscapeChecks):
    """Every probe through this surface."""


def test_compile_and_fix_checks_run_in_the_sandbox(
    runs: dict[str, tuple[dict[str, Any], Aftermath]],
) -> None:
    """The fix rounds' checks run build.rs again (in `rustcoder fix`): still nothing escapes."""
    body, after = runs["fix"]
    assert body["success"], body
    assert "let mut count = 0;" in body["final_files"]["src/main.rs"]
    results = probe_results(body["run_output"])
    assert len(results) == len(TAGGED_PROBES)
    assert not [r for r in results.values() if r.startswith("ESCAPED")]
    assert_contained(after)
