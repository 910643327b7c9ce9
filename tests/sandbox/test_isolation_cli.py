"""Where no sandbox can be made: servers refuse unless told, say so, and `generate` warns."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.cli import main
from rustcoder.sandbox.bwrap import BWRAP_ENV, isolation
from tests.api.conftest import free_port, start_api, stop_api
from tests.models.openai_server import FakeOpenAI

#: bubblewrap "missing": how a machine without it looks to rustcoder.
MISSING = "/nonexistent/bwrap"


@pytest.fixture
def no_bwrap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(BWRAP_ENV, MISSING)
    isolation.cache_clear()
    yield
    monkeypatch.delenv(BWRAP_ENV)
    isolation.cache_clear()


def test_api_and_mcp_refuse_to_start_without_a_sandbox(
    no_bwrap: None, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["api", "--port", str(free_port())], ["mcp"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "refusing to start" in err and "--unsafe-no-sandbox" in err
        assert "bubblewrap" in err


def test_unsafe_api_says_so_in_the_log_and_in_health() -> None:
    with FakeOpenAI() as model:
        api = start_api(model, "--unsafe-no-sandbox", env={**os.environ, BWRAP_ENV: MISSING})
        try:
            status, body = api.request("GET", "/health")
            assert status == 200
            assert body["isolation"]["sandbox"] == "none" and body["isolation"]["unsafe"]
        finally:
            stop_api(api)
        log = api.process.stderr.read().decode() if api.process.stderr else ""
        assert "UNSAFE" in log and "without a sandbox" in log


def test_generate_warns_without_a_sandbox(
    no_bwrap: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAI() as model:
        model.script("no files here")
        argv = ["generate", "x", "-o", str(tmp_path / "out"), "--endpoint", model.url]
        assert main([*argv, "--max-attempts", "1"]) == 1
    assert "warning: no sandbox" in capsys.readouterr().err


def test_doctor_reports_isolation_cargo_kb_and_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--json"]) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert {"isolation", "cargo", "knowledge base", "code model"} <= checks.keys()
    assert checks["isolation"]["ok"] and "bubblewrap" in checks["isolation"]["detail"]
    assert checks["cargo"]["ok"] and "cargo 1." in checks["cargo"]["detail"]


def test_doctor_says_when_there_is_no_sandbox(
    no_bwrap: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["doctor"])
    line = next(x for x in capsys.readouterr().out.splitlines() if "isolation" in x)
    assert line.startswith("FAIL") and "not installed" in line
